#!/usr/bin/env python3
"""The issue's floor for a county batch: shapely 2 (GEOS) and pyproj, one process, one
thread, on the same parcels: to_crs (WGS84 -> the UTM zone, all coordinates at once)
plus a negative buffer of 5 ft (the smallest setback) of every parcel, nothing else.
Reading the file and building the polygons is not timed.

    python3 scripts/peers/shapely_county.py PARCELS.geojsonl
"""
import json
import sys
import time

import numpy as np
import shapely
from pyproj import Transformer


def main():
    polys = []
    with open(sys.argv[1]) as f:
        for line in f:
            g = json.loads(line)["geometry"]
            polys.append(shapely.geometry.shape(g))
    geoms = np.array(polys, dtype=object)
    lon = float(np.mean([p.representative_point().x for p in polys[:100]]))
    zone = int((lon + 180) // 6) + 1
    t = Transformer.from_crs(4326, 32600 + zone, always_xy=True)
    start = time.perf_counter()
    local = shapely.transform(geoms, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    mid = time.perf_counter()
    inner = shapely.buffer(local, -5 * 0.3048)
    end = time.perf_counter()
    area = float(shapely.area(inner).sum())
    print(f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}): {len(polys)} parcels, "
          f"to_crs {mid - start:.2f} s + buffer(-5 ft) {end - mid:.2f} s = {end - start:.2f} s "
          f"({(end - start) / len(polys) * 1e6:.1f} us per parcel; inner area {area:.0f} m2)")


if __name__ == "__main__":
    main()
