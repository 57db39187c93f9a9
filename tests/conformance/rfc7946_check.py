"""Checks planform's RFC 7946 output against its input with shapely and
pyproj: no `crs` member; every polygon exterior counter-clockwise and every
hole clockwise (shapely's LinearRing.is_ccw); every position within 1e-7
degrees (the 7-decimal precision) of the input, unprojected by pyproj when
the input declares a projected CRS; same number of features, same
properties. Usage: rfc7946_check.py IN.json OUT.json"""
import json, sys
from pyproj import Transformer
from shapely.geometry import LinearRing

src, out = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
name = (src.get("crs") or {}).get("properties", {}).get("name")
back = Transformer.from_crs(name, 4326, always_xy=True) if name and "CRS84" not in name and not name.endswith(":4326") else None
bad = []
if "crs" in out: bad.append("crs member kept")
if len(out["features"]) != len(src["features"]): bad.append("feature count differs")

def polys(g):
    if g["type"] == "Polygon": yield g["coordinates"]
    elif g["type"] == "MultiPolygon": yield from g["coordinates"]
    elif g["type"] == "GeometryCollection":
        for g2 in g["geometries"]: yield from polys(g2)

def positions(g):
    def walk(c):
        if isinstance(c[0], (int, float)): yield c
        else:
            for x in c: yield from walk(x)
    if g["type"] == "GeometryCollection":
        for g2 in g["geometries"]: yield from positions(g2)
    else: yield from walk(g["coordinates"])

for i, (a, b) in enumerate(zip(src["features"], out["features"])):
    if a.get("properties") != b.get("properties"): bad.append(f"feature {i}: properties differ")
    if not a.get("geometry"): continue
    for rings in polys(b["geometry"]):
        for k, r in enumerate(rings):
            if len(r) >= 4 and LinearRing(r).is_ccw != (k == 0): bad.append(f"feature {i}: ring {k} wrongly oriented")
    # as sets: reorientation reverses rings, closing adds the first position
    raw = [(p[0], p[1]) for p in ((back.transform(q[0], q[1]) if back else q) for q in positions(a["geometry"]))]
    got = [(p[0], p[1]) for p in positions(b["geometry"])]
    for x, y in got:
        if not any(abs(x - u) <= 1e-7 and abs(y - v) <= 1e-7 for u, v in raw):
            bad.append(f"feature {i}: position {x},{y} not in the input"); break
        if abs(x * 1e7 - round(x * 1e7)) > 1e-3 or abs(y * 1e7 - round(y * 1e7)) > 1e-3:
            bad.append(f"feature {i}: {x},{y} has more than 7 decimals"); break
for b_ in bad[:10]: print(b_)
print(f"{sys.argv[2]}: {len(out['features'])} features")
sys.exit(1 if bad else 0)
