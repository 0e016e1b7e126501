//! End to end, issue #21: a Guest endpoint cannot make a System Manager (9); the owner
//! and timestamps of a new document are the server's (10a); list paging arguments are
//! validated and clamped (10b).

mod support;

use serde_json::json;
use support::Server;

#[test]
fn a_guest_api_script_cannot_insert_a_system_manager() {
    let s = Server::start();
    s.set_config("server_script_enabled", "true");
    let admin = s.admin();
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
    let r = admin.post_json(
        "/api/resource/Server Script",
        &json!({"name": "escalate", "script_type": "API", "api_method": "escalate",
                "allow_guest": 1, "script": script}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
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
