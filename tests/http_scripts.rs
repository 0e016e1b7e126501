//! End to end: Server Scripts in the site — the seed's five examples over HTTP, the enable
//! switch, compile errors blocking a save, guest access, edits taking effect.

mod support;

use serde_json::{Value, json};
use support::{Client, Server};

fn seed(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/seed/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn add_script(c: &Client, body: Value) -> support::Resp {
    c.post_json("/api/resource/Server Script", &body)
}

fn enabled_server() -> (Server, Client) {
    let s = Server::start();
    s.set_config("server_script_enabled", "true");
    let c = s.admin();
    (s, c)
}

#[test]
fn the_enable_switch_gates_every_run() {
    let s = Server::start();
    let c = s.admin();
    let r = add_script(
        &c,
        json!({"name": "hello", "script_type": "API", "api_method": "test_method", "allow_guest": 1, "script": seed("api_hello.py")}),
    );
    assert_eq!(
        r.status, 200,
        "saving works while scripts are off: {}",
        r.text
    );
    let r = s.client().get("/api/method/test_method");
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("ServerScriptNotEnabled")),
        "{}",
        r.text
    );
    assert!(
        r.server_messages()[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Server Scripts are disabled.")
    );
    s.set_config("server_script_enabled", "true");
    let r = s.client().get("/api/method/test_method");
    assert_eq!((r.status, r.text.as_str()), (200, r#"{"message":"hello"}"#));
}

#[test]
fn the_seed_examples_work_over_http() {
    let (s, c) = enabled_server();
    // 1. Before Save sets the status
    let r = add_script(
        &c,
        json!({"name": "close test todos", "script_type": "DocType Event", "reference_doctype": "ToDo", "doctype_event": "Before Save", "script": seed("before_save_status.py")}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = c.post_json("/api/resource/ToDo", &json!({"description": "a test item"}));
    assert_eq!(r.body["data"]["status"], "Closed", "{}", r.text);
    let r = c.post_json("/api/resource/ToDo", &json!({"description": "real work"}));
    assert_eq!(r.body["data"]["status"], "Open");
    // 2. a validation raise rolls the insert back with 417 and stores nothing
    let r = add_script(
        &c,
        json!({"name": "need dates", "script_type": "DocType Event", "reference_doctype": "ToDo", "doctype_event": "Before Save", "script": seed("validation_raise.py")}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let before = c
        .get("/api/method/frappe.client.get_count?doctype=ToDo")
        .body["message"]
        .clone();
    let r = c.post_json(
        "/api/resource/ToDo",
        &json!({"description": "urgent", "priority": "High"}),
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("ValidationError")),
        "{}",
        r.text
    );
    assert_eq!(
        r.body["exception"],
        "frappe.exceptions.ValidationError: High priority ToDos need a due date"
    );
    assert_eq!(r.body["_exc_source"], "Server Script");
    let msgs = r.server_messages();
    assert_eq!(
        (msgs[0]["message"].as_str(), msgs[0]["title"].as_str()),
        (
            Some("High priority ToDos need a due date"),
            Some("Missing date")
        )
    );
    let exc: Vec<String> = serde_json::from_str(r.body["exc"].as_str().unwrap()).unwrap();
    assert!(
        exc[0].contains("line 3"),
        "the traceback names the script line: {}",
        exc[0]
    );
    assert_eq!(
        c.get("/api/method/frappe.client.get_count?doctype=ToDo")
            .body["message"],
        before,
        "nothing stored"
    );
    // 3. After Save creates a ToDo
    let r = add_script(
        &c,
        json!({"name": "follow up notes", "script_type": "DocType Event", "reference_doctype": "Note", "doctype_event": "After Save", "script": seed("after_save_create_todo.py")}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let note = c
        .post_json("/api/resource/Note", &json!({"title": "Minutes"}))
        .body["data"]
        .clone();
    let name = note["name"].as_str().unwrap();
    let r = c.get(&format!(
        "/api/resource/ToDo?{}",
        support::qs(&[
            ("filters", &json!({"reference_name": name}).to_string()),
            ("fields", r#"["description","reference_type"]"#)
        ])
    ));
    assert_eq!(
        r.body["data"],
        json!([{"description": format!("Review note {name}: Minutes"), "reference_type": "Note"}])
    );
    // 4. an API method answers {"message": "hello"} for a guest
    let r = add_script(
        &c,
        json!({"name": "hello", "script_type": "API", "api_method": "test_method", "allow_guest": 1, "script": seed("api_hello.py")}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    for path in [
        "/api/method/test_method",
        "/api/method/test_method/",
        "/?cmd=test_method",
    ] {
        let r = s.client().get(path);
        assert_eq!(
            (r.status, r.text.as_str()),
            (200, r#"{"message":"hello"}"#),
            "{path}"
        );
    }
    let r = s
        .client()
        .request("DELETE", "/api/method/test_method", None, &[]);
    assert_eq!(r.status, 200, "every verb reaches an API script");
    // 5. script 2 reads script 1's flag via run_script
    assert_eq!(add_script(&c, json!({"name": "script_1", "script_type": "API", "api_method": "lib_one", "script": seed("library_script_1.py")})).status, 200);
    assert_eq!(add_script(&c, json!({"name": "script_2", "script_type": "API", "api_method": "lib_two", "script": seed("library_script_2.py")})).status, 200);
    let r = c.get("/api/method/lib_two");
    assert_eq!(
        (r.status, r.text.as_str()),
        (200, r#"{"message":"my value"}"#),
        "{}",
        r.text
    );
    let r = c.get("/api/method/lib_one");
    assert_eq!(
        r.body,
        json!({"message": {"my_key": "my value"}}),
        "flags become the message"
    );
}

#[test]
fn compile_errors_block_the_save_with_line_and_column() {
    let (_s, c) = enabled_server();
    let r = add_script(
        &c,
        json!({"name": "bad", "script_type": "API", "api_method": "bad", "script": "x = 1\nimport os\n"}),
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("ValidationError")),
        "{}",
        r.text
    );
    let msg = r.server_messages()[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        msg.contains("Line 2, column 1") && msg.contains("SS101"),
        "{msg}"
    );
    let diags = r.body["diagnostics"]
        .as_array()
        .expect("diagnostics for the UI");
    assert_eq!(
        (diags[0]["line"].as_i64(), diags[0]["code"].as_str()),
        (Some(2), Some("SS101"))
    );
    assert_eq!(
        c.get("/api/resource/Server Script/bad").status,
        404,
        "nothing was saved"
    );
    let r = add_script(
        &c,
        json!({"name": "syntax", "script_type": "API", "api_method": "s", "script": "if True\n    pass\n"}),
    );
    assert_eq!(r.status, 417);
}

#[test]
fn guests_need_allow_guest_and_edits_apply_on_the_next_request() {
    let (s, c) = enabled_server();
    let r = add_script(
        &c,
        json!({"name": "private", "script_type": "API", "api_method": "private_m", "script": "frappe.response['message'] = frappe.session.user"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s.client().get("/api/method/private_m");
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("PermissionError"))
    );
    assert!(
        r.body.get("_server_messages").is_none(),
        "a bare PermissionError: {}",
        r.text
    );
    assert_eq!(
        c.get("/api/method/private_m").body["message"],
        "Administrator"
    );
    let r = c.put_json(
        "/api/resource/Server Script/private",
        &json!({"script": "frappe.response['message'] = 'v2'"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        c.get("/api/method/private_m").body["message"],
        "v2",
        "the edit runs on the next request"
    );
    assert_eq!(
        c.put_json(
            "/api/resource/Server Script/private",
            &json!({"disabled": 1})
        )
        .status,
        200
    );
    let r = c.get("/api/method/private_m");
    assert_eq!(
        r.status, 417,
        "a disabled script never runs (the name is unknown again): {}",
        r.text
    );
    // form_dict, print and errors of API scripts
    let r = add_script(
        &c,
        json!({"name": "echo", "script_type": "API", "api_method": "echo", "allow_guest": 1,
        "script": "print('got', frappe.form_dict.get('x'))\nfrappe.response['message'] = {'x': frappe.form_dict.get('x'), 'cmd': frappe.form_dict.get('cmd')}"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s
        .client()
        .post_json("/api/method/echo", &json!({"x": [1, 2]}));
    assert_eq!(
        r.body["message"],
        json!({"x": [1, 2], "cmd": "echo"}),
        "the JSON body is the form_dict, plus the v1 router's cmd: {}",
        r.text
    );
    let r = s.client().get("/api/method/echo?x=5");
    assert_eq!(r.body["message"], json!({"x": "5", "cmd": "echo"}));
    assert_eq!(r.body["_debug_messages"], r#"["got 5"]"#);
    let r = add_script(
        &c,
        json!({"name": "boom", "script_type": "API", "api_method": "boom", "allow_guest": 1, "script": "x = {}\ny = x['missing']"}),
    );
    assert_eq!(r.status, 200);
    let r = s.client().get("/api/method/boom");
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (500, Some("KeyError")),
        "{}",
        r.text
    );
}

#[test]
fn get_writes_are_rolled_back_unless_the_script_commits() {
    let (s, c) = enabled_server();
    let make = |name: &str, commit: bool| {
        let script = format!(
            "frappe.get_doc({{'doctype': 'ToDo', 'description': '{name}'}}).insert(ignore_permissions=True){}",
            if commit { "\nfrappe.db.commit()" } else { "" }
        );
        let r = add_script(
            &c,
            json!({"name": name, "script_type": "API", "api_method": name, "allow_guest": 1, "script": script}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    };
    make("writes", false);
    make("commits", true);
    let count = |d: &str| {
        c.get(&format!(
            "/api/method/frappe.client.get_count?{}",
            support::qs(&[
                ("doctype", "ToDo"),
                ("filters", &json!({"description": d}).to_string())
            ])
        ))
        .body["message"]
            .clone()
    };
    assert_eq!(s.client().get("/api/method/writes").status, 200);
    assert_eq!(count("writes"), 0, "GET is rolled back");
    assert_eq!(
        s.client()
            .post_json("/api/method/writes", &json!({}))
            .status,
        200
    );
    assert_eq!(count("writes"), 1, "POST commits");
    assert_eq!(s.client().get("/api/method/commits").status, 200);
    assert_eq!(count("commits"), 1, "a script's own commit stands on GET");
}

#[test]
fn every_change_writes_a_version_and_any_two_compare() {
    let (_s, c) = enabled_server();
    let v1 = "x = 1\nfrappe.response['message'] = x\n";
    let v2 = "x = 2\nfrappe.response['message'] = x\n";
    let v3 = "x = 2\ny = 3\nfrappe.response['message'] = x + y\n";
    assert_eq!(add_script(&c, json!({"name": "versioned", "script_type": "API", "api_method": "versioned", "script": v1})).status, 200);
    for text in [v2, v3] {
        assert_eq!(
            c.put_json(
                "/api/resource/Server Script/versioned",
                &json!({"script": text})
            )
            .status,
            200
        );
    }
    assert_eq!(
        c.put_json(
            "/api/resource/Server Script/versioned",
            &json!({"script": v3})
        )
        .status,
        200,
        "an unchanged save"
    );
    let versions = c
        .get("/api/method/serverscript.versions?script=versioned")
        .body["message"]
        .clone();
    let names: Vec<&str> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "creation and two changes; the unchanged save wrote none: {versions}"
    );
    let r = c.get("/api/method/serverscript.diff?script=versioned");
    let diff = r.body["message"]["diff"].as_str().unwrap();
    assert!(
        diff.contains(
            "-frappe.response['message'] = x\n+y = 3\n+frappe.response['message'] = x + y"
        ),
        "{diff}"
    );
    let r = c.get(&format!(
        "/api/method/serverscript.diff?{}",
        support::qs(&[
            ("script", "versioned"),
            ("from", names[2]),
            ("to", names[0])
        ])
    ));
    let diff = r.body["message"]["diff"].as_str().unwrap();
    assert!(
        diff.starts_with(&format!(
            "--- versioned @ {}\n+++ versioned @ {}\n",
            names[2], names[0]
        )),
        "{diff}"
    );
    assert!(
        diff.contains("-x = 1\n") && diff.contains("+x = 2\n+y = 3\n"),
        "{diff}"
    );
    // the Version documents are readable like any other
    let r = c.get(&format!("/api/resource/Version/{}", names[0]));
    assert_eq!(r.body["data"]["ref_doctype"], "Server Script");
}

#[test]
fn api_scripts_are_rate_limited_per_method_when_asked() {
    let (s, c) = enabled_server();
    // the test client is the proxy: X-Forwarded-For names the client (below)
    s.set_config("trusted_proxies", r#"["127.0.0.1/32"]"#);
    for (name, method, flag) in [
        ("rl1", "rate_limited_endpoint", "True"),
        ("rl2", "rate_limited_endpoint2", "False"),
    ] {
        let r = add_script(
            &c,
            json!({"name": name, "script_type": "API", "api_method": method, "allow_guest": 1,
            "enable_rate_limit": 1, "rate_limit_count": 5, "script": format!("frappe.flags = {{'test': {flag}}}")}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let guest = s.client();
    for method in ["rate_limited_endpoint", "rate_limited_endpoint2"] {
        for i in 0..5 {
            assert_eq!(
                guest.get(&format!("/api/method/{method}")).status,
                200,
                "call {}",
                i + 1
            );
        }
        let r = guest.get(&format!("/api/method/{method}"));
        assert_eq!(
            (r.status, r.body["exc_type"].as_str()),
            (429, Some("RateLimitExceededError")),
            "{}",
            r.text
        );
        assert!(
            r.body.get("exc").is_some(),
            "clients only raise when exc is present"
        );
        assert_eq!(
            r.server_messages()[0]["message"],
            "You hit the rate limit because of too many requests. Please try after sometime."
        );
    }
    // another client address has its own counter
    let r = guest.request(
        "GET",
        "/api/method/rate_limited_endpoint",
        None,
        &[("X-Forwarded-For", "10.0.0.7")],
    );
    assert_eq!(r.status, 200);
}

#[test]
fn only_script_managers_write_scripts_and_a_delete_takes_effect_at_once() {
    let (s, c) = enabled_server();
    let r = c.post_json(
        "/api/resource/User",
        &json!({"email": "dev@example.com", "first_name": "Dev", "new_password": "pw-dev-1"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let dev = s.client();
    assert_eq!(
        dev.post_json(
            "/api/method/login",
            &json!({"usr": "dev@example.com", "pwd": "pw-dev-1"})
        )
        .status,
        200
    );
    let r = add_script(
        &dev,
        json!({"name": "sneaky", "script_type": "API", "api_method": "sneaky", "script": "pass"}),
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("PermissionError")),
        "{}",
        r.text
    );
    // give the user the Script Manager role: now they may
    let r = c.put_json(
        "/api/resource/User/dev@example.com",
        &json!({"roles": [{"role": "Script Manager"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = add_script(
        &dev,
        json!({"name": "allowed", "script_type": "API", "api_method": "allowed", "allow_guest": 1, "script": "frappe.response['message'] = 1"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(s.client().get("/api/method/allowed").body["message"], 1);
    assert_eq!(
        dev.delete("/api/resource/Server Script/allowed").status,
        202
    );
    assert_eq!(
        s.client().get("/api/method/allowed").status,
        417,
        "the method is gone on the next request"
    );
}

#[test]
fn scripts_that_save_in_a_loop_stop_at_the_depth_bound() {
    let (_s, c) = enabled_server();
    let r = add_script(
        &c,
        json!({"name": "loop", "script_type": "DocType Event", "reference_doctype": "ToDo", "doctype_event": "After Insert",
        "script": "frappe.get_doc({'doctype': 'ToDo', 'description': 'again'}).insert()"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = c.post_json("/api/resource/ToDo", &json!({"description": "start"}));
    // each insert runs the script again inside the last run: the bound on nested runs
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (500, Some("RecursionError")),
        "{}",
        r.text
    );
    assert!(
        r.body["exception"]
            .as_str()
            .unwrap()
            .contains("nested more than 8 deep"),
        "{}",
        r.text
    );
    assert_eq!(
        c.get("/api/method/frappe.client.get_count?doctype=ToDo")
            .body["message"],
        0,
        "all of it rolled back"
    );
}

#[test]
fn a_runaway_script_hits_its_time_limit_and_the_server_serves_on() {
    let (s, c) = enabled_server();
    let r = add_script(
        &c,
        json!({"name": "spin", "script_type": "API", "api_method": "spin", "allow_guest": 1, "script": "while True:\n    pass"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let started = std::time::Instant::now();
    let r = s.client().post_json("/api/method/spin", &json!({}));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (500, Some("TimeLimitExceeded")),
        "{}",
        r.text
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // the writer thread is free again: writes and reads go on
    assert_eq!(
        c.post_json("/api/resource/ToDo", &json!({"description": "after"}))
            .status,
        200
    );
    assert_eq!(s.client().get("/api/method/ping").body["message"], "pong");
}

#[test]
fn after_save_scripts_compare_with_the_version_before_the_save() {
    let (_s, c) = enabled_server();
    let r = add_script(
        &c,
        json!({"name": "watch status", "script_type": "DocType Event", "reference_doctype": "ToDo", "doctype_event": "After Save",
        "script": "before = doc.get_doc_before_save()\nif before and doc.has_value_changed('status'):\n    frappe.get_doc({'doctype': 'Note', 'title': 'status was ' + before.status}).insert(ignore_permissions=True)"}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let name = c
        .post_json("/api/resource/ToDo", &json!({"description": "watched"}))
        .body["data"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let notes = || {
        c.get("/api/method/frappe.client.get_count?doctype=Note")
            .body["message"]
            .clone()
    };
    assert_eq!(notes(), 0, "a new document has no version before");
    assert_eq!(
        c.put_json(
            &format!("/api/resource/ToDo/{name}"),
            &json!({"description": "still watched"})
        )
        .status,
        200
    );
    assert_eq!(notes(), 0, "status unchanged");
    assert_eq!(
        c.put_json(
            &format!("/api/resource/ToDo/{name}"),
            &json!({"status": "Closed"})
        )
        .status,
        200
    );
    assert_eq!(notes(), 1, "status changed, seen from After Save");
    let r = c.get(&format!(
        "/api/resource/Note?{}",
        support::qs(&[("fields", r#"["title"]"#)])
    ));
    assert_eq!(r.body["data"], json!([{"title": "status was Open"}]));
}
