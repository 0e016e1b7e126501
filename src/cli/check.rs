//! `serverscript check FILE... [--type T] [--format human|json]`

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use serverscript_compiler::{CheckOutput, ScriptType, check, render_human, render_json};

use super::{EXIT_ERRORS, EXIT_USAGE, exit};

#[derive(clap::Args)]
pub struct Args {
    /// Script files to check; `-` reads standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Script type: which names exist (`doc` only in doc-event scripts) and which
    /// functions (`frappe.db.commit` not in doc-event scripts).
    #[arg(long = "type", default_value = "api", value_parser = parse_type)]
    script_type: ScriptType,
    /// Output format.
    #[arg(long, default_value = "human", value_parser = ["human", "json"])]
    format: String,
}

pub fn parse_type(s: &str) -> Result<ScriptType, String> {
    ScriptType::parse(s)
        .ok_or_else(|| "expected one of: doc-event, api, scheduler, permission-query".to_string())
}

fn read(path: &PathBuf) -> std::io::Result<(String, Vec<u8>)> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        Ok(("<stdin>".to_string(), buf))
    } else {
        Ok((path.display().to_string(), std::fs::read(path)?))
    }
}

pub fn run(args: Args) -> ExitCode {
    let mut outputs: Vec<CheckOutput> = Vec::new();
    let mut io_failed = false;
    for path in &args.files {
        match read(path) {
            Ok((name, bytes)) => outputs.push(check(&name, &bytes, args.script_type)),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                io_failed = true;
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    if args.format == "json" {
        let files: Vec<_> = outputs
            .iter()
            .map(|o| (&o.source, o.diagnostics.as_slice()))
            .collect();
        let _ = writeln!(stdout, "{}", render_json(&files));
    } else {
        let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
        for o in &outputs {
            for d in &o.diagnostics {
                let _ = writeln!(stdout, "{}\n", render_human(&o.source, d, color));
            }
        }
        let _ = writeln!(stdout, "{}", summary(&outputs));
    }
    if io_failed {
        exit(EXIT_USAGE)
    } else if outputs.iter().any(CheckOutput::has_errors) {
        exit(EXIT_ERRORS)
    } else {
        ExitCode::SUCCESS
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary(outputs: &[CheckOutput]) -> String {
    let errors: usize = outputs.iter().map(|o| o.errors().count()).sum();
    let warnings: usize = outputs.iter().map(|o| o.diagnostics.len()).sum::<usize>() - errors;
    let failed = outputs.iter().filter(|o| o.has_errors()).count();
    let checked = plural(outputs.len(), "file");
    if failed == 0 {
        format!(
            "checked {checked}: no errors, {}",
            plural(warnings, "warning")
        )
    } else {
        format!(
            "checked {checked}: {} with errors ({}, {})",
            plural(failed, "file"),
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}
