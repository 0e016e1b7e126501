use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses binding the names `print` and `printed` (assignment, `def`, parameter,
    /// import alias, loop variable, `except … as`).
    ///
    /// ## Why
    /// `print(...)` writes to the request's debug log (`_debug_messages`); rebinding it
    /// would silently drop that output. RestrictedPython reserves both names.
    ///
    /// ## Example
    /// ```python
    /// print = frappe.msgprint
    /// ```
    /// Use instead: call `frappe.msgprint(...)` directly.
    pub static RULE = {
        code: "SS113",
        name: "reserved-name",
        severity: Error,
        summary: "assigning to `print` or `printed`",
        flags: [ex("print = 1\n"), ex("def printed():\n    pass\n"), ex("for print in []:\n    pass\n")],
        accepts: [ex("print('total', 3)\nprinter = 'HP'\n")],
    }
}

pub fn check(cx: &mut Checker, name: &str, range: std::ops::Range<usize>) {
    if name == "print" || name == "printed" {
        let d = RULE
            .diag(
                range,
                format!("`{name}` cannot be assigned: it is reserved for the debug log"),
            )
            .with_help("choose another name");
        cx.report(d);
    }
}
