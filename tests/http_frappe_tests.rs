//! Frappe's own Server Script tests (reference §8.1 items 1–8 and 10, §8.2 items 1, 2, 3,
//! 9, 14, 15, 16), written as our tests against our server; and the hook order of §6.3
//! seen by one script per event label.

mod support;

use serde_json::{Value, json};
use support::{Client, Server, qs};

fn script(c: &Client, name: &str, fields: Value) -> support::Resp {
    let mut body = fields;
    body["name"] = name.into();
    c.post_json("/api/resource/Server Script", &body)
}

fn ok(r: support::Resp) -> support::Resp {
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

fn site() -> (Server, Client) {
    let s = Server::start();
    s.set_config("server_script_enabled", "1");
    let c = s.admin();
    (s, c)
}

fn doc_event(doctype: &str, event: &str, code: &str) -> Value {
    json!({"script_type": "DocType Event", "reference_doctype": doctype, "doctype_event": event, "script": code})
}

fn api(method: &str, guest: bool, code: &str) -> Value {
    json!({"script_type": "API", "api_method": method, "allow_guest": guest as i64, "script": code})
}

#[test]
fn test_doctype_event() {
    let (_s, c) = site();
    ok(script(
        &c,
        "test_todo",
        doc_event(
            "ToDo",
            "Before Insert",
            "if \"test\" in doc.description:\n    doc.status = 'Closed'",
        ),
    ));
    ok(script(
        &c,
        "test_todo_validate",
        doc_event(
            "ToDo",
            "Before Insert",
            "if \"validate\" in doc.description:\n    raise frappe.ValidationError",
        ),
    ));
    ok(script(
        &c,
        "test_before_rename",
        doc_event("Role", "After Rename", "doc.desk_access = 0\ndoc.save()"),
    ));
    ok(script(
        &c,
        "test_after_rename",
        doc_event("Role", "After Rename", "doc.disabled = 1\ndoc.save()"),
    ));
    assert_eq!(
        c.post_json("/api/resource/ToDo", &json!({"description": "hello"}))
            .body["data"]["status"],
        "Open"
    );
    assert_eq!(
        c.post_json("/api/resource/ToDo", &json!({"description": "test todo"}))
            .body["data"]["status"],
        "Closed"
    );
    let r = c.post_json("/api/resource/ToDo", &json!({"description": "validate me"}));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("ValidationError"))
    );
    assert_eq!(
        r.body["exception"], "frappe.exceptions.ValidationError",
        "a bare raise"
    );
    ok(c.post_json("/api/resource/Role", &json!({"role_name": "_Test Role 9"})));
    let r = c.post_form(
        "/api/method/frappe.client.rename_doc",
        &[
            ("doctype", "Role"),
            ("old_name", "_Test Role 9"),
            ("new_name", "_Test Role 10"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let role = c.get("/api/resource/Role/_Test Role 10").body["data"].clone();
    assert_eq!(
        (role["disabled"].as_i64(), role["desk_access"].as_i64()),
        (Some(1), Some(0)),
        "both After Rename scripts ran and saved: {role}"
    );
}

#[test]
fn test_api_and_test_api_return() {
    let (s, c) = site();
    ok(script(
        &c,
        "test_api",
        api(
            "test_server_script",
            true,
            "frappe.response['message'] = 'hello'",
        ),
    ));
    ok(script(
        &c,
        "test_return_value",
        api("test_return_value", true, "frappe.flags = 'hello'"),
    ));
    let r = s
        .client()
        .post_json("/api/method/test_server_script", &json!({}));
    assert_eq!((r.status, r.body["message"].as_str()), (200, Some("hello")));
    let r = s.client().get("/api/method/test_return_value");
    assert_eq!(
        r.body,
        json!({"message": "hello"}),
        "rebinding frappe.flags is the return value"
    );
}

#[test]
fn test_permission_query() {
    let (_s, c) = site();
    for (d, status) in [("open one", "Open"), ("closed one", "Closed")] {
        ok(c.post_json(
            "/api/resource/ToDo",
            &json!({"description": d, "status": status}),
        ));
    }
    ok(script(
        &c,
        "test_permission_query",
        json!({"script_type": "Permission Query", "reference_doctype": "ToDo", "script": "conditions = '1 = 1'"}),
    ));
    let list = || {
        c.get(&format!(
            "/api/resource/ToDo?{}",
            qs(&[
                ("fields", r#"["description"]"#),
                ("order_by", "description asc")
            ])
        ))
        .body["data"]
            .clone()
    };
    assert_eq!(
        list(),
        json!([{"description": "closed one"}, {"description": "open one"}])
    );
    let r = c.put_json("/api/resource/Server Script/test_permission_query", &json!({"script": "conditions = \"status = 'Open'\" if user == 'Administrator' else '1 = 0'"}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        list(),
        json!([{"description": "open one"}]),
        "the script's conditions filter permission-aware lists"
    );
    assert_eq!(
        c.get("/api/method/frappe.client.get_count?doctype=ToDo")
            .body["message"],
        1
    );
}

#[test]
fn test_attribute_error() {
    let (_s, c) = site();
    let r = ok(script(
        &c,
        "test_invalid_namespace_method",
        doc_event(
            "Note",
            "Before Insert",
            "frappe.method_that_doesnt_exist(\"do some magic\")",
        ),
    ));
    assert!(
        r.server_messages()
            .iter()
            .any(|m| m["title"] == "Compilation warning"),
        "unknown frappe.x warns at save: {}",
        r.text
    );
    let r = c.post_json(
        "/api/resource/Note",
        &json!({"title": "Test Note: Server Script"}),
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (500, Some("AttributeError")),
        "{}",
        r.text
    );
    assert_eq!(
        r.body["exception"],
        "AttributeError: module has no attribute 'method_that_doesnt_exist'"
    );
}

#[test]
fn test_syntax_validation() {
    let (_s, c) = site();
    ok(script(
        &c,
        "test_todo",
        doc_event("ToDo", "Before Insert", "pass"),
    ));
    let r = script(
        &c,
        "test_todo",
        doc_event("ToDo", "Before Insert", "js || code.?"),
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("ValidationError")),
        "validation runs before the duplicate-name check"
    );
    assert!(
        r.body["exception"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("invalid python code"),
        "{}",
        r.text
    );
}

#[test]
fn test_commit_and_add_index_in_doctype_event() {
    let (_s, c) = site();
    for (name, code) in [
        ("test_todo_commit", "frappe.db.commit()"),
        (
            "test_add_index",
            "frappe.db.add_index(\"Todo\", [\"color\", \"date\"])",
        ),
    ] {
        ok(script(&c, name, doc_event("ToDo", "Before Save", code)));
        let r = c.post_json("/api/resource/ToDo", &json!({"description": "test me"}));
        assert_eq!(
            (r.status, r.body["exc_type"].as_str()),
            (500, Some("AttributeError")),
            "{name}: {}",
            r.text
        );
        ok(c.put_json(
            &format!("/api/resource/Server Script/{name}"),
            &json!({"disabled": 1}),
        ));
    }
    assert_eq!(
        c.get("/api/method/frappe.client.get_count?doctype=ToDo")
            .body["message"],
        0,
        "each failed insert was rolled back"
    );
}

#[test]
fn test_scripts_all_the_way_down() {
    let (_s, c) = site();
    ok(script(
        &c,
        "test_nested_scripts_1",
        api(
            "test_nested_scripts_1",
            false,
            "log(\"nothing\")\nfrappe.flags.depth = 1",
        ),
    ));
    ok(script(
        &c,
        "test_nested_scripts_2",
        api(
            "test_nested_scripts_2",
            false,
            "frappe.response['message'] = frappe.call(\"test_nested_scripts_1\")",
        ),
    ));
    let r = c.get("/api/method/test_nested_scripts_2");
    assert_eq!(r.body["message"], json!({"depth": 1}), "{}", r.text);
}

#[test]
fn safe_exec_tests() {
    let (s, c) = site();
    // 1, 2: refused when saved (Frappe raises when run; we refuse earlier)
    for (name, code, rule) in [
        ("imp", "import os", "SS101"),
        ("attr", "().__class__.__call__", "SS1"),
    ] {
        let r = script(&c, name, api(name, true, code));
        assert_eq!(r.status, 417, "{name}: {}", r.text);
        assert!(
            r.body["diagnostics"][0]["code"]
                .as_str()
                .unwrap()
                .starts_with(rule),
            "{}",
            r.text
        );
    }
    // 3
    ok(script(
        &c,
        "utils",
        api(
            "utils",
            true,
            "frappe.response['message'] = frappe.utils.cint('1')",
        ),
    ));
    assert_eq!(s.client().get("/api/method/utils").body["message"], 1);
    // 6: reads through frappe.db.sql work; a write is a PermissionError (403) and
    // changes nothing
    ok(script(
        &c,
        "sql_read",
        api(
            "sql_read",
            true,
            "out = frappe.db.sql(\"select name from tabDocType where name='DocType'\")\n\
             rows = frappe.db.sql('select name from tabDocType where name in %(n)s order by name', {'n': ['DocType', 'ToDo']}, as_dict=True)\n\
             frappe.response['message'] = [out[0][0], [r.name for r in rows], isinstance(out, tuple)]",
        ),
    ));
    assert_eq!(
        s.client().get("/api/method/sql_read").body["message"],
        json!(["DocType", ["DocType", "ToDo"], true])
    );
    ok(script(
        &c,
        "sql_write",
        api(
            "sql_write",
            true,
            "frappe.db.sql('update tabToDo set description=NULL')",
        ),
    ));
    let r = s.client().post_json("/api/method/sql_write", &json!({}));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("PermissionError")),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("Query must be of SELECT or read-only WITH type."),
        "{}",
        r.text
    );
    // 9: frappe.call of a non-whitelisted name fails, of ping works
    ok(script(
        &c,
        "call_bad",
        api("call_bad", true, "frappe.call('frappe.get_user')"),
    ));
    let r = s.client().get("/api/method/call_bad");
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("PermissionError")),
        "{}",
        r.text
    );
    ok(script(
        &c,
        "call_ping",
        api(
            "call_ping",
            true,
            "frappe.response['message'] = frappe.call('ping')",
        ),
    ));
    assert_eq!(
        s.client().get("/api/method/call_ping").body["message"],
        "pong"
    );
    // 14: writing to a new _dict works; to the _dict class does not
    ok(script(
        &c,
        "write_ok",
        api(
            "write_ok",
            true,
            "d = _dict()\nd.x = 1\nfrappe.response['message'] = d.x",
        ),
    ));
    assert_eq!(s.client().get("/api/method/write_ok").body["message"], 1);
    let r = script(&c, "write_bad", api("write_bad", true, "_dict.x = 1"));
    let refused = r.status == 417 || s.client().get("/api/method/write_bad").status >= 400;
    assert!(
        refused,
        "assigning an attribute of _dict itself is refused: {}",
        r.text
    );
    // 15
    let marker = "a1b2c3d4e5";
    ok(script(
        &c,
        "printer",
        api("printer", true, &format!("print('{marker}')")),
    ));
    let r = s.client().get("/api/method/printer");
    let log: Vec<String> =
        serde_json::from_str(r.body["_debug_messages"].as_str().unwrap()).unwrap();
    assert_eq!(log.last().map(String::as_str), Some(marker));
}

#[test]
fn safe_exec_is_disabled_by_default() {
    let s = Server::start();
    let c = s.admin();
    ok(script(&c, "p", api("p", true, "pass")));
    let r = s.client().get("/api/method/p");
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("ServerScriptNotEnabled"))
    );
}

const LABELS: &[&str] = &[
    "Before Insert",
    "Before Validate",
    "Before Save",
    "After Insert",
    "After Save",
    "Before Submit",
    "After Submit",
    "Before Cancel",
    "After Cancel",
    "Before Delete",
    "After Delete",
    "Before Save (Submitted Document)",
    "After Save (Submitted Document)",
    "Before Rename",
    "After Rename",
];

#[test]
fn one_script_per_event_label_sees_frappes_hook_order() {
    let (_s, c) = site();
    ok(c.post_json("/api/resource/DocType", &json!({"name": "Hook Log", "autoname": "LOG-.######",
        "fields": [{"fieldname": "event", "fieldtype": "Data", "label": "Event"}],
        "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}]})));
    ok(c.post_json("/api/resource/DocType", &json!({"name": "Tracked", "is_submittable": 1, "autoname": "Prompt",
        "fields": [{"fieldname": "note", "fieldtype": "Data", "label": "Note", "allow_on_submit": 1}],
        "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1, "submit": 1, "cancel": 1}]})));
    for label in LABELS {
        let code = format!(
            "frappe.get_doc({{'doctype': 'Hook Log', 'event': '{label}'}}).insert(ignore_permissions=True)"
        );
        ok(script(
            &c,
            &format!("log {label}"),
            doc_event("Tracked", label, &code),
        ));
    }
    let mut seen = 0usize;
    let mut events = |c: &Client| -> Vec<String> {
        let rows = c
            .get(&format!(
                "/api/resource/Hook Log?{}",
                qs(&[
                    ("fields", r#"["event"]"#),
                    ("order_by", "name asc"),
                    ("limit", "0")
                ])
            ))
            .body["data"]
            .clone();
        let all: Vec<String> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["event"].as_str().unwrap().to_string())
            .collect();
        let new = all[seen..].to_vec();
        seen = all.len();
        new
    };
    ok(c.post_json("/api/resource/Tracked", &json!({"name": "t1"})));
    assert_eq!(
        events(&c),
        [
            "Before Insert",
            "Before Validate",
            "Before Save",
            "After Insert",
            "After Save"
        ]
    );
    ok(c.put_json("/api/resource/Tracked/t1", &json!({"note": "draft edit"})));
    assert_eq!(events(&c), ["Before Validate", "Before Save", "After Save"]);
    ok(c.post_form(
        "/api/method/frappe.client.rename_doc",
        &[
            ("doctype", "Tracked"),
            ("old_name", "t1"),
            ("new_name", "t2"),
        ],
    ));
    assert_eq!(events(&c), ["Before Rename", "After Rename"]);
    let doc = c.get("/api/resource/Tracked/t2").body["data"].clone();
    ok(c.post_form(
        "/api/method/frappe.client.submit",
        &[("doc", &doc.to_string())],
    ));
    assert_eq!(
        events(&c),
        [
            "Before Validate",
            "Before Save",
            "Before Submit",
            "After Save",
            "After Submit"
        ]
    );
    ok(c.put_json("/api/resource/Tracked/t2", &json!({"note": "after submit"})));
    assert_eq!(
        events(&c),
        [
            "Before Save (Submitted Document)",
            "After Save (Submitted Document)"
        ]
    );
    ok(c.post_form(
        "/api/method/frappe.client.cancel",
        &[("doctype", "Tracked"), ("name", "t2")],
    ));
    assert_eq!(events(&c), ["Before Cancel", "After Cancel"]);
    assert_eq!(c.delete("/api/resource/Tracked/t2").status, 202);
    assert_eq!(events(&c), ["Before Delete", "After Delete"]);
    // inserting submitted takes the submit path
    ok(c.post_json(
        "/api/resource/Tracked",
        &json!({"name": "t3", "docstatus": 1}),
    ));
    assert_eq!(
        events(&c),
        [
            "Before Insert",
            "Before Validate",
            "Before Save",
            "Before Submit",
            "After Insert",
            "After Save",
            "After Submit"
        ]
    );
    let _ = Value::Null;
}
