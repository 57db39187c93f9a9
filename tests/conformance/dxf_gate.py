"""planform's strict DXF gate (ezdxf >= 1.4).

Usage: dxf_gate.py FILE.dxf [ACADVER]   (ACADVER such as AC1021 for R2007)

A file passes only when all of these find nothing:
1. the raw tag stream: group codes and values alternate line by line, every
   group code is an integer, every float group (10-59, 110-149, 210-239,
   460-469, 1010-1059) parses as a finite number, the file ends with 0/EOF;
   a value with a raw line break shifts this pairing and is caught here;
2. ezdxf's strict loader (`ezdxf.readfile`, raises on structural errors);
3. ezdxf's recover loader: any fix or error its auditor records;
4. `doc.audit()` on the strictly loaded document: any fix or error;
5. the version, when ACADVER is given.
`ezdxf audit` alone is not enough: it loads through the tolerant recover
module and reports a truncated file as clean.
"""
import math
import sys

import ezdxf
from ezdxf import recover


def float_group(code):
    return (10 <= code <= 59 or 110 <= code <= 149 or 210 <= code <= 239
            or 460 <= code <= 469 or 1010 <= code <= 1059)


def raw_problems(path):
    with open(path, "rb") as f:
        data = f.read()
    if b"\r" in data.replace(b"\r\n", b""):
        yield "a bare carriage return (a line break inside a value)"
    lines = data.decode("utf-8", "replace").splitlines()
    if len(lines) % 2:
        yield f"odd number of lines ({len(lines)}): codes and values do not pair"
    for i in range(0, len(lines) - 1, 2):
        raw_code, value = lines[i].strip(), lines[i + 1]
        try:
            code = int(raw_code)
        except ValueError:
            yield f"line {i + 1}: group code {raw_code!r} is not an integer"
            return
        if float_group(code):
            try:
                x = float(value)
            except ValueError:
                yield f"line {i + 2}: group {code} value {value!r} is not a number"
                continue
            if not math.isfinite(x):
                yield f"line {i + 2}: group {code} value {value!r} is not finite"
    if len(lines) < 2 or lines[-2].strip() != "0" or lines[-1].strip() != "EOF":
        yield "the file does not end with 0/EOF"


def main():
    path = sys.argv[1]
    want = sys.argv[2] if len(sys.argv) > 2 else None
    problems = [f"raw: {p}" for p in raw_problems(path)]
    doc = ezdxf.readfile(path)
    _, auditor = recover.readfile(path)
    problems += [f"recover fix: {f.message}" for f in auditor.fixes]
    problems += [f"recover error: {e.message}" for e in auditor.errors]
    audit = doc.audit()
    problems += [f"audit fix: {f.message}" for f in audit.fixes]
    problems += [f"audit error: {e.message}" for e in audit.errors]
    if want and doc.dxfversion != want:
        problems.append(f"version {doc.dxfversion}, expected {want}")
    for p in problems:
        print(p)
    layers = sorted(layer.dxf.name for layer in doc.layers)
    print(f"{path}: {doc.dxfversion}, {len(doc.modelspace())} entities, layers {layers}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
