use crate::Diagnostic;
use crate::rule::{declare_rule, ex, ex_gen};

/// Most statements and expressions one function body may hold (the module body counts
/// as a function; `def` and `lambda` bodies count apart from the body around them).
pub const MAX_FUNCTION_NODES: usize = 10_000;
/// Most statements and expressions a whole script may hold.
pub const MAX_SCRIPT_NODES: usize = 40_000;

declare_rule! {
    /// ## What it does
    /// Refuses a function body (the script's top level included) of more than 10 000
    /// statements and expressions, and a script of more than 40 000.
    ///
    /// ## Why
    /// Compiling a function to machine code takes time that grows faster than its size:
    /// generated scripts of tens of thousands of lines took minutes and gigabytes on their
    /// first call. Real server scripts are far below the limits (the largest of 539
    /// public ones has 3 168 nodes, 1 567 in its largest function), and at the limits a
    /// script compiles in well under a second.
    ///
    /// ## Example
    /// A generated script that assigns thousands of values one line each. Keep the data
    /// in a document or a JSON field and loop over it, or split the work into functions
    /// or several API scripts called with `run_script`.
    pub static RULE = {
        code: "SS012",
        name: "function-too-large",
        severity: Error,
        summary: "a function or the script is too large to compile",
        flags: [
            ex_gen(|| "x = 1\n".repeat(MAX_FUNCTION_NODES / 2).into_bytes()),
            ex_gen(|| {
                let body = "    x = 1\n".repeat(MAX_FUNCTION_NODES / 3);
                (0..5).map(|i| format!("def f{i}():\n{body}")).collect::<String>().into_bytes()
            }),
        ],
        accepts: [
            ex("x = 1\n"),
            ex_gen(|| "x = 1\n".repeat(MAX_FUNCTION_NODES / 3).into_bytes()),
        ],
    }
}

pub fn function(range: std::ops::Range<usize>, what: &str) -> Diagnostic {
    RULE.diag(
        range,
        format!(
            "{what} has more than {MAX_FUNCTION_NODES} statements and expressions, too many to compile"
        ),
    )
    .with_help("loop over data instead of writing it out, or split the work into functions")
}

pub fn script(range: std::ops::Range<usize>) -> Diagnostic {
    RULE.diag(
        range,
        format!(
            "the script has more than {MAX_SCRIPT_NODES} statements and expressions, too many to compile"
        ),
    )
    .with_help("move data out of the script into documents, or split it into API scripts called with `run_script`")
}
