"""planform on Dask: ``analyze_parcels`` over a dask-geopandas GeoDataFrame.

Each partition runs on a Dask worker as one ``planform.analyze_parcels`` call. What a
parcel's answer depends on is shipped with it: the parcels of the other partitions
within a margin of the partition's bounds (the fabric that tells a shared lot line from
a street frontage) and the context layers (roads, right-of-way, buildings), each put in
the graph once (so sent once per worker) and clipped on the worker to the partition's
bounds plus the margin. The neighbours are the other partitions clipped, where they are,
to the partition's box grown by the margin (only partitions whose bounds meet it), so
only those rows move; a spatially partitioned input (`spatial_shuffle`) keeps that small. The margin (250 m by default) is wider than anything the
analysis looks at (roads 70 m, the fabric and the right-of-way 11.5 m), so the rows
equal one process's, whatever the partitioning.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import pandas as pd

from . import analyze_parcels as _analyze

__all__ = ["analyze_parcels"]


def _grown(bounds, margin_m: float, geographic: bool):
    x0, y0, x1, y1 = bounds
    if geographic:
        dy = margin_m / 110_574.0
        lat = max(abs(y0), abs(y1))
        dx = margin_m / (111_320.0 * max(math.cos(math.radians(min(lat, 89.0))), 0.01))
    else:
        dx = dy = margin_m
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def _clip(gdf, box):
    if gdf is None or len(gdf) == 0:
        return gdf
    return gdf.cx[box[0]:box[2], box[1]:box[3]]


def _partition(part, near, roads, row, buildings, minimums, id_field, margin_m):
    import geopandas as gpd

    if len(part) == 0:
        return None
    geographic = part.crs is None or part.crs.is_geographic
    box = _grown(part.total_bounds, margin_m, geographic)
    near = [n for n in near if n is not None and len(n)]
    layer = gpd.GeoDataFrame(pd.concat([part, *near], ignore_index=True), crs=part.crs)
    out, sides = _analyze(
        layer,
        roads=_clip(roads, box),
        row=_clip(row, box),
        buildings=_clip(buildings, box),
        minimums=minimums,
        id_field=id_field,
        threads=1,
        _first=len(part),
    )
    return out, sides


def _meets(a, b):
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def analyze_parcels(ddf: Any, *, roads: Any = None, row: Any = None, buildings: Any = None,
                    minimums: Any = None, id_field: Optional[str] = None,
                    margin_m: float = 250.0):
    """``planform.analyze_parcels`` over a dask-geopandas GeoDataFrame, a partition per
    task: (ddf_out, ddf_sides), dask-geopandas GeoDataFrames with the columns of
    ``analyze --batch`` and one partition per input partition. Without an ``id_field``
    the ids are the row index within each partition (give one for ids that hold across
    partitions)."""
    import dask
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401  (registers GeoDataFrame partitions with dask)

    # the columns and types, from a one-parcel run on this process
    sample = ddf.partitions[0].head(1)
    meta = tuple(m.iloc[0:0] for m in _partition(sample, [], None, None, None, minimums,
                                                  id_field, margin_m))
    parts = ddf.to_delayed()
    # each partition's box grown by the margin; the neighbours it needs are the
    # other partitions clipped to it, on the workers that hold them (only the
    # clipped rows move), and only where the boxes meet
    geographic = ddf.crs is None or ddf.crs.is_geographic
    bounds = dask.compute(*[dask.delayed(lambda g: tuple(g.total_bounds) if len(g) else None)(p)
                            for p in parts])
    boxes = [None if b is None else _grown(b, margin_m, geographic) for b in bounds]
    ctx = [None if c is None else dask.delayed(c) for c in (roads, row, buildings)]
    try:  # with a distributed client, the context goes to every worker once
        from distributed import get_client

        client = get_client()
        ctx = [None if c is None else client.scatter(c, broadcast=True)
               for c in (roads, row, buildings)]
    except (ImportError, ValueError):
        pass
    results = []
    for i, p in enumerate(parts):
        near = [dask.delayed(_clip)(q, boxes[i]) for j, q in enumerate(parts)
                if j != i and boxes[i] is not None and bounds[j] is not None
                and _meets(boxes[i], bounds[j])]
        results.append(dask.delayed(_partition)(p, near, *ctx, minimums, id_field, margin_m))
    pick = lambda r, k: meta[k] if r is None else r[k]  # noqa: E731
    rows = [dask.delayed(pick)(r, 0) for r in results]
    sides = [dask.delayed(pick)(r, 1) for r in results]
    # `roles` and `lengths_m` are lists: dask must not turn them into strings
    with dask.config.set({"dataframe.convert-string": False}):
        return (dd.from_delayed(rows, meta=meta[0], verify_meta=False),
                dd.from_delayed(sides, meta=meta[1], verify_meta=False))
