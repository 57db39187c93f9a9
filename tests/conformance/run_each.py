"""Runs a command-line Python script once per argument set in one process
(importing ezdxf or GDAL once instead of once per file).
Usage: run_each.py SCRIPT 'ARG1|ARG2' 'ARG1|ARG2' ...  ('|' separates one
set's arguments). SCRIPT may also be a module name prefixed with 'module:'.
Prints each run's output under a header; exits 1 if any run exited nonzero."""
import contextlib, io, importlib.util, runpy, sys

script, sets = sys.argv[1], sys.argv[2:]
if script.startswith("module:"):
    script = importlib.util.find_spec(script[len("module:"):]).origin
failed = 0
for s in sets:
    args = s.split("|")
    sys.argv = [script] + args
    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            runpy.run_path(script, run_name="__main__")
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except Exception as e:  # a crash of the validator on our file is a failure
            print(f"{type(e).__name__}: {e}")
            code = 1
    if code:
        failed += 1
    print(f"== {' '.join(args)}: {'FAIL' if code else 'ok'}\n{out.getvalue()}", end="")
sys.exit(1 if failed else 0)
