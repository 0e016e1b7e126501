//! The serverscript compiler.
//!
//! Pipeline: [`prescan`] (size, encoding, limits) → [`parse`] (rustpython-parser) →
//! [`checker`] (one walk calling every rule in [`syntax`] and [`policy`], recording names) →
//! [`resolve`] (Python scoping against the sandbox surface). Diagnostics render as text
//! or JSON ([`diagnostic`]). Code generation with Cranelift joins this crate next.

pub mod checker;
pub mod codegen;
pub mod diagnostic;
pub mod hir;
pub mod lower;
pub mod names;
pub mod parse;
pub mod policy;
pub mod prescan;
pub mod registry;
pub mod resolve;
pub mod rule;
pub mod run;
pub mod source;
pub mod syntax;

pub use codegen::Tier;
pub use diagnostic::{Diagnostic, JsonDiagnostic, Severity, render_human, render_json};
pub use run::{CompiledScript, RunInput, RunOutput, ScriptError};
pub use serverscript_runtime::ctx::Limits;
pub use serverscript_runtime::host::{self, Host, HostError, HostResult};
pub use serverscript_runtime::surface::ScriptType;
pub use source::SourceFile;

/// The result of checking one script.
#[derive(Debug)]
pub struct CheckOutput {
    pub source: SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Checks a script: parse, policy and name resolution. Never panics and never overflows
/// the stack, whatever the input (see `tests/robustness.rs`).
pub fn check(name: &str, bytes: &[u8], script_type: ScriptType) -> CheckOutput {
    let pre = prescan::prescan(bytes);
    let source = SourceFile::new(name, pre.text);
    if let Some(d) = pre.error {
        return CheckOutput {
            source,
            diagnostics: vec![d],
        };
    }
    let parse_text = pre.parse_text.as_deref().unwrap_or(&source.text);
    let diagnostics = with_stack_for(source.text.len(), || {
        front_end(&source, parse_text, script_type)
    });
    CheckOutput {
        source,
        diagnostics,
    }
}

fn front_end(source: &SourceFile, parse_text: &str, script_type: ScriptType) -> Vec<Diagnostic> {
    match parse::parse_module(source, parse_text) {
        Err(d) => vec![d],
        // The syntax tree is dropped here, still on the grown stack: dropping a deeply
        // nested tree recurses.
        Ok(body) => {
            checker::Checker::new(source, script_type)
                .check_module(&body)
                .0
        }
    }
}

/// Why a script did not compile.
#[derive(Debug)]
pub enum CompileFailure {
    /// Syntax or policy errors (the output holds every diagnostic).
    Errors(CheckOutput),
    /// The code generator failed (a bug; the message says where).
    Codegen(String),
}

/// Checks and compiles a script to native code.
pub fn compile(
    name: &str,
    bytes: &[u8],
    script_type: ScriptType,
) -> Result<CompiledScript, CompileFailure> {
    compile_with(name, bytes, script_type, Tier::Quick)
}

/// [`compile`] starting in a chosen tier (`Tier::Optimized` compiles the optimized
/// code first and never recompiles).
pub fn compile_with(
    name: &str,
    bytes: &[u8],
    script_type: ScriptType,
    tier: Tier,
) -> Result<CompiledScript, CompileFailure> {
    let pre = prescan::prescan(bytes);
    let source = SourceFile::new(name, pre.text);
    if let Some(d) = pre.error {
        return Err(CompileFailure::Errors(CheckOutput {
            source,
            diagnostics: vec![d],
        }));
    }
    let parse_text = pre.parse_text.as_deref().unwrap_or(&source.text);
    let result = with_stack_for(source.text.len(), || {
        let body = match parse::parse_module(&source, parse_text) {
            Ok(b) => b,
            Err(d) => return (vec![d], None),
        };
        let diagnostics = checker::Checker::new(&source, script_type)
            .check_module(&body)
            .0;
        if diagnostics.iter().any(Diagnostic::is_error) {
            return (diagnostics, None);
        }
        let module = lower::lower(&source, &body, script_type);
        let artifact = codegen::compile(&module, tier);
        (diagnostics, Some(artifact.map(|a| (a, module))))
    });
    match result {
        (diagnostics, None) => Err(CompileFailure::Errors(CheckOutput {
            source,
            diagnostics,
        })),
        (_, Some(Err(e))) => Err(CompileFailure::Codegen(e)),
        (warnings, Some(Ok((artifact, module)))) => Ok(CompiledScript::new(
            name,
            script_type,
            warnings,
            artifact,
            tier,
            module,
            source.text.len(),
        )),
    }
}

/// Runs `f` with enough stack for a script of `len` bytes. The parser itself does not
/// recurse, but a syntax tree nested as deep as the input allows (`not not … x`) is
/// dropped recursively, about 80 bytes of stack per level — measured, with margin.
fn with_stack_for<R>(len: usize, f: impl FnOnce() -> R) -> R {
    let need = (256 << 10) + len.saturating_mul(128);
    stacker::maybe_grow(need, need, f)
}
