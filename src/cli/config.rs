//! `serverscript [--site NAME] set-config KEY VALUE` — the value is JSON when it parses
//! (`true`, `5`, `{"a": 1}`), else a string. Creates the site folder if needed; a running
//! server reads the change on its next request.

use std::path::Path;
use std::process::ExitCode;

use super::{EXIT_USAGE, exit};

#[derive(clap::Args)]
pub struct Args {
    key: String,
    value: String,
}

pub fn run(site_dir: &Path, args: Args) -> ExitCode {
    match serverscript_server::site::set_config(site_dir, &args.key, &args.value) {
        Ok(v) => {
            println!("{} = {}", args.key, v);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit(EXIT_USAGE)
        }
    }
}
