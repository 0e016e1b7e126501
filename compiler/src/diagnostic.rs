//! Diagnostics: what the compiler tells a script author, and its two renderings —
//! rustc/ruff-style text with the source line and a caret, and JSON for tools and the UI.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::source::SourceFile;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding, anchored to a byte range of the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable rule code (`SS101`); `serverscript explain <code>` documents it.
    pub code: &'static str,
    pub message: String,
    /// Byte range in the script text (may be empty, e.g. at end of input).
    pub range: Range<usize>,
    /// Short text under the caret.
    pub label: Option<String>,
    /// What to do instead.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The JSON shape of a diagnostic: positions are 1-based; `end_line`/`end_column` point
/// just past the span (an empty span has end == start).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct JsonDiagnostic {
    pub file: String,
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: Option<String>,
}

impl JsonDiagnostic {
    pub fn new(source: &SourceFile, d: &Diagnostic) -> Self {
        let start = source.line_col(d.range.start);
        let end = source.line_col(d.range.end);
        JsonDiagnostic {
            file: source.name.clone(),
            severity: d.severity,
            code: d.code.to_string(),
            message: d.message.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            help: d.help.clone(),
        }
    }
}

/// How many source lines a rendered snippet shows at most; a longer span is shown by
/// its first line.
const MAX_SNIPPET_LINES: usize = 8;

/// Renders one diagnostic in rustc/ruff style:
///
/// ```text
/// error[SS101]: `import os` is not allowed
///  --> hook.py:1:1
///   |
/// 1 | import os
///   | ^^^^^^^^^ module `os` is not available to server scripts
///   |
///   = help: …
/// ```
pub fn render_human(source: &SourceFile, d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let start = source.line_col(d.range.start);
    let mut end = source.line_col(d.range.end);
    if end.line - start.line >= MAX_SNIPPET_LINES {
        end.line = start.line;
    }
    // Show only the lines the span touches: a 1 MB script renders as fast as a short one.
    let first = source.line_range(start.line);
    let last = source.line_range(end.line.max(start.line));
    let window = first.start..last.end;
    let text = &source.text[window.clone()];
    let span_start = d.range.start.clamp(window.start, window.end) - window.start;
    let span_end = d.range.end.clamp(window.start, window.end) - window.start;
    let span_end = span_end.max(span_start);

    let mut annotation = AnnotationKind::Primary.span(span_start..span_end);
    if let Some(label) = &d.label {
        annotation = annotation.label(label.as_str());
    }
    let snippet = Snippet::source(text)
        .line_start(start.line)
        .path(source.name.as_str())
        .annotation(annotation);
    let mut report = vec![
        level
            .primary_title(d.message.as_str())
            .id(d.code)
            .element(snippet),
    ];
    if let Some(help) = &d.help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report).to_string()
}

/// Renders diagnostics of several files as one JSON array.
pub fn render_json(files: &[(&SourceFile, &[Diagnostic])]) -> String {
    let all: Vec<JsonDiagnostic> = files
        .iter()
        .flat_map(|(src, diags)| diags.iter().map(|d| JsonDiagnostic::new(src, d)))
        .collect();
    serde_json::to_string_pretty(&all).expect("diagnostics serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(range: Range<usize>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: "SS999",
            message: "test message".into(),
            range,
            label: Some("here".into()),
            help: Some("do this instead".into()),
        }
    }

    #[test]
    fn human_rendering_has_code_location_caret_and_help() {
        let src = SourceFile::new("hook.py", "x = 1\nimport os\n");
        let out = render_human(&src, &diag(6..15), false);
        assert!(out.starts_with("error[SS999]: test message"), "{out}");
        assert!(out.contains("--> hook.py:2:1"), "{out}");
        assert!(out.contains("2 | import os"), "{out}");
        assert!(out.contains("^^^^^^^^^ here"), "{out}");
        assert!(out.contains("help: do this instead"), "{out}");
    }

    #[test]
    fn json_positions_are_one_based_with_exclusive_end() {
        let src = SourceFile::new("hook.py", "x = 1\nimport os\n");
        let j = JsonDiagnostic::new(&src, &diag(6..15));
        assert_eq!((j.line, j.column, j.end_line, j.end_column), (2, 1, 2, 10));
    }

    #[test]
    fn empty_span_at_end_of_input_renders() {
        let src = SourceFile::new("hook.py", "x = (1,\n");
        let out = render_human(&src, &diag(8..8), false);
        assert!(out.contains("error[SS999]"), "{out}");
    }

    #[test]
    fn huge_single_line_renders_trimmed() {
        let text = format!("x = '{}' + y", "a".repeat(1_000_000));
        let src = SourceFile::new("big.py", text.clone());
        let out = render_human(&src, &diag(text.len() - 1..text.len()), false);
        assert!(out.len() < 2_000, "rendered {} bytes", out.len());
    }
}
