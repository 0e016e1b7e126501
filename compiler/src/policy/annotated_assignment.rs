use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses annotated assignments (`x: int = 5`, `x: int`).
    ///
    /// ## Why
    /// Annotations are evaluated as code in CPython and carry no meaning in a script;
    /// RestrictedPython refuses them. Annotations on `def` parameters are accepted and
    /// never evaluated.
    ///
    /// ## Example
    /// ```python
    /// total: float = 0
    /// ```
    /// Use instead:
    /// ```python
    /// total = 0.0
    /// ```
    pub static RULE = {
        code: "SS112",
        name: "annotated-assignment",
        severity: Error,
        summary: "an annotated assignment (`x: int = 5`)",
        flags: [ex("x: int = 5\n"), ex("y: str\n")],
        accepts: [ex("x = 5\ndef f(a: int) -> int:\n    return a\n")],
    }
}

pub fn report(cx: &mut Checker, range: std::ops::Range<usize>) {
    let d = RULE
        .diag(range, "annotated assignments are not allowed")
        .with_help("drop the annotation: `total: float = 0` becomes `total = 0`");
    cx.report(d);
}
