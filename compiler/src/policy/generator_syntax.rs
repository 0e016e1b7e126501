use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `yield` and `yield from` (generator functions).
    ///
    /// ## Why
    /// No real server script uses them (none of 539 public ones), and suspended frames are
    /// what the generator-frame escape (CVE-2023-37271) walked. Generator *expressions*
    /// such as `sum(x.qty for x in doc.items)` are fine.
    ///
    /// ## Example
    /// ```python
    /// def rows():
    ///     for r in doc.items:
    ///         yield r.qty
    /// ```
    /// Use instead:
    /// ```python
    /// def rows():
    ///     return [r.qty for r in doc.items]
    /// ```
    pub static RULE = {
        code: "SS108",
        name: "generator-syntax",
        severity: Error,
        summary: "`yield` (generator functions)",
        flags: [ex("def gen():\n    yield 1\n"), ex("def gen(x):\n    yield from x\n")],
        accepts: [ex("total = sum(x * 2 for x in [1, 2, 3])\n")],
    }
}

pub fn report(cx: &mut Checker, range: std::ops::Range<usize>, what: &str) {
    let d = RULE
        .diag(
            range,
            format!("`{what}` is not allowed: generator functions are not supported"),
        )
        .with_help("build and return a list, or use a generator expression `(x for x in items)`");
    cx.report(d);
}
