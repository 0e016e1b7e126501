use serverscript_runtime::surface::{
    self, BUILTIN_CONSTANTS, BUILTIN_EXCEPTIONS, BUILTIN_FUNCTIONS, SANDBOX_GLOBALS,
    implicit_local_owner,
};

use crate::checker::Checker;
use crate::rule::{declare_rule, ex, ex_as};
use serverscript_runtime::surface::ScriptType;

declare_rule! {
    /// ## What it does
    /// Warns about names the script reads but never binds and the sandbox does not
    /// provide. `doc` exists only in DocType Event scripts; `user` and `conditions` only in
    /// Permission Query scripts.
    ///
    /// ## Why
    /// Python raises `NameError` when such a line runs — possibly only on a rare path, in
    /// production. The warning tells the author at save time. It is a warning, not an
    /// error, because the line may never run (and Frappe accepts such scripts).
    ///
    /// ## Example
    /// ```python
    /// frappe.msgprint(mesage)
    /// ```
    pub static RULE = {
        code: "SS201",
        name: "undefined-name",
        severity: Warning,
        summary: "a name that is never assigned and not provided by the sandbox",
        flags: [
            ex("frappe.msgprint(mesage)\n"),
            ex("doc.status = 'Closed'\n"),
            ex_as(ScriptType::DocEvent, "conditions = 'x'\nu = user\n"),
            ex("@decorator\ndef f():\n    pass\n"),
        ],
        accepts: [
            ex_as(ScriptType::DocEvent, "doc.status = 'Closed'\n"),
            ex_as(ScriptType::PermissionQuery, "conditions = f\"owner = '{user}'\"\n"),
            ex("def f():\n    return later\nlater = 1\n"),
            ex("x = [n for n in range(3)]\ny = len(x) + abs(-1)\nz = frappe.utils.flt(1)\n"),
        ],
    }
}

pub fn report(cx: &mut Checker, name: &str, range: std::ops::Range<usize>) {
    let help = match implicit_local_owner(name) {
        Some(owner) if owner != cx.script_type => format!(
            "`{name}` exists only in {} scripts; this script is checked as {} (CLI: `--type {}`)",
            owner.frappe_label(),
            cx.script_type.frappe_label(),
            owner.cli_name()
        ),
        _ => {
            let candidates = BUILTIN_FUNCTIONS
                .iter()
                .chain(BUILTIN_CONSTANTS)
                .chain(BUILTIN_EXCEPTIONS)
                .copied()
                .chain(SANDBOX_GLOBALS.iter().map(|(n, _)| *n))
                .chain(surface::implicit_locals(cx.script_type).iter().copied());
            match super::did_you_mean(name, candidates) {
                Some(s) => {
                    format!("did you mean `{s}`? (Python raises NameError when this line runs)")
                }
                None => {
                    "assign it before use; Python raises NameError when this line runs".to_string()
                }
            }
        }
    };
    let d = RULE
        .diag(range, format!("undefined name `{name}`"))
        .with_help(help);
    cx.report(d);
}
