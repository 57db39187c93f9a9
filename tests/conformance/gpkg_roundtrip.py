"""Reads a planform GeoPackage back through GDAL (gdal.VectorTranslate, the
library form of ogr2ogr, to GeoJSON) and checks it against the site plan it
was made from: every input feature with a geometry (and every top-level gate,
fence-layout line, yard with ground, buildable envelope and side of the
`parcel` record) is one output feature with the same coordinates and the same scalar
properties and attrs. Usage: gpkg_roundtrip.py PLAN.json OUT.gpkg"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan_json import fence_runs, parcel_sides
import json, sys
from osgeo import gdal, ogr
gdal.UseExceptions()

plan = json.load(open(sys.argv[1]))
src = gdal.OpenEx(sys.argv[2], gdal.OF_VECTOR)
out = []
for i in range(src.GetLayerCount()):
    name = src.GetLayer(i).GetName()
    path = f"/vsimem/{name}.geojson"
    gdal.VectorTranslate(path, src, format="GeoJSON", layers=[name])
    f = gdal.VSIFOpenL(path, "rb"); gdal.VSIFSeekL(f, 0, 2); n = gdal.VSIFTellL(f); gdal.VSIFSeekL(f, 0, 0)
    fc = json.loads(gdal.VSIFReadL(1, n, f)); gdal.VSIFCloseL(f); gdal.Unlink(path)
    out += fc["features"]

def flat(g):
    """All coordinates, multi wrappers removed, as a tuple."""
    def walk(c):
        if isinstance(c[0], (int, float)): yield (round(c[0], 9), round(c[1], 9))
        else:
            for x in c: yield from walk(x)
    if g["type"] == "GeometryCollection":
        return tuple(p for g2 in g["geometries"] for p in flat(g2))
    return tuple(walk(g["coordinates"]))

def closed(g):
    # GeoPackage rings are closed; close the input's too
    if g["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [r if r[0] == r[-1] else r + [r[0]] for r in g["coordinates"]]}
    if g["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [closed({"type": "Polygon", "coordinates": p})["coordinates"] for p in g["coordinates"]]}
    return g

def expected(f):
    props = f.get("properties") or {}
    e = {}
    # a feature id is text in the GeoPackage, written as a string or a number
    if not any(k.lower() == "id" for k in props) and f.get("id") is not None: e["id"] = str(f["id"])
    for k, v in props.items():
        if k != "attrs" and v is not None: e[k] = v
    for k, v in (props.get("attrs") or {}).items():
        if v is not None: e[("attrs_" + k) if k in e else k] = v
    return {k: (json.dumps(v, separators=(",", ":")) if isinstance(v, (list, dict)) else v) for k, v in e.items()}

def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool): return bool(a) == bool(b) and not isinstance(b, str)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)): return abs(a - b) <= 1e-9 * max(1, abs(a))
    if a == b: return True
    if isinstance(a, str) and isinstance(b, str) and a[:1] in "[{":
        try: return json.loads(a) == json.loads(b)
        except ValueError: return False
    return False

want = [(flat(closed(f["geometry"])), expected(f)) for f in plan["features"] if f.get("geometry")]
want += [(flat({"type": "LineString", "coordinates": g["coordinates"]}), None) for g in plan.get("gates") or [] if g.get("coordinates")]
want += [(flat({"type": "LineString", "coordinates": r}), None) for r in fence_runs(plan)]
want += [(flat(closed(y["geometry"])), {k: y[k] for k in ("id", "kind", "areaSquareMeters") if k in y})
         for y in plan.get("yards") or [] if y.get("geometry")]
want += [(flat({"type": "LineString", "coordinates": pts}), attrs) for pts, attrs in parcel_sides(plan)]
envelope = (plan.get("analysis") or {}).get("buildableEnvelope") or {}
if envelope.get("geometry"):
    want.append((flat(closed(envelope["geometry"])),
                 {k: envelope[k] for k in ("areaSqm", "footprintFits") if k in envelope}))
got = [(flat(f["geometry"]), f["properties"]) for f in out]
bad = []
if len(got) != len(want): bad.append(f"{len(got)} features in the GeoPackage, {len(want)} in the plan")
pool = list(got)
# features with attributes pick their match first: a fence-layout run may
# lie exactly on a side of the parcel
for geom, attrs in sorted(want, key=lambda w: w[1] is None):
    match = [i for i, (g, p) in enumerate(pool) if g == geom]
    if not match: bad.append(f"no output feature with geometry {geom[:2]}..."); continue
    ok = None
    for i in match:
        p = pool[i][1]
        if attrs is None or all(k in p and same(v, p[k]) for k, v in attrs.items()):
            ok = i; break
    if ok is None:
        p = pool[match[0]][1]
        diff = {k: (v, p.get(k)) for k, v in attrs.items() if not (k in p and same(v, p[k]))}
        bad.append(f"attributes differ: {diff}"); continue
    pool.pop(ok)
for b in bad[:20]: print(b)
print(f"{sys.argv[2]}: {len(got)} features in {src.GetLayerCount()} tables")
sys.exit(1 if bad else 0)
