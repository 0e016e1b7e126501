//! Script text and the byte-offset → line/column mapping used by every diagnostic.

/// A script as the compiler sees it: its display name and its text (always valid UTF-8;
/// [`crate::check_bytes`] reports invalid input before a `SourceFile` exists).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column. Columns count Unicode code points, as editors and CPython's
/// error messages do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text; offsets inside a multi-byte
    /// character count as that character).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_idx];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text[start..end].chars().count() + 1;
        LineCol {
            line: line_idx + 1,
            column,
        }
    }

    /// The byte range of the character starting at `at` (empty at the end of the text):
    /// a diagnostic pointing at one character must not split it.
    pub fn char_range(&self, at: usize) -> std::ops::Range<usize> {
        let len = self.text[at..].chars().next().map_or(0, char::len_utf8);
        at..at + len
    }

    /// The byte range of line `line` (1-based) without its terminator.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[(line - 1).min(self.line_starts.len() - 1)];
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let mut end = end.max(start);
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_code_points_and_all_line_endings() {
        let src = SourceFile::new("t.py", "a = 1\r\nb = 'é'\rc = 2\n");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(7), LineCol { line: 2, column: 1 });
        // the closing quote after é (2 bytes) is at byte 14, column 7
        assert_eq!(src.line_col(14), LineCol { line: 2, column: 7 });
        assert_eq!(src.line_col(16), LineCol { line: 3, column: 1 });
        assert_eq!(src.line_range(2), 7..15);
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let src = SourceFile::new("t.py", "x");
        assert_eq!(src.line_col(99), LineCol { line: 1, column: 2 });
    }
}
