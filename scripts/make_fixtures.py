#!/usr/bin/env python3
"""Regenerates the authored site-plan fixtures in fixtures/site/.

The lots are drawn in local metres (x east, y north) around an origin in
Countryside, IL (the seed's example address) and converted to WGS84 through
UTM zone 16N with pyproj, so the geometry is exact to the 7 decimals written.
Side lengths (`measuredLengthMeters`) are geodesic (pyproj.Geod, WGS84).
Analysis figures (setbacks, sun hours, grade) are authored to be plausible for
the drawn geometry; they are inputs for tests, not outputs of planform.

Run: python3 scripts/make_fixtures.py   (needs pyproj)
"""
import json, math, os
from pyproj import Geod, Transformer

ORIGIN_LONLAT = (-87.8780, 41.7480)
to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32616", always_xy=True)
to_ll = Transformer.from_crs("EPSG:32616", "EPSG:4326", always_xy=True)
OX, OY = to_utm.transform(*ORIGIN_LONLAT)
GEOD = Geod(ellps="WGS84")
OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "site")


def ll(x, y, dx=0.0, dy=0.0):
    lon, lat = to_ll.transform(OX + x + dx, OY + y + dy)
    return [round(lon, 7), round(lat, 7)]


def ring(pts, dx=0.0, dy=0.0):
    """Closed ring; exterior rings are given counter-clockwise."""
    r = [ll(x, y, dx, dy) for x, y in pts]
    return r + [r[0]]


def rect(x0, y0, x1, y1, dx=0.0, dy=0.0):
    return ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], dx, dy)


def circle(cx, cy, r, n=16, dx=0.0, dy=0.0):
    return ring([(cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n)) for i in range(n)], dx, dy)


def poly(r):
    return {"type": "Polygon", "coordinates": [r]}


def line(pts, dx=0.0, dy=0.0):
    return {"type": "LineString", "coordinates": [ll(x, y, dx, dy) for x, y in pts]}


def feat(geometry, catalog, attrs=None, confidence=0.9, source="sam", fid=None, **extra):
    props = {"catalogType": catalog, "attrs": attrs or {}, "confidence": confidence, "source": source}
    props.update(extra)
    f = {"type": "Feature", "geometry": geometry, "properties": props}
    if fid is not None:
        f["id"] = fid
    return f


def area_sqm(r):
    a, _ = GEOD.polygon_area_perimeter([p[0] for p in r], [p[1] for p in r])
    return round(abs(a), 1)


def side_len(a, b):
    return round(GEOD.line_length([a[0], b[0]], [a[1], b[1]]), 2)


def sides(parcel_ring, breaks, roles):
    """Sides from vertex indices `breaks` (start of each side, in ring order)."""
    out = []
    n = len(parcel_ring) - 1
    for i, start in enumerate(breaks):
        end = breaks[(i + 1) % len(breaks)]
        idx = list(range(start, end + 1)) if end > start else list(range(start, n)) + list(range(0, end + 1))
        length = sum(side_len(parcel_ring[a], parcel_ring[b]) for a, b in zip(idx, idx[1:]))
        role, relation = roles[i]
        out.append({"id": f"side-{i}", "index": start, "role": role, "relation": relation,
                    "measuredLengthMeters": round(length, 2)})
    return out


def ft(m):
    return round(m / 0.3048, 1)


def write(name, doc):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def interior_lot():
    dx = 0.0
    parcel = rect(0, 0, 20, 40, dx)
    bldg = rect(4, 8, 16, 20, dx)
    drive = rect(12, 0, 16, 8, dx)
    patio = rect(6, 20, 14, 24, dx)
    pool = rect(5, 27, 13, 32, dx)
    feats = [
        feat(poly(circle(17, 35, 2.8, dx=dx)), "tree", {"heightM": 8.4, "species": "deciduous", "canopyRadiusM": 2.8},
             0.92, "sam", areaSqm=24.5),
        feat(line([(0.5, 10), (0.5, 38)], dx), "hedge", {"lengthFt": ft(28), "heightFt": 6}, 0.81, "vision",
             sideId="side-3"),
        feat(line([(0, 39.8), (20, 39.8)], dx), "fence", {"material": "wood", "heightFt": 6}, 0.88, "fused",
             sideId="side-2"),
        feat(poly(pool), "pool", {"kind": "in_ground", "shape": "rectangular", "areaSqFt": ft(ft(40)), "fenced": False},
             0.97, "sam3", areaSqm=area_sqm(pool)),
        feat(poly(rect(13.1, 2, 14.9, 6.5, dx)), "vehicle", {"type": "sedan"}, 0.9, "vision", fid="veh-1",
             headingDeg=0, parkedOn="drv-1"),
        feat(poly(rect(16, 33, 19, 36, dx)), "structure", {"kind": "shed", "heightM": 2.6}, 0.84, "vision-qa"),
        feat(poly(rect(14.5, 22, 19.5, 27, dx)), "amenity", {"kind": "basketball_court"}, 0.7, "vision"),
        feat(poly(drive), "driveway", {"material": "concrete"}, 0.95, "sam", fid="drv-1", roadId="road-rose-ct",
             areaSqm=area_sqm(drive)),
        feat(poly(patio), "surface", {"material": "pavers"}, 0.86, "sam", kind="patio", areaSqm=area_sqm(patio)),
        feat(poly(rect(6, 0, 7.5, 8, dx)), "surface", {"material": "concrete"}, 0.8, "sam", kind="walkway"),
        {"type": "Feature", "geometry": poly(parcel), "properties": {"catalogType": "parcel"}},
        {"type": "Feature", "geometry": poly(bldg), "properties": {"catalogType": "building", "attrs": {
            "heightM": 6.1, "stories": 2, "roofType": "hip", "roofSlope": 22.5, "roofAspect": "south",
            "garageFaceEdgeIndex": 0, "garageDoorCount": 2, "architecturalStyle": "contemporary",
            "hasSolarPanels": False}, "confidence": 0.95, "source": "vision-qa"}},
    ]
    doc = {"type": "FeatureCollection", "features": feats,
           "parcel": {"classification": {"type": "rectangular", "confidence": 0.93, "source": "vision-qa"},
                      "sides": sides(parcel, [0, 1, 2, 3], [("front", "front"), ("interior", "right"),
                                                            ("rear", "back"), ("interior", "left")])},
           "yards": [{"id": "yard-front", "kind": "front", "boundingSideIds": ["side-0"]},
                     {"id": "yard-back", "kind": "back", "boundingSideIds": ["side-2"]}],
           "gates": [{"coordinates": [ll(20, 9), ll(20, 10.2)]}],
           "analysis": {
               "setbackReport": {"bySide": [{"sideId": "side-0", "actualFeet": ft(8)}, {"sideId": "side-1", "actualFeet": ft(4)},
                                            {"sideId": "side-2", "actualFeet": ft(20)}, {"sideId": "side-3", "actualFeet": ft(4)}],
                                 "totalSides": 4, "compliantSides": 4},
               "shadeReport": {"byYard": [{"kind": "front", "sunHoursPerDay": 9.5, "band": "full_sun"},
                                          {"kind": "back", "sunHoursPerDay": 7.0, "band": "full_sun"}]},
               "lotGrade": {"meanSlopeDeg": 1.4, "dominantAspect": "south", "reliefMeters": 0.6, "isFlat": True},
               "fenceLayout": {"lines": [[ll(20, 9), ll(20, 40), ll(0, 40), ll(0, 9)]], "totalLengthFeet": ft(82)}}}
    write("interior_lot.json", doc)


def corner_lot():
    dx = 60.0
    parcel = rect(0, 0, 25, 30, dx)
    bldg = rect(5, 7, 15, 19, dx)
    kidney = ring([(6, 22), (11, 21.5), (14, 23), (13, 26), (9, 25), (6.5, 26)], dx)
    feats = [
        feat({"type": "Point", "coordinates": ll(3, 26, dx)}, "tree", {"heightM": 12.0, "species": "evergreen",
             "canopyRadiusM": 3.5}, 0.77, "sam"),
        feat(poly(kidney), "swimming pool", {"kind": "in_ground", "shape": "kidney", "fenced": True}, 0.93, "sam3",
             areaSqm=area_sqm(kidney)),
        feat(line([(0.2, 8), (0.2, 29.8), (24.8, 29.8)], dx), "fence", {"material": "vinyl", "heightFt": 5}, 0.9, "vision"),
        feat(poly(rect(18, 10.6, 22.5, 12.4, dx)), "vehicle", {"type": "suv"}, 0.91, "vision", headingDeg=90.0),
        feat(poly(rect(15, 10, 25, 14, dx)), "driveway", {"material": "asphalt"}, 0.94, "sam", roadId="road-east"),
        feat(poly(rect(15, 19, 20, 24, dx)), "surface", {"material": "unknown"}, 0.75, "sam", kind="deck"),
        feat(poly(rect(20, 25, 23, 28, dx)), "structure", {"kind": "garage", "heightM": 3.4}, 0.8, "vision-qa"),
        {"type": "Feature", "geometry": poly(parcel), "properties": {"catalogType": "parcel"}},
        {"type": "Feature", "geometry": poly(bldg), "properties": {"catalogType": "building", "attrs": {
            "heightM": 4.2, "stories": 1, "roofType": "gable", "garageFaceEdgeIndex": 1, "garageDoorCount": 1,
            "architecturalStyle": "ranch", "hasSolarPanels": True}, "confidence": 0.9, "source": "vision-qa"}},
    ]
    doc = {"type": "FeatureCollection", "features": feats,
           "parcel": {"classification": {"type": "corner", "confidence": 0.88, "source": "vision-qa"},
                      "sides": sides(parcel, [0, 1, 2, 3], [("front", "front"), ("exterior", "right"),
                                                            ("rear", "back"), ("interior", "left")])},
           "yards": [{"id": "yard-front", "kind": "front", "boundingSideIds": ["side-0", "side-1"]},
                     {"id": "yard-back", "kind": "back", "boundingSideIds": ["side-2"]}],
           "gates": [{"coordinates": [ll(0.2, 19.5, dx), ll(0.2, 20.7, dx)]}, {"coordinates": [ll(20, 29.8, dx), ll(23, 29.8, dx)]}],
           "analysis": {
               "setbackReport": {"bySide": [{"sideId": "side-0", "actualFeet": ft(7)}, {"sideId": "side-1", "actualFeet": ft(10)},
                                            {"sideId": "side-2", "actualFeet": ft(11)}, {"sideId": "side-3", "actualFeet": ft(5)}],
                                 "totalSides": 4, "compliantSides": 3},
               "shadeReport": {"byYard": [{"kind": "front", "sunHoursPerDay": 10.5, "band": "full_sun"},
                                          {"kind": "back", "sunHoursPerDay": 4.5, "band": "partial_sun"}]},
               "lotGrade": {"meanSlopeDeg": 3.1, "dominantAspect": "southeast", "reliefMeters": 1.4, "isFlat": False}}}
    write("corner_lot.json", doc)


def flag_lot():
    dx, dy = 0.0, 80.0
    outline = [(0, 0), (5, 0), (5, 30), (25, 30), (25, 60), (-10, 60), (-10, 30), (0, 30)]
    parcel = ring(outline, dx, dy)
    bldg = rect(0, 38, 12, 50, dx, dy)
    feats = [
        feat(poly(circle(18, 52, 3.0, dx=dx, dy=dy)), "tree", {"heightM": 15.2, "species": "deciduous", "canopyRadiusM": 3.0},
             0.89, "sam"),
        feat(line([(-9.5, 31), (-9.5, 59)], dx, dy), "shrub_row", {"lengthFt": ft(28), "heightFt": 4.5}, 0.72, "vision",
             sideId="side-5"),
        feat(line([(24.8, 31), (24.8, 59.8), (-9.8, 59.8)], dx, dy), "fence", {"material": "chain_link", "heightFt": 4},
             0.83, "fused"),
        feat(poly(rect(0.5, 0, 4.5, 38, dx, dy)), "driveway", {"material": "gravel"}, 0.9, "sam", roadId="road-main"),
        feat(poly(rect(1.2, 30, 3.4, 35.5, dx, dy)), "vehicle", {"type": "pickup"}, 0.87, "vision", headingDeg=0.0),
        feat(poly(rect(16, 36, 20, 40, dx, dy)), "structure", {"kind": "gazebo"}, 0.66, "vision-qa"),
        feat(poly(rect(12, 42, 18, 43.5, dx, dy)), "surface", {}, 0.7, "sam", kind="walkway"),
        {"type": "Feature", "geometry": poly(parcel), "properties": {"catalogType": "parcel"}},
        {"type": "Feature", "geometry": poly(bldg), "properties": {"catalogType": "building"}},
    ]
    roles = [("front", "front"), ("interior", "right"), ("interior", "right"), ("interior", "right"),
             ("rear", "back"), ("interior", "left"), ("interior", "left"), ("interior", "left")]
    doc = {"type": "FeatureCollection", "features": feats,
           "parcel": {"classification": {"type": "flag", "confidence": 0.81, "source": "vision-qa"},
                      "sides": sides(parcel, list(range(8)), roles)},
           "yards": [{"id": "yard-front", "kind": "front", "boundingSideIds": ["side-2", "side-6"]},
                     {"id": "yard-back", "kind": "back", "boundingSideIds": ["side-4"]}],
           "gates": []}
    write("flag_lot.json", doc)


def culdesac_lot():
    dx, dy = 60.0, 80.0
    # counter-clockwise: along the cul-de-sac bulb west to east, then the east
    # radial line, the rear line and the west radial line
    arc = [(15 * math.cos(math.radians(a)), 15 * math.sin(math.radians(a))) for a in range(120, 59, -10)]
    outline = arc + [(25.0, 43.3), (-25.0, 43.3)]
    parcel = ring(outline, dx, dy)
    bldg = rect(-7, 22, 7, 34, dx, dy)
    spa = circle(15, 38, 1.5, 12, dx, dy)
    feats = [
        feat(poly(circle(-14, 36, 2.0, dx=dx, dy=dy)), "tree", {"heightM": 9.0, "species": "palm", "canopyRadiusM": 2.0},
             0.9, "sam"),
        feat(poly(circle(10, 28, 1.5, dx=dx, dy=dy)), "tree", {"species": "baobab"}, 0.6, "lidar"),
        feat(line([(-8.5, 16), (-22, 40)], dx, dy), "privacy_hedge", {"heightFt": 8}, 0.79, "vision", sideId="side-3"),
        feat(poly(spa), "pool", {"kind": "spa", "shape": "round"}, 0.85, "sam3", areaSqm=area_sqm(spa)),
        feat(poly(rect(-3, 36, 3, 40, dx, dy)), "surface", {"material": "pavers"}, 0.82, "sam", kind="hot_tub"),
        feat(poly(rect(-12, 38, -8, 41, dx, dy)), "amenity", {"kind": "amenity"}, 0.6, "image2"),
        feat(poly(rect(2, 13.5, 6.5, 22, dx, dy)), "driveway", {"material": "pavers"}, 0.93, "sam"),
        feat(poly(rect(3.3, 15, 5.1, 19.5, dx, dy)), "vehicle", {"type": "truck"}, 0.5, "manual", headingDeg=345.5),
        feat(poly(rect(8, 34, 12, 38, dx, dy)), "structure", {"kind": "pergola", "heightM": 2.9}, 0.74, "corrected"),
        feat(poly(rect(-1, 1, 1, 3, dx, dy)), "solar_array", {"panels": 12}, 0.55, "osm"),
        {"type": "Feature", "geometry": poly(parcel), "properties": {"catalogType": "parcel"}},
        {"type": "Feature", "geometry": poly(bldg), "properties": {"catalogType": "building", "attrs": {
            "heightM": 7.5, "stories": 2, "roofType": "mansard", "roofAspect": "north", "garageFaceEdgeIndex": 0,
            "garageDoorCount": 2, "architecturalStyle": "mediterranean"}, "confidence": 0.9, "source": "vision-qa"}},
    ]
    # sides: the whole arc is one side (the frontage); then the radial lines and the rear
    doc = {"type": "FeatureCollection", "features": feats,
           "parcel": {"classification": {"type": "culdesac", "confidence": 0.86, "source": "vision-qa"},
                      "sides": sides(parcel, [0, 6, 7, 8], [("front", "front"), ("interior", "right"),
                                                            ("rear", "back"), ("interior", "left")]),
                      "entrance": {"sideId": "side-0"}},
           "yards": [{"id": "yard-front", "kind": "front", "boundingSideIds": ["side-0"]},
                     {"id": "yard-back", "kind": "back", "boundingSideIds": ["side-2"]}],
           "analysis": {"lotGrade": {"meanSlopeDeg": 0.4, "dominantAspect": "flat", "reliefMeters": 0.2, "isFlat": True},
                        "shadeReport": {"byYard": [{"kind": "front", "sunHoursPerDay": 11.0, "band": "full_sun"},
                                                   {"kind": "back", "sunHoursPerDay": 2.5, "band": "shaded"}]}}}
    write("culdesac_lot.json", doc)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    interior_lot()
    corner_lot()
    flag_lot()
    culdesac_lot()
