//! [`SiteTx`]: one unit of work — a database transaction, the user it acts for, the
//! messages it collects for the response. Every document operation takes one; a request
//! makes one, and (later) a script's `frappe.*` calls run on the request's.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::db::Tx;
use crate::error::{Error, Msg, Result};
use crate::meta::{Meta, builtin};
use crate::model::store;
use crate::site::Site;

pub struct SiteTx<'a> {
    pub site: &'a Site,
    pub db: Tx<'a>,
    pub user: String,
    /// The session this unit of work came with, once the request is authenticated by
    /// one (a password change keeps it and ends the user's others).
    pub sid: std::cell::OnceCell<String>,
    roles: Option<Vec<String>>,
    /// `frappe.msgprint` messages for the response's `_server_messages`.
    pub messages: Vec<Msg>,
    /// A DocType changed in this transaction: metas are read from the database (which
    /// shows our uncommitted change) and the shared cache is cleared when we finish.
    meta_dirty: bool,
    /// A Server Script changed in this transaction: the script registry is rebuilt from
    /// the database when it ends (either way).
    scripts_dirty: bool,
    /// Nesting of hooks that write other documents (bounded against loops).
    pub hook_depth: usize,
    /// The HTTP request this transaction serves (`frappe.request` in scripts).
    pub request: Option<std::sync::Arc<crate::http::request::RequestSource>>,
    /// Jobs enqueued in this transaction: handed to the worker when it commits.
    pub jobs: Vec<crate::jobs::Job>,
    /// The one deadline every script run of this unit of work shares (set by the first
    /// run: nested runs, hooks of documents it saves and later runs get what is left).
    pub script_deadline: Option<Instant>,
    /// Script runs in progress, nested inside one another (bounded: RecursionError).
    pub script_nesting: u32,
}

/// Script runs that may be nested inside one another in one unit of work — `frappe.call`,
/// `run_script`, hooks of documents a script saves, Permission Query scripts of lists a
/// script reads — before the next one raises RecursionError.
pub const MAX_SCRIPT_NESTING: u32 = 8;

/// How long one unit of work may hold the site's write lock while its scripts run, when
/// the site config has no `write_lock_limit` (seconds). SQLite has one writer: a script
/// that writes and then computes keeps every other writer waiting meanwhile.
pub const WRITE_LOCK_LIMIT: Duration = Duration::from_secs(2);

impl<'a> SiteTx<'a> {
    pub fn new(site: &'a Site, user: &str, write: bool) -> Result<SiteTx<'a>> {
        Ok(SiteTx {
            site,
            db: site.db.begin(write)?,
            user: user.to_string(),
            sid: std::cell::OnceCell::new(),
            roles: None,
            messages: Vec::new(),
            meta_dirty: false,
            scripts_dirty: false,
            hook_depth: 0,
            request: None,
            jobs: Vec::new(),
            script_deadline: None,
            script_nesting: 0,
        })
    }

    /// Takes the site's write lock if this transaction does not hold it yet (a request
    /// that only reads never does). Every operation that writes calls it first.
    pub fn write_lock(&mut self) -> Result<()> {
        let until = self.script_deadline;
        self.db.write_lock(until)
    }

    /// The deadline a script run now gets: the unit of work's, or earlier if it holds the
    /// write lock and would keep it longer than `write_lock_limit` — with the reason.
    pub fn run_deadline(&self) -> Option<(Instant, &'static str)> {
        let lock = self.db.writing_since().map(|since| {
            let limit = self.site.seconds("write_lock_limit", WRITE_LOCK_LIMIT);
            (
                since + limit,
                "held the site's write lock longer than `write_lock_limit`",
            )
        });
        match (self.script_deadline, lock) {
            (Some(d), Some((l, why))) if l < d => Some((l, why)),
            (Some(d), _) => Some((d, "")),
            (None, lock) => lock,
        }
    }

    /// Now in the site's time zone, as documents are stamped (`creation`, `modified`) —
    /// the same clock scripts read with `frappe.utils.now()`.
    pub fn now(&self) -> String {
        crate::model::stamp(self.site.settings().now())
    }

    /// Today in the site's time zone (`YYYY-MM-DD`).
    pub fn today(&self) -> String {
        self.now()[..10].to_string()
    }

    pub fn commit(&mut self) -> Result<()> {
        self.db.commit()?;
        self.finish_meta();
        if !self.jobs.is_empty() {
            self.site.jobs.submit(std::mem::take(&mut self.jobs));
        }
        Ok(())
    }

    pub fn rollback(&mut self) -> Result<()> {
        self.jobs.clear();
        self.db.rollback()?;
        self.finish_meta();
        Ok(())
    }

    fn finish_meta(&mut self) {
        if self.meta_dirty {
            self.site.meta.invalidate();
            self.meta_dirty = false;
        }
        if self.scripts_dirty {
            self.site.scripts.invalidate();
            self.scripts_dirty = false;
        }
    }

    /// Marks that a Server Script changed in this transaction.
    pub fn mark_scripts_changed(&mut self) {
        self.scripts_dirty = true;
    }

    pub fn scripts_changed(&self) -> bool {
        self.scripts_dirty
    }

    /// Marks that a DocType changed in this transaction.
    pub fn meta_changed(&mut self) {
        self.meta_dirty = true;
        self.site.meta.invalidate();
    }

    /// The meta of a DocType (`DoesNotExistError` when there is none).
    pub fn meta(&mut self, doctype: &str) -> Result<Arc<Meta>> {
        if let Some(m) = builtin::core_meta(doctype) {
            return Ok(m);
        }
        if !self.meta_dirty
            && let Some(m) = self.site.meta.get(doctype)
        {
            return Ok(m);
        }
        let generation = self.site.meta.generation();
        let doctype_meta = builtin::core_meta("DocType").expect("core");
        let doc = store::load(self, &doctype_meta, doctype)?.ok_or_else(|| {
            Error::throw("DoesNotExistError", format!("DocType {doctype} not found"))
        })?;
        let meta = Arc::new(Meta::from_doc(&doc)?);
        if !self.meta_dirty {
            self.site.meta.put(meta.clone(), generation);
        }
        Ok(meta)
    }

    /// The child tables of a DocType: (its Table fieldname, the child DocType's meta).
    pub fn child_tables(&mut self, meta: &Meta) -> Result<Vec<(String, Arc<Meta>)>> {
        meta.table_fields()
            .map(|f| (f.fieldname.clone(), f.options.clone()))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(field, child)| Ok((field, self.meta(&child)?)))
            .collect()
    }

    /// The user's roles: those assigned, plus `All` for every signed-in user and `Guest`
    /// for everyone.
    pub fn roles(&mut self) -> Result<&[String]> {
        if self.roles.is_none() {
            let roles = crate::model::perm::roles_of(self, &self.user.clone())?;
            self.roles = Some(roles);
        }
        Ok(self.roles.as_deref().unwrap_or(&[]))
    }

    pub fn is_administrator(&self) -> bool {
        self.user == "Administrator"
    }

    pub fn is_guest(&self) -> bool {
        self.user == "Guest"
    }

    /// `frappe.msgprint`.
    pub fn msgprint(&mut self, msg: Msg) {
        self.messages.push(msg);
    }

    /// Stores a document as given, without the lifecycle (site installation, fixtures).
    /// Writes an Error Log document (`frappe.log_error`, failed jobs, scheduled scripts
    /// and outgoing requests) and returns it.
    pub fn log_error(
        &mut self,
        title: &str,
        error: &str,
        reference_doctype: Option<&str>,
        reference_name: Option<&str>,
        trace_id: Option<&str>,
    ) -> Result<Map<String, Value>> {
        let mut doc = Map::new();
        doc.insert("doctype".into(), "Error Log".into());
        doc.insert("name".into(), crate::model::naming::random_hash().into());
        doc.insert("method".into(), title.into());
        doc.insert("error".into(), error.into());
        doc.insert(
            "reference_doctype".into(),
            reference_doctype.map_or(Value::Null, Value::from),
        );
        doc.insert(
            "reference_name".into(),
            reference_name.map_or(Value::Null, Value::from),
        );
        if let Some(id) = trace_id {
            doc.insert("trace_id".into(), id.into());
        }
        self.insert_raw(&mut doc)?;
        Ok(doc)
    }

    pub fn insert_raw(&mut self, doc: &mut Map<String, Value>) -> Result<()> {
        self.write_lock()?;
        let doctype = doc
            .get("doctype")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let meta = self.meta(&doctype)?;
        let now = self.now();
        store::stamp_new(doc, &self.user.clone(), &now);
        crate::model::values::apply_defaults(self, &meta, doc)?;
        crate::model::values::coerce(self, &meta, doc)?;
        store::insert(self, &meta, doc)
    }
}
