//! A script that checks clean is compiled and run under small, fuzzer-chosen limits:
//! only a result or a Python exception (limit errors included) may come out — never a
//! panic, an abort or a signal — and nothing of the run's heap outlives the run.
#![no_main]

use std::sync::Arc;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use serverscript_compiler::{Limits, RunInput, ScriptType, Tier, compile_with};

fuzz_target!(|data: &[u8]| {
    // two bytes of limits, then the script
    let [a, b, script @ ..] = data else {
        return;
    };
    let tier = if a & 1 == 0 { Tier::Quick } else { Tier::Optimized };
    let limits = Limits {
        // short enough that a fuzzer's endless loop costs little
        time: Duration::from_millis(20 + u64::from(a >> 1) % 80),
        memory: (1usize << 20) << (b % 6),
        depth: 10 + u32::from(*b >> 3),
        ..Limits::default()
    };
    let Ok(script) = compile_with("fuzz.py", script, ScriptType::Api, tier) else {
        return;
    };
    let script = Arc::new(script);
    let input = RunInput {
        limits,
        ..RunInput::default()
    };
    let _ = script.run(&input);
    // whatever the run did (cycles included, which the end-of-run sweep frees), nothing
    // of its heap outlives it
    assert_eq!(
        (
            serverscript_runtime::heap::live_objects(),
            serverscript_runtime::heap::live_bytes()
        ),
        (0, 0),
        "objects outlived the run"
    );
});
