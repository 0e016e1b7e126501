//! What shipped DocTypes do at their hook points (Frappe's controller classes): the
//! first step of every [`super::hooks::dispatch`].
//!
//! - DocType: checks the definition, keeps `tab<DocType>` in step (created, columns
//!   added), refuses to delete shipped DocTypes, drops the table of a deleted one.
//! - User: `full_name` from the name parts; Administrator and Guest cannot be deleted
//!   or disabled; a disabled user's sessions end.
//! - Role: standard roles cannot be deleted.

use serde_json::Value;

use super::Doc;
use super::hooks::{DocEvent, HookArgs};
use crate::error::{Error, Result};
use crate::meta::{Meta, builtin};
use crate::tx::SiteTx;

pub fn run(
    tx: &mut SiteTx<'_>,
    meta: &Meta,
    event: DocEvent,
    doc: &mut Doc,
    _args: &HookArgs,
) -> Result<()> {
    match meta.name.as_str() {
        "DocType" => doctype(tx, event, doc),
        "User" => user(tx, event, doc),
        "Role" => role(event, doc),
        crate::scripts::DOCTYPE if event == DocEvent::Validate => {
            crate::scripts::validate_script(tx, doc)
        }
        _ => Ok(()),
    }
}

fn is_shipped(name: &str) -> bool {
    builtin::SHIPPED.iter().any(|(n, _)| *n == name)
}

fn doctype(tx: &mut SiteTx<'_>, event: DocEvent, doc: &mut Doc) -> Result<()> {
    let name = super::doc_name(doc).to_string();
    match event {
        DocEvent::BeforeInsert => {
            // DocTypes made on a site are custom (there is no developer mode that exports them)
            doc.insert("custom".into(), 1.into());
            Ok(())
        }
        DocEvent::Validate => {
            if builtin::CORE.contains(&name.as_str()) {
                return Err(Error::validation(format!(
                    "DocType {name} describes DocTypes and cannot be changed"
                )));
            }
            let meta = Meta::from_doc(doc)?;
            for f in meta.table_fields() {
                let child = tx.meta(&f.options).map_err(|_| {
                    Error::validation(format!(
                        "Field {}: DocType {} does not exist",
                        f.fieldname, f.options
                    ))
                })?;
                if !child.istable {
                    return Err(Error::validation(format!(
                        "Field {}: {} is not a child table",
                        f.fieldname, f.options
                    )));
                }
            }
            Ok(())
        }
        DocEvent::OnUpdate => {
            let meta = Meta::from_doc(doc)?;
            crate::db::schema::sync_table(&tx.db, &meta)?;
            tx.meta_changed();
            Ok(())
        }
        DocEvent::OnTrash => {
            if is_shipped(&name) {
                return Err(Error::validation(format!(
                    "DocType {name} is shipped with the site and cannot be deleted"
                )));
            }
            Ok(())
        }
        DocEvent::AfterDelete => {
            tx.db
                .execute_batch(&format!("DROP TABLE IF EXISTS {}", crate::db::table(&name)))?;
            tx.meta_changed();
            Ok(())
        }
        _ => Ok(()),
    }
}

fn user(tx: &mut SiteTx<'_>, event: DocEvent, doc: &mut Doc) -> Result<()> {
    let name = super::doc_name(doc).to_string();
    match event {
        DocEvent::BeforeInsert | DocEvent::BeforeValidate => {
            if let Some(Value::String(e)) = doc.get("email") {
                let e = e.trim().to_lowercase();
                let plausible = e.contains('@') && !e.starts_with('@') && !e.ends_with('@');
                if !e.is_empty() && !plausible {
                    return Err(Error::throw(
                        "InvalidEmailAddressError",
                        format!("{e} is not a valid Email Address"),
                    ));
                }
                doc.insert("email".into(), e.into());
            }
            Ok(())
        }
        DocEvent::Validate => {
            let full_name: Vec<&str> = ["first_name", "middle_name", "last_name"]
                .iter()
                .filter_map(|k| doc.get(*k).and_then(Value::as_str))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let full_name = full_name.join(" ");
            doc.insert("full_name".into(), full_name.into());
            if !is_enabled(doc.get("enabled")) && (name == "Administrator" || name == "Guest") {
                return Err(Error::validation(format!("User {name} cannot be disabled")));
            }
            Ok(())
        }
        // a disabled user is signed out everywhere (Frappe's check_enable_disable)
        DocEvent::OnUpdate if !is_enabled(doc.get("enabled")) => {
            crate::auth::end_sessions_of(tx, &name)
        }
        DocEvent::OnTrash => {
            if name == "Administrator" || name == "Guest" {
                return Err(Error::throw(
                    "PermissionError",
                    format!("User {name} cannot be deleted"),
                ));
            }
            crate::auth::end_sessions_of(tx, &name)?;
            Ok(())
        }
        DocEvent::BeforeRename => {
            if name == "Administrator" || name == "Guest" {
                return Err(Error::throw(
                    "PermissionError",
                    format!("User {name} cannot be renamed"),
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether a User's `enabled` holds a true value (a Check: 1, `true`, `"1"`).
pub fn is_enabled(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => s.trim().parse::<f64>().is_ok_and(|f| f != 0.0),
        _ => false,
    }
}

fn role(event: DocEvent, doc: &mut Doc) -> Result<()> {
    let name = super::doc_name(doc);
    if matches!(event, DocEvent::OnTrash | DocEvent::BeforeRename)
        && crate::site::STANDARD_ROLES.contains(&name)
    {
        return Err(Error::throw(
            "PermissionError",
            format!("Standard role {name} cannot be deleted or renamed"),
        ));
    }
    Ok(())
}
