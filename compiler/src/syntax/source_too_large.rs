use crate::Diagnostic;
use crate::prescan::MAX_SOURCE_BYTES;
use crate::rule::{declare_rule, ex, ex_gen};

declare_rule! {
    /// ## What it does
    /// Refuses scripts larger than 1 MiB.
    ///
    /// ## Why
    /// Real server scripts are a few kilobytes (the largest of 539 public ones has 664
    /// lines). The limit bounds compile time and memory when a site compiles on save.
    ///
    /// ## Example
    /// A script that embeds a large data table in a literal. Store the data in a document
    /// or a JSON field and read it with `frappe.get_doc` / `frappe.db.get_value`.
    pub static RULE = {
        code: "SS004",
        name: "source-too-large",
        severity: Error,
        summary: "the script is larger than 1 MiB",
        flags: [ex_gen(|| format!("x = '{}'\n", "a".repeat(MAX_SOURCE_BYTES)).into_bytes())],
        // a script just under the limit is fine

        accepts: [ex("x = 1\n"), ex_gen(|| format!("x = '{}'\n", "a".repeat(MAX_SOURCE_BYTES - 16)).into_bytes())],
    }
}

pub fn diagnostic(len: usize) -> Diagnostic {
    RULE.diag(
        0..0,
        format!("the script is {len} bytes; the limit is {MAX_SOURCE_BYTES} bytes (1 MiB)"),
    )
    .with_help("move data out of the script into documents, or split it into API scripts called with `run_script`")
}
