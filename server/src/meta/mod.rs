//! DocType metadata. A DocType is itself a document (`tabDocType` with its `fields`
//! (DocField) and `permissions` (DocPerm) child tables); [`Meta::from_doc`] reads one.
//! The three core DocTypes that describe DocTypes are compiled in, so loading a meta
//! never needs a meta; everything else, shipped or user-made, is read from the database.

pub mod builtin;
pub mod field;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use serde_json::{Map, Value};
use serverscript_runtime::host::Columns;

use crate::error::{Error, Result};
pub use field::FieldType;

/// Columns every document table has, and those child tables add (shared with the
/// runtime, whose `get_mapped_doc` never maps them).
pub use serverscript_runtime::host::{CHILD_FIELDS, STANDARD_FIELDS};

#[derive(Debug, Clone, PartialEq)]
pub struct DocField {
    pub fieldname: String,
    pub label: String,
    pub fieldtype: FieldType,
    pub options: String,
    pub reqd: bool,
    pub default: Option<String>,
    pub unique: bool,
    pub read_only: bool,
    pub allow_on_submit: bool,
    pub non_negative: bool,
    pub length: usize,
    pub in_list_view: bool,
    /// `search_index`: the column gets an index (filters on it stay fast on big tables).
    pub search_index: bool,
}

impl DocField {
    /// The label shown in messages (`fieldname` when none is set).
    pub fn label(&self) -> &str {
        if self.label.is_empty() {
            &self.fieldname
        } else {
            &self.label
        }
    }

    /// The options of a Select field, one per line.
    pub fn select_options(&self) -> Vec<&str> {
        self.options
            .split('\n')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .collect()
    }
}

/// A permission rule (a DocPerm row): a role and what it may do.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocPerm {
    pub role: String,
    pub permlevel: i64,
    pub read: bool,
    pub write: bool,
    pub create: bool,
    pub delete: bool,
    pub submit: bool,
    pub cancel: bool,
    pub amend: bool,
    pub if_owner: bool,
}

/// What a permission check asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermType {
    Read,
    Write,
    Create,
    Delete,
    Submit,
    Cancel,
}

impl PermType {
    pub fn name(self) -> &'static str {
        match self {
            PermType::Read => "read",
            PermType::Write => "write",
            PermType::Create => "create",
            PermType::Delete => "delete",
            PermType::Submit => "submit",
            PermType::Cancel => "cancel",
        }
    }

    pub fn parse(s: &str) -> Option<PermType> {
        Some(match s {
            "read" | "select" => PermType::Read,
            "write" => PermType::Write,
            "create" => PermType::Create,
            "delete" => PermType::Delete,
            "submit" => PermType::Submit,
            "cancel" => PermType::Cancel,
            _ => return None,
        })
    }

    pub fn granted_by(self, p: &DocPerm) -> bool {
        match self {
            PermType::Read => p.read,
            PermType::Write => p.write,
            PermType::Create => p.create,
            PermType::Delete => p.delete,
            PermType::Submit => p.submit,
            PermType::Cancel => p.cancel,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub name: String,
    pub module: String,
    pub istable: bool,
    /// One document named after the DocType (settings): `frappe.get_doc("X")`,
    /// `frappe.db.get_single_value("X", field)`. Its row lives in `tab<X>` like any
    /// other document's (Frappe keeps singles in `tabSingles`).
    pub issingle: bool,
    pub is_submittable: bool,
    /// `hash`, `field:x`, `Prompt`, `naming_series:`, `format:…`, or a series `TODO-.#####`.
    pub autoname: String,
    pub title_field: String,
    pub sort_field: String,
    pub sort_order: String,
    pub track_changes: bool,
    pub custom: bool,
    pub fields: Vec<DocField>,
    pub permissions: Vec<DocPerm>,
    /// The column list rows of `SELECT *` share (see [`Meta::row_columns`]).
    row_columns: OnceLock<Arc<Columns>>,
}

fn get_str(m: &Map<String, Value>, k: &str) -> String {
    match m.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn get_bool(m: &Map<String, Value>, k: &str) -> bool {
    match m.get(k) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0) != 0.0,
        Some(Value::String(s)) => matches!(s.as_str(), "1" | "true" | "True"),
        _ => false,
    }
}

/// A DocType or field name we can put in a table or column name safely: Frappe's names
/// are letters, digits, spaces, `_` and `-`; we refuse quotes and anything that would
/// need escaping, and the `__` prefix of our private tables.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 61
        && !name.starts_with("__")
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == ' ' || c == '-')
        && !name.starts_with(' ')
        && !name.ends_with(' ')
}

pub fn valid_fieldname(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with("__")
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Meta {
    /// Reads a DocType document (as stored or as posted) and checks it is usable.
    pub fn from_doc(doc: &Map<String, Value>) -> Result<Meta> {
        let name = get_str(doc, "name");
        if !valid_name(&name) {
            return Err(Error::throw(
                "InvalidNameError",
                format!(
                    "DocType name {name:?} is not valid: use letters, digits, spaces, '_' or '-'"
                ),
            ));
        }
        let mut fields = Vec::new();
        for row in doc
            .get("fields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(row) = row.as_object() else { continue };
            let fieldname = get_str(row, "fieldname");
            let type_name = get_str(row, "fieldtype");
            let fieldtype = FieldType::parse(if type_name.is_empty() {
                "Data"
            } else {
                &type_name
            })
            .ok_or_else(|| {
                Error::validation(format!(
                    "Field {fieldname}: unknown field type {type_name:?}"
                ))
            })?;
            if fieldname.is_empty() && fieldtype.is_layout() {
                continue;
            }
            if !valid_fieldname(&fieldname) {
                return Err(Error::validation(format!(
                    "Fieldname {fieldname:?} is not valid: use lowercase letters, digits and '_'"
                )));
            }
            if STANDARD_FIELDS.contains(&fieldname.as_str())
                || CHILD_FIELDS.contains(&fieldname.as_str())
                || fieldname == "doctype"
            {
                return Err(Error::validation(format!(
                    "Fieldname {fieldname} is reserved"
                )));
            }
            if fields.iter().any(|f: &DocField| f.fieldname == fieldname) {
                return Err(Error::validation(format!(
                    "Fieldname {fieldname} appears more than once"
                )));
            }
            let default = match row.get("default") {
                Some(Value::Null) | None => None,
                Some(Value::String(s)) if s.is_empty() => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(v) => Some(v.to_string()),
            };
            fields.push(DocField {
                label: get_str(row, "label"),
                options: get_str(row, "options"),
                reqd: get_bool(row, "reqd"),
                default,
                unique: get_bool(row, "unique"),
                read_only: get_bool(row, "read_only"),
                allow_on_submit: get_bool(row, "allow_on_submit"),
                non_negative: get_bool(row, "non_negative"),
                length: get_str(row, "length").parse().unwrap_or(0),
                in_list_view: get_bool(row, "in_list_view"),
                search_index: get_bool(row, "search_index"),
                fieldname,
                fieldtype,
            });
        }
        for f in &fields {
            if matches!(
                f.fieldtype,
                FieldType::Link | FieldType::Table | FieldType::TableMultiSelect
            ) && !valid_name(&f.options)
            {
                return Err(Error::validation(format!(
                    "Field {}: options must name a DocType for a {} field",
                    f.fieldname,
                    f.fieldtype.name()
                )));
            }
        }
        let permissions = doc
            .get("permissions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|p| DocPerm {
                role: get_str(p, "role"),
                permlevel: get_str(p, "permlevel").parse().unwrap_or(0),
                read: get_bool(p, "read"),
                write: get_bool(p, "write"),
                create: get_bool(p, "create"),
                delete: get_bool(p, "delete"),
                submit: get_bool(p, "submit"),
                cancel: get_bool(p, "cancel"),
                amend: get_bool(p, "amend"),
                if_owner: get_bool(p, "if_owner"),
            })
            .collect();
        let autoname = get_str(doc, "autoname");
        let meta = Meta {
            module: get_str(doc, "module"),
            istable: get_bool(doc, "istable"),
            issingle: get_bool(doc, "issingle"),
            is_submittable: get_bool(doc, "is_submittable"),
            autoname: if autoname.is_empty() {
                "hash".into()
            } else {
                autoname
            },
            title_field: get_str(doc, "title_field"),
            sort_field: {
                let s = get_str(doc, "sort_field");
                if s.is_empty() { "modified".into() } else { s }
            },
            sort_order: {
                let s = get_str(doc, "sort_order");
                if s.eq_ignore_ascii_case("asc") {
                    "asc".into()
                } else {
                    "desc".into()
                }
            },
            track_changes: get_bool(doc, "track_changes"),
            custom: get_bool(doc, "custom"),
            name,
            fields,
            permissions,
            row_columns: OnceLock::new(),
        };
        if let Some(f) = meta.autoname.strip_prefix("field:")
            && meta.field(f.trim()).is_none()
        {
            return Err(Error::validation(format!(
                "Naming by field: {} is not a field of {}",
                f.trim(),
                meta.name
            )));
        }
        Ok(meta)
    }

    pub fn field(&self, fieldname: &str) -> Option<&DocField> {
        self.fields.iter().find(|f| f.fieldname == fieldname)
    }

    /// Fields with a column in this DocType's table.
    pub fn data_fields(&self) -> impl Iterator<Item = &DocField> {
        self.fields.iter().filter(|f| f.fieldtype.has_column())
    }

    pub fn table_fields(&self) -> impl Iterator<Item = &DocField> {
        self.fields.iter().filter(|f| f.fieldtype.is_table())
    }

    /// The shared column list of this table's rows read by `SELECT *`: `names` (the
    /// statement's columns), then `doctype`. Built once and kept while `names` stays
    /// the same (a table that gained columns gets a fresh list).
    pub fn row_columns(&self, names: &[&str]) -> Arc<Columns> {
        if let Some(c) = self.row_columns.get() {
            let kept = c.names();
            if kept.len() == names.len() + 1 && kept.iter().zip(names).all(|(a, b)| &**a == *b) {
                return c.clone();
            }
        }
        let c = Columns::new(names.iter().copied().chain(["doctype"]));
        let _ = self.row_columns.set(c.clone());
        c
    }

    /// Whether `name` is a column of the table (standard or field).
    pub fn has_column(&self, name: &str) -> bool {
        STANDARD_FIELDS.contains(&name)
            || (self.istable && CHILD_FIELDS.contains(&name))
            || self.field(name).is_some_and(|f| f.fieldtype.has_column())
    }

    /// All column names, standard first.
    pub fn columns(&self) -> Vec<&str> {
        let mut cols: Vec<&str> = STANDARD_FIELDS.to_vec();
        if self.istable {
            cols.extend_from_slice(CHILD_FIELDS);
        }
        cols.extend(self.data_fields().map(|f| f.fieldname.as_str()));
        cols
    }

    /// The label of a field or standard column, for messages.
    pub fn label_of<'a>(&'a self, fieldname: &'a str) -> &'a str {
        self.field(fieldname)
            .map(DocField::label)
            .unwrap_or(fieldname)
    }
}

/// Metas by DocType name, shared by all requests. Entries are dropped when a DocType
/// changes (on commit); a generation counter keeps a load that raced with a change from
/// putting the stale meta back.
#[derive(Default)]
pub struct MetaCache {
    map: RwLock<HashMap<String, Arc<Meta>>>,
    generation: AtomicU64,
}

impl MetaCache {
    pub fn get(&self, doctype: &str) -> Option<Arc<Meta>> {
        self.map.read().unwrap().get(doctype).cloned()
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Stores a meta loaded when the cache was at `generation`, unless it moved since.
    pub fn put(&self, meta: Arc<Meta>, generation: u64) {
        let mut map = self.map.write().unwrap();
        if self.generation.load(Ordering::Acquire) == generation {
            map.insert(meta.name.clone(), meta);
        }
    }

    pub fn invalidate(&self) {
        let mut map = self.map.write().unwrap();
        self.generation.fetch_add(1, Ordering::AcqRel);
        map.clear();
    }
}
