//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `tests/data/` in the repository: the workloads, hostile inputs and corpus the tests
/// read (copied from the shared reference folder; `tests/data/README.md`). A missing
/// folder fails the test: these tests must not pass by finding nothing.
pub fn data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    assert!(
        dir.join("README.md").is_file(),
        "test data not found at {}",
        dir.display()
    );
    dir
}

/// Every JSON line of every `*.jsonl` file in `dir`.
pub fn jsonl_records(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .jsonl files in {}", dir.display());
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", f.display(), i + 1));
            out.push(v);
        }
    }
    out
}

/// Maps the script-type spellings used by the shared data to our type.
pub fn script_type(s: Option<&str>) -> serverscript_compiler::ScriptType {
    let s = s.unwrap_or("api");
    serverscript_compiler::ScriptType::parse(s)
        .unwrap_or_else(|| panic!("unknown script type {s:?}"))
}
