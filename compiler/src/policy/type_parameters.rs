use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses PEP 695 typing syntax: `type X = …` aliases and type parameters
    /// (`def f[T](x: T)`).
    ///
    /// ## Why
    /// Typing constructs create objects at run time and mean nothing in a script;
    /// RestrictedPython refuses them too.
    ///
    /// ## Example
    /// ```python
    /// type Rows = list
    /// ```
    /// Use instead: nothing — scripts need no type aliases.
    pub static RULE = {
        code: "SS115",
        name: "type-parameters",
        severity: Error,
        summary: "PEP 695 `type` aliases and type parameters",
        flags: [ex("type Rows = list\n"), ex("def first[T](items):\n    return items[0]\n")],
        accepts: [ex("def first(items):\n    return items[0]\n")],
    }
}

pub fn report(cx: &mut Checker, range: std::ops::Range<usize>) {
    let d = RULE
        .diag(range, "type aliases and type parameters are not allowed")
        .with_help("remove the typing syntax");
    cx.report(d);
}
