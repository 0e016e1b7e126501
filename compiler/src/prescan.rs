//! Checks on the raw script before the parser sees it: size, encoding, NUL bytes, bracket
//! nesting and integer-literal length. Each limit turns input that would make a parser
//! slow or deep into one clear diagnostic.

use crate::diagnostic::Diagnostic;
use crate::syntax::{
    integer_literal_too_long, invalid_encoding, nesting_too_deep, null_byte, source_too_large,
    syntax_error,
};

/// Largest script accepted, in bytes. Real scripts are a few KB (corpus max: 664 lines);
/// 1 MiB leaves room for generated code while bounding compile time and memory.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;

/// Deepest bracket nesting accepted — CPython's tokenizer limit (`MAXLEVEL`).
pub const MAX_BRACKET_DEPTH: usize = 200;

/// Longest decimal integer literal — CPython's `sys.int_info.default_max_str_digits`.
pub const MAX_INT_DIGITS: usize = 4300;

/// The text to parse, or the reason it cannot be parsed. On error the text is the lossy
/// decoding of the input, so the diagnostic can still show the offending line.
pub struct Prescanned {
    pub text: String,
    /// The text the parser should see when it differs from `text`: indentation tabs
    /// replaced by spaces, byte for byte (see [`Indentation`]).
    pub parse_text: Option<String>,
    pub error: Option<Diagnostic>,
}

pub fn prescan(bytes: &[u8]) -> Prescanned {
    if bytes.len() > MAX_SOURCE_BYTES {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).into_owned();
        return Prescanned {
            text,
            parse_text: None,
            error: Some(source_too_large::diagnostic(bytes.len())),
        };
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            return Prescanned {
                text,
                parse_text: None,
                error: Some(invalid_encoding::diagnostic(at, bytes[at])),
            };
        }
    };
    if let Some(at) = memchr_nul(text.as_bytes()) {
        return Prescanned {
            text,
            parse_text: None,
            error: Some(null_byte::diagnostic(at)),
        };
    }
    let mut indentation = Indentation::default();
    let error = scan_tokens(&text, &mut indentation).err();
    let parse_text = match error {
        None if !indentation.tabs.is_empty() => {
            let mut fixed = text.clone().into_bytes();
            for &i in &indentation.tabs {
                fixed[i] = b' ';
            }
            Some(String::from_utf8(fixed).expect("replacing ASCII tabs keeps UTF-8 valid"))
        }
        _ => None,
    };
    Prescanned {
        text,
        parse_text,
        error,
    }
}

/// CPython's indentation rule. CPython measures each logical line's indentation twice,
/// with tabs as 8 columns and as 1 column, and refuses the script only when the two
/// disagree about the block structure. rustpython-parser refuses every tab/space mix,
/// including a tab on a blank line, which real scripts contain. So the prescan applies
/// CPython's check itself and, when it passes, hands the parser a copy with indentation
/// tabs replaced by single spaces: byte offsets are unchanged and, because the 1-column
/// measure agrees with CPython's, so is every block.
#[derive(Default)]
struct Indentation {
    /// (columns with tab size 8, columns with tab size 1) of the open blocks.
    stack: Vec<(usize, usize)>,
    /// Byte offsets of tabs in indentation (and on blank lines).
    tabs: Vec<usize>,
}

impl Indentation {
    /// Measures the indentation of the line starting at `start`; returns the offset of
    /// its first non-blank byte, or an error where CPython raises TabError.
    fn line(&mut self, b: &[u8], start: usize) -> Result<usize, Diagnostic> {
        let (mut col, mut alt) = (0usize, 0usize);
        let mut i = start;
        while i < b.len() {
            match b[i] {
                b' ' => {
                    col += 1;
                    alt += 1;
                }
                b'\t' => {
                    col = (col / 8 + 1) * 8;
                    alt += 1;
                    self.tabs.push(i);
                }
                b'\x0c' => {
                    col = 0;
                    alt = 0;
                }
                _ => break,
            }
            i += 1;
        }
        let blank = i >= b.len() || matches!(b[i], b'#' | b'\n' | b'\r');
        if blank {
            return Ok(i);
        }
        let (top, alt_top) = self.stack.last().copied().unwrap_or((0, 0));
        let consistent = if col == top {
            alt == alt_top
        } else if col > top {
            alt > alt_top
        } else {
            while self.stack.last().is_some_and(|&(c, _)| col < c) {
                self.stack.pop();
            }
            let (top, alt_top) = self.stack.last().copied().unwrap_or((0, 0));
            // a dedent to a level that never existed is the parser's error to report
            col != top || alt == alt_top
        };
        if !consistent {
            return Err(syntax_error::tab_error(i));
        }
        if col > top {
            self.stack.push((col, alt));
        }
        Ok(i)
    }
}

/// The byte offset (within `line`) of the opening quote of a string left unterminated on
/// this line, if any.
pub(crate) fn unterminated_string_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => return None,
            b'\'' | b'"' => match scan_string(b, i) {
                (_, false) => return Some(i),
                (end, true) => i = end,
            },
            _ => i += 1,
        }
    }
    None
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// A light tokenizer pass: skips strings and comments, tracks bracket depth, measures
/// decimal integer literals and checks indentation the way CPython does.
fn scan_tokens(text: &str, indentation: &mut Indentation) -> Result<(), Diagnostic> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = indentation.line(b, 0)?;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' | b'\r' => {
                let continued = depth > 0 || b[..i].trim_ascii_end().last() == Some(&b'\\');
                i += if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                if !continued {
                    i = indentation.line(b, i)?;
                }
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'\'' | b'"' => {
                i = skip_string(b, i);
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Err(nesting_too_deep::brackets(i));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'0'..=b'9' if i == 0 || !is_ident_or_dot(b[i - 1]) => {
                let (end, digits, is_decimal_int) = scan_number(b, i);
                if is_decimal_int && digits > MAX_INT_DIGITS {
                    return Err(integer_literal_too_long::diagnostic(i..end, digits));
                }
                i = end;
                continue;
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                // identifier (or prefix of a string like rb"…"): skip it whole so digits
                // inside identifiers are not taken for numbers
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80)
                {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn is_ident_or_dot(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c >= 0x80
}

/// Returns (end, decimal digit count, whether it is a plain decimal integer).
fn scan_number(b: &[u8], start: usize) -> (usize, usize, bool) {
    let mut i = start;
    if b[i] == b'0'
        && i + 1 < b.len()
        && matches!(b[i + 1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
    {
        i += 2;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        return (i, 0, false);
    }
    let mut digits = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        if b[i] != b'_' {
            digits += 1;
        }
        i += 1;
    }
    let is_float = i < b.len() && matches!(b[i], b'.' | b'e' | b'E' | b'j' | b'J');
    (i, digits, !is_float)
}

/// Skips a string literal starting at its opening quote; returns the index after it (or
/// the end of the line/text for an unterminated string — the parser reports that).
pub(crate) fn skip_string(b: &[u8], start: usize) -> usize {
    scan_string(b, start).0
}

/// Scans a string literal from its opening quote: (index after it, whether it is closed).
fn scan_string(b: &[u8], start: usize) -> (usize, bool) {
    let q = b[start];
    let triple = b.len() >= start + 3 && b[start + 1] == q && b[start + 2] == q;
    let mut i = start + if triple { 3 } else { 1 };
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if triple {
            if c == q && b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                return (i + 3, true);
            }
        } else if c == q {
            return (i + 1, true);
        } else if c == b'\n' || c == b'\r' {
            return (i, false);
        }
        i += 1;
    }
    (b.len(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(src: &[u8]) -> Option<&'static str> {
        prescan(src).error.map(|d| d.code)
    }

    #[test]
    fn accepts_ordinary_scripts() {
        assert_eq!(code(b"x = (1, [2, {3: 4}])\n# ((((\ns = '(((('\n"), None);
        assert_eq!(code(b"x = 0x" as &[u8]), None);
    }

    #[test]
    fn strips_a_utf8_bom() {
        let p = prescan(b"\xEF\xBB\xBFx = 1");
        assert!(p.error.is_none());
        assert_eq!(p.text, "x = 1");
    }

    #[test]
    fn refuses_each_limit_with_its_code() {
        assert_eq!(code(b"x = '\xff'"), Some("SS002"));
        assert_eq!(code(b"x = 1\x00"), Some("SS003"));
        assert_eq!(code(&vec![b' '; MAX_SOURCE_BYTES + 1]), Some("SS004"));
        let deep = format!("x = {}1{}", "(".repeat(201), ")".repeat(201));
        assert_eq!(code(deep.as_bytes()), Some("SS005"));
        let ok = format!("x = {}1{}", "(".repeat(200), ")".repeat(200));
        assert_eq!(code(ok.as_bytes()), None);
        let big = format!("x = {}", "9".repeat(MAX_INT_DIGITS + 1));
        assert_eq!(code(big.as_bytes()), Some("SS006"));
    }

    #[test]
    fn long_digit_runs_that_are_not_decimal_integers_are_fine() {
        for src in [
            format!("x = {}.5", "9".repeat(5000)),
            format!("x = 0x{}", "f".repeat(5000)),
            format!("x = '{}'", "9".repeat(5000)),
            format!("x{} = 1", "9".repeat(5000)),
        ] {
            assert_eq!(code(src.as_bytes()), None, "{}", &src[..20]);
        }
    }

    #[test]
    fn indentation_follows_cpython_tab_rules() {
        // A tab on a blank line, and tab+spaces that agree at tab sizes 8 and 1: accepted,
        // with the tabs handed to the parser as spaces.
        let ok = "if x:\n        y = 1\n\t\n        \t    z = 2\n";
        let p = prescan(ok.as_bytes());
        assert!(p.error.is_none());
        assert_eq!(
            p.parse_text.as_deref(),
            Some("if x:\n        y = 1\n \n             z = 2\n")
        );
        // A tab where the previous line had 8 spaces: equal at size 8, unequal at size 1.
        assert_eq!(code(b"if x:\n        y = 1\n\tz = 2\n"), Some("SS001"));
        // Tabs inside strings and bracketed continuation lines are left alone.
        let p = prescan(b"s = \"\"\"\n\tkeep\"\"\"\nt = (1,\n\t2)\n");
        assert!(p.error.is_none() && p.parse_text.is_none());
    }

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        let src = format!(
            "s = '{}'\n# {}\nt = \"\"\"{}\"\"\"",
            "(".repeat(500),
            "[".repeat(500),
            "{".repeat(500)
        );
        assert_eq!(code(src.as_bytes()), None);
    }
}

#[cfg(test)]
mod unterminated_tests {
    use super::unterminated_string_start;

    #[test]
    fn finds_the_open_quote() {
        assert_eq!(unterminated_string_start("x = 'abc"), Some(4));
        assert_eq!(unterminated_string_start("x = 'a' + \"b"), Some(10));
        assert_eq!(unterminated_string_start("x = 'a'  # 'b"), None);
        assert_eq!(unterminated_string_start("x = 'it\\'s'"), None);
    }
}
