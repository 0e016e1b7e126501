//! `serverscript rules` and `serverscript explain CODE`.

use std::process::ExitCode;

use serverscript_compiler::registry::{RULES, find};

use super::{EXIT_USAGE, exit};

pub fn list() -> ExitCode {
    for r in RULES {
        println!(
            "{}  {:<7}  {:<28}  {}",
            r.code,
            r.severity.as_str(),
            r.name,
            r.summary
        );
    }
    ExitCode::SUCCESS
}

pub fn explain(key: &str) -> ExitCode {
    match find(key) {
        Some(r) => {
            println!("{} {} ({})\n", r.code, r.name, r.severity.as_str());
            println!("{}", r.documentation());
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: no rule `{key}`; `serverscript rules` lists them all");
            exit(EXIT_USAGE)
        }
    }
}
