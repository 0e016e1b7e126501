use rustpython_parser::{ParseError, ParseErrorType, Tok, lexer::LexicalErrorType};

use crate::rule::{declare_rule, ex};
use crate::{Diagnostic, SourceFile};

declare_rule! {
    /// ## What it does
    /// Reports text that is not valid Python 3 syntax, with the line and column where the
    /// parser stopped.
    ///
    /// ## Why
    /// A script that does not parse cannot run. Frappe also refuses to save it ("Invalid
    /// python code on line N"); serverscript says what it expected.
    ///
    /// ## Example
    /// ```python
    /// def validate(:
    ///     pass
    /// ```
    /// Use instead:
    /// ```python
    /// def validate():
    ///     pass
    /// ```
    pub static RULE = {
        code: "SS001",
        name: "syntax-error",
        severity: Error,
        summary: "the script is not valid Python syntax",
        flags: [ex("def f(:\n    pass\n"), ex("if True:\n\tx = 1\n        y = 2\n"), ex("print 'hello'\n"), ex("x = 'abc\n")],
        accepts: [ex("def f():\n    pass\n"), ex("if True:\n    x = 1\n    y = 2\n"), ex("print('hello')\n")],
    }
}

/// Converts a parser error into a diagnostic.
pub fn diagnostic(source: &SourceFile, err: &ParseError) -> Diagnostic {
    let mut at = usize::from(err.offset).min(source.text.len());
    let (message, help) = describe(&err.error);
    let message = match source.text[at..].chars().next() {
        Some(c @ (')' | ']' | '}')) if message == "unbalanced brackets" => {
            format!("unmatched `{c}`")
        }
        _ => message,
    };
    if message == "unterminated string literal" {
        // The lexer stops at the end of the line; point at the opening quote instead.
        let line = source.line_range(source.line_col(at.saturating_sub(1)).line);
        if let Some(i) = crate::prescan::unterminated_string_start(&source.text[line.clone()]) {
            at = line.start + i;
        }
    }
    // the character at the error, unless it ends the line
    let mut end = source.char_range(at).end;
    if matches!(&source.text[at..end], "\n" | "\r") {
        end = at;
    }
    let line = source.line_range(source.line_col(at).line);
    let help = help.or_else(|| {
        let text = source.text[line].trim_start();
        (text.starts_with("print ") && !text.starts_with("print ("))
            .then(|| "`print` is a function in Python 3: write `print(...)`".to_string())
    });
    let d = RULE.diag(at..end, message);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// CPython's TabError, found by the prescan (rustpython's own check is stricter than
/// CPython's, see `prescan::Indentation`).
pub fn tab_error(at: usize) -> Diagnostic {
    RULE.diag(at..at, "inconsistent use of tabs and spaces in indentation")
        .with_help("indent with spaces only (four per level is the convention)")
}

fn describe(err: &ParseErrorType) -> (String, Option<String>) {
    use LexicalErrorType as L;
    match err {
        ParseErrorType::Eof => (
            "unexpected end of input".into(),
            Some("a bracket, string or block may be left open".into()),
        ),
        ParseErrorType::ExtraToken(tok) => (format!("unexpected {}", token(tok)), None),
        ParseErrorType::InvalidToken => ("invalid token".into(), None),
        ParseErrorType::UnrecognizedToken(Tok::Indent, _) => (
            "unexpected indent".into(),
            Some("this line is indented more than the block it belongs to".into()),
        ),
        ParseErrorType::UnrecognizedToken(Tok::Dedent, _) => (
            "unindent does not match any outer indentation level".into(),
            None,
        ),
        ParseErrorType::UnrecognizedToken(tok, _) => {
            (format!("invalid syntax: unexpected {}", token(tok)), None)
        }
        ParseErrorType::Lexical(lex) => match lex {
            L::StringError => (
                "invalid string literal".into(),
                Some("a string may be unterminated, or contain an invalid escape".into()),
            ),
            L::UnicodeError => ("invalid unicode escape in a string literal".into(), None),
            L::NestingError => ("unbalanced brackets".into(), None),
            L::IndentationError => (
                "unindent does not match any outer indentation level".into(),
                None,
            ),
            L::TabError | L::TabsAfterSpaces => (
                "inconsistent use of tabs and spaces in indentation".into(),
                Some("indent with spaces only (four per level is the convention)".into()),
            ),
            L::DefaultArgumentError => ("non-default argument follows default argument".into(), None),
            L::DuplicateArgumentError(name) => {
                (format!("duplicate argument `{name}` in function definition"), None)
            }
            L::PositionalArgumentError => ("positional argument follows keyword argument".into(), None),
            L::UnpackedArgumentError => (
                "iterable argument unpacking follows keyword argument unpacking".into(),
                None,
            ),
            L::DuplicateKeywordArgumentError(name) => (format!("keyword argument repeated: `{name}`"), None),
            L::UnrecognizedToken { tok } => (
                format!("invalid character {tok:?} (U+{:04X})", *tok as u32),
                Some("remove the character, or put it inside a string or comment".into()),
            ),
            L::FStringError(e) => (format!("invalid f-string: {e}"), None),
            L::LineContinuationError => (
                "unexpected character after line continuation character".into(),
                None,
            ),
            L::Eof => (
                "unexpected end of input".into(),
                Some("a bracket, string or block may be left open".into()),
            ),
            L::OtherError(msg) if msg.starts_with("EOL while scanning") || msg.starts_with("unterminated") => (
                "unterminated string literal".into(),
                Some("close the string on the same line, or use triple quotes for text over several lines".into()),
            ),
            L::OtherError(msg) if msg == "Invalid Token" => (
                "invalid token".into(),
                Some("leading zeros are not allowed in decimal numbers; write `0o777` for octal".into()),
            ),
            L::OtherError(msg) => (msg.clone(), None),
        },
    }
}

fn token(tok: &Tok) -> String {
    match tok {
        Tok::Newline => "end of line".into(),
        Tok::Indent => "indent".into(),
        Tok::Dedent => "dedent".into(),
        Tok::EndOfFile => "end of input".into(),
        Tok::String { .. } => "string".into(),
        Tok::Name { name } => format!("name `{name}`"),
        Tok::Int { .. } | Tok::Float { .. } | Tok::Complex { .. } => "number".into(),
        other => format!("`{}`", other.to_string().trim_matches('\'')),
    }
}
