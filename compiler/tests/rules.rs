//! Every rule's examples: each `flags` example must produce a diagnostic of that rule
//! (its rendering is snapshotted in `snapshots/`), each `accepts` example must not.

use serverscript_compiler::registry::RULES;
use serverscript_compiler::rule::{Example, ExampleSource};
use serverscript_compiler::{CheckOutput, check, render_human};

fn run(example: &Example) -> CheckOutput {
    check("script.py", &example.bytes(), example.script_type)
}

fn describe(example: &Example) -> String {
    match example.source {
        ExampleSource::Text(t) => format!("{t:?} ({})", example.script_type),
        ExampleSource::Generated(_) => format!("<generated input> ({})", example.script_type),
    }
}

#[test]
fn every_rule_has_flagged_and_accepted_examples() {
    for rule in RULES {
        assert!(
            !rule.flags.is_empty(),
            "{} has no example it flags",
            rule.code
        );
        assert!(
            !rule.accepts.is_empty(),
            "{} has no near miss it accepts",
            rule.code
        );
    }
}

#[test]
fn each_rule_flags_its_examples() {
    for rule in RULES {
        for (i, example) in rule.flags.iter().enumerate() {
            let out = run(example);
            let hits: Vec<_> = out
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.code)
                .collect();
            assert!(
                !hits.is_empty(),
                "{} did not flag {}; got {:?}",
                rule.code,
                describe(example),
                out.diagnostics
            );
            for d in &hits {
                assert_eq!(
                    d.severity, rule.severity,
                    "{} emitted with the wrong severity",
                    rule.code
                );
            }
            let rendered: Vec<String> = hits
                .iter()
                .map(|d| render_human(&out.source, d, false))
                .collect();
            insta::assert_snapshot!(
                format!("{}_{}_{}", rule.code, rule.name, i + 1),
                rendered.join("\n")
            );
        }
    }
}

#[test]
fn each_rule_accepts_its_near_misses() {
    for rule in RULES {
        for example in rule.accepts {
            let out = run(example);
            let hits: Vec<_> = out
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.code)
                .collect();
            assert!(
                hits.is_empty(),
                "{} wrongly flagged {}: {hits:?}",
                rule.code,
                describe(example)
            );
            // A near miss is valid code: no other rule may refuse it either.
            let errors: Vec<_> = out.errors().collect();
            assert!(
                errors.is_empty(),
                "near miss for {} has errors: {errors:?}",
                rule.code
            );
        }
    }
}
