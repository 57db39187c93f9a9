"""Checks that planform put a parcel's front on the street its address
names, with shapely and pyproj and a name match of its own (pect's way:
the address's street, lower case without spaces, contained in a road's
name so written), not planform's.
For the parcel's situs address (SITUS_ADDR, text before the first comma,
house number and NULL placeholders dropped), the roads whose name contains
it; of the parcel's sides (rebuilt from their start indices), the one whose
middle lies nearest those roads (in the UTM zone) must be the front when
that road passes within 30 m of it. Prints `skip` when the address names
no road near the parcel.
OUT.json is either `analyze`'s output (the parcel record's sides) or a
polygon layer written by `analyze --label-sides` (each polygon's
`properties.sides`); every parcel in it is checked.
Usage: address_front_check.py OUT.json ROADS.geojson"""
import json, sys
from pyproj import CRS, Transformer
from shapely.geometry import LineString
from shapely.ops import unary_union

d = json.load(open(sys.argv[1]))
roads = json.load(open(sys.argv[2]))


def crs_of(doc):
    name = ((doc.get("crs") or {}).get("properties") or {}).get("name")
    return CRS.from_user_input(name) if name else CRS.from_epsg(4326)


def outer(g):
    ring = g["coordinates"][0] if g["type"] == "Polygon" else max((p[0] for p in g["coordinates"]), key=len)
    return ring[:-1] if ring[0] == ring[-1] else ring


def check(parcel, sides):
    """sides: [(start index, role)]; returns (checked, ok, message)."""
    ring = outer(parcel["geometry"])
    to_wgs = Transformer.from_crs(crs_of(d), 4326, always_xy=True)
    lon, lat = to_wgs.transform(*ring[0])
    utm = (32600 if lat >= 0 else 32700) + int((lon + 180) // 6) + 1
    to = Transformer.from_crs(crs_of(d), utm, always_xy=True)
    road_to = Transformer.from_crs(crs_of(roads), utm, always_xy=True)
    addr = (parcel["properties"].get("SITUS_ADDR") or "").split(",")[0]
    words = [w for w in addr.split() if w.upper() != "NULL"]
    while len(words) > 1 and words[0].isdigit():
        words = words[1:]
    street = "".join(words).lower()
    lines = []
    for f in roads["features"]:
        name = (f["properties"].get("FULLNAME") or "").replace(" ", "").lower()
        if street and street in name:
            gg = f["geometry"]
            parts = [gg["coordinates"]] if gg["type"] == "LineString" else gg["coordinates"]
            lines += [LineString([road_to.transform(*p) for p in part]) for part in parts]
    named = unary_union(lines) if lines else None
    starts = [i for i, _ in sides]
    mids = []
    for k in range(len(sides)):
        a, b = starts[k], starts[(k + 1) % len(starts)]
        idx = list(range(a, b + 1)) if b > a else list(range(a, len(ring))) + list(range(0, b + 1))
        line = LineString([to.transform(*ring[i % len(ring)]) for i in idx])
        mids.append(line.interpolate(0.5, normalized=True))
    if named is None or min(named.distance(m) for m in mids) > 30:
        return False, True, f"skip ({addr.strip()!r} names no road within 30 m)"
    want = min(range(len(sides)), key=lambda k: named.distance(mids[k]))
    roles = [r for _, r in sides]
    ok = roles[want] == "front"
    return True, ok, f"{addr.strip()!r}: side {want} nearest the named road, roles {roles}" + ("" if ok else "  MISMATCH")


if "parcel" in d:
    parcel = next(f for f in d["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon"))
    cases = [(parcel, [(s["index"], s.get("role")) for s in d["parcel"]["sides"]])]
else:
    word = {"front": "front", "rear": "rear", "interior side": "interior", "exterior side": "exterior"}
    cases = [(f, [(s["index"], word.get(s["side"], s["side"])) for s in f["properties"]["sides"]])
             for f in d["features"] if (f.get("properties") or {}).get("sides")]
bad = 0
for parcel, sides in cases:
    checked, ok, message = check(parcel, sides)
    print(f"{sys.argv[1]}: {message}")
    bad += not ok
sys.exit(1 if bad else 0)
