//! No panic, no hang, no stack overflow on any input: each hostile shape gets a clear
//! diagnostic (or is accepted when it is valid). Tests run on the test harness's threads
//! (2 MiB stacks), as scripts are checked on server worker threads.

use proptest::prelude::*;
use serverscript_compiler::{ScriptType, check};

fn codes(src: &[u8]) -> Vec<&'static str> {
    check("t.py", src, ScriptType::Api)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

fn error_codes(src: &[u8]) -> Vec<&'static str> {
    check("t.py", src, ScriptType::Api)
        .errors()
        .map(|d| d.code)
        .collect()
}

#[test]
fn empty_and_blank_inputs_are_clean() {
    for src in ["", "\n", "   \n\t\n", "# only a comment", "\u{feff}"] {
        assert!(codes(src.as_bytes()).is_empty(), "{src:?}");
    }
}

#[test]
fn invalid_utf8_is_a_diagnostic() {
    for src in [
        &b"\xff"[..],
        b"x = 1\n\xc3",
        b"x = '\xe2\x82'",
        b"\x80abc",
        b"s = 'ok'\n\xed\xa0\x80",
    ] {
        assert_eq!(error_codes(src), ["SS002"], "{src:?}");
    }
}

#[test]
fn nul_bytes_are_a_diagnostic() {
    assert_eq!(error_codes(b"\0"), ["SS003"]);
    assert_eq!(error_codes(b"x = '\0'"), ["SS003"]);
}

#[test]
fn one_megabyte_of_valid_script_is_refused_as_too_large_to_compile() {
    // 16 000 statements of 10 nodes each: far past what compiles in bounded time (SS012).
    let line = "total = total + frappe.utils.flt(doc.amount) * 2  # a comment\n";
    let mut src = String::from("total = 0\n");
    while src.len() + line.len() < 1_000_000 {
        src.push_str(line);
    }
    let errors = error_codes(src.as_bytes());
    assert!(
        !errors.is_empty() && errors.iter().all(|c| *c == "SS012"),
        "{errors:?}"
    );
}

#[test]
fn a_long_script_under_the_size_limits_is_checked_clean() {
    // 700 lines of 12 nodes: under the 10 000 nodes a function (here the top level) may have.
    let line = "total = total + frappe.utils.flt(doc.amount) * 2  # a comment\n";
    let src = format!("total = 0\n{}", line.repeat(700));
    let out = check("big.py", src.as_bytes(), ScriptType::DocEvent);
    assert!(
        out.diagnostics.is_empty(),
        "{:?}",
        &out.diagnostics[..out.diagnostics.len().min(3)]
    );
}

#[test]
fn deep_brackets_of_every_kind_are_refused() {
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
        let src = format!("x = {}1{}", open.repeat(100_000), close.repeat(100_000));
        assert_eq!(error_codes(src.as_bytes()), ["SS005"], "{open}");
        // unbalanced, too
        let src = format!("x = {}", open.repeat(100_000));
        assert_eq!(error_codes(src.as_bytes()), ["SS005"], "{open} unbalanced");
    }
}

#[test]
fn deep_expressions_without_brackets_are_refused() {
    let n = 100_000;
    for src in [
        format!("x = {}1", "-".repeat(n)),
        format!("x = {}y", "not ".repeat(n)),
        format!("x = 1{}", " + 1".repeat(n)),
        format!("x = 2{}", " ** 2".repeat(n)),
        format!("x = {}1", "lambda: ".repeat(n)),
        format!("x = 1{}", " if y else 1".repeat(n)),
        format!("x = a{}", ".b".repeat(n)),
        format!("x = f{}", "()".repeat(n)),
        format!("x = a{}", "[0]".repeat(n)),
        format!("x = 1{}", " < 1".repeat(n)),
        format!("x = {}", "1 and ".repeat(n) + "1"),
    ] {
        let errors = error_codes(src.as_bytes());
        // refused as too deep, or as too large (over 1 MiB or too many nodes to compile),
        // or valid and checked
        assert!(
            errors == ["SS005"]
                || errors == ["SS004"]
                || (!errors.is_empty() && errors.iter().all(|c| *c == "SS012"))
                || errors.is_empty(),
            "{}…: {errors:?}",
            &src[..20]
        );
    }
}

#[test]
fn deep_indentation_is_refused_or_checked() {
    let mut src = String::new();
    let mut depth = 0;
    while src.len() < 1_000_000 {
        src.push_str(&" ".repeat(depth));
        src.push_str("if x:\n");
        depth += 1;
    }
    src.push_str(&" ".repeat(depth));
    src.push_str("pass\n");
    let out = check("deep.py", src.as_bytes(), ScriptType::Api);
    assert!(
        out.errors().all(|d| d.code == "SS005" || d.code == "SS004"),
        "{:?}",
        out.diagnostics.first()
    );
}

#[test]
fn long_lines_are_fine() {
    let src = format!(
        "x = '{}'\ny = [{}]\n",
        "a".repeat(500_000),
        "1, ".repeat(9_000)
    );
    assert!(codes(src.as_bytes()).is_empty());
}

#[test]
fn a_literal_of_100_000_elements_is_too_large_to_compile() {
    // over both limits: the top level's and the whole script's, each reported once
    let src = format!("y = [{}]\n", "1, ".repeat(100_000));
    assert_eq!(error_codes(src.as_bytes()), ["SS012", "SS012"]);
}

#[test]
fn huge_numeric_literals() {
    assert_eq!(
        error_codes(format!("x = {}", "9".repeat(100_000)).as_bytes()),
        ["SS006"]
    );
    assert!(error_codes(format!("x = {}", "9".repeat(4300)).as_bytes()).is_empty());
    assert!(error_codes(format!("x = 0x{}", "f".repeat(100_000)).as_bytes()).is_empty());
    assert!(error_codes(format!("x = {}.0e5", "9".repeat(100_000)).as_bytes()).is_empty());
    assert!(error_codes(b"x = 1e400 + 1e-400 + 1j").is_empty());
}

#[test]
fn many_small_errors_are_all_reported() {
    // 3 nodes each: 9 000 nodes, under the size limit
    let src = "_a = 1\n".repeat(3_000);
    assert_eq!(error_codes(src.as_bytes()).len(), 3_000);
}

/// Python-ish tokens, for token soup.
const TOKENS: &[&str] = &[
    "x",
    "doc",
    "frappe",
    ".",
    "db",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    "=",
    "==",
    "+",
    "-",
    "*",
    "**",
    "/",
    "//",
    "%",
    "<",
    ">",
    "not",
    "and",
    "or",
    "in",
    "is",
    "if",
    "else",
    "elif",
    "for",
    "while",
    "def",
    "return",
    "lambda",
    "class",
    "import",
    "from",
    "as",
    "try",
    "except",
    "finally",
    "raise",
    "with",
    "yield",
    "global",
    "nonlocal",
    "del",
    "pass",
    "break",
    "continue",
    "1",
    "2.5",
    "0x1f",
    "'s'",
    "\"t\"",
    "f'{x}'",
    "'''",
    "\"\"\"",
    "#",
    "\\",
    "\n",
    "\n    ",
    "\t",
    "_x",
    "__class__",
    "eval",
    "@",
    ":=",
    "*",
    "...",
    "async",
    "await",
    "match",
    "case",
    "𝐞𝐯𝐚𝐥",
    "\u{202e}",
    "\r",
    "\u{feff}",
    ";",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for ty in ScriptType::ALL {
            let _ = check("fuzz.py", &bytes, ty);
        }
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..200)) {
        let src = tokens.join(" ");
        let out = check("soup.py", src.as_bytes(), ScriptType::DocEvent);
        // every diagnostic points inside the script
        for d in &out.diagnostics {
            prop_assert!(d.range.start <= d.range.end && d.range.end <= src.len(), "{d:?}");
            let _ = serverscript_compiler::render_human(&out.source, d, false);
        }
    }
}

#[test]
fn a_size_diagnostic_at_a_non_ascii_name_covers_the_whole_character() {
    let src = "é = 1\n".repeat(6_000);
    let out = check("t.py", src.as_bytes(), ScriptType::Api);
    let d = out.errors().next().expect("SS012");
    assert_eq!(d.code, "SS012");
    assert!(
        out.source.text.is_char_boundary(d.range.end),
        "{:?}",
        d.range
    );
    assert_eq!(&out.source.text[d.range.clone()], "é");
}
