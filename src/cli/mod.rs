//! One module per subcommand.

pub mod bench;
pub mod check;
pub mod config;
pub mod rules;
pub mod run;
pub mod serve;

use std::process::ExitCode;

/// Exit status when the scripts themselves have errors.
pub const EXIT_ERRORS: u8 = 1;
/// Exit status for usage and I/O errors.
pub const EXIT_USAGE: u8 = 2;

pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}
