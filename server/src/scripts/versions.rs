//! A Server Script's history: its Versions, and the unified diff between any two (the
//! seed's "Compare Versions"). Served as `serverscript.versions` and `serverscript.diff`
//! in the method table.

use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::meta::PermType;
use crate::model::{lifecycle, perm};
use crate::tx::SiteTx;

/// The script's versions, newest first: `[{name, creation, owner}]`.
pub fn list(tx: &mut SiteTx<'_>, script: &str) -> Result<Value> {
    let meta = tx.meta(super::DOCTYPE)?;
    let doc = lifecycle::get(tx, super::DOCTYPE, script, false)?;
    perm::check(tx, &meta, PermType::Read, Some(&doc))?;
    let mut stmt = tx.db.prepare_cached(
        "SELECT name, creation, owner FROM \"tabVersion\" WHERE ref_doctype = ?1 AND docname = ?2 \
         ORDER BY creation DESC, rowid DESC",
    )?;
    let rows = stmt
        .query_map([super::DOCTYPE, script], |r| {
            Ok(json!({"name": r.get::<_, String>(0)?, "creation": r.get::<_, Option<String>>(1)?, "owner": r.get::<_, Option<String>>(2)?}))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Value::Array(rows))
}

fn text_of(tx: &SiteTx<'_>, script: &str, version: &str) -> Result<String> {
    let data: Option<String> = tx
        .db
        .query_row(
            "SELECT data FROM \"tabVersion\" WHERE name = ?1 AND ref_doctype = ?2 AND docname = ?3",
            [version, super::DOCTYPE, script],
            |r| r.get(0),
        )
        .map_err(|_| Error::not_found("Version", version))?;
    let data: Value = serde_json::from_str(data.as_deref().unwrap_or("{}")).unwrap_or(Value::Null);
    Ok(data
        .get("script")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string())
}

/// The unified diff of the script between two of its versions (default: the two newest).
pub fn diff(
    tx: &mut SiteTx<'_>,
    script: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Value> {
    let versions = list(tx, script)?;
    let names: Vec<String> = versions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["name"].as_str().map(str::to_string))
        .collect();
    let to = match to {
        Some(t) => t.to_string(),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::validation(format!("Server Script {script} has no versions")))?,
    };
    let from = match from {
        Some(f) => f.to_string(),
        None => names
            .iter()
            .skip_while(|n| **n != to)
            .nth(1)
            .cloned()
            .ok_or_else(|| {
                Error::validation(format!("Server Script {script} has no version before {to}"))
            })?,
    };
    let (a, b) = (text_of(tx, script, &from)?, text_of(tx, script, &to)?);
    let diff = similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{script} @ {from}"), &format!("{script} @ {to}"))
        .to_string();
    Ok(json!({"from": from, "to": to, "diff": diff}))
}
