//! The site a script runs in, as the runtime sees it: documents, queries, the session,
//! mail, logs, other scripts. The server implements [`Host`] over the request's
//! transaction; `serverscript run` runs without one, and every name that needs a site
//! raises a clear error there.
//!
//! Values cross this boundary as JSON (`serde_json`), in the shapes Frappe's own REST
//! API uses, so the server answers a script's `frappe.get_list(...)` with the same code
//! that answers `GET /api/resource/...`:
//! - a document is an object of its fields, child tables as arrays of objects, the
//!   standard fields (`name`, `doctype`, `docstatus`, `modified`…) included; a document
//!   that is not in the database yet carries `"__islocal": 1`. A stored document read
//!   by `get_doc` comes as a [`StoredDoc`]: the same object, but child tables may be
//!   [`Table`]s (rows of values sharing one [`Columns`] list, a value every row has kept
//!   once), which spares a key string per field per row;
//! - filters are any shape Frappe accepts (`{"status": "Open"}`,
//!   `{"qty": [">", 3]}`, `[["status", "=", "Open"]]`, `[["ToDo", "status", "=", "Open"]]`)
//!   and are interpreted by the host;
//! - errors name a Frappe exception class (`DoesNotExistError`, `PermissionError`…) or a
//!   builtin one (`ValueError`), which the script can catch.
//!
//! Every method has a default body that reports the operation as unavailable, so a host
//! implements what it supports and the rest fails cleanly.

pub type Json = serde_json::Value;
pub type JsonMap = serde_json::Map<String, Json>;

/// Columns every document table has, in Frappe's order (§6.1): `default_fields` less
/// `doctype`, which is no column.
pub const STANDARD_FIELDS: &[&str] = &[
    "name",
    "owner",
    "creation",
    "modified",
    "modified_by",
    "docstatus",
    "idx",
];

/// Columns child tables add (Frappe's `child_table_fields`).
pub const CHILD_FIELDS: &[&str] = &["parent", "parentfield", "parenttype"];

/// The column names the rows of one child table share, with an index by name: a
/// document's rows carry values only, not one copy of every key per row.
#[derive(Debug, PartialEq)]
pub struct Columns {
    names: Box<[Box<str>]>,
    index: std::collections::HashMap<Box<str>, usize, foldhash::fast::FixedState>,
}

impl Columns {
    pub fn new<S: Into<Box<str>>>(names: impl IntoIterator<Item = S>) -> std::sync::Arc<Columns> {
        let names: Box<[Box<str>]> = names.into_iter().map(Into::into).collect();
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        std::sync::Arc::new(Columns { names, index })
    }

    /// Where a column is, `None` when the rows have no such column.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    pub fn names(&self) -> &[Box<str>] {
        &self.names
    }
}

/// A child table as the site read it: rows of values in [`Columns`] order.
///
/// A column whose value is the same in every row (a child table's `parent`,
/// `parenttype`, `parentfield` and `doctype` always are; `owner`, `creation`,
/// `modified`… usually) is kept once, in [`RowShape::common`], and the rows hold
/// `null` in its place: reading 50 rows then copies each such text once, not 50 times.
#[derive(Debug, PartialEq)]
pub struct Table {
    pub shape: std::sync::Arc<RowShape>,
    pub rows: Vec<Box<[Json]>>,
}

/// What the rows of one [`Table`] share: the column names, and per column the value
/// every row has where the table keeps it once (`None`: each row holds its own).
#[derive(Debug, PartialEq)]
pub struct RowShape {
    pub columns: std::sync::Arc<Columns>,
    pub common: Box<[Option<Json>]>,
}

impl RowShape {
    /// Rows that keep every value themselves.
    pub fn plain(columns: std::sync::Arc<Columns>) -> std::sync::Arc<RowShape> {
        let common = vec![None; columns.names.len()].into_boxed_slice();
        std::sync::Arc::new(RowShape { columns, common })
    }

    /// A row's value in column `i`: the common one, else the row's own.
    pub fn cell<'a>(&'a self, row: &'a [Json], i: usize) -> &'a Json {
        match &self.common[i] {
            Some(v) => v,
            None => &row[i],
        }
    }

    /// One row as a document object.
    pub fn row_json(&self, row: &[Json]) -> JsonMap {
        let mut m = JsonMap::with_capacity(self.columns.names.len());
        for (i, k) in self.columns.names.iter().enumerate() {
            m.insert(k.to_string(), self.cell(row, i).clone());
        }
        m
    }
}

impl Table {
    /// A table of `rows`, each value a row's own.
    pub fn new(columns: std::sync::Arc<Columns>, rows: Vec<Box<[Json]>>) -> Table {
        Table {
            shape: RowShape::plain(columns),
            rows,
        }
    }

    /// A table of `rows` whose columns with one value in every row (of two rows or
    /// more) are kept once. The site's reader builds the same shape without copying the
    /// repeated values in the first place; this is for rows already in memory.
    pub fn sharing_common(columns: std::sync::Arc<Columns>, mut rows: Vec<Box<[Json]>>) -> Table {
        let width = columns.names.len();
        let mut common = vec![None; width];
        if rows.len() > 1 {
            for (i, slot) in common.iter_mut().enumerate() {
                if rows.iter().all(|r| r[i] == rows[0][i]) {
                    *slot = Some(std::mem::take(&mut rows[0][i]));
                    for r in &mut rows {
                        r[i] = Json::Null;
                    }
                }
            }
        }
        Table {
            shape: std::sync::Arc::new(RowShape {
                columns,
                common: common.into_boxed_slice(),
            }),
            rows,
        }
    }

    /// The rows as an array of document objects.
    pub fn to_json(&self) -> Json {
        Json::Array(
            self.rows
                .iter()
                .map(|r| Json::Object(self.shape.row_json(r)))
                .collect(),
        )
    }
}

/// A stored document as [`Host::get_doc`] returns it. `fields` holds every field in
/// document order; a child table listed in `tables` sits there as `null` and its rows
/// come from the table (a child table may also be an array of objects in `fields`).
#[derive(Debug, PartialEq, Default)]
pub struct StoredDoc {
    pub fields: JsonMap,
    pub tables: Vec<(String, Table)>,
}

impl From<JsonMap> for StoredDoc {
    fn from(fields: JsonMap) -> StoredDoc {
        StoredDoc {
            fields,
            tables: Vec::new(),
        }
    }
}

impl StoredDoc {
    /// The document as one JSON object, child tables as arrays of objects.
    pub fn into_json(mut self) -> JsonMap {
        for (field, table) in self.tables.drain(..) {
            self.fields.insert(field, table.to_json());
        }
        self.fields
    }
}

/// An error the host reports; becomes a Python exception in the script.
#[derive(Debug, Clone, PartialEq)]
pub struct HostError {
    /// A class name: Frappe's (`DoesNotExistError`) or a builtin (`ValueError`).
    pub exc_type: String,
    pub message: String,
    /// Shown as the message title when the error reaches the client.
    pub title: Option<String>,
}

impl HostError {
    pub fn new(exc_type: impl Into<String>, message: impl Into<String>) -> HostError {
        HostError {
            exc_type: exc_type.into(),
            message: message.into(),
            title: None,
        }
    }

    /// The default for operations a host does not provide.
    pub fn unavailable(what: &str) -> HostError {
        HostError::new(
            "NotImplementedError",
            format!("{what} is not available in this site"),
        )
    }
}

pub type HostResult<T> = Result<T, HostError>;

/// Options of document writes (`doc.insert(ignore_permissions=True)`, `doc.flags.x`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WriteFlags {
    pub ignore_permissions: bool,
    pub ignore_mandatory: bool,
    pub ignore_links: bool,
    pub ignore_validate: bool,
    /// `frappe.db.set_value(..., update_modified=False)`.
    pub skip_modified: bool,
}

/// A list query (`frappe.get_list`, `frappe.get_all`, `frappe.db.get_value`…).
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub doctype: String,
    /// Field names or SQL-like expressions (`"count(name) as n"`); empty = `["name"]`.
    pub fields: Vec<String>,
    pub filters: Json,
    pub or_filters: Json,
    /// `None` keeps the doctype's default order (`modified desc`).
    pub order_by: Option<String>,
    pub group_by: Option<String>,
    pub start: usize,
    /// `None` = no limit.
    pub limit: Option<usize>,
    pub distinct: bool,
    /// `frappe.get_all` and `frappe.db.*` read regardless of the user's permissions;
    /// `frappe.get_list` applies them.
    pub ignore_permissions: bool,
}

impl ListQuery {
    pub fn new(doctype: impl Into<String>) -> ListQuery {
        ListQuery {
            doctype: doctype.into(),
            fields: Vec::new(),
            filters: Json::Null,
            or_filters: Json::Null,
            order_by: None,
            group_by: None,
            start: 0,
            limit: None,
            distinct: false,
            ignore_permissions: true,
        }
    }
}

/// An outgoing mail (`frappe.sendmail`): the arguments as given, normalised to lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mail {
    pub recipients: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub sender: Option<String>,
    pub subject: String,
    pub message: String,
    pub reference_doctype: Option<String>,
    pub reference_name: Option<String>,
    pub delayed: bool,
    /// Everything else that was passed (template, args, attachments…).
    pub extra: JsonMap,
}

/// An outgoing HTTP request (`frappe.make_get_request` and friends).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutgoingRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// Query parameters added to the URL.
    pub params: Vec<(String, String)>,
    /// `(content type, body)`: `data=` (a form or text) or `json=`.
    pub body: Option<(String, String)>,
    /// `auth=(user, password)`: HTTP Basic.
    pub auth: Option<(String, String)>,
}

/// What the site offers a running script. See the module documentation for the shapes.
#[allow(unused_variables)]
pub trait Host {
    // ------------------------------------------------------------------ limits

    /// The deadline the site now imposes on the run, with the reason when it is not the
    /// run's own time limit (e.g. a transaction that took the site's write lock may keep
    /// it only so long). Read after every host call; it can only bring the run's
    /// deadline forward.
    fn deadline(&self) -> Option<(std::time::Instant, &'static str)> {
        None
    }

    // ------------------------------------------------------------------ documents

    /// `frappe.get_doc(doctype, name)`: the stored document (`DoesNotExistError`).
    fn get_doc(&mut self, doctype: &str, name: &str) -> HostResult<StoredDoc> {
        Err(HostError::unavailable("frappe.get_doc"))
    }

    /// `frappe.new_doc(doctype)`: an unsaved document with the doctype's defaults.
    fn new_doc(&mut self, doctype: &str) -> HostResult<JsonMap> {
        Err(HostError::unavailable("frappe.new_doc"))
    }

    /// `doc.insert()`: runs the insert lifecycle (hooks included) and returns the
    /// stored document (name, timestamps, defaults filled in).
    fn insert(&mut self, doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        Err(HostError::unavailable("doc.insert"))
    }

    /// `doc.save()`: insert when new, else update (`TimestampMismatchError` when stale).
    fn save(&mut self, doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        Err(HostError::unavailable("doc.save"))
    }

    fn submit(&mut self, doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        Err(HostError::unavailable("doc.submit"))
    }

    fn cancel(&mut self, doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        Err(HostError::unavailable("doc.cancel"))
    }

    /// `frappe.delete_doc(doctype, name)` / `doc.delete()`.
    fn delete_doc(&mut self, doctype: &str, name: &str, flags: &WriteFlags) -> HostResult<()> {
        Err(HostError::unavailable("frappe.delete_doc"))
    }

    /// `frappe.rename_doc(doctype, old, new, merge=False)`: the new name.
    fn rename_doc(
        &mut self,
        doctype: &str,
        old: &str,
        new: &str,
        merge: bool,
    ) -> HostResult<String> {
        Err(HostError::unavailable("frappe.rename_doc"))
    }

    /// `frappe.get_meta(doctype)`: the DocType document (fields as child rows).
    fn get_meta(&mut self, doctype: &str) -> HostResult<JsonMap> {
        Err(HostError::unavailable("frappe.get_meta"))
    }

    // ------------------------------------------------------------------ queries

    /// Rows as objects of the requested fields.
    fn get_list(&mut self, query: &ListQuery) -> HostResult<Vec<JsonMap>> {
        Err(HostError::unavailable("frappe.get_list"))
    }

    /// The named row's `fields` (plain field names, permissions ignored): the shape of
    /// most `frappe.db.get_value` calls. `None` when there is no such row. A host with a
    /// cheaper path than a general list query overrides this; the answer must be the
    /// one `get_list` gives for `{"name": name}` with a limit of one.
    fn get_value_by_name(
        &mut self,
        doctype: &str,
        name: &str,
        fields: &[String],
    ) -> HostResult<Option<JsonMap>> {
        let mut q = ListQuery::new(doctype);
        q.fields = fields.to_vec();
        q.filters = Json::Object(JsonMap::from_iter([(
            "name".to_string(),
            Json::String(name.to_string()),
        )]));
        q.limit = Some(1);
        Ok(self.get_list(&q)?.into_iter().next())
    }

    fn count(&mut self, doctype: &str, filters: &Json) -> HostResult<u64> {
        Err(HostError::unavailable("frappe.db.count"))
    }

    /// `frappe.db.set_value`: writes fields of one document without its hooks.
    fn set_value(
        &mut self,
        doctype: &str,
        name: &str,
        values: &JsonMap,
        flags: &WriteFlags,
    ) -> HostResult<()> {
        Err(HostError::unavailable("frappe.db.set_value"))
    }

    /// A field of a Single doctype (`frappe.db.get_single_value`).
    fn get_single_value(&mut self, doctype: &str, field: &str) -> HostResult<Json> {
        Err(HostError::unavailable("frappe.db.get_single_value"))
    }

    /// `frappe.db.sql`: exactly one read-only statement; rows as arrays, or as objects
    /// with `as_dict`. Refuses writes with `PermissionError`.
    fn sql(&mut self, query: &str, params: &Json, as_dict: bool) -> HostResult<Vec<Json>> {
        Err(HostError::unavailable("frappe.db.sql"))
    }

    fn commit(&mut self) -> HostResult<()> {
        Err(HostError::unavailable("frappe.db.commit"))
    }

    fn rollback(&mut self) -> HostResult<()> {
        Err(HostError::unavailable("frappe.db.rollback"))
    }

    /// `frappe.db.add_index`: commits, then indexes `fields` (column names, possibly with
    /// a MariaDB length like `name(10)`) of the DocType's table under `index_name`
    /// (default: the fields joined by `_`, then `_index`) unless that index exists.
    fn add_index(
        &mut self,
        doctype: &str,
        fields: &[String],
        index_name: Option<&str>,
    ) -> HostResult<()> {
        Err(HostError::unavailable("frappe.db.add_index"))
    }

    // ------------------------------------------------------------------ session, users

    fn get_roles(&mut self, user: &str) -> HostResult<Vec<String>> {
        Err(HostError::unavailable("frappe.get_roles"))
    }

    fn has_permission(
        &mut self,
        doctype: &str,
        ptype: &str,
        name: Option<&str>,
        user: &str,
    ) -> HostResult<bool> {
        Err(HostError::unavailable("frappe.has_permission"))
    }

    fn get_fullname(&mut self, user: &str) -> HostResult<String> {
        Err(HostError::unavailable("frappe.get_fullname"))
    }

    // ------------------------------------------------------------------ side effects

    /// `frappe.log_error`: writes an Error Log document and returns it.
    fn log_error(
        &mut self,
        title: &str,
        message: &str,
        reference_doctype: Option<&str>,
        reference_name: Option<&str>,
    ) -> HostResult<JsonMap> {
        Err(HostError::unavailable("frappe.log_error"))
    }

    /// `frappe.sendmail`: queues the mail (an Email Queue document).
    fn sendmail(&mut self, mail: &Mail) -> HostResult<()> {
        Err(HostError::unavailable("frappe.sendmail"))
    }

    /// `frappe.call(method, **kwargs)`: a whitelisted method or an API script, with
    /// `form_dict` updated by `kwargs`; its result.
    fn call(&mut self, method: &str, kwargs: &JsonMap) -> HostResult<Json> {
        Err(HostError::unavailable("frappe.call"))
    }

    /// `run_script(name, **kwargs)`: the API script's `frappe.flags`.
    fn run_script(&mut self, name: &str, kwargs: &JsonMap) -> HostResult<Json> {
        Err(HostError::unavailable("run_script"))
    }

    /// `frappe.make_*_request`: the response read as Frappe reads it (JSON for
    /// `application/*json`, a dict of lists for `text/plain; charset=utf-8`, else the
    /// text, or null for an empty body); an HTTP error status is an error.
    fn http_request(&mut self, request: &OutgoingRequest) -> HostResult<Json> {
        Err(HostError::unavailable("frappe.make_get_request"))
    }

    /// `frappe.enqueue(method, **kwargs)`: runs later in a background worker (`now`:
    /// immediately). Returns a job id.
    fn enqueue(&mut self, method: &str, kwargs: &JsonMap, now: bool) -> HostResult<Json> {
        Err(HostError::unavailable("frappe.enqueue"))
    }
}
