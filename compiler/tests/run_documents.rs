//! Documents built from JSON convert their fields when read (see `runtime/src/object/
//! doc.rs`): these tests pin what a script and the caller see — values, identity, field
//! order, None fields left out, child tables — whatever mix of read, written, added,
//! deleted and untouched fields a run leaves.

mod common;

use serde_json::{Value as Json, json};
use serverscript_compiler::{RunInput, RunOutput, ScriptType};

fn run_doc(src: &str, doc: Json) -> RunOutput {
    let input = RunInput {
        doc: Some(doc),
        ..RunInput::default()
    };
    let out = common::run_both(src, ScriptType::DocEvent, &input);
    assert!(out.error.is_none(), "{:?}", out.error);
    out
}

fn invoice() -> Json {
    json!({
        "doctype": "Sales Invoice",
        "name": "SINV-1",
        "customer": "Acme",
        "remarks": null,
        "meta": {"a": 1, "b": null},
        "items": [
            {"doctype": "Sales Invoice Item", "idx": 1, "qty": 2, "rate": 5.0, "note": null},
            {"doctype": "Sales Invoice Item", "idx": 2, "qty": 3, "rate": 1.5, "note": null}
        ],
        "tags": ["x", "y"],
        "total": 0
    })
}

fn keys(j: &Json) -> Vec<&str> {
    j.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn an_untouched_document_comes_back_as_it_came_without_its_none_fields() {
    let out = run_doc("pass\n", invoice());
    let doc = out.doc.unwrap();
    assert_eq!(
        keys(&doc),
        [
            "doctype", "name", "customer", "meta", "items", "tags", "total"
        ]
    );
    assert_eq!(
        doc["items"][0],
        json!({"doctype": "Sales Invoice Item", "idx": 1, "qty": 2, "rate": 5.0})
    );
    // a plain object field is data, not a document: its None values stay
    assert_eq!(doc["meta"], json!({"a": 1, "b": null}));
}

#[test]
fn written_fields_keep_their_place_and_new_ones_follow() {
    let out = run_doc(
        "doc.total = 10\ndoc.customer = doc.customer.upper()\ndoc.added = 'z'\ndoc.remarks = 'r'\n",
        invoice(),
    );
    let doc = out.doc.unwrap();
    assert_eq!(
        keys(&doc),
        [
            "doctype", "name", "customer", "remarks", "meta", "items", "tags", "total", "added"
        ]
    );
    assert_eq!(
        (doc["customer"].clone(), doc["total"].clone()),
        (json!("ACME"), json!(10))
    );
}

#[test]
fn child_rows_read_and_changed_in_a_loop_come_back_changed() {
    let out = run_doc(
        "t = 0\nfor it in doc.items:\n    it.amount = it.qty * it.rate\n    t += it.amount\ndoc.total = t\n",
        invoice(),
    );
    let doc = out.doc.unwrap();
    assert_eq!(doc["total"], json!(14.5));
    assert_eq!(
        doc["items"][1],
        json!({"doctype": "Sales Invoice Item", "idx": 2, "qty": 3, "rate": 1.5, "amount": 4.5})
    );
}

#[test]
fn a_field_read_twice_is_the_same_object() {
    let out = run_doc(
        "print(doc.items is doc.items, doc.meta is doc.meta)\nrows = doc.items\nrows.append(rows[0])\nprint(len(doc.items))\n",
        invoice(),
    );
    assert_eq!(out.debug_log, ["True True", "3"]);
}

#[test]
fn as_dict_and_deletion_see_every_field_in_order() {
    let out = run_doc(
        "doc.extra = 1\nd = doc.as_dict()\nprint(list(d.keys()))\ndel doc.customer\nprint('customer' in doc, 'name' in doc, 'nope' in doc)\n",
        invoice(),
    );
    assert_eq!(
        out.debug_log,
        [
            "['doctype', 'name', 'customer', 'remarks', 'meta', 'items', 'tags', 'total', 'extra']",
            "False True False"
        ]
    );
    assert!(out.doc.unwrap().get("customer").is_none());
}

#[test]
fn replacing_a_child_table_replaces_it_in_the_result() {
    let out = run_doc(
        "doc.set('items', [{'qty': 9}])\nprint(doc.items[0].idx, doc.items[0].parentfield)\n",
        invoice(),
    );
    assert_eq!(out.debug_log, ["1 items"]);
    let items = out.doc.unwrap()["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["qty"], json!(9));
}

#[test]
fn get_with_a_filter_dict_selects_child_rows() {
    let out = run_doc(
        "print([r.idx for r in doc.get('items', {'qty': 3})], len(doc.get('items', limit=1)), doc.get('nope', {'a': 1}))\n",
        invoice(),
    );
    assert_eq!(out.debug_log, ["[2] 1 []"]);
}

#[test]
fn missing_fields_read_as_none_and_get_takes_a_default() {
    let out = run_doc(
        "print(doc.nothing, doc.get('nothing', 5), doc.get('nothing', default=6), doc.get('remarks', 'd'), doc.remarks)\n",
        invoice(),
    );
    // Frappe: a field the document has keeps its None; only a missing one gives the default
    assert_eq!(out.debug_log, ["None 5 6 None None"]);
}
