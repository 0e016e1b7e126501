use serverscript_runtime::surface::ScriptType;

use crate::checker::Checker;
use crate::names::{is_dunder, is_private};
use crate::rule::{declare_rule, ex, ex_as};

declare_rule! {
    /// ## What it does
    /// Refuses attribute names that start with an underscore (`x._meta`, `().__class__`),
    /// except `frappe._` and `frappe._dict`. Attribute names are NFKC-normalised first, so
    /// `x._＿class＿＿` is `x.__class__`.
    ///
    /// ## Why
    /// Every classic Python sandbox escape walks dunder attributes:
    /// `().__class__.__bases__[0].__subclasses__()`, `f.__globals__`,
    /// `e.__traceback__.tb_frame`. serverscript has no such object graph, and refuses the
    /// syntax anyway so the script says plainly what it means.
    ///
    /// ## Example
    /// ```python
    /// meta = doc._meta
    /// ```
    /// Use instead:
    /// ```python
    /// meta = frappe.get_meta(doc.doctype)
    /// ```
    /// Fields whose names start with `_` (`_assign`, `_comments`) are data: read them with
    /// `doc.get("_assign")`.
    pub static RULE = {
        code: "SS103",
        name: "private-attribute",
        severity: Error,
        summary: "an attribute that starts with an underscore",
        flags: [
            ex("().__class__.__bases__[0].__subclasses__()\n"),
            ex("f = lambda: 0\ng = f.__globals__\n"),
            ex("x = frappe.__dict__\n"),
            ex_as(ScriptType::DocEvent, "x = doc._meta\n"),
            ex("x = frappe._dict.__subclasses__()\n"),
            ex("x = frappe._＿class＿＿\n"),
        ],
        accepts: [
            ex("d = frappe._dict(a=1)\nt = frappe._('Hello')\n"),
            ex_as(ScriptType::DocEvent, "assigned = doc.get('_assign')\n"),
        ],
    }
}

pub fn check(cx: &mut Checker, attr: &str, range: std::ops::Range<usize>) {
    if !is_private(attr) {
        return;
    }
    let (why, help) = if is_dunder(attr) {
        (
            "dunder attributes reach Python internals",
            "script values have no Python internals to inspect; read data fields by name"
                .to_string(),
        )
    } else {
        (
            "attributes starting with `_` are private",
            format!("a document field named `{attr}` is data: read it with `doc.get(\"{attr}\")`"),
        )
    };
    let d = RULE
        .diag(range, format!("attribute `{attr}` is not allowed: {why}"))
        .with_help(help);
    cx.report(d);
}
