//! Documents: stored as rows of `tab<DocType>` (children in their own tables), handled as
//! JSON objects in the shape Frappe's REST API returns.
//!
//! - [`store`]: rows ↔ JSON; [`values`]: defaults and type coercion;
//! - [`naming`]: `hash`, `field:x`, `Prompt`, series; [`validate`]: mandatory, links,
//!   selects, lengths; [`perm`]: roles and DocPerm rules;
//! - [`lifecycle`]: insert / save / submit / cancel / update after submit / delete /
//!   rename in Frappe's order, each hook through [`hooks::dispatch`];
//! - [`controllers`]: what shipped DocTypes do at their hooks; [`query`]: list queries.

pub mod controllers;
pub mod hooks;
pub mod lifecycle;
pub mod naming;
pub mod perm;
pub mod query;
pub mod store;
pub mod validate;
pub mod values;
pub mod version;

use serde_json::{Map, Value};

pub type Doc = Map<String, Value>;

/// Now, as Frappe stores datetimes: `2024-01-31 10:20:30.123456`, in the server's zone
/// (sessions and other records outside any site's documents; documents are stamped in
/// the site's time zone by [`SiteTx::now`](crate::tx::SiteTx::now)).
pub fn now() -> String {
    stamp(jiff::Zoned::now().datetime())
}

/// A datetime as Frappe stores it.
pub fn stamp(dt: jiff::civil::DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1000
    )
}

pub fn get_str<'a>(doc: &'a Doc, key: &str) -> Option<&'a str> {
    doc.get(key).and_then(Value::as_str)
}

pub fn doc_name(doc: &Doc) -> &str {
    get_str(doc, "name").unwrap_or("")
}

pub fn docstatus(doc: &Doc) -> i64 {
    match doc.get("docstatus") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        Some(Value::Bool(b)) => *b as i64,
        _ => 0,
    }
}
