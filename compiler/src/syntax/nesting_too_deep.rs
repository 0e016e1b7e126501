use crate::Diagnostic;
use crate::prescan::MAX_BRACKET_DEPTH;
use crate::rule::{declare_rule, ex, ex_gen};

/// Deepest nesting of statements and expressions the compiler accepts.
pub const MAX_AST_DEPTH: usize = 1000;

declare_rule! {
    /// ## What it does
    /// Refuses brackets nested more than 200 deep (CPython's own limit) and expressions or
    /// blocks nested more than 1000 deep (`1 + 1 + … + 1` with a thousand terms, or
    /// `not not … x`).
    ///
    /// ## Why
    /// CPython refuses both ("too many nested parentheses", "maximum recursion depth
    /// exceeded during compilation"). The limit keeps compilation fast and bounded on any
    /// input.
    ///
    /// ## Example
    /// A generated expression summing thousands of terms. Use a loop or `sum(...)`.
    pub static RULE = {
        code: "SS005",
        name: "nesting-too-deep",
        severity: Error,
        summary: "brackets or expressions are nested too deeply",
        flags: [
            ex_gen(|| format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000)).into_bytes()),
            ex_gen(|| format!("x = 1{}\n", " + 1".repeat(100_000)).into_bytes()),
            ex_gen(|| format!("x = {}y\n", "not ".repeat(50_000)).into_bytes()),
        ],
        accepts: [ex_gen(|| format!("x = 1{}\n", " + 1".repeat(900)).into_bytes()), ex("x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n")],
    }
}

pub fn brackets(at: usize) -> Diagnostic {
    RULE.diag(
        at..at + 1,
        format!("too many nested parentheses (more than {MAX_BRACKET_DEPTH})"),
    )
    .with_help("split the expression into several statements with intermediate variables")
}

pub fn ast(range: std::ops::Range<usize>) -> Diagnostic {
    RULE.diag(
        range,
        format!("expression or block nested more than {MAX_AST_DEPTH} levels deep"),
    )
    .with_help(
        "split the expression into several statements; use a loop or `sum(...)` for long chains",
    )
}
