#!/usr/bin/env python3
"""Regenerates fixtures/malformed/: hostile inputs and what planform must say.

expected.json maps each file to the stage that must reject it (`parse` or
`validate`), the error kind and the JSON Pointer of the first problem.
"""
import json, os

HERE = os.path.join(os.path.dirname(__file__), "..", "fixtures")
OUT = os.path.join(HERE, "malformed")
os.makedirs(OUT, exist_ok=True)
expected = {}


def tree(coords, **props):
    p = {"catalogType": "tree", "attrs": {"heightM": 8.4}, "confidence": 0.9, "source": "sam"}
    p.update(props)
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": coords}, "properties": p}


RING = [[-87.878, 41.748], [-87.877, 41.748], [-87.877, 41.749], [-87.878, 41.748]]


def fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def put(name, data, stage, kind, pointer):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(OUT, name), mode) as f:
        f.write(data if isinstance(data, (bytes, str)) else json.dumps(data))
    expected[name] = {"stage": stage, "kind": kind, "pointer": pointer}


good = json.dumps(fc(tree([RING])))
put("invalid_json.json", good.replace('"features": [', '"features" ['), "parse", "syntax", "")
interior = open(os.path.join(HERE, "site", "interior_lot.json")).read()
put("truncated.json", interior[: len(interior) // 2], "parse", "truncated", "/features/7/geometry/coordinates/0/2")
put("nan_coordinates.json", good.replace("-87.877, 41.748", "NaN, 41.748"), "parse", "syntax",
    "/features/0/geometry/coordinates/0/1/0")
put("overflow_coordinate.json", good.replace("-87.877, 41.748", "-87.877, 1e400"), "parse", "syntax",
    "/features/0/geometry/coordinates/0/1/1")
put("huge_coordinate.json", good.replace("-87.877, 41.748", "-87.877, 1e308"), "validate", "LatitudeOutOfRange",
    "/features/0/geometry/coordinates/0/1/1")
put("string_coordinates.json", good.replace("-87.877, 41.748", '"-87.877", "41.748"'), "parse", "data",
    "/features/0/geometry/coordinates/0/1/0")
put("unclosed_ring.json", fc(tree([RING[:3] + [[-87.8781, 41.7481]]])), "validate", "RingNotClosed",
    "/features/0/geometry/coordinates/0/3")
put("short_ring.json", fc(tree([[RING[0], RING[1], RING[0]]])), "validate", "RingTooShort",
    "/features/0/geometry/coordinates/0")
put("string_height.json", fc(tree([RING], attrs={"heightM": "8.4"})), "validate", "WrongType",
    "/features/0/properties/attrs/heightM")
put("confidence_out_of_range.json", fc(tree([RING], confidence=1.7)), "validate", "OutOfRange",
    "/features/0/properties/confidence")
put("negative_canopy.json", fc(tree([RING], attrs={"canopyRadiusM": -2})), "validate", "OutOfRange",
    "/features/0/properties/attrs/canopyRadiusM")
no_type = tree([RING]); del no_type["properties"]["catalogType"]
put("missing_catalog_type.json", fc(tree([RING]), no_type), "validate", "Missing", "/features/1/properties")
pool = tree([RING]); pool["properties"]["catalogType"] = "pool"
pool["geometry"] = {"type": "LineString", "coordinates": RING[:2]}
put("wrong_geometry_type.json", fc(pool), "validate", "GeometryType", "/features/0/geometry/type")
put("empty.json", b"", "parse", "empty", "")
put("whitespace_only.json", "  \n\t\n", "parse", "empty", "")
put("deeply_nested.json", '{"type": "FeatureCollection", "features": [], "deep": ' + "[" * 5000 + "]" * 5000 + "}",
    "parse", "too_deep", "/deep" + "/0" * 126)
put("non_utf8.json", good.replace('"sam"', '"s\u00e4m"').encode("latin-1"), "parse", "syntax",
    "/features/0/properties/source")
put("not_a_collection.json", tree([RING]), "parse", "data", "/type")
put("features_not_an_array.json", {"type": "FeatureCollection", "features": {}}, "parse", "data", "/features")
put("missing_features.json", {"type": "FeatureCollection"}, "parse", "data", "")
put("unknown_geometry_type.json", good.replace('"Polygon"', '"Circle"'), "parse", "data",
    "/features/0/geometry/type")
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
