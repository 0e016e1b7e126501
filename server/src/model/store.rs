//! Rows ↔ documents. A document is a JSON object of its columns, `doctype`, and one array
//! per child table; child rows carry `parent`, `parentfield`, `parenttype` and `idx`.
//! Statements are prepared once per connection (rusqlite's statement cache).

use std::sync::Arc;

use rusqlite::types::{Value as Sql, ValueRef};
use serde_json::{Map, Number, Value};

use serverscript_runtime::host::{RowShape, StoredDoc, Table};

use super::Doc;
use crate::db::{quote, table};
use crate::error::{Error, Msg, Result};
use crate::meta::{FieldType, Meta};
use crate::tx::SiteTx;

/// Sets the standard fields of a new document: who made it and when are the session
/// user and now, whatever the client or script sent (Frappe's `set_user_and_timestamp`;
/// a Before Insert hook may still change them, as in Frappe). Its rows take the
/// document's when they are written ([`insert`]).
pub fn stamp_new(doc: &mut Doc, user: &str, now: &str) {
    doc.insert("owner".into(), user.into());
    doc.insert("creation".into(), now.into());
    doc.insert("modified".into(), now.into());
    doc.insert("modified_by".into(), user.into());
    if !doc.contains_key("docstatus") {
        doc.insert("docstatus".into(), 0.into());
    }
    if !doc.contains_key("idx") {
        doc.insert("idx".into(), 0.into());
    }
}

/// The SQL value of a field, from an already coerced JSON value.
fn to_sql(fieldtype: Option<FieldType>, v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => match (fieldtype, n.as_i64()) {
            (Some(t), _) if t.is_float() => Sql::Real(n.as_f64().unwrap_or(0.0)),
            (_, Some(i)) => Sql::Integer(i),
            _ => Sql::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// A column value as JSON.
pub fn from_sql(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        ValueRef::Text(t) => Value::String(match std::str::from_utf8(t) {
            Ok(s) => s.to_owned(),
            Err(_) => String::from_utf8_lossy(t).into_owned(),
        }),
        ValueRef::Blob(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
    }
}

/// What [`table_rows`] knows of a column while it reads.
#[derive(Clone, Copy, PartialEq)]
enum Col {
    /// The query fixes the value (`parent = ?1`): never read.
    Fixed(usize),
    /// Every row so far has the first row's value.
    Same,
    /// Rows differ.
    Differs,
}

/// The rows of a `SELECT *` of `meta`'s table: values in column order, then the
/// doctype, sharing one column list (the meta keeps it while the table's columns stay
/// the same), so no row carries key strings.
///
/// A value every row has is kept once, in the table's shape, and each row holds `null`
/// there: the doctype; the columns `fixed` names, whose value the query's filter fixes
/// (not even read); and, with two rows or more, any column where every row has the
/// first row's value — a later row's cell is compared with the first row's before
/// anything is copied. So a child table's `parent`, `parenttype`, `parentfield`,
/// `owner`, `creation`… cost one string each, not one per row.
fn table_rows(
    tx: &SiteTx<'_>,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
    meta: &Meta,
    fixed: &[(&str, &str)],
) -> Result<Table> {
    let mut stmt = tx.db.prepare_cached(sql)?;
    let names = stmt.column_names();
    let columns = meta.row_columns(&names);
    let width = names.len();
    let mut state: Vec<Col> = names
        .iter()
        .map(|n| match fixed.iter().position(|(f, _)| f == n) {
            Some(k) => Col::Fixed(k),
            None => Col::Same,
        })
        .collect();
    let mut rows: Vec<Box<[Value]>> = Vec::new();
    let mut q = stmt.query(params)?;
    while let Some(row) = q.next()? {
        let mut values = Vec::with_capacity(width + 1);
        for (i, col) in state.iter_mut().enumerate() {
            let v = match *col {
                Col::Fixed(_) => Value::Null,
                _ if rows.is_empty() => from_sql(row.get_ref(i)?),
                Col::Same => {
                    let cell = row.get_ref(i)?;
                    if sql_equals(cell, &rows[0][i]) {
                        Value::Null
                    } else {
                        // the rows before held null for the first row's value: give it back
                        *col = Col::Differs;
                        let (first, rest) = rows.split_first_mut().expect("not empty");
                        for r in rest {
                            r[i] = first[i].clone();
                        }
                        from_sql(cell)
                    }
                }
                Col::Differs => from_sql(row.get_ref(i)?),
            };
            values.push(v);
        }
        values.push(Value::Null);
        rows.push(values.into_boxed_slice());
    }
    let mut common: Vec<Option<Value>> = vec![None; width + 1];
    if !rows.is_empty() {
        for (i, slot) in common.iter_mut().take(width).enumerate() {
            match state[i] {
                Col::Fixed(k) => *slot = Some(Value::String(fixed[k].1.to_string())),
                Col::Same if rows.len() > 1 => *slot = Some(std::mem::take(&mut rows[0][i])),
                _ => {}
            }
        }
        common[width] = Some(Value::String(meta.name.clone()));
    }
    Ok(Table {
        shape: Arc::new(RowShape {
            columns,
            common: common.into_boxed_slice(),
        }),
        rows,
    })
}

/// Whether a column's value is `v` as [`from_sql`] made it (texts compared as bytes;
/// anything doubtful counts as different).
fn sql_equals(cell: ValueRef<'_>, v: &Value) -> bool {
    match (cell, v) {
        (ValueRef::Null, Value::Null) => true,
        (ValueRef::Integer(i), Value::Number(n)) => !n.is_f64() && n.as_i64() == Some(i),
        (ValueRef::Real(f), Value::Number(n)) => {
            n.is_f64() && n.as_f64().map(f64::to_bits) == Some(f.to_bits())
        }
        (ValueRef::Text(t), Value::String(s)) => s.as_bytes() == t,
        _ => false,
    }
}

/// Loads a document and its child rows; `None` when there is no such row.
pub fn load(tx: &mut SiteTx<'_>, meta: &Meta, name: &str) -> Result<Option<Doc>> {
    Ok(load_stored(tx, meta, name)?.map(StoredDoc::into_json))
}

/// As [`load`], the child rows kept as [`Table`]s (what a script's `frappe.get_doc`
/// gets: rows become key-value objects only if the script converts them back).
pub fn load_stored(tx: &mut SiteTx<'_>, meta: &Meta, name: &str) -> Result<Option<StoredDoc>> {
    let sql = format!("SELECT * FROM {} WHERE name = ?1", table(&meta.name));
    let parent = table_rows(tx, &sql, &[&name], meta, &[])?;
    let Some(row) = parent.rows.first() else {
        return Ok(None);
    };
    let mut doc = StoredDoc::from(parent.shape.row_json(row));
    for tf in meta.table_fields() {
        let child = tx.meta(&tf.options)?;
        let sql = format!(
            "SELECT * FROM {} WHERE parent = ?1 AND parenttype = ?2 AND parentfield = ?3 ORDER BY idx",
            table(&child.name)
        );
        let fixed = [
            ("parent", name),
            ("parenttype", meta.name.as_str()),
            ("parentfield", tf.fieldname.as_str()),
        ];
        let rows = table_rows(
            tx,
            &sql,
            &[&name, &meta.name, &tf.fieldname],
            &child,
            &fixed,
        )?;
        doc.fields.insert(tf.fieldname.clone(), Value::Null);
        doc.tables.push((tf.fieldname.clone(), rows));
    }
    Ok(Some(doc))
}

/// Whether a row with this name exists.
pub fn exists(tx: &SiteTx<'_>, doctype: &str, name: &str) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {} WHERE name = ?1", table(doctype));
    let mut stmt = tx.db.prepare_cached(&sql)?;
    Ok(stmt.exists([name])?)
}

fn insert_row(tx: &SiteTx<'_>, meta: &Meta, doc: &Doc) -> Result<()> {
    let cols = meta.columns();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table(&meta.name),
        cols.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", "),
        (1..=cols.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let values: Vec<Sql> = cols
        .iter()
        .map(|c| {
            to_sql(
                meta.field(c).map(|f| f.fieldtype),
                doc.get(*c).unwrap_or(&Value::Null),
            )
        })
        .collect();
    let mut stmt = tx.db.prepare_cached(&sql)?;
    stmt.execute(rusqlite::params_from_iter(values.iter()))
        .map_err(|e| constraint_error(meta, doc, e))?;
    Ok(())
}

/// Frappe's error for a name that is taken: a "Duplicate Name" message and
/// DuplicateEntryError (409).
pub fn duplicate_name(doctype: &str, name: &str) -> Error {
    let mut err = Error::raise(
        "DuplicateEntryError",
        format!(
            "('{doctype}', '{name}', IntegrityError(1062, \"Duplicate entry '{name}' for key 'PRIMARY'\"))"
        ),
    );
    err.messages.push(Msg {
        message: format!("{doctype} {name} already exists"),
        title: Some("Duplicate Name".into()),
        indicator: Some("red".into()),
        raise_exception: false,
    });
    err
}

/// A UNIQUE violation as Frappe reports it: the name → DuplicateEntryError (409), a
/// unique field → UniqueValidationError (417).
fn constraint_error(meta: &Meta, doc: &Doc, e: rusqlite::Error) -> Error {
    let text = e.to_string();
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && f.code == rusqlite::ErrorCode::ConstraintViolation
        && text.contains("UNIQUE")
    {
        let column = text.rsplit('.').next().unwrap_or("").trim().to_string();
        let name = super::doc_name(doc);
        if column == "name" {
            return duplicate_name(&meta.name, name);
        }
        let value = doc
            .get(&column)
            .map(|v| v.as_str().map(str::to_string).unwrap_or(v.to_string()))
            .unwrap_or_default();
        return Error::throw(
            "UniqueValidationError",
            format!(
                "{} '{}' already exists in {}",
                meta.label_of(&column),
                value,
                meta.name
            ),
        );
    }
    Error::from(e)
}

/// Writes a document's rows. `new`: the document is being inserted, and every row takes
/// its owner and creation; else a row keeps the ones it has (rows loaded with it).
fn insert_children(tx: &mut SiteTx<'_>, meta: &Meta, doc: &mut Doc, new: bool) -> Result<()> {
    let parent = super::doc_name(doc).to_string();
    let docstatus = super::docstatus(doc);
    let stamp: Vec<(String, Value)> = ["owner", "creation", "modified", "modified_by"]
        .iter()
        .map(|k| (k.to_string(), doc.get(*k).cloned().unwrap_or(Value::Null)))
        .collect();
    for (fieldname, child_meta) in tx.child_tables(meta)? {
        let Some(Value::Array(rows)) = doc.get_mut(&fieldname) else {
            continue;
        };
        for (i, row) in rows.iter_mut().enumerate() {
            let Value::Object(row) = row else { continue };
            if !matches!(row.get("name"), Some(Value::String(s)) if !s.is_empty()) {
                row.insert("name".into(), super::naming::random_hash().into());
            }
            for (k, v) in &stamp {
                if !new
                    && (k == "owner" || k == "creation")
                    && matches!(row.get(k), Some(Value::String(s)) if !s.is_empty())
                {
                    continue;
                }
                row.insert(k.clone(), v.clone());
            }
            row.insert("docstatus".into(), docstatus.into());
            row.insert("idx".into(), (i as i64 + 1).into());
            row.insert("parent".into(), parent.clone().into());
            row.insert("parentfield".into(), fieldname.clone().into());
            row.insert("parenttype".into(), meta.name.clone().into());
            row.insert("doctype".into(), child_meta.name.clone().into());
            insert_row(tx, &child_meta, row)?;
        }
    }
    Ok(())
}

/// Inserts a new document and its rows.
pub fn insert(tx: &mut SiteTx<'_>, meta: &Meta, doc: &mut Doc) -> Result<()> {
    super::perm::check_role_grants(tx, meta, doc, &[])?;
    insert_row(tx, meta, doc)?;
    insert_children(tx, meta, doc, true)
}

fn delete_children(tx: &mut SiteTx<'_>, meta: &Meta, name: &str) -> Result<()> {
    let children: Vec<String> = meta.table_fields().map(|f| f.options.clone()).collect();
    for child in children {
        let sql = format!(
            "DELETE FROM {} WHERE parent = ?1 AND parenttype = ?2",
            table(&child)
        );
        tx.db
            .prepare_cached(&sql)?
            .execute([name, meta.name.as_str()])?;
    }
    Ok(())
}

/// Writes every column of an existing document and replaces its rows.
pub fn update(tx: &mut SiteTx<'_>, meta: &Meta, doc: &mut Doc) -> Result<()> {
    if meta.name == "User" {
        let before = super::perm::stored_roles(tx, super::doc_name(doc))?;
        super::perm::check_role_grants(tx, meta, doc, &before)?;
    }
    let cols: Vec<&str> = meta
        .columns()
        .into_iter()
        .filter(|c| *c != "name")
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE name = ?{}",
        table(&meta.name),
        cols.iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", quote(c), i + 1))
            .collect::<Vec<_>>()
            .join(", "),
        cols.len() + 1
    );
    let mut values: Vec<Sql> = cols
        .iter()
        .map(|c| {
            to_sql(
                meta.field(c).map(|f| f.fieldtype),
                doc.get(*c).unwrap_or(&Value::Null),
            )
        })
        .collect();
    let name = super::doc_name(doc).to_string();
    values.push(Sql::Text(name.clone()));
    let n = tx
        .db
        .prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values.iter()))
        .map_err(|e| constraint_error(meta, doc, e))?;
    if n == 0 {
        return Err(Error::not_found(&meta.name, &name));
    }
    delete_children(tx, meta, &name)?;
    insert_children(tx, meta, doc, false)
}

/// Sets some columns of a row directly (`db_set`, `frappe.db.set_value`).
pub fn set_columns(
    tx: &mut SiteTx<'_>,
    meta: &Meta,
    name: &str,
    values: &[(String, Value)],
) -> Result<usize> {
    if meta.name == "Has Role" {
        super::perm::check_role_row_change(tx, name, values)?;
    }
    // a user disabled in place is signed out as by the User form
    if meta.name == "User"
        && values
            .iter()
            .any(|(c, v)| c == "enabled" && !super::controllers::is_enabled(Some(v)))
    {
        crate::auth::end_sessions_of(tx, name)?;
    }
    let sql = format!(
        "UPDATE {} SET {} WHERE name = ?{}",
        table(&meta.name),
        values
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{} = ?{}", quote(c), i + 1))
            .collect::<Vec<_>>()
            .join(", "),
        values.len() + 1
    );
    let mut params: Vec<Sql> = values
        .iter()
        .map(|(c, v)| to_sql(meta.field(c).map(|f| f.fieldtype), v))
        .collect();
    params.push(Sql::Text(name.to_string()));
    Ok(tx
        .db
        .prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(params.iter()))?)
}

/// Deletes a document's row and its child rows.
pub fn delete(tx: &mut SiteTx<'_>, meta: &Meta, name: &str) -> Result<()> {
    let sql = format!("DELETE FROM {} WHERE name = ?1", table(&meta.name));
    tx.db.prepare_cached(&sql)?.execute([name])?;
    delete_children(tx, meta, name)
}

/// The document as the API returns it: its columns, `doctype`, child tables; keys the
/// DocType does not have are dropped; `null` fields are left out (Frappe's
/// `as_dict(no_nulls=True)` in responses).
pub fn as_response(tx: &mut SiteTx<'_>, meta: &Meta, doc: &Doc) -> Result<Doc> {
    let mut out = Map::with_capacity(doc.len());
    for c in meta.columns() {
        match doc.get(c) {
            None | Some(Value::Null) => {}
            Some(v) => {
                out.insert(c.to_string(), v.clone());
            }
        }
    }
    for tf in meta.table_fields() {
        let child = tx.meta(&tf.options)?;
        let rows = match doc.get(&tf.fieldname) {
            Some(Value::Array(rows)) => rows
                .iter()
                .filter_map(Value::as_object)
                .map(|r| as_response(tx, &child, r).map(Value::Object))
                .collect::<Result<Vec<_>>>()?,
            _ => Vec::new(),
        };
        out.insert(tf.fieldname.clone(), Value::Array(rows));
    }
    out.insert("doctype".into(), meta.name.clone().into());
    Ok(out)
}
