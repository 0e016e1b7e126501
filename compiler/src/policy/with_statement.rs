use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `with` statements.
    ///
    /// ## Why
    /// Context managers guard files, locks and connections; scripts have none of those.
    /// The sandbox offers no object that could be entered, so `with` could only fail.
    ///
    /// ## Example
    /// ```python
    /// with open("data.csv") as f:
    ///     rows = f.read()
    /// ```
    /// Use instead: read data from documents (`frappe.get_all`, `frappe.get_doc`).
    pub static RULE = {
        code: "SS110",
        name: "with-statement",
        severity: Error,
        summary: "a `with` statement",
        flags: [ex("with frappe.flags as f:\n    pass\n")],
        accepts: [ex("f = frappe.flags\n")],
    }
}

pub fn report(cx: &mut Checker, range: std::ops::Range<usize>) {
    let d = RULE
        .diag(
            range,
            "`with` statements are not allowed: scripts have no context managers",
        )
        .with_help("call the functions directly; documents and the database need no `with`");
    cx.report(d);
}
