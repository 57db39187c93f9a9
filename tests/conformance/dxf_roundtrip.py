"""Reads a planform DXF with ezdxf and checks it against the site plan it was
made from, projected independently with pyproj: every vertex of every input
geometry (and top-level gate, yard ground, fence-layout line, buildable
envelope, and each side of the `parcel` record as the parcel ring's
vertices from its `index` to the next side's) appears as a POINT or LWPOLYLINE vertex within
1 mm, with equal counts; one layer per catalog type; filled areas hatched.
(from the plan's declared `crs`, WGS84 when none).
Usage: dxf_roundtrip.py PLAN.json OUT.dxf EPSG"""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plan_json import fence_runs, parcel_sides
import json, sys
from collections import Counter
import ezdxf
from pyproj import Transformer

plan_path, dxf_path, epsg = sys.argv[1], sys.argv[2], int(sys.argv[3])
plan = json.load(open(plan_path))
source = (plan.get("crs") or {}).get("properties", {}).get("name", "EPSG:4326")
if "CRS84" in source: source = "EPSG:4326"
to = Transformer.from_crs(source, epsg, always_xy=True)

def rings(g):
    t, c = g["type"], g.get("coordinates")
    if t == "Point": yield [c], False
    elif t == "MultiPoint":
        for p in c: yield [p], False
    elif t == "LineString": yield c, False
    elif t == "MultiLineString":
        for l in c: yield l, False
    elif t == "Polygon":
        for r in c: yield r, True
    elif t == "MultiPolygon":
        for p in c:
            for r in p: yield r, True
    elif t == "GeometryCollection":
        for g2 in g["geometries"]: yield from rings(g2)

want = []
for f in plan["features"]:
    if not f.get("geometry"): continue
    for pts, closed in rings(f["geometry"]):
        if closed and len(pts) > 1 and pts[0] == pts[-1]: pts = pts[:-1]
        want += [to.transform(p[0], p[1]) for p in pts]
for gate in plan.get("gates") or []:
    want += [to.transform(p[0], p[1]) for p in gate.get("coordinates") or []]

for yard in plan.get("yards") or []:
    if yard.get("geometry"):
        for pts, closed in rings(yard["geometry"]):
            if closed and len(pts) > 1 and pts[0] == pts[-1]: pts = pts[:-1]
            want += [to.transform(p[0], p[1]) for p in pts]

envelope = ((plan.get("analysis") or {}).get("buildableEnvelope") or {}).get("geometry")
if envelope:
    for pts, closed in rings(envelope):
        if closed and len(pts) > 1 and pts[0] == pts[-1]: pts = pts[:-1]
        want += [to.transform(p[0], p[1]) for p in pts]

for pts, _ in parcel_sides(plan):
    want += [to.transform(p[0], p[1]) for p in pts]

for run in fence_runs(plan):
    want += [to.transform(p[0], p[1]) for p in run]

doc = ezdxf.readfile(dxf_path)
msp = doc.modelspace()
got = []
for e in msp:
    # parcel edges again, labelled; setback lines (building to lot line) and
    # the sheet's frame are derived, not the plan's vertices
    if e.dxf.layer in ("dimensions", "setbacks", "setbacks-short", "sheet"): continue
    if e.dxftype() == "POINT": got.append((e.dxf.location.x, e.dxf.location.y))
    elif e.dxftype() == "LWPOLYLINE": got += [(x, y) for x, y, *_ in e.get_points()]
    elif e.dxftype() == "POLYLINE": got += [(v.dxf.location.x, v.dxf.location.y) for v in e.vertices]

bad = []
if len(got) != len(want): bad.append(f"{len(got)} vertices in the DXF, {len(want)} in the plan")
cell = 0.01
grid = Counter((round(x / cell), round(y / cell)) for x, y in got)
index = {}
for x, y in got: index.setdefault((round(x / cell), round(y / cell)), []).append((x, y))
missing = 0
for x, y in want:
    k = (round(x / cell), round(y / cell))
    near = [p for dx in (-1, 0, 1) for dy in (-1, 0, 1) for p in index.get((k[0] + dx, k[1] + dy), [])
            if abs(p[0] - x) <= 1e-3 and abs(p[1] - y) <= 1e-3]
    if not near: missing += 1
if missing: bad.append(f"{missing} plan vertices have no DXF vertex within 1 mm")
layers = {l.dxf.name for l in doc.layers} - {"0", "Defpoints"}
used = {e.dxf.layer for e in msp}
if not used <= layers: bad.append(f"entities on undeclared layers {used - layers}")
if doc.dxfversion != "AC1009" and doc.header.get("$INSUNITS") not in (6, 2): bad.append(f"$INSUNITS {doc.header.get('$INSUNITS')}")
filled = {"pool", "building", "driveway"} & used
hatched = {e.dxf.layer for e in msp if e.dxftype() == "HATCH"}
if doc.dxfversion != "AC1009" and not filled <= hatched: bad.append(f"filled layers without HATCH: {filled - hatched}")
for b in bad: print(b)
print(f"{dxf_path}: {len(got)} vertices, layers {sorted(used)}")
sys.exit(1 if bad else 0)
