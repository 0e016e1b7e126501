//! One compiled artifact per script version: compiling and dropping many versions does
//! not grow the process (the machine code is freed with the artifact).

use serverscript_compiler::{RunInput, ScriptType, compile};

/// Resident set size in bytes (Linux).
fn rss() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

fn compile_run_drop(i: usize) {
    let src = format!(
        "def f(x):\n    return x * {i} + 1\nfrappe.response['message'] = [f(n) for n in range(3)]\n"
    );
    let script =
        std::sync::Arc::new(compile("v.py", src.as_bytes(), ScriptType::Api).expect("compiles"));
    let out = script.run(&RunInput::default());
    assert!(out.error.is_none());
}

#[test]
fn compiling_and_dropping_ten_thousand_versions_keeps_memory_flat() {
    for i in 0..1000 {
        compile_run_drop(i);
    }
    let before = rss();
    for i in 1000..11_000 {
        compile_run_drop(i);
    }
    let after = rss();
    let growth = after.saturating_sub(before);
    // each version maps at least one page of code; 10 000 leaked versions would be 40 MB+
    assert!(
        growth < 8 << 20,
        "RSS grew by {} KiB over 10 000 versions",
        growth >> 10
    );
}
