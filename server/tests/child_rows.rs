//! Child rows read back from a real SQLite site as they were stored. The reader keeps a
//! value every row has once (`RowShape::common`) and compares later rows with the first
//! before copying anything, so these documents mix columns that are the same in every
//! row, columns that change only at the last row (the rows before get the first value
//! back), nulls, numbers of both kinds, one-row and empty tables — and compare what
//! `get_doc` gives, to the host and to a script, with each row selected on its own.

mod support;

use serde_json::{Map, Value, json};
use serverscript_runtime::host::WriteFlags;
use serverscript_server::Site;
use serverscript_server::model::{lifecycle, store};

const FIELDS: [&str; 6] = ["item_code", "uom", "qty", "rate", "note", "flag"];

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

/// A site with `CR Item` rows in `CR Order`s: `same` (rows alike but for item_code),
/// `late` (qty, rate, note and flag change only at the last row), `one` (one row),
/// `none` (no rows).
fn site() -> (tempfile::TempDir, Site) {
    let (dir, site) = support::open_site();
    fill(&site);
    (dir, site)
}

fn fill(site: &Site) {
    let mut tx = site.begin("Administrator", true).unwrap();
    let flags = WriteFlags {
        ignore_permissions: true,
        ..WriteFlags::default()
    };
    lifecycle::insert(
        &mut tx,
        obj(json!({"doctype": "DocType", "name": "CR Item", "istable": 1, "module": "Test", "custom": 1,
                   "fields": [{"fieldname": "item_code", "fieldtype": "Data", "label": "Item"},
                              {"fieldname": "uom", "fieldtype": "Data", "label": "UOM"},
                              {"fieldname": "qty", "fieldtype": "Int", "label": "Qty"},
                              {"fieldname": "rate", "fieldtype": "Float", "label": "Rate"},
                              {"fieldname": "note", "fieldtype": "Small Text", "label": "Note"},
                              {"fieldname": "flag", "fieldtype": "Check", "label": "Flag"}]})),
        &flags,
    )
    .unwrap();
    lifecycle::insert(
        &mut tx,
        obj(json!({"doctype": "DocType", "name": "CR Order", "module": "Test", "custom": 1,
                   "autoname": "field:title",
                   "fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title"},
                              {"fieldname": "items", "fieldtype": "Table", "label": "Items",
                               "options": "CR Item"}],
                   "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]})),
        &flags,
    )
    .unwrap();
    let row = |i: usize, last: bool| {
        json!({"item_code": format!("IT-{i}"), "uom": "Nos",
               "qty": if last { 7 } else { 3 },
               "rate": if last { 1.5 } else { 2.25 },
               "note": if last { Value::from("last") } else { Value::Null },
               "flag": last as i64})
    };
    let orders = [
        ("same", (0..6).map(|i| row(i, false)).collect::<Vec<_>>()),
        ("late", (0..6).map(|i| row(i, i == 5)).collect()),
        ("one", vec![row(0, true)]),
        ("none", vec![]),
    ];
    for (title, items) in orders {
        lifecycle::insert(
            &mut tx,
            obj(json!({"doctype": "CR Order", "title": title, "items": items})),
            &flags,
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// Each child row of `order`, selected on its own by name, in `idx` order.
fn rows_one_by_one(site: &Site, order: &str) -> Vec<Value> {
    let tx = site.begin("Administrator", false).unwrap();
    let mut names = tx
        .db
        .prepare("SELECT name FROM `tabCR Item` WHERE parent = ?1 ORDER BY idx")
        .unwrap();
    let names: Vec<String> = names
        .query_map([order], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    names
        .iter()
        .map(|name| {
            let mut stmt = tx
                .db
                .prepare("SELECT * FROM `tabCR Item` WHERE name = ?1")
                .unwrap();
            let cols: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
            stmt.query_row([name], |r| {
                let mut m = Map::new();
                for (i, c) in cols.iter().enumerate() {
                    m.insert(c.clone(), store::from_sql(r.get_ref(i)?));
                }
                m.insert("doctype".into(), "CR Item".into());
                Ok(Value::Object(m))
            })
            .unwrap()
        })
        .collect()
}

#[test]
fn get_doc_reads_every_child_row_as_stored() {
    let (_dir, site) = site();
    for (order, count) in [("same", 6), ("late", 6), ("one", 1), ("none", 0)] {
        let want = rows_one_by_one(&site, order);
        assert_eq!(want.len(), count, "{order}");
        let mut tx = site.begin("Administrator", false).unwrap();
        let doc = lifecycle::get_stored(&mut tx, "CR Order", order)
            .unwrap()
            .into_json();
        assert_eq!(doc["items"], Value::Array(want), "{order}");
    }
    // what the test is about: repeated values are kept once
    let mut tx = site.begin("Administrator", false).unwrap();
    let stored = lifecycle::get_stored(&mut tx, "CR Order", "late").unwrap();
    let (_, table) = &stored.tables[0];
    let common: Vec<&str> = table
        .shape
        .columns
        .names()
        .iter()
        .zip(table.shape.common.iter())
        .filter(|(_, c)| c.is_some())
        .map(|(n, _)| &**n)
        .collect();
    for name in [
        "parent",
        "parenttype",
        "parentfield",
        "uom",
        "doctype",
        "owner",
    ] {
        assert!(common.contains(&name), "{name} not kept once: {common:?}");
    }
    for name in ["name", "item_code", "idx", "qty", "rate", "note", "flag"] {
        assert!(!common.contains(&name), "{name} kept once: {common:?}");
    }
}

/// Runs `src` as an API script as Administrator; returns `frappe.response.message`.
fn run(site: &Site, src: &str) -> Value {
    let out = support::run_script(site, src, false);
    assert!(out.error.is_none(), "{:?}\n{:?}", out.error, out.debug_log);
    out.response["message"].clone()
}

#[test]
fn scripts_read_and_change_rows_that_share_values() {
    let (_dir, site) = site();
    for order in ["same", "late", "one", "none"] {
        let want = rows_one_by_one(&site, order);
        let fields: Vec<Value> = want
            .iter()
            .map(|r| Value::Array(FIELDS.iter().map(|f| r[*f].clone()).collect()))
            .collect();
        // attribute reads, then whole rows (as_dict converts what was not read)
        let got = run(
            &site,
            &format!(
                "d = frappe.get_doc('CR Order', '{order}')\n\
                 fields = {FIELDS:?}\n\
                 frappe.response['message'] = {{\n\
                 \x20   'fields': [[r.get(f) for f in fields] for r in d.items],\n\
                 \x20   'rows': [r.as_dict() for r in d.items],\n\
                 \x20   'parents': [[r.parent, r.parenttype, r.parentfield, r.doctype] for r in d.items],\n\
                 }}"
            ),
        );
        assert_eq!(got["fields"], Value::Array(fields), "{order}");
        for (g, w) in got["rows"].as_array().unwrap().iter().zip(&want) {
            for (k, v) in w.as_object().unwrap() {
                assert_eq!(&g[k], v, "{order}: {k}");
            }
        }
        assert_eq!(got["rows"].as_array().unwrap().len(), want.len());
        for p in got["parents"].as_array().unwrap() {
            assert_eq!(p, &json!([order, "CR Order", "items", "CR Item"]));
        }
    }
    // a value every row shares is each row's own once the script changes it
    let got = run(
        &site,
        "d = frappe.get_doc('CR Order', 'same')\n\
         d.items[0].uom = 'Box'\n\
         d.items[1].parent = 'elsewhere'\n\
         frappe.response['message'] = [[r.uom, r.parent] for r in d.items]",
    );
    let mut want = vec![json!(["Nos", "same"]); 6];
    want[0] = json!(["Box", "same"]);
    want[1] = json!(["Nos", "elsewhere"]);
    assert_eq!(got, Value::Array(want));
}
