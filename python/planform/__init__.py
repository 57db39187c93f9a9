"""planform: site plans and floor plans, from Python.

The Rust library behind it (through PyO3; the GIL is released while it works):

- ``read_site_plan(path_or_bytes)`` reads a GetSitePlan.ai FeatureCollection (or any
  GeoJSON) into a typed, lossless ``SitePlan``: ``validate()``, ``to_geojson()``,
  ``write(path)`` (``.geojson``, ``.json``, ``.gpkg``, ``.dxf``, ``.svg``);
- ``analyze_parcels(parcels, roads=..., row=..., buildings=..., minimums=...)``
  analyses a whole parcel layer as ``analyze --batch`` does: every parcel's sides and
  their roles, setbacks against the minimums, the exact buildable envelope;
- ``vectorize(mask)`` turns a floor-plan wall mask (a 2-D uint8 array, walls 255) into
  wall centrelines (or outlines), rooms and openings;
- ``planform.distributed.analyze_parcels(ddf, ...)`` runs the batch on Dask workers.

Every refusal is a ``PlanformError`` carrying the Rust error's message (for documents,
with the JSON Pointer of the offending member).
"""

from __future__ import annotations

import json
import os
from typing import Any, NamedTuple, Optional, Tuple, Union

from . import _planform
from ._planform import PlanformError

__all__ = [
    "PlanformError",
    "Problem",
    "SitePlan",
    "__version__",
    "analyze_parcels",
    "read_site_plan",
    "vectorize",
]

__version__: str = _planform.version()


class Problem(NamedTuple):
    """One validation problem: where (a JSON Pointer), what, and how serious."""

    pointer: str
    message: str
    level: str  # "error" or "warning"


class SitePlan:
    """A site plan, typed and lossless (read with :func:`read_site_plan`)."""

    __slots__ = ("_inner",)

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def validate(self) -> list:
        """Every validation problem, each with its JSON Pointer; empty when valid."""
        return [Problem(*p) for p in self._inner.validate()]

    def to_geojson(self) -> dict:
        """The plan as a GeoJSON dict: the same JSON value as the document read."""
        return json.loads(self._inner.to_geojson_text())

    def write(self, path: Union[str, os.PathLike]) -> None:
        """Writes the plan by extension: .geojson/.json (lossless), .gpkg, .dxf, .svg."""
        self._inner.write(os.fspath(path))

    def __len__(self) -> int:
        return len(self._inner)

    def __repr__(self) -> str:
        return repr(self._inner)


def read_site_plan(source: Union[str, os.PathLike, bytes]) -> SitePlan:
    """Reads a site plan from a path or from the bytes of a GeoJSON document."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return SitePlan(_planform.read_site_plan(bytes(source)))
    return SitePlan(_planform.read_site_plan(os.fspath(source)))


def _frame(data: Any, what: str):
    """A GeoDataFrame from a GeoDataFrame or an Arrow table/stream (PyCapsule
    interface, WKB or GeoArrow geometry); and whether it came as Arrow."""
    import geopandas as gpd

    if isinstance(data, gpd.GeoDataFrame):
        return data, False
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return gpd.GeoDataFrame.from_arrow(data), True
    raise TypeError(f"{what}: expected a GeoDataFrame or an Arrow table, got {type(data).__name__}")


def _layer(data: Any, what: str) -> Optional[Tuple[list, Optional[str], Optional[int]]]:
    """A layer as the extension takes it: WKB per row, properties as JSON, EPSG code."""
    if data is None:
        return None
    import shapely

    gdf, _ = _frame(data, what)
    epsg = None
    if gdf.crs is not None:
        epsg = gdf.crs.to_epsg()
        if epsg is None:
            raise PlanformError(f"{what}: its CRS names no EPSG code ({gdf.crs.name})")
    geoms = gdf.geometry.values
    wkb = [None if g is None else g for g in shapely.to_wkb(geoms, flavor="iso")]
    props = gdf.drop(columns=[gdf.geometry.name]).to_json(orient="records", date_format="iso")
    return wkb, props, epsg


def _minimums(minimums: Any) -> Optional[str]:
    if minimums is None:
        return None
    if isinstance(minimums, dict):
        return json.dumps(minimums)
    with open(os.fspath(minimums), encoding="utf-8") as f:
        return f.read()


_ROW_COLUMNS = ["class", "roles", "lengths_m", "total_sides", "compliant_sides",
                "undecided_sides", "envelope_area_sqm", "footprint_fits", "error"]
_SIDE_COLUMNS = ["index", "role", "relation", "length_m", "required_ft", "actual_ft", "compliant"]


def _rows_frame(cols: dict, id_name: str, columns: list, extra_geometry: Optional[str]):
    import geopandas as gpd
    import pandas as pd
    import shapely

    df = pd.DataFrame({id_name: cols["id"], **{c: cols[c] for c in columns}})
    if extra_geometry is not None:
        df[extra_geometry] = gpd.GeoSeries(shapely.from_wkb(cols[extra_geometry]), crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(shapely.from_wkb(cols["geometry"]), crs="EPSG:4326"),
                            crs="EPSG:4326")


def analyze_parcels(parcels: Any, *, roads: Any = None, row: Any = None, buildings: Any = None,
                    minimums: Any = None, id_field: Optional[str] = None, threads: int = 0,
                    _first: Optional[int] = None):
    """Analyses every parcel as ``analyze --batch`` does: (parcels_out, sides_out).

    ``parcels``, ``roads``, ``row`` (right-of-way polygons) and ``buildings`` are
    GeoDataFrames or Arrow tables with a geometry column and its CRS (WGS84 or any EPSG
    CRS). ``minimums`` is a dict like ``{"front": 20, "rear": 25, "interior": 5,
    "exterior": 10}`` (feet per role) or the path of such a JSON file. ``id_field`` names
    the column that identifies a parcel (else the row index, as ``id``).

    parcels_out has one row per parcel in input order: the id, ``class``, ``roles``,
    ``lengths_m``, ``total_sides``, ``compliant_sides``, ``undecided_sides``, ``envelope``
    (a second geometry column), ``envelope_area_sqm``, ``footprint_fits``, ``error``
    (why a parcel could not be analysed) and the parcel's geometry, WGS84; sides_out one
    row per side. Arrow in gives Arrow out.
    """
    _, arrow = _frame(parcels, "parcels")
    cols, sides = _planform.analyze_parcels(
        _layer(parcels, "parcels"),
        roads=_layer(roads, "roads"),
        row=_layer(row, "row"),
        buildings=_layer(buildings, "buildings"),
        minimums=_minimums(minimums),
        id_field=id_field,
        threads=threads,
        first=_first,
    )
    id_name = id_field or "id"
    out = _rows_frame(cols, id_name, _ROW_COLUMNS, "envelope")
    out_sides = _rows_frame(sides, id_name, _SIDE_COLUMNS, None)
    if arrow:
        return out.to_arrow(), out_sides.to_arrow()
    return out, out_sides


def vectorize(mask: Any, mode: str = "centerline", px_per_m: Optional[float] = None,
              rooms: bool = False) -> dict:
    """A wall mask (2-D uint8 array; walls 255, background 0) to the vectorize GeoJSON
    contract (a dict): wall centrelines with ``thickness`` (``mode="centerline"``) or
    wall polygons (``mode="outline"``); with ``rooms=True`` also ``kind: "room"``
    polygons and ``kind: "opening"`` lines. The same features as the ``vectorize``
    binary on the same mask."""
    import numpy as np

    a = np.asarray(mask)
    if a.ndim != 2:
        raise PlanformError(f"mask: expected a 2-D array, got {a.ndim} dimensions")
    if a.dtype == np.bool_:
        walls = a
    elif np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating):
        walls = a > 127
    else:
        raise PlanformError(f"mask: expected uint8 (0/255) or bool, got {a.dtype}")
    h, w = walls.shape
    data = np.ascontiguousarray(walls, dtype=np.uint8).tobytes()
    text = _planform.vectorize_mask(data, w, h, mode=mode, px_per_m=px_per_m, rooms=rooms)
    return json.loads(text)
