use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `break` and `continue` outside the body of a `for` or `while` loop.
    ///
    /// ## Why
    /// CPython refuses them ("'break' outside loop"). A loop's `else:` block and a function
    /// defined inside a loop are not inside that loop.
    ///
    /// ## Example
    /// ```python
    /// if doc.status == "Closed":
    ///     break
    /// ```
    pub static RULE = {
        code: "SS008",
        name: "loop-control-outside-loop",
        severity: Error,
        summary: "`break` or `continue` outside a loop",
        flags: [ex("if True:\n    break\n"), ex("for x in []:\n    def f():\n        continue\n")],
        accepts: [ex("for x in [1]:\n    if x:\n        break\n    continue\n")],
    }
}

pub fn check(cx: &mut Checker, keyword: &str, range: std::ops::Range<usize>) {
    if cx.loop_depth == 0 {
        let msg = if keyword == "break" {
            "'break' outside loop"
        } else {
            "'continue' not properly in loop"
        };
        let d = RULE.diag(range.start..range.start + keyword.len(), msg);
        cx.report(d);
    }
}
