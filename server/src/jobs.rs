//! Background jobs (`frappe.enqueue`): a job is an API script or whitelisted method
//! with its arguments, run later as the user who enqueued it. Jobs wait in the
//! enqueuing transaction and reach the worker only when it commits (a rolled-back
//! request enqueues nothing); the worker runs them one after another, each in its own
//! transaction, and records a failure as an Error Log document.
//!
//! The worker is a thread the server starts ([`start`]); it holds the site weakly and
//! ends when the site is gone.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, Weak};

use serde_json::{Map, Value};

use crate::site::Site;

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub method: String,
    pub kwargs: Map<String, Value>,
    pub user: String,
}

/// Jobs one unit of work (a request, a job, a scheduled run) may enqueue.
pub const MAX_JOBS_PER_UNIT: usize = 1_000;
/// Jobs waiting for the worker, site-wide; past it `enqueue` is refused until the worker
/// catches up (the queue lives in memory: it must not grow without bound).
pub const MAX_PENDING_JOBS: usize = 10_000;

/// The site's handle on its worker.
#[derive(Default)]
pub struct JobQueue {
    sender: Mutex<Option<Sender<Job>>>,
    /// Jobs handed to the worker and not finished yet.
    pending: AtomicUsize,
}

impl JobQueue {
    pub fn running(&self) -> bool {
        self.sender.lock().unwrap().is_some()
    }

    /// Jobs handed to the worker and not finished yet.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Relaxed)
    }

    /// Hands committed jobs to the worker (dropped, with a log line, if there is none).
    pub fn submit(&self, jobs: Vec<Job>) {
        let guard = self.sender.lock().unwrap();
        for job in jobs {
            let (id, method) = (job.id.clone(), job.method.clone());
            self.pending.fetch_add(1, Ordering::Relaxed);
            let sent = guard.as_ref().is_some_and(|s| s.send(job).is_ok());
            if !sent {
                self.pending.fetch_sub(1, Ordering::Relaxed);
                tracing::error!(job = %id, method = %method, "no job worker; job dropped");
            }
        }
    }
}

/// Starts the site's worker thread (once).
pub fn start(site: &Arc<Site>) -> std::io::Result<()> {
    let mut sender = site.jobs.sender.lock().unwrap();
    if sender.is_some() {
        return Ok(());
    }
    let (tx, rx) = channel();
    let weak = Arc::downgrade(site);
    std::thread::Builder::new()
        .name("serverscript-jobs".into())
        .stack_size(32 << 20)
        .spawn(move || work(weak, rx))?;
    *sender = Some(tx);
    Ok(())
}

fn work(site: Weak<Site>, rx: Receiver<Job>) {
    while let Ok(job) = rx.recv() {
        let Some(site) = site.upgrade() else { return };
        run(&site, &job);
        site.jobs.pending.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Runs one job in its own transaction; a failure rolls it back and writes an Error Log.
pub fn run(site: &Site, job: &Job) {
    let failure = Failure {
        title: format!("Background job {} failed", job.method),
        reference: None,
        trace_id: Some(job.id.clone()),
    };
    let _ = run_logged(site, &job.user, &failure, |tx| {
        crate::scripts::call_method(tx, &job.method, &job.kwargs).map(drop)
    });
}

/// How a failed unit of background work is recorded.
pub struct Failure {
    /// The Error Log's title (`method`).
    pub title: String,
    /// (DocType, name) the failure is about.
    pub reference: Option<(String, String)>,
    pub trace_id: Option<String>,
}

/// Runs `work` as `user` in its own transaction (it takes the write lock when it first
/// writes, as a request's script does), committed on success. On failure
/// the transaction is rolled back and an Error Log is written in another one (background
/// work has no client to answer).
pub fn run_logged<T>(
    site: &Site,
    user: &str,
    failure: &Failure,
    work: impl FnOnce(&mut crate::tx::SiteTx<'_>) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    let outcome = site
        .begin(user, false)
        .and_then(|mut tx| match work(&mut tx) {
            Ok(v) => tx.commit().map(|()| v),
            Err(e) => {
                let _ = tx.rollback();
                Err(e)
            }
        });
    let Err(e) = outcome else { return outcome };
    tracing::warn!(what = %failure.title, error = %e.text, "background work failed");
    let logged = site.begin("Administrator", true).and_then(|mut tx| {
        let error = format!(
            "{}{}: {}",
            e.trace.clone().unwrap_or_default(),
            e.exc_type,
            e.text
        );
        let (dt, name) = failure
            .reference
            .as_ref()
            .map(|(d, n)| (d.as_str(), n.as_str()))
            .unzip();
        tx.log_error(
            &failure.title,
            &error,
            dt,
            name,
            failure.trace_id.as_deref(),
        )?;
        tx.commit()
    });
    if let Err(e) = logged {
        tracing::error!(error = %e.text, "could not write the Error Log of a failure");
    }
    Err(e)
}
