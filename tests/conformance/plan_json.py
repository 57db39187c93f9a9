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


def parcel_sides(plan):
    """Each side of the plan's `parcel` record as (positions, attributes):
    the parcel polygon's outer-ring positions from the side's `index` to the
    next side's, with its id, role, relation, measured length and the
    setback report's required and actual feet and compliance."""
    sides = sorted((s for s in (plan.get("parcel") or {}).get("sides") or []
                    if isinstance(s.get("index"), int)), key=lambda s: s["index"])
    parcel = next((f for f in plan["features"]
                   if (f.get("properties") or {}).get("catalogType") == "parcel"
                   and (f.get("geometry") or {}).get("type") == "Polygon"), None)
    if not sides or not parcel:
        return []
    ring = parcel["geometry"]["coordinates"][0]
    if ring[0] == ring[-1]: ring = ring[:-1]
    n = len(ring)
    report = {b.get("sideId"): b for b in
              (((plan.get("analysis") or {}).get("setbackReport") or {}).get("bySide") or [])}
    out = []
    for k, s in enumerate(sides):
        start, end = s["index"], sides[(k + 1) % len(sides)]["index"]
        count = (end - start - 1) % n + 2
        b = report.get(s.get("id")) or {}
        attrs = {"id": s.get("id"), "role": s.get("role"), "relation": s.get("relation"),
                 "lengthM": s.get("measuredLengthMeters"), "requiredFeet": b.get("requiredFeet"),
                 "actualFeet": b.get("actualFeet"), "compliant": b.get("compliant")}
        out.append(([ring[(start + j) % n] for j in range(count)],
                    {k: v for k, v in attrs.items() if v is not None}))
    return out
