//! `round(x, n)` against CPython on 2 000 generated cases: halves just above and below
//! ties, values with few decimals (the prices scripts round), random bit patterns, and
//! every `n` from 0 to 10. Our `round` takes a fast path away from ties and CPython's
//! exact decimal path near them; both must agree with `python3` bit for bit (repr).

use std::process::Command;
use std::sync::Arc;

use serverscript_compiler::{RunInput, ScriptType, compile};

const GENERATOR: &str = r#"
import random, struct
random.seed(20261125)
out = []
while len(out) < 2000:
    k = random.random()
    if k < 0.25:
        x = random.uniform(-1e6, 1e6)
    elif k < 0.5:
        x = round(random.uniform(-1000, 1000), random.randint(0, 6)) + random.choice([0, 5e-7, -5e-7, 0.005, 0.0005, 0.5, 0.05])
    elif k < 0.75:
        x = random.randint(-10**6, 10**6) / random.choice([2, 4, 8, 16, 100, 1000, 200, 40])
    else:
        x = struct.unpack("d", struct.pack("Q", random.getrandbits(64)))[0]
    if x != x or x in (float("inf"), float("-inf")):
        continue
    n = random.randint(0, 10)
    out.append(f"{x!r}\t{n}\t{round(x, n)!r}")
print("\n".join(out))
"#;

#[test]
fn round_agrees_with_cpython_bit_for_bit() {
    let py = Command::new("python3")
        .args(["-c", GENERATOR])
        .output()
        .expect("python3 is needed for this test (it is on the machine and in CI)");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let cases: Vec<(String, String, String)> = String::from_utf8(py.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut p = l.split('\t');
            let (x, n, r) = (p.next().unwrap(), p.next().unwrap(), p.next().unwrap());
            (x.to_string(), n.to_string(), r.to_string())
        })
        .collect();
    assert_eq!(cases.len(), 2000);
    // 500 calls a script: 2 000 straight-line calls would pass the size a function body
    // may have (SS012)
    let mut printed = Vec::new();
    for chunk in cases.chunks(500) {
        let src: String = chunk
            .iter()
            .map(|(x, n, _)| format!("print(repr(round({x}, {n})))\n"))
            .collect();
        let script = Arc::new(compile("round.py", src.as_bytes(), ScriptType::Api).unwrap());
        let out = script.run(&RunInput::default());
        assert!(out.error.is_none(), "{:?}", out.error);
        printed.extend(out.debug_log);
    }
    assert_eq!(printed.len(), cases.len());
    let bad: Vec<String> = cases
        .iter()
        .zip(&printed)
        .filter(|((_, _, want), got)| want != *got)
        .map(|((x, n, want), got)| format!("round({x}, {n}): CPython {want}, ours {got}"))
        .collect();
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
