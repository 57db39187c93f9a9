"""The planform Python package against the project's fixtures and its own binaries.

`scripts/test.sh` builds the package into a virtual environment and runs this suite
with PLANFORM_BIN_DIR set to the folder of the example binaries `cargo test` built
(`analyze`, `vectorize`), which the batch and vectorize results are compared with.
"""

import json
import math
import os
import struct
import subprocess
import zlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Polygon

import planform

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def binary(name):
    d = os.environ.get("PLANFORM_BIN_DIR")
    if not d:
        pytest.fail("PLANFORM_BIN_DIR is not set (scripts/test.sh sets it to cargo's examples folder)")
    return str(Path(d) / name)


# ---------------------------------------------------------------- site plans


def test_version_is_the_crate_version():
    cargo = (ROOT / "Cargo.toml").read_text()
    assert f'version = "{planform.__version__}"' in cargo


@pytest.mark.parametrize("name", ["flag_lot.json", "corner_lot.json", "culdesac_lot.json"])
def test_read_validate_and_to_geojson_is_lossless(name, tmp_path):
    path = FIXTURES / "site" / name
    plan = planform.read_site_plan(path)
    assert plan.validate() == [p for p in plan.validate() if p.level == "warning"]
    assert plan.to_geojson() == json.loads(path.read_text())
    # from bytes too, and written back by extension
    again = planform.read_site_plan(path.read_bytes())
    assert again.to_geojson() == plan.to_geojson()
    for ext in ("geojson", "gpkg", "dxf", "svg"):
        out = tmp_path / f"plan.{ext}"
        plan.write(out)
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "plan.geojson").read_text()) == json.loads(path.read_text())


def test_bad_documents_raise_planform_errors_with_their_pointer():
    expected = json.loads((FIXTURES / "malformed" / "expected.json").read_text())
    for name, want in expected.items():
        path = FIXTURES / "malformed" / name
        if want.get("stage") == "validate":
            problems = planform.read_site_plan(path).validate()
            assert any(p.pointer == want["pointer"] and p.level == "error" for p in problems), name
        else:
            with pytest.raises(planform.PlanformError) as e:
                planform.read_site_plan(path)
            assert name in str(e.value) or str(e.value), name
    with pytest.raises(planform.PlanformError):
        planform.read_site_plan(b"{not json")
    with pytest.raises(planform.PlanformError):
        planform.read_site_plan(FIXTURES / "no_such_file.json")
    with pytest.raises(planform.PlanformError):
        planform.read_site_plan(FIXTURES / "site" / "flag_lot.json").write("/tmp/plan.xyz")


# ---------------------------------------------------------------- batches


def block(n, lat=32.33, lon=-96.62):
    """Two rows of n lots 20 x 35 m between Main St and Elm St, a house on each."""
    at = lambda x, y: (lon + x / (111_320.0 * math.cos(math.radians(lat))), lat + y / 110_574.0)
    rect = lambda x, y, w, h: Polygon([at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)])
    lots, houses = [], []
    for r in range(2):
        for k in range(n):
            x, y = 20.0 * k, 35.0 * r
            lots.append({"PIN": f"{r}-{k}", "geometry": rect(x, y, 20, 35)})
            houses.append({"geometry": rect(x + 4, y + 10, 12, 12)})
    w = 20.0 * n
    roads = [{"FULLNAME": "Main St", "geometry": LineString([at(-50, -8), at(w + 50, -8)])},
             {"FULLNAME": "Elm St", "geometry": LineString([at(-50, 78), at(w + 50, 78)])}]
    frame = lambda rows: gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return frame(lots), frame(roads), frame(houses)


def cli_batch(tmp_path, parcels, roads, houses):
    paths = []
    for name, gdf in (("parcels", parcels), ("roads", roads), ("houses", houses)):
        p = tmp_path / f"{name}.geojson"
        p.write_text(gdf.to_json())
        paths.append(str(p))
    out, sides = tmp_path / "rows.geojson", tmp_path / "sides.geojson"
    subprocess.run([binary("analyze"), "--batch", paths[0], str(out), "--sides", str(sides),
                    "--roads", paths[1], "--buildings", paths[2],
                    "--minimums", str(FIXTURES / "analyzed" / "minimums.json"), "--id-field", "PIN"],
                   check=True, capture_output=True)
    return json.loads(out.read_text())["features"], json.loads(sides.read_text())["features"]


def test_analyze_parcels_gives_the_cli_rows(tmp_path):
    parcels, roads, houses = block(12)
    minimums = json.loads((FIXTURES / "analyzed" / "minimums.json").read_text())
    out, sides = planform.analyze_parcels(parcels, roads=roads, buildings=houses,
                                          minimums=minimums, id_field="PIN")
    want, want_sides = cli_batch(tmp_path, parcels, roads, houses)
    assert isinstance(out, gpd.GeoDataFrame) and out.crs.to_epsg() == 4326
    assert len(out) == len(want) == 24
    for (_, r), f in zip(out.iterrows(), want):
        p = f["properties"]
        assert r["PIN"] == p["PIN"]
        assert r["class"] == p["class"]
        assert list(r["roles"]) == p["roles"]
        assert np.allclose(r["lengths_m"], p["lengths_m"], atol=5e-4)  # the CLI writes mm
        assert (r["total_sides"], r["undecided_sides"]) == (p["total_sides"], p["undecided_sides"])
        assert r["compliant_sides"] == p["compliant_sides"]
        assert r["footprint_fits"] == p["footprint_fits"]
        assert math.isclose(r["envelope_area_sqm"], p["envelope_area_sqm"], rel_tol=1e-9, abs_tol=1e-6)
        assert r["envelope"].area == pytest.approx(shapely.geometry.shape(p["envelope"]).area, rel=5e-3)
        assert r["error"] is None and p["error"] is None
    assert list(sides["role"]) == [f["properties"]["role"] for f in want_sides]
    assert list(sides["PIN"]) == [f["properties"]["PIN"] for f in want_sides]
    # reprojected parcels give the same roles; Arrow in gives Arrow out
    mercator, _ = planform.analyze_parcels(parcels.to_crs(3857), roads=roads, buildings=houses,
                                           minimums=minimums, id_field="PIN")
    assert [list(x) for x in mercator["roles"]] == [list(x) for x in out["roles"]]
    table, _ = planform.analyze_parcels(parcels.to_arrow(), roads=roads, id_field="PIN")
    assert hasattr(table, "__arrow_c_stream__")
    assert list(gpd.GeoDataFrame.from_arrow(table)["PIN"]) == list(parcels["PIN"])


def test_a_bad_parcel_keeps_its_row_and_bad_layers_are_refused():
    parcels, roads, _ = block(2)
    parcels.loc[1, "geometry"] = Polygon([(0, 0), (0, 0), (0, 0)])
    out, _ = planform.analyze_parcels(parcels, roads=roads, id_field="PIN")
    assert len(out) == 4
    assert out.loc[1, "error"]
    assert out["error"].isna().sum() == 3
    with pytest.raises(planform.PlanformError, match="roads"):
        planform.analyze_parcels(parcels, roads=parcels)  # polygons are no roads
    with pytest.raises(planform.PlanformError, match="minimums"):
        planform.analyze_parcels(parcels, minimums={"front": "far"})
    with pytest.raises(TypeError):
        planform.analyze_parcels([1, 2, 3])


# ---------------------------------------------------------------- masks


def write_png(path, a):
    """A grey 8-bit PNG of a 2-D uint8 array (no imaging library needed)."""
    raw = b"".join(b"\x00" + row.tobytes() for row in a)
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    h, w = a.shape
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    Path(path).write_bytes(png)


def two_rooms():
    m = np.zeros((120, 220), np.uint8)
    m[10:110, 10:210] = 255
    m[16:104, 16:204] = 0
    m[16:104, 100:106] = 255
    m[45:75, 100:106] = 0  # a 30 px door
    return m


@pytest.mark.parametrize("mode,rooms", [("centerline", True), ("centerline", False), ("outline", False)])
def test_vectorize_gives_the_cli_features(tmp_path, mode, rooms):
    m = two_rooms()
    got = planform.vectorize(m, mode=mode, px_per_m=50.0, rooms=rooms)
    png, out = tmp_path / "mask.png", tmp_path / "out.geojson"
    write_png(png, m)
    args = [binary("vectorize"), str(png), str(out), "--mode", mode, "--px-per-m", "50"]
    subprocess.run(args + (["--rooms"] if rooms else []), check=True, capture_output=True)
    assert got == json.loads(out.read_text())
    kinds = [f["properties"]["kind"] for f in got["features"]]
    if rooms:
        assert kinds.count("room") == 2 and kinds.count("opening") == 1


def test_vectorize_refuses_what_is_not_a_mask():
    with pytest.raises(planform.PlanformError):
        planform.vectorize(np.zeros((2, 2, 3), np.uint8))
    with pytest.raises(planform.PlanformError):
        planform.vectorize(np.array([["a"]]))
    with pytest.raises(planform.PlanformError):
        planform.vectorize(two_rooms(), mode="outline", rooms=True)
    with pytest.raises(planform.PlanformError):
        planform.vectorize(two_rooms(), mode="sketch")
