use rustpython_parser::ast;

use crate::checker::{Checker, span};
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `try: … except* E:` (exception groups).
    ///
    /// ## Why
    /// Exception groups come from concurrent code scripts do not have, and the construct
    /// was the subject of a RestrictedPython advisory (CVE-2025-22153) where it confused
    /// the policy. Plain `except` covers every script need.
    ///
    /// ## Example
    /// ```python
    /// try:
    ///     x = 1 / 0
    /// except* ZeroDivisionError:
    ///     pass
    /// ```
    /// Use instead: `except ZeroDivisionError:`.
    pub static RULE = {
        code: "SS114",
        name: "except-star",
        severity: Error,
        summary: "`except*` (exception groups)",
        flags: [ex("try:\n    1/0\nexcept* ZeroDivisionError:\n    pass\n")],
        accepts: [ex("try:\n    1/0\nexcept ZeroDivisionError:\n    pass\n")],
    }
}

pub fn report(cx: &mut Checker, handlers: &[ast::ExceptHandler], range: std::ops::Range<usize>) {
    let at = handlers
        .first()
        .map(|ast::ExceptHandler::ExceptHandler(h)| span(h))
        .map(|r| r.start..r.start + 7)
        .unwrap_or(range);
    let d = RULE
        .diag(at, "`except*` is not allowed")
        .with_help("use a plain `except ExceptionType:` clause");
    cx.report(d);
}
