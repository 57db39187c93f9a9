"""Checks planform's parcel record and setback report against shapely and
pyproj: each side's geodesic length (pyproj.Geod on WGS84) within 1 mm,
and each side's distance to the primary building (shapely, in the UTM zone
of the parcel, through pyproj) within 1 mm.
With MINIMUMS.json (analyze's --minimums), the buildable envelope is
checked against shapely's exact construction: the parcel less every point
nearer a side than its setback (round buffers; an undecided side keeps the
strictest minimum), area within 1 % or 0.5 m², footprintFits equal to
shapely's containment.
Usage: setbacks_check.py OUT.json [MINIMUMS.json]"""
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
    from shapely.geometry import Point, shape
    from shapely.ops import transform, unary_union
    if len(sys.argv) > 2:
        mins = json.load(open(sys.argv[2]))
        strictest = max(v for v in mins.values() if v is not None)
        required = {s["id"]: mins.get(s.get("role"), strictest) if s.get("role") in mins else strictest for s in sides}
    else:
        rows = d["analysis"].get("setbackReport", {}).get("bySide", [])
        required = {r["sideId"]: r.get("requiredFeet") for r in rows}
    ours = transform(lambda x, y, z=None: to.transform(x, y), shape(env["geometry"]))
    # the exact construction: the parcel less every point nearer a side than
    # its setback (shapely's round buffers)
    need_of = lambda sid: (required.get(sid) or 0) * 0.3048
    parcel_poly = Polygon([to.transform(*p) for p in ring])
    strips = [g.buffer(need_of(sid)) for sid, g in geoms.items() if need_of(sid) > 0]
    exact = parcel_poly.difference(unary_union(strips)) if strips else parcel_poly
    for poly in (ours.geoms if hasattr(ours, "geoms") else [ours]):
        for x, y in poly.exterior.coords:
            p = Point(x, y)
            for sid, g in geoms.items():
                # the envelope's coordinates are rounded to 1e-7 degrees (~1 cm)
                if p.distance(g) < need_of(sid) - 0.02:
                    bad.append(f"envelope vertex {x:.2f},{y:.2f} is {p.distance(g):.3f} m from {sid}, needs {need_of(sid):.3f}")
    # the coordinates are rounded to 1e-7 degrees (at most 0.56 cm each
    # way): the area they draw moves by up to that times the perimeter
    if abs(ours.area - env["areaSqm"]) > max(0.5, 0.0056 * ours.length):
        bad.append(f"envelope area {env['areaSqm']} vs its own geometry's {ours.area:.2f}")
    # against the exact construction: within 1 % or 0.5 m²
    if abs(env["areaSqm"] - exact.area) > max(0.5, 0.01 * exact.area):
        bad.append(f"envelope area {env['areaSqm']} vs shapely's exact {exact.area:.2f}")
    if buildings and env.get("footprintFits") is not None:
        # the footprint fits the exact region (1 cm of slack for rounding)
        fits = exact.buffer(0.01).contains(fp)
        if fits != env["footprintFits"]:
            bad.append(f"footprintFits {env['footprintFits']} vs shapely {fits}")
    print(f"envelope {env['areaSqm']} m² vs exact {exact.area:.2f} m²")
for b in bad: print(b)
print(f"{sys.argv[1]}: {len(sides)} sides checked")
sys.exit(1 if bad else 0)
