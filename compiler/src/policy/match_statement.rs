use serverscript_runtime::surface::ScriptType;

use crate::checker::Checker;
use crate::rule::{declare_rule, ex_as};

declare_rule! {
    /// ## What it does
    /// Refuses `match` statements.
    ///
    /// ## Why
    /// Class patterns (`case Point(x=0)`) match by attribute lookup on arbitrary classes;
    /// RestrictedPython refuses the statement and no real script uses it.
    ///
    /// ## Example
    /// ```python
    /// match doc.status:
    ///     case "Open":
    ///         doc.priority = "High"
    /// ```
    /// Use instead:
    /// ```python
    /// if doc.status == "Open":
    ///     doc.priority = "High"
    /// ```
    pub static RULE = {
        code: "SS111",
        name: "match-statement",
        severity: Error,
        summary: "a `match` statement",
        flags: [ex_as(ScriptType::DocEvent, "match doc.status:\n    case 'Open':\n        pass\n")],
        accepts: [ex_as(ScriptType::DocEvent, "match = doc.status == 'Open'\n")],
    }
}

pub fn report(cx: &mut Checker, range: std::ops::Range<usize>) {
    let d = RULE
        .diag(range, "`match` statements are not allowed")
        .with_help("use an `if`/`elif` chain, or a dict lookup");
    cx.report(d);
}
