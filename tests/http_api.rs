//! End to end: the real binary on 127.0.0.1 with a real SQLite site — every route of the
//! v1 API, auth, and each error status with Frappe's body shape.

mod support;

use serde_json::{Value, json};
use support::{Client, Server, qs};

#[test]
fn ping_answers_pong_on_every_route_shape() {
    let s = Server::start();
    let c = s.client();
    for path in [
        "/api/method/ping",
        "/api/method/ping/",
        "/api/method/frappe.ping",
        "/api/v1/method/ping",
        "/?cmd=ping",
    ] {
        let r = c.get(path);
        assert_eq!(
            (r.status, r.text.as_str()),
            (200, r#"{"message":"pong"}"#),
            "{path}"
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(
            r.header("cache-control"),
            Some("no-store,no-cache,must-revalidate,max-age=0")
        );
        assert!(
            r.header("x-request-id").is_some_and(|id| !id.is_empty()),
            "a request id is sent back"
        );
    }
    let r = c.post_form("/", &[("cmd", "ping")]);
    assert_eq!(r.text, r#"{"message":"pong"}"#);
    let r = c.post_json("/api/method/ping", &json!({}));
    assert_eq!(r.status, 200);
    assert_eq!(
        c.request("OPTIONS", "/api/resource/ToDo", None, &[]).status,
        200
    );
}

#[test]
fn login_sets_frappes_cookies_and_logout_ends_the_session() {
    let s = Server::start();
    let c = s.client();
    let r = c.post_json(
        "/api/method/login",
        &json!({"usr": "Administrator", "pwd": support::ADMIN_PASSWORD}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        json!({"message": "Logged In", "home_page": "/app", "full_name": "Administrator"})
    );
    let cookies = r.headers_named("set-cookie");
    let sid = cookies
        .iter()
        .find(|c| c.starts_with("sid="))
        .expect("sid cookie");
    assert!(sid.contains("HttpOnly"), "{sid}");
    for name in [
        "system_user=yes",
        "full_name=Administrator",
        "user_id=Administrator",
        "user_image=",
        "user_lang=",
    ] {
        assert!(
            cookies.iter().any(|c| c.starts_with(name)),
            "{name} in {cookies:?}"
        );
    }
    let sid_value = sid
        .trim_start_matches("sid=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        c.get("/api/method/frappe.auth.get_logged_user").body,
        json!({"message": "Administrator"})
    );
    // the sid also works as a request argument, as in Frappe
    let other = s.client();
    assert_eq!(
        other
            .get(&format!(
                "/api/method/frappe.auth.get_logged_user?sid={sid_value}"
            ))
            .body["message"],
        "Administrator"
    );
    let r = c.get("/?cmd=logout");
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    assert!(
        r.headers_named("set-cookie")
            .iter()
            .any(|c| c.starts_with("sid=;") && c.contains("Max-Age=0"))
    );
    let r = other.get(&format!(
        "/api/method/frappe.auth.get_logged_user?sid={sid_value}"
    ));
    assert_eq!(r.status, 403, "the old sid is dead: {}", r.text);
    // login with form fields on / (cmd=login), as older clients do
    let r = s.client().post_form(
        "/",
        &[
            ("cmd", "login"),
            ("usr", "Administrator"),
            ("pwd", support::ADMIN_PASSWORD),
        ],
    );
    assert_eq!(r.body["message"], "Logged In");
}

#[test]
fn bad_logins_are_401_with_frappes_message() {
    let s = Server::start();
    let c = s.client();
    let r = c.post_json(
        "/api/method/login",
        &json!({"usr": "Administrator", "pwd": "wrong"}),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.body["exc_type"], "AuthenticationError");
    assert_eq!(r.body["message"], "Invalid login credentials");
    let r = c.post_form("/api/method/login", &[("usr", "Administrator")]);
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (401, Some("Incomplete login details"))
    );
    let r = c.post_json(
        "/api/method/login",
        &json!({"usr": "nobody@example.com", "pwd": "x"}),
    );
    assert_eq!(r.status, 401);
}

#[test]
fn token_and_basic_auth_identify_the_user_and_bad_keys_are_rejected() {
    use base64::Engine;
    let s = Server::start();
    let admin = s.admin();
    let r = admin.post_form(
        "/api/method/frappe.core.doctype.user.user.generate_keys",
        &[("user", "Administrator")],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let key = r.body["message"]["api_key"].as_str().unwrap().to_string();
    let secret = r.body["message"]["api_secret"]
        .as_str()
        .unwrap()
        .to_string();
    let token = Client::with_token(&s.base, &key, &secret);
    assert_eq!(
        token.get("/api/method/frappe.auth.get_logged_user").body["message"],
        "Administrator"
    );
    let mut basic = s.client();
    basic.authorization = Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
    ));
    assert_eq!(
        basic.get("/api/method/frappe.auth.get_logged_user").body["message"],
        "Administrator"
    );
    let wrong = Client::with_token(&s.base, &key, "not-the-secret");
    let r = wrong.get("/api/method/frappe.auth.get_logged_user");
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (401, Some("AuthenticationError"))
    );
    let mut bad = s.client();
    bad.authorization = Some("Basic !!!notbase64".into());
    assert_eq!(bad.get("/api/method/ping").status, 400);
    // the secret is readable nowhere: the document shows stars
    let user = admin.get("/api/resource/User/Administrator").body;
    assert_eq!(user["data"]["api_key"], key.as_str());
    assert!(
        user["data"]["api_secret"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c == '*')
    );
    // only a System Manager may generate keys
    let r = s.client().post_form(
        "/api/method/frappe.core.doctype.user.user.generate_keys",
        &[("user", "Administrator")],
    );
    assert_eq!(r.status, 403);
}

#[test]
fn guests_get_403_with_frappes_body() {
    let s = Server::start();
    let c = s.client();
    let r = c.get("/api/method/frappe.auth.get_logged_user");
    assert_eq!(r.status, 403);
    let keys: Vec<&str> = r
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["exception", "exc_type", "exc", "_server_messages"]);
    assert_eq!(r.body["exc_type"], "PermissionError");
    let msgs = r.server_messages();
    assert_eq!(msgs[0]["title"], "Method Not Allowed");
    assert_eq!(msgs[0]["raise_exception"], 1);
    let exc: Vec<String> = serde_json::from_str(r.body["exc"].as_str().unwrap()).unwrap();
    assert!(exc[0].ends_with(&format!("{}\n", r.body["exception"].as_str().unwrap())));
    let r = c.get("/api/resource/ToDo");
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("PermissionError"))
    );
    let r = c.post_json("/api/resource/ToDo", &json!({"description": "x"}));
    assert_eq!(r.status, 403);
}

#[test]
fn resources_are_created_read_updated_listed_and_deleted() {
    let s = Server::start();
    let c = s.admin();
    let r = c.post_json(
        "/api/resource/ToDo",
        &json!({"description": "first", "priority": "High"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let d = &r.body["data"];
    for k in [
        "name",
        "owner",
        "creation",
        "modified",
        "modified_by",
        "docstatus",
        "idx",
        "doctype",
    ] {
        assert!(d.get(k).is_some(), "{k} in {d}");
    }
    assert_eq!(
        (
            d["status"].as_str(),
            d["owner"].as_str(),
            d["doctype"].as_str()
        ),
        (Some("Open"), Some("Administrator"), Some("ToDo"))
    );
    let first = d["name"].as_str().unwrap().to_string();
    // form `data=` with a doctype key, as frappe-client sends it
    let r = c.post_form(
        "/api/resource/ToDo",
        &[(
            "data",
            r#"{"doctype": "ToDo", "description": "second", "status": "Closed"}"#,
        )],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let second = r.body["data"]["name"].as_str().unwrap().to_string();
    let r = c.get(&format!("/api/resource/ToDo/{first}?extra=ignored"));
    assert_eq!(r.body["data"]["description"], "first");
    let r = c.put_json(
        &format!("/api/resource/ToDo/{first}"),
        &json!({"status": "Closed"}),
    );
    assert_eq!(
        (r.status, r.body["data"]["status"].as_str()),
        (200, Some("Closed")),
        "{}",
        r.text
    );
    assert_eq!(
        r.body["data"]["description"], "first",
        "a partial PUT keeps the other fields"
    );
    // PUT with form data=
    let r = c.request(
        "PUT",
        &format!("/api/resource/ToDo/{second}"),
        Some((
            "application/x-www-form-urlencoded",
            format!("data={}", support::enc(r#"{"priority":"Low"}"#)),
        )),
        &[],
    );
    assert_eq!(r.body["data"]["priority"], "Low");

    let list =
        |q: &[(&str, &str)]| c.get(&format!("/api/resource/ToDo?{}", qs(q))).body["data"].clone();
    assert_eq!(list(&[]).as_array().unwrap().len(), 2);
    assert_eq!(
        list(&[]).as_array().unwrap()[0]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["name"],
        "default fields"
    );
    let rows = list(&[
        ("fields", r#"["name","description"]"#),
        ("filters", r#"{"priority":"High"}"#),
    ]);
    assert_eq!(rows, json!([{"name": first, "description": "first"}]));
    let rows = list(&[
        ("fields", r#"["description"]"#),
        ("filters", r#"[["ToDo","priority","in",["Low","Medium"]]]"#),
    ]);
    assert_eq!(rows, json!([{"description": "second"}]));
    let rows = list(&[
        ("fields", r#"["description"]"#),
        (
            "or_filters",
            r#"[["priority","=","High"],["priority","=","Low"]]"#,
        ),
        ("order_by", "description desc"),
    ]);
    assert_eq!(
        rows,
        json!([{"description": "second"}, {"description": "first"}])
    );
    let rows = list(&[
        ("fields", r#"["description","priority"]"#),
        ("order_by", "description asc"),
        ("as_dict", "false"),
    ]);
    assert_eq!(rows, json!([["first", "High"], ["second", "Low"]]));
    let rows = list(&[
        ("fields", r#"["description"]"#),
        ("order_by", "description asc"),
        ("limit_page_length", "1"),
        ("limit_start", "1"),
    ]);
    assert_eq!(rows, json!([{"description": "second"}]));
    let rows = list(&[("fields", r#""*""#), ("limit", "1")]);
    assert!(
        rows[0].get("modified_by").is_some(),
        "fields=\"*\" selects every column"
    );
    let rows = list(&[
        ("fields", r#"["count(name) as n"]"#),
        ("filters", r#"{"description":["like","%ond"]}"#),
    ]);
    assert_eq!(rows, json!([{"n": 1}]));
    let r = c.get(&format!(
        "/api/resource/ToDo?{}",
        qs(&[("fields", r#"["password from __Auth"]"#)])
    ));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("DataError")),
        "no SQL through field names"
    );

    let r = c.delete(&format!("/api/resource/ToDo/{first}"));
    assert_eq!((r.status, r.text.as_str()), (202, r#"{"data":"ok"}"#));
    let r = c.get(&format!("/api/resource/ToDo/{first}"));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (404, Some("DoesNotExistError"))
    );
    assert!(
        r.body.get("exception").is_none() && r.body.get("exc").is_none(),
        "404s carry no traceback"
    );
    assert_eq!(
        r.server_messages()[0]["message"],
        format!("ToDo {first} not found")
    );
    assert_eq!(c.delete(&format!("/api/resource/ToDo/{first}")).status, 404);
}

#[test]
fn validation_errors_have_their_status_and_body() {
    let s = Server::start();
    let c = s.admin();
    let r = c.post_json("/api/resource/ToDo", &json!({"status": "Open"}));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("MandatoryError"))
    );
    assert!(
        r.body["exception"]
            .as_str()
            .unwrap()
            .starts_with("frappe.exceptions.MandatoryError: [ToDo, ")
    );
    assert_eq!(
        r.server_messages()[0]["message"],
        "Error: Value missing for ToDo: Description"
    );
    let r = c.post_json(
        "/api/resource/ToDo",
        &json!({"description": "x", "status": "Nope"}),
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("ValidationError"))
    );
    let r = c.post_json(
        "/api/resource/ToDo",
        &json!({"description": "x", "allocated_to": "ghost@example.com"}),
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("LinkValidationError"))
    );
    let r = c.post_json("/api/resource/Role", &json!({"role_name": "Auditor"}));
    assert_eq!(r.status, 200, "{}", r.text);
    let r = c.post_json("/api/resource/Role", &json!({"role_name": "Auditor"}));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (409, Some("DuplicateEntryError")),
        "{}",
        r.text
    );
    let r = c.get("/api/resource/NoSuchDocType");
    assert_eq!(r.status, 404);
    let r = c.get("/api/method/no.such.method");
    assert_eq!(r.status, 417);
    assert_eq!(
        r.server_messages()[0]["message"],
        "Failed to get method for command no.such.method with No module named 'no'"
    );
    let r = c.request(
        "POST",
        "/api/method/ping",
        Some(("application/json", "{not json".into())),
        &[],
    );
    assert_eq!(r.status, 417, "{}", r.text);
    // nothing of the failed requests was stored
    assert_eq!(
        c.get("/api/method/frappe.client.get_count?doctype=ToDo")
            .body["message"],
        0
    );
}

#[test]
fn frappe_client_methods_work_as_frappe_client_calls_them() {
    let s = Server::start();
    let c = s.admin();
    let r = c.post_form(
        "/api/method/frappe.client.insert",
        &[(
            "doc",
            r#"{"doctype":"ToDo","description":"a","priority":"High"}"#,
        )],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let name = r.body["message"]["name"].as_str().unwrap().to_string();
    let r = c.post_form(
        "/api/method/frappe.client.insert_many",
        &[(
            "docs",
            r#"[{"doctype":"ToDo","description":"b"},{"doctype":"ToDo","description":"c"}]"#,
        )],
    );
    assert_eq!(r.body["message"].as_array().unwrap().len(), 2, "{}", r.text);
    let get = |q: &[(&str, &str)], m: &str| c.get(&format!("/api/method/{m}?{}", qs(q))).body;
    assert_eq!(
        get(&[("doctype", "ToDo")], "frappe.client.get_count")["message"],
        3
    );
    assert_eq!(
        get(
            &[
                ("doctype", "ToDo"),
                ("filters", r#"[["priority","=","High"]]"#)
            ],
            "frappe.client.get_count"
        )["message"],
        1
    );
    assert_eq!(
        get(
            &[("doctype", "ToDo"), ("filters", r#"{"priority":"High"}"#)],
            "frappe.client.get_count"
        )["message"],
        1
    );
    assert_eq!(
        get(&[("doctype", "ToDo"), ("name", &name)], "frappe.client.get")["message"]["description"],
        "a"
    );
    assert_eq!(
        get(
            &[("doctype", "ToDo"), ("filters", r#"{"description":"a"}"#)],
            "frappe.client.get"
        )["message"]["name"],
        name.as_str()
    );
    assert_eq!(
        get(
            &[
                ("doctype", "ToDo"),
                ("fieldname", "description"),
                ("filters", &name)
            ],
            "frappe.client.get_value"
        )["message"],
        json!({"description": "a"})
    );
    assert_eq!(
        get(
            &[
                ("doctype", "ToDo"),
                ("fieldname", r#"["description","priority"]"#),
                ("filters", r#"{"priority":"High"}"#)
            ],
            "frappe.client.get_value"
        )["message"],
        json!({"description": "a", "priority": "High"})
    );
    assert_eq!(
        get(
            &[
                ("doctype", "ToDo"),
                ("fieldname", "description"),
                ("filters", r#"{"description":"zzz"}"#)
            ],
            "frappe.client.get_value"
        )["message"],
        json!({})
    );
    let rows = get(
        &[
            ("doctype", "ToDo"),
            ("fields", r#"["description"]"#),
            ("order_by", "description asc"),
        ],
        "frappe.client.get_list",
    )["message"]
        .clone();
    assert_eq!(
        rows,
        json!([{"description": "a"}, {"description": "b"}, {"description": "c"}])
    );
    let r = c.post_form(
        "/api/method/frappe.client.set_value",
        &[
            ("doctype", "ToDo"),
            ("name", &name),
            ("fieldname", "status"),
            ("value", "Closed"),
        ],
    );
    assert_eq!(r.body["message"]["status"], "Closed", "{}", r.text);
    let r = c.post_form(
        "/api/method/frappe.client.set_value",
        &[
            ("doctype", "ToDo"),
            ("name", &name),
            ("fieldname", r##"{"priority":"Low","color":"#fff"}"##),
        ],
    );
    assert_eq!(
        (
            r.body["message"]["priority"].as_str(),
            r.body["message"]["color"].as_str()
        ),
        (Some("Low"), Some("#fff"))
    );
    let r = c.get(&format!(
        "/api/method/frappe.client.set_value?{}",
        qs(&[
            ("doctype", "ToDo"),
            ("name", &name),
            ("fieldname", "status"),
            ("value", "Open")
        ])
    ));
    assert_eq!(r.status, 403, "set_value is POST/PUT only");
    let r = c.post_form(
        "/api/method/frappe.client.rename_doc",
        &[
            ("doctype", "ToDo"),
            ("old_name", &name),
            ("new_name", "renamed-todo"),
        ],
    );
    assert_eq!(r.body["message"], "renamed-todo", "{}", r.text);
    let r = c.post_form(
        "/api/method/frappe.client.delete",
        &[("doctype", "ToDo"), ("name", "renamed-todo")],
    );
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    assert_eq!(
        get(&[("doctype", "ToDo")], "frappe.client.get_count")["message"],
        2
    );
}

#[test]
fn submit_and_cancel_go_through_the_api() {
    let s = Server::start();
    let c = s.admin();
    let r = c.post_json(
        "/api/resource/DocType",
        &json!({"name": "Expense", "is_submittable": 1, "autoname": "EXP-.####",
                "fields": [{"fieldname": "amount", "fieldtype": "Currency", "label": "Amount", "reqd": 1},
                           {"fieldname": "note", "fieldtype": "Data", "label": "Note", "allow_on_submit": 1}],
                "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1, "submit": 1, "cancel": 1}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let e = c
        .post_json("/api/resource/Expense", &json!({"amount": "12.5"}))
        .body["data"]
        .clone();
    assert_eq!(
        (e["name"].as_str(), e["amount"].as_f64()),
        (Some("EXP-0001"), Some(12.5))
    );
    let r = c.post_form(
        "/api/method/frappe.client.submit",
        &[("doc", &e.to_string())],
    );
    assert_eq!(
        (r.status, r.body["message"]["docstatus"].as_i64()),
        (200, Some(1)),
        "{}",
        r.text
    );
    let r = c.put_json("/api/resource/Expense/EXP-0001", &json!({"amount": 99}));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("UpdateAfterSubmitError"))
    );
    let r = c.put_json("/api/resource/Expense/EXP-0001", &json!({"note": "paid"}));
    assert_eq!(
        r.status, 200,
        "allow_on_submit fields may change: {}",
        r.text
    );
    let r = c.delete("/api/resource/Expense/EXP-0001");
    assert_eq!(r.status, 417, "a submitted document cannot be deleted");
    let r = c.post_form(
        "/api/method/frappe.client.cancel",
        &[("doctype", "Expense"), ("name", "EXP-0001")],
    );
    assert_eq!((r.status, r.text.as_str()), (200, "{}"));
    assert_eq!(
        c.get("/api/resource/Expense/EXP-0001").body["data"]["docstatus"],
        2
    );
    assert_eq!(c.delete("/api/resource/Expense/EXP-0001").status, 202);
}

#[test]
fn set_config_reaches_the_running_server() {
    let s = Server::start();
    let c = s.client();
    assert_eq!(c.get("/api/method/ping").status, 200);
    s.set_config("maintenance_mode", "1");
    let r = c.get("/api/method/ping");
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (503, Some("SessionStopped"))
    );
    s.set_config("maintenance_mode", "0");
    assert_eq!(c.get("/api/method/ping").status, 200);
    let config: Value = serde_json::from_str(
        &std::fs::read_to_string(s.site_path().join("site_config.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        config["maintenance_mode"], 0,
        "values are stored as JSON when they parse"
    );
}

#[test]
fn upload_file_stores_the_file_and_attaches_it() {
    let s = Server::start();
    let c = s.admin();
    let todo = c
        .post_json("/api/resource/ToDo", &json!({"description": "with a file"}))
        .body["data"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let boundary = "XBOUNDARYX";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"doctype\"\r\n\r\nToDo\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"docname\"\r\n\r\n{todo}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../notes.txt\"\r\nContent-Type: text/plain\r\n\r\nhello file\r\n\
         --{boundary}--\r\n"
    );
    let r = c.request(
        "POST",
        "/api/method/upload_file",
        Some((&format!("multipart/form-data; boundary={boundary}"), body)),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let f = &r.body["message"];
    assert_eq!(
        (f["file_name"].as_str(), f["file_url"].as_str()),
        (Some("notes.txt"), Some("/files/notes.txt"))
    );
    assert_eq!(
        (
            f["attached_to_doctype"].as_str(),
            f["attached_to_name"].as_str()
        ),
        (Some("ToDo"), Some(todo.as_str()))
    );
    let stored = std::fs::read_to_string(s.site_path().join("public/files/notes.txt")).unwrap();
    assert_eq!(
        stored, "hello file",
        "the path in the file name was dropped"
    );
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut s = Server::start();
    assert_eq!(s.client().get("/api/method/ping").status, 200);
    let status = s.stop().expect("exits within 10 s of SIGTERM");
    assert!(status.success(), "{status:?}");
}
