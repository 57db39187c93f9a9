"""Type stubs of the planform package."""

import os
from typing import Any, NamedTuple, Optional, Tuple, Union

__version__: str

class PlanformError(Exception): ...

class Problem(NamedTuple):
    pointer: str
    message: str
    level: str

class SitePlan:
    def validate(self) -> list[Problem]: ...
    def to_geojson(self) -> dict: ...
    def write(self, path: Union[str, os.PathLike]) -> None: ...
    def __len__(self) -> int: ...

def read_site_plan(source: Union[str, os.PathLike, bytes]) -> SitePlan: ...
def analyze_parcels(
    parcels: Any,
    *,
    roads: Any = None,
    row: Any = None,
    buildings: Any = None,
    minimums: Any = None,
    id_field: Optional[str] = None,
    threads: int = 0,
) -> Tuple[Any, Any]: ...
def vectorize(
    mask: Any, mode: str = "centerline", px_per_m: Optional[float] = None, rooms: bool = False
) -> dict: ...
