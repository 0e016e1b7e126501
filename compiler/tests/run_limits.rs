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

/// The exception a script's last line raised: (type, message).
fn error_of(src: &str, limits: Limits) -> (String, String) {
    let out = run_with(src, limits);
    let e = out.error.unwrap_or_else(|| panic!("no error from\n{src}"));
    (e.exc_type, e.message)
}

#[test]
fn format_width_beyond_memory_limit_is_memory_error() {
    for src in [
        "x = '{:>3999999999}'.format(1)\n",
        "x = format('ab', '<3999999999')\n",
        "w = 3999999999\nx = f'{1:>{w}}'\n",
        "x = '{:>{w}}'.format(1, w=3999999999)\n",
        "x = '%03999999999d' % 1\n",
        "x = '%-3999999999s' % 'a'\n",
        "x = '%*d' % (3999999999, 1)\n",
        "x = '%.3999999999d' % 1\n",
        "x = '{:.2000000000f}'.format(1.5)\n",
        "x = '%.2000000000e' % 1.5\n",
        "x = '{:#.2000000000g}'.format(1.5)\n",
    ] {
        let (ty, msg) = error_of(src, Limits::default());
        assert_eq!(ty, "MemoryError", "{src}: {msg}");
    }
}

#[test]
fn format_width_past_sys_maxsize_is_value_error_as_cpython() {
    for (src, message) in [
        (
            "x = '{:>99999999999999999999}'.format(1)\n",
            "Too many decimal digits in format string",
        ),
        (
            "x = '{:.99999999999999999999}'.format(1.0)\n",
            "Too many decimal digits in format string",
        ),
        (
            "w = 10**30\nx = f'{1:>{w}}'\n",
            "Too many decimal digits in format string",
        ),
        ("x = '%099999999999999999999d' % 1\n", "width too big"),
        ("x = '%.99999999999999999999d' % 1\n", "precision too big"),
        ("x = '{:.3000000000f}'.format(1.5)\n", "precision too big"),
    ] {
        let (ty, msg) = error_of(src, Limits::default());
        assert_eq!(
            (ty.as_str(), msg.as_str()),
            ("ValueError", message),
            "{src}"
        );
    }
}

#[test]
fn float_precision_past_rusts_formatter_limit_formats_as_cpython() {
    // Rust's formatter panics past a precision of 65 535; these are CPython's results
    let out = run_with(
        "frappe.response['message'] = [len('{:.70000f}'.format(1.5)), \
         len('%.70000e' % 1.5), '{:.70000g}'.format(1.5), len('{:#.70000g}'.format(1.5)), \
         ('{:.70000f}'.format(0.1))[:30], ('{:.70000f}'.format(0.1))[-3:]]\n",
        Limits::default(),
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(
        out.response["message"],
        serde_json::json!([
            70002,
            70006,
            "1.5",
            70001,
            "0.1000000000000000055511151231",
            "000"
        ])
    );
}

#[test]
fn response_of_one_string_many_times_is_memory_error() {
    let (ty, msg) = error_of(
        "x = 'a' * 10**7\nfrappe.response['message'] = [x] * 1000\n",
        Limits::default(),
    );
    assert_eq!(ty, "MemoryError", "{msg}");
}

#[test]
fn template_context_of_one_string_many_times_is_memory_error() {
    let (ty, msg) = error_of(
        "x = 'a' * 10**7\ny = frappe.render_template('{{ 1 }}', {'rows': [x] * 1000})\n",
        Limits::default(),
    );
    assert_eq!(ty, "MemoryError", "{msg}");
}

#[test]
fn str_of_a_list_of_one_big_string_is_memory_error() {
    // 200 MB of text from a 1 MB string; the limits are small so the debug build is quick
    let limits = || Limits {
        max_str: 8 << 20,
        memory: 64 << 20,
        ..Limits::default()
    };
    for src in [
        "x = 'a' * 10**6\ny = str([x] * 200)\n",
        "x = 'a' * 10**6\ny = repr((x,) * 200)\n",
        "x = 'a' * 10**6\ny = str({i: x for i in range(200)})\n",
        "x = 'a' * 10**6\nprint([x] * 200)\n",
        "x = 'a' * 10**6\ny = '%s' % ([x] * 200,)\n",
        "x = 'a' * 10**6\ny = '{}'.format([x] * 200)\n",
        "x = 'a' * 10**6\ny = json.dumps([x] * 200)\n",
        "x = 'a' * 10**6\ny = frappe.as_json({'rows': [x] * 200})\n",
        "y = json.dumps([[[1]]], indent=10**9)\n",
    ] {
        let (ty, msg) = error_of(src, limits());
        assert_eq!(ty, "MemoryError", "{src}: {msg}");
    }
}

#[test]
fn padding_methods_with_huge_widths_are_memory_errors() {
    for src in [
        "x = '\\t'.expandtabs(10**9)\n",
        "x = 'a\\tb\\tc'.expandtabs(10**8)\n",
        "x = 'a'.ljust(10**10)\n",
        "x = 'a'.rjust(10**10, '\u{e9}')\n",
        "x = 'a'.center(10**10)\n",
        "x = '1'.zfill(10**10)\n",
    ] {
        let (ty, msg) = error_of(src, Limits::default());
        assert_eq!(ty, "MemoryError", "{src}: {msg}");
    }
}

#[test]
fn messages_have_a_total_budget() {
    for src in [
        "x = 'a' * 10**7\nfrappe.msgprint(x)\n",
        "x = 'a' * 10**7\nfrappe.throw(x)\n",
        "frappe.msgprint('ok', title='t' * (2 << 20))\n",
        "x = 'a' * 1000\nwhile True:\n    frappe.msgprint(x)\n",
        "x = 'a' * 10**7\nfrappe.log_error('t', x)\n",
    ] {
        let (ty, msg) = error_of(src, Limits::default());
        assert_eq!(ty, "MemoryError", "{src}: {msg}");
        assert!(msg.contains("messages exceeded"), "{src}: {msg}");
    }
    // a run of ordinary messages stays well inside it
    let out = run_with(
        "for i in range(100):\n    frappe.msgprint('row %d saved' % i)\n",
        Limits::default(),
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.messages.len(), 100);
}

#[test]
fn int_formatting_enforces_the_4300_digit_limit() {
    let limit = "Exceeds the limit (4300 digits) for integer string conversion; \
                 use sys.set_int_max_str_digits() to increase the limit";
    for src in [
        "x = '%d' % 10**5000\n",
        "x = '%i' % -10**5000\n",
        "x = '%s' % 10**5000\n",
        "x = '{:,}'.format(10**5000)\n",
        "x = '{:d}'.format(10**5000)\n",
        "x = '{:_}'.format(10**5000)\n",
        "x = format(10**5000, '>10')\n",
        "x = f'{10**4300:n}'\n",
        "x = str(10**4300)\n",
        "x = repr(-10**4300)\n",
    ] {
        let (ty, msg) = error_of(src, Limits::default());
        assert_eq!((ty.as_str(), msg.as_str()), ("ValueError", limit), "{src}");
    }
    // 4 300 digits are fine, and hex has no limit
    let out = run_with(
        "frappe.response['message'] = [len('%d' % (10**4300 - 1)), \
         len('{:,}'.format(10**4300 - 1)), len('%x' % 10**5000)]\n",
        Limits::default(),
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(
        out.response["message"],
        serde_json::json!([4300, 5733, 4153])
    );
}

/// Loops whose every iteration is one call doing work proportional to a big input.
/// Before, each such call charged one unit of fuel, so the clock was read once per
/// 20 000 calls (`s.count('b')` on 50 MB ran for 14 minutes). Each loop here runs
/// 15 000 iterations — fewer than a fuel slice, so if calls charged nothing for their
/// size the clock would never be read and the loop would end without an error after
/// seconds of work; charged by size, it stops at the time limit.
#[test]
fn loops_of_builtins_over_big_inputs_hit_the_time_limit() {
    let limits = || Limits {
        time: Duration::from_millis(1000),
        ..Limits::default()
    };
    let big_str = "s = 'a' * 4_000_000\nt = 'a' * 4_000_000\nn = 0\n";
    let big_list = "l = [0] * 1_000_000\nm = [0] * 1_000_000\nn = 0\n";
    let big_dict = "d = {}\nfor i in range(50_000):\n    d[i] = 0\nn = 0\n";
    let big_int = "x = 7 ** 200_000\ny = 3 ** 190_000\nn = 0\n";
    for (setup, body) in [
        (big_str, "n += s.count('b')"),
        (big_str, "n += s.find('b')"),
        (big_str, "n += len(s.replace('b', 'c'))"),
        (big_str, "n += 'b' in s"),
        (big_str, "n += s == t"),
        (big_str, "n += s < t"),
        (big_str, "n += len(s.lower())"),
        (big_str, "n += len(s + 'b')"),
        (big_str, "n += len(''.join([s, 'b']))"),
        (big_str, "n += len(s[1:])"),
        (big_str, "n += len(f'{s}')"),
        (big_str, "n += len('%s' % s)"),
        (big_str, "n += len('{}'.format(s))"),
        (
            "u = '\u{e9}' * 2_000_000\nn = 0\n",
            "n += len(u[1_999_999])",
        ),
        (big_list, "n += len(l[1:])"),
        (big_list, "n += len(l.copy())"),
        (big_list, "n += 1 in l"),
        (big_list, "n += l == m"),
        (big_list, "n += len(l + m)"),
        (big_dict, "n += len(d.copy())"),
        (big_int, "n += (x * y) & 1"),
        (big_int, "n += (x // y) & 1"),
        (big_int, "n += len(hex(x))"),
        (big_int, "n += len('{:b}'.format(x))"),
        (big_dict, "n += len(dict(d))"),
    ] {
        let src = format!("{setup}for i in range(15_000):\n    {body}\n");
        // each tier on its own: on a loaded machine the setup lines alone may use up the
        // time in one tier and not the other, so the line is not compared
        for tier in [Tier::Quick, Tier::Optimized] {
            let script = Arc::new(
                compile_with("t.py", src.as_bytes(), ScriptType::Api, tier)
                    .unwrap_or_else(|e| panic!("{e:?}")),
            );
            let input = RunInput {
                limits: limits(),
                ..RunInput::default()
            };
            let out = script.run(&input);
            assert_eq!(error_type(&out), "TimeLimitExceeded", "{body} ({tier:?})");
        }
    }
}

#[test]
fn long_exponentiation_stops_at_the_time_limit() {
    for src in [
        // 19 s before, in one call
        "x = pow(3, (1 << 4000) - 1, (1 << 100000) + 1)\n",
        "n = 0\nwhile True:\n    n += pow(3, (1 << 2000) - 1, (1 << 20000) + 1) & 1\n",
        "n = 0\nwhile True:\n    n += (3 ** 2_000_000) & 1\n",
    ] {
        let out = run_with(src, small_time());
        assert_eq!(error_type(&out), "TimeLimitExceeded", "{src}");
    }
}

#[test]
fn modular_and_big_powers_are_exact() {
    let out = run_with(
        "frappe.response['message'] = [str(pow(3, 10**40, (1 << 127) - 1)), \
         pow(-7, 12345678901234567890, 998244353), pow(7, 123456789, -1000003), \
         pow(5, -1, 13), pow(0, 0, 7), pow(12, 0, 1), str(3 ** 150), \
         str(pow(2, (1 << 200) + 12345, 10 ** 30 + 57))]\n",
        Limits::default(),
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(
        out.response["message"],
        serde_json::json!([
            "81779306578532292258527083327619434864",
            432790869,
            -431140,
            8,
            1,
            0,
            "369988485035126972924700782451696644186473100389722973815184405301748249",
            "9530242088625961352586954843"
        ])
    );
}

#[test]
fn a_time_limit_error_still_says_which_limit_it_was() {
    // turning the exception into text happens after the budget is spent: it must not
    // be stopped by the same limit
    let out = run_with("while True:\n    pass\n", small_time());
    let err = out.error.expect("time limit");
    assert_eq!(err.exc_type, "TimeLimitExceeded");
    assert_eq!(err.message, "script exceeded its time limit of 0.2 s");
}
