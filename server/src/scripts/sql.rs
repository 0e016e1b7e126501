//! `frappe.db.sql` for scripts: exactly one read-only statement, checked twice.
//!
//! 1. **Parsed** with `sqlparser` (SQLite dialect, MySQL as a fallback for MariaDB
//!    spellings): one statement, a query, no statement nested in it (a write in a
//!    `WITH`), no `SELECT … INTO`, no private tables (`__Auth`, `__Sessions`,
//!    `sqlite_*`), no functions that reach files or extensions. Anything that does not
//!    parse is refused: a query we cannot read is not run.
//! 2. **Prepared** by SQLite under an authorizer that allows only reads and harmless
//!    functions and denies the same tables, and the prepared statement must be
//!    read-only (`sqlite3_stmt_readonly`). This is the real guarantee; the parse gives
//!    the clear message.
//!
//! While it runs, the statement has a time limit (`QueryTimeoutError`), a cap on the
//! length of any string or blob it builds, and a cap on the rows it returns.
//!
//! Values: `%s` and `%(name)s` placeholders as Frappe writes them (values given as a
//! list/tuple or a dict; a list value expands to `(?, ?, …)` for `IN`), `%%` for a
//! literal percent — all bound as parameters, never spliced into the text.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::limits::Limit;
use rusqlite::types::{Value as SqlValue, ValueRef};
use serde_json::{Map, Value};
use sqlparser::ast::{Expr, ObjectName, Query, SetExpr, Statement, Visit, Visitor};
use sqlparser::dialect::{MySqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

use crate::error::{Error, Result};
use crate::tx::SiteTx;

/// Frappe's message for anything that is not a read.
pub const NOT_READ_ONLY: &str = "Query must be of SELECT or read-only WITH type.";
const TITLE: &str = "Unsafe SQL query";

/// Rows a script may read in one call.
pub const MAX_ROWS: usize = 100_000;
/// Longest string or blob a script's query may build (SQLite's `SQLITE_LIMIT_LENGTH`).
pub const MAX_VALUE_BYTES: i32 = 16 << 20;
/// How long one query may run (less when the script's deadline comes first).
pub const TIME_LIMIT: Duration = Duration::from_secs(10);
/// Bytes of values one query may return (SQLite's length limit bounds each value; this
/// bounds their sum, before the rows become the script's objects).
pub const MAX_RESULT_BYTES: usize = 64 << 20;

/// Functions that reach the file system, load code, or configure the engine.
const REFUSED_FUNCTIONS: &[&str] = &[
    "load_extension",
    "readfile",
    "writefile",
    "edit",
    "fts3_tokenizer",
    "sqlite_compileoption_get",
    "sqlite_compileoption_used",
    "sqlite_offset",
];

fn refuse(message: impl Into<String>) -> Error {
    Error::throw_titled("PermissionError", message.into(), TITLE)
}

/// Virtual tables that describe the database itself: `dbstat` gives the size and row
/// count of every table (the private ones included), `bytecode`/`tables_used` compile
/// other statements and show what they touch.
const ENGINE_TABLES: &[&str] = &["dbstat", "bytecode", "tables_used"];

/// Tables no script reads: credentials and sessions (`__Auth`, `__Sessions`, any
/// `__` table), SQLite's own catalogue, the `pragma_*` table functions and the virtual
/// tables that describe storage.
fn private_table(name: &str) -> bool {
    let n = name.trim_matches(|c| matches!(c, '`' | '"' | '[' | ']' | '\''));
    let lower = n.to_ascii_lowercase();
    lower.starts_with("__")
        || lower.starts_with("sqlite_")
        || lower.starts_with("pragma_")
        || lower == "sqlite_master"
        || lower == "sqlite_schema"
        || ENGINE_TABLES.contains(&lower.as_str())
}

fn refused_function(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    REFUSED_FUNCTIONS.contains(&lower.as_str()) || lower.starts_with("sqlite_")
}

fn last_part(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|p| {
            p.as_ident()
                .map(|i| i.value.clone())
                .unwrap_or_else(|| p.to_string())
        })
        .collect()
}

#[derive(Default)]
struct Policy {
    statements: usize,
}

fn into_clause(body: &SetExpr) -> bool {
    match body {
        SetExpr::Select(s) => s.into.is_some(),
        SetExpr::SetOperation { left, right, .. } => into_clause(left) || into_clause(right),
        SetExpr::Query(q) => into_clause(&q.body),
        _ => false,
    }
}

impl Visitor for Policy {
    type Break = String;

    fn pre_visit_statement(&mut self, s: &Statement) -> ControlFlow<String> {
        self.statements += 1;
        if self.statements > 1 || !matches!(s, Statement::Query(_)) {
            return ControlFlow::Break(NOT_READ_ONLY.into());
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<String> {
        match &*q.body {
            SetExpr::Insert(_)
            | SetExpr::Update(_)
            | SetExpr::Delete(_)
            | SetExpr::Merge(_)
            | SetExpr::Table(_) => return ControlFlow::Break(NOT_READ_ONLY.into()),
            body if into_clause(body) => {
                return ControlFlow::Break("SELECT … INTO is not allowed in scripts.".into());
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, r: &ObjectName) -> ControlFlow<String> {
        for part in last_part(r) {
            if private_table(&part) {
                return ControlFlow::Break(format!("Table {part} cannot be read by scripts."));
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<String> {
        if let Expr::Function(f) = e {
            for part in last_part(&f.name) {
                if refused_function(&part) {
                    return ControlFlow::Break(format!(
                        "Function {part}() is not allowed in scripts."
                    ));
                }
            }
        }
        ControlFlow::Continue(())
    }
}

/// The parse check: `Ok` for exactly one read-only query, else the reason.
pub fn check(sql: &str) -> std::result::Result<(), String> {
    let statements = Parser::parse_sql(&SQLiteDialect {}, sql)
        .or_else(|_| Parser::parse_sql(&MySqlDialect {}, sql))
        .map_err(|e| format!("The query could not be read as one SELECT ({e})."))?;
    if statements.len() != 1 {
        return Err(if statements.is_empty() {
            "The query is empty.".into()
        } else {
            NOT_READ_ONLY.into()
        });
    }
    let mut policy = Policy::default();
    match statements.visit(&mut policy) {
        ControlFlow::Break(reason) => Err(reason),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// The authorizer SQLite consults while preparing a script's statement.
fn authorize(ctx: AuthContext<'_>) -> Authorization {
    match ctx.action {
        AuthAction::Select | AuthAction::Recursive => Authorization::Allow,
        AuthAction::Read { table_name, .. } if private_table(table_name) => Authorization::Deny,
        AuthAction::Read { .. } => Authorization::Allow,
        AuthAction::Function { function_name } if refused_function(function_name) => {
            Authorization::Deny
        }
        AuthAction::Function { .. } => Authorization::Allow,
        _ => Authorization::Deny,
    }
}

// ---------------------------------------------------------------------- placeholders

fn sql_value(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// Appends a placeholder for `v` (a list becomes `(?, ?, …)`, as pymysql writes a
/// tuple).
fn bind(out: &mut String, params: &mut Vec<SqlValue>, v: &Value) {
    match v {
        Value::Array(items) => {
            out.push('(');
            if items.is_empty() {
                // `IN ()` is a syntax error in MariaDB; NULL matches nothing
                out.push_str("NULL");
            }
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('?');
                params.push(sql_value(item));
            }
            out.push(')');
        }
        v => {
            out.push('?');
            params.push(sql_value(v));
        }
    }
}

/// Rewrites Frappe's `%s` / `%(name)s` / `%%` into SQLite placeholders with their
/// values. Without values the text is left as it is (pymysql does not format it).
pub fn bind_values(query: &str, values: &Value) -> Result<(String, Vec<SqlValue>)> {
    let positional: Vec<Value> = match values {
        Value::Null => return Ok((query.to_string(), Vec::new())),
        Value::Array(a) => a.clone(),
        Value::Object(_) => Vec::new(),
        scalar => vec![scalar.clone()],
    };
    let named: Option<&Map<String, Value>> = values.as_object();
    let mut out = String::with_capacity(query.len());
    let mut params = Vec::new();
    let mut next = 0;
    let mut rest = query;
    while let Some(p) = rest.find('%') {
        out.push_str(&rest[..p]);
        let tail = &rest[p..];
        if let Some(after) = tail.strip_prefix("%%") {
            out.push('%');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("%s") {
            let Some(v) = positional.get(next) else {
                return Err(Error::raise(
                    "TypeError",
                    "not enough arguments for format string",
                ));
            };
            next += 1;
            bind(&mut out, &mut params, v);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("%(") {
            let Some(end) = after.find(")s") else {
                return Err(Error::raise(
                    "ValueError",
                    "unsupported format character in the query",
                ));
            };
            let key = &after[..end];
            let Some(v) = named.and_then(|m| m.get(key)) else {
                return Err(Error::raise("KeyError", format!("'{key}'")));
            };
            bind(&mut out, &mut params, v);
            rest = &after[end + 2..];
        } else {
            return Err(Error::raise(
                "ValueError",
                "unsupported format character in the query (write %% for a literal %)",
            ));
        }
    }
    out.push_str(rest);
    if named.is_none() && next < positional.len() {
        return Err(Error::raise(
            "TypeError",
            "not all arguments converted during string formatting",
        ));
    }
    Ok((out, params))
}

// ---------------------------------------------------------------------- running

fn json_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
    }
}

/// The bounds a script's query runs within.
#[derive(Debug, Clone, Copy)]
pub struct SqlLimits {
    pub time: Duration,
    pub rows: usize,
    pub value_bytes: i32,
    /// Bytes of all the values returned together.
    pub result_bytes: usize,
    /// The script's deadline, when it comes before `time` is up: the query stops there
    /// with TimeLimitExceeded (which the script cannot catch and retry).
    pub deadline: Option<Instant>,
}

impl Default for SqlLimits {
    fn default() -> SqlLimits {
        SqlLimits {
            time: TIME_LIMIT,
            rows: MAX_ROWS,
            value_bytes: MAX_VALUE_BYTES,
            result_bytes: MAX_RESULT_BYTES,
            deadline: None,
        }
    }
}

/// Runs a script's `frappe.db.sql`: rows as arrays, or objects keyed by column name
/// with `as_dict`. It stops at the script's deadline if that comes first.
pub fn query(tx: &mut SiteTx<'_>, sql: &str, values: &Value, as_dict: bool) -> Result<Vec<Value>> {
    let limits = SqlLimits {
        deadline: tx.run_deadline().map(|(d, _)| d),
        ..SqlLimits::default()
    };
    query_within(tx, sql, values, as_dict, limits)
}

fn script_out_of_time() -> Error {
    Error::raise(
        "TimeLimitExceeded",
        "script exceeded its time limit while a query ran",
    )
}

/// [`query`] with explicit limits.
pub fn query_within(
    tx: &mut SiteTx<'_>,
    sql: &str,
    values: &Value,
    as_dict: bool,
    limits: SqlLimits,
) -> Result<Vec<Value>> {
    let (text, params) = bind_values(sql, values)?;
    check(&text).map_err(refuse)?;
    let conn: &rusqlite::Connection = &tx.db;

    // prepare under the authorizer; it is removed before anything else runs here
    conn.authorizer(Some(authorize));
    let prepared = conn.prepare(&text);
    conn.authorizer(None::<fn(AuthContext<'_>) -> Authorization>);
    let mut stmt = prepared.map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::AuthorizationForStatementDenied =>
        {
            refuse(NOT_READ_ONLY)
        }
        e => Error::raise("ProgrammingError", e.to_string()),
    })?;
    if !stmt.readonly() {
        return Err(refuse(NOT_READ_ONLY));
    }
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();

    let old_length = conn
        .limit(Limit::SQLITE_LIMIT_LENGTH)
        .unwrap_or(1_000_000_000);
    let _ = conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, limits.value_bytes);
    let own = Instant::now() + limits.time;
    let deadline = limits.deadline.map_or(own, |d| d.min(own));
    if Instant::now() >= deadline {
        let _ = conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, old_length);
        return Err(script_out_of_time());
    }
    conn.progress_handler(10_000, Some(move || Instant::now() > deadline));
    let result = read_rows(&mut stmt, &params, &columns, as_dict, limits);
    conn.progress_handler(0, None::<fn() -> bool>);
    let _ = conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, old_length);
    result
}

fn read_rows(
    stmt: &mut rusqlite::Statement<'_>,
    params: &[SqlValue],
    columns: &[String],
    as_dict: bool,
    limits: SqlLimits,
) -> Result<Vec<Value>> {
    let map_err = |e: rusqlite::Error| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::OperationInterrupted =>
        {
            if limits.deadline.is_some_and(|d| Instant::now() >= d) {
                script_out_of_time()
            } else {
                Error::raise(
                    "QueryTimeoutError",
                    format!("The query ran longer than {:?}.", limits.time),
                )
            }
        }
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::TooBig => {
            Error::raise(
                "DataError",
                format!(
                    "The query built a value longer than {} bytes.",
                    limits.value_bytes
                ),
            )
        }
        e => Error::raise("ProgrammingError", e.to_string()),
    };
    let mut rows = stmt
        .query(rusqlite::params_from_iter(params.iter()))
        .map_err(map_err)?;
    let mut out = Vec::new();
    // what the rows hold so far: each value's bytes plus a little for the value itself
    let mut bytes = 0usize;
    while let Some(row) = rows.next().map_err(map_err)? {
        for i in 0..columns.len() {
            bytes += 16
                + match row.get_ref(i).map_err(map_err)? {
                    ValueRef::Text(t) | ValueRef::Blob(t) => t.len(),
                    _ => 8,
                };
        }
        if bytes > limits.result_bytes {
            return Err(Error::raise(
                "DataError",
                format!(
                    "The query returns more than {} MiB; select fewer rows or columns.",
                    limits.result_bytes >> 20
                ),
            ));
        }
        if out.len() == limits.rows {
            return Err(Error::raise(
                "DataError",
                format!(
                    "The query returns more than {} rows; add a LIMIT.",
                    limits.rows
                ),
            ));
        }
        let cells = (0..columns.len()).map(|i| row.get_ref(i).map(json_of));
        if as_dict {
            let mut m = Map::new();
            for (name, cell) in columns.iter().zip(cells) {
                m.insert(name.clone(), cell.map_err(map_err)?);
            }
            out.push(Value::Object(m));
        } else {
            out.push(Value::Array(
                cells
                    .collect::<std::result::Result<_, _>>()
                    .map_err(map_err)?,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_bind_positional_named_and_lists() {
        let (q, p) = bind_values(
            "select name from `tabToDo` where status = %s and name in %s and x like '5%%'",
            &json!(["Open", ["a", "b"]]),
        )
        .unwrap();
        assert_eq!(
            q,
            "select name from `tabToDo` where status = ? and name in (?, ?) and x like '5%'"
        );
        assert_eq!(p.len(), 3);
        let (q, p) =
            bind_values("select %(a)s, %(a)s, %(b)s", &json!({"a": 1, "b": [1, 2]})).unwrap();
        assert_eq!(q, "select ?, ?, (?, ?)");
        assert_eq!(p.len(), 4);
        let (q, _) = bind_values("select '100%'", &Value::Null).unwrap();
        assert_eq!(q, "select '100%'");
    }

    #[test]
    fn wrong_placeholder_counts_are_errors() {
        assert!(bind_values("select %s, %s", &json!([1])).is_err());
        assert!(bind_values("select %s", &json!([1, 2])).is_err());
        assert!(bind_values("select %(x)s", &json!({"y": 1})).is_err());
        assert!(bind_values("select 5 % 2", &json!([1])).is_err());
    }
}
