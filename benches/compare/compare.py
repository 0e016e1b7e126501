"""Side-by-side benchmark of W1–W5 (issue #7): serverscript (release `serverscript
bench`), CPython `exec` of precompiled code, RestrictedPython with Frappe-like guards
(compiled once; compiled every call) and hand-written Rust, on this machine in one run.
Each engine's result is checked against `W*.expected.json`; the table gives µs per call
(median of the samples, after warm-up) and ratios. Run through `run.sh`.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKLOADS = os.path.join(ROOT, "tests", "data", "workloads")
ENGINES = ["serverscript", "cpython", "restricted", "restricted-compile-each-call", "native"]


def plan(quick):
    """Calls per sample: the slow engines' W3 takes ~0.5 s a call."""
    if quick:
        fast = {"W1": 200, "W2": 20, "W3": 1, "W4": 20, "W5": 5}
        slow = {"W1": 20, "W2": 2, "W3": 1, "W4": 2, "W5": 2}
    else:
        fast = {"W1": 100000, "W2": 2000, "W3": 40, "W4": 5000, "W5": 500}
        slow = {"W1": 5000, "W2": 200, "W3": 3, "W4": 300, "W5": 100}
    return fast, slow


def spec(counts):
    return ",".join(f"{w}:{n}" for w, n in counts.items())


def lines(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def serverscript(binary, counts, samples):
    rows = []
    for w, n in counts.items():
        per_call, result = [], None
        for _ in range(samples):
            last = lines([binary, "bench", f"{WORKLOADS}/{w}.py", "--input", f"{WORKLOADS}/{w}.json",
                          "--iterations", str(n), "--warmup", str(max(1, n // 10))])[-1]
            per_call.append(last["elapsed_ns"] / last["iterations"])
            result = last["result"]
        rows.append({"workload": w, "engine": "serverscript", "per_call_ns": per_call, "result": result})
    return rows


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def fmt_us(ns):
    us = ns / 1000
    return f"{us:,.2f}" if us < 100 else f"{us:,.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a smoke run: few calls, one sample")
    ap.add_argument("--record", action="store_true", help="append the table to benches/RESULTS.md")
    ap.add_argument("--python", default=sys.executable, help="the Python with RestrictedPython")
    ap.add_argument("--bin", required=True, help="the target directory's release folder")
    args = ap.parse_args()
    samples = 1 if args.quick else 5
    fast, slow = plan(args.quick)

    rows = serverscript(os.path.join(args.bin, "serverscript"), fast, samples)
    rows += lines([os.path.join(args.bin, "native-workloads"), WORKLOADS, spec(fast), str(samples)])
    rows += lines([args.python, os.path.join(HERE, "engines.py"), WORKLOADS, spec(slow), str(samples)])

    table, failures = {}, []
    for r in rows:
        if "warning" in r:
            print("warning:", r["warning"])
            continue
        w, e = r["workload"], r["engine"]
        with open(f"{WORKLOADS}/{w}.expected.json") as f:
            expected = json.load(f)
        ok = same(r["result"], expected)
        if not ok:
            failures.append(f"{w} {e}: {json.dumps(r['result'])[:300]}")
        table[(w, e)] = (statistics.median(r["per_call_ns"]), ok)

    head = "| workload | " + " | ".join(ENGINES) + " | CPython ÷ ss | RestrictedPython ÷ ss | ss ÷ native |"
    out = [head, "|" + "---|" * (len(ENGINES) + 4)]
    for w in fast:
        cells = []
        for e in ENGINES:
            if (w, e) in table:
                ns, ok = table[(w, e)]
                cells.append(fmt_us(ns) + ("" if ok else " ✗"))
            else:
                cells.append("—")
        ss = table.get((w, "serverscript"), (None,))[0]

        def ratio(num, den):
            a = table.get((w, num), (None,))[0] if num != "ss" else ss
            b = table.get((w, den), (None,))[0] if den != "ss" else ss
            return f"{a / b:,.1f}×" if a and b else "—"

        cells += [ratio("cpython", "ss"), ratio("restricted", "ss"), ratio("ss", "native")]
        out.append(f"| {w} | " + " | ".join(cells) + " |")
    text = "\n".join(out)
    print(text)
    print("\nµs per call, median; ✗ = the result differs from W*.expected.json")
    for f in failures:
        print("MISMATCH", f)

    if args.record and not args.quick:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        with open(os.path.join(ROOT, "benches", "RESULTS.md"), "a") as f:
            f.write(f"\n## {datetime.date.today()} — side by side: W1–W5 per engine (issue #7)\n\n")
            f.write(f"`benches/compare/run.sh`, commit {commit}, {cpu()}, {os.cpu_count()} cores, "
                    f"one run. µs per call (median of {samples} samples after warm-up), "
                    "marshalling included; every result checked against `W*.expected.json`.\n\n")
            f.write(text + "\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
