//! The names that reach the site (`frappe.get_doc`, `frappe.db.*`, `doc.save()`…): each
//! parses its arguments as Frappe does and hands the site the right request, and the
//! site's answer comes back in Frappe's shape (scalar, tuple, `_dict`, Document).
//!
//! The site here is a small in-memory one that records every request; the real one
//! (SQLite, lifecycle, permissions) is tested end to end over HTTP in the server's tests.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value as Json, json};
use serverscript_compiler::host::{
    Columns, JsonMap, ListQuery, Mail, StoredDoc, Table, WriteFlags,
};
use serverscript_compiler::{
    Host, HostError, HostResult, RunInput, RunOutput, ScriptType, compile,
};

#[derive(Default)]
struct MemorySite {
    docs: BTreeMap<(String, String), JsonMap>,
    queries: Vec<ListQuery>,
    writes: Vec<String>,
    mails: Vec<Mail>,
    next: u32,
}

impl MemorySite {
    fn with(docs: &[Json]) -> MemorySite {
        let mut s = MemorySite::default();
        for d in docs {
            let m = d.as_object().unwrap().clone();
            let key = (
                m["doctype"].as_str().unwrap().to_string(),
                m["name"].as_str().unwrap().to_string(),
            );
            s.docs.insert(key, m);
        }
        s
    }

    fn matches(doc: &JsonMap, filters: &Json) -> bool {
        match filters {
            Json::Object(f) => f
                .iter()
                .all(|(k, v)| doc.get(k).unwrap_or(&Json::Null) == v),
            Json::Null => true,
            Json::Array(conds) => conds.iter().all(|c| {
                let c = c.as_array().unwrap();
                doc.get(c[0].as_str().unwrap()).unwrap_or(&Json::Null) == &c[2]
            }),
            _ => false,
        }
    }

    fn store(&mut self, mut doc: JsonMap) -> JsonMap {
        doc.remove("__islocal");
        if !doc.get("name").is_some_and(Json::is_string) {
            self.next += 1;
            doc.insert("name".into(), json!(format!("NEW-{:04}", self.next)));
        }
        doc.insert("modified".into(), json!("2026-11-25 10:00:00.000000"));
        let key = (
            doc["doctype"].as_str().unwrap().to_string(),
            doc["name"].as_str().unwrap().to_string(),
        );
        self.docs.insert(key, doc.clone());
        doc
    }
}

fn not_found(doctype: &str, name: &str) -> HostError {
    HostError::new("DoesNotExistError", format!("{doctype} {name} not found"))
}

/// A stored document as the real site hands it over: child tables (arrays of objects
/// with the same keys) as shared-column [`Table`]s, `null` in their place.
fn as_site_reads_it(mut fields: JsonMap) -> StoredDoc {
    let mut tables = Vec::new();
    for (k, v) in fields.iter_mut() {
        let Json::Array(rows) = v else { continue };
        let Some(Json::Object(first)) = rows.first() else {
            continue;
        };
        let names: Vec<String> = first.keys().cloned().collect();
        let same_keys = rows
            .iter()
            .all(|r| r.as_object().is_some_and(|m| m.keys().eq(names.iter())));
        if !same_keys {
            continue;
        }
        let columns = Columns::new(names.iter().map(String::as_str));
        let rows = rows
            .iter()
            .map(|r| r.as_object().unwrap().values().cloned().collect())
            .collect();
        tables.push((k.clone(), Table::sharing_common(columns, rows)));
        *v = Json::Null;
    }
    StoredDoc { fields, tables }
}

impl Host for MemorySite {
    fn get_doc(&mut self, doctype: &str, name: &str) -> HostResult<StoredDoc> {
        self.docs
            .get(&(doctype.to_string(), name.to_string()))
            .cloned()
            .map(as_site_reads_it)
            .ok_or_else(|| not_found(doctype, name))
    }

    fn new_doc(&mut self, doctype: &str) -> HostResult<JsonMap> {
        let mut m = JsonMap::new();
        m.insert("doctype".into(), json!(doctype));
        m.insert("status".into(), json!("Open"));
        Ok(m)
    }

    fn insert(&mut self, doc: JsonMap, flags: &WriteFlags) -> HostResult<JsonMap> {
        self.writes.push(format!(
            "insert {} ignore_permissions={}",
            doc["doctype"], flags.ignore_permissions
        ));
        Ok(self.store(doc))
    }

    fn save(&mut self, doc: JsonMap, _flags: &WriteFlags) -> HostResult<JsonMap> {
        self.writes.push(format!("save {}", doc["doctype"]));
        Ok(self.store(doc))
    }

    fn delete_doc(&mut self, doctype: &str, name: &str, _flags: &WriteFlags) -> HostResult<()> {
        self.writes.push(format!("delete {doctype} {name}"));
        self.docs
            .remove(&(doctype.to_string(), name.to_string()))
            .map(|_| ())
            .ok_or_else(|| not_found(doctype, name))
    }

    fn get_list(&mut self, q: &ListQuery) -> HostResult<Vec<JsonMap>> {
        self.queries.push(q.clone());
        let fields: Vec<String> = if q.fields.is_empty() {
            vec!["name".into()]
        } else {
            q.fields.clone()
        };
        let rows = self
            .docs
            .iter()
            .filter(|((dt, _), d)| *dt == q.doctype && Self::matches(d, &q.filters))
            .skip(q.start)
            .take(q.limit.unwrap_or(usize::MAX))
            .map(|(_, d)| {
                if fields == ["*"] {
                    return d.clone();
                }
                fields
                    .iter()
                    .map(|f| (f.clone(), d.get(f).cloned().unwrap_or(Json::Null)))
                    .collect()
            })
            .collect();
        Ok(rows)
    }

    fn count(&mut self, doctype: &str, filters: &Json) -> HostResult<u64> {
        Ok(self
            .docs
            .iter()
            .filter(|((dt, _), d)| dt == doctype && Self::matches(d, filters))
            .count() as u64)
    }

    fn set_value(
        &mut self,
        doctype: &str,
        name: &str,
        values: &JsonMap,
        flags: &WriteFlags,
    ) -> HostResult<()> {
        self.writes.push(format!(
            "set_value {doctype} {name} {} skip_modified={}",
            Json::Object(values.clone()),
            flags.skip_modified
        ));
        let d = self
            .docs
            .get_mut(&(doctype.to_string(), name.to_string()))
            .ok_or_else(|| not_found(doctype, name))?;
        for (k, v) in values {
            d.insert(k.clone(), v.clone());
        }
        Ok(())
    }

    fn get_single_value(&mut self, doctype: &str, field: &str) -> HostResult<Json> {
        Ok(json!(format!("{doctype}.{field}")))
    }

    fn sql(&mut self, query: &str, _params: &Json, as_dict: bool) -> HostResult<Vec<Json>> {
        if !query.trim_start().to_lowercase().starts_with("select") {
            return Err(HostError::new("PermissionError", "Only SELECT SQL allowed"));
        }
        Ok(if as_dict {
            vec![json!({"name": "A", "n": 1}), json!({"name": "B", "n": 2})]
        } else {
            vec![json!(["A", 1]), json!(["B", 2])]
        })
    }

    fn sendmail(&mut self, mail: &Mail) -> HostResult<()> {
        self.mails.push(mail.clone());
        Ok(())
    }
}

fn todo(name: &str, status: &str) -> Json {
    json!({"doctype": "ToDo", "name": name, "status": status, "description": format!("task {name}")})
}

fn site() -> MemorySite {
    MemorySite::with(&[todo("T1", "Open"), todo("T2", "Closed"), todo("T3", "Open")])
}

fn run_in(site: &mut MemorySite, src: &str, ty: ScriptType, input: RunInput) -> RunOutput {
    let script = Arc::new(compile("t.py", src.as_bytes(), ty).unwrap_or_else(|e| panic!("{e:?}")));
    script.run_in(&input, Some(site))
}

/// Runs an API script in `site`; returns the printed lines (fails on a script error).
fn lines(site: &mut MemorySite, src: &str) -> Vec<String> {
    let out = run_in(site, src, ScriptType::Api, RunInput::default());
    assert!(
        out.error.is_none(),
        "{:?}\nlog: {:?}",
        out.error,
        out.debug_log
    );
    out.debug_log
}

#[test]
fn get_doc_reads_fields_and_missing_documents_raise_does_not_exist() {
    let mut s = site();
    let log = lines(
        &mut s,
        "d = frappe.get_doc('ToDo', 'T1')\nprint(d.status, d.description, d.missing_field)\n\
         try:\n    frappe.get_doc('ToDo', 'nope')\nexcept frappe.DoesNotExistError as e:\n    print('caught', e)\n",
    );
    assert_eq!(log, ["Open task T1 None", "caught ToDo nope not found"]);
}

#[test]
fn get_doc_by_filters_loads_the_first_match() {
    let mut s = site();
    let log = lines(
        &mut s,
        "d = frappe.get_doc('ToDo', {'status': 'Closed'})\nprint(d.name)\n",
    );
    assert_eq!(log, ["T2"]);
}

#[test]
fn a_new_document_from_a_dict_is_inserted_with_its_flags() {
    let mut s = site();
    let log = lines(
        &mut s,
        "d = frappe.get_doc({'doctype': 'ToDo', 'description': 'x'})\nprint(d.is_new())\n\
         d.insert(ignore_permissions=True)\nprint(d.is_new(), d.name, d.modified)\n",
    );
    assert_eq!(log, ["True", "False NEW-0001 2026-11-25 10:00:00.000000"]);
    assert_eq!(s.writes, ["insert \"ToDo\" ignore_permissions=true"]);
}

#[test]
fn new_doc_takes_defaults_from_the_site_and_child_rows_travel_with_it() {
    let mut s = site();
    let log = lines(
        &mut s,
        "d = frappe.new_doc('ToDo')\nd.description = 'y'\nd.append('items', {'qty': 2})\n\
         d.save()\nprint(d.status, d.name, len(d.items), d.items[0].qty, d.items[0].idx)\n",
    );
    assert_eq!(log, ["Open NEW-0001 1 2 1"]);
    let stored = &s.docs[&("ToDo".to_string(), "NEW-0001".to_string())];
    assert_eq!(stored["items"][0]["qty"], json!(2));
    assert_eq!(stored["items"][0]["parentfield"], json!("items"));
}

#[test]
fn db_get_value_returns_a_scalar_a_tuple_a_dict_or_none() {
    let mut s = site();
    let log = lines(
        &mut s,
        "print(repr(frappe.db.get_value('ToDo', 'T1', 'status')))\n\
         print(repr(frappe.db.get_value('ToDo', 'T1', ['status', 'description'])))\n\
         print(repr(frappe.db.get_value('ToDo', 'T1', ['status'])))\n\
         r = frappe.db.get_value('ToDo', {'status': 'Closed'}, ['name', 'status'], as_dict=True)\n\
         print(r.name, r['status'])\n\
         print(frappe.db.get_value('ToDo', 'missing', 'status'))\n\
         print(frappe.db.get_value('ToDo', 'T3'))\n\
         print(frappe.db.get_value('System Settings', None, 'country'))\n",
    );
    assert_eq!(
        log,
        [
            "'Open'",
            "('Open', 'task T1')",
            "'Open'",
            "T2 Closed",
            "None",
            "T3",
            "System Settings.country"
        ]
    );
}

#[test]
fn get_all_accepts_frappes_argument_forms() {
    let mut s = site();
    let log = lines(
        &mut s,
        "print(frappe.get_all('ToDo', filters={'status': 'Open'}, pluck='name'))\n\
         print(frappe.get_all('ToDo', {'status': 'Open'}, ['name', 'status'], limit=1))\n\
         print(frappe.db.get_all('ToDo', fields='name, status', filters=[['status', '=', 'Closed']], as_list=True))\n\
         rows = frappe.get_list('ToDo', fields=['name'], start=1, page_length=5)\n\
         print([r.name for r in rows])\n",
    );
    assert_eq!(
        log,
        [
            "['T1', 'T3']",
            "[{'name': 'T1', 'status': 'Open'}]",
            "[('T2', 'Closed')]",
            "['T2', 'T3']"
        ]
    );
    // filters and fields passed the other way round were swapped back
    assert_eq!(s.queries[1].fields, ["name", "status"]);
    assert_eq!(s.queries[1].limit, Some(1));
    assert!(
        s.queries[1].ignore_permissions,
        "get_all ignores permissions"
    );
    assert!(!s.queries[3].ignore_permissions, "get_list applies them");
    assert_eq!((s.queries[3].start, s.queries[3].limit), (1, Some(5)));
}

#[test]
fn exists_count_set_value_and_delete() {
    let mut s = site();
    let log = lines(
        &mut s,
        "print(frappe.db.exists('ToDo', 'T1'), frappe.db.exists('ToDo', 'nope'))\n\
         print(frappe.db.exists({'doctype': 'ToDo', 'status': 'Closed'}))\n\
         print(frappe.db.exists('ToDo', {'status': 'Open'}), frappe.db.exists('Settings', 'Settings'))\n\
         print(frappe.db.count('ToDo'), frappe.db.count('ToDo', {'status': 'Open'}))\n\
         frappe.db.set_value('ToDo', 'T1', 'status', 'Closed')\n\
         frappe.db.set_value('ToDo', 'T3', {'status': 'Closed', 'priority': 'High'}, update_modified=False)\n\
         print(frappe.db.count('ToDo', {'status': 'Closed'}))\n\
         frappe.delete_doc('ToDo', 'T2')\nfrappe.delete_doc('ToDo', 'gone')\n\
         print(frappe.db.count('ToDo'))\n",
    );
    assert_eq!(log, ["T1 None", "T2", "T1 Settings", "3 2", "3", "2"]);
    assert!(
        s.writes.contains(
            &"set_value ToDo T3 {\"status\":\"Closed\",\"priority\":\"High\"} skip_modified=true"
                .to_string()
        )
    );
}

#[test]
fn deleting_a_missing_document_raises_only_when_asked() {
    let mut s = site();
    let out = run_in(
        &mut s,
        "frappe.delete_doc('ToDo', 'gone', ignore_missing=False)\n",
        ScriptType::Api,
        RunInput::default(),
    );
    let e = out.error.expect("an error");
    assert_eq!(e.exc_type, "DoesNotExistError");
    assert_eq!(e.http_status, 404);
}

#[test]
fn sql_rows_are_tuples_or_dicts_and_writes_are_refused() {
    let mut s = site();
    let log = lines(
        &mut s,
        "print(frappe.db.sql('select name, n from x'))\n\
         print([r.name for r in frappe.db.sql('select name, n from x', as_dict=True)])\n\
         try:\n    frappe.db.sql('delete from tabToDo')\nexcept frappe.PermissionError:\n    print('refused')\n\
         print(frappe.db.escape(\"it's 100%\"))\n",
    );
    assert_eq!(
        log,
        [
            "(('A', 1), ('B', 2))",
            "['A', 'B']",
            "refused",
            "'it''s 100%%'"
        ]
    );
}

#[test]
fn a_site_error_queues_a_red_message_like_frappe_throw() {
    let mut s = site();
    let out = run_in(
        &mut s,
        "frappe.get_doc('ToDo', 'nope')\n",
        ScriptType::Api,
        RunInput::default(),
    );
    assert_eq!(out.error.as_ref().unwrap().exc_type, "DoesNotExistError");
    assert_eq!(out.messages.len(), 1);
    assert_eq!(out.messages[0].message, "ToDo nope not found");
    assert_eq!(out.messages[0].indicator.as_deref(), Some("red"));
}

#[test]
fn has_value_changed_compares_with_the_stored_version() {
    let mut s = site();
    let input = RunInput {
        doc: Some(todo("T1", "Closed")),
        doc_before_save: Some(todo("T1", "Open")),
        ..RunInput::default()
    };
    let out = run_in(
        &mut s,
        "print(doc.has_value_changed('status'), doc.has_value_changed('description'))\n\
         print(doc.get_doc_before_save().status)\n\
         other = frappe.get_doc('ToDo', 'T2')\nprint(other.get_doc_before_save())\n",
        ScriptType::DocEvent,
        input,
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    assert_eq!(out.debug_log, ["True False", "Open", "None"]);
}

#[test]
fn a_new_document_has_changed_everywhere() {
    let mut s = site();
    let input = RunInput {
        doc: Some(todo("T9", "Open")),
        ..RunInput::default()
    };
    let out = run_in(
        &mut s,
        "print(doc.has_value_changed('status'), doc.get_doc_before_save())\n",
        ScriptType::DocEvent,
        input,
    );
    assert_eq!(out.debug_log, ["True None"]);
}

#[test]
fn sendmail_normalises_recipients() {
    let mut s = site();
    lines(
        &mut s,
        "frappe.sendmail(recipients='a@x.org, b@x.org', subject='Hi', message='Body', reference_doctype='ToDo', reference_name='T1', template='t')\n",
    );
    let m = &s.mails[0];
    assert_eq!(m.recipients, ["a@x.org", "b@x.org"]);
    assert_eq!((m.subject.as_str(), m.message.as_str()), ("Hi", "Body"));
    assert_eq!(m.reference_name.as_deref(), Some("T1"));
    assert_eq!(m.extra["template"], json!("t"));
}

#[test]
fn without_a_site_the_error_says_where_the_name_works() {
    let script =
        Arc::new(compile("t.py", b"frappe.get_doc('ToDo', 'T1')\n", ScriptType::Api).unwrap());
    let out = script.run(&RunInput::default());
    let e = out.error.unwrap();
    assert_eq!(e.exc_type, "NotImplementedError");
    assert!(e.message.contains("needs a site"), "{}", e.message);
}

#[test]
fn an_operation_the_site_does_not_offer_is_a_clear_error() {
    let mut s = site();
    let out = run_in(
        &mut s,
        "frappe.rename_doc('ToDo', 'T1', 'T100')\n",
        ScriptType::Api,
        RunInput::default(),
    );
    let e = out.error.unwrap();
    assert_eq!(e.exc_type, "NotImplementedError");
    assert_eq!(e.message, "frappe.rename_doc is not available in this site");
}

fn order() -> Json {
    json!({"doctype": "Sales Order", "name": "SO-1", "customer": "C1", "items": [
        {"name": "r1", "idx": 1, "item": "A", "qty": 2, "rate": 1.5, "doctype": "Sales Order Item"},
        {"name": "r2", "idx": 2, "item": "B", "qty": 3, "rate": 2.0, "doctype": "Sales Order Item"},
        {"name": "r3", "idx": 3, "item": "C", "qty": 1, "rate": null, "doctype": "Sales Order Item"}
    ], "customer_name": "Customer One"})
}

#[test]
fn child_rows_read_from_the_site_behave_as_documents() {
    let mut s = MemorySite::with(&[order()]);
    let log = lines(
        &mut s,
        "d = frappe.get_doc('Sales Order', 'SO-1')\n\
         print(len(d.items), [r.item for r in d.items], d.items[0].doctype)\n\
         print(d.items[2].rate, d.items[1].get('qty'), d.items[0].missing, hasattr(d.items[0], 'qty'))\n\
         print(list(d.items[0].as_dict().keys()))\n\
         print(sum(r.qty * (r.rate or 0) for r in d.items))\n",
    );
    assert_eq!(
        log,
        [
            "3 ['A', 'B', 'C'] Sales Order Item",
            "None 3 None True",
            "['name', 'idx', 'item', 'qty', 'rate', 'doctype']",
            "9.0",
        ]
    );
}

#[test]
fn a_document_with_site_child_rows_saves_every_row_in_order() {
    // untouched tables, a changed row and an appended row all reach the save
    let mut s = MemorySite::with(&[order()]);
    lines(
        &mut s,
        "d = frappe.get_doc('Sales Order', 'SO-1')\n\
         d.customer = 'C2'\nd.save()\n",
    );
    let saved = &s.docs[&("Sales Order".to_string(), "SO-1".to_string())];
    assert_eq!(saved["customer"], "C2");
    assert_eq!(
        saved["items"],
        order()["items"]
            .clone()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.as_object().unwrap().clone();
                r.retain(|_, v| !v.is_null());
                Json::Object(r)
            })
            .collect::<Json>()
    );
    let keys: Vec<&String> = saved.keys().collect();
    assert_eq!(
        keys,
        [
            "doctype",
            "name",
            "customer",
            "items",
            "customer_name",
            "modified"
        ]
    );

    lines(
        &mut s,
        "d = frappe.get_doc('Sales Order', 'SO-1')\n\
         d.items[1].qty = 7\nd.append('items', {'item': 'D', 'qty': 4})\nd.save()\n\
         d = frappe.get_doc('Sales Order', 'SO-1')\n\
         print([(r.item, r.qty) for r in d.items])\n",
    );
    let saved = &s.docs[&("Sales Order".to_string(), "SO-1".to_string())];
    let rows: Vec<(String, i64)> = saved["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["item"].as_str().unwrap().to_string(),
                r["qty"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("A".into(), 2),
            ("B".into(), 7),
            ("C".into(), 1),
            ("D".into(), 4)
        ]
    );
}

#[test]
fn a_site_document_returned_by_an_api_script_carries_its_child_rows() {
    let mut s = MemorySite::with(&[order()]);
    let out = run_in(
        &mut s,
        "d = frappe.get_doc('Sales Order', 'SO-1')\nd.items[0].qty = 5\n\
         frappe.response['message'] = {'whole': d, 'row': d.items[2], 'dict': d.as_dict()['items'][1]['item']}\n",
        ScriptType::Api,
        RunInput::default(),
    );
    assert!(out.error.is_none(), "{:?}", out.error);
    let m = &out.response["message"];
    assert_eq!(m["whole"]["items"][0]["qty"], 5);
    assert_eq!(m["whole"]["items"][2]["item"], "C");
    assert_eq!(m["whole"]["customer_name"], "Customer One");
    assert_eq!(
        m["row"],
        json!({"name": "r3", "idx": 3, "item": "C", "qty": 1, "doctype": "Sales Order Item"})
    );
    assert_eq!(m["dict"], "B");
}
