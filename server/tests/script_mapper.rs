//! `frappe.get_mapped_doc` run by scripts against a real SQLite site: an order-like
//! document mapped to an invoice-like one with its rows (a map with `field_map`,
//! `condition`, a row `postprocess`; a table copied without a map), `no_copy` fields,
//! Links filled with the source's and the parent's names, a fetched read-only field, the
//! whole-document `postprocess`; a failing `validation`; the mapped document saved.

mod support;

use serde_json::{Map, Value, json};
use serverscript_runtime::host::WriteFlags;
use serverscript_server::Site;
use serverscript_server::model::lifecycle;

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn doctype(name: &str, istable: bool, fields: Value) -> Map<String, Value> {
    let mut d = obj(
        json!({"doctype": "DocType", "name": name, "module": "Test", "custom": 1,
                           "istable": istable as i64, "fields": fields}),
    );
    if !istable {
        d.insert("autoname".into(), "field:title".into());
        d.insert(
            "permissions".into(),
            json!([{"role": "System Manager", "read": 1, "write": 1, "create": 1}]),
        );
    }
    d
}

fn fill(site: &Site) {
    let mut tx = site.begin("Administrator", true).unwrap();
    let flags = WriteFlags {
        ignore_permissions: true,
        ..WriteFlags::default()
    };
    let data = |f: &str| json!({"fieldname": f, "fieldtype": "Data", "label": f});
    let float = |f: &str| json!({"fieldname": f, "fieldtype": "Float", "label": f});
    let table =
        |f: &str, o: &str| json!({"fieldname": f, "fieldtype": "Table", "label": f, "options": o});
    let link =
        |f: &str, o: &str| json!({"fieldname": f, "fieldtype": "Link", "label": f, "options": o});
    for d in [
        doctype(
            "MQ Customer",
            false,
            json!([data("title"), data("customer_name")]),
        ),
        doctype(
            "MQ Source Item",
            true,
            json!([data("item_code"), float("qty"), float("rate"),
                   {"fieldname": "skip_me", "fieldtype": "Check", "label": "Skip"}]),
        ),
        doctype("MQ Tax", true, json!([float("rate"), data("description")])),
        doctype(
            "MQ Source",
            false,
            json!([data("title"), data("customer"),
                   {"fieldname": "note", "fieldtype": "Data", "label": "Note", "no_copy": 1},
                   data("status"), link("customer_link", "MQ Customer"),
                   table("items", "MQ Source Item"), table("taxes", "MQ Tax")]),
        ),
        doctype(
            "MQ Target Item",
            true,
            json!([
                data("item_code"),
                float("qty"),
                float("amount"),
                link("against", "MQ Source"),
                data("src_row")
            ]),
        ),
        doctype(
            "MQ Target",
            false,
            json!([data("title"), data("customer"), data("note"), link("source_ref", "MQ Source"),
                   data("remark"), link("customer_link", "MQ Customer"),
                   {"fieldname": "customer_name", "fieldtype": "Data", "label": "Customer Name",
                    "read_only": 1, "fetch_from": "customer_link.customer_name"},
                   table("items", "MQ Target Item"), table("taxes", "MQ Tax")]),
        ),
    ] {
        lifecycle::insert(&mut tx, d, &flags).unwrap();
    }
    lifecycle::insert(
        &mut tx,
        obj(json!({"doctype": "MQ Customer", "title": "C-1", "customer_name": "Acme Ltd"})),
        &flags,
    )
    .unwrap();
    lifecycle::insert(
        &mut tx,
        obj(
            json!({"doctype": "MQ Source", "title": "S-1", "customer": "Acme", "note": "private",
                   "status": "To Bill", "customer_link": "C-1",
                   "items": [{"item_code": "A", "qty": 2, "rate": 5},
                             {"item_code": "B", "qty": 1, "rate": 7, "skip_me": 1},
                             {"item_code": "C", "qty": 3, "rate": 1.5}],
                   "taxes": [{"rate": 18, "description": "GST"}]}),
        ),
        &flags,
    )
    .unwrap();
    tx.commit().unwrap();
}

const MAP: &str = "def post_item(source, target, parent):\n\
                   \x20   target.amount = source.qty * source.rate\n\
                   def post(source, target):\n\
                   \x20   target.remark = target.remark + ' from ' + source.name\n\
                   maps = {\n\
                   \x20   'MQ Source': {'doctype': 'MQ Target', 'field_map': {'status': 'remark'},\n\
                   \x20                 'validation': {'docstatus': ['=', DOCSTATUS]}},\n\
                   \x20   'MQ Source Item': {'doctype': 'MQ Target Item', 'field_map': [['name', 'src_row']],\n\
                   \x20                      'condition': lambda d: not d.skip_me, 'postprocess': post_item},\n\
                   }\n\
                   doc = frappe.get_mapped_doc('MQ Source', 'S-1', maps, postprocess=post)\n";

#[test]
fn get_mapped_doc_maps_fields_rows_links_and_fetches() {
    let (_dir, site) = support::open_site();
    fill(&site);
    let src = MAP.replace("DOCSTATUS", "0")
        + "rows = frappe.get_doc('MQ Source', 'S-1').items\n\
           frappe.response['message'] = {\n\
           \x20   'doctype': doc.doctype, 'customer': doc.customer, 'note': doc.note,\n\
           \x20   'source_ref': doc.source_ref, 'remark': doc.remark, 'customer_name': doc.customer_name,\n\
           \x20   'items': [[r.item_code, r.qty, r.amount, r.against, r.src_row == rows[i * 2].name, r.idx,\n\
           \x20              r.parentfield, r.parenttype] for i, r in enumerate(doc.items)],\n\
           \x20   'taxes': [[t.rate, t.description, t.idx] for t in doc.taxes],\n\
           \x20   'onload': doc.get('__onload'), 'new': doc.is_new(), 'title': doc.title,\n\
           }\n";
    let out = support::run_script(&site, &src, false);
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(
        out.response["message"],
        json!({
            "doctype": "MQ Target",
            "customer": "Acme",
            // no_copy on the source's field
            "note": null,
            // an empty Link to the source's DocType gets its name
            "source_ref": "S-1",
            // field_map, then the document's postprocess
            "remark": "To Bill from S-1",
            // read-only, fetched through customer_link (mapped by name)
            "customer_name": "Acme Ltd",
            // row B left out by the condition; amounts from the row postprocess; the
            // row's Link to the parent's DocType gets the parent's name
            "items": [["A", 2.0, 10.0, "S-1", true, 1, "items", "MQ Target"],
                      ["C", 3.0, 4.5, "S-1", true, 2, "items", "MQ Target"]],
            // no map for MQ Tax: copied, same table name and child DocType on both sides
            "taxes": [[18.0, "GST", 1]],
            "onload": {"load_after_mapping": true},
            "new": true,
            // title is copied like any other field
            "title": "S-1",
        })
    );
}

#[test]
fn get_mapped_doc_refuses_a_failing_validation_and_the_result_saves() {
    let (_dir, site) = support::open_site();
    fill(&site);
    let out = support::run_script(&site, &MAP.replace("DOCSTATUS", "1"), false);
    let e = out.error.expect("the validation fails");
    assert_eq!(e.exc_type, "ValidationError");
    assert_eq!(
        e.message,
        "Cannot map because following condition fails: docstatus=1"
    );
    // a missing map for the source DocType is Python's KeyError, as in Frappe
    let out = support::run_script(
        &site,
        "frappe.get_mapped_doc('MQ Source', 'S-1', {'MQ Other': {'doctype': 'MQ Target'}})",
        false,
    );
    assert_eq!(out.error.expect("KeyError").exc_type, "KeyError");
    let src = MAP.replace("DOCSTATUS", "0")
        + "doc.title = 'T-1'\n\
           doc.insert()\n\
           saved = frappe.get_doc('MQ Target', 'T-1')\n\
           frappe.response['message'] = [len(saved.items), saved.items[1].amount, saved.source_ref]\n";
    let out = support::run_script(&site, &src, false);
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.response["message"], json!([2, 4.5, "S-1"]));
}
