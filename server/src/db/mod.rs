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
use std::sync::Mutex;

use rusqlite::Connection;

use crate::error::Result;

/// How long a writer waits for the write lock before failing with QueryDeadlockError.
const BUSY_TIMEOUT_MS: u64 = 15_000;
/// Connections kept for reuse; more may be open at once, the rest are closed.
const POOL_KEEP: usize = 16;

pub struct Db {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Db {
    pub fn open(path: &Path) -> Result<Db> {
        let db = Db {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        };
        // open one now so a bad path fails at startup, and switch the file to WAL
        let conn = db.connect()?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        db.idle.lock().unwrap().push(conn);
        Ok(db)
    }

    fn connect(&self) -> Result<Connection> {
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
        // WAL + NORMAL: durable against process crashes, one fsync per checkpoint.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
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
        conn.execute_batch(if write { "BEGIN IMMEDIATE" } else { "BEGIN" })?;
        Ok(Tx {
            conn,
            open: true,
            write,
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
}

impl Tx<'_> {
    pub fn commit(&mut self) -> Result<()> {
        if self.open {
            self.conn.execute_batch("COMMIT")?;
            self.open = false;
        }
        Ok(())
    }

    pub fn rollback(&mut self) -> Result<()> {
        if self.open {
            self.conn.execute_batch("ROLLBACK")?;
            self.open = false;
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
        self.conn.execute_batch(if self.write {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        })?;
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
