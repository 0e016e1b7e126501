//! Document methods that need no database: `get`, `set`, `append`, `as_dict`, `update`,
//! `is_new`, `get_formatted`… Methods that read or write the site (`save`, `insert`,
//! `reload`, `db_set`…) are in `doc_site.rs`.

use crate::builtins::args::parse;
use crate::ctx::{Ctx, PyResult};
use crate::object::{dict, doc, exc, list, str as pystr};
use crate::ops::call::Kwargs;
use crate::ops::compare::hkey;
use crate::ops::{self, iter};
use crate::value::{Val, Value};

pub const NAMES: &[&str] = &[
    "get",
    "set",
    "append",
    "as_dict",
    "update",
    "is_new",
    "get_formatted",
    // need the site
    "insert",
    "save",
    "submit",
    "cancel",
    "delete",
    "reload",
    "db_set",
    "add_comment",
    "has_value_changed",
    "get_doc_before_save",
    "run_method",
    "notify_update",
];

fn child_doc(ctx: &mut Ctx, parent: &doc::DocObj, table: &str, row: Value) -> PyResult {
    // an existing document is appended as it is
    let mut fields = if doc::get(row).is_some() {
        return Ok(Val::new_ref(row));
    } else if let Some(d) = dict::get(row) {
        let entries: Vec<(Val, Val)> = d
            .map
            .borrow()
            .iter()
            .map(|(k, v)| (k.key.clone(), v.clone()))
            .collect();
        let mut fields = doc::Fields::default();
        for (k, v) in entries {
            let key = match pystr::as_str(k.v()) {
                Some(s) => s.to_string(),
                None => crate::ops::repr::to_str(ctx, k.v())?,
            };
            fields.insert(key.into(), v);
        }
        fields
    } else if row.is_none() {
        doc::Fields::default()
    } else {
        return Err(ctx.value_error(format!("Document for field \"{table}\" attached to child table must be a dict or BaseDocument, not {}", ops::type_name(row))));
    };
    let parent_name = parent.field("name");
    let parent_doctype = parent.field("doctype");
    fields
        .entry("parentfield".into())
        .or_insert_with(|| pystr::new(table));
    fields.entry("parenttype".into()).or_insert(parent_doctype);
    fields.entry("parent".into()).or_insert(parent_name);
    fields.entry("docstatus".into()).or_insert(Val::int(0));
    Ok(doc::new(fields))
}

/// The rows of a child table whose fields equal every entry of `filters`
/// (`doc.get("items", {"item_code": "X"})`).
fn filter_rows(ctx: &mut Ctx, rows: Value, filters: Value, limit: Option<Value>) -> PyResult {
    let Some(l) = list::get(rows) else {
        return Ok(list::new(Vec::new()));
    };
    let wanted: Vec<(Val, Val)> = dict::get(filters)
        .unwrap()
        .map
        .borrow()
        .iter()
        .map(|(k, v)| (k.key.clone(), v.clone()))
        .collect();
    let limit = match limit.filter(|l| !l.is_none()) {
        Some(l) => crate::builtins::frappe::cint_of(ctx, l, 0).max(0) as usize,
        None => 0,
    };
    let mut out = Vec::new();
    for row in l.snapshot() {
        let Some(r) = doc::get(row.v()) else { continue };
        let mut all = true;
        for (k, v) in &wanted {
            let field = r.field(pystr::as_str(k.v()).unwrap_or(""));
            if !ops::compare::eq(ctx, field.v(), v.v())? {
                all = false;
                break;
            }
        }
        if all {
            out.push(row);
            if limit > 0 && out.len() == limit {
                break;
            }
        }
    }
    Ok(list::new(out))
}

pub fn call(ctx: &mut Ctx, obj: Value, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let d = doc::get(obj).unwrap();
    match name {
        "get" => {
            // Frappe: `get(key, filters=None, limit=None, default=None)`; a non-dict
            // `filters` is taken as the default; a stored None stays None (only a field
            // the document does not have gives the default)
            let [key, filters, limit, default] = parse(
                ctx,
                "get",
                ["key", "filters", "limit", "default"],
                1,
                args,
                kwargs,
            )?;
            let key = key.unwrap();
            if let Some(k) = pystr::as_str(key) {
                let mut default = default;
                if let Some(f) = filters.filter(|f| ops::truthy(*f)) {
                    if dict::get(f).is_some() {
                        return filter_rows(ctx, d.field(k).v(), f, limit);
                    }
                    default = Some(f);
                }
                let v = if d.has_field(k) {
                    d.field(k)
                } else {
                    Val::new_ref(default.unwrap_or(Value::NONE))
                };
                return match limit.filter(|l| !l.is_none()) {
                    Some(l) if list::get(v.v()).is_some() => {
                        let n = crate::builtins::frappe::cint_of(ctx, l, 0).max(0) as usize;
                        let rows = list::get(v.v()).unwrap().snapshot();
                        Ok(if rows.len() > n && n > 0 {
                            list::new(rows[..n].to_vec())
                        } else {
                            v
                        })
                    }
                    _ => Ok(v),
                };
            }
            // doc.get({"field": value}) — fields matching a filter dict
            if let Some(filters) = dict::get(key) {
                let entries: Vec<(Val, Val)> = filters
                    .map
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.key.clone(), v.clone()))
                    .collect();
                let mut all = true;
                for (k, v) in &entries {
                    let field = d.field(pystr::as_str(k.v()).unwrap_or(""));
                    if !ops::compare::eq(ctx, field.v(), v.v())? {
                        all = false;
                    }
                }
                return Ok(if all {
                    list::new(vec![Val::new_ref(obj)])
                } else {
                    list::new(vec![])
                });
            }
            Err(ctx.type_error("document field names must be strings"))
        }
        "set" => {
            let [key, value] = parse(ctx, "set", ["key", "value"], 2, args, kwargs)?;
            let Some(k) = pystr::as_str(key.unwrap()) else {
                return Err(ctx.type_error("document field names must be strings"));
            };
            let value = value.unwrap();
            if list::get(value).is_some() {
                // setting a child table: each row becomes a child document
                let rows = iter::collect(ctx, value)?;
                let mut children = Vec::with_capacity(rows.len());
                for (i, r) in rows.iter().enumerate() {
                    let child = child_doc(ctx, d, k, r.v())?;
                    doc::get(child.v())
                        .unwrap()
                        .set_field("idx", Val::int(i as i64 + 1));
                    children.push(child);
                }
                d.set_field(k, list::new(children));
            } else {
                d.set_field(k, Val::new_ref(value));
            }
            Ok(Val::NONE)
        }
        "append" => {
            let [table, row] = parse(ctx, "append", ["key", "value"], 1, args, kwargs)?;
            let Some(t) = pystr::as_str(table.unwrap()) else {
                return Err(ctx.type_error("document field names must be strings"));
            };
            let current = d.field(t);
            let rows = if list::get(current.v()).is_some() {
                current
            } else {
                let l = list::new(Vec::new());
                d.set_field(t, l.clone());
                l
            };
            let child = child_doc(ctx, d, t, row.unwrap_or(Value::NONE))?;
            let idx = list::get(rows.v()).unwrap().len() as i64 + 1;
            doc::get(child.v()).unwrap().set_field("idx", Val::int(idx));
            list::push(rows.v(), child.clone());
            Ok(child)
        }
        "as_dict" => {
            let [no_nulls] = parse(ctx, "as_dict", ["no_nulls"], 0, args, kwargs)?;
            let skip_nulls = no_nulls.is_some_and(ops::truthy);
            as_dict(ctx, obj, skip_nulls)
        }
        "update" => {
            let [src] = parse(ctx, "update", ["d"], 1, args, kwargs)?;
            let src = src.unwrap();
            let entries: Vec<(Val, Val)> = match dict::get(src) {
                Some(m) => m
                    .map
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.key.clone(), v.clone()))
                    .collect(),
                None => return Err(ctx.type_error("update() argument must be a dict")),
            };
            for (k, v) in entries {
                let key = crate::ops::repr::to_str(ctx, k.v())?;
                call(ctx, obj, "set", &[pystr::new(key).v(), v.v()], &[])?;
            }
            Ok(Val::NONE)
        }
        "is_new" => {
            let local = d.field("__islocal");
            let name = d.field("name");
            // Frappe: `__islocal` (set by new_doc and at the start of insert); a document
            // without a name cannot be stored either
            Ok(Val::bool(ops::truthy(local.v()) || name.v().is_none()))
        }
        "get_formatted" => {
            let [field] = parse(
                ctx,
                "get_formatted",
                ["fieldname"],
                1,
                &args[..args.len().min(1)],
                &[],
            )?;
            let v = d.field(pystr::as_str(field.unwrap()).unwrap_or(""));
            if v.v().is_none() {
                return Ok(pystr::new(""));
            }
            crate::ops::repr::to_str(ctx, v.v()).map(pystr::new)
        }
        _ if super::doc_site::has(name) => super::doc_site::call(ctx, obj, name, args, kwargs),
        _ => Err(ctx.raise_new(
            *exc::ids::NOT_IMPLEMENTED_ERROR,
            format!("doc.{name}() is not available in serverscript yet"),
        )),
    }
}

/// `doc.as_dict()`: a dict of the fields (child tables as lists of dicts).
pub fn as_dict(ctx: &mut Ctx, obj: Value, skip_nulls: bool) -> PyResult {
    let fields: Vec<(Box<str>, Val)> = doc::get(obj)
        .unwrap()
        .all_fields()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let out = dict::new_empty(true);
    for (k, v) in fields {
        if skip_nulls && v.v().is_none() {
            continue;
        }
        let value = match list::get(v.v()) {
            Some(rows) if rows.snapshot().iter().any(|r| doc::get(r.v()).is_some()) => {
                let rows = rows.snapshot();
                let mut converted = Vec::with_capacity(rows.len());
                for r in rows {
                    converted.push(if doc::get(r.v()).is_some() {
                        as_dict(ctx, r.v(), skip_nulls)?
                    } else {
                        r
                    });
                }
                list::new(converted)
            }
            _ => v,
        };
        let key = hkey(ctx, pystr::new(k).v())?;
        dict::insert(out.v(), key, value);
    }
    Ok(out)
}
