//! `frappe.db.add_index` and `round_based_on_smallest_currency_fraction`, run by scripts
//! against a real SQLite site: the index is made (once) on the named columns, unknown
//! columns and Singles are refused with nothing changed, a hostile index name stays a
//! name, the work before the call is committed as Frappe commits it, and DocType Event
//! scripts do not have it; currency rounding reads the site's Currency records.

mod support;

use serde_json::{Value, json};
use serverscript_runtime::host::WriteFlags;
use serverscript_server::Site;
use serverscript_server::model::lifecycle;

fn open() -> (tempfile::TempDir, Site) {
    support::open_site()
}

/// Runs `src` as Administrator (a DocType Event script when `doc_event`), rolled back
/// afterwards; `frappe.response.message`, or the error's type and text.
fn run(site: &Site, src: &str, doc_event: bool) -> Result<Value, (String, String)> {
    let out = support::run_script(site, src, doc_event);
    match out.error {
        None => Ok(out.response.get("message").cloned().unwrap_or(Value::Null)),
        Some(e) => Err((e.exc_type, e.message)),
    }
}

/// The columns of the index stored as `tab<DocType>_<name>`, `None` when there is none.
fn index_columns(site: &Site, doctype: &str, name: &str) -> Option<Vec<String>> {
    let tx = site.begin("Administrator", false).unwrap();
    let stored = format!("tab{doctype}_{name}");
    let on: Option<String> = tx
        .db
        .query_row(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = ?1",
            [&stored],
            |r| r.get(0),
        )
        .ok();
    assert_eq!(on.as_deref()?, format!("tab{doctype}"));
    let mut stmt = tx
        .db
        .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
        .unwrap();
    Some(
        stmt.query_map([&stored], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect(),
    )
}

fn todo_count(site: &Site) -> i64 {
    let tx = site.begin("Administrator", false).unwrap();
    tx.db
        .query_row("SELECT count(*) FROM `tabToDo`", [], |r| r.get(0))
        .unwrap()
}

fn index_count(site: &Site) -> i64 {
    let tx = site.begin("Administrator", false).unwrap();
    tx.db
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn add_index_indexes_the_named_columns_once() {
    let (_dir, site) = open();
    let src = "frappe.db.add_index('ToDo', ['status', 'date'])\nfrappe.response['message'] = 'ok'";
    assert_eq!(run(&site, src, false), Ok(json!("ok")));
    assert_eq!(
        index_columns(&site, "ToDo", "status_date_index"),
        Some(vec!["status".to_string(), "date".to_string()])
    );
    // again: the index of that name exists, nothing happens
    assert_eq!(run(&site, src, false), Ok(json!("ok")));
    // a given name; MariaDB length specifiers dropped from the columns and the name
    let src = "frappe.db.add_index('ToDo', ('description(100)', 'owner'), index_name='by_text')\n\
               frappe.db.add_index('ToDo', ['reference_name (20)'])";
    assert_eq!(run(&site, src, false), Ok(Value::Null));
    assert_eq!(
        index_columns(&site, "ToDo", "by_text"),
        Some(vec!["description".to_string(), "owner".to_string()])
    );
    assert_eq!(
        index_columns(&site, "ToDo", "reference_name_index"),
        Some(vec!["reference_name".to_string()])
    );
}

#[test]
fn add_index_refuses_what_is_not_a_column_and_changes_nothing() {
    let (_dir, site) = open();
    let before = todo_count(&site);
    let indexes_before = index_count(&site);
    for (src, exc, text) in [
        (
            "frappe.db.add_index('ToDo', ['colour'])",
            "ValidationError",
            "Key column 'colour' doesn't exist in table tabToDo",
        ),
        (
            "frappe.db.add_index('ToDo', ['status) ON x; --'])",
            "ValidationError",
            "doesn't exist",
        ),
        (
            "frappe.db.add_index('ToDo', [])",
            "ValidationError",
            "at least one field",
        ),
        (
            "frappe.db.add_index('No Such Type', ['name'])",
            "DoesNotExistError",
            "",
        ),
        (
            "frappe.db.add_index('ToDo', 'status')",
            "TypeError",
            "fields must be a list",
        ),
    ] {
        let full =
            format!("frappe.get_doc({{'doctype': 'ToDo', 'description': 'x'}}).insert()\n{src}");
        let err = run(&site, &full, false).unwrap_err();
        assert_eq!(err.0, exc, "{src}: {err:?}");
        assert!(err.1.contains(text), "{src}: {err:?}");
    }
    // refused before the commit: the ToDo inserted first rolled back with the request
    assert_eq!(todo_count(&site), before);
    assert_eq!(index_count(&site), indexes_before);
}

#[test]
fn add_index_commits_the_work_before_it_and_keeps_a_hostile_name_a_name() {
    let (_dir, site) = open();
    let before = todo_count(&site);
    let name = "x\"; DROP TABLE \"tabToDo\"; --";
    let src = format!(
        "frappe.get_doc({{'doctype': 'ToDo', 'description': 'kept'}}).insert()\n\
         frappe.db.add_index('ToDo', ['status'], index_name={name:?})\n\
         frappe.throw('after the index')"
    );
    let err = run(&site, &src, false).unwrap_err();
    assert_eq!(err.0, "ValidationError");
    // Frappe commits before the DDL: the insert stays although the script failed later
    assert_eq!(todo_count(&site), before + 1);
    assert_eq!(
        index_columns(&site, "ToDo", name),
        Some(vec!["status".to_string()])
    );
}

#[test]
fn add_index_is_absent_from_doctype_event_scripts() {
    let (_dir, site) = open();
    let err = run(&site, "frappe.db.add_index('ToDo', ['status'])", true).unwrap_err();
    assert_eq!(err.0, "AttributeError");
    assert_eq!(index_columns(&site, "ToDo", "status_index"), None);
}

#[test]
fn currency_rounding_uses_the_sites_smallest_fraction() {
    let (_dir, site) = open();
    let cases = "vals = [0.0, 0.003, 0.005, 0.007, 0.99, 0.993, 0.995, 0.997, -0.003, -0.007, 1.02, 1.03, 2.6]\n\
                 frappe.response['message'] = {c: [frappe.utils.round_based_on_smallest_currency_fraction(v, c, 2) for v in vals]\n\
                 \x20   for c in ['EUR', 'CHF', 'XXX']}";
    // no Currency DocType on this site: a whole number, as Frappe does without a fraction
    let whole = json!([
        0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 3.0
    ]);
    assert_eq!(
        run(&site, cases, false),
        Ok(json!({"EUR": whole, "CHF": whole, "XXX": whole}))
    );
    {
        let mut tx = site.begin("Administrator", true).unwrap();
        let flags = WriteFlags {
            ignore_permissions: true,
            ..WriteFlags::default()
        };
        let obj = |v: Value| v.as_object().unwrap().clone();
        lifecycle::insert(
            &mut tx,
            obj(json!({"doctype": "DocType", "name": "Currency", "module": "Geo", "custom": 1,
                       "autoname": "field:currency_name",
                       "fields": [{"fieldname": "currency_name", "fieldtype": "Data", "label": "Currency Name"},
                                  {"fieldname": "smallest_currency_fraction_value", "fieldtype": "Currency",
                                   "label": "Smallest Currency Fraction Value"}],
                       "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]})),
            &flags,
        )
        .unwrap();
        for (name, fraction) in [
            ("EUR", json!(0.01)),
            ("CHF", json!(0.05)),
            ("XXX", Value::Null),
        ] {
            lifecycle::insert(
                &mut tx,
                obj(json!({"doctype": "Currency", "currency_name": name,
                           "smallest_currency_fraction_value": fraction})),
                &flags,
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    // EUR: Frappe's own test_rounding cases; CHF: to the nearest 0.05 (expected values
    // computed by Frappe's flt/remainder/rounded in CPython)
    assert_eq!(
        run(&site, cases, false),
        Ok(json!({
            "EUR": [0.0, 0.0, 0.01, 0.01, 0.99, 0.99, 1.0, 1.0, 0.0, -0.01, 1.02, 1.03, 2.6],
            "CHF": [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.05, 2.6],
            "XXX": whole,
        }))
    );
}
