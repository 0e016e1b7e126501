//! The `serverscript` binary: `check` (formats, exit codes, stdin), `rules`, `explain`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_serverscript"))
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run serverscript")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn check_human_output_matches_snapshot_and_exits_1() {
    let o = bin()
        .current_dir(format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR")))
        .args(["check", "check_sample.py"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("check_sample_human", stdout(&o));
}

#[test]
fn check_json_output_has_the_documented_fields() {
    let o = run(&["check", "--format", "json", &fixture("check_sample.py")]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let arr = v.as_array().expect("array");
    assert!(arr.len() >= 5, "{arr:?}");
    for d in arr {
        for key in [
            "file",
            "severity",
            "code",
            "message",
            "line",
            "column",
            "end_line",
            "end_column",
            "help",
        ] {
            assert!(d.get(key).is_some(), "missing {key} in {d}");
        }
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
    }
    let first = &arr[0];
    assert_eq!(first["code"], "SS101");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (first["end_line"].as_u64(), first["end_column"].as_u64()),
        (Some(1), Some(10))
    );
}

#[test]
fn clean_script_exits_0_and_warnings_do_not_fail() {
    let o = run(&[
        "check",
        "--type",
        "doc-event",
        &fixture("seed/before_save_status.py"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("no errors"));
    // doc in an API script is only a warning
    let o = run(&[
        "check",
        "--type",
        "api",
        &fixture("seed/before_save_status.py"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("warning[SS201]"));
}

#[test]
fn stdin_is_read_with_dash() {
    let mut child = bin()
        .args(["check", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"import os\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["file"], "<stdin>");
    assert_eq!(v[0]["code"], "SS101");
}

#[test]
fn missing_file_and_bad_usage_exit_2() {
    let o = run(&["check", "/nonexistent/file.py"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));
    let o = run(&["check", "--type", "report", &fixture("seed/api_hello.py")]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["explain", "SS999"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn several_files_exit_1_if_any_has_errors() {
    let o = run(&[
        "check",
        &fixture("seed/api_hello.py"),
        &fixture("check_sample.py"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("checked 2 files: 1 file with errors"));
}

#[test]
fn rules_lists_every_code() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for rule in serverscript_compiler::registry::RULES {
        assert!(
            out.contains(rule.code),
            "{} missing from `rules`",
            rule.code
        );
    }
    insta::assert_snapshot!("rules", out);
}

#[test]
fn explain_prints_rule_documentation() {
    let o = run(&["explain", "SS101"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("SS101 import-forbidden (error)"));
    assert!(out.contains("## Why"));
    let by_name = run(&["explain", "import-forbidden"]);
    assert_eq!(stdout(&by_name), out);
}
