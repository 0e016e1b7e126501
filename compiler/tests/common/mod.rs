//! Helpers shared by the run tests.
#![allow(dead_code)]

use std::sync::Arc;

use serverscript_compiler::{RunInput, RunOutput, ScriptType, Tier, compile_with};

/// Compiles `src` in both tiers, runs each once on `input`, checks that they agree on
/// everything a caller sees (printed lines, error, document, response, messages), and
/// returns the quick tier's output. Every script a test runs this way tests both code
/// generators against each other as well as against the test's expectation.
pub fn run_both(src: &str, ty: ScriptType, input: &RunInput) -> RunOutput {
    let mut outs = [Tier::Quick, Tier::Optimized].map(|tier| {
        let script = Arc::new(
            compile_with("t.py", src.as_bytes(), ty, tier).unwrap_or_else(|e| panic!("{e:?}")),
        );
        let out = script.run(input);
        assert_eq!(script.first_tier(), tier);
        out
    });
    let [quick, optimized] = &mut outs;
    assert_eq!(
        quick.debug_log, optimized.debug_log,
        "tiers differ (print)\n{src}"
    );
    assert_eq!(quick.error, optimized.error, "tiers differ (error)\n{src}");
    assert_eq!(quick.doc, optimized.doc, "tiers differ (doc)\n{src}");
    assert_eq!(
        quick.response, optimized.response,
        "tiers differ (response)\n{src}"
    );
    assert_eq!(
        quick.messages, optimized.messages,
        "tiers differ (messages)\n{src}"
    );
    assert_eq!(
        quick.conditions, optimized.conditions,
        "tiers differ (conditions)\n{src}"
    );
    let [quick, _] = outs;
    quick
}
