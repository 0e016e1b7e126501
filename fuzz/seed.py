#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora from the repository's own scripts.

    fuzz/seed.py          # (re)writes fuzz/corpus/check and fuzz/corpus/compile_run

`check` gets every hostile input, differential case, workload and real-world script,
each prefixed with one byte that picks its script type (0 doc event, 1 API, 2 scheduler,
3 permission query). `compile_run` gets the differential cases and workloads (scripts that
run without a site), prefixed with two bytes the target reads as limits. File names are
content hashes, so re-running adds nothing twice.
"""
import hashlib
import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"
# Larger inputs (the hostile megabyte scripts) slow every mutation down; the robustness
# tests run them.
MAX_SEED = 64 * 1024
TYPES = {"doc-event": 0, "doc_event": 0, "DocType Event": 0, "api": 1, "API": 1,
         "scheduler": 2, "Scheduler Event": 2, "permission-query": 3, "Permission Query": 3}


def write(target, data):
    if len(data) > MAX_SEED:
        return
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def main():
    runnable = []
    for case in sorted((ROOT / "tests" / "differential" / "cases").rglob("*.py")):
        runnable.append(case.read_bytes())
    for w in sorted((ROOT / "tests" / "data" / "workloads").glob("W*.py")):
        runnable.append(w.read_bytes())
    for script in runnable:
        write("check", bytes([1]) + script)
        write("compile_run", bytes([0, 0]) + script)
        write("compile_run", bytes([1, 5]) + script)
    for rec in jsonl(ROOT / "tests" / "data" / "hostile" / "hostile.jsonl"):
        kind = TYPES.get(rec.get("script_type") or "api", 1)
        write("check", bytes([kind]) + rec["script"].encode("utf-8", "surrogatepass"))
    for rec in jsonl(ROOT / "tests" / "data" / "corpus" / "scripts.jsonl"):
        kind = TYPES.get(rec.get("script_type") or "API", 1)
        write("check", bytes([kind]) + rec["script"].encode("utf-8"))
    for target in ("check", "compile_run"):
        print(target, len(os.listdir(OUT / target)), "seeds")


if __name__ == "__main__":
    main()
