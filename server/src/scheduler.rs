//! The scheduler: runs Scheduler Event scripts when their frequency says so.
//!
//! A thread the server starts ticks every `scheduler_tick_seconds` (site config, default
//! 60). On a tick it does nothing unless the site config has `enable_scheduler` on (off
//! by default, as a new Frappe site's scheduler is), `pause_scheduler` off, no
//! `maintenance_mode`, and `server_script_enabled`. Then each enabled Scheduler Event
//! script that is due runs as Administrator in its own transaction, committed on
//! success; a failure is rolled back and written to an Error Log. Due means: `All` — at
//! least `scheduler_interval` seconds (default 240, Frappe's) since its last run;
//! `Hourly`, `Daily`, `Weekly`, `Monthly`, `Yearly` (and their `Long` forms) and `Cron`
//! — a minute matching the frequency's cron expression (in the site's time zone) came
//! since the last run, or since the script was created when it never ran. Last runs are
//! kept in the private table `__SchedulerRuns`. Runs of frequencies other than `All` and
//! `Cron` leave a Scheduled Job Log (Complete with the `print` output, or Failed with the
//! traceback), as Frappe's do.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use jiff::civil::DateTime;

use crate::error::Result;
use crate::scripts::cron;
use crate::site::{Site, truthy};

/// Starts the site's scheduler thread.
pub fn start(site: &Arc<Site>) -> std::io::Result<()> {
    let weak: Weak<Site> = Arc::downgrade(site);
    std::thread::Builder::new()
        .name("serverscript-scheduler".into())
        .stack_size(32 << 20)
        .spawn(move || {
            let mut last = std::time::Instant::now();
            loop {
                // wake often, tick when the (re-read) tick length has passed: a changed
                // `scheduler_tick_seconds` applies without a restart
                std::thread::sleep(Duration::from_millis(50));
                let Some(site) = weak.upgrade() else { return };
                if last.elapsed() < tick_length(&site) {
                    continue;
                }
                last = std::time::Instant::now();
                if let Err(e) = tick(&site) {
                    tracing::warn!(error = %e.text, "scheduler tick failed");
                }
            }
        })?;
    Ok(())
}

fn tick_length(site: &Site) -> Duration {
    site.config("scheduler_tick_seconds")
        .and_then(|v| v.as_f64())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.clamp(0.05, 3600.0)))
        .unwrap_or(Duration::from_secs(60))
}

fn parse_time(s: &str) -> Option<DateTime> {
    s.get(..19).and_then(|t| t.replace(' ', "T").parse().ok())
}

/// Whether the scheduler may run on this site now.
pub fn active(site: &Site) -> bool {
    site.refresh_config();
    truthy(site.config("enable_scheduler").as_ref())
        && !truthy(site.config("pause_scheduler").as_ref())
        && !truthy(site.config("maintenance_mode").as_ref())
        && truthy(site.config("server_script_enabled").as_ref())
}

/// One pass: runs every due script. Returns the names run.
pub fn tick(site: &Site) -> Result<Vec<String>> {
    if !active(site) {
        return Ok(Vec::new());
    }
    let now = site.settings().now();
    let interval = site
        .config("scheduler_interval")
        .and_then(|v| v.as_f64())
        .filter(|s| *s > 0.0)
        .unwrap_or(240.0);
    let (scheduled, last_runs) = {
        let tx = site.begin("Administrator", false)?;
        let reg = site.scripts.registry(&tx)?;
        let mut last: HashMap<String, String> = HashMap::new();
        if let Ok(mut stmt) = tx
            .db
            .prepare("SELECT script, last_run FROM __SchedulerRuns")
        {
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for r in rows {
                let (k, v) = r?;
                last.insert(k, v);
            }
        }
        (reg.scheduled.clone(), last)
    };
    let mut ran = Vec::new();
    for (name, frequency, cron_format, creation) in scheduled {
        // last runs and creation stamps are both site time
        let since = last_runs
            .get(&name)
            .or(Some(&creation))
            .and_then(|s| parse_time(s));
        let Some(since) = since else { continue };
        let due = if frequency == "All" || frequency.is_empty() {
            now.duration_since(since).as_secs_f64() >= interval
        } else {
            match cron::for_frequency(&frequency, &cron_format, 4) {
                Some(c) => c.due_between(since, now),
                None => {
                    tracing::warn!(script = %name, frequency = %frequency, cron = %cron_format, "unknown frequency or bad cron; not scheduled");
                    false
                }
            }
        };
        if !due {
            continue;
        }
        run_one(site, &name, &frequency);
        record(site, &name, now)?;
        ran.push(name);
    }
    Ok(ran)
}

fn run_one(site: &Site, name: &str, frequency: &str) {
    let failure = crate::jobs::Failure {
        title: format!("Scheduled script {name} failed"),
        reference: Some(("Server Script".into(), name.to_string())),
        trace_id: None,
    };
    let outcome = crate::jobs::run_logged(site, "Administrator", &failure, |tx| {
        let engine = tx.site.scripts.clone();
        engine.run_scheduled(tx, name)
    });
    // Frappe keeps a Scheduled Job Log of every run except for `All` and `Cron` jobs
    if matches!(frequency, "All" | "Cron" | "") {
        return;
    }
    // Frappe names the job `scrub("<script>-<frequency>")`
    let job_type = format!("{name}-{frequency}")
        .replace([' ', '-'], "_")
        .to_lowercase();
    let (status, details, debug_log) = match outcome {
        Ok(log) => ("Complete", String::new(), log.join("\n")),
        Err(e) => (
            "Failed",
            format!(
                "{}{}: {}",
                e.trace.clone().unwrap_or_default(),
                e.exc_type,
                e.text
            ),
            String::new(),
        ),
    };
    let logged = site.begin("Administrator", true).and_then(|mut tx| {
        let mut doc = serde_json::Map::new();
        doc.insert("doctype".into(), "Scheduled Job Log".into());
        doc.insert("name".into(), crate::model::naming::random_hash().into());
        doc.insert("scheduled_job_type".into(), job_type.into());
        doc.insert("status".into(), status.into());
        doc.insert("details".into(), details.into());
        doc.insert("debug_log".into(), debug_log.into());
        tx.insert_raw(&mut doc)?;
        tx.commit()
    });
    if let Err(e) = logged {
        tracing::error!(error = %e.text, "could not write a Scheduled Job Log");
    }
}

fn record(site: &Site, name: &str, at: DateTime) -> Result<()> {
    let mut tx = site.begin("Administrator", true)?;
    tx.db.execute(
        "INSERT INTO __SchedulerRuns (script, last_run) VALUES (?1, ?2) \
         ON CONFLICT(script) DO UPDATE SET last_run = excluded.last_run",
        rusqlite::params![name, at.strftime("%Y-%m-%d %H:%M:%S%.6f").to_string()],
    )?;
    tx.commit()
}
