"""OpenCV peer for outline mode: in one process, for every mask: decode,
threshold (> 127), findContours (RETR_CCOMP, CHAIN_APPROX_NONE) and
approxPolyDP (epsilon 0.5 px, closed). Prints the median loop time over
`--repeat` runs in ms, and the vertex counts."""
import glob, sys, time
import cv2

paths = sorted(glob.glob(sys.argv[1]))
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 7
times = []
for _ in range(repeat):
    t = time.perf_counter()
    raw = kept = 0
    for p in paths:
        img = cv2.imread(p, cv2.IMREAD_GRAYSCALE)
        _, bw = cv2.threshold(img, 127, 255, cv2.THRESH_BINARY)
        contours, _ = cv2.findContours(bw, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
        for c in contours:
            raw += len(c)
            kept += len(cv2.approxPolyDP(c, 0.5, True))
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(f"{times[len(times) // 2]:.3f} ms for {len(paths)} masks; vertices {kept}/{raw}")
