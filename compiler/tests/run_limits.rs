//! Every limit raises a Python-visible exception; the thread stays usable; a failed run
//! leaves nothing behind for the next one.

use std::sync::Arc;
use std::time::Duration;

use serverscript_compiler::{Limits, RunInput, RunOutput, ScriptType, Tier, compile_with};

/// Runs `src` in both tiers (each must hit the same limit the same way); returns the
/// quick tier's output.
fn run_with(src: &str, limits: Limits) -> RunOutput {
    let input = RunInput {
        limits,
        ..RunInput::default()
    };
    let [quick, optimized] = [Tier::Quick, Tier::Optimized].map(|tier| {
        let script = Arc::new(
            compile_with("t.py", src.as_bytes(), ScriptType::Api, tier)
                .unwrap_or_else(|e| panic!("{e:?}")),
        );
        script.run(&input)
    });
    let kind = |o: &RunOutput| o.error.as_ref().map(|e| (e.exc_type.clone(), e.line));
    assert_eq!(kind(&quick), kind(&optimized), "tiers differ\n{src}");
    quick
}

fn error_type(out: &RunOutput) -> &str {
    out.error
        .as_ref()
        .map(|e| e.exc_type.as_str())
        .unwrap_or("<none>")
}

fn small_time() -> Limits {
    Limits {
        time: Duration::from_millis(200),
        ..Limits::default()
    }
}

#[test]
fn endless_loop_hits_the_time_limit() {
    let out = run_with("while True:\n    pass\n", small_time());
    assert_eq!(error_type(&out), "TimeLimitExceeded");
    assert_eq!(out.error.unwrap().line, Some(1));
}

#[test]
fn catching_the_time_limit_does_not_escape_it() {
    let src = "n = 0\nwhile True:\n    try:\n        while True:\n            n += 1\n    except BaseException:\n        pass\n";
    let out = run_with(src, small_time());
    assert_eq!(error_type(&out), "TimeLimitExceeded");
}

#[test]
fn huge_string_is_a_memory_error() {
    assert_eq!(
        error_type(&run_with("x = 'a' * 10**10\n", Limits::default())),
        "MemoryError"
    );
}

#[test]
fn huge_list_is_a_memory_error() {
    assert_eq!(
        error_type(&run_with("l = [0] * 10**9\n", Limits::default())),
        "MemoryError"
    );
}

#[test]
fn unbounded_recursion_is_a_recursion_error() {
    let out = run_with("def f(n):\n    return f(n + 1)\nf(0)\n", Limits::default());
    assert_eq!(error_type(&out), "RecursionError");
}

#[test]
fn tower_of_powers_is_a_memory_error() {
    assert_eq!(
        error_type(&run_with("x = 10**10**10\n", Limits::default())),
        "MemoryError"
    );
}

#[test]
fn printing_forever_hits_the_debug_log_limit() {
    let out = run_with("while True:\n    print('x' * 1000)\n", Limits::default());
    assert_eq!(error_type(&out), "MemoryError");
    assert!(out.debug_log.len() > 100, "the log kept what fit");
}

#[test]
fn growing_memory_hits_the_memory_limit() {
    let limits = Limits {
        memory: 32 << 20,
        ..Limits::default()
    };
    let out = run_with(
        "l = []\nwhile True:\n    l.append('x' * 1000 + str(len(l)))\n",
        limits,
    );
    assert_eq!(error_type(&out), "MemoryError");
}

#[test]
fn self_referential_growth_is_contained() {
    let limits = Limits {
        memory: 32 << 20,
        ..small_time()
    };
    let out = run_with("l = []\nwhile True:\n    l.append(l)\n", limits);
    assert!(
        matches!(error_type(&out), "MemoryError" | "TimeLimitExceeded"),
        "{:?}",
        out.error
    );
}

#[test]
fn the_thread_is_reusable_after_every_limit() {
    for src in [
        "while True:\n    pass\n",
        "x = 'a' * 10**10\n",
        "def f():\n    f()\nf()\n",
    ] {
        let out = run_with(src, small_time());
        assert!(out.error.is_some());
        let ok = run_with(
            "frappe.response['message'] = sum(range(10))\n",
            Limits::default(),
        );
        assert!(ok.error.is_none(), "{:?}", ok.error);
        assert_eq!(ok.response["message"], 45);
    }
}

#[test]
fn a_failed_run_leaves_no_state_for_the_next() {
    let first = run_with(
        "frappe.flags.secret = 1\nfrappe.response['x'] = 1\nraise ValueError('boom')\n",
        Limits::default(),
    );
    assert_eq!(error_type(&first), "ValueError");
    let second = run_with(
        "frappe.response['message'] = [frappe.flags.secret, frappe.response.get('x')]\n",
        Limits::default(),
    );
    assert_eq!(second.response["message"], serde_json::json!([null, null]));
    // nothing from either run is still alive once it ended
    assert_eq!(serverscript_runtime::heap::live_objects(), 0);
}

#[test]
fn uncaught_errors_name_the_script_line() {
    let out = run_with("x = 1\ny = 2\nz = {}['missing']\n", Limits::default());
    let e = out.error.unwrap();
    assert_eq!(
        (e.exc_type.as_str(), e.message.as_str(), e.line),
        ("KeyError", "'missing'", Some(3))
    );
    let out = run_with("def f():\n    return 1 / 0\n\nf()\n", Limits::default());
    let e = out.error.unwrap();
    assert_eq!(
        e.lines,
        vec![2, 4],
        "raised in f at line 2, called from line 4"
    );
    assert_eq!(e.exc_type, "ZeroDivisionError");
}
