"""Helpers the conformance scripts share for reading site-plan JSON."""


def runs(v):
    """Every run of 2+ [x, y] positions in a JSON value (fenceLayout)."""
    if isinstance(v, list):
        if len(v) >= 2 and all(isinstance(p, list) and len(p) >= 2 and all(isinstance(x, (int, float)) for x in p[:2]) for p in v):
            yield v
        else:
            for x in v: yield from runs(x)
    elif isinstance(v, dict):
        for x in v.values(): yield from runs(x)


def fence_runs(plan):
    """The coordinate runs of a plan's analysis.fenceLayout."""
    return runs(((plan.get("analysis") or {}).get("fenceLayout")) or {})
