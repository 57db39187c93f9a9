"""Sun positions against pvlib's NREL SPA (pvlib.spa, numpy): geometric
zenith and azimuth within 0.001°. Input: a JSON list of {lat, lon, unix,
delta_t, azimuth, zenith}. Usage: sun_check.py POSITIONS.json"""
import json, sys
import numpy as np
from pvlib import spa

rows = json.load(open(sys.argv[1]))
worst_z = worst_a = 0.0
for (lat, lon) in sorted({(r["lat"], r["lon"]) for r in rows}):
    rs = [r for r in rows if r["lat"] == lat and r["lon"] == lon]
    t = np.array([r["unix"] for r in rs], dtype=float)
    dt = np.array([r["delta_t"] for r in rs], dtype=float)
    _, zen, _, _, az, _ = spa.solar_position_numpy(t, lat, lon, 0.0, 1013.25, 12.0, dt, 0.5667, 1, sst=False)
    for r, z0, a0 in zip(rs, zen, az):
        worst_z = max(worst_z, abs(r["zenith"] - z0))
        d = abs(r["azimuth"] - a0) % 360.0
        worst_a = max(worst_a, min(d, 360.0 - d))
print(f"{len(rows)} positions: max |Δzenith| {worst_z:.2e}°, max |Δazimuth| {worst_a:.2e}°")
sys.exit(0 if worst_z < 1e-3 and worst_a < 1e-3 else 1)
