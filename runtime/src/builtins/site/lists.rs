//! List queries: `frappe.get_list`, `frappe.get_all` (and their `frappe.db` aliases),
//! with Frappe's argument forms (fields/filters swapped, `limit`/`page_length`/
//! `limit_page_length`, `as_list`, `pluck`, `docstatus`).

use super::*;
use crate::builtins::args::parse;
use crate::host::ListQuery;
use crate::object::{list, tuple};

// ---------------------------------------------------------------------- lists

/// How list rows come back.
pub(crate) enum Shape {
    Dicts,
    Tuples,
    Pluck(String),
}

/// The parameters of Frappe's `DatabaseQuery.execute`, in order (positional arguments
/// after the doctype bind to these).
const LIST_PARAMS: [&str; 30] = [
    "fields",
    "filters",
    "or_filters",
    "docstatus",
    "group_by",
    "order_by",
    "limit_start",
    "limit_page_length",
    "as_list",
    "with_childnames",
    "debug",
    "ignore_permissions",
    "user",
    "with_comment_count",
    "join",
    "distinct",
    "start",
    "page_length",
    "limit",
    "ignore_ifnull",
    "save_user_settings",
    "save_user_settings_fields",
    "update",
    "add_total_row",
    "user_settings",
    "reference_doctype",
    "run",
    "strict",
    "pluck",
    "ignore_ddl",
];

pub(crate) fn fields_list(ctx: &mut Ctx, v: Value) -> PyResult<Vec<String>> {
    if let Some(s) = pystr::as_str(v) {
        let s = s.trim();
        if s == "*" {
            return Ok(vec!["*".into()]);
        }
        if let Ok(Json::Array(items)) = serde_json::from_str::<Json>(s) {
            return Ok(items
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect());
        }
        return Ok(s.split(',').map(|f| f.trim().to_string()).collect());
    }
    let items = match crate::ops::iter::list_or_tuple_items(v) {
        Some(items) => items,
        // any other collection of names (a set): Frappe iterates it
        None if crate::object::set::get(v).is_some() => crate::ops::iter::collect(ctx, v)?,
        None => {
            return Err(ctx.type_error(format!(
                "fields must be a list or a string, not {}",
                ops::type_name(v)
            )));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for x in items {
        out.push(str_arg(ctx, "get_list", "a field", x.v())?);
    }
    Ok(out)
}

pub(crate) fn is_list_of_lists(v: Value) -> bool {
    list::get(v).is_some_and(|l| {
        l.snapshot()
            .first()
            .is_some_and(|x| list::get(x.v()).is_some() || tuple::get(x.v()).is_some())
    })
}

pub(crate) fn is_list_of_strings(v: Value) -> bool {
    list::get(v).is_some_and(|l| {
        let items = l.snapshot();
        items.len() > 1 && pystr::as_str(items[0].v()).is_some()
    })
}

/// Adds `docstatus in (…)` to filters of any shape.
pub(crate) fn add_docstatus(filters: Json, docstatus: Json) -> Json {
    let values = match docstatus {
        Json::Array(a) => a,
        other => vec![other],
    };
    let cond = Json::Array(vec![Json::from("in"), Json::Array(values)]);
    match filters {
        Json::Object(mut m) => {
            m.insert("docstatus".into(), cond);
            Json::Object(m)
        }
        Json::Array(mut a) => {
            if let Json::Array(c) = cond {
                let mut row = vec![Json::from("docstatus")];
                row.extend(c);
                a.push(Json::Array(row));
            }
            Json::Array(a)
        }
        _ => {
            let mut m = JsonMap::new();
            m.insert("docstatus".into(), cond);
            Json::Object(m)
        }
    }
}

pub(crate) fn list_query(
    ctx: &mut Ctx,
    fname: &str,
    args: &[Value],
    kwargs: &Kwargs,
    get_all: bool,
) -> PyResult<(ListQuery, Shape)> {
    let Some((&doctype, rest)) = args.split_first() else {
        let dt = kwarg(kwargs, "doctype").ok_or_else(|| {
            ctx.type_error(format!("{fname}() missing required argument 'doctype'"))
        })?;
        let rest: Vec<(&str, Value)> = kwargs
            .iter()
            .filter(|(k, _)| *k != "doctype")
            .copied()
            .collect();
        return list_query(ctx, fname, &[dt], &rest, get_all);
    };
    let doctype = str_arg(ctx, fname, "doctype", doctype)?;
    let p = parse(ctx, fname, LIST_PARAMS, 0, rest, kwargs)?;
    let get = |name: &str| -> Option<Value> {
        opt(p[LIST_PARAMS.iter().position(|n| *n == name).expect("param")])
    };
    let (mut fields, mut filters) = (get("fields"), get("filters"));
    // Frappe swaps them when they were passed the other way round
    if let Some(f) = fields {
        let fields_look_like_filters = crate::object::dict::get(f).is_some() || is_list_of_lists(f);
        let filters_look_like_fields = filters.is_some_and(is_list_of_strings) && truthy(f);
        if fields_look_like_filters || filters_look_like_fields {
            std::mem::swap(&mut fields, &mut filters);
        }
    }
    let mut q = ListQuery::new(&doctype);
    q.ignore_permissions = get_all || get("ignore_permissions").is_some_and(truthy);
    if let Some(f) = fields {
        q.fields = fields_list(ctx, f)?;
    }
    if let Some(f) = filters {
        q.filters = filters_json(ctx, f)?;
    }
    if let Some(f) = get("or_filters") {
        q.or_filters = json(ctx, f)?;
    }
    if let Some(d) = get("docstatus") {
        let ds = json(ctx, d)?;
        q.filters = add_docstatus(std::mem::take(&mut q.filters), ds);
    }
    if let Some(o) = get("order_by") {
        q.order_by = Some(str_arg(ctx, fname, "order_by", o)?);
    }
    if let Some(g) = get("group_by") {
        q.group_by = Some(str_arg(ctx, fname, "group_by", g)?);
    }
    let count = |ctx: &mut Ctx, v: Value| -> PyResult<usize> {
        let n = crate::builtins::frappe::cint_of(ctx, v, 0);
        Ok(n.max(0) as usize)
    };
    for name in ["limit_start", "start"] {
        if let Some(v) = get(name) {
            q.start = count(ctx, v)?;
        }
    }
    for name in ["limit_page_length", "page_length", "limit"] {
        if let Some(v) = get(name) {
            let n = count(ctx, v)?;
            q.limit = (n > 0).then_some(n);
        }
    }
    q.distinct = get("distinct").is_some_and(truthy);
    let shape = if let Some(pl) = get("pluck") {
        let field = str_arg(ctx, fname, "pluck", pl)?;
        q.fields = vec![field.clone()];
        Shape::Pluck(field)
    } else if get("as_list").is_some_and(truthy) {
        Shape::Tuples
    } else {
        Shape::Dicts
    };
    Ok((q, shape))
}

pub(crate) fn rows_value(rows: Vec<JsonMap>, shape: &Shape) -> Val {
    let items: Vec<Val> = rows
        .into_iter()
        .map(|r| match shape {
            Shape::Dicts => data_value(&Json::Object(r)),
            Shape::Tuples => tuple::new(r.values().map(data_value).collect()),
            Shape::Pluck(f) => data_value(r.get(f).unwrap_or(&Json::Null)),
        })
        .collect();
    list::new(items)
}

/// `frappe.get_list(doctype, fields=None, filters=None, …)`: permission-aware.
pub fn get_list(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let (q, shape) = list_query(ctx, "get_list", args, kwargs, false)?;
    let rows = ctx.host_call("frappe.get_list", |h| h.get_list(&q))?;
    Ok(rows_value(rows, &shape))
}

/// `frappe.get_all(...)`: `get_list` ignoring permissions.
pub fn get_all(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let (q, shape) = list_query(ctx, "get_all", args, kwargs, true)?;
    let rows = ctx.host_call("frappe.get_all", |h| h.get_list(&q))?;
    Ok(rows_value(rows, &shape))
}
