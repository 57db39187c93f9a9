"""planform.distributed on a Dask LocalCluster of two worker processes: a tiled county
cut into partitions that split blocks down the middle (so that lots on a partition's
edge need their neighbours from the next one) gives one process's rows."""

import json
from pathlib import Path

import dask_geopandas
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import planform
import planform.distributed

from test_planform import FIXTURES, block


def county(blocks):
    """`blocks` copies of a 2 x 30-lot block, 0.01 degrees apart."""
    lots, roads, houses = [], [], []
    for b in range(blocks):
        p, r, h = block(30, lat=32.33 + 0.01 * b)
        p["PIN"] = [f"{b}:{x}" for x in p["PIN"]]
        lots.append(p), roads.append(r), houses.append(h)
    cat = lambda frames: type(frames[0])(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    return cat(lots), cat(roads), cat(houses)


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_two_workers_give_one_process_rows(client):
    parcels, roads, houses = county(4)
    minimums = json.loads((Path(FIXTURES) / "analyzed" / "minimums.json").read_text())
    want, want_sides = planform.analyze_parcels(parcels, roads=roads, buildings=houses,
                                                minimums=minimums, id_field="PIN")
    # 7 partitions of 240 lots: most cut a block's row of lots in two
    ddf = dask_geopandas.from_geopandas(parcels, npartitions=7)
    out, sides = planform.distributed.analyze_parcels(ddf, roads=roads, buildings=houses,
                                                      minimums=minimums, id_field="PIN")
    got, got_sides = out.compute(), sides.compute()
    assert len(got) == len(want) == 240
    assert list(got["PIN"]) == list(want["PIN"])
    for col in ("class", "total_sides", "compliant_sides", "undecided_sides",
                "envelope_area_sqm", "footprint_fits"):
        assert list(got[col]) == list(want[col]), col
    assert [list(r) for r in got["roles"]] == [list(r) for r in want["roles"]]
    assert list(got_sides["role"]) == list(want_sides["role"])
    # with the parcels as their only context (a side no neighbour touches is a
    # frontage), the neighbours shipped from the next partitions are what make the
    # rows equal: without them, lots on a partition's edge read a shared side as a
    # street frontage
    want_fabric, _ = planform.analyze_parcels(parcels, id_field="PIN")
    got_fabric = planform.distributed.analyze_parcels(ddf, id_field="PIN")[0].compute()
    roles = lambda df: [list(r) for r in df["roles"]]
    assert roles(got_fabric) == roles(want_fabric)
    alone = pd.concat([planform.analyze_parcels(parcels.iloc[i:i + 35], id_field="PIN")[0]
                       for i in range(0, 240, 35)], ignore_index=True)
    assert roles(alone) != roles(want_fabric)
