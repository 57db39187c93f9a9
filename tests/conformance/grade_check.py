"""Lot grade of Delft's private yards against gdaldem and shapely: for each
yard in PLANFORM.json (a list of {"ring": [[lon, lat], ...], "grade":
{...}}), the DTM cells whose centres shapely finds inside the ring
(projected to EPSG:28992 by pyproj) give the reference mean of gdaldem's
slope, relief, and dominant 8-sector aspect.
With --tolerant (planform built without system PROJ: its EPSG:28992 differs
from PROJ's by millimetres, which moves a boundary cell in or out of a few
yards), up to an eighth of the yards may differ, each mean by at most 0.05°.
Usage: grade_check.py PLANFORM.json DTM.tif SLOPE.tif ASPECT.tif [--tolerant]"""
import json, sys
import numpy as np
from osgeo import gdal
from pyproj import Transformer
from shapely.geometry import Polygon, Point
from shapely.prepared import prep

tolerant = "--tolerant" in sys.argv
yards = json.load(open(sys.argv[1]))
worst = 0.0
z = gdal.Open(sys.argv[2]); gt = z.GetGeoTransform(); z = z.ReadAsArray().astype(float)
slope = gdal.Open(sys.argv[3]).ReadAsArray().astype(float)
aspect = gdal.Open(sys.argv[4]).ReadAsArray().astype(float)
to = Transformer.from_crs(4326, 28992, always_xy=True)
names = ["north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"]
bad = 0; checked = 0
for k, y in enumerate(yards):
    poly = Polygon([to.transform(*p) for p in y["ring"]]); pp = prep(poly)
    x0, y0, x1, y1 = poly.bounds
    c0 = max(0, int((x0 - gt[0]) / gt[1]) - 1); c1 = min(z.shape[1], int((x1 - gt[0]) / gt[1]) + 2)
    r0 = max(0, int((y1 - gt[3]) / gt[5]) - 1); r1 = min(z.shape[0], int((y0 - gt[3]) / gt[5]) + 2)
    cells = [(r, c) for r in range(r0, r1) for c in range(c0, c1)
             if pp.contains(Point(gt[0] + (c + 0.5) * gt[1], gt[3] + (r + 0.5) * gt[5]))]
    g = y["grade"]
    if not cells:
        if g is not None: print(k, "planform found cells, shapely none"); bad += 1
        continue
    checked += 1
    rr = np.array([r for r, _ in cells]); cc = np.array([c for _, c in cells])
    mean = slope[rr, cc].mean(); relief = z[rr, cc].max() - z[rr, cc].min()
    a = aspect[rr, cc]; a = a[a >= 0]
    counts = np.bincount(((a + 22.5) % 360 // 45).astype(int), minlength=8)
    dominant = names[int(np.argmax(counts))] if a.size else "flat"
    problems = []
    if g is None: problems.append("planform found no cell")
    else:
        if abs(g["meanSlopeDeg"] - mean) > 1e-3:
            problems.append(f"mean slope {g['meanSlopeDeg']} vs {mean:.5f}")
            worst = max(worst, abs(g["meanSlopeDeg"] - mean))
        if abs(g["reliefMeters"] - relief) > 1e-3: problems.append(f"relief {g['reliefMeters']} vs {relief:.4f}")
        if g["dominantAspect"] != dominant: problems.append(f"aspect {g['dominantAspect']} vs {dominant} {counts.tolist()}")
    if problems: print(k, len(cells), "cells:", "; ".join(problems)); bad += 1
print(f"{checked} yards checked, {bad} differ (largest mean-slope difference {worst:.4f}°)")
ok = bad == 0 or (tolerant and bad * 8 <= checked and worst <= 0.05)
sys.exit(0 if ok else 1)
