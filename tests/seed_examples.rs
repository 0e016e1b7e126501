//! The seed document's examples (before-save status change, validation raise, auto-create
//! ToDo, API `frappe.response['message']`, `run_script` library) pass `check` cleanly: no
//! errors and no warnings.

use serverscript_compiler::{ScriptType, check};

fn assert_clean(file: &str, script_type: ScriptType) {
    let path = format!("{}/tests/fixtures/seed/{file}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let out = check(file, &bytes, script_type);
    assert!(out.diagnostics.is_empty(), "{file}: {:#?}", out.diagnostics);
}

#[test]
fn before_save_status_change_is_clean() {
    assert_clean("before_save_status.py", ScriptType::DocEvent);
}

#[test]
fn custom_validation_raise_is_clean() {
    assert_clean("validation_raise.py", ScriptType::DocEvent);
}

#[test]
fn after_save_auto_create_todo_is_clean() {
    assert_clean("after_save_create_todo.py", ScriptType::DocEvent);
}

#[test]
fn api_response_message_is_clean() {
    assert_clean("api_hello.py", ScriptType::Api);
}

#[test]
fn run_script_library_pair_is_clean() {
    assert_clean("library_script_1.py", ScriptType::Api);
    assert_clean("library_script_2.py", ScriptType::Api);
}

#[test]
fn the_workloads_are_clean() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/workloads");
    for (file, ty) in [
        ("W1.py", ScriptType::DocEvent),
        ("W2.py", ScriptType::DocEvent),
        ("W3.py", ScriptType::Api),
        ("W4.py", ScriptType::Api),
        ("W5.py", ScriptType::Api),
    ] {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let out = check(file, &bytes, ty);
        assert!(out.diagnostics.is_empty(), "{file}: {:#?}", out.diagnostics);
    }
}
