"""The Python side of the side-by-side benchmark: W1–W5 under CPython `exec` of code
compiled once (with a small Frappe-like prelude), and under RestrictedPython with
guards like Frappe's `safe_exec` — compiled once, and compiled on every call.

Every call includes the marshalling a real engine does: the input objects are built
from the parsed JSON input, the script runs, the result is produced as JSON-ready data.
Written for serverscript's benchmarks (not Frappe's code).

Usage: python3 engines.py WORKLOAD_DIR W1:N1,W2:N2,... SAMPLES (calls per sample of
each workload)
Prints one JSON object per line: {"workload", "engine", "per_call_ns": [...], "result"}.
"""

import json
import math
import sys
import time


class _dict(dict):
    def __getattr__(self, key):
        return self.get(key)

    def __setattr__(self, key, value):
        self[key] = value


class ValidationError(Exception):
    pass


def flt(s, precision=None):
    """Frappe's flt with its default rounding (legacy banker's: half up above 0 places)."""
    if isinstance(s, str):
        s = s.replace(",", "")
    try:
        num = float(s)
    except Exception:
        return 0.0
    if precision is not None:
        multiplier = 10 ** precision
        num = round(num * multiplier if precision else num, 8)
        floor_num = math.floor(num)
        decimal_part = num - floor_num
        if not precision and decimal_part == 0.5:
            num = floor_num if floor_num % 2 == 0 else floor_num + 1
        elif decimal_part == 0.5:
            num = floor_num + 1
        else:
            num = round(num)
        num = num / multiplier if precision else num
    return num


def cint(s, default=0):
    try:
        return int(s)
    except Exception:
        try:
            return int(float(s))
        except Exception:
            return default


class Document:
    """A Frappe-like document: fields are attributes (so `doc.items` is the child
    table, not a dict method), child rows are documents, a missing field reads None."""

    def __init__(self, fields):
        for k, v in fields.items():
            if isinstance(v, list):
                v = [Document(x) if isinstance(x, dict) else x for x in v]
            self.__dict__[k] = v

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return None

    def get(self, key, default=None):
        return self.__dict__.get(key, default)

    def as_dict(self):
        out = {}
        for k, v in self.__dict__.items():
            if isinstance(v, list):
                v = [x.as_dict() if isinstance(x, Document) else x for x in v]
            out[k] = v
        return out


def frappe_for(form_dict):
    """A fresh `frappe` namespace per call, as Frappe builds its globals per run."""
    utils = _dict(flt=flt, cint=cint)

    def throw(msg, exc=ValidationError, title=None):
        raise exc(msg)

    return _dict(utils=utils, throw=throw, form_dict=_dict(form_dict), response=_dict(),
                 flags=_dict(), ValidationError=ValidationError, _dict=_dict)


def result_of(kind, env):
    if kind == "doc_event":
        return {"doc": env["doc"].as_dict()}
    return {"message": env["frappe"].response.get("message")}


def plain(v):
    """JSON-ready data (tuples as lists, `_dict`s as dicts)."""
    return json.loads(json.dumps(v))


# ---------------------------------------------------------------- RestrictedPython

def restricted_globals():
    from RestrictedPython import safe_builtins, limited_builtins, utility_builtins
    from RestrictedPython.Guards import guarded_iter_unpack_sequence

    unsafe = {"gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_origin",
              "cr_await", "ag_code", "ag_frame", "tb_frame", "tb_next", "format",
              "format_map", "f_back", "f_builtins", "f_code", "f_globals", "f_locals",
              "f_trace"}

    def _getattr_(obj, name, default=None):
        # Frappe's rules: unsafe names refused, `_` names refused, a missing attribute
        # reads None
        if name in unsafe:
            raise SyntaxError(f"{name} is an unsafe attribute")
        if isinstance(name, str) and name.startswith("_"):
            raise AttributeError(f'"{name}" is an invalid attribute name because it starts with "_"')
        return getattr(obj, name, default)

    def _getitem_(obj, key):
        if isinstance(key, str) and key.startswith("_"):
            raise SyntaxError("Key starts with _")
        return obj[key]

    def _write_(obj):
        if isinstance(obj, type) or (callable(obj) and not isinstance(obj, (dict, Document))):
            raise SyntaxError(f"Not allowed to write to object {obj} of type {type(obj)}")
        return obj

    def _inplacevar_(op, x, y):
        # dev-latest Frappe's protected in-place operator, for the operators used here
        if op == "+=":
            return x + y
        if op == "-=":
            return x - y
        if op == "*=":
            return x * y
        raise TypeError(f"{op} is not supported here")

    builtins = dict(safe_builtins)
    builtins.update(limited_builtins)
    builtins.update(utility_builtins)
    builtins.update({"sorted": sorted, "sum": sum, "len": len, "dict": dict, "list": list})
    return {
        "__builtins__": builtins,
        "_getattr_": _getattr_,
        "_getitem_": _getitem_,
        "_write_": _write_,
        "_getiter_": iter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_inplacevar_": _inplacevar_,
        "json": json,
        "_dict": _dict,
    }


def compile_restricted(source, name):
    from RestrictedPython import compile_restricted as rp_compile
    return rp_compile(source, filename="<serverscript>", mode="exec")


# ---------------------------------------------------------------- timing

def run_engine(engine, source, case, iterations, samples):
    kind = case.get("kind")
    doc_in = case.get("doc")
    form = case.get("form_dict") or {}
    if engine == "cpython":
        code = compile(source, "<script>", "exec")
        cpython_globals = {"__builtins__": __builtins__, "json": json, "_dict": _dict}

        def fresh():
            return dict(cpython_globals)
    else:
        # Frappe's safe_exec builds its globals (guards, builtins) on every call: so here
        fresh = restricted_globals
        code = compile_restricted(source, "<script>") if engine == "restricted" else None

    def once():
        env = fresh()
        env["frappe"] = frappe_for(form)
        if kind == "doc_event":
            env["doc"] = Document(doc_in)
        c = code if code is not None else compile_restricted(source, "<script>")
        exec(c, env)
        return result_of(kind, env)

    for _ in range(max(1, iterations // 10)):
        once()
    per_call = []
    result = None
    for _ in range(samples):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            result = once()
        per_call.append((time.perf_counter_ns() - start) / iterations)
    return per_call, plain(result)


def main():
    directory, spec, samples = sys.argv[1], sys.argv[2], int(sys.argv[3])
    plan = [(w, int(n)) for w, n in (item.split(":") for item in spec.split(","))]
    engines = ["cpython", "restricted", "restricted-compile-each-call"]
    try:
        import RestrictedPython  # noqa: F401
    except ImportError:
        engines = ["cpython"]
        print(json.dumps({"warning": "RestrictedPython is not installed"}), flush=True)
    for w, n in plan:
        with open(f"{directory}/{w}.py") as f:
            source = f.read()
        with open(f"{directory}/{w}.json") as f:
            case = json.load(f)
        for engine in engines:
            per_call, result = run_engine(engine, source, case, n, samples)
            print(json.dumps({"workload": w, "engine": engine, "per_call_ns": per_call,
                              "result": result}), flush=True)


if __name__ == "__main__":
    main()
