//! Inputs shared by the criterion benches (scripts of known sizes).

/// A realistic 50-line DocType Event script (validation, child-table loop, lookups).
pub const SCRIPT_50_LINES: &str = include_str!("scripts/validate_50.py");
