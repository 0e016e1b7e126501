//! Inputs shared by the criterion benches: scripts of known sizes and the workloads of
//! `tests/data/workloads`.

use serverscript_compiler::{RunInput, ScriptType};

/// A realistic 50-line DocType Event script (validation, child-table loop, lookups).
pub const SCRIPT_50_LINES: &str = include_str!("scripts/validate_50.py");

/// A 500-line script: the 50-line one (49 lines and a blank) ten times over — each copy
/// redefines the same names, as a long script that repeats its checks would.
pub fn script_500_lines() -> String {
    let mut s = String::new();
    for _ in 0..10 {
        s.push_str(SCRIPT_50_LINES);
        if !s.ends_with('\n') {
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

/// A shared workload: its script, parsed input and type.
pub struct Workload {
    pub source: String,
    pub input: RunInput,
    pub script_type: ScriptType,
}

/// Loads `tests/data/workloads/<name>.{py,json}`.
pub fn workload(name: &str) -> Workload {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/workloads");
    let source = std::fs::read_to_string(dir.join(format!("{name}.py"))).expect("workload script");
    let input: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("workload input"),
    )
    .expect("json");
    let script_type =
        ScriptType::parse(input["kind"].as_str().unwrap_or("api")).unwrap_or(ScriptType::Api);
    let run = RunInput {
        doc: input.get("doc").filter(|d| !d.is_null()).cloned(),
        form_dict: input["form_dict"].as_object().cloned().unwrap_or_default(),
        ..RunInput::default()
    };
    Workload {
        source,
        input: run,
        script_type,
    }
}
