#!/usr/bin/env python3
"""The synthetic county (scripts/make_county.py) as GeoParquet and GeoPackage, written by
geopandas, and geopandas' own timing on the GeoParquet parcels: read_parquet, to_crs to
the UTM zone, buffer(-5 ft), to_parquet of the buffered parcels (the issue's floor, with
the columnar read and write a pipeline does around it).

    python3 scripts/peers/county_formats.py write DIR     # DIR/*.parquet, DIR/parcels.gpkg
    python3 scripts/peers/county_formats.py peer DIR      # geopandas' timed run
"""
import sys
import time

import geopandas as gpd


def write(d):
    parcels = gpd.read_file(f"{d}/parcels.geojsonl", driver="GeoJSONSeq")
    parcels.to_parquet(f"{d}/parcels.parquet", compression="zstd")
    parcels.to_file(f"{d}/parcels.gpkg", driver="GPKG", layer="parcels")
    for name in ("roads", "row"):
        gpd.read_file(f"{d}/{name}.geojson").to_parquet(f"{d}/{name}.parquet", compression="zstd")
    print(f"{len(parcels)} parcels as GeoParquet and GeoPackage in {d}")


def peer(d):
    start = time.perf_counter()
    parcels = gpd.read_parquet(f"{d}/parcels.parquet")
    read = time.perf_counter()
    zone = int((parcels.geometry.iloc[:100].representative_point().x.mean() + 180) // 6) + 1
    local = parcels.to_crs(32600 + zone)
    crs = time.perf_counter()
    local["geometry"] = local.geometry.buffer(-5 * 0.3048)
    buffered = time.perf_counter()
    local.to_parquet(f"{d}/geopandas_out.parquet", compression="zstd")
    end = time.perf_counter()
    print(f"geopandas {gpd.__version__}: {len(parcels)} parcels, read_parquet {read - start:.2f} s"
          f" + to_crs {crs - read:.2f} s + buffer(-5 ft) {buffered - crs:.2f} s"
          f" + to_parquet {end - buffered:.2f} s = {end - start:.2f} s")


if __name__ == "__main__":
    {"write": write, "peer": peer}[sys.argv[1]](sys.argv[2])
