//! `serverscript run FILE [--input IN.json] [--type T] [--format human|json]`
//!
//! Input and output have the shape of the shared workloads (`W*.json`,
//! `W*.expected.json`). Human format: the result on stdout, `print` output on stderr, an
//! uncaught exception as a Python-style traceback and exit status 1. JSON format: one
//! object `{"result", "debug_log", "messages", "error"}` and exit status 0 whenever the
//! script compiled.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use serverscript_compiler::{
    CompileFailure, CompiledScript, RunInput, ScriptType, compile, render_human,
};

use super::{EXIT_ERRORS, EXIT_USAGE, exit};

#[derive(clap::Args)]
pub struct Args {
    /// The script to run.
    file: PathBuf,
    /// Input JSON: `{"kind": "api"|"doc_event", "doc": {...}, "form_dict": {...}}`.
    #[arg(long)]
    input: Option<PathBuf>,
    /// Script type (default: from the input's `kind`, else api).
    #[arg(long = "type", value_parser = super::check::parse_type)]
    script_type: Option<ScriptType>,
    /// Output format.
    #[arg(long, default_value = "human", value_parser = ["human", "json"])]
    format: String,
}

/// A parsed input file and the script type it implies.
pub struct Input {
    pub run: RunInput,
    pub kind: Option<ScriptType>,
}

pub fn read_input(path: Option<&PathBuf>) -> Result<Input, String> {
    let Some(path) = path else {
        return Ok(Input {
            run: RunInput::default(),
            kind: None,
        });
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: invalid JSON: {e}", path.display()))?;
    let kind = v
        .get("kind")
        .and_then(|k| k.as_str())
        .and_then(ScriptType::parse);
    let doc = v.get("doc").filter(|d| !d.is_null()).cloned();
    let form_dict = match v.get("form_dict") {
        Some(serde_json::Value::Object(m)) => m.clone(),
        Some(serde_json::Value::Null) | None => serde_json::Map::new(),
        Some(_) => return Err(format!("{}: form_dict must be an object", path.display())),
    };
    let user = v
        .get("user")
        .and_then(|u| u.as_str())
        .unwrap_or_default()
        .to_string();
    Ok(Input {
        run: RunInput {
            doc,
            form_dict,
            user,
            ..RunInput::default()
        },
        kind,
    })
}

/// Reads and compiles a script; prints diagnostics on failure.
pub fn load(file: &PathBuf, script_type: ScriptType) -> Result<Arc<CompiledScript>, ExitCode> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return Err(exit(EXIT_USAGE));
        }
    };
    match compile(&file.display().to_string(), &bytes, script_type) {
        Ok(s) => Ok(Arc::new(s)),
        Err(CompileFailure::Errors(out)) => {
            for d in &out.diagnostics {
                eprintln!("{}\n", render_human(&out.source, d, false));
            }
            Err(exit(EXIT_ERRORS))
        }
        Err(CompileFailure::Codegen(e)) => {
            eprintln!("error: code generation failed: {e}");
            Err(exit(EXIT_ERRORS))
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    let input = match read_input(args.input.as_ref()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return exit(EXIT_USAGE);
        }
    };
    let script_type = args.script_type.or(input.kind).unwrap_or(ScriptType::Api);
    let script = match load(&args.file, script_type) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let out = script.run(&input.run);
    let result = out.result(script_type);
    if args.format == "json" {
        let messages: Vec<serde_json::Value> = out.messages.iter().map(|m| serde_json::json!({"message": m.message, "title": m.title, "indicator": m.indicator})).collect();
        let body = serde_json::json!({
            "result": result,
            "debug_log": out.debug_log,
            "messages": messages,
            "error": out.error,
        });
        println!("{body}");
        return ExitCode::SUCCESS;
    }
    let mut stderr = std::io::stderr().lock();
    for line in &out.debug_log {
        let _ = writeln!(stderr, "{line}");
    }
    match &out.error {
        Some(e) => {
            let _ = writeln!(stderr, "{}", e.traceback(&args.file.display().to_string()));
            exit(EXIT_ERRORS)
        }
        None => {
            println!("{}", serde_json::to_string_pretty(&result).expect("json"));
            ExitCode::SUCCESS
        }
    }
}
