//! End to end: DocTypes made over REST, documents of them, concurrency (naming series,
//! saves of one document) and per-user permissions — the real binary, a real SQLite file.

mod support;

use std::collections::BTreeSet;

use serde_json::json;
use support::{Client, Server, qs};

fn token_client(s: &Server, admin: &Client, user: &str) -> Client {
    let r = admin.post_form(
        "/api/method/frappe.core.doctype.user.user.generate_keys",
        &[("user", user)],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let m = &r.body["message"];
    Client::with_token(
        &s.base,
        m["api_key"].as_str().unwrap(),
        m["api_secret"].as_str().unwrap(),
    )
}

#[test]
fn a_doctype_made_over_rest_holds_documents_and_grows_without_losing_them() {
    let s = Server::start();
    let c = s.admin();
    let r = c.post_json(
        "/api/resource/DocType",
        &json!({"name": "Book", "autoname": "field:title", "module": "Library",
                "fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title", "reqd": 1},
                           {"fieldname": "pages", "fieldtype": "Int", "label": "Pages"},
                           {"fieldname": "genre", "fieldtype": "Select", "label": "Genre", "options": "Novel\nPoetry"},
                           {"fieldname": "chapters", "fieldtype": "Table", "label": "Chapters", "options": "Book Chapter"}],
                "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}]}),
    );
    assert_eq!(
        r.status, 417,
        "a Table field needs its child DocType first: {}",
        r.text
    );
    let r = c.post_json(
        "/api/resource/DocType",
        &json!({"name": "Book Chapter", "istable": 1,
                "fields": [{"fieldname": "heading", "fieldtype": "Data", "label": "Heading", "reqd": 1}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = c.post_json(
        "/api/resource/DocType",
        &json!({"name": "Book", "autoname": "field:title", "module": "Library",
                "fields": [{"fieldname": "title", "fieldtype": "Data", "label": "Title", "reqd": 1},
                           {"fieldname": "pages", "fieldtype": "Int", "label": "Pages"},
                           {"fieldname": "genre", "fieldtype": "Select", "label": "Genre", "options": "Novel\nPoetry"},
                           {"fieldname": "chapters", "fieldtype": "Table", "label": "Chapters", "options": "Book Chapter"}],
                "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["data"]["custom"], 1);
    for (title, pages, genre) in [
        ("Dune", "412", "Novel"),
        ("Odes", "90", "Poetry"),
        ("Emma", "474", "Novel"),
    ] {
        let r = c.post_json(
            "/api/resource/Book",
            &json!({"title": title, "pages": pages, "genre": genre, "chapters": [{"heading": "One"}, {"heading": "Two"}]}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["data"]["name"], title);
        assert_eq!(
            r.body["data"]["pages"],
            pages.parse::<i64>().unwrap(),
            "Int fields store numbers"
        );
        let ch = &r.body["data"]["chapters"];
        assert_eq!(
            (
                ch[1]["idx"].as_i64(),
                ch[1]["parent"].as_str(),
                ch[1]["parentfield"].as_str()
            ),
            (Some(2), Some(title), Some("chapters"))
        );
    }
    let list =
        |q: &[(&str, &str)]| c.get(&format!("/api/resource/Book?{}", qs(q))).body["data"].clone();
    assert_eq!(
        list(&[
            ("filters", r#"[["pages",">",100]]"#),
            ("fields", r#"["name"]"#),
            ("order_by", "pages desc")
        ]),
        json!([{"name": "Emma"}, {"name": "Dune"}])
    );
    assert_eq!(
        list(&[(
            "filters",
            r#"[["Book Chapter","heading","=","Two"],["genre","=","Poetry"]]"#
        )]),
        json!([{"name": "Odes"}]),
        "filters on a child table"
    );
    // the DocType grows a field; the rows stay
    let mut dt = c.get("/api/resource/DocType/Book").body["data"].clone();
    dt["fields"]
        .as_array_mut()
        .unwrap()
        .push(json!({"fieldname": "isbn", "fieldtype": "Data", "label": "ISBN", "unique": 1}));
    let r = c.put_json("/api/resource/DocType/Book", &dt);
    assert_eq!(r.status, 200, "{}", r.text);
    let dune = c.get("/api/resource/Book/Dune").body["data"].clone();
    assert_eq!(
        (
            dune["pages"].as_i64(),
            dune["chapters"].as_array().map(Vec::len)
        ),
        (Some(412), Some(2))
    );
    assert_eq!(
        c.put_json(
            "/api/resource/Book/Dune",
            &json!({"isbn": "978-0441013593"})
        )
        .status,
        200
    );
    let r = c.put_json(
        "/api/resource/Book/Emma",
        &json!({"isbn": "978-0441013593"}),
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("UniqueValidationError"))
    );
    assert_eq!(
        list(&[("filters", r#"{"isbn":["is","set"]}"#)]),
        json!([{"name": "Dune"}])
    );
    // shipped DocTypes cannot be deleted; made ones can (their table goes too)
    assert_eq!(c.delete("/api/resource/DocType/ToDo").status, 417);
    assert_eq!(c.delete("/api/resource/DocType/Book").status, 202);
    assert_eq!(c.get("/api/resource/Book").status, 404);
}

#[test]
fn a_naming_series_never_repeats_with_8_parallel_inserters() {
    let s = Server::start();
    let admin = s.admin();
    let r = admin.post_json(
        "/api/resource/DocType",
        &json!({"name": "Ticket", "autoname": "TCK-.#####",
                "fields": [{"fieldname": "subject", "fieldtype": "Data", "label": "Subject"}],
                "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let client = token_client(&s, &admin, "Administrator");
    let per_thread = 25;
    let names: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let c = client.clone();
                scope.spawn(move || {
                    (0..per_thread)
                        .map(|i| {
                            let r = c.post_json(
                                "/api/resource/Ticket",
                                &json!({"subject": format!("{t}-{i}")}),
                            );
                            assert_eq!(r.status, 200, "{}", r.text);
                            r.body["data"]["name"].as_str().unwrap().to_string()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), 8 * per_thread, "no duplicate names");
    let expected: BTreeSet<String> = (1..=8 * per_thread)
        .map(|n| format!("TCK-{n:05}"))
        .collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        expected,
        "no gaps either"
    );
}

#[test]
fn concurrent_saves_of_one_document_lose_nothing() {
    let s = Server::start();
    let admin = s.admin();
    let todo = admin
        .post_json("/api/resource/ToDo", &json!({"description": "shared"}))
        .body["data"]
        .clone();
    let name = todo["name"].as_str().unwrap().to_string();
    // two editors opened the same version: the second save is refused
    let a = admin.put_json(
        &format!("/api/resource/ToDo/{name}"),
        &json!({"status": "Closed", "modified": todo["modified"]}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let b = admin.put_json(
        &format!("/api/resource/ToDo/{name}"),
        &json!({"priority": "High", "modified": todo["modified"]}),
    );
    assert_eq!(
        (b.status, b.body["exc_type"].as_str()),
        (417, Some("TimestampMismatchError")),
        "{}",
        b.text
    );
    let now = admin.get(&format!("/api/resource/ToDo/{name}")).body["data"].clone();
    assert_eq!(
        (now["status"].as_str(), now["priority"].as_str()),
        (Some("Closed"), Some("Medium"))
    );
    // 8 writers changing different fields at once (no stale `modified`): every change lands
    let r = admin.post_json(
        "/api/resource/DocType",
        &json!({"name": "Counter Board", "autoname": "Prompt",
                "fields": (0..8).map(|i| json!({"fieldname": format!("f{i}"), "fieldtype": "Int", "label": format!("F{i}")})).collect::<Vec<_>>(),
                "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        admin
            .post_json("/api/resource/Counter Board", &json!({"name": "board"}))
            .status,
        200
    );
    let client = token_client(&s, &admin, "Administrator");
    std::thread::scope(|scope| {
        for i in 0..8 {
            let c = client.clone();
            scope.spawn(move || {
                for v in 1..=10 {
                    let r = c.put_json(
                        "/api/resource/Counter%20Board/board",
                        &json!({ format!("f{i}"): v }),
                    );
                    assert_eq!(r.status, 200, "{}", r.text);
                }
            });
        }
    });
    let board = admin.get("/api/resource/Counter%20Board/board").body["data"].clone();
    for i in 0..8 {
        assert_eq!(
            board[format!("f{i}")],
            10,
            "writer {i}'s last change is kept: {board}"
        );
    }
}

#[test]
fn if_owner_permissions_limit_users_to_their_own_documents() {
    let s = Server::start();
    let admin = s.admin();
    for (email, name) in [("ann@example.com", "Ann"), ("bob@example.com", "Bob")] {
        let r = admin.post_json("/api/resource/User", &json!({"email": email, "first_name": name, "last_name": "Tester", "new_password": "pw-123"}));
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["data"]["full_name"], format!("{name} Tester"));
        assert!(
            r.body["data"].get("new_password").is_none(),
            "the password is never stored in the document"
        );
    }
    let login = |email: &str| {
        let c = s.client();
        let r = c.post_json("/api/method/login", &json!({"usr": email, "pwd": "pw-123"}));
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(
            r.body["full_name"],
            if email.starts_with("ann") {
                "Ann Tester"
            } else {
                "Bob Tester"
            }
        );
        c
    };
    let ann = login("ann@example.com");
    let bob = login("bob@example.com");
    let note = ann
        .post_json("/api/resource/Note", &json!({"title": "Ann's"}))
        .body["data"]
        .clone();
    assert_eq!(note["owner"], "ann@example.com");
    let name = note["name"].as_str().unwrap();
    assert_eq!(
        bob.post_json("/api/resource/Note", &json!({"title": "Bob's"}))
            .status,
        200
    );
    assert_eq!(ann.get(&format!("/api/resource/Note/{name}")).status, 200);
    let r = bob.get(&format!("/api/resource/Note/{name}"));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (403, Some("PermissionError"))
    );
    assert_eq!(
        bob.put_json(
            &format!("/api/resource/Note/{name}"),
            &json!({"title": "mine now"})
        )
        .status,
        403
    );
    assert_eq!(
        bob.delete(&format!("/api/resource/Note/{name}")).status,
        403
    );
    let titles = bob
        .get(&format!(
            "/api/resource/Note?{}",
            qs(&[("fields", r#"["title"]"#)])
        ))
        .body["data"]
        .clone();
    assert_eq!(
        titles,
        json!([{"title": "Bob's"}]),
        "lists show only their own"
    );
    assert_eq!(
        admin
            .get("/api/method/frappe.client.get_count?doctype=Note")
            .body["message"],
        2
    );
    // without a role that grants it, a user cannot touch DocTypes or other users
    assert_eq!(bob.get("/api/resource/User").status, 403);
    assert_eq!(
        bob.post_json("/api/resource/DocType", &json!({"name": "Hack"}))
            .status,
        403
    );
    // a disabled user cannot log in
    assert_eq!(
        admin
            .put_json("/api/resource/User/bob@example.com", &json!({"enabled": 0}))
            .status,
        200
    );
    let r = s.client().post_json(
        "/api/method/login",
        &json!({"usr": "bob@example.com", "pwd": "pw-123"}),
    );
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (401, Some("User disabled or missing"))
    );
}
