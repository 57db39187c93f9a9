#!/usr/bin/env python3
"""Rooms and openings on the 100 R2V plans (../shared/data/floorplans/r2v_plans), planform
beside the naive OpenCV peer, scored by one evaluator:

- planform: `vectorize MASK OUT --mode centerline --rooms` (its rooms and openings), and
  the same without `--rooms` for the time rooms add;
- OpenCV: a morphological closing of the walls (square kernel of k wall thicknesses, the
  best k of 1, 2, 3, 4), the enclosed background components (not touching the image edge)
  as rooms;
- scored on free space (mask 0): rooms one to one at IoU >= 0.5 (precision, recall, mean
  IoU of the matches), openings by midpoint within max(2 x thickness, 6 px) of an
  annotated door.

    python3 scripts/peers/rooms_check.py VECTORIZE_BIN R2V_PLANS_DIR WORK_DIR
"""
import glob
import json
import os
import subprocess
import sys
import time

import cv2
import numpy as np


def raster(rings, w, h):
    img = np.zeros((h, w), np.uint8)
    pts = [np.round(np.array(r, dtype=np.float64) * 16).astype(np.int32) for r in rings]
    cv2.fillPoly(img, pts, 1, lineType=cv2.LINE_8, shift=4)
    return img.astype(bool)


def score_rooms(gt, ours, free):
    gt = [g & free for g in gt]
    ours = [o & free for o in ours]
    ious = []
    for o in ours:
        best = 0.0
        for g in gt:
            inter = np.count_nonzero(o & g)
            if inter:
                best = max(best, inter / np.count_nonzero(o | g))
        if best >= 0.5:
            ious.append(best)
    return ious


def match_points(a, b, reach):
    pairs = sorted((np.hypot(p[0] - q[0], p[1] - q[1]), i, j)
                   for i, p in enumerate(a) for j, q in enumerate(b)
                   if np.hypot(p[0] - q[0], p[1] - q[1]) <= reach)
    ua, ub, n = set(), set(), 0
    for _, i, j in pairs:
        if i not in ua and j not in ub:
            ua.add(i), ub.add(j)
            n += 1
    return n


def opencv_rooms(mask, k):
    walls = (mask > 127).astype(np.uint8)
    closed = cv2.morphologyEx(walls, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    n, labels = cv2.connectedComponents((closed == 0).astype(np.uint8), connectivity=4)
    h, w = mask.shape
    edge = set(np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])))
    return [labels == i for i in range(1, n) if i not in edge and np.count_nonzero(labels == i) >= 16]


def main():
    vectorize, plans, work = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(work, exist_ok=True)
    tallies = {"planform": [0, 0, 0, 0.0, 0, 0, 0]}
    for k in (1, 2, 3, 4):
        tallies[f"OpenCV closing {k}t"] = [0, 0, 0, 0.0, 0, 0, 0]
    t_rooms = t_walls = 0.0
    gts = sorted(glob.glob(os.path.join(plans, "*_gt.geojson")))
    for gt_path in gts:
        stem = gt_path[: -len("_gt.geojson")]
        gt = json.load(open(gt_path))
        w, h, t = (gt["properties"][k] for k in ("width", "height", "thickness_px"))
        mask = cv2.imread(stem + "_wall.png", cv2.IMREAD_GRAYSCALE)
        free = mask <= 127
        gt_rooms = [raster(f["geometry"]["coordinates"], w, h) for f in gt["features"]
                    if f["properties"]["kind"] == "room"]
        doors = [np.mean(f["geometry"]["coordinates"], axis=0) for f in gt["features"]
                 if f["properties"]["kind"] == "door"]
        out = os.path.join(work, os.path.basename(stem) + ".geojson")
        start = time.perf_counter()
        subprocess.run([vectorize, stem + "_wall.png", out, "--mode", "centerline", "--rooms"],
                       check=True, capture_output=True)
        t_rooms += time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([vectorize, stem + "_wall.png", out[: -len(".geojson")] + "_walls.geojson", "--mode", "centerline"],
                       check=True, capture_output=True)
        t_walls += time.perf_counter() - start
        doc = json.load(open(out))
        flip = lambda ring: [[x, h - y] for x, y in ring]
        ours = [raster([flip(r) for r in f["geometry"]["coordinates"]], w, h)
                for f in doc["features"] if f["properties"]["kind"] == "room"]
        mids = [[(a[0] + b[0]) / 2, h - (a[1] + b[1]) / 2]
                for a, b in (f["geometry"]["coordinates"] for f in doc["features"]
                             if f["properties"]["kind"] == "opening")]
        reach = max(2 * t, 6)
        runs = {"planform": (ours, mids)}
        for k in (1, 2, 3, 4):
            runs[f"OpenCV closing {k}t"] = (opencv_rooms(mask, k * t + 1), [])
        for name, (rooms, openings) in runs.items():
            ious = score_rooms(gt_rooms, rooms, free)
            s = tallies[name]
            s[0] += len(gt_rooms)
            s[1] += len(rooms)
            s[2] += len(ious)
            s[3] += sum(ious)
            s[4] += len(doors)
            s[5] += len(openings)
            s[6] += match_points(doors, openings, reach)
    print(f"{len(gts)} plans, {tallies['planform'][0]} annotated rooms, {tallies['planform'][4]} annotated doors")
    for name, (g, o, m, iou, d, op, om) in tallies.items():
        line = (f"{name}: rooms precision {m / max(o, 1):.3f} recall {m / max(g, 1):.3f} "
                f"mean IoU {iou / max(m, 1):.3f} ({m} of {g}, {o} found)")
        if op:
            line += f"; openings precision {om / op:.3f} recall {om / max(d, 1):.3f} ({om} of {d}, {op} found)"
        print(line)
    print(f"planform vectorize --mode centerline, 100 plans, one process each: {t_walls:.2f} s walls only, "
          f"{t_rooms:.2f} s with --rooms ({(t_rooms / t_walls - 1) * 100:+.0f} %)")


if __name__ == "__main__":
    main()
