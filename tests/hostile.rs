//! `tests/data/hostile/*.jsonl`: every entry expected to be a compile error is refused by
//! `check`; every other entry is checked without a panic or hang. New entries are picked
//! up without code changes.

mod common;

use std::time::{Duration, Instant};

use serverscript_compiler::check;

#[test]
fn hostile_inputs_get_their_verdict() {
    let records = common::jsonl_records(&common::data_dir().join("hostile"));
    let mut failures = Vec::new();
    let mut compile_errors = 0;
    for r in &records {
        let id = r["id"].as_str().unwrap_or("?");
        let script = r["script"].as_str().expect("script");
        let expect = r["expect"].as_str().expect("expect");
        let script_type = common::script_type(r["script_type"].as_str());
        let start = Instant::now();
        let out = std::panic::catch_unwind(|| check(id, script.as_bytes(), script_type));
        let elapsed = start.elapsed();
        let out = match out {
            Ok(out) => out,
            Err(_) => {
                failures.push(format!("{id}: check panicked"));
                continue;
            }
        };
        if elapsed > Duration::from_secs(2) {
            failures.push(format!("{id}: check took {elapsed:?}"));
        }
        if expect == "compile_error" {
            compile_errors += 1;
            if !out.has_errors() {
                failures.push(format!(
                    "{id}: expected a compile error, got {:?}",
                    out.diagnostics
                ));
            }
        }
    }
    assert!(
        compile_errors >= 30,
        "only {compile_errors} compile_error entries found"
    );
    assert!(
        failures.is_empty(),
        "{} of {} hostile entries failed:\n{}",
        failures.len(),
        records.len(),
        failures.join("\n")
    );
}
