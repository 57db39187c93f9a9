"""Checks a planform site-plan DXF (R2007/R2018) as a drafter would use it,
read by ezdxf against the plan it was made from.

Usage: dxf_sheet_check.py PLAN.json OUT.dxf UNITS   (UNITS m, ft or mm)

- $INSUNITS matches UNITS; $EXTMIN/$EXTMAX are set and hold every vertex;
- a paper-space layout `Sheet` of a standard paper size (mm), one viewport
  over the whole page whose model height over paper height is the scale
  printed on the sheet ("SCALE 1:N" or 1" = F'), in the drawing's units;
- the `PLANFORM` dimension style and the $DIM header variables sized for
  2.2 mm text on paper;
- DIMENSION entities with the `PLANFORM` dimension style, each with its
  rendered `*D` block (a line and the text at least), one along each
  straight line of the `parcel-sides`/`dimensions` layers (curved sides,
  a cul-de-sac's arc, keep a label: an aligned dimension would measure
  the chord), the measured distance matching the first length in its
  text within 1 % (geodesic against grid lengths);
- every tree of the plan an INSERT of `PLANFORM_TREE` with ATTRIBs
  SPECIES, HEIGHT_M, CANOPY_RADIUS_M equal to the plan's attrs;
- no solid hatch (patterned, with a transparency);
- every MTEXT and TEXT in the `PLANFORM` text style.
"""
import json
import math
import re
import sys

import ezdxf

PAPERS = [(215.9, 279.4), (279.4, 431.8), (431.8, 558.8), (558.8, 863.6),
          (863.6, 1117.6), (457.2, 609.6), (609.6, 914.4), (914.4, 1219.2),
          (210, 297), (297, 420), (420, 594), (594, 841), (841, 1189)]
INSUNITS = {"m": 6, "ft": 2, "mm": 4}
METRES = {"m": 1.0, "ft": 0.3048, "mm": 0.001}

plan_path, dxf_path, units = sys.argv[1], sys.argv[2], sys.argv[3]
plan = json.load(open(plan_path))
doc = ezdxf.readfile(dxf_path)
msp = doc.modelspace()
bad = []

if doc.header.get("$INSUNITS") != INSUNITS[units]:
    bad.append(f"$INSUNITS {doc.header.get('$INSUNITS')}, not {INSUNITS[units]}")
lo, hi = doc.header.get("$EXTMIN"), doc.header.get("$EXTMAX")
pts = [p for e in msp.query("LWPOLYLINE") if e.dxf.layer != "sheet"
       for p in e.get_points("xy")]
if not pts:
    bad.append("no polylines")
elif lo is None or hi is None:
    bad.append("$EXTMIN/$EXTMAX unset")
else:
    eps = 1e-6 * max(abs(v) for v in (*lo[:2], *hi[:2]))
    if not all(lo[0] - eps <= x <= hi[0] + eps and lo[1] - eps <= y <= hi[1] + eps for x, y in pts):
        bad.append(f"a vertex outside $EXTMIN {lo} / $EXTMAX {hi}")

# the sheet
names = [l.name for l in doc.layouts]
if "Sheet" not in names:
    bad.append(f"no Sheet layout: {names}")
else:
    sheet = doc.layouts.get("Sheet")
    w, h = sheet.dxf_layout.dxf.paper_width, sheet.dxf_layout.dxf.paper_height
    if not any(abs(min(w, h) - a) < 0.01 and abs(max(w, h) - b) < 0.01 for a, b in PAPERS):
        bad.append(f"paper {w} x {h} mm is not a standard size")
    vps = [v for v in sheet.query("VIEWPORT") if v.dxf.id > 1]
    texts = [t.dxf.text for t in msp.query("TEXT") if t.dxf.layer == "sheet"]
    scale = next((t for t in texts if t.startswith("SCALE ")), None)
    ratio = None
    if scale and (m := re.fullmatch(r"SCALE 1:(\d+)", scale)):
        ratio = float(m.group(1))
    elif scale and (m := re.fullmatch(r"SCALE 1\" = (\d+)'", scale)):
        ratio = 12.0 * float(m.group(1))
    if ratio is None:
        bad.append(f"no scale text on the sheet: {texts[:5]}")
    if len(vps) != 1:
        bad.append(f"{len(vps)} viewports on the sheet")
    elif ratio:
        v = vps[0]
        k = ratio * 0.001 / METRES[units]  # drawing units per paper mm
        if abs(v.dxf.view_height / v.dxf.height - k) > 1e-6 * k:
            bad.append(f"viewport shows {v.dxf.view_height / v.dxf.height} units/mm, the scale wants {k}")
        if abs(v.dxf.width - w) > 0.01 or abs(v.dxf.height - h) > 0.01:
            bad.append(f"viewport {v.dxf.width} x {v.dxf.height} is not the page")
        print(f"sheet {w} x {h} mm, {scale}, viewport {v.dxf.view_height:.3f} units high")
        # dimension text 2.2 mm on paper, in the style and in the header
        # variables (LibreCAD reads those)
        if "PLANFORM" in doc.dimstyles:
            ds = doc.dimstyles.get("PLANFORM")
            if abs(ds.dxf.dimtxt * ds.dxf.dimscale - 2.2 * k) > 1e-6 * k:
                bad.append(f"dimension text {ds.dxf.dimtxt} x {ds.dxf.dimscale}, not 2.2 mm at 1:{ratio}")
            if abs(doc.header.get("$DIMTXT", 0) * doc.header.get("$DIMSCALE", 1) - 2.2 * k) > 1e-6 * k:
                bad.append(f"$DIMTXT {doc.header.get('$DIMTXT')} is not 2.2 mm at 1:{ratio}")

# dimensions
if "PLANFORM" not in doc.dimstyles:
    bad.append("no PLANFORM dimension style")
def straight(pts):
    (x0, y0), (x1, y1) = pts[0], pts[-1]
    n = math.dist(pts[0], pts[-1])
    return n > 0 and all(abs((x - x0) * (y1 - y0) - (y - y0) * (x1 - x0)) <= 0.005 * n * n for x, y in pts)

side_dims = [((d.dxf.defpoint2.x, d.dxf.defpoint2.y), (d.dxf.defpoint3.x, d.dxf.defpoint3.y), d.dxf.layer)
             for d in msp.query("DIMENSION")]
lines = 0
for e in msp.query("LWPOLYLINE"):
    if e.dxf.layer not in ("parcel-sides", "dimensions"):
        continue
    pts = [tuple(p) for p in e.get_points("xy")]
    if len(pts) < 2 or not straight(pts):
        continue
    lines += 1
    tol = 1e-6 * max(abs(v) for p in pts for v in p)
    if not any(l == e.dxf.layer and math.dist(a, pts[0]) <= tol and math.dist(b, pts[-1]) <= tol
               for a, b, l in side_dims):
        bad.append(f"the straight {e.dxf.layer} line from {pts[0]} has no dimension")
for d in msp.query("DIMENSION"):
    block = d.get_geometry_block()
    kinds = [e.dxftype() for e in block] if block is not None else []
    if "LINE" not in kinds or "TEXT" not in kinds:
        bad.append(f"{d.dxf.text!r}: its block has {kinds}")
    if d.dxf.dimstyle != "PLANFORM":
        bad.append(f"{d.dxf.text!r}: dimension style {d.dxf.dimstyle}")
    m = re.search(r"([\d.]+) (m|ft)\b", d.dxf.text)
    if not m:
        bad.append(f"dimension text {d.dxf.text!r} has no length")
        continue
    p, q = d.dxf.defpoint2, d.dxf.defpoint3
    grid = math.dist((p.x, p.y), (q.x, q.y)) * METRES[units] / (0.3048 if m.group(2) == "ft" else 1.0)
    if abs(grid - float(m.group(1))) > 0.01 * float(m.group(1)) + 0.01:
        bad.append(f"{d.dxf.text!r} measures {grid:.3f}")

# trees
trees = [f for f in plan["features"] if (f.get("properties") or {}).get("catalogType") == "tree"]
inserts = [i for i in msp.query("INSERT") if i.dxf.name == "PLANFORM_TREE"]
if len(inserts) != len(trees):
    bad.append(f"{len(inserts)} tree INSERTs for {len(trees)} trees")
want = sorted(
    (str((f["properties"].get("attrs") or {}).get("species", "")),
     (f["properties"].get("attrs") or {}).get("heightM"),
     (f["properties"].get("attrs") or {}).get("canopyRadiusM")) for f in trees)
def num(s):
    return float(s) if s else None
got = sorted(
    (i.get_attrib_text("SPECIES", ""), num(i.get_attrib_text("HEIGHT_M", "")),
     num(i.get_attrib_text("CANOPY_RADIUS_M", ""))) for i in inserts)
if got != want:
    bad.append(f"tree ATTRIBs {got} != plan {want}")
if trees and "PLANFORM_TREE" in doc.blocks:
    tags = [a.dxf.tag for a in doc.blocks.get("PLANFORM_TREE").attdefs()]
    if tags != ["SPECIES", "HEIGHT_M", "CANOPY_RADIUS_M"]:
        bad.append(f"PLANFORM_TREE ATTDEFs {tags}")

for hatch in msp.query("HATCH"):
    if hatch.dxf.solid_fill or hatch.dxf.pattern_name == "SOLID":
        bad.append("a solid hatch")
        break
    if not hatch.dxf.hasattr("transparency"):
        bad.append("a hatch without transparency")
        break
for t in msp.query("MTEXT TEXT"):
    if t.dxf.style != "PLANFORM":
        bad.append(f"{t.dxftype()} {t.dxf.get('text', '')!r} in style {t.dxf.style}")
        break
if "PLANFORM" not in doc.styles:
    bad.append("no PLANFORM text style")

print(f"{dxf_path}: {len(msp.query('DIMENSION'))} dimensions ({lines} straight lot lines), {len(inserts)} tree inserts")
for b in bad:
    print("FAIL", b)
sys.exit(1 if bad else 0)
