//! The names that reach the site: documents (`frappe.get_doc`, `new_doc`, `delete_doc`…),
//! queries (`frappe.get_all`, `frappe.db.get_value`, `exists`, `count`, `sql`…),
//! transactions, users, mail, logs, other scripts. Each parses its arguments the way
//! Frappe's function does and calls the [`Host`](crate::host::Host); the site does the
//! work. Without a site (`serverscript run`) each raises a clear NotImplementedError.

mod db;
mod docs;
mod http;
mod lists;
mod mapper;
mod session;

use crate::builtins::{Builtin, b};
use crate::ctx::{Ctx, PyResult};
use crate::host::{Json, JsonMap};
use crate::object::{int, str as pystr};
use crate::ops::call::Kwargs;
use crate::ops::convert::{self, JsonObjects};
use crate::ops::{self, truthy};
use crate::value::{Val, Value};

use db::*;
pub use docs::write_flags;
use docs::*;
use http::*;
use lists::*;
use mapper::*;
use session::*;

pub static TABLE: &[Builtin] = &[
    b("frappe.get_doc", get_doc),
    b("frappe.get_mapped_doc", get_mapped_doc),
    b("frappe.get_cached_doc", get_doc),
    b("frappe.new_doc", new_doc),
    b("frappe.get_last_doc", get_last_doc),
    b("frappe.copy_doc", copy_doc),
    b("frappe.delete_doc", delete_doc),
    b("frappe.rename_doc", rename_doc),
    b("frappe.get_meta", get_meta),
    b("frappe.get_list", get_list),
    b("frappe.get_all", get_all),
    b("frappe.db.get_list", get_list),
    b("frappe.db.get_all", get_all),
    b("frappe.db.get_value", db_get_value),
    b("frappe.db.set_value", db_set_value),
    b("frappe.db.get_single_value", db_get_single_value),
    b("frappe.db.exists", db_exists),
    b("frappe.db.count", db_count),
    b("frappe.db.sql", db_sql),
    b("frappe.db.commit", db_commit),
    b("frappe.db.rollback", db_rollback),
    b("frappe.db.add_index", db_add_index),
    b("frappe.db.escape", db_escape),
    b("frappe.get_roles", get_roles),
    b("frappe.has_permission", has_permission),
    b("frappe.get_fullname", get_fullname),
    b("frappe.log_error", log_error),
    b("frappe.sendmail", sendmail),
    b("frappe.call", call),
    b("run_script", run_script),
    b("frappe.enqueue", enqueue),
    b("frappe.make_get_request", make_get_request),
    b("frappe.make_post_request", make_post_request),
    b("frappe.make_put_request", make_put_request),
    b("frappe.make_patch_request", make_patch_request),
    b("frappe.make_delete_request", make_delete_request),
];

// ---------------------------------------------------------------------- conversions

/// A string argument (`doctype`, a field name): anything but a str is a TypeError.
pub(crate) fn str_arg(ctx: &mut Ctx, fname: &str, what: &str, v: Value) -> PyResult<String> {
    match pystr::as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => Err(ctx.type_error(format!(
            "{fname}(): {what} must be a string, not {}",
            ops::type_name(v)
        ))),
    }
}

/// A document name: a str, or an int Frappe would format (`frappe.get_doc("ToDo", 12)`).
pub(crate) fn name_arg(ctx: &mut Ctx, fname: &str, v: Value) -> PyResult<String> {
    if int::is_int(v) {
        return ops::repr::to_str(ctx, v);
    }
    str_arg(ctx, fname, "name", v)
}

pub(crate) fn opt(v: Option<Value>) -> Option<Value> {
    v.filter(|x| !x.is_none())
}

pub(crate) fn flag(v: Option<Value>) -> bool {
    v.is_some_and(truthy)
}

pub(crate) fn json(ctx: &mut Ctx, v: Value) -> PyResult<Json> {
    convert::to_json(ctx, v)
}

pub(crate) fn json_map(ctx: &mut Ctx, fname: &str, v: Value) -> PyResult<JsonMap> {
    match json(ctx, v)? {
        Json::Object(m) => Ok(m),
        _ => Err(ctx.type_error(format!(
            "{fname}(): expected a dict, not {}",
            ops::type_name(v)
        ))),
    }
}

/// A document value from the site's JSON.
pub fn doc_value(doc: impl Into<crate::host::StoredDoc>) -> Val {
    crate::object::doc::from_stored(doc.into())
}

/// A `_dict` (or list/scalar) from the site's JSON.
pub(crate) fn data_value(j: &Json) -> Val {
    convert::from_json(j, JsonObjects::AttrDict)
}

pub(crate) fn kwargs_map(ctx: &mut Ctx, kwargs: &Kwargs, skip: &[&str]) -> PyResult<JsonMap> {
    let mut out = JsonMap::new();
    for (k, v) in kwargs {
        if skip.contains(k) {
            continue;
        }
        out.insert((*k).to_string(), json(ctx, *v)?);
    }
    Ok(out)
}

/// Filters in the shapes Frappe accepts: a name (→ `{"name": name}`), a dict, a list.
pub(crate) fn filters_json(ctx: &mut Ctx, v: Value) -> PyResult<Json> {
    if pystr::as_str(v).is_some() || int::is_int(v) {
        let name = ops::repr::to_str(ctx, v)?;
        let mut m = JsonMap::new();
        m.insert("name".into(), Json::String(name));
        return Ok(Json::Object(m));
    }
    json(ctx, v)
}

pub(crate) fn kwarg<'a>(kwargs: &Kwargs<'a>, name: &str) -> Option<Value> {
    kwargs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
}
