//! `check` of a script: parse + policy + resolve. Target: ≤ 100 µs for 50 lines.

use criterion::{Criterion, criterion_group, criterion_main};
use serverscript_benches::SCRIPT_50_LINES;
use serverscript_compiler::{ScriptType, check};

fn bench_check(c: &mut Criterion) {
    let out = check(
        "validate_50.py",
        SCRIPT_50_LINES.as_bytes(),
        ScriptType::DocEvent,
    );
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    c.bench_function("check/50-line doc event", |b| {
        b.iter(|| {
            check(
                "validate_50.py",
                std::hint::black_box(SCRIPT_50_LINES.as_bytes()),
                ScriptType::DocEvent,
            )
        })
    });
}

/// The parser alone, to see how `check` splits between parsing and our passes.
fn bench_parse_only(c: &mut Criterion) {
    c.bench_function("parse/50-line doc event (rustpython-parser only)", |b| {
        b.iter(|| {
            rustpython_parser::parse(
                std::hint::black_box(SCRIPT_50_LINES),
                rustpython_parser::Mode::Module,
                "x.py",
            )
        })
    });
}

criterion_group!(benches, bench_check, bench_parse_only);
criterion_main!(benches);
