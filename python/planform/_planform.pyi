"""Type stubs of the extension module (see the ``planform`` package for the API)."""

from typing import Optional, Tuple

class PlanformError(Exception): ...

class SitePlan:
    def validate(self) -> list[Tuple[str, str, str]]: ...
    def to_geojson_text(self) -> str: ...
    def write(self, path: str) -> None: ...
    def __len__(self) -> int: ...

def version() -> str: ...
def read_site_plan(source: str | bytes) -> SitePlan: ...
def analyze_parcels(
    parcels: Tuple[list, Optional[str], Optional[int]],
    *,
    roads: Optional[Tuple[list, Optional[str], Optional[int]]] = None,
    row: Optional[Tuple[list, Optional[str], Optional[int]]] = None,
    buildings: Optional[Tuple[list, Optional[str], Optional[int]]] = None,
    minimums: Optional[str] = None,
    id_field: Optional[str] = None,
    threads: int = 0,
    first: Optional[int] = None,
) -> Tuple[dict, dict]: ...
def vectorize_mask(
    data: bytes,
    width: int,
    height: int,
    *,
    mode: str = "centerline",
    px_per_m: Optional[float] = None,
    rooms: bool = False,
) -> str: ...
