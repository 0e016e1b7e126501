//! `serverscript [--site NAME] serve [--bind ADDR] [--admin-password PW]`
//!
//! Opens `sites/NAME` (creating it on first start: database, config, Administrator —
//! whose generated password is printed once), then serves Frappe's API until SIGINT or
//! SIGTERM; requests in flight finish first. The first stdout line after startup is
//! `Serving site NAME on http://ADDR` (with the real port when `--bind` asks for port 0).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use serverscript_server::Site;

use super::{EXIT_USAGE, exit};

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8000")]
    bind: String,
    /// Administrator's password for a new site (or to reset it); generated when absent.
    #[arg(long, env = "SERVERSCRIPT_ADMIN_PASSWORD")]
    admin_password: Option<String>,
}

pub fn run(site_dir: &Path, site_name: &str, args: Args) -> ExitCode {
    init_logging();
    let (site, created) = match Site::open_or_create(site_dir, args.admin_password.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot open site {}: {e}", site_dir.display());
            return exit(EXIT_USAGE);
        }
    };
    if created.created {
        println!("Created site {site_name} in {}", site_dir.display());
    }
    if let Some(pw) = &created.admin_password {
        println!("Administrator password: {pw}");
        println!(
            "(shown once; reset it with `serverscript --site {site_name} serve --admin-password ...`)"
        );
    }
    // Script runs happen on the blocking threads and want a deep stack (the runtime
    // grows one with stacker otherwise: a fresh 16 MiB mapping per run); reserving it up
    // front costs address space only.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(32 << 20)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit(EXIT_USAGE);
        }
    };
    let site = Arc::new(site);
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&args.bind).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot listen on {}: {e}", args.bind);
                return exit(EXIT_USAGE);
            }
        };
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or(args.bind.clone());
        println!("Serving site {site_name} on http://{addr}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        tracing::info!(site = site_name, %addr, "serving");
        match serverscript_server::http::serve(site, listener, shutdown_signal()).await {
            Ok(()) => {
                tracing::info!("stopped");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: server failed: {e}");
                exit(EXIT_USAGE)
            }
        }
    })
}

/// The code generator's own crates log what they compile (IR, register allocation) at
/// `info` and below; a server logs that only when asked for by name.
const QUIET_CODEGEN: &str = "cranelift_codegen=warn,cranelift_jit=warn,cranelift_frontend=warn,\
                             cranelift_module=warn,cranelift_native=warn,regalloc2=warn";

/// Structured logs on stderr; `RUST_LOG` filters (`RUST_LOG=tower_http=debug` logs every
/// request with its id). Cranelift's logs stay quiet unless `RUST_LOG` names them
/// (`RUST_LOG=info,cranelift_codegen=trace`).
fn init_logging() {
    let asked = std::env::var("RUST_LOG").unwrap_or_default();
    let directives = match asked.trim() {
        "" => format!("info,{QUIET_CODEGEN}"),
        a if a.contains("cranelift") || a.contains("regalloc") => a.to_string(),
        a => format!("{a},{QUIET_CODEGEN}"),
    };
    let filter = tracing_subscriber::EnvFilter::try_new(&directives)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("info,{QUIET_CODEGEN}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
