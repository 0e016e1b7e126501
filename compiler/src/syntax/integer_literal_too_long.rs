use crate::Diagnostic;
use crate::prescan::MAX_INT_DIGITS;
use crate::rule::{declare_rule, ex, ex_gen};

declare_rule! {
    /// ## What it does
    /// Refuses decimal integer literals with more than 4300 digits.
    ///
    /// ## Why
    /// CPython 3.11 refuses them with the same limit ("Exceeds the limit (4300 digits) for
    /// integer string conversion"): converting very long decimal strings to integers takes
    /// quadratic time. Hexadecimal literals and floats are not limited.
    ///
    /// ## Example
    /// `x = 99999…` (5000 digits). Compute the value (`10**5000 - 1`) instead.
    pub static RULE = {
        code: "SS006",
        name: "integer-literal-too-long",
        severity: Error,
        summary: "a decimal integer literal has more than 4300 digits",
        flags: [ex_gen(|| format!("x = {}\n", "9".repeat(5000)).into_bytes())],
        accepts: [ex("x = 10**5000 - 1\n"), ex_gen(|| format!("x = {}\n", "9".repeat(4300)).into_bytes())],
    }
}

pub fn diagnostic(range: std::ops::Range<usize>, digits: usize) -> Diagnostic {
    let start = range.start;
    RULE.diag(
        start..range.end.min(start + 16),
        format!("integer literal has {digits} digits; the limit is {MAX_INT_DIGITS}"),
    )
    .with_help("compute large values with arithmetic (`10**5000`) or write them in hexadecimal")
}
