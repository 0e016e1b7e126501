use crate::checker::Checker;
use crate::resolve::ScopeKind;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `return` outside a function body.
    ///
    /// ## Why
    /// CPython refuses it ("'return' outside function"). An API script does not return a
    /// value: it sets `frappe.response["message"]` (or `frappe.flags`). To stop a script
    /// early, raise an error with `frappe.throw(...)` or put the rest in an `if`.
    ///
    /// ## Example
    /// ```python
    /// if not frappe.form_dict.name:
    ///     return
    /// ```
    /// Use instead:
    /// ```python
    /// if not frappe.form_dict.name:
    ///     frappe.throw("name is required")
    /// ```
    pub static RULE = {
        code: "SS007",
        name: "return-outside-function",
        severity: Error,
        summary: "`return` outside a function",
        flags: [ex("x = 1\nif x:\n    return x\n")],
        accepts: [ex("def f(x):\n    if x:\n        return x\n")],
    }
}

pub fn check(cx: &mut Checker, range: std::ops::Range<usize>) {
    let scope = cx.scopes.walrus_scope(cx.scope);
    if cx.scopes.kind(scope) != ScopeKind::Function {
        let d = RULE
            .diag(range.start..range.start + 6, "'return' outside function")
            .with_help("set `frappe.response[\"message\"]` to answer an API call, or `frappe.throw(...)` to stop with an error");
        cx.report(d);
    }
}
