//! The document lifecycle against a real SQLite site, with a test-only hook that records
//! every hook point (and can fail at one): the order of §6.3 for every path, rollback of
//! a failing step, the errors of each check.

use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};
use serverscript_runtime::host::WriteFlags;
use serverscript_server::meta::Meta;
use serverscript_server::model::hooks::{DocEvent, HookArgs, Hooks};
use serverscript_server::model::{lifecycle, query};
use serverscript_server::{Result, Site, SiteTx};

#[derive(Default)]
struct Recorder {
    log: Mutex<Vec<String>>,
    fail_at: Mutex<Option<DocEvent>>,
}

impl Hooks for Recorder {
    fn run(
        &self,
        _: &mut SiteTx<'_>,
        meta: &Meta,
        event: DocEvent,
        doc: &mut Map<String, Value>,
        _: &HookArgs,
    ) -> Result<()> {
        if meta.name != "Task" {
            return Ok(());
        }
        self.log.lock().unwrap().push(event.method().to_string());
        if event == DocEvent::Validate {
            // a Before Save hook may fill a mandatory field
            if doc.get("subject").and_then(Value::as_str) == Some("fill me") {
                doc.insert("owner_note".into(), "filled by validate".into());
            }
        }
        if *self.fail_at.lock().unwrap() == Some(event) {
            return Err(serverscript_server::Error::validation(format!(
                "failing at {}",
                event.method()
            )));
        }
        Ok(())
    }
}

impl Recorder {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

struct Fixture {
    _dir: tempfile::TempDir,
    site: Site,
    hooks: Arc<Recorder>,
}

fn site() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("test"), Some("admin")).unwrap();
    let hooks = Arc::new(Recorder::default());
    site.set_hooks(hooks.clone());
    let mut tx = site.begin("Administrator", true).unwrap();
    let doctype = obj(json!({
        "doctype": "DocType", "name": "Task", "is_submittable": 1, "autoname": "TASK-.#####",
        "fields": [
            {"fieldname": "subject", "fieldtype": "Data", "label": "Subject", "reqd": 1},
            {"fieldname": "owner_note", "fieldtype": "Data", "label": "Owner Note", "reqd": 1},
            {"fieldname": "status", "fieldtype": "Select", "options": "Open\nDone", "default": "Open", "allow_on_submit": 1},
            {"fieldname": "qty", "fieldtype": "Int", "label": "Qty"},
            {"fieldname": "assignee", "fieldtype": "Link", "options": "User", "label": "Assignee"}
        ],
        "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1, "submit": 1, "cancel": 1}]
    }));
    lifecycle::insert(&mut tx, doctype, &WriteFlags::default()).unwrap();
    tx.commit().unwrap();
    drop(tx);
    Fixture {
        _dir: dir,
        site,
        hooks,
    }
}

fn new_task(subject: &str) -> Map<String, Value> {
    obj(json!({"doctype": "Task", "subject": subject, "owner_note": "n"}))
}

#[test]
fn insert_runs_the_hooks_in_frappes_order() {
    let f = site();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let doc = lifecycle::insert(&mut tx, new_task("a"), &WriteFlags::default()).unwrap();
    assert_eq!(
        f.hooks.take(),
        [
            "before_insert",
            "before_naming",
            "before_validate",
            "validate",
            "before_save",
            "after_insert",
            "on_update",
            "on_change"
        ]
    );
    assert_eq!(doc["name"], "TASK-00001");
    assert_eq!(doc["status"], "Open", "defaults applied");
    assert_eq!(doc["qty"], 0, "numbers start at 0");
}

#[test]
fn save_submit_update_after_submit_and_cancel_follow_frappes_order() {
    let f = site();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let doc = lifecycle::insert(&mut tx, new_task("a"), &WriteFlags::default()).unwrap();
    f.hooks.take();
    let doc = lifecycle::save(&mut tx, doc, &WriteFlags::default()).unwrap();
    assert_eq!(
        f.hooks.take(),
        [
            "before_validate",
            "validate",
            "before_save",
            "on_update",
            "on_change"
        ]
    );
    let doc = lifecycle::submit(&mut tx, doc, &WriteFlags::default()).unwrap();
    assert_eq!(
        f.hooks.take(),
        [
            "before_validate",
            "validate",
            "before_submit",
            "on_update",
            "on_submit",
            "on_change"
        ]
    );
    let mut doc = doc;
    doc.insert("status".into(), "Done".into());
    let doc = lifecycle::save(&mut tx, doc, &WriteFlags::default()).unwrap();
    assert_eq!(
        f.hooks.take(),
        [
            "before_update_after_submit",
            "on_update_after_submit",
            "on_change"
        ]
    );
    let mut changed = doc.clone();
    changed.insert("subject".into(), "changed".into());
    let err = lifecycle::save(&mut tx, changed, &WriteFlags::default()).unwrap_err();
    assert_eq!(err.exc_type, "UpdateAfterSubmitError");
    assert_eq!(err.status(), 417);
    f.hooks.take();
    lifecycle::cancel(
        &mut tx,
        "Task",
        doc["name"].as_str().unwrap(),
        &WriteFlags::default(),
    )
    .unwrap();
    assert_eq!(f.hooks.take(), ["before_cancel", "on_cancel", "on_change"]);
    let cancelled = lifecycle::get(&mut tx, "Task", "TASK-00001", true).unwrap();
    let err = lifecycle::save(&mut tx, cancelled, &WriteFlags::default()).unwrap_err();
    assert!(err.text.contains("Cannot edit cancelled document"), "{err}");
}

#[test]
fn inserting_a_submitted_document_takes_the_submit_path() {
    let f = site();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let mut d = new_task("a");
    d.insert("docstatus".into(), 1.into());
    lifecycle::insert(&mut tx, d, &WriteFlags::default()).unwrap();
    assert_eq!(
        f.hooks.take(),
        [
            "before_insert",
            "before_naming",
            "before_validate",
            "validate",
            "before_submit",
            "after_insert",
            "on_update",
            "on_submit",
            "on_change"
        ]
    );
}

#[test]
fn delete_and_rename_follow_frappes_order() {
    let f = site();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    lifecycle::insert(&mut tx, new_task("a"), &WriteFlags::default()).unwrap();
    f.hooks.take();
    let new = lifecycle::rename(
        &mut tx,
        "Task",
        "TASK-00001",
        "T-X",
        false,
        &WriteFlags::default(),
    )
    .unwrap();
    assert_eq!(new, "T-X");
    assert_eq!(f.hooks.take(), ["before_rename", "after_rename"]);
    lifecycle::delete(&mut tx, "Task", "T-X", &WriteFlags::default(), false).unwrap();
    assert_eq!(f.hooks.take(), ["on_trash", "on_change", "after_delete"]);
    let err = lifecycle::get(&mut tx, "Task", "T-X", true).unwrap_err();
    assert_eq!(
        (err.exc_type.as_str(), err.status()),
        ("DoesNotExistError", 404)
    );
}

#[test]
fn a_failing_hook_stops_the_operation_and_the_rollback_leaves_nothing() {
    let f = site();
    for event in [
        DocEvent::Validate,
        DocEvent::AfterInsert,
        DocEvent::OnUpdate,
    ] {
        *f.hooks.fail_at.lock().unwrap() = Some(event);
        let mut tx = f.site.begin("Administrator", true).unwrap();
        let err = lifecycle::insert(&mut tx, new_task("a"), &WriteFlags::default()).unwrap_err();
        assert_eq!(err.text, format!("failing at {}", event.method()));
        let log = f.hooks.take();
        assert_eq!(
            log.last().map(String::as_str),
            Some(event.method()),
            "nothing runs after the failure"
        );
        tx.rollback().unwrap();
    }
    *f.hooks.fail_at.lock().unwrap() = None;
    let mut tx = f.site.begin("Administrator", false).unwrap();
    assert_eq!(
        query::count(&mut tx, "Task", &Value::Null, true).unwrap(),
        0,
        "no half-written rows"
    );
    drop(tx);
    // the series numbers drawn by the failed inserts were rolled back too
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let doc = lifecycle::insert(&mut tx, new_task("a"), &WriteFlags::default()).unwrap();
    assert_eq!(doc["name"], "TASK-00001");
}

#[test]
fn mandatory_fields_are_checked_after_the_before_save_hooks() {
    let f = site();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let doc = obj(json!({"doctype": "Task", "subject": "fill me"}));
    let doc = lifecycle::insert(&mut tx, doc, &WriteFlags::default()).unwrap();
    assert_eq!(doc["owner_note"], "filled by validate");
    let err = lifecycle::insert(
        &mut tx,
        obj(json!({"doctype": "Task"})),
        &WriteFlags::default(),
    )
    .unwrap_err();
    assert_eq!(err.exc_type, "MandatoryError");
    assert!(err.text.ends_with("]: subject, owner_note"), "{}", err.text);
    assert_eq!(err.messages.len(), 2);
    assert_eq!(
        err.messages[0].message,
        "Error: Value missing for Task: Subject"
    );
}

#[test]
fn links_selects_and_docstatus_transitions_are_validated() {
    let f = site();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let mut d = new_task("a");
    d.insert("assignee".into(), "nobody@example.com".into());
    let err = lifecycle::insert(&mut tx, d, &WriteFlags::default()).unwrap_err();
    assert_eq!(err.exc_type, "LinkValidationError");
    assert_eq!(err.text, "Could not find Assignee: nobody@example.com");
    let mut d = new_task("a");
    d.insert("status".into(), "Maybe".into());
    let err = lifecycle::insert(&mut tx, d, &WriteFlags::default()).unwrap_err();
    assert_eq!(
        err.text,
        "status cannot be \"Maybe\". It should be one of \"Open\" or \"Done\""
    );
    let doc = lifecycle::insert(&mut tx, new_task("a"), &WriteFlags::default()).unwrap();
    let mut cancel_draft = doc.clone();
    cancel_draft.insert("docstatus".into(), 2.into());
    let err = lifecycle::save(&mut tx, cancel_draft, &WriteFlags::default()).unwrap_err();
    assert_eq!(err.exc_type, "DocstatusTransitionError");
    assert_eq!(
        err.text,
        "Cannot change docstatus from 0 (Draft) to 2 (Cancelled)"
    );
}

#[test]
fn a_stale_modified_is_a_timestamp_mismatch() {
    let f = site();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let doc = lifecycle::insert(&mut tx, new_task("a"), &WriteFlags::default()).unwrap();
    let stale = doc.clone();
    std::thread::sleep(std::time::Duration::from_millis(2));
    lifecycle::save(&mut tx, doc, &WriteFlags::default()).unwrap();
    let err = lifecycle::save(&mut tx, stale, &WriteFlags::default()).unwrap_err();
    assert_eq!(err.exc_type, "TimestampMismatchError");
    assert_eq!(err.status(), 417);
}

#[test]
fn a_doctype_change_adds_columns_and_keeps_rows() {
    let f = site();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    lifecycle::insert(&mut tx, new_task("kept"), &WriteFlags::default()).unwrap();
    let mut dt = lifecycle::get(&mut tx, "DocType", "Task", true).unwrap();
    dt["fields"]
        .as_array_mut()
        .unwrap()
        .push(json!({"fieldname": "points", "fieldtype": "Float", "label": "Points"}));
    lifecycle::save(&mut tx, dt, &WriteFlags::default()).unwrap();
    tx.commit().unwrap();
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let old = lifecycle::get(&mut tx, "Task", "TASK-00001", true).unwrap();
    assert_eq!(old["subject"], "kept");
    assert_eq!(
        old["points"], 0.0,
        "existing rows read 0 in a new number column"
    );
    let mut d = new_task("b");
    d.insert("points".into(), "2.5".into());
    let d = lifecycle::insert(&mut tx, d, &WriteFlags::default()).unwrap();
    assert_eq!(d["points"], 2.5);
}

#[test]
fn hooks_that_loop_hit_the_depth_bound() {
    struct Looping;
    impl Hooks for Looping {
        fn run(
            &self,
            tx: &mut SiteTx<'_>,
            meta: &Meta,
            event: DocEvent,
            _: &mut Map<String, Value>,
            _: &HookArgs,
        ) -> Result<()> {
            if meta.name == "Task" && event == DocEvent::OnUpdate {
                lifecycle::insert(tx, new_task("again"), &WriteFlags::default())?;
            }
            Ok(())
        }
    }
    let f = site();
    f.site.set_hooks(Arc::new(Looping));
    let mut tx = f.site.begin("Administrator", true).unwrap();
    let err = lifecycle::insert(&mut tx, new_task("a"), &WriteFlags::default()).unwrap_err();
    assert!(err.text.contains("nested more than"), "{err}");
}
