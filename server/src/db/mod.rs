//! SQLite: a small pool of connections to one database file in WAL mode, and
//! transactions that roll back unless committed.
//!
//! Writers are serialised by SQLite itself; a write transaction starts with
//! `BEGIN IMMEDIATE` so it takes the write lock up front (waiting `busy_timeout` for it)
//! instead of failing half-way when a read lock cannot be upgraded. Reads run
//! concurrently on their own connections and see the last committed state.

pub mod schema;

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::error::Result;

/// How long a writer waits for the write lock before failing with QueryDeadlockError.
const BUSY_TIMEOUT_MS: u64 = 15_000;
/// How often the background thread moves the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);
/// Connections kept for reuse; more may be open at once, the rest are closed.
const POOL_KEEP: usize = 64;

pub struct Db {
    path: PathBuf,
    /// Tells the checkpointer thread to stop when the database is dropped.
    stop: Arc<AtomicBool>,
    idle: Mutex<Vec<Connection>>,
    /// Writers queue here, in-process, before `BEGIN IMMEDIATE`: SQLite's own busy
    /// handler waits in growing sleeps (up to 100 ms), which wastes throughput and makes
    /// long tails under concurrent writes; a mutex hands the lock over at once.
    writer: parking_lot::Mutex<()>,
}

impl Db {
    pub fn open(path: &Path) -> Result<Db> {
        let db = Db {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            writer: parking_lot::Mutex::new(()),
            stop: Arc::new(AtomicBool::new(false)),
        };
        // open one now so a bad path fails at startup, and switch the file to WAL
        let conn = db.connect()?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        db.idle.lock().unwrap().push(conn);
        db.start_checkpointer()?;
        Ok(db)
    }

    /// Checkpoints run on a thread of their own (PASSIVE: they never block readers or
    /// writers), not inside whichever commit crosses the WAL size limit — that commit
    /// would otherwise pay for the copy and the fsync.
    fn start_checkpointer(&self) -> Result<()> {
        let conn = self.connect()?;
        let stop = self.stop.clone();
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(CHECKPOINT_EVERY);
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                    }
                }
            })?;
        Ok(())
    }

    fn connect(&self) -> Result<Connection> {
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
        // WAL + NORMAL: durable against process crashes, one fsync per checkpoint.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        // checkpoints are the background thread's job (see start_checkpointer)
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        // read pages through a shared mapping instead of a pread each: after another
        // connection writes, this connection's page cache is stale and pages are re-read
        conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(conn)
    }

    /// A connection from the pool (returned to it when dropped).
    pub fn conn(&self) -> Result<Conn<'_>> {
        let pooled = self.idle.lock().unwrap().pop();
        let conn = match pooled {
            Some(c) => c,
            None => self.connect()?,
        };
        Ok(Conn {
            db: self,
            conn: Some(conn),
        })
    }

    /// Begins a transaction: `write` takes the write lock at once; otherwise it reads
    /// until [`Tx::write_lock`] is called.
    pub fn begin(&self, write: bool) -> Result<Tx<'_>> {
        let mut tx = Tx {
            conn: self.conn()?,
            open: false,
            writer: None,
            db: self,
        };
        if write {
            tx.begin_write(None)?;
        } else {
            tx.begin_read()?;
        }
        Ok(tx)
    }
}

pub struct Conn<'a> {
    db: &'a Db,
    conn: Option<Connection>,
}

impl Deref for Conn<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take()
            && c.is_autocommit()
        {
            let mut idle = self.db.idle.lock().unwrap();
            if idle.len() < POOL_KEEP {
                idle.push(c);
            }
        }
        // a connection left inside a transaction is closed, never reused
    }
}

/// A transaction; rolled back when dropped uncommitted.
///
/// It starts either holding the site's write lock (`BEGIN IMMEDIATE`) or reading
/// (`BEGIN`). A reading transaction takes the
/// lock only when [`write_lock`](Tx::write_lock) is called, so a request whose script
/// computes for seconds without writing never keeps other writers waiting. Taking the
/// lock ends the read snapshot and starts a new one: what was read before is as fresh
/// as a read in its own transaction (Frappe on MariaDB gives no more: its plain reads
/// see a snapshot that its writes do not). Every operation that writes takes the lock
/// first (`SiteTx::write_lock`).
///
/// Why not `PRAGMA query_only` between transactions, as a net for a write made without
/// the lock: it is a flag pragma, so each switch expires every prepared statement of the
/// connection (every request re-parsed its SQL), and the checkpointer's connection,
/// handed out read-only, could no longer checkpoint — the WAL grew to a gigabyte in
/// seconds of inserts and REST inserts lost ~27 % (benches/RESULTS.md, 2026-12-06).
pub struct Tx<'a> {
    conn: Conn<'a>,
    open: bool,
    /// Held while the transaction may write: (the lock, when it was taken).
    writer: Option<(parking_lot::MutexGuard<'a, ()>, Instant)>,
    db: &'a Db,
}

impl Tx<'_> {
    fn begin_read(&mut self) -> Result<()> {
        self.conn.prepare_cached("BEGIN")?.execute([])?;
        self.open = true;
        Ok(())
    }

    /// Waits for the write lock (until `until`, else [`BUSY_TIMEOUT_MS`]) and begins a
    /// write transaction.
    fn begin_write(&mut self, until: Option<Instant>) -> Result<()> {
        let wait = until
            .map(|t| t.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_millis(BUSY_TIMEOUT_MS))
            .min(Duration::from_millis(BUSY_TIMEOUT_MS));
        let Some(guard) = self.db.writer.try_lock_for(wait) else {
            return Err(crate::error::Error::raise(
                "QueryDeadlockError",
                format!(
                    "Waited {:.1} s for the site's write lock; another request holds it.",
                    wait.as_secs_f64()
                ),
            ));
        };
        self.conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        self.writer = Some((guard, Instant::now()));
        self.open = true;
        Ok(())
    }

    /// Makes this a write transaction (no-op when it is one): a reading transaction ends
    /// — it wrote nothing — and a write transaction begins once the lock is free, waited
    /// for until `until` at most.
    pub fn write_lock(&mut self, until: Option<Instant>) -> Result<()> {
        if self.writer.is_some() {
            return Ok(());
        }
        if self.open {
            self.conn.prepare_cached("ROLLBACK")?.execute([])?;
            self.open = false;
        }
        self.begin_write(until)
    }

    /// When this transaction took the write lock (`None`: it only reads).
    pub fn writing_since(&self) -> Option<Instant> {
        self.writer.as_ref().map(|(_, since)| *since)
    }

    fn end(&mut self, sql: &str) -> Result<()> {
        if self.open {
            self.conn.prepare_cached(sql)?.execute([])?;
            self.open = false;
            self.writer = None;
        }
        Ok(())
    }

    pub fn commit(&mut self) -> Result<()> {
        self.end("COMMIT")
    }

    pub fn rollback(&mut self) -> Result<()> {
        self.end("ROLLBACK")
    }

    /// Commits (or rolls back) and goes on reading on the same connection:
    /// `frappe.db.commit()` inside a request. The write lock is released; the next write
    /// takes it again (a long job that commits in batches lets other writers in).
    pub fn restart(&mut self, commit: bool) -> Result<()> {
        if commit {
            self.commit()?;
        } else {
            self.rollback()?;
        }
        self.begin_read()
    }

    pub fn is_write(&self) -> bool {
        self.writer.is_some()
    }
}

impl Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        self.conn
            .conn
            .as_mut()
            .expect("connection present until drop")
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// Quotes an identifier for SQL (`"tabToDo"`). Names come from metadata, which only
/// admits safe names; quoting is the second line of defence.
pub fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The table of a DocType: `tab<DocType>`.
pub fn table(doctype: &str) -> String {
    quote(&format!("tab{doctype}"))
}
