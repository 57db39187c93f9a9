"""Checks planform's parcel record and setback report against shapely and
pyproj: each side's geodesic length (pyproj.Geod on WGS84) within 1 mm,
and each side's distance to the primary building (shapely, in the UTM zone
of the parcel, through pyproj) within 1 mm.
Usage: setbacks_check.py OUT.json"""
import json, sys
from pyproj import Geod, Transformer
from shapely.geometry import LineString, Polygon

d = json.load(open(sys.argv[1]))
parcel = next(f for f in d["features"] if (f.get("properties") or {}).get("catalogType") == "parcel")
ring = parcel["geometry"]["coordinates"][0]
if ring[0] == ring[-1]: ring = ring[:-1]
lon = sum(p[0] for p in ring) / len(ring); lat = sum(p[1] for p in ring) / len(ring)
to = Transformer.from_crs(4326, (32600 if lat >= 0 else 32700) + int((lon + 180) // 6) + 1, always_xy=True)
sides = d["parcel"]["sides"]
starts = [s["index"] for s in sides]
g = Geod(ellps="WGS84")
bad = []
geoms = {}
for k, s in enumerate(sides):
    a, b = starts[k], starts[(k + 1) % len(starts)]
    idx = list(range(a, b + 1)) if b > a else list(range(a, len(ring))) + list(range(0, b + 1))
    pts = [ring[i % len(ring)] for i in idx]
    metres = sum(g.inv(*pts[i], *pts[i + 1])[2] for i in range(len(pts) - 1))
    if abs(metres - s["measuredLengthMeters"]) > 1e-3:
        bad.append(f"{s['id']}: length {s['measuredLengthMeters']} vs pyproj {metres:.4f}")
    geoms[s["id"]] = LineString([to.transform(*p) for p in pts])
buildings = [f for f in d["features"] if (f.get("properties") or {}).get("catalogType") == "building"]
if buildings:
    fp = max((Polygon([to.transform(*p) for p in f["geometry"]["coordinates"][0]]) for f in buildings), key=lambda p: p.area)
    for row in d["analysis"]["setbackReport"]["bySide"]:
        ref = fp.exterior.distance(geoms[row["sideId"]]) / 0.3048
        if abs(ref - row["actualFeet"]) > 1e-3 / 0.3048:
            bad.append(f"{row['sideId']}: {row['actualFeet']} ft vs shapely {ref:.4f} ft")
env = (d.get("analysis") or {}).get("buildableEnvelope")
if env:
    from shapely.geometry import Point
    required = {r["sideId"]: r.get("requiredFeet") for r in d["analysis"]["setbackReport"]["bySide"]}
    for lon_, lat_ in env["coordinates"]:
        p = Point(*to.transform(lon_, lat_))
        for sid, g in geoms.items():
            need = (required.get(sid) or 0) * 0.3048
            # the envelope's coordinates are rounded to 1e-7 degrees (~1 cm)
            if p.distance(g) < need - 0.02:
                bad.append(f"envelope vertex {lon_},{lat_} is {p.distance(g):.3f} m from {sid}, needs {need:.3f}")
    poly = Polygon([to.transform(*c) for c in env["coordinates"]])
    # the coordinates are rounded to 1e-7 degrees (at most 0.56 cm each
    # way): the area of the polygon they draw moves by up to that times
    # its perimeter
    if abs(poly.area - env["areaSqm"]) > max(0.5, 0.0056 * poly.length):
        bad.append(f"envelope area {env['areaSqm']} vs shapely {poly.area:.2f}")
for b in bad: print(b)
print(f"{sys.argv[1]}: {len(sides)} sides checked")
sys.exit(1 if bad else 0)
