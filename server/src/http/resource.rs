//! `/api/resource/<DocType>` (list, create) and `/api/resource/<DocType>/<name>` (read,
//! update, delete), as v1 answers them (§5.1, §5.7).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};
use serverscript_runtime::host::WriteFlags;

use super::request::{Req, parse_json};
use super::response::Reply;
use super::{AppState, run};
use crate::error::{Error, Result};
use crate::model::query::{self, Order, Query};
use crate::model::{lifecycle, store};
use crate::tx::SiteTx;

/// Frappe's default page length for lists over REST.
pub const DEFAULT_PAGE_LENGTH: usize = 20;

/// `fields`: a JSON list, `["*"]`, the JSON string `"*"`, or a plain field name.
pub fn fields_arg(v: Value) -> Result<Vec<String>> {
    Ok(match parse_json(v) {
        Value::Null => vec!["name".into()],
        Value::String(s) if s.trim().is_empty() => vec!["name".into()],
        Value::String(s) => vec![s],
        Value::Array(a) => a
            .into_iter()
            .map(|f| match f {
                Value::String(s) => Ok(s),
                other => Err(Error::throw(
                    "DataError",
                    format!("Field not permitted in query: {other}"),
                )),
            })
            .collect::<Result<_>>()?,
        other => {
            return Err(Error::throw(
                "DataError",
                format!("Invalid fields: {other}"),
            ));
        }
    })
}

/// A paging argument (`limit_start`, `limit`, `limit_page_length`): a non-negative
/// number — an integer, or a decimal Frappe's `cint` would truncate (`2.9` is 2, `1e3`
/// is 1000). Anything else (text, a negative, `inf`, `NaN`) is a ValidationError (417)
/// rather than Frappe's silent 0, which for a page length would mean "every row". A
/// huge value is clamped to [`query::MAX_ROWS`], never overflows.
pub fn paging_arg(key: &str, raw: &str) -> Result<Option<usize>> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        Error::validation(format!(
            "{key} must be a whole number of rows, 0 or more, not {raw:?}"
        ))
    };
    if let Ok(n) = s.parse::<u128>() {
        return Ok(Some(n.min(query::MAX_ROWS as u128) as usize));
    }
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() && f >= 0.0 => {
            Ok(Some((f as u128).min(query::MAX_ROWS as u128) as usize))
        }
        _ if s.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(query::MAX_ROWS)),
        _ => Err(invalid()),
    }
}

fn usize_arg(req: &Req, key: &str) -> Result<Option<usize>> {
    match req.arg(key) {
        None => Ok(None),
        Some(s) => paging_arg(key, &s),
    }
}

/// The list query of a request (shared by `frappe.client.get_list`).
pub fn list_query(req: &Req, doctype: &str) -> Result<Query> {
    let mut q = Query::new(doctype);
    q.fields = fields_arg(req.form.get("fields").cloned().unwrap_or(Value::Null))?;
    q.filters = req.json_arg("filters");
    q.or_filters = req.json_arg("or_filters");
    q.order = match req.arg("order_by") {
        None => Order::Unordered,
        Some(s) if s.trim().is_empty() => Order::Default,
        Some(s) => Order::By(s),
    };
    q.group_by = req.arg("group_by").filter(|g| !g.trim().is_empty());
    q.start = usize_arg(req, "limit_start")?.unwrap_or(0);
    let page = match usize_arg(req, "limit")? {
        Some(n) => Some(n),
        None => usize_arg(req, "limit_page_length")?,
    };
    q.limit = match page {
        None => Some(DEFAULT_PAGE_LENGTH),
        Some(0) => None,
        Some(n) => Some(n),
    };
    q.as_dict = req.flag("as_dict", true);
    Ok(q)
}

/// The document a create or update sends: `data=<json>` or the form_dict itself.
fn body_doc(req: &Req) -> Result<Map<String, Value>> {
    let mut doc = match req.form.get("data").cloned().map(parse_json) {
        Some(Value::Object(m)) => m,
        Some(other) if !other.is_null() => {
            return Err(Error::validation(format!(
                "data must be a JSON object, not {other}"
            )));
        }
        _ => {
            let mut m = req.form.clone();
            for k in ["cmd", "sid", "csrf_token"] {
                m.remove(k);
            }
            m
        }
    };
    doc.remove("doctype");
    Ok(doc)
}

/// A document as responses carry it (its DocType's fields, no nulls, child tables).
pub fn response_doc(tx: &mut SiteTx<'_>, doc: &Map<String, Value>) -> Result<Value> {
    let doctype = doc
        .get("doctype")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let meta = tx.meta(&doctype)?;
    Ok(Value::Object(store::as_response(tx, &meta, doc)?))
}

pub async fn list(
    State(state): State<AppState>,
    Path(doctype): Path<String>,
    req: Req,
) -> Response {
    run(state, req, move |tx, req, _| {
        let q = list_query(req, &doctype)?;
        Ok(Reply::data(Value::Array(crate::model::query::get_list(
            tx, &q,
        )?)))
    })
    .await
}

pub async fn create(
    State(state): State<AppState>,
    Path(doctype): Path<String>,
    req: Req,
) -> Response {
    run(state, req, move |tx, req, _| {
        let mut doc = body_doc(req)?;
        doc.insert("doctype".into(), doctype.clone().into());
        let doc = lifecycle::insert(tx, doc, &WriteFlags::default())?;
        Ok(Reply::data(response_doc(tx, &doc)?))
    })
    .await
}

pub async fn read_doc(
    State(state): State<AppState>,
    Path((doctype, name)): Path<(String, String)>,
    req: Req,
) -> Response {
    run(state, req, move |tx, _, _| {
        let doc = lifecycle::get(tx, &doctype, &name, true)?;
        Ok(Reply::data(response_doc(tx, &doc)?))
    })
    .await
}

pub async fn update(
    State(state): State<AppState>,
    Path((doctype, name)): Path<(String, String)>,
    req: Req,
) -> Response {
    run(state, req, move |tx, req, _| {
        let data = body_doc(req)?;
        let doc = lifecycle::update(tx, &doctype, &name, data, &WriteFlags::default())?;
        Ok(Reply::data(response_doc(tx, &doc)?))
    })
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    Path((doctype, name)): Path<(String, String)>,
    req: Req,
) -> Response {
    run(state, req, move |tx, _, _| {
        lifecycle::delete(tx, &doctype, &name, &WriteFlags::default(), false)?;
        Ok(Reply::data("ok".into()).with_status(StatusCode::ACCEPTED))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::paging_arg;
    use crate::model::query::MAX_ROWS;

    #[test]
    fn paging_arguments_are_whole_non_negative_numbers_clamped() {
        let ok = |s: &str| paging_arg("limit", s).unwrap();
        assert_eq!(ok(""), None);
        assert_eq!(ok(" 20 "), Some(20));
        assert_eq!(ok("0"), Some(0));
        assert_eq!(ok("2.9"), Some(2), "truncated as cint");
        assert_eq!(ok("1e3"), Some(1000));
        assert_eq!(ok("1e30"), Some(MAX_ROWS));
        assert_eq!(ok("99999999999999999999"), Some(MAX_ROWS));
        assert_eq!(ok(&"9".repeat(400)), Some(MAX_ROWS));
        for bad in [
            "-5", "-0.5", "abc", "inf", "NaN", "1e400", "0x10", "5 rows", "-1e30",
        ] {
            let e = paging_arg("limit_start", bad).unwrap_err();
            assert_eq!(
                (e.exc_type.as_str(), e.status()),
                ("ValidationError", 417),
                "{bad}"
            );
        }
    }
}
