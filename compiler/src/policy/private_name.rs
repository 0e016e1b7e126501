use crate::checker::Checker;
use crate::names::{is_dunder, is_private};
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses names that start with an underscore — variables, parameters, function
    /// names, imported names, `except … as` names, `global` names and keyword arguments —
    /// except `_` (the translate function) and `_dict` (the attribute-dict class).
    /// Identifiers are NFKC-normalised first, as CPython does: `＿x` and `_x` are the same.
    ///
    /// ## Why
    /// Underscore names are how Python reaches its internals (`__builtins__`,
    /// `__import__`, `__class__`); RestrictedPython and Frappe refuse them for the same
    /// reason. Refusing the whole family keeps the rule simple to state and to check.
    ///
    /// ## Example
    /// ```python
    /// _total = 0
    /// ```
    /// Use instead:
    /// ```python
    /// total = 0
    /// ```
    pub static RULE = {
        code: "SS102",
        name: "private-name",
        severity: Error,
        summary: "a name that starts with an underscore",
        flags: [
            ex("_secret = 1\n"),
            ex("def f(_x):\n    return _x\n"),
            ex("__import__('os').system('id')\n"),
            ex("x = __builtins__\n"),
            ex("import frappe as _f\n"),
            ex("frappe.msgprint(_title='x')\n"),
        ],
        accepts: [
            ex("msg = _('Hello')\nd = _dict(a=1)\nx_ = 1\n"),
            ex("def f(x):\n    return x\n"),
        ],
    }
}

pub fn check(cx: &mut Checker, name: &str, range: std::ops::Range<usize>, what: &str) {
    if !is_private(name) {
        return;
    }
    let why = if is_dunder(name) {
        "dunder names reach Python internals"
    } else {
        "names starting with `_` are reserved"
    };
    let d = RULE
        .diag(range, format!("{what} `{name}` is not allowed: {why}"))
        .with_help("rename it without the leading underscore (only `_` and `_dict` are allowed)");
    cx.report(d);
}
