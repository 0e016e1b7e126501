//! `frappe.db`: `get_value`, `set_value`, `get_single_value`, `exists`, `count`, `sql`,
//! `commit`, `rollback`, `escape`.

use super::*;
use crate::builtins::args::parse;
use crate::host::{ListQuery, WriteFlags};
use crate::object::{list, tuple};

// ---------------------------------------------------------------------- frappe.db

/// `frappe.db.get_value(doctype, filters=None, fieldname="name", ignore=None,
/// as_dict=False, debug=False, order_by=…, cache=False, for_update=False, …)`:
/// one field → its value; several → a tuple (a `_dict` with `as_dict`); no match → None.
/// `filters` None (or the doctype itself) reads a Single doctype.
pub fn db_get_value(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [
        doctype,
        filters,
        fieldname,
        _ignore,
        as_dict,
        _debug,
        order_by,
        _cache,
        _for_update,
        _run,
        pluck,
        distinct,
        _skip_locked,
        _wait,
    ] = parse(
        ctx,
        "get_value",
        [
            "doctype",
            "filters",
            "fieldname",
            "ignore",
            "as_dict",
            "debug",
            "order_by",
            "cache",
            "for_update",
            "run",
            "pluck",
            "distinct",
            "skip_locked",
            "wait",
        ],
        1,
        args,
        kwargs,
    )?;
    let doctype = str_arg(ctx, "get_value", "doctype", doctype.unwrap())?;
    let as_dict = flag(as_dict);
    let (fields, single_field) = match opt(fieldname) {
        None => (vec!["name".to_string()], true),
        Some(f) if pystr::as_str(f).is_some() => {
            let s = pystr::as_str(f).unwrap().to_string();
            let single = s != "*";
            (vec![s], single)
        }
        Some(f) => {
            let l = fields_list(ctx, f)?;
            let single = l.len() == 1 && l[0] != "*";
            (l, single)
        }
    };
    let filters = opt(filters);
    let single_doctype = match filters {
        None => true,
        Some(f) => pystr::as_str(f) == Some(doctype.as_str()) && doctype != "DocType",
    };
    let row: Option<JsonMap> = if single_doctype {
        let mut m = JsonMap::new();
        for f in &fields {
            let v = ctx.host_call("frappe.db.get_value", |h| h.get_single_value(&doctype, f))?;
            m.insert(f.clone(), v);
        }
        Some(m)
    } else if let Some(name) = plain_name(filters.unwrap())
        && opt(order_by).is_none()
        && !flag(distinct)
        && fields.iter().all(|f| is_identifier(f))
    {
        // by name with plain fields (most calls): no filter translation, no query builder
        ctx.host_call("frappe.db.get_value", |h| {
            h.get_value_by_name(&doctype, name, &fields)
        })?
    } else {
        let mut q = ListQuery::new(&doctype);
        q.fields = fields.clone();
        q.filters = filters_json(ctx, filters.unwrap())?;
        q.limit = Some(1);
        q.distinct = flag(distinct);
        if let Some(o) = opt(order_by)
            && let Some(s) = pystr::as_str(o)
            && s != "KEEP_DEFAULT_ORDERING"
        {
            q.order_by = Some(s.to_string());
        }
        let rows = ctx.host_call("frappe.db.get_value", |h| h.get_list(&q))?;
        rows.into_iter().next()
    };
    let Some(row) = row else {
        return Ok(Val::NONE);
    };
    if flag(pluck) || (single_field && !as_dict) {
        let v = row.values().next().cloned().unwrap_or(Json::Null);
        return Ok(data_value(&v));
    }
    if as_dict {
        return Ok(data_value(&Json::Object(row)));
    }
    Ok(tuple::new(row.values().map(data_value).collect()))
}

/// `frappe.db.set_value(doctype, name, fieldname, value=None, modified=None,
/// modified_by=None, update_modified=True, debug=False)`: `fieldname` may be a dict of
/// fields; `name` may be filters (every match is updated) or None for a Single.
pub fn db_set_value(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [
        doctype,
        name,
        fieldname,
        value,
        _modified,
        _modified_by,
        update_modified,
        _debug,
        _for_update,
    ] = parse(
        ctx,
        "set_value",
        [
            "doctype",
            "name",
            "fieldname",
            "value",
            "modified",
            "modified_by",
            "update_modified",
            "debug",
            "for_update",
        ],
        3,
        args,
        kwargs,
    )?;
    let doctype = str_arg(ctx, "set_value", "doctype", doctype.unwrap())?;
    let fieldname = fieldname.unwrap();
    let values: JsonMap = if crate::object::dict::get(fieldname).is_some() {
        json_map(ctx, "set_value", fieldname)?
    } else {
        let f = str_arg(ctx, "set_value", "fieldname", fieldname)?;
        let v = match value {
            Some(v) => json(ctx, v)?,
            None => Json::Null,
        };
        let mut m = JsonMap::new();
        m.insert(f, v);
        m
    };
    let flags = WriteFlags {
        skip_modified: update_modified.is_some_and(|u| !truthy(u)),
        ..WriteFlags::default()
    };
    let names: Vec<String> = match opt(name) {
        None => vec![doctype.clone()],
        Some(n) if crate::object::dict::get(n).is_some() || list::get(n).is_some() => {
            let mut q = ListQuery::new(&doctype);
            q.fields = vec!["name".into()];
            q.filters = json(ctx, n)?;
            let rows = ctx.host_call("frappe.db.set_value", |h| h.get_list(&q))?;
            rows.iter()
                .filter_map(|r| r.get("name").and_then(Json::as_str).map(str::to_string))
                .collect()
        }
        Some(n) => vec![name_arg(ctx, "set_value", n)?],
    };
    for n in names {
        ctx.host_call("frappe.db.set_value", |h| {
            h.set_value(&doctype, &n, &values, &flags)
        })?;
    }
    Ok(Val::NONE)
}

pub fn db_get_single_value(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [doctype, fieldname, _cache] = parse(
        ctx,
        "get_single_value",
        ["doctype", "fieldname", "cache"],
        2,
        args,
        kwargs,
    )?;
    let doctype = str_arg(ctx, "get_single_value", "doctype", doctype.unwrap())?;
    let field = str_arg(ctx, "get_single_value", "fieldname", fieldname.unwrap())?;
    let v = ctx.host_call("frappe.db.get_single_value", |h| {
        h.get_single_value(&doctype, &field)
    })?;
    Ok(data_value(&v))
}

/// `frappe.db.exists(doctype, name_or_filters=None)` or `exists({"doctype": …, …})`:
/// the matching name, or None. A Single "always exists" (`exists(dt, dt)` → dt).
pub fn db_exists(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [dt, dn, _cache] = parse(ctx, "exists", ["dt", "dn", "cache"], 1, args, kwargs)?;
    let (dt, dn) = (dt.unwrap(), opt(dn));
    let (doctype, filters) = if crate::object::dict::get(dt).is_some() {
        let mut map = json_map(ctx, "exists", dt)?;
        let Some(Json::String(doctype)) = map.shift_remove("doctype") else {
            return Err(ctx.value_error("exists(): the dict needs a \"doctype\" key"));
        };
        (doctype, Json::Object(map))
    } else {
        let doctype = str_arg(ctx, "exists", "doctype", dt)?;
        match dn {
            Some(n) if pystr::as_str(n) == Some(doctype.as_str()) && doctype != "DocType" => {
                return Ok(pystr::new(doctype));
            }
            Some(n) => {
                let f = filters_json(ctx, n)?;
                (doctype, f)
            }
            None => (doctype, Json::Null),
        }
    };
    match first_name(ctx, &doctype, filters)? {
        Some(n) => Ok(pystr::new(n)),
        None => Ok(Val::NONE),
    }
}

/// `frappe.db.count(doctype, filters=None)`.
pub fn db_count(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [dt, filters, _debug, _cache, _distinct] = parse(
        ctx,
        "count",
        ["dt", "filters", "debug", "cache", "distinct"],
        1,
        args,
        kwargs,
    )?;
    let doctype = str_arg(ctx, "count", "doctype", dt.unwrap())?;
    let filters = match opt(filters) {
        Some(f) => filters_json(ctx, f)?,
        None => Json::Null,
    };
    let n = ctx.host_call("frappe.db.count", |h| h.count(&doctype, &filters))?;
    Ok(Val::int(n as i64))
}

/// `frappe.db.sql(query, values=(), as_dict=0, as_list=0, …)`: read-only (the site
/// parses the statement and refuses anything else with PermissionError).
pub fn db_sql(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let known = [
        "query",
        "values",
        "as_dict",
        "as_list",
        "formatted",
        "debug",
        "ignore_ddl",
        "as_utf8",
        "auto_commit",
        "update",
        "explain",
        "run",
        "pluck",
    ];
    let [
        query,
        values,
        as_dict,
        _as_list,
        _f,
        _d,
        _idl,
        _u8,
        _ac,
        _up,
        _ex,
        _run,
        pluck,
    ] = parse(ctx, "sql", known, 1, args, kwargs)?;
    let query = ops::repr::to_str(ctx, query.unwrap())?;
    let params = match opt(values) {
        Some(v) => json(ctx, v)?,
        None => Json::Null,
    };
    let as_dict = flag(as_dict);
    let rows = ctx.host_call("frappe.db.sql", |h| h.sql(&query, &params, as_dict))?;
    let pluck = flag(pluck);
    let items: Vec<Val> = rows
        .iter()
        .map(|r| match r {
            Json::Array(cells) if pluck => cells.first().map(data_value).unwrap_or(Val::NONE),
            Json::Array(cells) => tuple::new(cells.iter().map(data_value).collect()),
            other => data_value(other),
        })
        .collect();
    // Frappe returns a tuple of tuples, or a list of `_dict`s with `as_dict`
    Ok(if as_dict || pluck {
        list::new(items)
    } else {
        tuple::new(items)
    })
}

pub fn db_commit(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    parse::<0>(ctx, "commit", [], 0, args, kwargs)?;
    ctx.host_call("frappe.db.commit", |h| h.commit())?;
    Ok(Val::NONE)
}

pub fn db_rollback(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [_save_point, _chain] = parse(ctx, "rollback", ["save_point", "chain"], 0, args, kwargs)?;
    ctx.host_call("frappe.db.rollback", |h| h.rollback())?;
    Ok(Val::NONE)
}

/// `frappe.db.add_index(doctype, fields, index_name=None)`: an index on the DocType's
/// table over `fields` unless one of that name exists (the name defaults to the fields
/// joined by `_` with `_index` after them, length specifiers like `name(10)` dropped). As
/// in Frappe, the transaction is committed first (MariaDB commits around DDL); absent
/// from DocType Event scripts.
pub fn db_add_index(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [doctype, fields, index_name] = parse(
        ctx,
        "add_index",
        ["doctype", "fields", "index_name"],
        2,
        args,
        kwargs,
    )?;
    let doctype = str_arg(ctx, "add_index", "doctype", doctype.unwrap())?;
    let fields_v = fields.unwrap();
    let Some(items) = crate::ops::iter::list_or_tuple_items(fields_v) else {
        return Err(ctx.type_error(format!(
            "add_index(): fields must be a list of field names, not {}",
            ops::type_name(fields_v)
        )));
    };
    let mut names = Vec::with_capacity(items.len());
    for f in items.iter() {
        names.push(str_arg(ctx, "add_index", "fields", f.v())?);
    }
    let index_name = match index_name.filter(|v| !v.is_none()) {
        Some(v) => Some(str_arg(ctx, "add_index", "index_name", v)?),
        None => None,
    };
    ctx.host_call("frappe.db.add_index", |h| {
        h.add_index(&doctype, &names, index_name.as_deref())
    })?;
    Ok(Val::NONE)
}

/// `frappe.db.escape(s, percent=True)`: a quoted SQL string literal for the engines we
/// run on, `%` doubled unless `percent=False`.
///
/// Standard SQL quoting: a quote is doubled and nothing else is special. That is what
/// SQLite reads, and Postgres with `standard_conforming_strings` (its default, which the
/// Postgres backend keeps). Frappe escapes for MariaDB (`\'`), which SQLite reads as a
/// backslash followed by the end of the string — the rest of the text would become SQL.
/// A NUL cannot be inside a literal on either engine (SQLite stops reading the statement
/// there), so it is refused rather than passed on.
pub fn db_escape(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [s, percent] = parse(ctx, "escape", ["s", "percent"], 1, args, kwargs)?;
    let text = ops::repr::to_str(ctx, s.unwrap())?;
    let percent = percent.is_none_or(truthy);
    let extra = text
        .bytes()
        .filter(|b| *b == b'\'' || (percent && *b == b'%'))
        .count();
    ctx.check_str_len(text.len() + extra + 2)?;
    ctx.consume(text.len() / 16)?;
    let mut out = String::with_capacity(text.len() + extra + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\'' => out.push_str("''"),
            '%' if percent => out.push_str("%%"),
            '\0' => {
                return Err(ctx.value_error(
                    "frappe.db.escape: a string with a NUL character cannot be a SQL literal",
                ));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    Ok(pystr::new(out))
}

/// A filter that is a document name: a string that the query layer would not read as
/// JSON filters (Frappe's `get_value` accepts `'{"status": "Open"}'` as filters).
fn plain_name(filters: Value) -> Option<&'static str> {
    let s = pystr::as_str(filters)?;
    let t = s.trim_start();
    (!s.trim().is_empty() && !t.starts_with('{') && !t.starts_with('[')).then_some(s)
}

/// A field name with no SQL around it (`status`, not `count(name)` or `a as b`).
fn is_identifier(f: &str) -> bool {
    !f.is_empty() && f.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}
