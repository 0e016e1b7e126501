//! Document methods that read or write the site: `insert`, `save`, `submit`, `cancel`,
//! `delete`, `reload`, `db_set`, `add_comment`, and the ones that compare with the stored
//! version (`get_doc_before_save`, `has_value_changed`). Each sends the document to the
//! [`Host`](crate::host::Host) as JSON and takes back what the site stored (name,
//! timestamps, defaults), so the script's object reflects the database afterwards.

use crate::builtins::args::parse;
use crate::builtins::site::{doc_value, write_flags};
use crate::ctx::{Ctx, PyResult};
use crate::host::{Json, JsonMap, WriteFlags};
use crate::object::{dict, doc, str as pystr};
use crate::ops::call::Kwargs;
use crate::ops::convert;
use crate::ops::{self, truthy};
use crate::value::{Val, Value};

/// Whether `name` is one of the methods here.
pub fn has(name: &str) -> bool {
    matches!(
        name,
        "insert"
            | "save"
            | "submit"
            | "cancel"
            | "delete"
            | "reload"
            | "db_set"
            | "add_comment"
            | "get_doc_before_save"
            | "has_value_changed"
    )
}

fn doc_json(ctx: &mut Ctx, obj: Value) -> PyResult<JsonMap> {
    match convert::to_json(ctx, obj)? {
        Json::Object(m) => Ok(m),
        _ => Err(ctx.type_error("a document converts to a JSON object")),
    }
}

/// Replaces the object's fields with what the site stored.
fn refresh(obj: Value, stored: impl Into<crate::host::StoredDoc>) {
    let fresh = doc_value(stored);
    doc::get(obj)
        .unwrap()
        .replace_with(doc::get(fresh.v()).unwrap());
}

fn ident(ctx: &mut Ctx, d: &doc::DocObj, what: &str) -> PyResult<(String, String)> {
    let doctype = pystr::as_str(d.field("doctype").v()).map(str::to_string);
    let name = d.field("name");
    match (doctype, pystr::as_str(name.v())) {
        (Some(dt), Some(n)) => Ok((dt, n.to_string())),
        (None, _) => Err(ctx.value_error(format!("doc.{what}(): the document has no doctype"))),
        (_, None) => Err(ctx.value_error(format!(
            "doc.{what}(): the document has no name (insert it first)"
        ))),
    }
}

/// The stored version: the one this document's last save from the script replaced,
/// else the event's stored version when `obj` is the running DocType Event's document.
fn before_save(ctx: &Ctx, obj: Value) -> Option<Val> {
    if let Some(b) = doc::get(obj).and_then(|d| d.before_save.borrow().clone()) {
        return Some(b);
    }
    match (&ctx.doc, &ctx.doc_before_save) {
        (Some(d), Some(b)) if d.v() == obj => Some(b.clone()),
        _ => None,
    }
}

/// `doc.insert(...)`/`doc.save(...)`/… keyword options, plus `doc.flags.ignore_*`.
fn flags_for(ctx: &mut Ctx, d: &doc::DocObj, kwargs: &Kwargs) -> WriteFlags {
    let mut f = write_flags(ctx, kwargs);
    if let Some(flags) = d.flags.borrow().as_ref() {
        let get = |name: &str| {
            dict::get(flags.v()).is_some_and(|m| {
                m.map
                    .borrow()
                    .iter()
                    .any(|(k, v)| pystr::as_str(k.key.v()) == Some(name) && truthy(v.v()))
            })
        };
        f.ignore_permissions |= get("ignore_permissions");
        f.ignore_mandatory |= get("ignore_mandatory");
        f.ignore_links |= get("ignore_links");
        f.ignore_validate |= get("ignore_validate");
    }
    f
}

fn is_local(map: &JsonMap) -> bool {
    map.get("__islocal")
        .is_some_and(|v| !v.is_null() && v != &Json::from(0) && v != &Json::Bool(false))
}

pub fn call(ctx: &mut Ctx, obj: Value, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let d = doc::get(obj).unwrap();
    match name {
        "insert" | "save" | "submit" | "cancel" => {
            // options are keywords (`ignore_permissions=True`); positional ones are
            // accepted and ignored like Frappe's rarely used extras
            let flags = flags_for(ctx, d, kwargs);
            let map = doc_json(ctx, obj)?;
            // Frappe loads the stored version before writing (`get_doc_before_save()`)
            let stored_before = if name != "insert" && !is_local(&map) {
                match (
                    map.get("doctype").and_then(Json::as_str),
                    map.get("name").and_then(Json::as_str),
                ) {
                    (Some(dt), Some(n)) if !n.is_empty() => {
                        let (dt, n) = (dt.to_string(), n.to_string());
                        // not stored yet (the save inserts it): no earlier version
                        ctx.host_call("doc.save", |h| Ok(h.get_doc(&dt, &n).ok()))?
                            .map(doc_value)
                    }
                    _ => None,
                }
            } else {
                None
            };
            let what = format!("doc.{name}");
            let stored = ctx.host_call(&what, |h| match name {
                "insert" => h.insert(map, &flags),
                "save" => h.save(map, &flags),
                "submit" => h.submit(map, &flags),
                _ => h.cancel(map, &flags),
            })?;
            let _ = args;
            refresh(obj, stored);
            *d.before_save.borrow_mut() = stored_before;
            Ok(Val::new_ref(obj))
        }
        "delete" => {
            let flags = flags_for(ctx, d, kwargs);
            let (doctype, n) = ident(ctx, d, "delete")?;
            ctx.host_call("doc.delete", |h| h.delete_doc(&doctype, &n, &flags))?;
            Ok(Val::NONE)
        }
        "reload" => {
            parse::<0>(ctx, "reload", [], 0, args, kwargs)?;
            let (doctype, n) = ident(ctx, d, "reload")?;
            let stored = ctx.host_call("doc.reload", |h| h.get_doc(&doctype, &n))?;
            refresh(obj, stored);
            Ok(Val::NONE)
        }
        "db_set" => {
            let [fieldname, value, update_modified, _notify, _commit] = parse(
                ctx,
                "db_set",
                ["fieldname", "value", "update_modified", "notify", "commit"],
                1,
                args,
                kwargs,
            )?;
            let fieldname = fieldname.unwrap();
            let mut values = JsonMap::new();
            if let Some(m) = dict::get(fieldname) {
                let entries: Vec<(Val, Val)> = m
                    .map
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.key.clone(), v.clone()))
                    .collect();
                for (k, v) in entries {
                    let key = ops::repr::to_str(ctx, k.v())?;
                    values.insert(key.clone(), convert::to_json(ctx, v.v())?);
                    d.set_field(&key, v);
                }
            } else {
                let Some(key) = pystr::as_str(fieldname).map(str::to_string) else {
                    return Err(ctx.type_error("db_set(): fieldname must be a string or a dict"));
                };
                let v = value.unwrap_or(Value::NONE);
                values.insert(key.clone(), convert::to_json(ctx, v)?);
                d.set_field(&key, Val::new_ref(v));
            }
            let flags = WriteFlags {
                skip_modified: update_modified.is_some_and(|u| !truthy(u)),
                ..WriteFlags::default()
            };
            let (doctype, n) = ident(ctx, d, "db_set")?;
            ctx.host_call("doc.db_set", |h| h.set_value(&doctype, &n, &values, &flags))?;
            Ok(Val::NONE)
        }
        "add_comment" => {
            let [comment_type, text, comment_email, comment_by] = parse(
                ctx,
                "add_comment",
                ["comment_type", "text", "comment_email", "comment_by"],
                0,
                args,
                kwargs,
            )?;
            let (doctype, n) = ident(ctx, d, "add_comment")?;
            let s = |ctx: &mut Ctx, v: Option<Value>| -> PyResult<Json> {
                match v.filter(|x| !x.is_none()) {
                    Some(x) => Ok(Json::String(ops::repr::to_str(ctx, x)?)),
                    None => Ok(Json::Null),
                }
            };
            let mut c = JsonMap::new();
            c.insert("doctype".into(), Json::from("Comment"));
            let ct = s(ctx, comment_type)?;
            c.insert(
                "comment_type".into(),
                if ct.is_null() {
                    Json::from("Comment")
                } else {
                    ct
                },
            );
            c.insert("reference_doctype".into(), Json::from(doctype));
            c.insert("reference_name".into(), Json::from(n));
            let content = s(ctx, text)?;
            c.insert("content".into(), content);
            let email = s(ctx, comment_email)?;
            c.insert(
                "comment_email".into(),
                if email.is_null() {
                    Json::from(ctx.user.clone())
                } else {
                    email
                },
            );
            let by = s(ctx, comment_by)?;
            c.insert("comment_by".into(), by);
            c.insert("__islocal".into(), Json::from(1));
            let flags = WriteFlags {
                ignore_permissions: true,
                ..WriteFlags::default()
            };
            let stored = ctx.host_call("doc.add_comment", |h| h.insert(c, &flags))?;
            Ok(doc_value(stored))
        }
        "get_doc_before_save" => {
            parse::<0>(ctx, "get_doc_before_save", [], 0, args, kwargs)?;
            Ok(before_save(ctx, obj).unwrap_or(Val::NONE))
        }
        "has_value_changed" => {
            let [fieldname] = parse(ctx, "has_value_changed", ["fieldname"], 1, args, kwargs)?;
            let Some(field) = pystr::as_str(fieldname.unwrap()).map(str::to_string) else {
                return Err(ctx.type_error("has_value_changed(): fieldname must be a string"));
            };
            let Some(before) = before_save(ctx, obj) else {
                // nothing stored before (a new document): every value is a change
                return Ok(Val::TRUE);
            };
            let old = doc::get(before.v())
                .map(|b| b.field(&field))
                .unwrap_or(Val::NONE);
            let new = d.field(&field);
            let same = ops::compare::eq(ctx, old.v(), new.v())?;
            Ok(Val::bool(!same))
        }
        _ => unreachable!("doc_site::has checked the name"),
    }
}
