//! `serverscript` — Frappe Server Scripts, compiled.
//!
//! Every command takes `--site NAME` (a folder under `./sites/`), as `bench` does.
//! Exit codes: 0 success, 1 the scripts have errors, 2 usage or I/O errors.

mod cli;

/// Scripts allocate many small objects; mimalloc is markedly faster than the system
/// allocator for that pattern (see benches/RESULTS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "serverscript",
    version,
    about = "Frappe Server Scripts, compiled: check, run and serve them"
)]
struct Cli {
    /// Site folder under ./sites/ (as bench's --site).
    #[arg(long, global = true, default_value = "default")]
    site: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check scripts for syntax errors, sandbox violations and undefined names.
    Check(cli::check::Args),
    /// Compile and run a script once (input and output as in shared/workloads).
    Run(cli::run::Args),
    /// Serve the site: Frappe's REST and method API (creates the site on first start).
    Serve(cli::serve::Args),
    /// Set a site_config.json key (value parsed as JSON when it parses, else a string).
    SetConfig(cli::config::Args),
    /// Time a compiled script over many calls; the last line is machine-readable JSON.
    Bench(cli::bench::Args),
    /// List every diagnostic code with a one-line summary.
    Rules,
    /// Print the documentation of a diagnostic code (e.g. `serverscript explain SS101`).
    Explain {
        /// A rule code (`SS101`) or name (`import-forbidden`).
        code: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.site.is_empty()
        || cli.site.starts_with('.')
        || !cli
            .site
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        eprintln!(
            "error: site name {:?} is not valid: use letters, digits, '.', '-' and '_'",
            cli.site
        );
        return cli::exit(cli::EXIT_USAGE);
    }
    let site_dir = std::path::Path::new("sites").join(&cli.site);
    match cli.command {
        Command::Serve(args) => cli::serve::run(&site_dir, &cli.site, args),
        Command::SetConfig(args) => cli::config::run(&site_dir, args),
        Command::Check(args) => cli::check::run(args),
        Command::Run(args) => cli::run::run(args),
        Command::Bench(args) => cli::bench::run(args),
        Command::Rules => cli::rules::list(),
        Command::Explain { code } => cli::rules::explain(&code),
    }
}
