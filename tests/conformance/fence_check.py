"""Checks planform's fence layout against shapely and pyproj: the lines'
total length, and the length within 1 m of the plan's existing fences and
hedges (reused), in a transverse Mercator centred on the parcel, equal to
`totalLengthFeet` / `reusedLengthFeet` within 0.2 ft (their 0.1 ft
rounding and the lines' 1e-7 degree positions); on a lot without a
building every line lies on the parcel's boundary; every gate's ends lie on
a fence line and on a driveway's or walkway's outline (within 5 cm); a lot without a layout
has no front side.
Usage: fence_check.py OUT.json"""
import json, sys
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, shape
from shapely.ops import unary_union

d = json.load(open(sys.argv[1]))
layout = (d.get("analysis") or {}).get("fenceLayout")
if not layout:
    fronts = [s for s in (d.get("parcel") or {}).get("sides") or [] if s.get("role") == "front"]
    print(f"{sys.argv[1]}: no fence layout" + (" but a front side" if fronts else " (no front side)"))
    sys.exit(1 if fronts else 0)
kind = lambda f: (f.get("properties") or {}).get("catalogType")
parcel = next(f for f in d["features"] if kind(f) == "parcel")
lon, lat = parcel["geometry"]["coordinates"][0][0]
to = Transformer.from_crs(4326, f"+proj=tmerc +lon_0={lon} +lat_0={lat} +k=1 +ellps=WGS84", always_xy=True)
def local(geom):
    return shapely.transform(shape(geom), lambda xy: np.column_stack(to.transform(xy[:, 0], xy[:, 1])))

lines = [LineString([to.transform(*p) for p in l]) for l in layout["lines"]]
ft = 0.3048
bad = []
total = sum(l.length for l in lines) / ft
if abs(total - layout["totalLengthFeet"]) > 0.2:
    bad.append(f"total {layout['totalLengthFeet']} ft vs shapely {total:.2f} ft")
barriers = [local(f["geometry"]) for f in d["features"] if kind(f) in ("fence", "hedge")]
barriers = [b.boundary if b.geom_type in ("Polygon", "MultiPolygon") else b for b in barriers]
if barriers:
    zone = unary_union([b.buffer(1.0, quad_segs=64) for b in barriers])
    reused = sum(l.intersection(zone).length for l in lines) / ft
else:
    reused = 0.0
if abs(reused - layout["reusedLengthFeet"]) > 0.2:
    bad.append(f"reused {layout['reusedLengthFeet']} ft vs shapely {reused:.2f} ft")
if not any(kind(f) == "building" for f in d["features"]):
    ring = local(parcel["geometry"]).exterior
    for l in lines:
        if l.hausdorff_distance(l.intersection(ring.buffer(0.05))) > 0.05:
            bad.append(f"a line leaves the parcel's boundary: {l.wkt[:80]}")
openings = [local(f["geometry"]).boundary for f in d["features"]
            if kind(f) == "driveway" or (kind(f) == "surface" and (f["properties"].get("kind") == "walkway"))]
fence = unary_union(lines) if lines else None
for g in d.get("gates") or []:
    for p in g["coordinates"]:
        q = Point(*to.transform(*p))
        if fence is None or q.distance(fence) > 0.05 or min((o.distance(q) for o in openings), default=1e9) > 0.05:
            bad.append(f"gate end {p} is not where a fence line meets a driveway")
for b in bad:
    print(b)
print(f"{sys.argv[1]}: {len(lines)} lines, {total:.1f} ft, {reused:.1f} ft reused, {len(d.get('gates') or [])} gates")
sys.exit(1 if bad else 0)
