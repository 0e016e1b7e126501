//! Crash safety on the real binary: `kill -9` while clients insert documents with child
//! rows and save Server Scripts, then a restart on the same site folder. Every write that
//! was acknowledged (2xx) is there; nothing unacknowledged is half there (no document
//! without its child rows, no Server Script without its Version); the site opens without
//! repair and takes new writes.

mod support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use support::{Client, Server, enc};

const LINES_PER_ORDER: usize = 3;

fn make_doctypes(c: &Client) {
    let r = c.post_json(
        "/api/resource/DocType",
        &json!({"name": "Crash Line", "istable": 1,
                "fields": [{"fieldname": "item", "fieldtype": "Data", "label": "Item"},
                           {"fieldname": "qty", "fieldtype": "Int", "label": "Qty"}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = c.post_json(
        "/api/resource/DocType",
        &json!({"name": "Crash Order", "module": "Test",
                "fields": [{"fieldname": "ref", "fieldtype": "Data", "label": "Ref"},
                           {"fieldname": "lines", "fieldtype": "Table", "label": "Lines", "options": "Crash Line"}],
                "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

fn all(c: &Client, doctype: &str, fields: &str) -> Vec<Value> {
    let r = c.get(&format!(
        "/api/resource/{}?fields={}&limit_page_length=0",
        enc(doctype),
        enc(fields)
    ));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().clone()
}

#[test]
fn kill_9_under_concurrent_writes_loses_nothing_acknowledged_and_leaves_nothing_half_written() {
    let s = Server::start();
    let c = s.admin();
    make_doctypes(&c);

    let stop = Arc::new(AtomicBool::new(false));
    let acked_orders = Arc::new(Mutex::new(Vec::<String>::new()));
    let acked_scripts = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut workers = Vec::new();
    for t in 0..3 {
        let (c, stop, acked) = (s.admin(), stop.clone(), acked_orders.clone());
        workers.push(std::thread::spawn(move || {
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let reference = format!("t{t}-{i}");
                let lines: Vec<Value> = (0..LINES_PER_ORDER)
                    .map(|k| json!({"item": format!("{reference}/{k}"), "qty": k}))
                    .collect();
                match c.try_post_json(
                    "/api/resource/Crash Order",
                    &json!({"ref": reference, "lines": lines}),
                ) {
                    Ok(r) if (200..300).contains(&r.status) => {
                        acked.lock().unwrap().push(reference)
                    }
                    Ok(r) => panic!("insert refused while the server was up: {}", r.text),
                    Err(_) => break,
                }
            }
        }));
    }
    {
        let (c, stop, acked) = (s.admin(), stop.clone(), acked_scripts.clone());
        workers.push(std::thread::spawn(move || {
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let name = format!("crash script {i}");
                match c.try_post_json(
                    "/api/resource/Server Script",
                    &json!({"name": name, "script_type": "API", "api_method": format!("crash_{i}"),
                            "script": format!("frappe.response['message'] = {i}")}),
                ) {
                    Ok(r) if (200..300).contains(&r.status) => acked.lock().unwrap().push(name),
                    Ok(r) => panic!("script save refused while the server was up: {}", r.text),
                    Err(_) => break,
                }
            }
        }));
    }
    // let the writers get going, then pull the plug mid-stream
    assert!(support::wait_until(|| acked_orders.lock().unwrap().len()
        >= 30
        && acked_scripts.lock().unwrap().len() >= 5));
    let mut s = s;
    s.kill9();
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let acked_orders = acked_orders.lock().unwrap().clone();
    let acked_scripts = acked_scripts.lock().unwrap().clone();

    let s = s.restart();
    let c = s.admin();

    // every document there has all its child rows, and every acknowledged one is there
    let orders = all(&c, "Crash Order", r#"["name","ref"]"#);
    let lines = all(&c, "Crash Line", r#"["parent","item"]"#);
    let mut lines_of = std::collections::HashMap::<String, usize>::new();
    for line in &lines {
        *lines_of
            .entry(line["parent"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let stored: HashSet<&str> = orders.iter().filter_map(|o| o["ref"].as_str()).collect();
    for order in &orders {
        let name = order["name"].as_str().unwrap();
        assert_eq!(
            lines_of.get(name).copied().unwrap_or(0),
            LINES_PER_ORDER,
            "{order} is there without all its child rows"
        );
    }
    assert_eq!(
        lines.len(),
        orders.len() * LINES_PER_ORDER,
        "child rows without their parent"
    );
    for reference in &acked_orders {
        assert!(
            stored.contains(reference.as_str()),
            "acknowledged insert {reference} lost"
        );
    }

    // every Server Script there has its Version, and every acknowledged one is there
    let scripts = all(&c, "Server Script", r#"["name"]"#);
    let script_names: HashSet<&str> = scripts.iter().filter_map(|s| s["name"].as_str()).collect();
    for name in &acked_scripts {
        assert!(
            script_names.contains(name.as_str()),
            "acknowledged script save {name} lost"
        );
    }
    for name in &script_names {
        let r = c.get(&format!(
            "/api/method/serverscript.versions?script={}",
            enc(name)
        ));
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(
            !r.body["message"].as_array().unwrap().is_empty(),
            "script {name} without its Version: {}",
            r.text
        );
    }

    // the site opened without repair and takes writes again
    let r = c.post_json(
        "/api/resource/Crash Order",
        &json!({"ref": "after", "lines": [{"item": "x", "qty": 1}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(s.client().get("/api/method/ping").body["message"], "pong");
}
