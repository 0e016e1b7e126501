//! Versions: a DocType with `track_changes` gets a Version document for every save that
//! changes a field (`data` = `{"changed": [[field, old, new], ...]}`, as Frappe writes
//! it). Server Scripts also get one when created, and every Version of a script carries
//! its whole text under `script`, so any two versions can be compared
//! ([`crate::scripts::versions`]).

use serde_json::{Map, Value, json};

use super::Doc;
use crate::error::Result;
use crate::meta::Meta;
use crate::tx::SiteTx;

fn changed(meta: &Meta, before: Option<&Doc>, after: &Doc) -> Vec<Value> {
    let mut out = Vec::new();
    for f in meta.data_fields() {
        if f.fieldtype == crate::meta::FieldType::Password {
            continue;
        }
        let old = before
            .and_then(|b| b.get(&f.fieldname))
            .unwrap_or(&Value::Null);
        let new = after.get(&f.fieldname).unwrap_or(&Value::Null);
        let empty = |v: &Value| v.is_null() || v.as_str() == Some("");
        if old != new && !(empty(old) && empty(new)) {
            out.push(json!([f.fieldname, old, new]));
        }
    }
    out
}

/// Writes the Version of a save (or of a Server Script's creation, `before` = None).
pub fn record(tx: &mut SiteTx<'_>, meta: &Meta, before: Option<&Doc>, after: &Doc) -> Result<()> {
    let is_script = meta.name == crate::scripts::DOCTYPE;
    if !(meta.track_changes && (before.is_some() || is_script)) {
        return Ok(());
    }
    let changes = changed(meta, before, after);
    if changes.is_empty() && before.is_some() {
        return Ok(());
    }
    let mut data = Map::new();
    data.insert("changed".into(), Value::Array(changes));
    if is_script {
        data.insert(
            "script".into(),
            after.get("script").cloned().unwrap_or(Value::Null),
        );
    }
    let mut version = Map::new();
    version.insert("doctype".into(), "Version".into());
    version.insert("name".into(), super::naming::random_hash().into());
    version.insert("ref_doctype".into(), meta.name.clone().into());
    version.insert("docname".into(), super::doc_name(after).into());
    version.insert(
        "data".into(),
        Value::String(serde_json::to_string(&Value::Object(data)).expect("JSON")),
    );
    tx.insert_raw(&mut version)
}
