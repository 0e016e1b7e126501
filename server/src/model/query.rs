//! List queries (`GET /api/resource/<DocType>`, `frappe.client.get_list`, and later
//! `frappe.get_list` in scripts): fields, filters and or_filters in every shape Frappe
//! accepts, ordering, grouping, paging, the user's read permission.
//!
//! Only names the DocType has reach the SQL text (quoted); every value is a bound
//! parameter. Anything else — sub-queries, unknown functions, unknown fields — is
//! refused with DataError.

use rusqlite::types::Value as Sql;
use serde_json::{Map, Value};

use super::perm::{Access, access};
use crate::db::{quote, table};
use crate::error::{Error, Result};
use crate::meta::{Meta, PermType};
use crate::tx::SiteTx;

#[derive(Debug, Clone, PartialEq)]
pub enum Order {
    /// The DocType's sort (`modified desc` unless set).
    Default,
    /// No ORDER BY at all (REST without `order_by`, as Frappe does).
    Unordered,
    By(String),
}

/// The most rows a list query's `limit` or `start` asks for: larger values are clamped
/// to it (half of SQLite's 64-bit range, so that their sum fits too).
pub const MAX_ROWS: usize = (i64::MAX / 2) as usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub doctype: String,
    pub fields: Vec<String>,
    pub filters: Value,
    pub or_filters: Value,
    pub order: Order,
    pub group_by: Option<String>,
    pub start: usize,
    pub limit: Option<usize>,
    pub distinct: bool,
    pub ignore_permissions: bool,
    pub as_dict: bool,
}

impl Query {
    pub fn new(doctype: &str) -> Query {
        Query {
            doctype: doctype.to_string(),
            fields: vec!["name".into()],
            filters: Value::Null,
            or_filters: Value::Null,
            order: Order::Default,
            group_by: None,
            start: 0,
            limit: None,
            distinct: false,
            ignore_permissions: false,
            as_dict: true,
        }
    }
}

impl From<&serverscript_runtime::host::ListQuery> for Query {
    fn from(q: &serverscript_runtime::host::ListQuery) -> Query {
        Query {
            doctype: q.doctype.clone(),
            fields: if q.fields.is_empty() {
                vec!["name".into()]
            } else {
                q.fields.clone()
            },
            filters: q.filters.clone(),
            or_filters: q.or_filters.clone(),
            order: match &q.order_by {
                None => Order::Default,
                Some(s) if s.trim().is_empty() => Order::Default,
                Some(s) => Order::By(s.clone()),
            },
            group_by: q.group_by.clone(),
            start: q.start,
            limit: q.limit,
            distinct: q.distinct,
            ignore_permissions: q.ignore_permissions,
            as_dict: true,
        }
    }
}

fn not_permitted(what: &str) -> Error {
    Error::throw("DataError", format!("Field not permitted in query: {what}"))
}

/// A column reference: `name`, `` `name` ``, `"name"`, `tabToDo.name`, `` `tabToDo`.`name` ``.
fn column(meta: &Meta, text: &str) -> Result<String> {
    let unquote = |s: &str| s.trim().trim_matches('`').trim_matches('"').to_string();
    let t = text.trim();
    let (tab, col) = match t.rsplit_once('.') {
        Some((tab, col)) => (Some(unquote(tab)), unquote(col)),
        None => (None, unquote(t)),
    };
    if let Some(tab) = tab
        && tab != format!("tab{}", meta.name)
    {
        return Err(not_permitted(text));
    }
    if meta.has_column(&col) {
        Ok(col)
    } else {
        Err(not_permitted(text))
    }
}

/// A selected field: its SQL and the key it is returned under.
fn field(meta: &Meta, text: &str) -> Result<(String, String)> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let (expr, alias) = match lower.rfind(" as ") {
        Some(i) => (
            t[..i].trim(),
            Some(
                t[i + 4..]
                    .trim()
                    .trim_matches('`')
                    .trim_matches('"')
                    .to_string(),
            ),
        ),
        None => (t, None),
    };
    if let Some(a) = &alias
        && (a.is_empty() || !a.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        return Err(not_permitted(text));
    }
    let elower = expr.to_ascii_lowercase();
    for func in ["count", "sum", "avg", "min", "max"] {
        if let Some(rest) = elower.strip_prefix(func) {
            let rest = rest.trim_start();
            if rest.starts_with('(') && rest.ends_with(')') {
                let open = expr.find('(').expect("has (");
                let inner = expr[open + 1..expr.len() - 1].trim();
                let (distinct, arg) = match inner.to_ascii_lowercase().strip_prefix("distinct ") {
                    Some(_) => ("DISTINCT ", inner[9..].trim()),
                    None => ("", inner),
                };
                let arg_sql = if arg == "*" && func == "count" && distinct.is_empty() {
                    "*".to_string()
                } else {
                    quote(&column(meta, arg)?)
                };
                let sql = format!("{}({distinct}{arg_sql})", func.to_uppercase());
                return Ok((sql, alias.unwrap_or_else(|| expr.to_string())));
            }
        }
    }
    let col = column(meta, expr)?;
    Ok((quote(&col), alias.unwrap_or(col)))
}

/// One condition after normalising the shapes: (DocType or None, field, operator, value).
type Cond = (Option<String>, String, String, Value);

/// Reads filters in Frappe's shapes: `{f: v}`, `{f: [op, v]}`, `[[f, op, v]]`,
/// `[[dt, f, op, v]]`, `[[f, v]]`, a list of such dicts; a JSON string of any of these.
pub fn normalise(filters: &Value) -> Result<Vec<Cond>> {
    let mut out = Vec::new();
    match filters {
        Value::Null => {}
        Value::String(s) if s.trim().is_empty() => {}
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(v @ (Value::Object(_) | Value::Array(_))) => return normalise(&v),
            _ => out.push((None, "name".into(), "=".into(), Value::String(s.clone()))),
        },
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::Array(a) if a.len() == 2 && a[0].is_string() => out.push((
                        None,
                        k.clone(),
                        a[0].as_str().unwrap().to_string(),
                        a[1].clone(),
                    )),
                    Value::Array(a) if a.len() == 1 && a[0].is_string() => out.push((
                        None,
                        k.clone(),
                        a[0].as_str().unwrap().to_string(),
                        Value::Null,
                    )),
                    v => out.push((None, k.clone(), "=".into(), v.clone())),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Array(a) => {
                        let s = |i: usize| a.get(i).and_then(Value::as_str).map(str::to_string);
                        match a.len() {
                            2 => {
                                out.push((None, s(0).unwrap_or_default(), "=".into(), a[1].clone()))
                            }
                            3 => out.push((
                                None,
                                s(0).unwrap_or_default(),
                                s(1).unwrap_or_default(),
                                a[2].clone(),
                            )),
                            4 | 5 => out.push((
                                s(0),
                                s(1).unwrap_or_default(),
                                s(2).unwrap_or_default(),
                                a[3].clone(),
                            )),
                            _ => {
                                return Err(Error::throw(
                                    "DataError",
                                    format!("Invalid filter: {item}"),
                                ));
                            }
                        }
                    }
                    Value::Object(_) => out.extend(normalise(item)?),
                    _ => return Err(Error::throw("DataError", format!("Invalid filter: {item}"))),
                }
            }
        }
        other => {
            return Err(Error::throw(
                "DataError",
                format!("Invalid filters: {other}"),
            ));
        }
    }
    Ok(out)
}

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

fn list_values(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        Value::String(s) => s
            .split(',')
            .map(|p| Value::String(p.trim().to_string()))
            .filter(|p| p.as_str() != Some(""))
            .collect(),
        Value::Null => Vec::new(),
        v => vec![v.clone()],
    }
}

/// One condition as SQL over the DocType's table, binding values into `params`.
fn condition(
    tx: &mut SiteTx<'_>,
    meta: &Meta,
    cond: &Cond,
    params: &mut Vec<Sql>,
) -> Result<String> {
    let (dt, f, op, v) = cond;
    // a filter on a child table: documents having a matching row
    if let Some(dt) = dt.as_deref().filter(|d| *d != meta.name) {
        if !meta.table_fields().any(|t| t.options == dt) {
            return Err(Error::throw(
                "DataError",
                format!(
                    "Cannot filter {} by {dt}: not one of its child tables",
                    meta.name
                ),
            ));
        }
        let child = tx.meta(dt)?;
        let inner = condition(
            tx,
            &child,
            &(None, f.clone(), op.clone(), v.clone()),
            params,
        )?;
        params.push(Sql::Text(meta.name.clone()));
        return Ok(format!(
            "name IN (SELECT parent FROM {} WHERE parenttype = ?{} AND {inner})",
            table(&child.name),
            params.len()
        ));
    }
    let col = column(meta, f)?;
    let numeric = meta.field(&col).is_some_and(|fd| fd.fieldtype.is_numeric())
        || col == "docstatus"
        || col == "idx";
    let c = quote(&col);
    let fallback = if numeric { "0" } else { "''" };
    let bind = |v: &Value, params: &mut Vec<Sql>| {
        params.push(to_sql(v));
        format!("?{}", params.len())
    };
    let op_l = op.trim().to_ascii_lowercase();
    Ok(match op_l.as_str() {
        "=" | "==" if v.is_null() => format!("ifnull({c}, {fallback}) = {fallback}"),
        "=" | "==" => format!("{c} = {}", bind(v, params)),
        "!=" | "<>" if v.is_null() => format!("ifnull({c}, {fallback}) != {fallback}"),
        "!=" | "<>" => format!("ifnull({c}, {fallback}) != {}", bind(v, params)),
        "<" | ">" | "<=" | ">=" => format!("{c} {op_l} {}", bind(v, params)),
        "like" => format!("{c} LIKE {}", bind(v, params)),
        "not like" => format!("ifnull({c}, '') NOT LIKE {}", bind(v, params)),
        "in" | "not in" => {
            let items = list_values(v);
            let placeholders = if items.is_empty() {
                "''".to_string()
            } else {
                items
                    .iter()
                    .map(|i| bind(i, params))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let neg = if op_l == "not in" { "NOT " } else { "" };
            format!("ifnull({c}, '') {neg}IN ({placeholders})")
        }
        "between" => {
            let items = list_values(v);
            if items.len() != 2 {
                return Err(Error::throw(
                    "DataError",
                    format!("between needs two values for {f}"),
                ));
            }
            let (a, b) = (bind(&items[0], params), bind(&items[1], params));
            format!("{c} BETWEEN {a} AND {b}")
        }
        "timespan" | "previous" | "next" => {
            let text = v.as_str().unwrap_or_default();
            let span = if op_l == "timespan" {
                Some(text.to_string())
            } else {
                serverscript_runtime::builtins::dates::timespan::relative(&op_l, text)
            };
            let settings = tx.site.settings();
            let today = settings.now().date();
            let Some((from, to)) = span.as_deref().and_then(|s| {
                serverscript_runtime::builtins::dates::timespan::range(
                    s,
                    today,
                    settings.week_start_index(),
                )
            }) else {
                return Err(Error::throw(
                    "DataError",
                    format!("Unknown timespan for {op}: {v}"),
                ));
            };
            // a datetime column covers whole days
            let datetime = matches!(col.as_str(), "creation" | "modified")
                || meta
                    .field(&col)
                    .is_some_and(|fd| fd.fieldtype == crate::meta::field::FieldType::Datetime);
            let (a, b) = if datetime {
                (
                    format!("{from} 00:00:00.000000"),
                    format!("{to} 23:59:59.999999"),
                )
            } else {
                (from.to_string(), to.to_string())
            };
            let (a, b) = (
                bind(&Value::String(a), params),
                bind(&Value::String(b), params),
            );
            format!("{c} BETWEEN {a} AND {b}")
        }
        "is" => match v.as_str().map(|s| s.trim().to_ascii_lowercase()) {
            Some(s) if s == "set" => format!("ifnull({c}, '') != ''"),
            Some(s) if s == "not set" => format!("ifnull({c}, '') = ''"),
            _ => {
                return Err(Error::throw(
                    "DataError",
                    format!("'is' takes \"set\" or \"not set\", not {v}"),
                ));
            }
        },
        _ => {
            return Err(Error::throw(
                "DataError",
                format!("Operator not supported: {op}"),
            ));
        }
    })
}

fn order_clause(meta: &Meta, order: &Order) -> Result<String> {
    let text = match order {
        Order::Unordered => return Ok(String::new()),
        Order::Default => format!("{} {}", meta.sort_field, meta.sort_order),
        Order::By(s) => s.clone(),
    };
    let mut parts = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let mut words = item.split_whitespace().collect::<Vec<_>>();
        let dir = match words.last().map(|w| w.to_ascii_lowercase()) {
            Some(w) if w == "asc" || w == "desc" => {
                words.pop();
                w.to_uppercase()
            }
            _ => "ASC".to_string(),
        };
        let col = match column(meta, &words.join(" ")) {
            Ok(c) => c,
            // a DocType default naming a field it lost: fall back rather than fail
            Err(_) if *order == Order::Default => "modified".to_string(),
            Err(e) => return Err(e),
        };
        parts.push(format!("{} {dir}", quote(&col)));
    }
    Ok(if parts.is_empty() {
        String::new()
    } else {
        format!(" ORDER BY {}", parts.join(", "))
    })
}

/// WHERE clause (with the leading ` WHERE `, or empty) for filters, or_filters and the
/// user's owner restriction.
fn where_clause(
    tx: &mut SiteTx<'_>,
    meta: &Meta,
    q: &Query,
    params: &mut Vec<Sql>,
) -> Result<String> {
    let mut conds = Vec::new();
    for c in normalise(&q.filters)? {
        conds.push(condition(tx, meta, &c, params)?);
    }
    let ors = normalise(&q.or_filters)?
        .iter()
        .map(|c| condition(tx, meta, c, params))
        .collect::<Result<Vec<_>>>()?;
    if !ors.is_empty() {
        conds.push(format!("({})", ors.join(" OR ")));
    }
    if !q.ignore_permissions {
        // a Permission Query script's conditions, as Frappe ANDs them in (trusted SQL:
        // only Script Managers write these scripts)
        let engine = tx.site.scripts.clone();
        if let Some(cond) = engine.permission_conditions(tx, &meta.name)? {
            conds.push(format!("({cond})"));
        }
        match access(tx, meta, PermType::Read)? {
            Access::All => {}
            Access::Owner => {
                params.push(Sql::Text(tx.user.clone()));
                conds.push(format!("owner = ?{}", params.len()));
            }
            Access::None => {
                return Err(Error::throw_titled(
                    "PermissionError",
                    format!("No permission to read {}", meta.name),
                    "Insufficient Permission",
                ));
            }
        }
    }
    Ok(if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    })
}

/// Runs a list query: rows as objects (`as_dict`) or arrays in field order.
pub fn get_list(tx: &mut SiteTx<'_>, q: &Query) -> Result<Vec<Value>> {
    let meta = tx.meta(&q.doctype)?;
    if meta.istable && !q.ignore_permissions && !tx.is_administrator() {
        return Err(Error::permission(format!(
            "{} is a child table: read it through its parent",
            meta.name
        )));
    }
    let mut selected = Vec::new();
    for f in &q.fields {
        for part in split_fields(f) {
            if part == "*" || part == format!("`tab{}`.*", meta.name) {
                selected.extend(
                    meta.columns()
                        .into_iter()
                        .map(|c| (quote(c), c.to_string())),
                );
            } else {
                selected.push(field(&meta, &part)?);
            }
        }
    }
    if selected.is_empty() {
        selected.push((quote("name"), "name".into()));
    }
    let mut params = Vec::new();
    let where_sql = where_clause(tx, &meta, q, &mut params)?;
    let group = match &q.group_by {
        Some(g) if !g.trim().is_empty() => {
            let cols = g
                .split(',')
                .map(|c| column(&meta, c).map(|c| quote(&c)))
                .collect::<Result<Vec<_>>>()?;
            format!(" GROUP BY {}", cols.join(", "))
        }
        _ => String::new(),
    };
    let order = order_clause(&meta, &q.order)?;
    // clamped, so LIMIT and OFFSET (and SQLite's sum of them) stay 64-bit integers
    let start = q.start.min(MAX_ROWS);
    let limit = match q.limit.map(|n| n.min(MAX_ROWS)) {
        Some(n) => format!(" LIMIT {n} OFFSET {start}"),
        None if start > 0 => format!(" LIMIT -1 OFFSET {start}"),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {}{} FROM {}{where_sql}{group}{order}{limit}",
        if q.distinct { "DISTINCT " } else { "" },
        selected
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        table(&meta.name)
    );
    let mut stmt = tx.db.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if q.as_dict {
            let mut m = Map::with_capacity(selected.len());
            for (i, (_, key)) in selected.iter().enumerate() {
                m.insert(key.clone(), super::store::from_sql(row.get_ref(i)?));
            }
            out.push(Value::Object(m));
        } else {
            out.push(Value::Array(
                (0..selected.len())
                    .map(|i| row.get_ref(i).map(super::store::from_sql))
                    .collect::<rusqlite::Result<_>>()?,
            ));
        }
    }
    Ok(out)
}

/// The named row's plain `fields`, permissions ignored (`frappe.db.get_value(doctype,
/// name, fields)`, the commonest read): the answer of [`get_list`] for `{"name": name}`
/// with a limit of one, without the query builder. A field that is not a column of the
/// DocType, or a Single (no table of its own), takes the general path, which words its
/// error.
pub fn row_by_name(
    tx: &mut SiteTx<'_>,
    doctype: &str,
    name: &str,
    fields: &[String],
) -> Result<Option<Map<String, Value>>> {
    let meta = tx.meta(doctype)?;
    if meta.issingle || fields.is_empty() || !fields.iter().all(|f| meta.has_column(f)) {
        let mut q = Query::new(doctype);
        q.fields = fields.to_vec();
        q.filters = Value::Object(Map::from_iter([(
            "name".to_string(),
            Value::String(name.to_string()),
        )]));
        q.ignore_permissions = true;
        q.limit = Some(1);
        return Ok(get_list(tx, &q)?.into_iter().next().and_then(|r| match r {
            Value::Object(m) => Some(m),
            _ => None,
        }));
    }
    let mut sql = String::with_capacity(48 + 16 * fields.len());
    sql.push_str("SELECT ");
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        push_quoted(&mut sql, f);
    }
    sql.push_str(" FROM ");
    push_quoted(&mut sql, &format!("tab{}", meta.name));
    sql.push_str(" WHERE \"name\" = ?1 LIMIT 1");
    let mut stmt = tx.db.prepare_cached(&sql)?;
    let mut rows = stmt.query([name])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let mut m = Map::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        m.insert(f.clone(), super::store::from_sql(row.get_ref(i)?));
    }
    Ok(Some(m))
}

/// Appends `ident` quoted for SQL, as [`quote`] writes it.
fn push_quoted(sql: &mut String, ident: &str) {
    sql.push('"');
    for c in ident.chars() {
        if c == '"' {
            sql.push('"');
        }
        sql.push(c);
    }
    sql.push('"');
}

/// `fields` entries may hold several comma-separated names (`"name, status"`), but not
/// inside parentheses.
fn split_fields(f: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in f.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// `frappe.client.get_count` / `frappe.db.count`.
pub fn count(
    tx: &mut SiteTx<'_>,
    doctype: &str,
    filters: &Value,
    ignore_permissions: bool,
) -> Result<i64> {
    let mut q = Query::new(doctype);
    q.fields = vec!["count(*) as count".into()];
    q.filters = filters.clone();
    q.ignore_permissions = ignore_permissions;
    q.order = Order::Unordered;
    let rows = get_list(tx, &q)?;
    Ok(rows
        .first()
        .and_then(|r| r.get("count"))
        .and_then(Value::as_i64)
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn filter_shapes_normalise_to_conditions() {
        let n = super::normalise(&json!({"status": "Open", "qty": [">", 3]})).unwrap();
        assert_eq!(n[0], (None, "status".into(), "=".into(), json!("Open")));
        assert_eq!(n[1], (None, "qty".into(), ">".into(), json!(3)));
        let n = super::normalise(&json!([
            ["ToDo", "status", "=", "Open"],
            ["priority", "in", ["High"]]
        ]))
        .unwrap();
        assert_eq!(n[0].0.as_deref(), Some("ToDo"));
        assert_eq!(n[1].2, "in");
        let n = super::normalise(&json!("[[\"status\",\"!=\",\"Closed\"]]")).unwrap();
        assert_eq!(n[0].2, "!=");
        let n = super::normalise(&json!("TODO-0001")).unwrap();
        assert_eq!(n[0], (None, "name".into(), "=".into(), json!("TODO-0001")));
    }

    #[test]
    fn fields_split_outside_parentheses() {
        assert_eq!(
            super::split_fields("name, count(distinct a, b) as n"),
            vec!["name", "count(distinct a, b) as n"]
        );
    }
}
