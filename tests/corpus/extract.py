"""What each corpus script needs from a site, for the corpus smoke test.

Reads tests/data/corpus/scripts.jsonl and prints one JSON object: for every script that
CPython can parse, the DocTypes it names (first string argument of frappe.get_doc,
new_doc, get_all, db.get_value, ... and "doctype" keys of dict literals, plus the
DocType Event script's reference_doctype), which of them it reads as Singles
(get_single_value), the field names it reads and writes (attribute names and
identifier-like string constants) and the child tables it appends to
(`x.append("items", {...})`). Written for serverscript's tests.
"""

import ast
import json
import keyword
import re
import sys

DOC_FUNCS = {
    "get_doc", "new_doc", "get_all", "get_list", "get_value", "set_value", "exists",
    "count", "get_cached_doc", "get_last_doc", "delete_doc", "get_single_value",
    "get_meta", "rename_doc", "get_cached_value", "get_mapped_doc",
}
STANDARD = {
    "name", "owner", "creation", "modified", "modified_by", "docstatus", "idx",
    "parent", "parenttype", "parentfield", "doctype",
}
IDENT = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
DOCTYPE = re.compile(r"^[A-Za-z][A-Za-z0-9 _-]{0,60}$")


def call_name(func):
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def dotted(node):
    """`frappe.db.get_value` for an attribute chain rooted at a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def frappe_names(tree):
    """Every `frappe.…` chain the script writes, and names it imports from frappe."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            d = dotted(node)
            if d and d.startswith("frappe."):
                names.add(d)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("frappe"):
            for a in node.names:
                names.add(node.module + "." + a.name)
    return names


def extract(script, reference_doctype):
    tree = ast.parse(script)
    doctypes, singles, fields, tables = set(), set(), set(), {}
    called = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute):
                called.add(id(node.func))
            name = call_name(node.func)
            first = node.args[0] if node.args else None
            if name in DOC_FUNCS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                if DOCTYPE.match(first.value):
                    doctypes.add(first.value)
                    if name == "get_single_value":
                        singles.add(first.value)
            if name == "append" and len(node.args) == 2 and isinstance(first, ast.Constant) \
                    and isinstance(first.value, str) and IDENT.match(first.value):
                child = tables.setdefault(first.value, set())
                row = node.args[1]
                if isinstance(row, ast.Dict):
                    for k in row.keys:
                        if isinstance(k, ast.Constant) and isinstance(k.value, str) and IDENT.match(k.value):
                            child.add(k.value)
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and k.value == "doctype" and isinstance(v, ast.Constant) \
                        and isinstance(v.value, str) and DOCTYPE.match(v.value):
                    doctypes.add(v.value)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in called and IDENT.match(node.attr):
            fields.add(node.attr)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and IDENT.match(node.value):
            fields.add(node.value)
    if reference_doctype and DOCTYPE.match(reference_doctype):
        doctypes.add(reference_doctype)
    bad = STANDARD | set(keyword.kwlist) | set(tables)
    fields = sorted(f for f in fields if f not in bad)[:300]
    return {
        "doctypes": sorted(doctypes),
        "singles": sorted(singles),
        "fields": fields,
        "tables": {t: sorted(c - STANDARD) for t, c in sorted(tables.items())},
        "names": sorted(frappe_names(tree)),
    }


def main(path):
    out = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            try:
                out[r["id"]] = extract(r["script"], r.get("reference_doctype"))
            except SyntaxError:
                pass
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
