//! End to end, against the real binary: what a hostile or careless Server Script must not
//! be able to do — read private rows through `frappe.db.escape`, nest runs without bound,
//! escape the time limit by nesting or by catching errors, keep other users from writing,
//! flood the job queue — and the default log staying free of compiler output.

mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{Client, Server, add_guest_api_script as api_script, add_script, enc};

fn exc_type(r: &support::Resp) -> Option<&str> {
    r.body["exc_type"].as_str()
}

#[test]
fn an_escaped_union_payload_stays_inside_its_literal_and_reads_no_private_note() {
    let (s, c) = Server::start_with_scripts(&[]);
    let r = c.post_json(
        "/api/resource/Note",
        &json!({"title": "private", "content": "the admin's secret"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    api_script(
        &c,
        "find_todo",
        "frappe.response['message'] = frappe.db.sql(\"select name from tabToDo where name = \" + frappe.db.escape(frappe.form_dict.q))",
    );
    // the same query without escaping: proves the payload reads the note when it can
    api_script(
        &c,
        "find_todo_raw",
        "frappe.response['message'] = frappe.db.sql(\"select name from tabToDo where name = '\" + frappe.form_dict.q + \"'\")",
    );
    let guest = s.client();
    let payload = "x' union select content from tabNote --";
    let raw = guest.get(&format!("/api/method/find_todo_raw?q={}", enc(payload)));
    assert!(raw.text.contains("the admin's secret"), "{}", raw.text);
    for q in [
        payload,
        "x\\' union select content from tabNote --",
        "x\\\\' union select content from tabNote --",
        "x'' union select content from tabNote --",
    ] {
        let r = guest.get(&format!("/api/method/find_todo?q={}", enc(q)));
        assert_eq!(r.status, 200, "{q}: {}", r.text);
        assert_eq!(r.body["message"], json!([]), "{q}: {}", r.text);
    }
}

#[test]
fn a_method_that_calls_itself_stops_at_the_nesting_bound_with_recursion_error() {
    let (s, c) = Server::start_with_scripts(&[]);
    api_script(&c, "self_call", "frappe.call('self_call')");
    api_script(&c, "self_run", "run_script('self_run')");
    for method in ["self_call", "self_run"] {
        let r = s
            .client()
            .post_json(&format!("/api/method/{method}"), &json!({}));
        assert_eq!(
            (r.status, exc_type(&r)),
            (500, Some("RecursionError")),
            "{}",
            r.text
        );
        assert!(r.text.contains("nested more than 8 deep"), "{}", r.text);
    }
    assert_eq!(s.client().get("/api/method/ping").body["message"], "pong");
}

#[test]
fn a_permission_query_that_lists_its_own_doctype_stops_at_the_nesting_bound() {
    let (s, c) = Server::start_with_scripts(&[]);
    add_script(
        &c,
        json!({"name": "todo pq", "script_type": "Permission Query", "reference_doctype": "ToDo",
               "script": "n = len(frappe.get_list('ToDo'))\nconditions = '1=1'"}),
    );
    let r = c.post_json(
        "/api/resource/User",
        &json!({"email": "pq@example.com", "first_name": "Pq", "new_password": "pw-pq-1",
                "roles": [{"role": "System Manager"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let user = s.client();
    let r = user.post_json(
        "/api/method/login",
        &json!({"usr": "pq@example.com", "pwd": "pw-pq-1"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = user.get("/api/resource/ToDo");
    assert_eq!(exc_type(&r), Some("RecursionError"), "{}", r.text);
    assert!(r.text.contains("nested more than 8 deep"), "{}", r.text);
    assert_eq!(s.client().get("/api/method/ping").body["message"], "pong");
}

/// Calls `method` (under `script_time_limit` 2) and checks it ends with TimeLimitExceeded
/// well before the 10 s it would take if it could renew its time.
fn stops_at_the_2_s_deadline(s: &Server, method: &str) {
    let started = Instant::now();
    let r = s
        .client()
        .post_json(&format!("/api/method/{method}"), &json!({}));
    let took = started.elapsed();
    assert_eq!(
        (r.status, exc_type(&r)),
        (500, Some("TimeLimitExceeded")),
        "{}",
        r.text
    );
    assert!(took < Duration::from_secs(6), "{method} ran {took:?}");
}

#[test]
fn nested_runs_share_one_deadline_and_catching_the_error_does_not_renew_it() {
    // each nested call would spin for its own 2 s if it got a fresh limit: 5 calls, 10 s
    let (s, c) = Server::start_with_scripts(&[("script_time_limit", "2")]);
    api_script(&c, "spin", "while True:\n    pass");
    api_script(
        &c,
        "chain",
        "for i in range(5):\n    try:\n        frappe.call('spin')\n    except Exception:\n        pass",
    );
    stops_at_the_2_s_deadline(&s, "chain");
}

#[test]
fn a_sql_retry_loop_ends_at_the_script_deadline() {
    let (s, c) = Server::start_with_scripts(&[("script_time_limit", "2")]);
    api_script(
        &c,
        "sql_loop",
        "while True:\n    try:\n        frappe.db.sql('with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c')\n    except Exception:\n        pass",
    );
    stops_at_the_2_s_deadline(&s, "sql_loop");
}

#[test]
fn guest_loops_do_not_keep_a_signed_in_user_from_writing() {
    let (s, c) = Server::start_with_scripts(&[("script_time_limit", "6")]);
    api_script(&c, "guest_spin", "while True:\n    pass");
    let base = s.base.clone();
    let spinners: Vec<_> = (0..2)
        .map(|_| {
            let base = base.clone();
            std::thread::spawn(move || {
                Client::new(&base).post_json("/api/method/guest_spin", &json!({}))
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut slowest = Duration::ZERO;
    for i in 0..5 {
        let started = Instant::now();
        let r = c.post_json(
            "/api/resource/ToDo",
            &json!({"description": format!("w{i}")}),
        );
        slowest = slowest.max(started.elapsed());
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // before the lock was taken on first write, each insert waited for a 6 s script
    assert!(
        slowest < Duration::from_secs(2),
        "slowest insert {slowest:?}"
    );
    for t in spinners {
        let r = t.join().unwrap();
        assert_eq!(exc_type(&r), Some("TimeLimitExceeded"), "{}", r.text);
    }
}

#[test]
fn a_script_that_writes_then_computes_loses_the_write_lock_and_its_write() {
    let (s, c) =
        Server::start_with_scripts(&[("script_time_limit", "20"), ("write_lock_limit", "1")]);
    api_script(
        &c,
        "write_then_spin",
        "frappe.get_doc({'doctype': 'ToDo', 'description': 'held'}).insert(ignore_permissions=True)\nwhile True:\n    pass",
    );
    let base = s.base.clone();
    let started = Instant::now();
    let script = std::thread::spawn(move || {
        Client::new(&base).post_json("/api/method/write_then_spin", &json!({}))
    });
    std::thread::sleep(Duration::from_millis(200));
    let r = c.post_json("/api/resource/ToDo", &json!({"description": "other"}));
    assert_eq!(r.status, 200, "{}", r.text);
    let r = script.join().unwrap();
    let took = started.elapsed();
    assert_eq!(
        (r.status, exc_type(&r)),
        (500, Some("TimeLimitExceeded")),
        "{}",
        r.text
    );
    assert!(r.text.contains("write_lock_limit"), "{}", r.text);
    assert!(
        took < Duration::from_secs(10),
        "the script held on {took:?}"
    );
    // its write was rolled back; the other user's stayed
    let list = c.get("/api/resource/ToDo?fields=[\"description\"]&limit=100");
    let descriptions: Vec<&str> = list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["description"].as_str())
        .collect();
    assert!(descriptions.contains(&"other"), "{descriptions:?}");
    assert!(!descriptions.contains(&"held"), "{descriptions:?}");
}

#[test]
fn one_request_may_enqueue_at_most_a_thousand_jobs_and_a_refused_request_enqueues_none() {
    let (s, c) = Server::start_with_scripts(&[]);
    api_script(
        &c,
        "job_mark",
        "frappe.get_doc({'doctype': 'ToDo', 'description': 'from a job'}).insert(ignore_permissions=True)",
    );
    api_script(
        &c,
        "flood",
        "for i in range(20000):\n    frappe.enqueue('job_mark')",
    );
    api_script(
        &c,
        "some_jobs",
        "for i in range(3):\n    frappe.enqueue('job_mark')",
    );
    let count = || {
        c.get("/api/method/frappe.client.get_count?doctype=ToDo")
            .body["message"]
            .as_u64()
            .unwrap()
    };
    let r = s.client().post_json("/api/method/flood", &json!({}));
    assert_eq!(exc_type(&r), Some("ValidationError"), "{}", r.text);
    assert!(r.text.contains("at most 1000 jobs"), "{}", r.text);
    // a request under the cap: its jobs run, and only they do (the refused request's
    // thousand were rolled back with it)
    let r = s.client().post_json("/api/method/some_jobs", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        support::wait_until(|| count() == 3),
        "jobs ran: {}",
        count()
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(count(), 3);
}

#[test]
fn the_default_log_holds_no_compiler_output() {
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("server.log");
    let s = Server::start_logging_to(std::fs::File::create(&log_path).unwrap());
    s.set_config("server_script_enabled", "true");
    let c = s.admin();
    api_script(
        &c,
        "compiled",
        "total = 0\nfor i in range(100):\n    total += i * 2\nfrappe.response['message'] = total",
    );
    for _ in 0..3 {
        assert_eq!(s.client().get("/api/method/compiled").body["message"], 9900);
    }
    drop(s);
    let log = std::fs::read_to_string(&log_path).unwrap();
    for ir in ["block0", "function u0:", "v0 = ", "regalloc"] {
        assert!(
            !log.contains(ir),
            "the log holds `{ir}`:\n{}",
            &log[..log.len().min(2000)]
        );
    }
    assert!(
        log.len() < 20_000,
        "{} bytes of log for a few requests",
        log.len()
    );
}

#[test]
fn the_reviews_process_killing_scripts_end_in_python_errors_and_the_server_stays_small() {
    let (mut s, c) = Server::start_with_scripts(&[("script_time_limit", "2")]);
    let attacks: &[(&str, &[&str])] = &[
        ("'{:>3999999999}'.format(1)", &["ValueError", "MemoryError"]),
        (
            "w = 3999999999\nx = f'{1:>{w}}'",
            &["ValueError", "MemoryError"],
        ),
        ("x = '%03999999999d' % 1", &["ValueError", "MemoryError"]),
        // a precision past 65 535 panicked; CPython gives the 70 002 characters
        ("x = '{:.70000f}'.format(1.5)", &["<none>"]),
        (
            "x = 'a' * 10**7\nfrappe.response['message'] = [x] * 1000",
            &["MemoryError"],
        ),
        (
            "x = 'a' * 10**7\ny = str([x] * 30)",
            &["MemoryError", "TimeLimitExceeded"],
        ),
        ("x = '\\t'.expandtabs(10**9)", &["MemoryError"]),
        ("frappe.msgprint('a' * 100_000_000)", &["MemoryError"]),
        (
            "s = 'a' * 50_000_000\nn = 0\nwhile True:\n    n += s.count('b')",
            &["TimeLimitExceeded", "MemoryError"],
        ),
        (
            "x = pow(3, (1 << 4000) - 1, (1 << 100000) + 1)",
            &["TimeLimitExceeded"],
        ),
        ("x = '%d' % (10 ** 5000)", &["ValueError"]),
        ("x = '{:,}'.format(10 ** 5000)", &["ValueError"]),
    ];
    for (i, (script, expected)) in attacks.iter().enumerate() {
        let method = format!("attack_{i}");
        api_script(&c, &method, script);
        let r = s
            .client()
            .post_json(&format!("/api/method/{method}"), &json!({}));
        let got = exc_type(&r).unwrap_or("<none>");
        assert!(
            expected.contains(&got),
            "{script}: {} {}",
            r.status,
            &r.text[..r.text.len().min(500)]
        );
        assert!(s.is_running(), "the server died on {script}");
    }
    assert_eq!(s.client().get("/api/method/ping").body["message"], "pong");
    let rss_mb = s.status_kb("VmRSS").unwrap() / 1024;
    let peak_mb = s.status_kb("VmHWM").unwrap() / 1024;
    // each run may hold 256 MiB of objects (the default memory limit): the peak stays
    // near that, not the gigabytes the attacks asked for
    assert!(peak_mb < 1024, "peak RSS {peak_mb} MiB");
    assert!(rss_mb < 512, "RSS {rss_mb} MiB after the attacks");
}
