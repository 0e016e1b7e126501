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
use std::time::Duration;

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
    writer: Mutex<()>,
}

impl Db {
    pub fn open(path: &Path) -> Result<Db> {
        let db = Db {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            writer: Mutex::new(()),
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

    /// Begins a transaction: `write` takes the write lock at once.
    pub fn begin(&self, write: bool) -> Result<Tx<'_>> {
        let conn = self.conn()?;
        let guard = if write {
            Some(self.writer.lock().unwrap_or_else(|p| p.into_inner()))
        } else {
            None
        };
        conn.prepare_cached(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })?
            .execute([])?;
        Ok(Tx {
            conn,
            open: true,
            write,
            writer: guard,
            db: self,
        })
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
pub struct Tx<'a> {
    conn: Conn<'a>,
    open: bool,
    write: bool,
    /// Held while a write transaction is open (released at COMMIT/ROLLBACK).
    writer: Option<std::sync::MutexGuard<'a, ()>>,
    db: &'a Db,
}

impl Tx<'_> {
    pub fn commit(&mut self) -> Result<()> {
        if self.open {
            self.conn.prepare_cached("COMMIT")?.execute([])?;
            self.open = false;
            self.writer = None;
        }
        Ok(())
    }

    pub fn rollback(&mut self) -> Result<()> {
        if self.open {
            self.conn.prepare_cached("ROLLBACK")?.execute([])?;
            self.open = false;
            self.writer = None;
        }
        Ok(())
    }

    /// Commits (or rolls back) and starts the next transaction on the same connection:
    /// `frappe.db.commit()` inside a request.
    pub fn restart(&mut self, commit: bool) -> Result<()> {
        if commit {
            self.commit()?;
        } else {
            self.rollback()?;
        }
        if self.write {
            self.writer = Some(self.db.writer.lock().unwrap_or_else(|p| p.into_inner()));
        }
        self.conn
            .prepare_cached(if self.write {
                "BEGIN IMMEDIATE"
            } else {
                "BEGIN"
            })?
            .execute([])?;
        self.open = true;
        Ok(())
    }

    pub fn is_write(&self) -> bool {
        self.write
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
