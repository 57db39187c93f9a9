#!/usr/bin/env python3
"""A synthetic county from the real Cambridge, MA lots (../shared/data/site/cambridge_ma):
the 147 lots with their right-of-way polygon and street centrelines, copied onto a
K x K grid 0.01 degrees apart (about 1 km: no copy comes within another's reach), so
that every copy of a lot must get its original's roles.

    python3 scripts/make_county.py OUT_DIR PARCELS [CAMBRIDGE_DIR]

writes OUT_DIR/parcels.geojsonl (one lot per line, `ML` suffixed with `#` and the
copy), OUT_DIR/row.geojson and OUT_DIR/roads.geojson: whole copies, as many as give at
least PARCELS lots (a copy cut short would leave its last lots without their
neighbours).
"""
import json
import math
import os
import sys

STEP = 0.01


def shifted(coords, dx, dy):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0] + dx, 9), round(coords[1] + dy, 9)]
    return [shifted(c, dx, dy) for c in coords]


def main():
    out, want = sys.argv[1], int(sys.argv[2])
    src = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        os.path.dirname(__file__), "..", "..", "shared", "data", "site", "cambridge_ma")
    load = lambda f: json.load(open(os.path.join(src, f)))
    lots = load("cambridge_parcels_fy2014.geojson")["features"]
    row = load("cambridge_row_fy2014.geojson")["features"]
    roads = load("cambridge_centerlines.geojson")["features"]
    copies = math.ceil(want / len(lots))
    k = math.ceil(math.sqrt(copies))
    os.makedirs(out, exist_ok=True)
    n = 0
    row_out, roads_out = [], []
    with open(os.path.join(out, "parcels.geojsonl"), "w") as f:
        for c in range(copies):
            dx, dy = STEP * (c % k), STEP * (c // k)
            for lot in lots:
                g = lot["geometry"]
                props = dict(lot["properties"])
                props["ML"] = f"{props['ML']}#{c}"
                f.write(json.dumps({"type": "Feature", "properties": props, "geometry": {
                    "type": g["type"], "coordinates": shifted(g["coordinates"], dx, dy)}},
                    separators=(",", ":")) + "\n")
                n += 1
            for feats, dest in ((row, row_out), (roads, roads_out)):
                for ft in feats:
                    g = ft["geometry"]
                    dest.append({"type": "Feature", "properties": ft["properties"], "geometry": {
                        "type": g["type"], "coordinates": shifted(g["coordinates"], dx, dy)}})
    for name, feats in (("row.geojson", row_out), ("roads.geojson", roads_out)):
        with open(os.path.join(out, name), "w") as f:
            json.dump({"type": "FeatureCollection", "features": feats}, f, separators=(",", ":"))
    print(f"{n} parcels in {copies} copies on a {k} x {k} grid -> {out}")



if __name__ == "__main__":
    main()
