//! The differential suite: every script under `tests/differential/cases/` runs under
//! CPython (with the small Frappe-like prelude in `tests/differential/prelude.py`) and
//! through our engine, in both code tiers; printed lines and the uncaught exception
//! (type, message, line) must be identical.
//!
//! All mismatches are reported at once, each with a unified diff. A case listed in
//! `tests/differential/known_failures.txt` (with its reason) is expected to mismatch,
//! and the test fails when it starts to match, so a fix removes it from the list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use serde_json::Value as Json;
use serverscript_compiler::{RunInput, ScriptType, Tier, compile_with};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/differential")
}

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            cases(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

/// What a run shows: printed lines, then the error line if any.
fn shown(log: &[String], error: Option<(String, String, Option<u32>)>) -> String {
    let mut s = String::new();
    for l in log {
        s.push_str(l);
        s.push('\n');
    }
    if let Some((t, m, line)) = error {
        s.push_str(&format!(
            "!! {t}: {m} (line {})\n",
            line.map_or("?".into(), |l| l.to_string())
        ));
    }
    s
}

fn cpython(paths: &[PathBuf]) -> BTreeMap<String, String> {
    let out = Command::new("python3")
        .arg(root().join("run_cpython.py"))
        .args(paths)
        .output()
        .expect("python3 is needed for the differential tests (it is on the machine and in CI)");
    assert!(
        out.status.success(),
        "run_cpython.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: BTreeMap<String, Json> = serde_json::from_slice(&out.stdout).unwrap();
    all.into_iter()
        .map(|(k, v)| {
            let log: Vec<String> = v["log"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            let error = v["error"].as_object().map(|e| {
                (
                    e["type"].as_str().unwrap().to_string(),
                    e["message"].as_str().unwrap().to_string(),
                    e["line"].as_u64().map(|l| l as u32),
                )
            });
            (k, shown(&log, error))
        })
        .collect()
}

fn ours(path: &Path, tier: Tier) -> String {
    let src = std::fs::read(path).unwrap();
    let name = path.to_string_lossy();
    match compile_with(&name, &src, ScriptType::Api, tier) {
        Err(e) => format!("!! does not compile: {e:?}\n"),
        Ok(script) => {
            let out = Arc::new(script).run(&RunInput::default());
            let error = out.error.map(|e| (e.exc_type, e.message, e.line));
            shown(&out.debug_log, error)
        }
    }
}

fn known_failures() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join("known_failures.txt")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (case, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (case.to_string(), reason.trim().to_string())
        })
        .collect()
}

#[test]
fn every_case_matches_cpython_in_both_tiers() {
    let mut paths = Vec::new();
    cases(&root().join("cases"), &mut paths);
    let minimum: usize = std::env::var("DIFF_MIN_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    assert!(paths.len() >= minimum, "only {} cases", paths.len());
    let expected = cpython(&paths);
    let known = known_failures();
    let base = root().join("cases");
    let mut failures = Vec::new();
    let mut still_failing = Vec::new();
    for path in &paths {
        let key = path.to_string_lossy().to_string();
        let case = path
            .strip_prefix(&base)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let want = &expected[&key];
        let mut mismatch = None;
        for tier in [Tier::Quick, Tier::Optimized] {
            let got = ours(path, tier);
            if &got != want {
                let diff = similar::TextDiff::from_lines(want.as_str(), got.as_str())
                    .unified_diff()
                    .header("cpython", &format!("serverscript ({tier:?} tier)"))
                    .to_string();
                mismatch = Some(diff);
                break;
            }
        }
        match (mismatch, known.contains_key(&case)) {
            (Some(diff), false) => failures.push(format!("=== {case}\n{diff}")),
            (Some(_), true) => still_failing.push(case),
            (None, true) => failures.push(format!(
                "=== {case} now matches CPython: remove it from known_failures.txt"
            )),
            (None, false) => {}
        }
    }
    for case in known.keys() {
        assert!(
            paths
                .iter()
                .any(|p| p.strip_prefix(&base).unwrap().to_string_lossy() == **case),
            "known_failures.txt names a case that does not exist: {case}"
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from CPython:\n\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}
