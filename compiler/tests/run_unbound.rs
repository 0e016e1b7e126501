//! Reads of possibly-unbound variables: the compiler drops the UnboundLocalError check
//! where a variable is bound on every path (definite assignment), so each case here is a
//! path on which the variable is *not* bound and must still raise exactly as CPython
//! does, plus cases where it is bound and must not.

mod common;

use serverscript_compiler::{RunInput, ScriptType};

/// Runs `src`; returns the printed lines and `Some((type, line))` for an uncaught error.
fn run(src: &str) -> (Vec<String>, Option<(String, u32)>) {
    let out = common::run_both(src, ScriptType::Api, &RunInput::default());
    let err = out.error.map(|e| (e.exc_type, e.line.expect("error line")));
    (out.debug_log, err)
}

fn raises(src: &str, exc: &str, line: u32) {
    let (_, err) = run(src);
    assert_eq!(err, Some((exc.to_string(), line)), "script:\n{src}");
}

fn prints(src: &str, expected: &[&str]) {
    let (log, err) = run(src);
    assert_eq!(err, None, "script:\n{src}");
    assert_eq!(log, expected, "script:\n{src}");
}

#[test]
fn assignment_in_one_branch_only_is_checked() {
    raises(
        "def f(c):\n    if c:\n        x = 1\n    return x\nf(False)\n",
        "UnboundLocalError",
        4,
    );
    raises("if len('') > 0:\n    x = 1\nprint(x)\n", "NameError", 3);
}

#[test]
fn assignment_in_both_branches_is_bound() {
    prints(
        "def f(c):\n    if c:\n        x = 1\n    else:\n        x = 2\n    return x\nprint(f(True), f(False))\n",
        &["1 2"],
    );
}

#[test]
fn a_loop_that_runs_zero_times_binds_nothing() {
    raises(
        "def f():\n    for i in []:\n        x = i\n    return x\nf()\n",
        "UnboundLocalError",
        4,
    );
    raises(
        "def f():\n    while False:\n        x = 1\n    return x\nf()\n",
        "UnboundLocalError",
        4,
    );
    raises(
        "def f():\n    for i in []:\n        pass\n    return i\nf()\n",
        "UnboundLocalError",
        4,
    );
}

#[test]
fn del_inside_a_loop_unbinds_for_the_next_iteration() {
    let (log, err) =
        run("def f():\n    x = 1\n    for i in range(3):\n        print(x)\n        del x\nf()\n");
    assert_eq!(log, ["1"]);
    assert_eq!(err, Some(("UnboundLocalError".into(), 4)));
    raises("x = 1\ndel x\nprint(x)\n", "NameError", 3);
}

#[test]
fn a_raise_before_the_assignment_leaves_it_unbound_in_the_handler_and_after() {
    raises(
        "def f():\n    try:\n        y = 1 // 0\n    except ZeroDivisionError:\n        pass\n    return y\nf()\n",
        "UnboundLocalError",
        6,
    );
    raises(
        "def f():\n    try:\n        y = 1 // 0\n    except ZeroDivisionError:\n        return y\nf()\n",
        "UnboundLocalError",
        5,
    );
    prints(
        "def f(d):\n    try:\n        y = 1 // d\n    except ZeroDivisionError:\n        y = -1\n    return y\nprint(f(0), f(1))\n",
        &["-1 1"],
    );
}

#[test]
fn the_exception_name_is_unbound_after_its_handler() {
    raises(
        "def f():\n    e = 1\n    try:\n        1 // 0\n    except ZeroDivisionError as e:\n        pass\n    return e\nf()\n",
        "UnboundLocalError",
        7,
    );
}

#[test]
fn a_walrus_in_a_branch_that_does_not_run_binds_nothing() {
    raises(
        "def f():\n    if False and (y := 1):\n        pass\n    return y\nf()\n",
        "UnboundLocalError",
        4,
    );
    prints(
        "def f():\n    if (y := 2) > 1:\n        pass\n    return y\nprint(f())\n",
        &["2"],
    );
}

#[test]
fn finally_after_an_exception_sees_only_what_was_bound_before() {
    raises(
        "def f():\n    try:\n        z = 1 // 0\n    finally:\n        print(z)\nf()\n",
        "UnboundLocalError",
        5,
    );
}

#[test]
fn break_leaves_later_assignments_unbound() {
    raises(
        "def f():\n    while True:\n        break\n        w = 1\n    return w\nf()\n",
        "UnboundLocalError",
        5,
    );
    prints(
        "def f():\n    n = 0\n    while n < 3:\n        k = n\n        n += 1\n    else:\n        k = -1\n    return k\nprint(f())\n",
        &["-1"],
    );
}

#[test]
fn comprehension_variables_do_not_bind_the_enclosing_name() {
    raises(
        "def f():\n    ys = [v for v in range(3)]\n    return v\nf()\n",
        "NameError",
        3,
    );
}
