//! Every filter operator Frappe accepts, in list queries over a real SQLite site:
//! comparisons, `like`, `in`, `between`, `is set`, and the date spans `timespan`,
//! `previous`, `next` counted from today in the site's time zone.

use serde_json::{Value, json};
use serverscript_runtime::host::WriteFlags;
use serverscript_server::Site;
use serverscript_server::model::{lifecycle, query};

fn names(site: &Site, filters: Value) -> Vec<String> {
    let mut tx = site.begin("Administrator", false).unwrap();
    let mut q = query::Query::new("ToDo");
    // ToDo names are hashes: the description's first letter tells the rows apart
    q.fields = vec!["description".into()];
    q.filters = filters.clone();
    q.order = query::Order::By("description asc".into());
    q.ignore_permissions = true;
    q.as_dict = true;
    let rows = query::get_list(&mut tx, &q).unwrap_or_else(|e| panic!("{filters}: {e:?}"));
    rows.iter()
        .map(|r| r["description"].as_str().unwrap()[..1].to_string())
        .collect()
}

#[test]
fn every_operator_filters_as_frappe_does() {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("f"), Some("admin")).unwrap();
    let today = site.settings().now().date();
    let day = |n: i64| {
        today
            .checked_add(jiff::Span::new().days(n))
            .unwrap()
            .to_string()
    };
    {
        let mut tx = site.begin("Administrator", true).unwrap();
        let flags = WriteFlags {
            ignore_permissions: true,
            ..WriteFlags::default()
        };
        for (status, date, desc) in [
            ("Open", Value::String(day(0)), "A one"),
            ("Closed", Value::String(day(-40)), "B"),
            ("Open", Value::Null, "C one"),
            ("Cancelled", Value::String(day(400)), "D"),
        ] {
            let doc =
                json!({"doctype": "ToDo", "status": status, "date": date, "description": desc});
            lifecycle::insert(&mut tx, doc.as_object().unwrap().clone(), &flags).unwrap();
        }
        tx.commit().unwrap();
    }
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({"status": "Open"}), vec!["A", "C"]),
        (json!({"status": ["!=", "Open"]}), vec!["B", "D"]),
        (
            json!([["status", "in", ["Closed", "Cancelled"]]]),
            vec!["B", "D"],
        ),
        (json!([["status", "not in", "Open,Closed"]]), vec!["D"]),
        (json!({"description": ["like", "%one"]}), vec!["A", "C"]),
        (json!({"description": ["not like", "%one"]}), vec!["B", "D"]),
        (json!({"date": ["is", "set"]}), vec!["A", "B", "D"]),
        (json!({"date": ["is", "not set"]}), vec!["C"]),
        (json!({"date": [">", day(-1)]}), vec!["A", "D"]),
        (json!({"date": ["<=", day(0)]}), vec!["A", "B"]),
        (
            json!({"date": ["between", [day(-50), day(1)]]}),
            vec!["A", "B"],
        ),
        (json!({"date": ["timespan", "today"]}), vec!["A"]),
        (json!({"date": ["timespan", "this year"]}), vec!["A"]),
        (
            json!({"creation": ["timespan", "today"]}),
            vec!["A", "B", "C", "D"],
        ),
        (json!({"date": ["next", "1 year"]}), vec!["D"]),
        (json!([["ToDo", "status", "=", "Cancelled"]]), vec!["D"]),
    ];
    for (filters, want) in cases {
        // "this year" and "next 1 year" depend on the date: recompute what they mean
        let got = names(&site, filters.clone());
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        let span = filters.to_string();
        if span.contains("this year") && day(-40)[..4] == day(0)[..4] {
            // B (40 days ago) is in this year too unless the year just began
            assert!(got.starts_with(&["A".to_string()]), "{filters}: {got:?}");
            continue;
        }
        if span.contains("next") {
            // next year = the calendar year after this one: D (400 days on) may fall in it
            // or the year after; A/B/C never do
            assert!(got.iter().all(|n| n == "D"), "{filters}: {got:?}");
            continue;
        }
        assert_eq!(got, want, "{filters}");
    }
}

/// `frappe.db.get_value(doctype, name, fields)` reads by name without the query builder;
/// every answer must be the general list query's: a hit, a miss, standard and DocType
/// fields, a user, a child DocType, read as Guest (permissions are ignored), and the
/// error for a field that is not a column.
#[test]
fn get_value_by_name_answers_as_the_list_query_does() {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("v"), Some("admin")).unwrap();
    let name = {
        let mut tx = site.begin("Administrator", true).unwrap();
        let flags = WriteFlags {
            ignore_permissions: true,
            ..WriteFlags::default()
        };
        let doc = json!({"doctype": "ToDo", "description": "one", "priority": "High"});
        let saved = lifecycle::insert(&mut tx, doc.as_object().unwrap().clone(), &flags).unwrap();
        tx.commit().unwrap();
        saved["name"].as_str().unwrap().to_string()
    };
    let general =
        |tx: &mut serverscript_server::SiteTx<'_>, doctype: &str, name: &str, fields: &[&str]| {
            let mut q = query::Query::new(doctype);
            q.fields = fields.iter().map(|f| f.to_string()).collect();
            q.filters = json!({ "name": name });
            q.ignore_permissions = true;
            q.limit = Some(1);
            query::get_list(tx, &q).map(|rows| rows.into_iter().next())
        };
    let mut tx = site.begin("Guest", false).unwrap();
    for (doctype, name, fields) in [
        ("ToDo", name.as_str(), &["status"][..]),
        (
            "ToDo",
            name.as_str(),
            &["description", "priority", "owner", "docstatus", "idx"][..],
        ),
        ("ToDo", "no such name", &["status"][..]),
        (
            "User",
            "Administrator",
            &["name", "enabled", "user_type"][..],
        ),
        ("Has Role", "anything", &["parent", "role"][..]),
    ] {
        let fields_owned: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
        let fast = query::row_by_name(&mut tx, doctype, name, &fields_owned).unwrap();
        let slow = general(&mut tx, doctype, name, fields).unwrap();
        assert_eq!(fast.map(Value::Object), slow, "{doctype} {name} {fields:?}");
    }
    let fields = vec!["no_such_field".to_string()];
    let fast = query::row_by_name(&mut tx, "ToDo", &name, &fields).unwrap_err();
    let slow = general(&mut tx, "ToDo", &name, &["no_such_field"]).unwrap_err();
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
    assert!(format!("{fast:?}").contains("Field not permitted in query: no_such_field"));
}
