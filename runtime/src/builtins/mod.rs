//! Builtin functions, types and namespaces: the implementations behind the names in
//! `surface.rs`. **Adding a function is one entry in its module's `TABLE`**: the dotted
//! path scripts write (`frappe.utils.flt`) and a Rust function. [`BUILTINS`] concatenates
//! the tables; the compiler binds each path to its entry at compile time, and at run time
//! a builtin is a static immediate holding its index.

pub mod args;
pub mod dates;
pub mod filters;
pub mod format_value;
pub mod frappe;
pub mod json;
pub mod markup;
pub mod misc;
pub mod py;
pub mod site;
pub mod template;
pub mod text;
pub mod utils_more;
pub mod web;
pub mod words;

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::ctx::{Ctx, PyResult};
use crate::object::{dict, exc, str as pystr};
use crate::ops::call::Kwargs;
use crate::value::{StaticKind, Val, Value};

pub type Func = fn(&mut Ctx, &[Value], &Kwargs) -> PyResult;

pub struct Builtin {
    /// The dotted path scripts use (`len`, `frappe.utils.flt`, `json.loads`).
    pub path: &'static str,
    pub func: Func,
}

pub(crate) const fn b(path: &'static str, func: Func) -> Builtin {
    Builtin { path, func }
}

/// Every builtin function: the tables of the modules below, concatenated. Index = id
/// (stable within a build).
pub static BUILTINS: LazyLock<Vec<&'static Builtin>> = LazyLock::new(|| {
    [
        py::TABLE,
        frappe::TABLE,
        dates::TABLE,
        text::TABLE,
        template::TABLE,
        format_value::TABLE,
        words::TABLE,
        misc::TABLE,
        filters::TABLE,
        json::TABLE,
        site::TABLE,
        utils_more::TABLE,
        web::TABLE,
    ]
    .into_iter()
    .flatten()
    .collect()
});

static BY_PATH: LazyLock<HashMap<&'static str, u32>> = LazyLock::new(|| {
    BUILTINS
        .iter()
        .enumerate()
        .map(|(i, b)| (b.path, i as u32))
        .collect()
});

/// The id of a builtin by dotted path.
pub fn builtin_id(path: &str) -> Option<u32> {
    BY_PATH.get(path).copied()
}

pub fn builtin_value(path: &str) -> Option<Value> {
    builtin_id(path).map(|id| Value::new_static(StaticKind::Builtin, id))
}

pub fn call_builtin(ctx: &mut Ctx, id: u32, args: &[Value], kwargs: &Kwargs) -> PyResult {
    (BUILTINS[id as usize].func)(ctx, args, kwargs)
}

/// `flt` for `frappe.utils.flt` (what `repr` shows).
pub fn short_name(id: u32) -> &'static str {
    let path = BUILTINS[id as usize].path;
    path.rsplit('.').next().unwrap_or(path)
}

// ---------------------------------------------------------------------- types

/// Builtin types: callable constructors and `isinstance` targets.
pub static TYPES: &[&str] = &[
    "int",
    "float",
    "str",
    "bool",
    "list",
    "tuple",
    "dict",
    "set",
    "frozenset",
    "range",
    "_dict",
    "slice",
    "object",
];

pub fn type_id(name: &str) -> Option<u32> {
    TYPES.iter().position(|t| *t == name).map(|i| i as u32)
}

pub fn type_value(name: &str) -> Option<Value> {
    type_id(name).map(|id| Value::new_static(StaticKind::Type, id))
}

pub fn type_name_of(id: u32) -> &'static str {
    TYPES.get(id as usize).copied().unwrap_or("type")
}

pub fn call_type(ctx: &mut Ctx, id: u32, args: &[Value], kwargs: &Kwargs) -> PyResult {
    py::construct(ctx, type_name_of(id), args, kwargs)
}

// ---------------------------------------------------------------------- namespaces

/// Namespace objects: `frappe`, its sub-namespaces, `json`.
pub static NAMESPACES: &[&str] = &[
    "frappe",
    "frappe.db",
    "frappe.utils",
    "json",
    "frappe.website",
    "frappe.qb",
];

pub fn namespace_id(path: &str) -> Option<u32> {
    NAMESPACES.iter().position(|n| *n == path).map(|i| i as u32)
}

pub fn namespace_value(path: &str) -> Option<Value> {
    namespace_id(path).map(|id| Value::new_static(StaticKind::Namespace, id))
}

pub fn namespace_name(id: u32) -> &'static str {
    NAMESPACES.get(id as usize).copied().unwrap_or("module")
}

/// The value a sandbox path names at run time (`frappe.response`, `frappe.utils.flt`,
/// `frappe.ValidationError`, `frappe.db`), or `None` if the sandbox has no such name.
pub fn surface_value(ctx: &mut Ctx, path: &str) -> PyResult<Option<Val>> {
    if let Some(v) = builtin_value(path) {
        return Ok(Some(Val::new_ref(v)));
    }
    if let Some(v) = namespace_value(path) {
        return Ok(Some(Val::new_ref(v)));
    }
    if path == "_dict" || path == "frappe._dict" {
        return Ok(Some(Val::new_ref(type_value("_dict").expect("_dict type"))));
    }
    if let Some(name) = path.strip_prefix("frappe.")
        && let Some(id) = exc::class_id(&format!("frappe.{name}"))
    {
        return Ok(Some(Val::new_ref(exc::class_value(id))));
    }
    Ok(match path {
        "frappe.response" => Some(ctx.response.clone()),
        "frappe.flags" => Some(ctx.flags.clone()),
        "frappe.form_dict" | "args" => Some(ctx.form_dict.clone()),
        "frappe.session" => {
            let user = frappe::session_user(ctx);
            Some(crate::ops::convert::attr_dict(
                ctx,
                &[("user", user), ("csrf_token", pystr::new(""))],
            )?)
        }
        "frappe.user" => Some(frappe::session_user(ctx)),
        "frappe.lang" => Some(pystr::new("en")),
        "frappe.date_format" => Some(pystr::new("yyyy-mm-dd")),
        "frappe.time_format" => Some(pystr::new("HH:mm:ss")),
        "style" => Some(crate::ops::convert::attr_dict(
            ctx,
            &[("border_color", pystr::new("#d1d8dd"))],
        )?),
        "dev_server" => Some(Val::int(0)),
        "frappe.utils.DATE_FORMAT" => Some(pystr::new(dates::DATE_FORMAT)),
        "frappe.utils.TIME_FORMAT" => Some(pystr::new(dates::TIME_FORMAT)),
        "frappe.utils.DATETIME_FORMAT" => Some(pystr::new(dates::DATETIME_FORMAT)),
        "frappe.request" => Some(text::request_value(ctx)?),
        _ => None,
    })
}

/// `namespace.name` at run time.
pub fn namespace_attr(ctx: &mut Ctx, id: u32, name: &str) -> PyResult {
    let ns = namespace_name(id);
    let path = format!("{ns}.{name}");
    // Frappe removes commit/rollback/add_index from DocType Event scripts
    if !crate::surface::available_in(&path, ctx.script_type) {
        return Err(ctx.attribute_error(format!("module has no attribute '{name}'")));
    }
    if let Some(v) = surface_value(ctx, &path)? {
        return Ok(v);
    }
    if ns == "frappe.utils" {
        // frappe.utils is a `_dict` in Frappe: unknown names read as None
        return Ok(Val::NONE);
    }
    if crate::surface::lookup(&path).is_some() {
        // part of Frappe's sandbox, not of this build yet: say so
        return Err(ctx.raise_new(
            *exc::ids::NOT_IMPLEMENTED_ERROR,
            format!("{path} is not available in serverscript yet"),
        ));
    }
    Err(ctx.attribute_error(format!("module has no attribute '{name}'")))
}

/// `frappe.flags = …`, `frappe.response = …`, `frappe.form_dict = …`.
pub fn namespace_setattr(ctx: &mut Ctx, id: u32, name: &str, value: Value) -> PyResult<()> {
    match (namespace_name(id), name) {
        ("frappe", "flags") => ctx.flags = Val::new_ref(value),
        ("frappe", "response") => ctx.response = Val::new_ref(value),
        ("frappe", "form_dict") => ctx.form_dict = Val::new_ref(value),
        (ns, _) => {
            return Err(ctx.type_error(format!("cannot set attribute '{name}' of module '{ns}'")));
        }
    }
    Ok(())
}

/// Whether `frappe.flags` still is the fresh empty `_dict` of the run (Frappe's rule for
/// API results: a non-empty flags object replaces `message`).
pub fn flags_are_empty(ctx: &Ctx) -> bool {
    dict::get(ctx.flags.v()).is_some_and(|d| d.attr && d.is_empty())
}
