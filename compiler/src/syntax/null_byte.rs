use crate::Diagnostic;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses scripts that contain a NUL byte (`\0`).
    ///
    /// ## Why
    /// CPython refuses them too ("source code cannot contain null bytes"); a NUL byte in a
    /// script is a sign of binary data or a corrupted paste.
    ///
    /// ## Example
    /// `x = 1\0 + 2` — remove the NUL byte. To put one in a string, write `'\x00'`.
    pub static RULE = {
        code: "SS003",
        name: "null-byte",
        severity: Error,
        summary: "the script contains a NUL byte",
        flags: [ex("x = 1\0 + 2\n")],
        accepts: [ex("x = '\\x00'\n")],
    }
}

pub fn diagnostic(at: usize) -> Diagnostic {
    RULE.diag(at..at + 1, "source code cannot contain null bytes")
        .with_label("NUL byte")
        .with_help("remove it; inside a string write `\\x00`")
}
