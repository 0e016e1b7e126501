//! The scheduler's pass over a real site: a script is due when its frequency's time came
//! since its last run; runs of frequencies other than `All`/`Cron` leave a Scheduled Job
//! Log with the `print` output or the traceback.

use serde_json::{Value, json};
use serverscript_runtime::host::WriteFlags;
use serverscript_server::model::lifecycle;
use serverscript_server::{Site, scheduler};

fn script(site: &Site, name: &str, frequency: &str, code: &str) {
    let mut tx = site.begin("Administrator", true).unwrap();
    let doc = json!({"doctype": "Server Script", "name": name, "script_type": "Scheduler Event",
                     "event_frequency": frequency, "script": code});
    lifecycle::insert(
        &mut tx,
        doc.as_object().unwrap().clone(),
        &WriteFlags::default(),
    )
    .unwrap();
    tx.commit().unwrap();
}

fn last_run(site: &Site, name: &str, at: &str) {
    let mut tx = site.begin("Administrator", true).unwrap();
    tx.db
        .execute(
            "INSERT OR REPLACE INTO __SchedulerRuns (script, last_run) VALUES (?1, ?2)",
            [name, at],
        )
        .unwrap();
    tx.commit().unwrap();
}

fn logs(site: &Site) -> Vec<Value> {
    let tx = site.begin("Administrator", false).unwrap();
    let mut stmt = tx
        .db
        .prepare("SELECT scheduled_job_type, status, details, debug_log FROM `tabScheduled Job Log` ORDER BY scheduled_job_type")
        .unwrap();
    stmt.query_map([], |r| {
        Ok(json!([
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            r.get::<_, Option<String>>(3)?.unwrap_or_default()
        ]))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn due_scripts_run_and_leave_scheduled_job_logs() {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("s"), Some("admin")).unwrap();
    for (k, v) in [
        ("server_script_enabled", "true"),
        ("enable_scheduler", "true"),
    ] {
        serverscript_server::site::set_config(&site.dir, k, v).unwrap();
    }
    script(&site, "Hourly Report", "Hourly", "print('rows:', 3)");
    script(&site, "Nightly", "Daily", "frappe.throw('disk full')");
    script(&site, "Weekly Digest", "Weekly", "print('not yet')");
    let now = site.settings().now();
    let ago = |h: i64| {
        serverscript_server::model::stamp(now.checked_sub(jiff::Span::new().hours(h)).unwrap())
    };
    last_run(&site, "Hourly Report", &ago(2));
    last_run(&site, "Nightly", &ago(25));
    // a week's boundary has not necessarily passed in the last minute: not due
    last_run(
        &site,
        "Weekly Digest",
        &serverscript_server::model::stamp(now),
    );

    let mut ran = scheduler::tick(&site).unwrap();
    ran.sort();
    assert_eq!(ran, ["Hourly Report", "Nightly"]);
    let l = logs(&site);
    assert_eq!(l.len(), 2, "{l:?}");
    assert_eq!(l[0][0], "hourly_report_hourly");
    assert_eq!(
        (l[0][1].as_str(), l[0][3].as_str()),
        (Some("Complete"), Some("rows: 3"))
    );
    assert_eq!(l[1][0], "nightly_daily");
    assert_eq!(l[1][1], "Failed");
    assert!(l[1][2].as_str().unwrap().contains("disk full"), "{l:?}");

    // just ran: not due again
    assert!(scheduler::tick(&site).unwrap().is_empty());
}
