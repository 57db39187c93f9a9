"""Shade against pvlib + shapely: for a site plan and planform's sample
points (WGS84 longitude/latitude with their sun hours), recompute each point's
sun hours independently: sun positions from pvlib's SPA at the same local
times (every STEP minutes, the middle of each step, UTC offset round(lon/15)),
obstacles from the plan with the documented default heights, projected to
the same UTM zone by pyproj, shadows as shapely polygons (the outline swept
along the shadow direction by height / tan(elevation)).
Usage: shade_check.py PLAN.json POINTS.json YEAR MONTH DAY STEP"""
import json, math, sys
import numpy as np
import pandas as pd
from pvlib import spa
from pyproj import Transformer
from shapely.geometry import Polygon, LineString, Point, MultiPoint
from shapely.ops import unary_union
from shapely.prepared import prep

plan = json.load(open(sys.argv[1])); pts = json.load(open(sys.argv[2]))
year, month, day, step = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
parcel = next(f for f in plan["features"] if (f.get("properties") or {}).get("catalogType") == "parcel")
ring = parcel["geometry"]["coordinates"][0]
lon = sum(p[0] for p in ring) / len(ring); lat = sum(p[1] for p in ring) / len(ring)
epsg = (32600 if lat >= 0 else 32700) + int((lon + 180) // 6) + 1
to = Transformer.from_crs(4326, epsg, always_xy=True)
FT = 0.3048
def attrs(f): return ((f.get("properties") or {}).get("attrs")) or {}
def pos(v): return isinstance(v, (int, float)) and v > 0
obstacles = []
for f in plan["features"]:
    t = (f.get("properties") or {}).get("catalogType"); a = attrs(f); g = f.get("geometry")
    if not g: continue
    if t == "building": h = a["heightM"] if pos(a.get("heightM")) else (a["stories"] * 3.0 if pos(a.get("stories")) else 6.0)
    elif t == "structure": h = a["heightM"] if pos(a.get("heightM")) else 3.0
    elif t in ("tree", "trees"): h = a["heightM"] if pos(a.get("heightM")) else 8.0
    elif t in ("hedge", "fence", "privacy_hedge", "shrub_row"): h = a["heightFt"] * FT if pos(a.get("heightFt")) else 1.8
    else: continue
    if g["type"] == "Polygon": shapes = [[to.transform(*p) for p in g["coordinates"][0]]]
    elif g["type"] == "LineString": shapes = [[to.transform(*p) for p in g["coordinates"]]]
    elif g["type"] == "Point":
        r = a["canopyRadiusM"] if pos(a.get("canopyRadiusM")) else 3.0
        cx, cy = to.transform(*g["coordinates"])
        disc = [(cx + r * math.cos(2 * math.pi * k / 16), cy + r * math.sin(2 * math.pi * k / 16)) for k in range(16)]
        shapes = [disc + [disc[0]]]
    else: continue
    obstacles += [(s, h) for s in shapes]
offset = round(lon / 15)
n = int(round(24 * 60 / step))
local = pd.Timestamp(year=year, month=month, day=day, tz="UTC")
times = [local + pd.Timedelta(minutes=(k + 0.5) * step) - pd.Timedelta(hours=offset) for k in range(n)]
unix = np.array([t.timestamp() for t in times])
dt = float(pts["delta_t"])
_, zen, _, _, az, _ = spa.solar_position_numpy(unix, lat, lon, 0.0, 1013.25, 12.0, np.full(n, dt), 0.5667, 1, sst=False)
shadows = []
for z, a in zip(zen, az):
    e = 90.0 - z
    if e <= 0: continue
    d = (-math.sin(math.radians(a)), -math.cos(math.radians(a)))  # shadows fall away from the sun
    parts = []
    for s, h in obstacles:
        L = min(h / math.tan(math.radians(e)), 1000.0)
        moved = [(x + d[0] * L, y + d[1] * L) for x, y in s]
        for i in range(len(s) - 1):
            quad = MultiPoint([s[i], s[i + 1], moved[i], moved[i + 1]]).convex_hull
            parts.append(quad)
        if len(s) >= 4 and s[0] == s[-1]: parts.append(Polygon(s))
    shadows.append(prep(unary_union(parts)) if parts else None)
hours_step = step / 60.0
diffs = []
for p in pts["points"]:
    q = Point(*to.transform(p[0], p[1]))
    lit = sum(1 for sh in shadows if sh is None or not sh.contains(q))
    diffs.append(abs(lit * hours_step - p[2]))
diffs = np.array(diffs)
share = float((diffs > 1e-9).mean())
print(f"{len(diffs)} points, {len(shadows)} sun steps, {len(obstacles)} obstacles: {share * 100:.2f}% differ, mean |Δ| {diffs.mean():.4f} h, max {diffs.max():.2f} h")
sys.exit(0 if share <= 0.001 else 1)
