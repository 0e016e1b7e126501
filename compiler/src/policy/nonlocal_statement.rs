use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `nonlocal` statements.
    ///
    /// ## Why
    /// RestrictedPython refuses them and no real script uses them. Keeping closures
    /// read-only keeps the compiled code simple: an inner function can read the enclosing
    /// function's variables but not rebind them.
    ///
    /// ## Example
    /// ```python
    /// def outer():
    ///     count = 0
    ///     def bump():
    ///         nonlocal count
    ///         count += 1
    /// ```
    /// Use instead: return the new value, or keep state in a dict: `state["count"] += 1`.
    pub static RULE = {
        code: "SS109",
        name: "nonlocal-statement",
        severity: Error,
        summary: "a `nonlocal` statement",
        flags: [ex("def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n")],
        accepts: [ex("def f():\n    state = {'x': 1}\n    def g():\n        state['x'] = 2\n")],
    }
}

pub fn report(cx: &mut Checker, range: std::ops::Range<usize>) {
    let d = RULE.diag(range, "`nonlocal` is not allowed").with_help(
        "return the new value from the inner function, or keep shared state in a dict or list",
    );
    cx.report(d);
}
