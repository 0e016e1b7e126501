//! End to end, issue #21 item 6: sessions and API keys end with the user's right to them.

mod support;

use serde_json::json;
use support::{Client, Server};

const USER: &str = "ops@example.com";

/// A server with a System Manager `ops@example.com` (password `first-pass-1`).
fn server() -> (Server, Client) {
    let s = Server::start();
    let admin = s.admin();
    let r = admin.post_json(
        "/api/resource/User",
        &json!({"email": USER, "first_name": "Ops", "enabled": 1,
                "new_password": "first-pass-1", "roles": [{"role": "System Manager"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    (s, admin)
}

fn login(s: &Server, pwd: &str) -> Client {
    let c = s.client();
    let r = c.post_json("/api/method/login", &json!({"usr": USER, "pwd": pwd}));
    assert_eq!(r.status, 200, "{}", r.text);
    c
}

/// Who the server takes the client for (`None`: Guest or refused).
fn who(c: &Client) -> Option<String> {
    let r = c.get("/api/method/frappe.auth.get_logged_user");
    (r.status == 200).then(|| r.body["message"].as_str().unwrap().to_string())
}

#[test]
fn disabling_a_user_signs_out_their_sessions_and_api_key() {
    let (s, admin) = server();
    let (phone, laptop) = (login(&s, "first-pass-1"), login(&s, "first-pass-1"));
    let r = admin.post_json(
        "/api/method/frappe.core.doctype.user.user.generate_keys",
        &json!({"user": USER}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let secret = r.body["message"]["api_secret"]
        .as_str()
        .unwrap()
        .to_string();
    let r = admin.get(&format!("/api/resource/User/{USER}"));
    let key = r.body["data"]["api_key"].as_str().unwrap().to_string();
    let token = Client::with_token(&admin.base, &key, &secret);
    assert_eq!(who(&phone).as_deref(), Some(USER));
    assert_eq!(who(&token).as_deref(), Some(USER));

    let r = admin.put_json(
        &format!("/api/resource/User/{USER}"),
        &json!({"enabled": 0}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((who(&phone), who(&laptop)), (None, None));
    let r = token.get("/api/method/frappe.auth.get_logged_user");
    assert_eq!(r.status, 401, "a disabled user's key: {}", r.text);

    // enabled again: the key works, the ended sessions stay ended
    let r = admin.put_json(
        &format!("/api/resource/User/{USER}"),
        &json!({"enabled": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((who(&phone), who(&laptop)), (None, None));
    assert_eq!(who(&token).as_deref(), Some(USER));
}

#[test]
fn changing_ones_password_signs_out_ones_other_sessions() {
    let (s, _admin) = server();
    let (this, other) = (login(&s, "first-pass-1"), login(&s, "first-pass-1"));
    let r = this.put_json(
        &format!("/api/resource/User/{USER}"),
        &json!({"new_password": "second-pass-2"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        who(&this).as_deref(),
        Some(USER),
        "the session that changed it stays"
    );
    assert_eq!(who(&other), None);
    let r = s.client().post_json(
        "/api/method/login",
        &json!({"usr": USER, "pwd": "first-pass-1"}),
    );
    assert_eq!(r.status, 401, "{}", r.text);
    login(&s, "second-pass-2");
}
