"""The peer of planform's buildable envelope: shapely's exact construction
(the parcel less the union of each side's round buffer at its setback, then
whether the building's footprint fits), timed on analysed plans whose sides
and setback report planform wrote. Only the geometry is timed (the
projection to UTM by pyproj is done once, outside the loop), so this is a
lower bound for a shapely pipeline.
Usage: shapely_envelope.py ANALYSED.json..."""
import json, os, sys, timeit
from pyproj import Transformer
from shapely.geometry import LineString, Polygon
from shapely.ops import unary_union

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tests/conformance"))
from plan_json import parcel_sides

for path in sys.argv[1:]:
    d = json.load(open(path))
    parcel = next(f for f in d["features"] if (f.get("properties") or {}).get("catalogType") == "parcel")
    ring = parcel["geometry"]["coordinates"][0]
    if ring[0] == ring[-1]: ring = ring[:-1]
    lon = sum(p[0] for p in ring) / len(ring); lat = sum(p[1] for p in ring) / len(ring)
    to = Transformer.from_crs(4326, (32600 if lat >= 0 else 32700) + int((lon + 180) // 6) + 1, always_xy=True)
    lines = [(LineString([to.transform(*p[:2]) for p in pts]), attrs.get("requiredFeet", 0) * 0.3048)
             for pts, attrs in parcel_sides(d)]
    poly = Polygon([to.transform(*p) for p in ring])
    building = max((Polygon([to.transform(*p) for p in f["geometry"]["coordinates"][0]])
                    for f in d["features"] if (f.get("properties") or {}).get("catalogType") == "building"),
                   key=lambda p: p.area)

    def envelope():
        region = poly.difference(unary_union([g.buffer(r) for g, r in lines if r > 0]))
        return region.area, region.contains(building)

    loops = 200
    best = min(timeit.repeat(envelope, number=loops, repeat=7)) / loops
    area, fits = envelope()
    print(f"shapely envelope {path.rsplit('/', 1)[-1]}: {best * 1e6:.1f} us ({area:.2f} m², fits {fits})")
