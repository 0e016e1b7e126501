"""A small Frappe-like environment for running the differential cases under CPython.

It provides what the cases use and nothing more: `frappe` (utils.flt/cint/cstr,
response, flags, form_dict, throw, msgprint, _dict, the exception classes the cases
raise), `json`, `_dict`, and a `print` that records each call as one stripped line, as
Frappe's print collector does. Written for serverscript's tests; not Frappe's code.
"""

import json as _json
import sys
import types

from prelude_utils import abs_url, extract_title, get_hooks, make_utils


class _dict(dict):
    """Frappe's attribute dict: missing attributes read as None."""

    def __getattr__(self, key):
        return self.get(key)

    def __setattr__(self, key, value):
        self[key] = value

    def __delattr__(self, key):
        del self[key]

    def copy(self):
        return _dict(self)


class ValidationError(Exception):
    pass


class PermissionError(Exception):  # noqa: A001 - Frappe's own class of this name
    pass


class DoesNotExistError(ValidationError):
    pass


class MandatoryError(ValidationError):
    pass


class DuplicateEntryError(Exception):
    pass


def flt(s, precision=None):
    """frappe.utils.flt for the values the cases use (no decimal ties)."""
    if isinstance(s, str):
        s = s.replace(",", "")
    try:
        num = float(s)
    except Exception:
        num = 0.0
    if precision is not None:
        num = round(num, precision)
    return num


def cint(s, default=0):
    try:
        return int(float(s)) if not isinstance(s, int) else int(s)
    except Exception:
        return default


def cstr(s, encoding="utf-8"):
    if s is None:
        return ""
    return str(s)


def make(log):
    """Fresh globals for one case: a new response/flags/form_dict and print log."""
    frappe = types.ModuleType("frappe")
    utils = types.ModuleType("frappe.utils")
    utils.flt, utils.cint, utils.cstr = flt, cint, cstr
    for name, fn in make_utils(ValidationError).items():
        setattr(utils, name, fn)
    frappe.utils = utils
    website = types.ModuleType("frappe.website")
    website.abs_url, website.extract_title = abs_url, extract_title
    frappe.website = website
    frappe.get_hooks = get_hooks
    frappe._dict = _dict
    frappe.response = _dict()
    frappe.flags = _dict()
    frappe.form_dict = _dict()
    frappe.ValidationError = ValidationError
    frappe.PermissionError = PermissionError
    frappe.DoesNotExistError = DoesNotExistError
    frappe.MandatoryError = MandatoryError
    frappe.DuplicateEntryError = DuplicateEntryError

    def throw(msg, exc=ValidationError, title=None):
        raise exc(msg)

    def msgprint(msg, title=None, raise_exception=False, indicator=None):
        if raise_exception:
            raise ValidationError(msg)

    frappe.throw = throw
    frappe.msgprint = msgprint
    sys.modules["frappe"] = frappe
    sys.modules["frappe.utils"] = utils

    def print_(*args, sep=" ", end="\n", file=None, flush=False):
        log.append((sep.join(str(a) for a in args) + end).strip())

    return {
        "__builtins__": __builtins__,
        "frappe": frappe,
        "json": _json,
        "_dict": _dict,
        "print": print_,
    }
