//! Parsing with rustpython-parser; a parse failure becomes an SS001 diagnostic.

use rustpython_parser::{Mode, ast};

use crate::syntax::syntax_error;
use crate::{Diagnostic, SourceFile};

/// Parses `parse_text` — the script's text, or the prescan's copy of it with indentation
/// tabs normalised (same length); diagnostics point into `source`.
pub fn parse_module(source: &SourceFile, parse_text: &str) -> Result<Vec<ast::Stmt>, Diagnostic> {
    match rustpython_parser::parse(parse_text, Mode::Module, &source.name) {
        Ok(ast::Mod::Module(m)) => Ok(m.body),
        Ok(_) => Ok(Vec::new()),
        Err(e) => Err(syntax_error::diagnostic(source, &e)),
    }
}
