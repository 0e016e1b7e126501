//! The write queue: every POST/PUT/DELETE/PATCH request's work runs, in arrival order, on
//! one dedicated thread. SQLite admits one writer at a time anyway; queueing the writes
//! for one thread (instead of parking a blocking-pool thread per request on the write
//! lock) keeps the writer busy without a context switch per hand-over.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;

type Job = Box<dyn FnOnce() + Send>;

pub struct WriteQueue {
    jobs: mpsc::Sender<Job>,
}

impl WriteQueue {
    /// Starts the writer thread (with the deep stack script runs want).
    pub fn start() -> std::io::Result<WriteQueue> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("site-writer".into())
            .stack_size(32 << 20)
            .spawn(move || {
                for job in queue {
                    // a panicking request must not take the writer down with it; its
                    // caller sees the dropped reply channel and answers 500
                    if std::panic::catch_unwind(AssertUnwindSafe(job)).is_err() {
                        tracing::error!("a write request panicked");
                    }
                }
            })?;
        Ok(WriteQueue { jobs })
    }

    /// Runs `work` on the writer thread; `None` if it panicked.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = reply.send(work());
            }))
            .ok()?;
        answer.await.ok()
    }
}
