//! The tables: our private ones (credentials, sessions, naming counters) and one
//! `tab<DocType>` per DocType, created and extended to follow its fields. SQLite runs
//! DDL inside transactions, so a DocType save that fails also undoes its table change.

use rusqlite::Connection;

use super::{quote, table};
use crate::error::{Error, Result};
use crate::meta::Meta;

/// Tables outside the document model (credentials, sessions, scheduler runs). Their
/// names start with `__`, which no DocType name may, so no document API can reach them
/// (and `frappe.db.sql` refuses them).
pub fn create_private_tables(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        r#"
        CREATE TABLE IF NOT EXISTS "__Auth" (
            doctype TEXT NOT NULL, name TEXT NOT NULL, fieldname TEXT NOT NULL,
            password TEXT NOT NULL,
            PRIMARY KEY (doctype, name, fieldname)
        );
        CREATE TABLE IF NOT EXISTS "__Sessions" (
            sid TEXT PRIMARY KEY NOT NULL, user TEXT NOT NULL,
            created TEXT NOT NULL, expires INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS "__Sessions_user" ON "__Sessions"(user);
        CREATE TABLE IF NOT EXISTS "__SchedulerRuns" (
            script TEXT PRIMARY KEY NOT NULL, last_run TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS "tabSeries" (
            name TEXT PRIMARY KEY NOT NULL, current INTEGER NOT NULL DEFAULT 0
        );
        "#,
    )?;
    Ok(())
}

/// The columns the table has now.
fn existing_columns(conn: &Connection, table_name: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote(table_name)))?;
    let cols = stmt
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cols)
}

/// The index a child table's rows are read by: a document's rows in order, without a
/// sort. Sites made by older builds had an index on `parent` alone; it is replaced.
pub fn ensure_row_index(conn: &Connection, child_doctype: &str) -> Result<()> {
    let table_name = format!("tab{child_doctype}");
    conn.execute_batch(&format!(
        "DROP INDEX IF EXISTS {old}; CREATE INDEX IF NOT EXISTS {new} ON {t}(parent, parenttype, parentfield, idx)",
        old = quote(&format!("{table_name}_parent")),
        new = quote(&format!("{table_name}_rows")),
        t = table(child_doctype)
    ))?;
    Ok(())
}

/// The columns `frappe.db.add_index` was given, checked against the DocType: a MariaDB
/// length (`name(10)`) is dropped (SQLite indexes whole values); a name that is not a
/// column of the table is refused.
pub fn index_columns(meta: &Meta, fields: &[String]) -> Result<Vec<String>> {
    if fields.is_empty() {
        return Err(Error::validation("add_index needs at least one field"));
    }
    if meta.issingle {
        return Err(Error::validation(format!(
            "{} is a Single DocType: it has no table to index",
            meta.name
        )));
    }
    fields
        .iter()
        .map(|f| {
            let column = f.split('(').next().unwrap_or("").trim();
            if meta.has_column(column) {
                Ok(column.to_string())
            } else {
                Err(Error::validation(format!(
                    "Key column '{column}' doesn't exist in table tab{}",
                    meta.name
                )))
            }
        })
        .collect()
}

/// Frappe's index name for `fields`: joined by `_`, then `_index`, length specifiers
/// (`(10)`) and the spaces around them dropped.
pub fn default_index_name(fields: &[String]) -> String {
    let joined = format!("{}_index", fields.join("_"));
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(open) = rest.find('(') {
        match rest[open..].find(')') {
            Some(close) if close > 1 => {
                out.push_str(rest[..open].trim_end());
                rest = rest[open + close + 1..].trim_start();
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Creates the index `index_name` of `doctype`'s table over `columns` unless an index of
/// that name exists on it. SQLite names indexes per database, MariaDB per table: the
/// index is stored as `tab<DocType>_<index_name>`.
pub fn add_index(
    conn: &Connection,
    doctype: &str,
    columns: &[String],
    index_name: &str,
) -> Result<()> {
    let cols: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    conn.execute_batch(&format!(
        "CREATE INDEX IF NOT EXISTS {} ON {}({})",
        quote(&format!("tab{doctype}_{index_name}")),
        table(doctype),
        cols.join(", ")
    ))?;
    Ok(())
}

/// Creates the DocType's table, or adds the columns of new fields (data is kept; columns
/// of removed fields stay, as in Frappe). Unique fields get a unique index.
pub fn sync_table(conn: &Connection, meta: &Meta) -> Result<()> {
    let table_name = format!("tab{}", meta.name);
    let existing = existing_columns(conn, &table_name)?;
    if existing.is_empty() {
        let mut cols = vec![
            "name TEXT PRIMARY KEY NOT NULL".to_string(),
            "owner TEXT".into(),
            "creation TEXT".into(),
            "modified TEXT".into(),
            "modified_by TEXT".into(),
            "docstatus INTEGER NOT NULL DEFAULT 0".into(),
            "idx INTEGER NOT NULL DEFAULT 0".into(),
        ];
        if meta.istable {
            cols.extend([
                "parent TEXT".into(),
                "parentfield TEXT".into(),
                "parenttype TEXT".into(),
            ]);
        }
        for f in meta.data_fields() {
            cols.push(format!(
                "{} {}",
                quote(&f.fieldname),
                f.fieldtype.sql_type()
            ));
        }
        conn.execute_batch(&format!(
            "CREATE TABLE {} ({})",
            table(&meta.name),
            cols.join(", ")
        ))?;
        if !meta.istable {
            conn.execute_batch(&format!(
                "CREATE INDEX {} ON {}(modified)",
                quote(&format!("{table_name}_modified")),
                table(&meta.name)
            ))?;
        }
    } else {
        for f in meta.data_fields() {
            if !existing.iter().any(|c| c == &f.fieldname) {
                conn.execute_batch(&format!(
                    "ALTER TABLE {} ADD COLUMN {} {}",
                    table(&meta.name),
                    quote(&f.fieldname),
                    f.fieldtype.sql_type()
                ))?;
                if f.fieldtype.is_numeric() {
                    // existing rows read 0, as Frappe's NOT NULL DEFAULT 0 columns do
                    conn.execute(
                        &format!(
                            "UPDATE {} SET {} = 0",
                            table(&meta.name),
                            quote(&f.fieldname)
                        ),
                        [],
                    )?;
                }
            }
        }
    }
    if meta.istable {
        ensure_row_index(conn, &meta.name)?;
    }
    for f in meta.data_fields().filter(|f| f.search_index && !f.unique) {
        conn.execute_batch(&format!(
            "CREATE INDEX IF NOT EXISTS {} ON {}({})",
            quote(&format!("{table_name}_index_{}", f.fieldname)),
            table(&meta.name),
            quote(&f.fieldname)
        ))?;
    }
    for f in meta.data_fields().filter(|f| f.unique) {
        conn.execute_batch(&format!(
            "CREATE UNIQUE INDEX IF NOT EXISTS {} ON {}({})",
            quote(&format!("{table_name}_unique_{}", f.fieldname)),
            table(&meta.name),
            quote(&f.fieldname)
        ))?;
    }
    Ok(())
}
