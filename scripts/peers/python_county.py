#!/usr/bin/env python3
"""The Python package on the synthetic county (scripts/make_county.py, then
scripts/peers/county_formats.py write): planform.analyze_parcels on the GeoParquet
parcels read by geopandas (one thread, and all cores), and planform.distributed on a
two-worker Dask LocalCluster (one thread each) against one process; the rows compared.

    python3 scripts/peers/python_county.py DIR
"""
import json
import sys
import time

import geopandas as gpd

import planform


def main():
    d = sys.argv[1]
    parcels = gpd.read_parquet(f"{d}/parcels.parquet")
    roads = gpd.read_parquet(f"{d}/roads.parquet")
    row = gpd.read_parquet(f"{d}/row.parquet")
    minimums = json.load(open("fixtures/analyzed/minimums.json"))
    times = {}
    for threads in (1, 2):
        start = time.perf_counter()
        out, sides = planform.analyze_parcels(parcels, roads=roads, row=row, minimums=minimums,
                                              id_field="ML", threads=threads)
        times[threads] = time.perf_counter() - start
        print(f"planform.analyze_parcels, {len(parcels)} parcels, {threads} thread(s): {times[threads]:.2f} s "
              f"({len(sides)} sides, {out['error'].notna().sum()} errors)")

    if "--dask" in sys.argv:
        import dask_geopandas
        from distributed import Client, LocalCluster

        from planform import distributed

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c, \
                Client(c):
            # spatially compact partitions (Hilbert order), as a county batch would
            # use, shuffled and held on the workers before the clock starts
            from distributed import wait

            ddf = dask_geopandas.from_geopandas(parcels, npartitions=8).spatial_shuffle(npartitions=8)
            ddf = ddf.persist()
            wait(ddf)
            start = time.perf_counter()
            got, _ = distributed.analyze_parcels(ddf, roads=roads, row=row, minimums=minimums,
                                                          id_field="ML")
            got = got.compute()
            t = time.perf_counter() - start
        key = lambda df: sorted(zip(df["ML"], (tuple(r) for r in df["roles"]), df["class"]))
        same = len(got) == len(out) and key(got) == key(out)
        print(f"planform.distributed, 2 workers x 1 thread, 8 spatial partitions: {t:.2f} s "
              f"({times[1] / t:.2f}x one process on one thread); rows equal: {same}")


if __name__ == "__main__":
    main()
