//! `check` on arbitrary bytes: never a panic, a hang or a stack overflow, and every
//! diagnostic's range lies inside the text, on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverscript_compiler::{ScriptType, check};

fuzz_target!(|data: &[u8]| {
    // the first byte picks the script type, the rest is the script
    let Some((&first, script)) = data.split_first() else {
        return;
    };
    let out = check("fuzz.py", script, ScriptType::ALL[first as usize % ScriptType::ALL.len()]);
    let text = &out.source.text;
    for d in &out.diagnostics {
        assert!(
            d.range.start <= d.range.end && d.range.end <= text.len(),
            "{} range {:?} outside a text of {} bytes",
            d.code,
            d.range,
            text.len()
        );
        for at in [d.range.start, d.range.end] {
            assert!(
                text.is_char_boundary(at),
                "{} range {:?} splits a character",
                d.code,
                d.range
            );
        }
    }
});
