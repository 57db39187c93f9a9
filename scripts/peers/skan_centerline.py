"""scikit-image + skan peer for centreline mode: in one process, for every
mask: decode, threshold (> 127), skeletonize, build the skan skeleton graph
and take each path's median thickness from the distance transform (the
plain "skeleton with median thickness" baseline). Prints the median loop
time over `--repeat` runs in ms and the number of paths (features)."""
import glob, sys, time
import numpy as np
from scipy import ndimage
from skimage.io import imread
from skimage.morphology import skeletonize
from skan import Skeleton

paths = sorted(glob.glob(sys.argv[1]))
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
# first run warms numba's JIT; it is not timed
for p in paths[:1]:
    Skeleton(skeletonize(imread(p) > 127))
times = []
for _ in range(repeat):
    t = time.perf_counter()
    n_paths = 0
    for p in paths:
        mask = imread(p)
        if mask.ndim > 2:
            mask = mask[..., 0]
        bw = mask > 127
        dist = ndimage.distance_transform_edt(bw)
        sk = Skeleton(skeletonize(bw))
        for i in range(sk.n_paths):
            coords = sk.path_coordinates(i).astype(int)
            np.median(2 * dist[coords[:, 0], coords[:, 1]])
        n_paths += sk.n_paths
    times.append((time.perf_counter() - t) * 1e3)
times.sort()
print(f"{times[len(times) // 2]:.3f} ms for {len(paths)} masks; {n_paths} paths")
