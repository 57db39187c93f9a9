"""GeoParquet written and read by geopandas/pyarrow, against planform's.

    parquet_check.py write IN.geojson OUT.parquet [--crs EPSG] [--encoding wkb|geoarrow]
        a GeoJSON layer written by geopandas as GeoParquet (reprojected to
        EPSG first when given)
    parquet_check.py plain IN.geojson OUT.parquet
        the same columns as a plain Parquet file (WKB bytes, no `geo` metadata)
    parquet_check.py rows ROWS.parquet SIDES.parquet ROWS.geojson SIDES.geojson ID
        planform's GeoParquet batch output read by geopandas, row for row
        against its GeoJSON output of the same batch; the `geo` metadata
        checked against the GeoParquet 1.1 specification's requirements

Exit status 1 with the differences printed.
"""

import json
import math
import sys

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely


def frame(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")


def write(args):
    src, dst = args[0], args[1]
    crs = None
    encoding = "WKB"
    rest = args[2:]
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--crs":
            crs = int(value)
        elif flag == "--encoding":
            encoding = value
        else:
            raise SystemExit(f"unknown flag {flag}")
    gdf = frame(src)
    if crs is not None:
        gdf = gdf.to_crs(epsg=crs)
    gdf.to_parquet(dst, geometry_encoding="WKB" if encoding.upper() == "WKB" else encoding.lower())


def plain(args):
    gdf = frame(args[0])
    table = pa.table(
        {
            "PIN": [str(v) for v in gdf.get("PIN", range(len(gdf)))],
            "geometry": pa.array(shapely.to_wkb(gdf.geometry.values), pa.binary()),
        }
    )
    pq.write_table(table, args[1])


def close(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def none_if_nan(v):
    if v is None:
        return None
    try:
        if isinstance(v, float) and math.isnan(v):
            return None
    except TypeError:
        pass
    return v


def check_metadata(path, geometry_types, errors):
    meta = pq.read_metadata(path)
    kv = meta.metadata or {}
    if b"geo" not in kv:
        errors.append(f"{path}: no `geo` key")
        return
    geo = json.loads(kv[b"geo"])
    if not str(geo.get("version", "")).startswith("1."):
        errors.append(f"{path}: version {geo.get('version')}")
    if geo.get("primary_column") != "geometry":
        errors.append(f"{path}: primary column {geo.get('primary_column')}")
    names = set(pq.read_schema(path).names)
    for name, col in geo.get("columns", {}).items():
        if col.get("encoding") != "WKB":
            errors.append(f"{path}: {name} encoding {col.get('encoding')}")
        if col.get("crs") is not None:
            # absent means OGC:CRS84; planform writes WGS84 only
            crs = col["crs"]
            ident = crs.get("id", {}) if isinstance(crs, dict) else {}
            if ident.get("code") not in ("CRS84", 4326):
                errors.append(f"{path}: {name} crs {crs}")
        bbox = col.get("bbox")
        if not (isinstance(bbox, list) and len(bbox) == 4 and bbox[0] <= bbox[2] and bbox[1] <= bbox[3]):
            errors.append(f"{path}: {name} bbox {bbox}")
        covering = col.get("covering", {}).get("bbox")
        if covering is None:
            errors.append(f"{path}: {name} has no bbox covering")
        else:
            for part in ("xmin", "ymin", "xmax", "ymax"):
                column = covering[part][0]
                if column not in names:
                    errors.append(f"{path}: covering column {column} missing")
    types = geo.get("columns", {}).get("geometry", {}).get("geometry_types")
    if types is not None and not set(types) <= set(geometry_types):
        errors.append(f"{path}: geometry_types {types}")
    return geo


def rows(args):
    rows_pq, sides_pq, rows_json, sides_json, id_name = args
    errors = []
    geo = check_metadata(rows_pq, ["Polygon"], errors)
    check_metadata(sides_pq, ["LineString"], errors)
    got = gpd.read_parquet(rows_pq)
    if geo and "envelope" not in geo.get("columns", {}):
        errors.append("envelope is not a geometry column")
    with open(rows_json, encoding="utf-8") as f:
        want = json.load(f)["features"]
    if len(got) != len(want):
        errors.append(f"{len(got)} parquet rows, {len(want)} GeoJSON rows")
    table = pq.read_table(rows_pq)
    for i, (w, (_, g)) in enumerate(zip(want, got.iterrows())):
        p = w["properties"]
        where = f"row {i} ({p[id_name]})"
        if str(g[id_name]) != p[id_name]:
            errors.append(f"{where}: id {g[id_name]}")
        for k in ("class", "error"):
            if none_if_nan(g[k]) != p[k]:
                errors.append(f"{where}: {k} {g[k]!r} != {p[k]!r}")
        for k in ("total_sides", "compliant_sides", "undecided_sides"):
            gv = none_if_nan(g[k])
            if (None if gv is None else int(gv)) != p[k]:
                errors.append(f"{where}: {k} {g[k]!r} != {p[k]!r}")
        roles = table.column("roles")[i].as_py()
        if roles != p["roles"]:
            errors.append(f"{where}: roles {roles} != {p['roles']}")
        lengths = table.column("lengths_m")[i].as_py()
        if len(lengths) != len(p["lengths_m"]) or not all(
            abs(a - b) <= 0.0005 + 1e-9 for a, b in zip(lengths, p["lengths_m"])
        ):
            errors.append(f"{where}: lengths {lengths} != {p['lengths_m']}")
        if not close(none_if_nan(g["envelope_area_sqm"]), p["envelope_area_sqm"], 1e-12):
            errors.append(f"{where}: envelope area {g['envelope_area_sqm']} != {p['envelope_area_sqm']}")
        fits = none_if_nan(g["footprint_fits"])
        if (None if fits is None else bool(fits)) != p["footprint_fits"]:
            errors.append(f"{where}: footprint_fits {g['footprint_fits']!r} != {p['footprint_fits']!r}")
        for name, want_geom in (("geometry", w["geometry"]), ("envelope", p["envelope"])):
            gg = g[name]
            if want_geom is None:
                if gg is not None and not gg.is_empty:
                    errors.append(f"{where}: {name} {gg.wkt[:80]} where GeoJSON has none")
                continue
            ws = shapely.geometry.shape(want_geom)
            if gg is None or gg.geom_type != ws.geom_type:
                errors.append(f"{where}: {name} type {None if gg is None else gg.geom_type} != {ws.geom_type}")
                continue
            # GeoJSON rounds to 1e-7 degrees
            if not gg.equals_exact(ws, 1.01e-7):
                errors.append(f"{where}: {name} differs from GeoJSON's")
            if len(shapely.get_coordinates(gg)) != len(shapely.get_coordinates(ws)):
                errors.append(f"{where}: {name} has another number of vertices")
    sides = gpd.read_parquet(sides_pq)
    with open(sides_json, encoding="utf-8") as f:
        want_sides = json.load(f)["features"]
    if len(sides) != len(want_sides):
        errors.append(f"{len(sides)} parquet sides, {len(want_sides)} GeoJSON sides")
    for i, (w, (_, g)) in enumerate(zip(want_sides, sides.iterrows())):
        p = w["properties"]
        where = f"side {i} ({p[id_name]} #{p['index']})"
        if str(g[id_name]) != p[id_name] or int(g["index"]) != p["index"]:
            errors.append(f"{where}: key {g[id_name]} #{g['index']}")
        for k in ("role", "relation"):
            if none_if_nan(g[k]) != p[k]:
                errors.append(f"{where}: {k} {g[k]!r} != {p[k]!r}")
        for k, tol in (("length_m", 0.0005 + 1e-9), ("required_ft", 1e-9), ("actual_ft", 1e-9)):
            a, b = none_if_nan(g[k]), p[k]
            if (a is None) != (b is None) or (a is not None and abs(a - b) > tol * max(1.0, abs(b))):
                errors.append(f"{where}: {k} {a!r} != {b!r}")
        c = none_if_nan(g["compliant"])
        if (None if c is None else bool(c)) != p["compliant"]:
            errors.append(f"{where}: compliant {g['compliant']!r} != {p['compliant']!r}")
        if not g["geometry"].equals_exact(shapely.geometry.shape(w["geometry"]), 1.01e-7):
            errors.append(f"{where}: line differs")
    for e in errors[:40]:
        print(e)
    if errors:
        print(f"{len(errors)} differences")
        sys.exit(1)
    print(f"{len(got)} rows and {len(sides)} sides as geopandas reads them equal the GeoJSON output")


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    {"write": write, "plain": plain, "rows": rows}[mode](args)


if __name__ == "__main__":
    main()
