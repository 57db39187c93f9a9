"""The ezdxf peer of planform's DXF writer: loads a site-plan GeoJSON and
writes an R2007 DXF with a layer per catalogType, POINT / open LWPOLYLINE /
closed LWPOLYLINE per ring and a solid HATCH per polygon, coordinates
projected to UTM with pyproj (as planform does). Usage: ezdxf_write.py IN OUT"""
import json, sys
import ezdxf
from pyproj import Transformer

plan = json.load(open(sys.argv[1]))
def first(c):
    while isinstance(c[0], list): c = c[0]
    return c
pts = [first(f["geometry"]["coordinates"]) for f in plan["features"] if f.get("geometry")]
lon = sum(p[0] for p in pts) / len(pts); lat = sum(p[1] for p in pts) / len(pts)
zone = int((lon + 180) // 6) + 1
to = Transformer.from_crs(4326, (32600 if lat >= 0 else 32700) + zone, always_xy=True)
doc = ezdxf.new("R2007")
msp = doc.modelspace()
for f in plan["features"]:
    layer = (f.get("properties") or {}).get("catalogType", "features")
    if layer not in doc.layers: doc.layers.add(layer)
    g = f["geometry"]; t = g["type"]; c = g["coordinates"]
    proj = lambda ring: [to.transform(x, y) for x, y, *_ in ring]
    if t == "Point":
        msp.add_point(to.transform(c[0], c[1]), dxfattribs={"layer": layer})
    elif t == "LineString":
        msp.add_lwpolyline(proj(c), dxfattribs={"layer": layer})
    elif t in ("Polygon", "MultiPolygon"):
        for poly in ([c] if t == "Polygon" else c):
            rings = [proj(r) for r in poly]
            for r in rings: msp.add_lwpolyline(r, close=True, dxfattribs={"layer": layer})
            h = msp.add_hatch(dxfattribs={"layer": layer})
            for i, r in enumerate(rings): h.paths.add_polyline_path(r, is_closed=True, flags=1 if i == 0 else 0)
doc.saveas(sys.argv[2])
