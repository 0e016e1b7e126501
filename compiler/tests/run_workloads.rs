//! The workloads W1–W5 (`tests/data/workloads`) produce exactly their expected results, and leave no
//! object behind (every reference the generated code takes is released).

use std::sync::Arc;

use serverscript_compiler::{RunInput, ScriptType, Tier, compile};

fn data() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
    assert!(dir.join("workloads").is_dir(), "missing {}", dir.display());
    dir
}

fn workload(
    name: &str,
) -> (
    Arc<serverscript_compiler::CompiledScript>,
    RunInput,
    ScriptType,
    serde_json::Value,
) {
    let dir = data().join("workloads");
    let src = std::fs::read(dir.join(format!("{name}.py"))).unwrap();
    let input: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap())
            .unwrap();
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(format!("{name}.expected.json"))).unwrap(),
    )
    .unwrap();
    let ty = ScriptType::parse(input["kind"].as_str().unwrap()).unwrap();
    let script = Arc::new(compile(name, &src, ty).unwrap_or_else(|e| panic!("{name}: {e:?}")));
    let run = RunInput {
        doc: input.get("doc").filter(|d| !d.is_null()).cloned(),
        form_dict: input["form_dict"].as_object().cloned().unwrap_or_default(),
        ..RunInput::default()
    };
    (script, run, ty, expected)
}

#[test]
fn workloads_produce_their_expected_results_in_both_tiers() {
    for name in ["W1", "W2", "W3", "W4", "W5"] {
        let (script, input, ty, expected) = workload(name);
        assert_eq!(script.tier(), Tier::Quick);
        let out = script.run(&input);
        assert!(out.error.is_none(), "{name}: {:?}", out.error);
        assert_eq!(out.result(ty), expected, "{name} (quick tier)");
        assert_eq!(
            serverscript_runtime::heap::last_sweep_count(),
            0,
            "{name} leaked objects (quick tier)"
        );
        script.optimize_now();
        assert_eq!(script.tier(), Tier::Optimized);
        let out = script.run(&input);
        assert!(out.error.is_none(), "{name}: {:?}", out.error);
        assert_eq!(out.result(ty), expected, "{name} (optimized tier)");
        assert_eq!(
            serverscript_runtime::heap::last_sweep_count(),
            0,
            "{name} leaked objects (optimized tier)"
        );
    }
}

#[test]
fn a_script_run_again_moves_to_the_optimized_tier_in_the_background() {
    let (script, input, ty, expected) = workload("W1");
    script.run(&input);
    assert_eq!(script.tier(), Tier::Quick, "one run stays quick");
    script.run(&input);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while script.tier() != Tier::Optimized {
        assert!(std::time::Instant::now() < deadline, "never optimized");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(script.run(&input).result(ty), expected);
}

#[test]
fn a_long_loop_moves_to_the_optimized_tier_after_one_run() {
    let (script, input, ty, expected) = workload("W3");
    assert_eq!(script.run(&input).result(ty), expected);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while script.tier() != Tier::Optimized {
        assert!(std::time::Instant::now() < deadline, "never optimized");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn a_compiled_script_runs_concurrently_from_many_threads() {
    let (script, input, ty, expected) = workload("W4");
    let input = Arc::new(input);
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (s, i, e) = (script.clone(), input.clone(), expected.clone());
            std::thread::spawn(move || {
                for _ in 0..50 {
                    let out = s.run(&i);
                    assert_eq!(out.result(ty), e);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
}

#[test]
fn a_huge_function_keeps_quick_code_in_the_optimized_tier_and_still_runs() {
    // 300 try statements in the module body: thousands of blocks once fast paths are
    // inlined, which the optimizing register allocator handles in superlinear time
    let mut src = String::new();
    for i in 0..300 {
        src.push_str(&format!(
            "try:\n    x = {i} // ({i} % 3)\nexcept ZeroDivisionError:\n    x = -1\nexcept TypeError:\n    x = -2\n"
        ));
    }
    src.push_str("print(x)\n");
    let script = Arc::new(
        serverscript_compiler::compile_with(
            "big.py",
            src.as_bytes(),
            ScriptType::Api,
            Tier::Optimized,
        )
        .unwrap(),
    );
    assert_eq!(script.quick_fallbacks(), 1);
    let out = script.run(&RunInput::default());
    assert_eq!(out.debug_log, ["149"]);
    let (w3, input, ty, expected) = workload("W3");
    w3.optimize_now();
    assert_eq!(w3.quick_fallbacks(), 0, "small functions are optimized");
    assert_eq!(w3.run(&input).result(ty), expected);
}
