//! Documents: `frappe.get_doc`, `new_doc`, `get_last_doc`, `copy_doc`, `delete_doc`,
//! `rename_doc`, `get_meta`.

use super::*;
use crate::builtins::args::parse;
use crate::host::{ListQuery, WriteFlags};
use crate::object::{doc, list};

// ---------------------------------------------------------------------- documents

/// `frappe.get_doc(doctype, name)`, `frappe.get_doc(doctype)` (a Single),
/// `frappe.get_doc(doctype, {filters})`, `frappe.get_doc({"doctype": …, …})` and
/// `frappe.get_doc(doctype="…", field=…)` (new, unsaved), `frappe.get_doc(doc)` (itself).
pub fn get_doc(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    if let Some(first) = args.first()
        && doc::get(*first).is_some()
    {
        return Ok(Val::new_ref(*first));
    }
    let first = args.first().copied();
    let from_dict = first.is_some_and(|f| crate::object::dict::get(f).is_some());
    if from_dict || (first.is_none() && !kwargs.is_empty()) {
        let mut map = match first {
            Some(f) => json_map(ctx, "get_doc", f)?,
            None => JsonMap::new(),
        };
        for (k, v) in kwargs {
            let j = json(ctx, *v)?;
            map.insert((*k).to_string(), j);
        }
        if !map.get("doctype").is_some_and(Json::is_string) {
            return Err(ctx.value_error("\"doctype\" is a required key"));
        }
        return Ok(new_local_doc(map));
    }
    let Some(first) = first else {
        return Err(ctx.type_error("get_doc() missing required argument 'doctype'"));
    };
    if pystr::as_str(first).is_none() {
        return Err(ctx.value_error("First non keyword argument must be a string or dict"));
    }
    let doctype = str_arg(ctx, "get_doc", "doctype", first)?;
    let name = match args.get(1).copied().or_else(|| kwarg(kwargs, "name")) {
        None => doctype.clone(),
        Some(v) if v.is_none() => doctype.clone(),
        Some(v) if crate::object::dict::get(v).is_some() || list::get(v).is_some() => {
            // by filters: the first match
            let filters = json(ctx, v)?;
            match first_name(ctx, &doctype, filters)? {
                Some(n) => n,
                None => {
                    return Err(ctx.raise_host_error(crate::host::HostError::new(
                        "DoesNotExistError",
                        format!("{doctype} not found"),
                    )));
                }
            }
        }
        Some(v) => name_arg(ctx, "get_doc", v)?,
    };
    let map = ctx.host_call("frappe.get_doc", |h| h.get_doc(&doctype, &name))?;
    Ok(doc_value(map))
}

/// A document that is not in the database yet.
pub(crate) fn new_local_doc(mut map: JsonMap) -> Val {
    map.insert("__islocal".into(), Json::from(1));
    map.entry("docstatus").or_insert(Json::from(0));
    doc_value(map)
}

pub(crate) fn first_name(ctx: &mut Ctx, doctype: &str, filters: Json) -> PyResult<Option<String>> {
    let mut q = ListQuery::new(doctype);
    q.fields = vec!["name".into()];
    q.filters = filters;
    q.limit = Some(1);
    let rows = ctx.host_call("frappe.get_doc", |h| h.get_list(&q))?;
    Ok(rows.first().and_then(|r| r.get("name")).map(|n| match n {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }))
}

/// `frappe.new_doc(doctype, parent_doc=None, parentfield=None, as_dict=False, **fields)`.
pub fn new_doc(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    const PARAMS: [&str; 4] = ["doctype", "parent_doc", "parentfield", "as_dict"];
    let named: Vec<(&str, Value)> = kwargs
        .iter()
        .filter(|(k, _)| PARAMS.contains(k))
        .copied()
        .collect();
    let [doctype, parent_doc, parentfield, as_dict] =
        parse(ctx, "new_doc", PARAMS, 1, args, &named)?;
    let doctype = str_arg(ctx, "new_doc", "doctype", doctype.unwrap())?;
    let mut map = ctx.host_call("frappe.new_doc", |h| h.new_doc(&doctype))?;
    map.insert("__islocal".into(), Json::from(1));
    if let Some(p) = opt(parent_doc)
        && let Some(pd) = doc::get(p)
    {
        let pname = convert::to_json(ctx, pd.field("name").v())?;
        let ptype = convert::to_json(ctx, pd.field("doctype").v())?;
        map.insert("parent".into(), pname);
        map.insert("parenttype".into(), ptype);
    }
    if let Some(pf) = opt(parentfield) {
        let j = json(ctx, pf)?;
        map.insert("parentfield".into(), j);
    }
    for (k, v) in kwargs.iter().filter(|(k, _)| !PARAMS.contains(k)) {
        let j = json(ctx, *v)?;
        map.insert((*k).to_string(), j);
    }
    if flag(as_dict) {
        return Ok(data_value(&Json::Object(map)));
    }
    Ok(doc_value(map))
}

/// `frappe.get_last_doc(doctype, filters=None, order_by="creation desc")`.
pub fn get_last_doc(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [doctype, filters, order_by, _for_update] = parse(
        ctx,
        "get_last_doc",
        ["doctype", "filters", "order_by", "for_update"],
        1,
        args,
        kwargs,
    )?;
    let doctype = str_arg(ctx, "get_last_doc", "doctype", doctype.unwrap())?;
    let mut q = ListQuery::new(&doctype);
    q.fields = vec!["name".into()];
    if let Some(f) = opt(filters) {
        q.filters = json(ctx, f)?;
    }
    q.order_by = Some(match opt(order_by) {
        Some(o) => str_arg(ctx, "get_last_doc", "order_by", o)?,
        None => "creation desc".into(),
    });
    q.limit = Some(1);
    let rows = ctx.host_call("frappe.get_last_doc", |h| h.get_list(&q))?;
    let name = rows
        .first()
        .and_then(|r| r.get("name"))
        .and_then(Json::as_str)
        .map(str::to_string);
    match name {
        Some(n) => {
            let map = ctx.host_call("frappe.get_last_doc", |h| h.get_doc(&doctype, &n))?;
            Ok(doc_value(map))
        }
        None => Err(ctx.raise_host_error(crate::host::HostError::new(
            "DoesNotExistError",
            format!("{doctype} not found"),
        ))),
    }
}

/// Standard fields a copy does not keep (Frappe's `copy_doc`).
const NOT_COPIED: &[&str] = &[
    "name",
    "owner",
    "creation",
    "modified",
    "modified_by",
    "amended_from",
    "amendment_date",
    "parent",
    "__islocal",
];

pub(crate) fn copy_fields(map: &mut JsonMap) {
    for k in NOT_COPIED {
        map.shift_remove(*k);
    }
    map.insert("docstatus".into(), Json::from(0));
    for v in map.values_mut() {
        if let Json::Array(rows) = v {
            for r in rows.iter_mut() {
                if let Json::Object(m) = r {
                    copy_fields(m);
                }
            }
        }
    }
}

/// `frappe.copy_doc(doc, ignore_no_copy=True)`: an unsaved copy, names and timestamps
/// cleared, children copied too.
pub fn copy_doc(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [d, _ignore_no_copy] = parse(ctx, "copy_doc", ["doc", "ignore_no_copy"], 1, args, kwargs)?;
    let mut map = json_map(ctx, "copy_doc", d.unwrap())?;
    copy_fields(&mut map);
    Ok(new_local_doc(map))
}

pub fn write_flags(ctx: &mut Ctx, kwargs: &Kwargs) -> WriteFlags {
    let _ = ctx;
    WriteFlags {
        ignore_permissions: flag(kwarg(kwargs, "ignore_permissions")),
        ignore_mandatory: flag(kwarg(kwargs, "ignore_mandatory")),
        ignore_links: flag(kwarg(kwargs, "ignore_links")),
        ignore_validate: flag(kwarg(kwargs, "ignore_validate")),
        skip_modified: false,
    }
}

/// `frappe.delete_doc(doctype, name, force=0, ignore_doctypes=None, for_reload=False,
/// ignore_permissions=False, flags=None, ignore_on_trash=False, ignore_missing=True,
/// delete_permanently=False)`.
pub fn delete_doc(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [
        doctype,
        name,
        _force,
        _ignore_doctypes,
        _for_reload,
        ignore_permissions,
        _flags,
        _ignore_on_trash,
        ignore_missing,
        _delete_permanently,
    ] = parse(
        ctx,
        "delete_doc",
        [
            "doctype",
            "name",
            "force",
            "ignore_doctypes",
            "for_reload",
            "ignore_permissions",
            "flags",
            "ignore_on_trash",
            "ignore_missing",
            "delete_permanently",
        ],
        2,
        args,
        kwargs,
    )?;
    let doctype = str_arg(ctx, "delete_doc", "doctype", doctype.unwrap())?;
    let names: Vec<String> = match name.unwrap() {
        v if list::get(v).is_some() => {
            let items = list::get(v).unwrap().snapshot();
            let mut out = Vec::with_capacity(items.len());
            for x in items {
                out.push(name_arg(ctx, "delete_doc", x.v())?);
            }
            out
        }
        v => vec![name_arg(ctx, "delete_doc", v)?],
    };
    let flags = WriteFlags {
        ignore_permissions: flag(ignore_permissions),
        ..WriteFlags::default()
    };
    let ignore_missing = ignore_missing.is_none_or(truthy);
    for n in names {
        let r = ctx.host_call("frappe.delete_doc", |h| h.delete_doc(&doctype, &n, &flags));
        if r.is_err() && ignore_missing && pending_is(ctx, "frappe.DoesNotExistError") {
            ctx.take_exception();
            ctx.messages.pop();
            continue;
        }
        r?;
    }
    Ok(Val::NONE)
}

/// Whether the pending exception is an instance of the named class.
pub(crate) fn pending_is(ctx: &Ctx, class: &str) -> bool {
    let Some(target) = crate::object::exc::class_id(class) else {
        return false;
    };
    ctx.pending()
        .and_then(|e| crate::object::exc::get(e.v()))
        .is_some_and(|e| crate::object::exc::is_subclass(e.class, target))
}

/// `frappe.rename_doc(doctype, old, new, force=False, merge=False, …)`: the new name.
pub fn rename_doc(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let known = [
        "doctype",
        "old",
        "new",
        "force",
        "merge",
        "ignore_permissions",
        "ignore_if_exists",
        "show_alert",
        "rebuild_search",
    ];
    let [doctype, old, new, _force, merge, _ip, _iie, _sa, _rs] =
        parse(ctx, "rename_doc", known, 3, args, kwargs)?;
    let doctype = str_arg(ctx, "rename_doc", "doctype", doctype.unwrap())?;
    let old = name_arg(ctx, "rename_doc", old.unwrap())?;
    let new = name_arg(ctx, "rename_doc", new.unwrap())?;
    let merge = flag(merge);
    let name = ctx.host_call("frappe.rename_doc", |h| {
        h.rename_doc(&doctype, &old, &new, merge)
    })?;
    Ok(pystr::new(name))
}

pub fn get_meta(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [doctype, _cached] = parse(ctx, "get_meta", ["doctype", "cached"], 1, args, kwargs)?;
    let doctype = str_arg(ctx, "get_meta", "doctype", doctype.unwrap())?;
    let map = ctx.host_call("frappe.get_meta", |h| h.get_meta(&doctype))?;
    Ok(doc_value(map))
}
