#!/usr/bin/env python3
"""Every copy of a lot in a synthetic county (scripts/make_county.py) has its
original's roles and class: `python3 scripts/peers/county_check.py OUT.{geojson,parquet}`
(GeoParquet read by pyarrow)."""
import json
import sys

if sys.argv[1].endswith(".parquet"):
    import pyarrow.parquet as pq

    t = pq.read_table(sys.argv[1], columns=["ML", "roles", "class", "error"]).to_pylist()
    rows = [{"properties": r} for r in t]
else:
    rows = json.load(open(sys.argv[1]))["features"]
first = {}
for r in rows:
    ml, copy = r["properties"]["ML"].rsplit("#", 1)
    first.setdefault(ml, (r["properties"]["roles"], r["properties"]["class"]))
bad = [r["properties"]["ML"] for r in rows
       if (r["properties"]["roles"], r["properties"]["class"]) != first[r["properties"]["ML"].rsplit("#", 1)[0]]]
errors = sum(1 for r in rows if r["properties"]["error"])
print(f"{len(rows)} rows, {len(first)} lots: {len(bad)} copies differ from their original, {errors} errors")
sys.exit(1 if bad or errors else 0)
