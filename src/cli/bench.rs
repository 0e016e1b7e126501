//! `serverscript bench FILE --input IN.json --iterations N --warmup W`
//!
//! Compiles once (to the optimized tier a server runs after a script's first runs), then
//! times N calls; each call builds the input objects from the parsed input, runs the
//! script and produces the result (marshalling included). The last stdout line is
//! `{"iterations":N,"elapsed_ns":…,"result":…,"version":"…"}`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serverscript_compiler::ScriptType;

use super::run::{load, read_input};
use super::{EXIT_ERRORS, EXIT_USAGE, exit};

#[derive(clap::Args)]
pub struct Args {
    file: PathBuf,
    #[arg(long)]
    input: Option<PathBuf>,
    #[arg(long, default_value_t = 1000)]
    iterations: u64,
    #[arg(long, default_value_t = 100)]
    warmup: u64,
    #[arg(long = "type", value_parser = super::check::parse_type)]
    script_type: Option<ScriptType>,
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
    // steady state: the optimized tier a server switches to after the first runs
    script.optimize_now();
    let mut result = serde_json::Value::Null;
    for _ in 0..args.warmup {
        let out = script.run(&input.run);
        if let Some(e) = out.error {
            eprintln!("{}", e.traceback(&args.file.display().to_string()));
            return exit(EXIT_ERRORS);
        }
        result = out.result(script_type);
    }
    let start = Instant::now();
    for _ in 0..args.iterations {
        let out = script.run(&input.run);
        result = std::hint::black_box(out.into_result(script_type));
    }
    let elapsed = start.elapsed();
    let line = serde_json::json!({
        "iterations": args.iterations,
        "elapsed_ns": elapsed.as_nanos() as u64,
        "result": result,
        "version": concat!("serverscript ", env!("CARGO_PKG_VERSION")),
    });
    println!("{line}");
    ExitCode::SUCCESS
}
