//! Compile time (parse + check + lower + Cranelift; the quick tier a script starts in,
//! and the optimized tier it moves to) and in-process runs of W1–W5 (optimized tier).
//! Targets: compile of 50 lines ≤ 2 ms; W1 ≤ 0.5 µs, W2 ≤ 20 µs, W3 ≤ 5.6 ms,
//! W4 ≤ 45 µs, W5 ≤ 600 µs per call, marshalling included.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use serverscript_benches::{SCRIPT_50_LINES, workload};
use serverscript_compiler::{ScriptType, Tier, compile, compile_with};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_compile(c: &mut Criterion) {
    // the compiled script is dropped outside the timing (freeing machine code is not
    // part of getting a script ready)
    c.bench_function("compile/50-line doc event (parse+check+lower+jit)", |b| {
        b.iter_with_large_drop(|| {
            compile(
                "validate_50.py",
                std::hint::black_box(SCRIPT_50_LINES.as_bytes()),
                ScriptType::DocEvent,
            )
            .expect("compiles")
        })
    });
    c.bench_function("compile/50-line doc event, optimized tier", |b| {
        b.iter_with_large_drop(|| {
            compile_with(
                "validate_50.py",
                std::hint::black_box(SCRIPT_50_LINES.as_bytes()),
                ScriptType::DocEvent,
                Tier::Optimized,
            )
            .expect("compiles")
        })
    });
    let long = serverscript_benches::script_500_lines();
    assert!(long.lines().count() >= 500);
    c.bench_function("compile/500-line doc event (parse+check+lower+jit)", |b| {
        b.iter_with_large_drop(|| {
            compile(
                "validate_500.py",
                std::hint::black_box(long.as_bytes()),
                ScriptType::DocEvent,
            )
            .expect("compiles")
        })
    });
    c.bench_function("compile/one-line script (fixed cost)", |b| {
        b.iter_with_large_drop(|| {
            compile("pass.py", std::hint::black_box(b"x = 1\n"), ScriptType::Api).expect("compiles")
        })
    });
}

fn bench_workloads(c: &mut Criterion) {
    let mut g = c.benchmark_group("workload");
    for name in ["W1", "W2", "W3", "W4", "W5"] {
        let w = workload(name);
        let script = Arc::new(
            compile_with(name, w.source.as_bytes(), w.script_type, Tier::Optimized)
                .expect("compiles"),
        );
        if name == "W3" {
            g.sample_size(10);
        }
        g.bench_function(name, |b| {
            b.iter(|| script.run(&w.input).into_result(w.script_type))
        });
    }
    g.finish();
}

/// The value model under load: each script does 10 000 operations of one kind in a loop,
/// so the time per run / 10 000 is the cost of one (the loop's own overhead included).
fn bench_value_model(c: &mut Criterion) {
    let mut g = c.benchmark_group("value model (10 000 ops per run)");
    for (name, src) in [
        (
            "int loop: i += 1",
            "i = 0\nwhile i < 10000:\n    i += 1\nfrappe.response['message'] = i",
        ),
        (
            "dict set + get",
            "d = {}\nfor i in range(10000):\n    d[i % 64] = i\n    x = d[i % 64]\nfrappe.response['message'] = len(d)",
        ),
        (
            "dict by string key",
            "d = {'qty': 1, 'rate': 2.5}\nt = 0\nfor i in range(10000):\n    t += d['qty'] * d['rate']\nfrappe.response['message'] = t",
        ),
        (
            "string concat",
            "s = ''\nfor i in range(10000):\n    s += 'ab'\nfrappe.response['message'] = len(s)",
        ),
        (
            "list append",
            "l = []\nfor i in range(10000):\n    l.append(i)\nfrappe.response['message'] = len(l)",
        ),
    ] {
        let script = Arc::new(
            compile_with(name, src.as_bytes(), ScriptType::Api, Tier::Optimized).expect("compiles"),
        );
        let input = serverscript_compiler::RunInput::default();
        g.bench_function(name, |b| b.iter(|| script.run(&input)));
    }
    g.finish();
}

criterion_group!(benches, bench_compile, bench_workloads, bench_value_model);
criterion_main!(benches);
