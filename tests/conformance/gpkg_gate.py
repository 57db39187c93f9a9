"""planform's extra GeoPackage gate: what GDAL's validate_gpkg does not check.

Usage: gpkg_gate.py FILE.gpkg   (Debian's python3: osgeo from python3-gdal)

validate_gpkg accepts a blob header whose envelope disagrees with its
geometry, and R*Tree indexes with rows missing. For every geometry column
of gpkg_geometry_columns this checks, row by row:
- the blob starts with the GP magic, version 0, and a valid envelope code;
- the blob's srs_id is the column's srs_id;
- the WKB after the header parses (OGR) and every coordinate is finite;
- the header envelope equals the geometry's envelope (1e-9);
- the rtree_<table>_<column> row exists for the feature id and covers the
  geometry (the R*Tree stores float32: 1e-3 relative slack);
and per table: as many R*Tree rows as non-null geometries, and the
gpkg_contents extent covers every geometry.
"""
import math
import sqlite3
import struct
import sys

from osgeo import ogr

ENVELOPE_DOUBLES = {0: 0, 1: 4, 2: 6, 3: 6, 4: 8}


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def covers(lo, hi, minv, maxv):
    slack = 1e-3 * max(1.0, abs(minv), abs(maxv))
    return lo <= minv + slack and hi >= maxv - slack


def check_table(c, table, column, srs_id):
    bad = []
    index = f"rtree_{table}_{column}"
    has_rtree = c.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (index,)).fetchone()
    rtree = {}
    if has_rtree:
        rtree = {r[0]: r[1:] for r in c.execute(f'SELECT id, minx, maxx, miny, maxy FROM "{index}"')}
    pk = [r[1] for r in c.execute(f'PRAGMA table_info("{table}")') if r[5] == 1]
    if len(pk) != 1:
        return [f"{table}: expected one integer primary key, found {pk}"]
    extent = c.execute(
        "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", (table,)
    ).fetchone()
    count = 0
    for fid, blob in c.execute(f'SELECT "{pk[0]}", "{column}" FROM "{table}"'):
        if blob is None:
            continue
        count += 1
        blob = bytes(blob)
        where = f"{table} fid {fid}"
        if len(blob) < 8 or blob[:2] != b"GP" or blob[2] != 0:
            bad.append(f"{where}: bad magic or version")
            continue
        flags = blob[3]
        order = "<" if flags & 1 else ">"
        code = (flags >> 1) & 7
        if code not in ENVELOPE_DOUBLES:
            bad.append(f"{where}: envelope code {code}")
            continue
        if struct.unpack(order + "i", blob[4:8])[0] != srs_id:
            bad.append(f"{where}: blob srs_id differs from the column's {srs_id}")
        start = 8 + 8 * ENVELOPE_DOUBLES[code]
        geom = ogr.CreateGeometryFromWkb(blob[start:])
        if geom is None:
            bad.append(f"{where}: WKB does not parse")
            continue
        if geom.IsEmpty():
            continue
        points = []
        flat = geom.Clone()
        flat.FlattenTo2D()
        for i in range(flat.GetGeometryCount() or 1):
            part = flat.GetGeometryRef(i) if flat.GetGeometryCount() else flat
            stack = [part]
            while stack:
                g = stack.pop()
                if g.GetGeometryCount():
                    stack.extend(g.GetGeometryRef(j) for j in range(g.GetGeometryCount()))
                else:
                    points.extend(g.GetPoints() or [])
        if not all(math.isfinite(v) for p in points for v in p):
            bad.append(f"{where}: a coordinate is not finite")
            continue
        minx, maxx, miny, maxy = geom.GetEnvelope()
        if code:
            env = struct.unpack(order + "4d", blob[8:40])
            if not all(close(a, b) for a, b in zip(env, (minx, maxx, miny, maxy))):
                bad.append(f"{where}: header envelope {env} is not the geometry's")
        if has_rtree:
            r = rtree.get(fid)
            if r is None or not (covers(r[0], r[1], minx, maxx) and covers(r[2], r[3], miny, maxy)):
                bad.append(f"{where}: R*Tree row {r} missing or not covering the geometry")
        if extent and None not in extent:
            ex0, ey0, ex1, ey1 = extent
            if not (covers(ex0, ex1, minx, maxx) and covers(ey0, ey1, miny, maxy)):
                bad.append(f"{where}: outside the gpkg_contents extent {extent}")
    if has_rtree and len(rtree) != count:
        bad.append(f"{table}: {len(rtree)} R*Tree rows for {count} geometries")
    print(f"{table}.{column}: {count} geometries checked")
    return bad


def main():
    c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    bad = []
    for table, column, srs_id in c.execute(
        "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns"
    ).fetchall():
        bad += check_table(c, table, column, srs_id)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
