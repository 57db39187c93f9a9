#!/usr/bin/env python3
"""Mutation fuzzer for planform's example binaries (stdlib only).

Mutates the project's fixtures (and ../shared/data when it is there), runs
the release examples on each mutant under an address-space limit and a
timeout, and reports:

  panic      exit status 101 or "panicked at" on stderr
  crash      killed by a signal (abort, segfault, out of memory)
  hang       still running at the timeout
  clobbered  a failed run changed or removed the output file that was there
  leftover   a temporary or staging file left beside the output
  key        the API key printed (fetch examples, against a hostile local server)

Each finding is saved under OUT_DIR/<kind>-<n>/ with the input that caused
it and `repro.sh`, the command that replays it.

  python3 scripts/fuzz.py [--seconds 300] [--seed 1] [--out fuzz-out]
                          [--mem-mb 4096] [--timeout 20] [--no-build] [--no-fetch]

It builds the examples first (`cargo build --release --examples --features
fetch`) unless --no-build. Exit status 1 when anything was found.
"""
import argparse
import http.server
import json
import os
import random
import resource
import shutil
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "examples"
SENTINEL = b"SENTINEL: this output existed before the run\n"
KEY = "pf_fuzz_SECRET_k3y"
# a fetch run with --timeout 2 --max-wait 3 makes at most 4 attempts per
# request (2 s each, waits of at most 3 s between) and polls for 3 s: it
# must end well within this
FETCH_TIMEOUT = 60


# ---------------------------------------------------------------- seeds


def png_bytes(w, h, pixel):
    """A grey PNG, written by hand (no PIL needed)."""
    raw = b"".join(b"\0" + bytes(pixel(x, y) for x in range(w)) for y in range(h))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def room_mask():
    def px(x, y):
        inside = 10 <= x < 90 and 10 <= y < 70
        wall = inside and (x < 16 or x >= 84 or y < 16 or y >= 64 or 48 <= x < 52)
        door = 30 <= y < 40 and 48 <= x < 52
        return 255 if wall and not door else 0

    return png_bytes(100, 80, px)


def seeds(corpus):
    s = {"plan": [], "mask": [], "dem": [], "layer": []}
    for p in sorted((ROOT / "fixtures").rglob("*.json")):
        s["plan"].append(p.read_bytes())
    s["mask"].append(room_mask())
    s["dem"].extend(p.read_bytes() for p in (ROOT / "fixtures" / "dem").glob("*.tif"))
    if corpus and corpus.is_dir():
        masks = sorted(corpus.glob("floorplans/*/*_wall.png"))
        s["mask"].extend(p.read_bytes() for p in masks[:12] if p.stat().st_size < 400_000)
        for p in sorted(corpus.glob("site/**/*.geojson")):
            if p.stat().st_size < 2_000_000:
                s["layer"].append(p.read_bytes())
        s["dem"].extend(p.read_bytes() for p in sorted(corpus.glob("**/*.tif")) if p.stat().st_size < 5_000_000)
    return s


# ---------------------------------------------------------------- mutators

NASTY_VALUES = [
    1e308, -1e308, 1.797e308, 123456789012345678901234567890, -0.0, 0, -1, 2**63, 2**64,
    "", "\n\r\0\x1b[2J", "x" * 100_000, "é漢·<&>\"'", [], {}, None, True,
    [[0, 0]], [[1e308, 95]], [[[0, 0], [1, 0]]], {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
]


def mutate_bytes(b, rng):
    b = bytearray(b)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(5)
        at = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(at, len(b) - 1)] = rng.randrange(256)
        elif op == 1 and b:
            del b[min(at, len(b) - 1)]
        elif op == 2:
            b[at:at] = bytes([rng.randrange(256)])
        elif op == 3:
            b[at:at] = rng.choice([b"{", b"}", b"[", b"]", b",", b":", b'"', b"1e999", b"-", b"null", b"\n"])
        elif op == 4 and len(b) > 1:
            # repeat a slice (grows structures, duplicates chunks)
            i = rng.randrange(len(b))
            j = min(len(b), i + rng.randint(1, 64))
            b[i:i] = b[i:j] * rng.randint(1, 50)
    if rng.random() < 0.2:
        del b[rng.randrange(len(b) + 1):]
    return bytes(b)


def walk(v, limit=20_000):
    """(path, value) of every node, breadth first (no recursion: the
    fixtures include a deeply nested document)."""
    out, queue = [], [((), v)]
    while queue and len(out) < limit:
        path, x = queue.pop()
        out.append((path, x))
        if isinstance(x, dict):
            queue.extend((path + (k,), y) for k, y in x.items())
        elif isinstance(x, list):
            queue.extend((path + (i,), y) for i, y in enumerate(x))
    return out


def mutate_json(b, rng):
    try:
        doc = json.loads(b)
    except Exception:
        return mutate_bytes(b, rng)
    for _ in range(rng.randint(1, 4)):
        # paths change as the document does: list them anew each time
        places = walk(doc)
        path, _ = rng.choice(places)
        if not path:
            continue
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        r = rng.random()
        if r < 0.6:
            parent[key] = rng.choice(NASTY_VALUES)
        elif r < 0.75 and isinstance(parent, list):
            parent.insert(key, parent[key])
        elif r < 0.85:
            depth = rng.randint(50, 900)
            parent[key] = json.loads("[" * depth + "]" * depth)
        elif isinstance(parent, dict):
            parent.pop(key, None)
        else:
            parent[key] = rng.choice(NASTY_VALUES)
    try:
        out = json.dumps(doc).encode()
    except (ValueError, RecursionError):
        return mutate_bytes(b, rng)
    return out if rng.random() < 0.8 else mutate_bytes(out, rng)


def mutate_png(b, rng):
    """Header lies (huge sizes, 16-bit), chunk damage, or plain bytes."""
    r = rng.random()
    b = bytearray(b)
    if r < 0.3 and len(b) > 24:
        w, h = rng.choice([(14000, 14000), (1, 10**6), (65535, 65535), (0, 5), (4000, 4000)])
        b[16:24] = struct.pack(">II", w, h)
        b[29:33] = struct.pack(">I", zlib.crc32(bytes(b[12:29])) & 0xFFFFFFFF)
    elif r < 0.4 and len(b) > 26:
        b[24] = rng.choice([1, 2, 4, 16])
        b[29:33] = struct.pack(">I", zlib.crc32(bytes(b[12:29])) & 0xFFFFFFFF)
    else:
        return mutate_bytes(bytes(b), rng)
    return bytes(b)


# ---------------------------------------------------------------- runs


class Finder:
    def __init__(self, out, mem_mb, timeout):
        self.out = out
        self.mem = mem_mb * 1024 * 1024
        self.timeout = timeout
        self.counts = {}
        self.runs = 0

    def limit(self):
        resource.setrlimit(resource.RLIMIT_AS, (self.mem, self.mem))
        os.setsid()

    def run(self, name, args, work, inputs, outputs, env=None, secret=None, timeout=None):
        """Runs one example; outputs are pre-filled with SENTINEL."""
        for o in outputs:
            o.write_bytes(SENTINEL)
        before = set(os.listdir(work))
        self.runs += 1
        cmd = [str(BIN / name)] + [str(a) for a in args]
        t0 = time.time()
        try:
            p = subprocess.run(cmd, cwd=work, capture_output=True, timeout=timeout or self.timeout,
                               preexec_fn=self.limit, env=env, stdin=subprocess.DEVNULL)
            rc, err, out = p.returncode, p.stderr.decode("utf-8", "replace"), p.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            # subprocess.run has killed the example already
            rc, err, out = None, (e.stderr or b"").decode("utf-8", "replace"), ""
        found = []
        if rc is None:
            found.append("hang")
        elif rc == 101 or "panicked at" in err:
            found.append("panic")
        elif rc < 0:
            found.append("crash")
        if rc not in (0, None):
            for o in outputs:
                if not o.exists() or o.read_bytes() != SENTINEL:
                    found.append("clobbered")
                    break
        after = set(os.listdir(work)) - before
        if any(f.endswith((".tmp", ".staged")) or f.startswith(".") for f in after):
            found.append("leftover")
        if secret and (secret in err or secret in out):
            found.append("key")
        for kind in found:
            self.save(kind, name, args, inputs, rc, err, time.time() - t0)
        return found

    def save(self, kind, name, args, inputs, rc, err, secs):
        n = self.counts.get(kind, 0) + 1
        self.counts[kind] = n
        d = self.out / f"{kind}-{n}"
        d.mkdir(parents=True, exist_ok=True)
        for src in inputs:
            shutil.copy(src, d / Path(src).name)
        shown = [Path(a).name if str(a).startswith(str(self.out.parent)) or "/tmp" in str(a) else str(a) for a in args]
        (d / "repro.sh").write_text(
            "#!/bin/sh\n# %s: exit %s after %.1f s\ncd \"$(dirname \"$0\")\"\n%s %s\n"
            % (kind, rc, secs, BIN / name, " ".join(repr(a) for a in shown))
        )
        (d / "stderr.txt").write_text(err[-20_000:])
        print(f"FOUND {kind}: {name} {' '.join(shown)} (exit {rc}) -> {d}", flush=True)


# ---------------------------------------------------------------- hostile server


class Hostile(http.server.BaseHTTPRequestHandler):
    """Answers every request with something a bad server might send."""
    rng = random.Random(0)

    def log_message(self, *a):
        pass

    def answer(self):
        rng = Hostile.rng
        auth = self.headers.get("Authorization", "") + self.headers.get("APIKEY", "")
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(min(n, 1 << 24))
        choice = rng.randrange(9)
        status = rng.choice([200, 200, 202, 400, 401, 404, 429, 500, 502, 503, 504])
        body = rng.choice([
            b'{"job_id":"j1","status":"processing"}',
            b'{"job_id":"j1","status":"ready","pdf_url":"http://127.0.0.1:1/x.pdf"}',
            b'{"code":0,"message":"success","data":{"id":1,"status":"Running","percentage":7}}',
            ('{"error":{"type":"x","message":"bad key %s \\u001b[31m"}}' % auth).encode(),
            ('{"error":"x","message":"echo %s","retry_after_seconds":1e300}' % auth).encode(),
            b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e308,95]},"properties":{"catalogType":"tree"}}]}',
            b"\x89PNG\r\n\x1a\n" + b"\0" * 20,
            b"{",
            b"",
        ])
        self.send_response(status)
        if choice < 3:
            self.send_header("Retry-After", rng.choice(["1e300", "-5", "Fri, 31 Dec 9999 23:59:59 GMT", "0", "nonsense"]))
        if choice == 3:
            self.send_header("Content-Length", str(len(body) + 100))  # truncated body
        else:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", rng.choice(["application/json", "image/png", "text/html"]))
        self.end_headers()
        try:
            self.wfile.write(body)
        except Exception:
            pass

    do_GET = do_POST = do_PUT = answer


def serve():
    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    s = Server(("127.0.0.1", 0), Hostile)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "fuzz-out")
    ap.add_argument("--mem-mb", type=int, default=4096)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--no-fetch", action="store_true")
    a = ap.parse_args()
    if not a.no_build:
        features = [] if a.no_fetch else ["--features", "fetch"]
        subprocess.run(["cargo", "build", "--release", "--examples", "-q"] + features, cwd=ROOT, check=True)
    rng = random.Random(a.seed)
    Hostile.rng = random.Random(a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    s = seeds(a.corpus)
    f = Finder(a.out, a.mem_mb, a.timeout)
    server = None if a.no_fetch else serve()
    base = f"http://127.0.0.1:{server.server_address[1]}" if server else None
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_TOKEN", "_BASE_URL"))}
    work = Path(tempfile.mkdtemp(prefix="planform-fuzz-"))
    end = time.time() + a.seconds
    kinds = ["convert", "vectorize", "analyze", "label", "grade"] + ([] if a.no_fetch else ["fetch"])
    while time.time() < end:
        kind = rng.choice(kinds)
        for p in work.iterdir():
            if p.is_file():
                p.unlink()
        if kind == "convert":
            src = work / "in.json"
            src.write_bytes(mutate_json(rng.choice(s["plan"]), rng))
            ext = rng.choice(["geojson", "dxf", "gpkg", "svg"])
            out = work / f"out.{ext}"
            extra = rng.choice([[], ["--lenient"], ["--rfc7946"], ["--dxf-version", "R12"], ["--units", "ft"]])
            f.run("convert", [src, out] + extra, work, [src], [out])
        elif kind == "vectorize":
            src = work / "in.png"
            src.write_bytes(mutate_png(rng.choice(s["mask"]), rng))
            out = work / "out.geojson"
            f.run("vectorize", [src, out, "--mode", rng.choice(["outline", "centerline"])], work, [src], [out])
        elif kind == "analyze":
            src = work / "in.json"
            src.write_bytes(mutate_json(rng.choice(s["plan"]), rng))
            out = work / "out.json"
            m = work / "min.json"
            m.write_bytes(mutate_json(b'{"front": 25, "rear": 25, "interior": 10, "exterior": 15}', rng))
            f.run("analyze", [src, out, "--minimums", m], work, [src, m], [out])
        elif kind == "label" and s["layer"]:
            src = work / "layer.geojson"
            src.write_bytes(mutate_json(rng.choice(s["layer"]), rng))
            out = work / "out.geojson"
            f.run("analyze", ["--label-sides", src, out], work, [src], [out])
        elif kind == "grade" and s["dem"]:
            dem = work / "dem.tif"
            dem.write_bytes(mutate_bytes(rng.choice(s["dem"]), rng))
            out = work / "out.json"
            f.run("analyze", [ROOT / "fixtures/site/interior_lot.json", out, "--dtm", dem], work, [dem], [out])
        elif kind == "fetch":
            which = rng.choice(["fetch_siteplan", "fetch_walls", "house_plan"])
            common = ["--base-url", base, "--api-key", KEY, "--timeout", "2", "--max-wait", "3"]
            if which == "fetch_siteplan":
                out = work / "plan.geojson"
                args = ["1 Main St", out] + rng.choice([[], ["--job", "j1"], ["--pdf", work / "p.pdf"]]) + common
                f.run(which, args, work, [], [out], env=env, secret=KEY, timeout=FETCH_TIMEOUT)
            elif which == "fetch_walls":
                img = work / "plan.png"
                img.write_bytes(room_mask())
                out = work / "walls.geojson"
                args = [img, out] + rng.choice([[], ["--async"]]) + common
                f.run(which, args, work, [img], [out], env=env, secret=KEY, timeout=FETCH_TIMEOUT)
            else:
                brief = work / "brief.json"
                brief.write_text('{"totalArea": "150-200 m²"}')
                out_dir = work / "house"
                args = [brief, out_dir, "--task", "1"] + rng.choice([[], ["--walls", "--walls-api-key", KEY, "--walls-base-url", base]]) + common
                f.run(which, args, work, [brief], [], env=env, secret=KEY, timeout=FETCH_TIMEOUT)
    shutil.rmtree(work, ignore_errors=True)
    found = sum(f.counts.values())
    summary = ", ".join(f"{k} {n}" for k, n in sorted(f.counts.items())) or "nothing"
    print(f"fuzz: {f.runs} runs in {a.seconds:.0f} s (seed {a.seed}): {summary}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
