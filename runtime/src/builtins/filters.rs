//! Frappe's filter helpers over values in memory: `frappe.utils.compare(a, op, b,
//! fieldtype=None)`, `get_filter(doctype, f)` and `evaluate_filters(doc, filters)` —
//! the operators `=`, `!=`, `>`, `<`, `>=`, `<=`, `in`, `not in`, `^` (starts with),
//! `None`/`not None` (falsy/truthy), with both sides cast to the field type when one is
//! given. Semantics follow `frappe/utils/data.py` (read, not copied).

use super::args::parse;
use super::{Builtin, b, dates};
use crate::ctx::{Ctx, PyResult};
use crate::host::HostError;
use crate::object::{dict, list, str as pystr};
use crate::ops::call::Kwargs;
use crate::ops::compare::{self, CmpOp};
use crate::ops::{self, convert, truthy};
use crate::value::{Val, Value};

pub static TABLE: &[Builtin] = &[
    b("frappe.utils.compare", compare_fn),
    b("frappe.utils.get_filter", get_filter),
    b("frappe.utils.evaluate_filters", evaluate_filters),
];

/// Operators `get_filter` accepts.
const VALID: &[&str] = &[
    "=",
    "!=",
    ">",
    "<",
    ">=",
    "<=",
    "like",
    "not like",
    "in",
    "not in",
    "is",
    "between",
    "descendants of",
    "ancestors of",
    "not descendants of",
    "not ancestors of",
    "timespan",
    "previous",
    "next",
];

/// Frappe's `cast(fieldtype, value)`: the Python value a field type holds.
fn cast(ctx: &mut Ctx, fieldtype: &str, v: Value) -> PyResult {
    match fieldtype {
        "Currency" | "Float" | "Percent" => super::frappe::flt(ctx, &[v], &[]),
        "Int" | "Check" => {
            // sbool first: "true"/"false" strings become booleans
            let v = match pystr::as_str(v).map(str::to_ascii_lowercase).as_deref() {
                Some("true") | Some("1") => Val::TRUE,
                Some("false") | Some("0") => Val::bool(false),
                _ => Val::new_ref(v),
            };
            super::frappe::cint(ctx, &[v.v()], &[])
        }
        "Data" | "Text" | "Small Text" | "Long Text" | "Text Editor" | "Select" | "Link"
        | "Dynamic Link" => super::frappe::cstr(ctx, &[v], &[]),
        "Date" if truthy(v) => dates::getdate(ctx, &[v], &[]),
        "Date" => Ok(crate::object::date::new_date(jiff::civil::date(1, 1, 1))),
        "Datetime" if truthy(v) => dates::get_datetime(ctx, &[v], &[]),
        "Datetime" => Ok(crate::object::date::new_datetime(
            jiff::civil::date(1, 1, 1).at(0, 0, 0, 0),
        )),
        "Time" => dates::get_timedelta(ctx, &[v], &[]),
        _ => Ok(Val::new_ref(v)),
    }
}

/// `operator_map[condition](a, b)`; an unknown condition is False.
fn apply(ctx: &mut Ctx, condition: &str, a: Value, b: Value) -> PyResult<bool> {
    Ok(match condition {
        "^" => {
            let text = if truthy(a) {
                ops::repr::to_str(ctx, a)?
            } else {
                String::new()
            };
            let prefix = ops::repr::to_str(ctx, b)?;
            text.starts_with(&prefix)
        }
        "in" => compare::contains(ctx, b, a)?,
        "not in" => !compare::contains(ctx, b, a)?,
        "=" => compare::compare(ctx, CmpOp::Eq, a, b)?,
        "!=" => compare::compare(ctx, CmpOp::Ne, a, b)?,
        ">" => compare::compare(ctx, CmpOp::Gt, a, b)?,
        "<" => compare::compare(ctx, CmpOp::Lt, a, b)?,
        ">=" => compare::compare(ctx, CmpOp::Ge, a, b)?,
        "<=" => compare::compare(ctx, CmpOp::Le, a, b)?,
        "not None" => truthy(a),
        "None" => !truthy(a),
        _ => false,
    })
}

fn compare_values(
    ctx: &mut Ctx,
    a: Value,
    condition: &str,
    b: Value,
    fieldtype: Option<&str>,
) -> PyResult<bool> {
    match fieldtype.filter(|f| !f.is_empty()) {
        Some(ft) => {
            let a = cast(ctx, ft, a)?;
            let b = cast(ctx, ft, b)?;
            apply(ctx, condition, a.v(), b.v())
        }
        None => apply(ctx, condition, a, b),
    }
}

/// `compare(val1, condition, val2, fieldtype=None)`.
pub fn compare_fn(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v1, cond, v2, ft] = parse(
        ctx,
        "compare",
        ["val1", "condition", "val2", "fieldtype"],
        3,
        a,
        k,
    )?;
    let cond = ops::repr::to_str(ctx, cond.unwrap())?;
    let ft = match ft {
        Some(f) if truthy(f) => Some(ops::repr::to_str(ctx, f)?),
        _ => None,
    };
    compare_values(ctx, v1.unwrap(), &cond, v2.unwrap(), ft.as_deref()).map(Val::bool)
}

/// A filter as (doctype, fieldname, operator, value, fieldtype).
struct Filter {
    doctype: Val,
    fieldname: Val,
    operator: String,
    value: Val,
    fieldtype: Option<String>,
}

fn items(v: Value) -> Option<Vec<Val>> {
    ops::iter::list_or_tuple_items(v)
}

fn filter_of(ctx: &mut Ctx, doctype: Value, f: Value) -> PyResult<Filter> {
    // a dict filter `{key: value}` / `{key: [op, value]}`: its first entry
    let f = if let Some(d) = dict::get(f) {
        let first = d
            .map
            .borrow()
            .iter()
            .next()
            .map(|(k, v)| (k.key.clone(), v.clone()));
        let Some((key, value)) = first else {
            return Err(ctx.raise_new(*crate::object::exc::ids::STOP_ITERATION, ""));
        };
        let row = match items(value.v()) {
            Some(pair) if pair.len() >= 2 => {
                vec![Val::new_ref(doctype), key, pair[0].clone(), pair[1].clone()]
            }
            _ => vec![Val::new_ref(doctype), key, pystr::new("="), value],
        };
        list::new(row)
    } else {
        Val::new_ref(f)
    };
    let Some(mut parts) = items(f.v()) else {
        return Err(ctx.raise_host_error(HostError::new(
            "ValidationError",
            "Filter must be a tuple or list (in a list)",
        )));
    };
    if parts.len() == 3 {
        parts.insert(0, Val::new_ref(doctype));
    } else if parts.len() > 4 {
        parts.truncate(4);
    } else if parts.len() != 4 {
        let shown = ops::repr::repr(ctx, f.v())?;
        return Err(ctx.raise_host_error(HostError::new(
            "ValidationError",
            format!("Filter must have 4 values (doctype, fieldname, operator, value): {shown}"),
        )));
    }
    let operator = if truthy(parts[2].v()) {
        ops::repr::to_str(ctx, parts[2].v())?
    } else {
        "=".to_string()
    };
    if !VALID.contains(&operator.to_lowercase().as_str()) {
        return Err(ctx.raise_host_error(HostError::new(
            "ValidationError",
            format!("Operator must be one of {}", VALID.join(", ")),
        )));
    }
    // the field's type, when the DocType is given and the site knows it
    let mut fieldtype = None;
    if let (Some(dt), Some(field)) = (pystr::as_str(parts[0].v()), pystr::as_str(parts[1].v()))
        && ctx.has_host()
    {
        let (dt, field) = (dt.to_string(), field.to_string());
        let meta = ctx.host_call("frappe.get_meta", |h| Ok(h.get_meta(&dt).ok()))?;
        fieldtype = meta.and_then(|m| {
            m.get("fields")?
                .as_array()?
                .iter()
                .find(|f| f.get("fieldname").and_then(|n| n.as_str()) == Some(field.as_str()))?
                .get("fieldtype")?
                .as_str()
                .map(str::to_string)
        });
    }
    Ok(Filter {
        doctype: parts[0].clone(),
        fieldname: parts[1].clone(),
        operator,
        value: parts[3].clone(),
        fieldtype,
    })
}

/// `get_filter(doctype, f)`: `_dict(doctype, fieldname, operator, value, fieldtype)`.
pub fn get_filter(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [doctype, f, _config] = parse(
        ctx,
        "get_filter",
        ["doctype", "f", "filters_config"],
        2,
        a,
        k,
    )?;
    let f = filter_of(ctx, doctype.unwrap(), f.unwrap())?;
    let ft = f.fieldtype.map(pystr::new).unwrap_or(Val::NONE);
    convert::attr_dict(
        ctx,
        &[
            ("doctype", f.doctype),
            ("fieldname", f.fieldname),
            ("operator", pystr::new(f.operator)),
            ("value", f.value),
            ("fieldtype", ft),
        ],
    )
}

/// `evaluate_filters(doc, filters)`: whether `doc` (a document or dict) matches every
/// filter.
pub fn evaluate_filters(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [doc, filters] = parse(ctx, "evaluate_filters", ["doc", "filters"], 2, a, k)?;
    let (doc, filters) = (doc.unwrap(), filters.unwrap());
    let list_of: Vec<Val> = if let Some(d) = dict::get(filters) {
        let pairs: Vec<(Val, Val)> = d
            .map
            .borrow()
            .iter()
            .map(|(k, v)| (k.key.clone(), v.clone()))
            .collect();
        let mut out = Vec::new();
        for (key, value) in pairs {
            let one = dict::new_empty(false);
            let hk = compare::hkey(ctx, key.v())?;
            dict::insert(one.v(), hk, value);
            out.push(one);
        }
        out
    } else if let Some(v) = items(filters) {
        v
    } else {
        return Ok(Val::TRUE);
    };
    for f in list_of {
        let flt = filter_of(ctx, Value::NONE, f.v())?;
        let field = ops::repr::to_str(ctx, flt.fieldname.v())?;
        let actual = crate::methods::call_method(ctx, doc, "get", &[pystr::new(field).v()], &[])?;
        let ok = compare_values(
            ctx,
            actual.v(),
            &flt.operator,
            flt.value.v(),
            flt.fieldtype.as_deref(),
        )?;
        if !ok {
            return Ok(Val::bool(false));
        }
    }
    Ok(Val::TRUE)
}
