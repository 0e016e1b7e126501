use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `async def`, `await`, `async for`, `async with` and async comprehensions.
    ///
    /// ## Why
    /// Scripts run synchronously inside the request's transaction; there is no event loop
    /// to run a coroutine on.
    ///
    /// ## Example
    /// ```python
    /// async def fetch():
    ///     await something()
    /// ```
    /// Use instead: plain `def` and direct calls.
    pub static RULE = {
        code: "SS107",
        name: "async-syntax",
        severity: Error,
        summary: "`async`/`await` syntax",
        flags: [ex("async def f():\n    await g()\n")],
        accepts: [ex("def f():\n    return g()\n")],
    }
}

pub fn report(cx: &mut Checker, range: std::ops::Range<usize>, what: &str) {
    let d = RULE
        .diag(
            range,
            format!("`{what}` is not allowed: server scripts run synchronously"),
        )
        .with_help("use plain `def` functions and call them directly");
    cx.report(d);
}
