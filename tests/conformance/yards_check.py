"""Checks planform's yard polygons against shapely, in the parcel's UTM
zone (pyproj): each yard is rebuilt independently as the parcel
intersected with the half-planes its definition names (front yard: before
the front building line; back yard: behind the rear building line; side
yards: between the two, beyond the building's extent along the front), and
planform's areaSquareMeters must equal the rebuilt area within 0.01 m²
(plus its 0.005 m² rounding), its geometry must be valid, counter-clockwise
(RFC 7946) and cover the rebuilt yard up to its 1e-7° coordinate rounding,
and no two yards may overlap, nor any yard the building.
Usage: yards_check.py OUT.json"""
import json, sys
from pyproj import Transformer
from shapely.geometry import Polygon, shape
from shapely.geometry import MultiPolygon
from shapely.ops import unary_union

d = json.load(open(sys.argv[1]))
feats = d["features"]
parcel = next(f for f in feats if (f.get("properties") or {}).get("catalogType") == "parcel")
ring = parcel["geometry"]["coordinates"][0]
if ring[0] == ring[-1]:
    ring = ring[:-1]
lon = sum(p[0] for p in ring) / len(ring); lat = sum(p[1] for p in ring) / len(ring)
to = Transformer.from_crs(4326, (32600 if lat >= 0 else 32700) + int((lon + 180) // 6) + 1, always_xy=True)
def proj(g):
    """A (multi)polygon's coordinates through pyproj."""
    polys = list(g.geoms) if g.geom_type == "MultiPolygon" else [g]
    out = [Polygon([to.transform(*c) for c in p.exterior.coords],
                   [[to.transform(*c) for c in h.coords] for h in p.interiors]) for p in polys]
    return out[0] if len(out) == 1 else MultiPolygon(out)
lot = Polygon([to.transform(*p) for p in ring])
buildings = [f for f in feats if (f.get("properties") or {}).get("catalogType") == "building"]
yards = [y for y in (d.get("yards") or []) if y.get("geometry")]
bad = []
if not buildings:
    if yards:
        bad.append("yards have ground without a building")
    print(f"{sys.argv[1]}: no building, no yard ground")
    sys.exit(1 if bad else 0)
house = max((Polygon([to.transform(*p) for p in f["geometry"]["coordinates"][0]]) for f in buildings), key=lambda p: p.area)
sides = d["parcel"]["sides"]
front = next((k for k, s in enumerate(sides) if s.get("role") == "front"), None)
if front is None:
    if yards:
        bad.append("yards have ground without a front side")
    sys.exit(1 if bad else 0)
starts = [s["index"] for s in sides]
a, b = starts[front], starts[(front + 1) % len(starts)]
p0, p1 = to.transform(*ring[a % len(ring)]), to.transform(*ring[b % len(ring)])
L = ((p1[0] - p0[0]) ** 2 + (p1[1] - p0[1]) ** 2) ** 0.5
u = ((p1[0] - p0[0]) / L, (p1[1] - p0[1]) / L)
ccw = Polygon(lot.exterior.coords).exterior.is_ccw
n = (-u[1], u[0]) if ccw else (u[1], -u[0])
depth = lambda p: (p[0] - p0[0]) * n[0] + (p[1] - p0[1]) * n[1]
along = lambda p: (p[0] - p0[0]) * u[0] + (p[1] - p0[1]) * u[1]
hc = list(house.exterior.coords)
d0, d1 = min(map(depth, hc)), max(map(depth, hc))
l0, l1 = min(map(along, hc)), max(map(along, hc))
BIG = 1e5
def box(s0, s1, t0, t1):
    """The region depth in [s0, s1], along in [t0, t1], as a polygon."""
    pt = lambda s, t: (p0[0] + u[0] * t + n[0] * s, p0[1] + u[1] * t + n[1] * s)
    return Polygon([pt(s0, t0), pt(s0, t1), pt(s1, t1), pt(s1, t0)])
ref = {
    "front": lot.intersection(box(-BIG, d0, -BIG, BIG)),
    "back": lot.intersection(box(d1, BIG, -BIG, BIG)),
    "side": lot.intersection(unary_union([box(d0, d1, -BIG, l0), box(d0, d1, l1, BIG)])),
}
got = {}
for y in yards:
    g = shape(y["geometry"])
    if not g.is_valid:
        bad.append(f"{y['id']}: invalid geometry")
    polys = list(g.geoms) if g.geom_type == "MultiPolygon" else [g]
    if any(not p.exterior.is_ccw for p in polys):
        bad.append(f"{y['id']}: a ring is not counter-clockwise")
    pg = proj(g)
    got[y["kind"]] = pg
    r = ref[y["kind"]]
    if abs(r.area - y["areaSquareMeters"]) > 0.015:
        bad.append(f"{y['id']}: area {y['areaSquareMeters']} vs shapely {r.area:.4f}")
    # 1e-7 degrees is at most 1.1 cm: the rounded outline stays within 2 cm
    if pg.symmetric_difference(r).area > pg.length * 0.02:
        bad.append(f"{y['id']}: differs from shapely's by {pg.symmetric_difference(r).area:.3f} m²")
for k, r in ref.items():
    if r.area > 0.01 and k not in got:
        bad.append(f"no {k} yard, shapely finds {r.area:.2f} m²")
kinds = list(got)
for i in range(len(kinds)):
    if got[kinds[i]].intersection(house).area > got[kinds[i]].length * 0.02:
        bad.append(f"{kinds[i]} yard overlaps the building")
    for j in range(i + 1, len(kinds)):
        ov = got[kinds[i]].intersection(got[kinds[j]]).area
        if ov > 0.05:
            bad.append(f"{kinds[i]} and {kinds[j]} yards overlap by {ov:.3f} m²")
for x in bad:
    print(x)
print(f"{sys.argv[1]}: {len(got)} yards checked ({', '.join(f'{k} {got[k].area:.1f} m²' for k in kinds)})")
sys.exit(1 if bad else 0)
