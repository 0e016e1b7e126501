//! Scheduler Event scripts on a running server: off until the site enables the
//! scheduler, then run on their frequency as Administrator; a failure is an Error Log;
//! `pause_scheduler` stops them.

mod support;

use serde_json::json;
use support::{Client, Server};

fn count(c: &Client, doctype: &str, filters: &str) -> usize {
    let r = c.get(&format!(
        "/api/resource/{doctype}?fields=[\"name\"]&limit_page_length=1000&filters={filters}"
    ));
    r.body["data"].as_array().map_or(0, |a| a.len())
}

#[test]
fn scheduler_event_scripts_run_on_their_frequency_once_the_scheduler_is_on() {
    let s = Server::start();
    s.set_config("server_script_enabled", "true");
    s.set_config("scheduler_tick_seconds", "0.1");
    s.set_config("scheduler_interval", "0.3");
    let c = s.admin();
    let add = |name: &str, frequency: &str, code: &str| {
        let r = c.post_json(
            "/api/resource/Server Script",
            &json!({"name": name, "script_type": "Scheduler Event", "event_frequency": frequency,
                    "cron_format": "", "script": code}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    };
    add(
        "tick",
        "All",
        "frappe.get_doc({'doctype': 'Note', 'title': 'tick by ' + frappe.session.user}).insert()",
    );
    add(
        "daily",
        "Daily",
        "frappe.get_doc({'doctype': 'Note', 'title': 'daily'}).insert()",
    );
    let ticks = "[[\"title\",\"=\",\"tick by Administrator\"]]";
    // off by default (a new site's scheduler is disabled)
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert_eq!(count(&c, "Note", ticks), 0);

    s.set_config("enable_scheduler", "true");
    assert!(
        support::wait_until(|| count(&c, "Note", ticks) >= 2),
        "the All script runs every interval"
    );
    // the daily one waits for midnight
    assert_eq!(count(&c, "Note", "[[\"title\",\"=\",\"daily\"]]"), 0);

    // a failing script is rolled back and logged
    add(
        "broken",
        "All",
        "frappe.get_doc({'doctype': 'Note', 'title': 'half'}).insert()\nfrappe.throw('no good')",
    );
    assert!(
        support::wait_until(|| count(
            &c,
            "Error Log",
            "[[\"method\",\"=\",\"Scheduled script broken failed\"]]"
        ) >= 1),
        "no Error Log for the failing script"
    );
    assert_eq!(
        count(&c, "Note", "[[\"title\",\"=\",\"half\"]]"),
        0,
        "its writes are rolled back"
    );

    // paused: nothing more runs
    s.set_config("pause_scheduler", "true");
    std::thread::sleep(std::time::Duration::from_millis(400));
    let before = count(&c, "Note", ticks);
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert_eq!(count(&c, "Note", ticks), before);
}

#[test]
fn a_cron_script_needs_a_valid_cron_expression() {
    let s = Server::start();
    let c = s.admin();
    for (cron, message) in [
        (
            "",
            "Cron format is required for job types with Cron frequency.",
        ),
        (
            "61 * * * *",
            "<code>61 * * * *</code> is not a valid Cron expression.",
        ),
    ] {
        let r = c.post_json(
            "/api/resource/Server Script",
            &json!({"name": "c", "script_type": "Scheduler Event", "event_frequency": "Cron",
                    "cron_format": cron, "script": "pass"}),
        );
        assert_eq!(r.status, 417, "{}", r.text);
        assert_eq!(
            r.body["exception"],
            format!("frappe.exceptions.ValidationError: {message}"),
            "{}",
            r.text
        );
        assert!(r.text.contains("Bad Cron Expression"), "{}", r.text);
    }
    let r = c.post_json(
        "/api/resource/Server Script",
        &json!({"name": "c", "script_type": "Scheduler Event", "event_frequency": "Cron",
                "cron_format": "*/5 9-17 * * mon-fri", "script": "pass"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}
