//! The hook points of the document lifecycle and the one function they call.
//!
//! Every step of §6.3 that Frappe runs through `run_method(<hook>)` calls
//! [`dispatch`] with a [`DocEvent`]; it runs the built-in controller of the DocType (User
//! keeps `full_name`, DocType keeps its table) and then the site's [`Hooks`] — the script
//! engine, or a test's recorder.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::meta::Meta;
use crate::tx::SiteTx;

/// How deep hooks may nest (a hook saving a document whose hook saves another…).
pub const MAX_HOOK_DEPTH: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocEvent {
    BeforeInsert,
    BeforeNaming,
    BeforeValidate,
    Validate,
    BeforeSave,
    BeforeSubmit,
    BeforeCancel,
    BeforeUpdateAfterSubmit,
    AfterInsert,
    OnUpdate,
    OnSubmit,
    OnCancel,
    OnUpdateAfterSubmit,
    OnChange,
    OnTrash,
    AfterDelete,
    BeforeRename,
    AfterRename,
}

/// (event, Frappe's hook method, the Server Script label when scripts can bind to it).
const EVENTS: &[(DocEvent, &str, Option<&str>)] = &[
    (
        DocEvent::BeforeInsert,
        "before_insert",
        Some("Before Insert"),
    ),
    (DocEvent::BeforeNaming, "before_naming", None),
    (
        DocEvent::BeforeValidate,
        "before_validate",
        Some("Before Validate"),
    ),
    (DocEvent::Validate, "validate", Some("Before Save")),
    (DocEvent::BeforeSave, "before_save", None),
    (
        DocEvent::BeforeSubmit,
        "before_submit",
        Some("Before Submit"),
    ),
    (
        DocEvent::BeforeCancel,
        "before_cancel",
        Some("Before Cancel"),
    ),
    (
        DocEvent::BeforeUpdateAfterSubmit,
        "before_update_after_submit",
        Some("Before Save (Submitted Document)"),
    ),
    (DocEvent::AfterInsert, "after_insert", Some("After Insert")),
    (DocEvent::OnUpdate, "on_update", Some("After Save")),
    (DocEvent::OnSubmit, "on_submit", Some("After Submit")),
    (DocEvent::OnCancel, "on_cancel", Some("After Cancel")),
    (
        DocEvent::OnUpdateAfterSubmit,
        "on_update_after_submit",
        Some("After Save (Submitted Document)"),
    ),
    (DocEvent::OnChange, "on_change", None),
    (DocEvent::OnTrash, "on_trash", Some("Before Delete")),
    (DocEvent::AfterDelete, "after_delete", Some("After Delete")),
    (
        DocEvent::BeforeRename,
        "before_rename",
        Some("Before Rename"),
    ),
    (DocEvent::AfterRename, "after_rename", Some("After Rename")),
];

impl DocEvent {
    /// Frappe's hook method name (`validate`, `on_update`…).
    pub fn method(self) -> &'static str {
        EVENTS
            .iter()
            .find(|e| e.0 == self)
            .map(|e| e.1)
            .expect("every event listed")
    }

    /// The Server Script `doctype_event` label, if scripts bind to this hook.
    pub fn script_label(self) -> Option<&'static str> {
        EVENTS.iter().find(|e| e.0 == self).and_then(|e| e.2)
    }
}

/// Extra arguments of a hook: rename's old and new names; for a save of a stored
/// document, the stored version (`doc.get_doc_before_save()`), read once by the save.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HookArgs {
    pub old_name: Option<String>,
    pub new_name: Option<String>,
    pub merge: bool,
    pub before: Option<std::sync::Arc<Map<String, Value>>>,
}

/// What the site runs at each hook point after the DocType's controller.
pub trait Hooks: Send + Sync {
    fn run(
        &self,
        tx: &mut SiteTx<'_>,
        meta: &Meta,
        event: DocEvent,
        doc: &mut Map<String, Value>,
        args: &HookArgs,
    ) -> Result<()>;
}

/// A site without scripts.
pub struct NoHooks;

impl Hooks for NoHooks {
    fn run(
        &self,
        _: &mut SiteTx<'_>,
        _: &Meta,
        _: DocEvent,
        _: &mut Map<String, Value>,
        _: &HookArgs,
    ) -> Result<()> {
        Ok(())
    }
}

/// The one hook point: controller first, then the site's hooks (Frappe's `run_method`).
pub fn dispatch(
    tx: &mut SiteTx<'_>,
    meta: &Meta,
    event: DocEvent,
    doc: &mut Map<String, Value>,
    args: &HookArgs,
) -> Result<()> {
    super::controllers::run(tx, meta, event, doc, args)?;
    if tx.hook_depth >= MAX_HOOK_DEPTH {
        return Err(Error::validation(format!(
            "Hooks nested more than {MAX_HOOK_DEPTH} levels deep ({} {} on {}): is a hook saving documents in a loop?",
            meta.name,
            event.method(),
            doc.get("name")
                .and_then(Value::as_str)
                .unwrap_or("new document")
        )));
    }
    let hooks = tx.site.hooks();
    tx.hook_depth += 1;
    let result = hooks.run(tx, meta, event, doc, args);
    tx.hook_depth -= 1;
    result
}
