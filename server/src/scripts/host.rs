//! The site as a running script sees it: the runtime's [`Host`] over the request's
//! transaction. Documents a script writes go through the same lifecycle as REST writes
//! (their hooks, scripts included, fire — nested runs, bounded by the hook depth).

use serde_json::Value;
use serverscript_compiler::host::{
    Host, HostError, HostResult, JsonMap, ListQuery, Mail, OutgoingRequest, StoredDoc, WriteFlags,
};

use crate::error::Error;
use crate::meta::PermType;
use crate::model::query::{self, Query};
use crate::model::{lifecycle, perm, store};
use crate::tx::SiteTx;

pub struct SiteHost<'a, 'b> {
    tx: &'a mut SiteTx<'b>,
    /// DocType Event scripts may not commit or roll back (Frappe removes both).
    doc_event: bool,
}

impl<'a, 'b> SiteHost<'a, 'b> {
    pub fn new(tx: &'a mut SiteTx<'b>, doc_event: bool) -> Self {
        SiteHost { tx, doc_event }
    }

    /// Frappe removes `frappe.db.commit`, `rollback` and `add_index` from DocType Event
    /// scripts: there they are an AttributeError.
    fn outside_doc_event(&self, name: &str) -> HostResult<()> {
        if self.doc_event {
            return Err(HostError::new(
                "AttributeError",
                format!("module has no attribute '{name}'"),
            ));
        }
        Ok(())
    }
}

fn host_err(e: Error) -> HostError {
    e.into()
}

fn doctype_of(doc: &JsonMap) -> HostResult<String> {
    doc.get("doctype")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| HostError::new("ValidationError", "Document has no doctype"))
}

impl Host for SiteHost<'_, '_> {
    fn deadline(&self) -> Option<(std::time::Instant, &'static str)> {
        self.tx.run_deadline()
    }

    fn get_doc(&mut self, doctype: &str, name: &str) -> HostResult<StoredDoc> {
        lifecycle::get_stored(self.tx, doctype, name).map_err(host_err)
    }

    fn new_doc(&mut self, doctype: &str) -> HostResult<JsonMap> {
        let meta = self.tx.meta(doctype).map_err(host_err)?;
        lifecycle::new_doc(self.tx, &meta, None).map_err(host_err)
    }

    fn insert(&mut self, mut doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        doctype_of(&doc)?;
        doc.remove("__islocal");
        lifecycle::insert(self.tx, doc, flags).map_err(host_err)
    }

    fn save(&mut self, doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        doctype_of(&doc)?;
        lifecycle::save(self.tx, doc, flags).map_err(host_err)
    }

    fn submit(&mut self, doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        lifecycle::submit(self.tx, doc, flags).map_err(host_err)
    }

    fn cancel(&mut self, doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        let doctype = doctype_of(&doc)?;
        let name = crate::model::doc_name(&doc).to_string();
        lifecycle::cancel(self.tx, &doctype, &name, flags).map_err(host_err)
    }

    fn delete_doc(&mut self, doctype: &str, name: &str, flags: &WriteFlags) -> HostResult<()> {
        lifecycle::delete(self.tx, doctype, name, flags, true).map_err(host_err)
    }

    fn rename_doc(
        &mut self,
        doctype: &str,
        old: &str,
        new: &str,
        merge: bool,
    ) -> HostResult<String> {
        lifecycle::rename(self.tx, doctype, old, new, merge, &WriteFlags::default())
            .map_err(host_err)
    }

    fn get_meta(&mut self, doctype: &str) -> HostResult<JsonMap> {
        let name = self.tx.meta(doctype).map_err(host_err)?.name.clone();
        lifecycle::get(self.tx, "DocType", &name, false).map_err(host_err)
    }

    fn get_list(&mut self, q: &ListQuery) -> HostResult<Vec<JsonMap>> {
        let query = Query::from(q);
        let rows = query::get_list(self.tx, &query).map_err(host_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match r {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .collect())
    }

    fn get_value_by_name(
        &mut self,
        doctype: &str,
        name: &str,
        fields: &[String],
    ) -> HostResult<Option<JsonMap>> {
        query::row_by_name(self.tx, doctype, name, fields).map_err(host_err)
    }

    fn count(&mut self, doctype: &str, filters: &Value) -> HostResult<u64> {
        query::count(self.tx, doctype, filters, true)
            .map(|n| n.max(0) as u64)
            .map_err(host_err)
    }

    fn set_value(
        &mut self,
        doctype: &str,
        name: &str,
        values: &JsonMap,
        flags: &WriteFlags,
    ) -> HostResult<()> {
        let meta = self.tx.meta(doctype).map_err(host_err)?;
        let mut cols: Vec<(String, Value)> = Vec::new();
        for (k, v) in values {
            if !meta.has_column(k) || k == "name" {
                return Err(HostError::new(
                    "ValidationError",
                    format!("{doctype} has no field {k}"),
                ));
            }
            cols.push((k.clone(), v.clone()));
        }
        self.tx.write_lock().map_err(host_err)?;
        if !flags.skip_modified {
            cols.push(("modified".into(), self.tx.now().into()));
            cols.push(("modified_by".into(), self.tx.user.clone().into()));
        }
        store::set_columns(self.tx, &meta, name, &cols).map_err(host_err)?;
        Ok(())
    }

    fn get_single_value(&mut self, doctype: &str, field: &str) -> HostResult<Value> {
        lifecycle::get_single_value(self.tx, doctype, field).map_err(host_err)
    }

    fn sql(&mut self, query: &str, params: &Value, as_dict: bool) -> HostResult<Vec<Value>> {
        super::sql::query(self.tx, query, params, as_dict).map_err(host_err)
    }

    fn commit(&mut self) -> HostResult<()> {
        self.outside_doc_event("commit")?;
        self.tx.db.restart(true).map_err(host_err)?;
        // what was enqueued so far is committed with it
        if !self.tx.jobs.is_empty() {
            let jobs = std::mem::take(&mut self.tx.jobs);
            self.tx.site.jobs.submit(jobs);
        }
        Ok(())
    }

    fn rollback(&mut self) -> HostResult<()> {
        self.outside_doc_event("rollback")?;
        // jobs enqueued since the last commit go with the rolled-back work
        self.tx.jobs.clear();
        self.tx.db.restart(false).map_err(host_err)
    }

    fn add_index(
        &mut self,
        doctype: &str,
        fields: &[String],
        index_name: Option<&str>,
    ) -> HostResult<()> {
        self.outside_doc_event("add_index")?;
        let meta = self.tx.meta(doctype).map_err(host_err)?;
        let columns = crate::db::schema::index_columns(&meta, fields).map_err(host_err)?;
        let name = match index_name {
            Some(n) => n.to_string(),
            None => crate::db::schema::default_index_name(fields),
        };
        // Frappe commits before the DDL (MariaDB would commit around it anyway)
        self.commit()?;
        self.tx.write_lock().map_err(host_err)?;
        crate::db::schema::add_index(&self.tx.db, &meta.name, &columns, &name).map_err(host_err)?;
        self.tx.db.restart(true).map_err(host_err)
    }

    fn get_roles(&mut self, user: &str) -> HostResult<Vec<String>> {
        perm::roles_of(self.tx, user).map_err(host_err)
    }

    fn has_permission(
        &mut self,
        doctype: &str,
        ptype: &str,
        name: Option<&str>,
        user: &str,
    ) -> HostResult<bool> {
        if user != self.tx.user {
            return Err(HostError::new(
                "NotImplementedError",
                "has_permission for another user",
            ));
        }
        let meta = self.tx.meta(doctype).map_err(host_err)?;
        let ptype = PermType::parse(ptype).unwrap_or(PermType::Read);
        let doc = match name {
            Some(n) => store::load(self.tx, &meta, n).map_err(host_err)?,
            None => None,
        };
        perm::has_permission(self.tx, &meta, ptype, doc.as_ref()).map_err(host_err)
    }

    fn get_fullname(&mut self, user: &str) -> HostResult<String> {
        let name: Option<String> = self
            .tx
            .db
            .query_row(
                "SELECT full_name FROM \"tabUser\" WHERE name = ?1",
                [user],
                |r| r.get(0),
            )
            .ok()
            .flatten();
        Ok(name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| user.to_string()))
    }

    fn log_error(
        &mut self,
        title: &str,
        message: &str,
        reference_doctype: Option<&str>,
        reference_name: Option<&str>,
    ) -> HostResult<JsonMap> {
        self.tx
            .log_error(title, message, reference_doctype, reference_name, None)
            .map_err(host_err)
    }

    fn http_request(&mut self, request: &OutgoingRequest) -> HostResult<Value> {
        super::outbound::send(self.tx, request).map_err(host_err)
    }

    fn sendmail(&mut self, mail: &Mail) -> HostResult<()> {
        super::mail::queue(self.tx, mail)
            .map(drop)
            .map_err(host_err)
    }

    fn run_script(&mut self, name: &str, kwargs: &JsonMap) -> HostResult<Value> {
        let engine = self.tx.site.scripts.clone();
        engine.run_named(self.tx, name, kwargs).map_err(host_err)
    }

    fn call(&mut self, method: &str, kwargs: &JsonMap) -> HostResult<Value> {
        super::call_method(self.tx, method, kwargs).map_err(host_err)
    }

    fn enqueue(&mut self, method: &str, kwargs: &JsonMap, now: bool) -> HostResult<Value> {
        if now {
            return super::call_method(self.tx, method, kwargs).map_err(host_err);
        }
        if !self.tx.site.jobs.running() {
            return Err(HostError::new(
                "RuntimeError",
                "frappe.enqueue needs the server's job worker (use now=True to run inline)",
            ));
        }
        if self.tx.jobs.len() >= crate::jobs::MAX_JOBS_PER_UNIT {
            return Err(HostError::new(
                "ValidationError",
                format!(
                    "frappe.enqueue: one request may enqueue at most {} jobs",
                    crate::jobs::MAX_JOBS_PER_UNIT
                ),
            ));
        }
        if self.tx.site.jobs.pending() + self.tx.jobs.len() >= crate::jobs::MAX_PENDING_JOBS {
            return Err(HostError::new(
                "ValidationError",
                format!(
                    "frappe.enqueue: {} jobs are already waiting for the worker; try again later",
                    crate::jobs::MAX_PENDING_JOBS
                ),
            ));
        }
        let id = crate::model::naming::random_hash();
        self.tx.jobs.push(crate::jobs::Job {
            id: id.clone(),
            method: method.to_string(),
            kwargs: kwargs.clone(),
            user: self.tx.user.clone(),
        });
        Ok(Value::String(id))
    }
}
