//! `frappe.get_mapped_doc(from_doctype, from_docname, table_maps, target_doc=None,
//! postprocess=None, ignore_permissions=False, ignore_child_tables=False, cached=False)`:
//! a new document of another DocType made from a stored one, field by field, the rules
//! of Frappe's `frappe/model/mapper.py` (read, not copied):
//!
//! - `table_maps[from_doctype]` names the target DocType (`"doctype"`) and may carry
//!   `field_map` (source → target names, a dict or pairs), `field_no_map`, `validation`
//!   (`{"docstatus": ["=", 1]}`: the map is refused unless the source matches),
//!   `postprocess(source, target, source_parent)`; child tables are mapped by the map
//!   of their DocType (also `condition(row)`, `filter(row)`, `add_if_empty`), or, with
//!   none, copied when both sides have a table of that name over the same child DocType
//!   and neither is `no_copy`;
//! - every target field that neither side marks `no_copy`, that is no table and no
//!   standard field takes the source's value of the same name unless it is None or
//!   `""`; an empty Link to the source's DocType (or the parent's, for rows) takes its
//!   name; `idx` is kept; read-only fields that fetch from a Link (`fetch_from`) are
//!   filled from the linked document;
//! - the target needs `create` and the source `read` permission unless
//!   `ignore_permissions`; `frappe.flags.selected_children` (`{table: [row names]}`)
//!   limits the rows, as the desk's "get items from" does;
//! - the target is returned unsaved, with `__onload.load_after_mapping`.

use std::collections::{HashMap, HashSet};

use super::*;
use crate::builtins::args::parse;
use crate::host::{CHILD_FIELDS, STANDARD_FIELDS};
use crate::methods::call_method;
use crate::object::doc;
use crate::ops::call::call;
use crate::ops::subscript::getitem;

/// The fields of a DocType the mapper reads from its meta.
struct Field {
    fieldname: String,
    fieldtype: String,
    options: String,
    no_copy: bool,
    read_only: bool,
    fetch_from: String,
}

impl Field {
    fn is_table(&self) -> bool {
        matches!(self.fieldtype.as_str(), "Table" | "Table MultiSelect")
    }
}

/// Frappe's `default_fields` and `child_table_fields`: never mapped.
fn never_mapped() -> impl Iterator<Item = &'static str> {
    ["doctype"]
        .into_iter()
        .chain(STANDARD_FIELDS.iter().copied())
        .chain(CHILD_FIELDS.iter().copied())
}

fn meta_fields(ctx: &mut Ctx, doctype: &str) -> PyResult<Vec<Field>> {
    let meta = ctx.host_call("frappe.get_meta", |h| h.get_meta(doctype))?;
    let text = |f: &JsonMap, k: &str| match f.get(k) {
        Some(Json::String(s)) => s.clone(),
        _ => String::new(),
    };
    let check = |f: &JsonMap, k: &str| match f.get(k) {
        Some(Json::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
        Some(Json::Bool(b)) => *b,
        _ => false,
    };
    Ok(meta
        .get("fields")
        .and_then(Json::as_array)
        .map(|fields| {
            fields
                .iter()
                .filter_map(Json::as_object)
                .map(|f| Field {
                    fieldname: text(f, "fieldname"),
                    fieldtype: text(f, "fieldtype"),
                    options: text(f, "options"),
                    no_copy: check(f, "no_copy"),
                    read_only: check(f, "read_only"),
                    fetch_from: text(f, "fetch_from"),
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Metas read once per call.
#[derive(Default)]
struct Metas(HashMap<String, std::rc::Rc<Vec<Field>>>);

impl Metas {
    fn of(&mut self, ctx: &mut Ctx, doctype: &str) -> PyResult<std::rc::Rc<Vec<Field>>> {
        if let Some(m) = self.0.get(doctype) {
            return Ok(m.clone());
        }
        let m = std::rc::Rc::new(meta_fields(ctx, doctype)?);
        self.0.insert(doctype.to_string(), m.clone());
        Ok(m)
    }
}

/// `obj.get(key)`: a document's field, or a dict's value (None when missing).
fn get(ctx: &mut Ctx, obj: Value, key: &str) -> PyResult {
    if let Some(d) = doc::get(obj) {
        return Ok(d.field(key));
    }
    call_method(ctx, obj, "get", &[pystr::new(key).v()], &[])
}

fn set(ctx: &mut Ctx, target: Value, key: &str, value: Value) -> PyResult<()> {
    call_method(ctx, target, "set", &[pystr::new(key).v(), value], &[])?;
    Ok(())
}

/// `key in table_map`.
fn has_key(ctx: &mut Ctx, map: Value, key: &str) -> PyResult<bool> {
    crate::ops::compare::contains(ctx, map, pystr::new(key).v())
}

/// Frappe's `val not in (None, "")`.
fn is_blank(v: Value) -> bool {
    v.is_none() || pystr::as_str(v) == Some("")
}

fn text_of(ctx: &mut Ctx, obj: Value, key: &str) -> PyResult<String> {
    let v = get(ctx, obj, key)?;
    if v.v().is_none() {
        return Ok(String::new());
    }
    ops::repr::to_str(ctx, v.v())
}

fn permitted(ctx: &mut Ctx, doctype: &str, ptype: &str, name: Option<&str>) -> PyResult<bool> {
    let user = ctx.user.clone();
    ctx.host_call("frappe.has_permission", |h| {
        h.has_permission(doctype, ptype, name, &user)
    })
}

/// `doc.raise_no_permission_to(ptype)`: Frappe's PermissionError text.
fn no_permission(ctx: &mut Ctx, doctype: &str, ptype: &str) -> crate::ctx::Raised {
    ctx.raise_host_error(crate::host::HostError::new(
        "PermissionError",
        format!("Insufficient Permission for {doctype} (<strong>{ptype}</strong>)"),
    ))
}

pub fn get_mapped_doc(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [
        from_doctype,
        from_docname,
        table_maps,
        target_doc,
        postprocess,
        ignore_permissions,
        ignore_child_tables,
        _cached,
    ] = parse(
        ctx,
        "get_mapped_doc",
        [
            "from_doctype",
            "from_docname",
            "table_maps",
            "target_doc",
            "postprocess",
            "ignore_permissions",
            "ignore_child_tables",
            "cached",
        ],
        3,
        args,
        kwargs,
    )?;
    let (from_doctype, from_docname, table_maps) = (
        from_doctype.unwrap(),
        from_docname.unwrap(),
        table_maps.unwrap(),
    );
    let ignore_permissions = flag(ignore_permissions);
    let target = match opt(target_doc) {
        None => {
            let main = getitem(ctx, table_maps, from_doctype)?;
            let doctype = getitem(ctx, main.v(), pystr::new("doctype").v())?;
            docs::new_doc(ctx, &[doctype.v()], &[])?
        }
        Some(t) if doc::get(t).is_some() => Val::new_ref(t),
        Some(t) => {
            // a JSON string (what the desk sends), or a dict
            let parsed = if pystr::as_str(t).is_some() {
                crate::builtins::json::loads(ctx, &[t], &[])?
            } else {
                Val::new_ref(t)
            };
            docs::get_doc(ctx, &[parsed.v()], &[])?
        }
    };
    let target_doctype = text_of(ctx, target.v(), "doctype")?;
    if !ignore_permissions && !permitted(ctx, &target_doctype, "create", None)? {
        return Err(no_permission(ctx, &target_doctype, "create"));
    }
    let source = docs::get_doc(ctx, &[from_doctype, from_docname], &[])?;
    let source_doctype = text_of(ctx, source.v(), "doctype")?;
    let source_name = text_of(ctx, source.v(), "name")?;
    if !ignore_permissions && !permitted(ctx, &source_doctype, "read", Some(&source_name))? {
        return Err(no_permission(ctx, &source_doctype, "read"));
    }
    let mut metas = Metas::default();
    let main_map = getitem(ctx, table_maps, pystr::new(source_doctype.as_str()).v())?;
    let sides = Sides {
        source_meta: metas.of(ctx, &source_doctype)?,
        target_meta: metas.of(ctx, &target_doctype)?,
    };
    map_doc(ctx, source.v(), target.v(), main_map.v(), None, &sides)?;

    if !flag(ignore_child_tables) {
        map_children(ctx, &source, &target, table_maps, &sides, &mut metas)?;
    }
    if let Some(p) = opt(postprocess) {
        call(ctx, p, &[source.v(), target.v()], &[])?;
    }
    let onload = crate::object::dict::new_empty(true);
    let key = ops::compare::hkey(ctx, pystr::new("load_after_mapping").v())?;
    crate::object::dict::insert(onload.v(), key, Val::bool(true));
    set(ctx, target.v(), "__onload", onload.v())?;
    Ok(target)
}

/// The metas of a source and a target document.
struct Sides {
    source_meta: std::rc::Rc<Vec<Field>>,
    target_meta: std::rc::Rc<Vec<Field>>,
}

fn map_children(
    ctx: &mut Ctx,
    source: &Val,
    target: &Val,
    table_maps: Value,
    sides: &Sides,
    metas: &mut Metas,
) -> PyResult<()> {
    let flags = ctx.flags.clone();
    let selected = get(ctx, flags.v(), "selected_children")?;
    let mut row_exists: HashMap<String, bool> = HashMap::new();
    for df in sides.source_meta.iter().filter(|f| f.is_table()) {
        let mut table_map = call_method(
            ctx,
            table_maps,
            "get",
            &[pystr::new(df.options.as_str()).v()],
            &[],
        )?;
        if table_map.v().is_none() {
            // no map given: a table of the same name over the same child DocType
            let same = sides.target_meta.iter().find(|t| {
                t.fieldname == df.fieldname && t.options == df.options && !df.no_copy && !t.no_copy
            });
            if let Some(t) = same {
                let m = crate::object::dict::new_empty(false);
                let key = ops::compare::hkey(ctx, pystr::new("doctype").v())?;
                crate::object::dict::insert(m.v(), key, pystr::new(t.options.as_str()));
                table_map = m;
            }
        }
        if !truthy(table_map.v()) {
            continue;
        }
        let table_map = table_map.v();
        let rows = get(ctx, source.v(), &df.fieldname)?;
        let rows = if rows.v().is_none() {
            Vec::new()
        } else {
            crate::ops::iter::collect(ctx, rows.v())?
        };
        let chosen = if truthy(selected.v()) && has_key(ctx, selected.v(), &df.fieldname)? {
            Some(getitem(
                ctx,
                selected.v(),
                pystr::new(df.fieldname.as_str()).v(),
            )?)
        } else {
            None
        };
        for row in rows {
            let row = row.v();
            if has_key(ctx, table_map, "condition")? {
                let condition = get(ctx, table_map, "condition")?;
                let keep = call(ctx, condition.v(), &[row], &[])?;
                if !truthy(keep.v()) {
                    continue;
                }
            }
            if let Some(names) = &chosen {
                let name = get(ctx, row, "name")?;
                if !crate::ops::compare::contains(ctx, names.v(), name.v())? {
                    continue;
                }
            }
            let child_doctype = getitem(ctx, table_map, pystr::new("doctype").v())?;
            let child_doctype = ops::repr::to_str(ctx, child_doctype.v())?;
            let Some(parentfield) = sides
                .target_meta
                .iter()
                .find(|t| t.is_table() && t.options == child_doctype)
                .map(|t| t.fieldname.clone())
            else {
                let target_doctype = text_of(ctx, target.v(), "doctype")?;
                return Err(ctx.raise_host_error(crate::host::HostError::new(
                    "ValidationError",
                    format!("{target_doctype} has no table of {child_doctype} to map rows into"),
                )));
            };
            if !row_exists.contains_key(&parentfield) {
                let current = get(ctx, target.v(), &parentfield)?;
                row_exists.insert(parentfield.clone(), truthy(current.v()));
            }
            let add_if_empty = get(ctx, table_map, "add_if_empty")?;
            if truthy(add_if_empty.v()) && row_exists[&parentfield] {
                continue;
            }
            let filter = get(ctx, table_map, "filter")?;
            if truthy(filter.v()) {
                let drop = call(ctx, filter.v(), &[row], &[])?;
                if truthy(drop.v()) {
                    continue;
                }
            }
            let row_doctype = text_of(ctx, row, "doctype")?;
            let child_sides = Sides {
                source_meta: metas.of(ctx, &row_doctype)?,
                target_meta: metas.of(ctx, &child_doctype)?,
            };
            let new_row = docs::new_doc(
                ctx,
                &[pystr::new(child_doctype.as_str()).v()],
                &[
                    ("parent_doc", target.v()),
                    ("parentfield", pystr::new(parentfield.as_str()).v()),
                ],
            )?;
            map_doc(
                ctx,
                row,
                new_row.v(),
                table_map,
                Some(source.v()),
                &child_sides,
            )?;
            set(ctx, new_row.v(), "idx", Value::NONE)?;
            call_method(
                ctx,
                target.v(),
                "append",
                &[pystr::new(parentfield.as_str()).v(), new_row.v()],
                &[],
            )?;
        }
    }
    Ok(())
}

/// The `(key, value)` pairs of a dict, or the first two items of each entry of a list
/// of pairs (`field_map` may be either).
fn pairs(ctx: &mut Ctx, v: Value) -> PyResult<Vec<(Val, Val)>> {
    let entries = if crate::object::dict::get(v).is_some() {
        let items = call_method(ctx, v, "items", &[], &[])?;
        crate::ops::iter::collect(ctx, items.v())?
    } else {
        crate::ops::iter::collect(ctx, v)?
    };
    let mut out = Vec::with_capacity(entries.len());
    for pair in entries {
        let k = getitem(ctx, pair.v(), Val::int(0).v())?;
        let v = getitem(ctx, pair.v(), Val::int(1).v())?;
        out.push((k, v));
    }
    Ok(out)
}

/// Frappe's `map_doc`: the validation, the fields, the map's postprocess.
fn map_doc(
    ctx: &mut Ctx,
    source: Value,
    target: Value,
    table_map: Value,
    source_parent: Option<Value>,
    sides: &Sides,
) -> PyResult<()> {
    let validation = get(ctx, table_map, "validation")?;
    if truthy(validation.v()) {
        for (key, condition) in pairs(ctx, validation.v())? {
            let op = getitem(ctx, condition.v(), Val::int(0).v())?;
            if pystr::as_str(op.v()) != Some("=") {
                continue;
            }
            let key = ops::repr::to_str(ctx, key.v())?;
            let wanted = getitem(ctx, condition.v(), Val::int(1).v())?;
            let actual = get(ctx, source, &key)?;
            let differs = crate::ops::compare::compare(
                ctx,
                crate::ops::compare::CmpOp::Ne,
                actual.v(),
                wanted.v(),
            )?;
            if differs {
                let shown = if wanted.v().is_none() {
                    String::new()
                } else {
                    ops::repr::to_str(ctx, wanted.v())?
                };
                return Err(ctx.raise_host_error(crate::host::HostError::new(
                    "ValidationError",
                    format!("Cannot map because following condition fails: {key}={shown}"),
                )));
            }
        }
    }
    map_fields(ctx, source, target, table_map, source_parent, sides)?;
    if has_key(ctx, table_map, "postprocess")? {
        let p = get(ctx, table_map, "postprocess")?;
        call(
            ctx,
            p.v(),
            &[source, target, source_parent.unwrap_or(Value::NONE)],
            &[],
        )?;
    }
    Ok(())
}

/// Frappe's `map_fields`.
fn map_fields(
    ctx: &mut Ctx,
    source: Value,
    target: Value,
    table_map: Value,
    source_parent: Option<Value>,
    sides: &Sides,
) -> PyResult<()> {
    let mut no_copy: HashSet<String> = sides
        .source_meta
        .iter()
        .chain(sides.target_meta.iter())
        .filter(|f| f.no_copy || f.is_table())
        .map(|f| f.fieldname.clone())
        .chain(never_mapped().map(str::to_string))
        .collect();
    let field_no_map = get(ctx, table_map, "field_no_map")?;
    if truthy(field_no_map.v()) {
        for f in crate::ops::iter::collect(ctx, field_no_map.v())? {
            no_copy.insert(ops::repr::to_str(ctx, f.v())?);
        }
    }
    let source_doctype = text_of(ctx, source, "doctype")?;
    let parent_doctype = match source_parent {
        Some(p) => Some(text_of(ctx, p, "doctype")?),
        None => None,
    };
    for df in sides.target_meta.iter() {
        if no_copy.contains(&df.fieldname) {
            continue;
        }
        let value = get(ctx, source, &df.fieldname)?;
        if !is_blank(value.v()) {
            set(ctx, target, &df.fieldname, value.v())?;
        } else if df.fieldtype == "Link" {
            let current = get(ctx, target, &df.fieldname)?;
            if !truthy(current.v()) {
                if df.options == source_doctype {
                    let name = get(ctx, source, "name")?;
                    set(ctx, target, &df.fieldname, name.v())?;
                } else if let (Some(p), Some(pt)) = (source_parent, &parent_doctype)
                    && df.options == *pt
                {
                    let name = get(ctx, p, "name")?;
                    set(ctx, target, &df.fieldname, name.v())?;
                }
            }
        }
    }
    let field_map = get(ctx, table_map, "field_map")?;
    if truthy(field_map.v()) {
        for (from, to) in pairs(ctx, field_map.v())? {
            let from = ops::repr::to_str(ctx, from.v())?;
            let to = ops::repr::to_str(ctx, to.v())?;
            let value = get(ctx, source, &from)?;
            if !is_blank(value.v()) {
                set(ctx, target, &to, value.v())?;
            }
        }
    }
    let idx = get(ctx, source, "idx")?;
    if truthy(idx.v()) {
        set(ctx, target, "idx", idx.v())?;
    }
    for df in sides.target_meta.iter().filter(|f| f.fieldtype == "Link") {
        let link = get(ctx, target, &df.fieldname)?;
        if truthy(link.v()) {
            map_fetch_fields(ctx, target, df, link.v(), &sides.target_meta, &no_copy)?;
        }
    }
    Ok(())
}

/// Frappe's `map_fetch_fields`: read-only fields fetched from the document `df` links to.
fn map_fetch_fields(
    ctx: &mut Ctx,
    target: Value,
    df: &Field,
    link: Value,
    target_meta: &[Field],
    no_copy: &HashSet<String>,
) -> PyResult<()> {
    let prefix = format!("{}.", df.fieldname);
    let mut linked: Option<Val> = None;
    for fetch_df in target_meta
        .iter()
        .filter(|f| f.fetch_from.starts_with(&prefix))
    {
        if !(fetch_df.fieldtype == "Read Only" || fetch_df.read_only) {
            continue;
        }
        let current = get(ctx, target, &fetch_df.fieldname)?;
        if (truthy(current.v()) && fetch_df.fieldtype != "Read Only")
            || no_copy.contains(&fetch_df.fieldname)
        {
            continue;
        }
        let source_field = fetch_df.fetch_from.split('.').nth(1).unwrap_or("");
        if linked.is_none() {
            match docs::get_doc(ctx, &[pystr::new(df.options.as_str()).v(), link], &[]) {
                Ok(d) => linked = Some(d),
                Err(_) => {
                    // Frappe: a link that cannot be read fetches nothing
                    ctx.take_exception();
                    return Ok(());
                }
            }
        }
        let value = get(ctx, linked.as_ref().unwrap().v(), source_field)?;
        if !is_blank(value.v()) {
            set(ctx, target, &fetch_df.fieldname, value.v())?;
        }
    }
    Ok(())
}
