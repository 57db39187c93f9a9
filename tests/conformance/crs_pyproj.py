"""Reference values for tests/conformance_crs.rs, computed with pyproj (PROJ
and GeographicLib's geodesic code), which planform does not share code with.

Input (argv[1]): JSON list of cases {"epsg", "lonlat": [[lon, lat], ...],
"xy": [[x, y], ...] (planform's projection), "closed": bool,
"length_m", "area_m2" (planform's geodesic measures)}.
Output (stdout): JSON with the largest deviations, per EPSG code for xy.
"""
import json, sys
from pyproj import Geod, Transformer

cases = json.load(open(sys.argv[1]))
geod = Geod(ellps="WGS84")
transformers = {}
out = {"xy_max_m": {}, "length_max_m": 0.0, "area_max_m2": 0.0, "area_max_rel": 0.0, "n": len(cases)}
for c in cases:
    epsg = c["epsg"]
    t = transformers.get(epsg) or transformers.setdefault(
        epsg, Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True))
    lons = [p[0] for p in c["lonlat"]]
    lats = [p[1] for p in c["lonlat"]]
    xs, ys = t.transform(lons, lats)
    dev = max(((x - p[0]) ** 2 + (y - p[1]) ** 2) ** 0.5 for x, y, p in zip(xs, ys, c["xy"]))
    key = str(epsg) if epsg < 32601 or epsg > 32760 else "utm"
    out["xy_max_m"][key] = max(out["xy_max_m"].get(key, 0.0), dev)
    length = geod.line_length(lons, lats)
    out["length_max_m"] = max(out["length_max_m"], abs(length - c["length_m"]))
    if c["closed"]:
        area = abs(geod.polygon_area_perimeter(lons, lats)[0])
        out["area_max_m2"] = max(out["area_max_m2"], abs(area - c["area_m2"]))
        if area > 0:
            out["area_max_rel"] = max(out["area_max_rel"], abs(area - c["area_m2"]) / area)
print(json.dumps(out))
