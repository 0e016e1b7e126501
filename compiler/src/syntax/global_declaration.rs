use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses a `global` declaration of a name the same scope already used, assigned or
    /// takes as a parameter.
    ///
    /// ## Why
    /// CPython refuses these ("name 'x' is used prior to global declaration", "name 'x' is
    /// parameter and global"): the declaration would change the meaning of code above it.
    ///
    /// ## Example
    /// ```python
    /// def bump():
    ///     count = count + 1
    ///     global count
    /// ```
    /// Use instead: put `global count` first in the function.
    pub static RULE = {
        code: "SS010",
        name: "global-declaration",
        severity: Error,
        summary: "`global` declaration after the name is used, or of a parameter",
        flags: [ex("count = 0\ndef bump():\n    count = 1\n    global count\n"), ex("def f(x):\n    global x\n")],
        accepts: [ex("count = 0\ndef bump():\n    global count\n    count = count + 1\n")],
    }
}

pub fn check(cx: &mut Checker, name: &str, range: std::ops::Range<usize>) {
    let scope = &cx.scopes.scopes[cx.scope];
    let msg = if scope.bindings.get(name).is_some_and(|b| b.is_parameter) {
        format!("name '{name}' is parameter and global")
    } else if scope.bindings.contains_key(name) {
        format!("name '{name}' is assigned to before global declaration")
    } else if scope.seen.contains(name) {
        format!("name '{name}' is used prior to global declaration")
    } else {
        return;
    };
    let d = RULE
        .diag(range, msg)
        .with_help("put the `global` statement at the top of the function");
    cx.report(d);
}
