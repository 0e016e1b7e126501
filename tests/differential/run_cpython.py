"""Runs differential cases under CPython; prints one JSON object:
{"case path": {"log": [printed lines], "error": null | {"type", "message", "line"}}}.

Usage: python3 run_cpython.py CASE.py... (paths relative to the cases folder are kept
as given).
"""

import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prelude  # noqa: E402

results = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        src = f.read()
    log = []
    error = None
    try:
        code = compile(src, path, "exec")
        exec(code, prelude.make(log))
    except BaseException as e:  # noqa: BLE001 - every failure is a result here
        line = None
        for frame in traceback.extract_tb(e.__traceback__):
            if frame.filename == path:
                line = frame.lineno
        error = {"type": type(e).__name__, "message": str(e), "line": line}
    results[path] = {"log": log, "error": error}
json.dump(results, sys.stdout)
