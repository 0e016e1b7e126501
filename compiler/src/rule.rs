//! A rule: one stable code, its documentation, and examples that a test checks.
//!
//! Every diagnostic the compiler emits belongs to a rule. Each rule lives in its own file
//! (`syntax/` for CPython's own compile errors, `policy/` for what the sandbox refuses or
//! warns about) and is declared with [`declare_rule!`], which keeps the rule's doc comment
//! as its `explain` text — the ruff model.

use serverscript_runtime::surface::ScriptType;

use crate::diagnostic::Severity;

/// A script a rule must flag, or must accept (a near miss), under a script type.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub script_type: ScriptType,
    pub source: ExampleSource,
}

#[derive(Debug, Clone, Copy)]
pub enum ExampleSource {
    Text(&'static str),
    /// Input too large or not UTF-8, built when the test runs.
    Generated(fn() -> Vec<u8>),
}

impl Example {
    pub fn bytes(&self) -> std::borrow::Cow<'static, [u8]> {
        match self.source {
            ExampleSource::Text(t) => std::borrow::Cow::Borrowed(t.as_bytes()),
            ExampleSource::Generated(f) => std::borrow::Cow::Owned(f()),
        }
    }
}

/// An example checked as an API script (the CLI default).
pub const fn ex(source: &'static str) -> Example {
    Example {
        script_type: ScriptType::Api,
        source: ExampleSource::Text(source),
    }
}

/// An example checked as a script of the given type.
pub const fn ex_as(script_type: ScriptType, source: &'static str) -> Example {
    Example {
        script_type,
        source: ExampleSource::Text(source),
    }
}

/// An example whose bytes are generated (checked as an API script).
pub const fn ex_gen(generate: fn() -> Vec<u8>) -> Example {
    Example {
        script_type: ScriptType::Api,
        source: ExampleSource::Generated(generate),
    }
}

#[derive(Debug)]
pub struct Rule {
    /// Stable code: `SS0xx` CPython syntax and limits, `SS1xx` sandbox refusals,
    /// `SS2xx` warnings.
    pub code: &'static str,
    /// Kebab-case name (`import-forbidden`).
    pub name: &'static str,
    pub severity: Severity,
    /// One line, for `serverscript rules`.
    pub summary: &'static str,
    /// The rule's doc comment: what it does, why, an example.
    pub doc: &'static str,
    /// Scripts this rule must flag (tested, with a snapshot of the rendering).
    pub flags: &'static [Example],
    /// Near misses this rule must accept (tested).
    pub accepts: &'static [Example],
}

impl Rule {
    /// The documentation with the one leading space of each `///` line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_string()
    }
}

/// Declares a rule; the doc comment becomes [`Rule::doc`].
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub(crate) static RULE = {
///         code: "SS101", name: "import-forbidden", severity: Error,
///         summary: "...", flags: [ex("import os")], accepts: [ex("import frappe")],
///     }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            severity: $sev:ident,
            summary: $summary:literal,
            flags: [$($flag:expr),* $(,)?],
            accepts: [$($ok:expr),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis static $ident: $crate::rule::Rule = $crate::rule::Rule {
            code: $code,
            name: $name,
            severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            flags: &[$($flag),*],
            accepts: &[$($ok),*],
        };
    };
}
pub(crate) use declare_rule;

impl Rule {
    /// A diagnostic of this rule at a byte range.
    pub fn diag(
        &'static self,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> crate::Diagnostic {
        crate::Diagnostic {
            severity: self.severity,
            code: self.code,
            message: message.into(),
            range,
            label: None,
            help: None,
        }
    }
}

impl crate::Diagnostic {
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
