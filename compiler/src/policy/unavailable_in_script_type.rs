use serverscript_runtime::surface::ScriptType;

use crate::checker::Checker;
use crate::rule::{declare_rule, ex, ex_as};

declare_rule! {
    /// ## What it does
    /// Warns about `frappe.db.commit`, `frappe.db.rollback` and `frappe.db.add_index` in
    /// DocType Event scripts.
    ///
    /// ## Why
    /// A DocType Event script runs inside the document operation's transaction. Frappe
    /// removes these functions there so a hook cannot commit half of an insert; calling one
    /// raises `AttributeError` at run time. API and Scheduler scripts may commit.
    ///
    /// ## Example
    /// ```python
    /// doc.status = "Closed"
    /// frappe.db.commit()
    /// ```
    /// Use instead: remove the call; the operation commits as a whole when it succeeds.
    pub static RULE = {
        code: "SS203",
        name: "unavailable-in-script-type",
        severity: Warning,
        summary: "`frappe.db.commit`/`rollback`/`add_index` in a DocType Event script",
        flags: [ex_as(ScriptType::DocEvent, "frappe.db.commit()\n"), ex_as(ScriptType::DocEvent, "frappe.db.rollback()\n")],
        accepts: [ex("frappe.db.commit()\n"), ex_as(ScriptType::Scheduler, "frappe.db.commit()\n")],
    }
}

pub fn report(cx: &mut Checker, path: &str, range: std::ops::Range<usize>) {
    let d = RULE
        .diag(
            range,
            format!("`{path}` is not available in DocType Event scripts"),
        )
        .with_label("raises AttributeError when this line runs")
        .with_help("the document operation commits or rolls back as a whole; remove the call");
    cx.report(d);
}
