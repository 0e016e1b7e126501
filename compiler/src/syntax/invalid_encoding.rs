use crate::Diagnostic;
use crate::rule::{declare_rule, ex, ex_gen};

declare_rule! {
    /// ## What it does
    /// Refuses scripts that are not valid UTF-8, pointing at the first invalid byte.
    ///
    /// ## Why
    /// Python source is UTF-8. A script saved in another encoding (Latin-1, UTF-16) would
    /// be read wrongly; serverscript refuses it instead of guessing.
    ///
    /// ## Example
    /// A file saved as Latin-1 containing `x = 'café'` has the byte `0xE9` for `é`.
    /// Re-save the file as UTF-8.
    pub static RULE = {
        code: "SS002",
        name: "invalid-encoding",
        severity: Error,
        summary: "the script is not valid UTF-8",
        flags: [ex_gen(|| b"x = 'caf\xe9'\n".to_vec())],
        accepts: [ex("x = 'café'\n")],
    }
}

pub fn diagnostic(at: usize, byte: u8) -> Diagnostic {
    RULE.diag(
        at..at,
        format!("the script is not valid UTF-8 (byte 0x{byte:02X})"),
    )
    .with_label("invalid byte here")
    .with_help("save the file as UTF-8")
}
