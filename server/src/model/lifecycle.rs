//! The document lifecycle in Frappe's order (reference §6.3). Each hook point is one
//! call of [`dispatch`]; each step that can fail returns an error and nothing after it
//! runs — the caller's transaction rolls back, so nothing is half-written.

use serde_json::Value;
use serverscript_runtime::host::{StoredDoc, WriteFlags};

use super::hooks::{DocEvent, HookArgs, dispatch};
use super::{Doc, doc_name, docstatus, naming, perm, store, validate, values};
use crate::error::{Error, Result};
use crate::meta::field::FieldType;
use crate::meta::{Meta, PermType};
use crate::tx::SiteTx;

/// What a save of an existing document does, from the stored and the new docstatus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Save,
    Submit,
    Cancel,
    UpdateAfterSubmit,
}

fn action(meta: &Meta, stored: i64, new: i64) -> Result<Action> {
    let transition = |m: &str| Error::throw("DocstatusTransitionError", m.to_string());
    match (stored, new) {
        (0, 0) => Ok(Action::Save),
        (0, 1) if meta.is_submittable => Ok(Action::Submit),
        (0, 1) => Err(transition(&format!("{} is not submittable", meta.name))),
        (0, 2) => Err(transition(
            "Cannot change docstatus from 0 (Draft) to 2 (Cancelled)",
        )),
        (1, 1) => Ok(Action::UpdateAfterSubmit),
        (1, 2) => Ok(Action::Cancel),
        (1, 0) => Err(transition(
            "Cannot change docstatus from 1 (Submitted) to 0 (Draft)",
        )),
        (2, _) => Err(Error::validation("Cannot edit cancelled document")),
        (_, n) => Err(transition(&format!("Invalid docstatus {n}"))),
    }
}

fn doctype_of(doc: &Doc) -> Result<String> {
    match doc.get("doctype") {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(Error::validation("Document has no doctype")),
    }
}

fn no_args() -> HookArgs {
    HookArgs::default()
}

/// Reads a document the user may read (`DoesNotExistError`, `PermissionError`).
pub fn get(tx: &mut SiteTx<'_>, doctype: &str, name: &str, check_permission: bool) -> Result<Doc> {
    let doc = get_stored(tx, doctype, name)?.into_json();
    if check_permission {
        let meta = tx.meta(doctype)?;
        perm::check(tx, &meta, PermType::Read, Some(&doc))?;
    }
    Ok(doc)
}

/// A script's `frappe.get_doc` (no permission check, as Frappe's): as [`get`], the
/// child rows kept as shared-column tables.
pub fn get_stored(tx: &mut SiteTx<'_>, doctype: &str, name: &str) -> Result<StoredDoc> {
    let meta = tx.meta(doctype)?;
    match store::load_stored(tx, &meta, name)? {
        Some(doc) => Ok(doc),
        // a Single that was never saved: its defaults (saving it creates the row)
        None if meta.issingle && name == meta.name => {
            Ok(new_doc(tx, &meta, Some(&meta.name))?.into())
        }
        None => Err(Error::not_found(&meta.name, name)),
    }
}

/// `frappe.new_doc(doctype)`: an unsaved document with the DocType's defaults (a Single
/// also gets its one name).
pub fn new_doc(tx: &mut SiteTx<'_>, meta: &Meta, name: Option<&str>) -> Result<Doc> {
    let mut doc = Doc::new();
    doc.insert("doctype".into(), meta.name.clone().into());
    if let Some(n) = name {
        doc.insert("name".into(), n.into());
    }
    values::apply_defaults(tx, meta, &mut doc)?;
    doc.insert("docstatus".into(), 0.into());
    doc.insert("__islocal".into(), 1.into());
    Ok(doc)
}

/// `frappe.db.get_single_value(doctype, field)`: the stored value cast to the field's
/// type (0 for numbers, "" for text when unset, as Frappe's `cast`).
pub fn get_single_value(tx: &mut SiteTx<'_>, doctype: &str, field: &str) -> Result<Value> {
    let meta = tx.meta(doctype)?;
    if !meta.issingle {
        return Err(Error::validation(format!(
            "{doctype} is not a Single DocType"
        )));
    }
    let doc = get(tx, doctype, doctype, false)?;
    let Some(df) = meta.field(field) else {
        if ["name", "modified", "creation", "owner", "modified_by"].contains(&field) {
            return Ok(doc.get(field).cloned().unwrap_or(Value::Null));
        }
        return Err(Error::throw(
            "DoesNotExistError",
            format!("Field {field} does not exist on {doctype}"),
        ));
    };
    let v = doc.get(field).cloned().unwrap_or(Value::Null);
    let ft = df.fieldtype;
    Ok(match v {
        Value::Null if ft.is_numeric() => ft.empty_value(),
        Value::Null
            if matches!(
                ft,
                FieldType::Data
                    | FieldType::Text
                    | FieldType::SmallText
                    | FieldType::LongText
                    | FieldType::TextEditor
                    | FieldType::Select
                    | FieldType::Link
                    | FieldType::DynamicLink
            ) =>
        {
            Value::from("")
        }
        v => v,
    })
}

/// `doc.insert()`: a new document (docstatus 0, or 1 to insert submitted).
pub fn insert(tx: &mut SiteTx<'_>, mut doc: Doc, flags: &WriteFlags) -> Result<Doc> {
    tx.write_lock()?;
    let meta = tx.meta(&doctype_of(&doc)?)?;
    if meta.istable {
        return Err(Error::validation(format!(
            "{} is a child table: insert its rows through their parent document",
            meta.name
        )));
    }
    // 1. defaults, standard fields, docstatus, links, permission
    values::coerce(tx, &meta, &mut doc)?;
    values::apply_defaults(tx, &meta, &mut doc)?;
    let user = tx.user.clone();
    let now = tx.now();
    store::stamp_new(&mut doc, &user, &now);
    let submitting = match docstatus(&doc) {
        0 => false,
        1 if meta.is_submittable => true,
        1 => {
            return Err(Error::throw(
                "DocstatusTransitionError",
                format!("{} is not submittable", meta.name),
            ));
        }
        _ => {
            return Err(Error::throw(
                "DocstatusTransitionError",
                "Cannot change docstatus from 0 (Draft) to 2 (Cancelled)",
            ));
        }
    };
    if !flags.ignore_links {
        validate::links(tx, &meta, &doc)?;
    }
    if !flags.ignore_permissions {
        perm::check(tx, &meta, PermType::Create, Some(&doc))?;
        if submitting {
            perm::check(tx, &meta, PermType::Submit, Some(&doc))?;
        }
    }
    // 2. before_insert, 3. naming
    dispatch(tx, &meta, DocEvent::BeforeInsert, &mut doc, &no_args())?;
    dispatch(tx, &meta, DocEvent::BeforeNaming, &mut doc, &no_args())?;
    naming::set_new_name(tx, &meta, &mut doc)?;
    // 4–7. before_validate, validate (+ before_save / before_submit), framework checks
    let action = if submitting {
        Action::Submit
    } else {
        Action::Save
    };
    before_save_hooks(tx, &meta, &mut doc, action, flags, &no_args())?;
    values::coerce(tx, &meta, &mut doc)?;
    if !flags.ignore_validate {
        if !flags.ignore_mandatory {
            validate::mandatory(tx, &meta, &doc)?;
        }
        validate::values(tx, &meta, &doc)?;
    }
    // 8. write
    if store::exists(tx, &meta.name, doc_name(&doc))? {
        return Err(store::duplicate_name(&meta.name, doc_name(&doc)));
    }
    let passwords = crate::auth::take_passwords(&meta, &mut doc);
    store::insert(tx, &meta, &mut doc)?;
    crate::auth::store_passwords(tx, &meta.name, doc_name(&doc), passwords)?;
    super::version::record(tx, &meta, None, &doc)?;
    // 9–11. after_insert, on_update (+ on_submit), on_change
    dispatch(tx, &meta, DocEvent::AfterInsert, &mut doc, &no_args())?;
    dispatch(tx, &meta, DocEvent::OnUpdate, &mut doc, &no_args())?;
    if submitting {
        dispatch(tx, &meta, DocEvent::OnSubmit, &mut doc, &no_args())?;
    }
    dispatch(tx, &meta, DocEvent::OnChange, &mut doc, &no_args())?;
    Ok(doc)
}

/// The hooks before the write, by action (Frappe's `run_before_save_methods`).
fn before_save_hooks(
    tx: &mut SiteTx<'_>,
    meta: &Meta,
    doc: &mut Doc,
    action: Action,
    flags: &WriteFlags,
    args: &HookArgs,
) -> Result<()> {
    match action {
        Action::Save | Action::Submit => {
            dispatch(tx, meta, DocEvent::BeforeValidate, doc, args)?;
            if flags.ignore_validate {
                return Ok(());
            }
            dispatch(tx, meta, DocEvent::Validate, doc, args)?;
            let next = if action == Action::Save {
                DocEvent::BeforeSave
            } else {
                DocEvent::BeforeSubmit
            };
            dispatch(tx, meta, next, doc, args)
        }
        Action::Cancel => dispatch(tx, meta, DocEvent::BeforeCancel, doc, args),
        Action::UpdateAfterSubmit => {
            dispatch(tx, meta, DocEvent::BeforeUpdateAfterSubmit, doc, args)
        }
    }
}

/// `doc.save()`: writes a document; a new one (no name, or not stored) is inserted.
/// The stored and new docstatus decide between save, submit, cancel and update after
/// submit. A `modified` that differs from the stored one means someone saved in between:
/// `TimestampMismatchError`.
pub fn save(tx: &mut SiteTx<'_>, mut doc: Doc, flags: &WriteFlags) -> Result<Doc> {
    tx.write_lock()?;
    let meta = tx.meta(&doctype_of(&doc)?)?;
    let name = doc_name(&doc).to_string();
    if name.is_empty()
        || doc
            .get("__islocal")
            .is_some_and(|v| !v.is_null() && v != &Value::from(0))
    {
        doc.remove("__islocal");
        return insert(tx, doc, flags);
    }
    let Some(stored) = store::load(tx, &meta, &name)? else {
        return insert(tx, doc, flags);
    };
    // the stored version goes to every hook of this save (`get_doc_before_save`)
    let stored = std::sync::Arc::new(stored);
    let args = HookArgs {
        before: Some(stored.clone()),
        ..HookArgs::default()
    };
    values::coerce(tx, &meta, &mut doc)?;
    if !doc.contains_key("docstatus") {
        doc.insert("docstatus".into(), docstatus(&stored).into());
    }
    let action = action(&meta, docstatus(&stored), docstatus(&doc))?;
    // the timestamp check (Frappe's check_if_latest)
    if let Some(Value::String(m)) = doc.get("modified") {
        let stored_modified = stored.get("modified").and_then(Value::as_str).unwrap_or("");
        if !m.is_empty() && m != stored_modified {
            return Err(Error::throw(
                "TimestampMismatchError",
                format!(
                    "Error: Document has been modified after you have opened it ({stored_modified}, {m}). Please refresh to get the latest document."
                ),
            ));
        }
    }
    if !flags.ignore_permissions {
        let ptype = match action {
            Action::Save | Action::UpdateAfterSubmit => PermType::Write,
            Action::Submit => PermType::Submit,
            Action::Cancel => PermType::Cancel,
        };
        perm::check(tx, &meta, ptype, Some(&stored))?;
    }
    // who made it and when stay as stored; the rest is ours
    for k in ["owner", "creation"] {
        if let Some(v) = stored.get(k) {
            doc.insert(k.into(), v.clone());
        }
    }
    keep_row_stamps(&meta, &stored, &mut doc);
    values::apply_defaults(tx, &meta, &mut doc)?;
    if !flags.skip_modified {
        doc.insert("modified".into(), tx.now().into());
        doc.insert("modified_by".into(), tx.user.clone().into());
    }
    if action != Action::Cancel && !flags.ignore_links {
        validate::links(tx, &meta, &doc)?;
    }
    before_save_hooks(tx, &meta, &mut doc, action, flags, &args)?;
    values::coerce(tx, &meta, &mut doc)?;
    match action {
        Action::Save | Action::Submit if !flags.ignore_validate => {
            if !flags.ignore_mandatory {
                validate::mandatory(tx, &meta, &doc)?;
            }
            validate::values(tx, &meta, &doc)?;
        }
        Action::UpdateAfterSubmit => {
            validate::values(tx, &meta, &doc)?;
            check_update_after_submit(&meta, &stored, &doc)?;
        }
        _ => {}
    }
    let passwords = crate::auth::take_passwords(&meta, &mut doc);
    store::update(tx, &meta, &mut doc)?;
    crate::auth::store_passwords(tx, &meta.name, &name, passwords)?;
    super::version::record(tx, &meta, Some(&stored), &doc)?;
    match action {
        Action::Save => dispatch(tx, &meta, DocEvent::OnUpdate, &mut doc, &args)?,
        Action::Submit => {
            dispatch(tx, &meta, DocEvent::OnUpdate, &mut doc, &args)?;
            dispatch(tx, &meta, DocEvent::OnSubmit, &mut doc, &args)?;
        }
        Action::Cancel => {
            dispatch(tx, &meta, DocEvent::OnCancel, &mut doc, &args)?;
            check_no_links(tx, &meta, &name, true)?;
        }
        Action::UpdateAfterSubmit => {
            dispatch(tx, &meta, DocEvent::OnUpdateAfterSubmit, &mut doc, &args)?
        }
    }
    dispatch(tx, &meta, DocEvent::OnChange, &mut doc, &args)?;
    Ok(doc)
}

/// A stored row keeps its owner and creation; a new row gets the document's (whatever
/// the client sent for it) when it is written.
fn keep_row_stamps(meta: &Meta, stored: &Doc, doc: &mut Doc) {
    for tf in meta.table_fields() {
        let Some(Value::Array(rows)) = doc.get_mut(&tf.fieldname) else {
            continue;
        };
        let before: &[Value] = match stored.get(&tf.fieldname) {
            Some(Value::Array(b)) => b,
            _ => &[],
        };
        for row in rows.iter_mut().filter_map(Value::as_object_mut) {
            let old = row
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .and_then(|n| {
                    before
                        .iter()
                        .filter_map(Value::as_object)
                        .find(|b| b.get("name").and_then(Value::as_str) == Some(n))
                });
            for k in ["owner", "creation"] {
                match old.and_then(|o| o.get(k)) {
                    Some(v) => row.insert(k.into(), v.clone()),
                    None => row.remove(k),
                };
            }
        }
    }
}

/// After submission only `allow_on_submit` fields may change (UpdateAfterSubmitError).
fn check_update_after_submit(meta: &Meta, stored: &Doc, doc: &Doc) -> Result<()> {
    for f in meta.data_fields().filter(|f| !f.allow_on_submit) {
        let old = stored.get(&f.fieldname).unwrap_or(&Value::Null);
        let new = doc.get(&f.fieldname).unwrap_or(&Value::Null);
        let same = old == new
            || (old.is_null() && new.as_str() == Some(""))
            || (new.is_null() && old.as_str() == Some(""));
        if !same {
            return Err(Error::throw(
                "UpdateAfterSubmitError",
                format!(
                    "Not allowed to change {} after submission from {} to {}",
                    f.label(),
                    display(old),
                    display(new)
                ),
            ));
        }
    }
    Ok(())
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        v => v.to_string(),
    }
}

/// `doc.submit()`: docstatus 0 → 1.
pub fn submit(tx: &mut SiteTx<'_>, mut doc: Doc, flags: &WriteFlags) -> Result<Doc> {
    doc.insert("docstatus".into(), 1.into());
    save(tx, doc, flags)
}

/// `doc.cancel()`: docstatus 1 → 2 (only `before_cancel` and `on_cancel` run).
pub fn cancel(tx: &mut SiteTx<'_>, doctype: &str, name: &str, flags: &WriteFlags) -> Result<Doc> {
    tx.write_lock()?;
    let mut doc = get(tx, doctype, name, false)?;
    doc.insert("docstatus".into(), 2.into());
    doc.remove("modified");
    save(tx, doc, flags)
}

/// `frappe.delete_doc`. A missing document is `DoesNotExistError` unless `ignore_missing`.
pub fn delete(
    tx: &mut SiteTx<'_>,
    doctype: &str,
    name: &str,
    flags: &WriteFlags,
    ignore_missing: bool,
) -> Result<()> {
    tx.write_lock()?;
    let meta = tx.meta(doctype)?;
    let Some(mut doc) = store::load(tx, &meta, name)? else {
        return if ignore_missing {
            Ok(())
        } else {
            Err(Error::not_found(&meta.name, name))
        };
    };
    if !flags.ignore_permissions {
        perm::check(tx, &meta, PermType::Delete, Some(&doc))?;
    }
    if meta.is_submittable && docstatus(&doc) == 1 {
        return Err(Error::validation(format!(
            "{} {}: Submitted Record cannot be deleted. You must Cancel it first.",
            meta.name, name
        )));
    }
    dispatch(tx, &meta, DocEvent::OnTrash, &mut doc, &no_args())?;
    dispatch(tx, &meta, DocEvent::OnChange, &mut doc, &no_args())?;
    check_no_links(tx, &meta, name, false)?;
    store::delete(tx, &meta, name)?;
    crate::auth::delete_passwords(tx, &meta.name, name)?;
    dispatch(tx, &meta, DocEvent::AfterDelete, &mut doc, &no_args())?;
    Ok(())
}

/// Every (DocType, Link field) that points at `doctype`.
fn links_to(tx: &mut SiteTx<'_>, doctype: &str) -> Result<Vec<(std::sync::Arc<Meta>, String)>> {
    let names: Vec<String> = {
        let mut stmt = tx.db.prepare_cached("SELECT name FROM \"tabDocType\"")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::new();
    for n in names {
        let m = tx.meta(&n)?;
        for f in m
            .fields
            .iter()
            .filter(|f| f.fieldtype == crate::meta::FieldType::Link && f.options == doctype)
        {
            out.push((m.clone(), f.fieldname.clone()));
        }
    }
    Ok(out)
}

/// LinkExistsError when another document links to this one (cancelled ones aside; for a
/// cancel only submitted documents count).
fn check_no_links(tx: &mut SiteTx<'_>, meta: &Meta, name: &str, cancelling: bool) -> Result<()> {
    for (m, field) in links_to(tx, &meta.name)? {
        let (owner_table, parent_col) = if m.istable {
            (true, ", parent, parenttype")
        } else {
            (false, "")
        };
        let status = if cancelling {
            "docstatus = 1"
        } else {
            "docstatus < 2"
        };
        let sql = format!(
            "SELECT name{parent_col} FROM {} WHERE {} = ?1 AND {status} LIMIT 5",
            crate::db::table(&m.name),
            crate::db::quote(&field)
        );
        let hits: Vec<(String, Option<String>, Option<String>)> = {
            let mut stmt = tx.db.prepare_cached(&sql)?;
            stmt.query_map([name], |r| {
                Ok((
                    r.get(0)?,
                    if owner_table { r.get(1)? } else { None },
                    if owner_table { r.get(2)? } else { None },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        for (linked, parent, parenttype) in hits {
            let (ldt, lname) = match (parent, parenttype) {
                (Some(p), Some(pt)) => (pt, p),
                _ => (m.name.clone(), linked),
            };
            if ldt == meta.name && lname == name {
                continue; // a document's own rows may point back at it
            }
            return Err(Error::throw(
                "LinkExistsError",
                format!(
                    "Cannot delete or cancel because {} {} is linked with {} {}",
                    meta.name, name, ldt, lname
                ),
            ));
        }
    }
    Ok(())
}

/// `frappe.rename_doc`: the row, its children and every link to it take the new name.
pub fn rename(
    tx: &mut SiteTx<'_>,
    doctype: &str,
    old: &str,
    new: &str,
    merge: bool,
    flags: &WriteFlags,
) -> Result<String> {
    tx.write_lock()?;
    let meta = tx.meta(doctype)?;
    let new = new.trim();
    if meta.name == "DocType" {
        return Err(Error::validation("Renaming a DocType is not supported"));
    }
    let mut doc = store::load(tx, &meta, old)?.ok_or_else(|| Error::not_found(&meta.name, old))?;
    if !flags.ignore_permissions {
        perm::check(tx, &meta, PermType::Write, Some(&doc))?;
    }
    if old == new {
        return Ok(new.to_string());
    }
    naming::validate_name(&meta.name, new)?;
    if merge {
        return Err(Error::validation(
            "Merging documents on rename is not supported",
        ));
    }
    if store::exists(tx, &meta.name, new)? {
        return Err(Error::throw(
            "DuplicateEntryError",
            format!(
                "Another {} with name {} exists, select another name",
                meta.name, new
            ),
        ));
    }
    let args = HookArgs {
        old_name: Some(old.to_string()),
        new_name: Some(new.to_string()),
        merge,
        before: None,
    };
    dispatch(tx, &meta, DocEvent::BeforeRename, &mut doc, &args)?;
    let t = crate::db::table(&meta.name);
    tx.db.execute(
        &format!("UPDATE {t} SET name = ?1 WHERE name = ?2"),
        [new, old],
    )?;
    for f in meta.table_fields() {
        tx.db.execute(
            &format!(
                "UPDATE {} SET parent = ?1 WHERE parent = ?2 AND parenttype = ?3",
                crate::db::table(&f.options)
            ),
            [new, old, meta.name.as_str()],
        )?;
    }
    for (m, field) in links_to(tx, &meta.name)? {
        tx.db.execute(
            &format!(
                "UPDATE {} SET {} = ?1 WHERE {} = ?2",
                crate::db::table(&m.name),
                crate::db::quote(&field),
                crate::db::quote(&field)
            ),
            [new, old],
        )?;
    }
    tx.db.execute(
        "UPDATE \"__Auth\" SET name = ?1 WHERE doctype = ?2 AND name = ?3",
        [new, meta.name.as_str(), old],
    )?;
    let mut renamed =
        store::load(tx, &meta, new)?.ok_or_else(|| Error::not_found(&meta.name, new))?;
    dispatch(tx, &meta, DocEvent::AfterRename, &mut renamed, &args)?;
    Ok(new.to_string())
}

/// REST `PUT`: the stored document updated with `data` (child tables given are
/// replaced), then saved.
pub fn update(
    tx: &mut SiteTx<'_>,
    doctype: &str,
    name: &str,
    mut data: Doc,
    flags: &WriteFlags,
) -> Result<Doc> {
    tx.write_lock()?;
    let mut doc = get(tx, doctype, name, false)?;
    for k in ["flags", "doctype", "name", "owner", "creation", "__islocal"] {
        data.remove(k);
    }
    for (k, v) in data {
        doc.insert(k, v);
    }
    save(tx, doc, flags)
}
