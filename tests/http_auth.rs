//! End to end, issue #21: a Guest endpoint cannot make a System Manager (9); the owner
//! and timestamps of a new document are the server's (10a); list paging arguments are
//! validated and clamped (10b).

mod support;

use serde_json::json;
use support::{Server, add_script};

#[test]
fn a_guest_api_script_cannot_insert_a_system_manager() {
    let (s, admin) = Server::start_with_scripts(&[]);
    let script = r#"
user = frappe.get_doc({
    "doctype": "User",
    "email": "mallory@example.com",
    "first_name": "Mallory",
    "new_password": "Pwned-12345",
    "roles": [{"role": "System Manager"}],
})
user.insert(ignore_permissions=True)
frappe.db.commit()
frappe.response["message"] = "made"
"#;
    add_script(
        &admin,
        json!({"name": "escalate", "script_type": "API", "api_method": "escalate",
                "allow_guest": 1, "script": script}),
    );
    let r = s.client().post_json("/api/method/escalate", &json!({}));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("PermissionError")),
        "{}",
        r.text
    );
    // no such user, and the password does not sign in
    let r = admin.get("/api/resource/User/mallory@example.com");
    assert_eq!(r.status, 404, "{}", r.text);
    let r = s.client().post_json(
        "/api/method/login",
        &json!({"usr": "mallory@example.com", "pwd": "Pwned-12345"}),
    );
    assert_eq!(r.status, 401, "{}", r.text);
}

#[test]
fn a_new_documents_owner_and_stamps_are_the_servers() {
    let (s, admin) = Server::start_with_scripts(&[]);
    let forged = json!({"owner": "Guest", "creation": "2000-01-01 00:00:00.000000",
                        "modified": "2000-01-01 00:00:00.000000", "modified_by": "Guest"});
    let mut body = json!({"description": "over REST"});
    body.as_object_mut()
        .unwrap()
        .extend(forged.as_object().unwrap().clone());
    let r = admin.post_json("/api/resource/ToDo", &body);
    assert_eq!(r.status, 200, "{}", r.text);
    let d = &r.body["data"];
    assert_eq!(
        (d["owner"].as_str(), d["modified_by"].as_str()),
        (Some("Administrator"), Some("Administrator")),
        "{}",
        r.text
    );
    assert!(d["creation"].as_str().unwrap() > "2020", "{}", r.text);

    // a Guest endpoint's script, ignoring permissions, cannot claim an owner either
    let script = r#"
doc = frappe.get_doc({"doctype": "ToDo", "description": "by guest", "owner": "Administrator",
                      "modified_by": "Administrator"})
doc.insert(ignore_permissions=True)
frappe.db.commit()
frappe.response["message"] = doc.name
"#;
    add_script(
        &admin,
        json!({"name": "guest todo", "script_type": "API", "api_method": "guest_todo",
                "allow_guest": 1, "script": script}),
    );
    let r = s.client().post_json("/api/method/guest_todo", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    let name = r.body["message"].as_str().unwrap().to_string();
    let r = admin.get(&format!("/api/resource/ToDo/{name}"));
    assert_eq!(
        (
            r.body["data"]["owner"].as_str(),
            r.body["data"]["modified_by"].as_str()
        ),
        (Some("Guest"), Some("Guest")),
        "{}",
        r.text
    );
}

#[test]
fn list_paging_arguments_are_validated_and_clamped() {
    let (_s, admin) = Server::start_with_scripts(&[]);
    for i in 0..3 {
        let r = admin.post_json(
            "/api/resource/ToDo",
            &json!({"description": format!("t{i}")}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let list = |query: &str| admin.get(&format!("/api/resource/ToDo?{query}"));
    let count = |r: &support::Resp| r.body["data"].as_array().map(Vec::len);
    // huge values are clamped, never an overflow
    for q in [
        "limit=1e30",
        "limit_page_length=99999999999999999999",
        "limit_page_length=18446744073709551615",
        "limit_page_length=9223372036854775807&limit_start=9223372036854775807",
    ] {
        let r = list(q);
        assert_eq!(r.status, 200, "{q}: {}", r.text);
        let expected = if q.contains("limit_start") { 0 } else { 3 };
        assert_eq!(count(&r), Some(expected), "{q}: {}", r.text);
    }
    assert_eq!(count(&list("limit_start=1e30")), Some(0));
    assert_eq!(count(&list("limit_page_length=2&limit_start=2")), Some(1));
    // not a whole number of rows, 0 or more: Frappe's ValidationError shape
    for q in [
        "limit_start=-5",
        "limit=-1",
        "limit_page_length=abc",
        "limit_start=NaN",
        "limit=inf",
    ] {
        let r = list(q);
        assert_eq!(
            (r.status, r.body["exc_type"].as_str()),
            (417, Some("ValidationError")),
            "{q}: {}",
            r.text
        );
        assert!(!r.server_messages().is_empty(), "{q}: {}", r.text);
    }
    let r = admin.get("/api/method/frappe.client.get_list?doctype=ToDo&limit_page_length=1e30");
    assert_eq!(
        (r.status, r.body["message"].as_array().map(Vec::len)),
        (200, Some(3)),
        "{}",
        r.text
    );
    let r = admin.get("/api/method/frappe.client.get_list?doctype=ToDo&limit_start=-5");
    assert_eq!(r.status, 417, "{}", r.text);

    // a script's frappe.get_list with the largest integers there are
    let script = r#"
rows = frappe.get_list("ToDo", limit_start=9223372036854775807, limit_page_length=9223372036854775807)
more = frappe.get_list("ToDo", limit_page_length=10**40)
frappe.response["message"] = [len(rows), len(more)]
"#;
    add_script(
        &admin,
        json!({"name": "pages", "script_type": "API", "api_method": "pages", "script": script}),
    );
    let r = admin.get("/api/method/pages");
    assert_eq!(
        (r.status, &r.body["message"]),
        (200, &json!([0, 3])),
        "{}",
        r.text
    );
}
