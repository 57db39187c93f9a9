"""Checks planform's street frontages against a right-of-way polygon with
shapely and pyproj: each side of the parcel record (rebuilt from its start
indices) is measured in the parcel's UTM zone for the share of its length
within 1.5 m of the right-of-way's boundary (every ring: the blocks are its
holes). A side mostly along it (>= 65 %) must be a front, exterior side or
rear; a side mostly off it (<= 35 %) must be neither a front nor an
exterior side; a parcel with a side along it has exactly one front.
Sides in between, and sides under 3 m (within the tolerance of the lot
next door as much as of the street), are not judged.
Usage: row_sides_check.py OUT.json ROW.geojson"""
import json, sys
from pyproj import Transformer
from shapely.geometry import LineString, shape

d = json.load(open(sys.argv[1]))
row = shape(json.load(open(sys.argv[2]))["features"][0]["geometry"])
parcel = next(f for f in d["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon"))
g = parcel["geometry"]
ring = g["coordinates"][0] if g["type"] == "Polygon" else max((p[0] for p in g["coordinates"]), key=len)
if ring[0] == ring[-1]:
    ring = ring[:-1]
lon, lat = ring[0]
to = Transformer.from_crs(4326, (32600 if lat >= 0 else 32700) + int((lon + 180) // 6) + 1, always_xy=True)
polys = [row] if row.geom_type == "Polygon" else list(row.geoms)
near = None
for p in polys:
    for r in [p.exterior, *p.interiors]:
        b = LineString([to.transform(*c) for c in r.coords]).buffer(1.5)
        near = b if near is None else near.union(b)
sides = d["parcel"]["sides"]
starts = [s["index"] for s in sides]
bad, along = [], []
for k, s in enumerate(sides):
    a, b = starts[k], starts[(k + 1) % len(starts)]
    idx = list(range(a, b + 1)) if b > a else list(range(a, len(ring))) + list(range(0, b + 1))
    line = LineString([to.transform(*ring[i % len(ring)]) for i in idx])
    share = line.intersection(near).length / line.length if line.length > 0 else 0.0
    role = s.get("role")
    if line.length < 3.0:
        continue  # a jog within the tolerance of everything around it
    if share >= 0.65:
        along.append(k)
        if role not in ("front", "exterior", "rear"):
            bad.append(f"side {k} ({share:.0%} along the right-of-way) is {role}")
    elif share <= 0.35 and role in ("front", "exterior"):
        bad.append(f"side {k} ({share:.0%} along the right-of-way) is {role}")
fronts = [k for k, s in enumerate(sides) if s.get("role") == "front"]
if along and len(fronts) != 1:
    bad.append(f"{len(fronts)} fronts")
for b in bad:
    print(b)
print(f"{sys.argv[1]}: {len(sides)} sides, {len(along)} along the right-of-way, roles {[s.get('role') for s in sides]}")
sys.exit(1 if bad else 0)
