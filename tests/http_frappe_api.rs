//! End to end, #6: the `frappe.*` names real scripts call most, through API scripts on a
//! real server — mail queued as Email Queue documents, Single DocTypes and
//! `get_single_value`, dates in the site's time zone, `frappe.request`, URLs built
//! from the request's host.

mod support;

use serde_json::{Value, json};
use support::{Client, Server};

fn enabled() -> (Server, Client) {
    let s = Server::start();
    s.set_config("server_script_enabled", "true");
    let c = s.admin();
    (s, c)
}

fn api(c: &Client, method: &str, code: &str) {
    let r = c.post_json(
        "/api/resource/Server Script",
        &json!({"name": method, "script_type": "API", "api_method": method, "allow_guest": 1, "script": code}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

#[test]
fn sendmail_queues_an_email_queue_document_per_mail() {
    let (s, c) = enabled();
    api(
        &c,
        "mail",
        "frappe.sendmail(recipients=['a@example.com', 'Bee <b@example.com>'], cc='c@example.com',\n\
         \x20   subject='Hello', message='<p>Hi</p>', reference_doctype='ToDo', reference_name='T1',\n\
         \x20   template='welcome', args={'x': 1})\n\
         frappe.sendmail(recipients=[], subject='nobody')",
    );
    let r = s.client().post_json("/api/method/mail", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    let list = c.get("/api/resource/Email Queue?fields=[\"name\"]");
    let rows = list.body["data"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        1,
        "a mail without recipients is not queued: {}",
        list.text
    );
    let name = rows[0]["name"].as_str().unwrap();
    let q = c.get(&format!("/api/resource/Email Queue/{name}")).body["data"].clone();
    assert_eq!(q["subject"], "Hello");
    assert_eq!(q["message"], "<p>Hi</p>");
    assert_eq!(q["status"], "Not Sent");
    assert_eq!(q["show_as_cc"], "c@example.com");
    assert_eq!(
        (
            q["reference_doctype"].as_str(),
            q["reference_name"].as_str()
        ),
        (Some("ToDo"), Some("T1"))
    );
    let to: Vec<&str> = q["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(to, ["a@example.com", "b@example.com", "c@example.com"]);
    let extra: Value = serde_json::from_str(q["extra"].as_str().unwrap()).unwrap();
    assert_eq!(extra, json!({"template": "welcome", "args": {"x": 1}}));

    // a bad address is an error and queues nothing
    api(
        &c,
        "bad_mail",
        "frappe.sendmail(recipients='not-an-address', subject='x')",
    );
    let r = s.client().post_json("/api/method/bad_mail", &json!({}));
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("InvalidEmailAddressError")),
        "{}",
        r.text
    );
    let list = c.get("/api/resource/Email Queue?fields=[\"name\"]");
    assert_eq!(list.body["data"].as_array().unwrap().len(), 1);
}

#[test]
fn single_doctypes_hold_one_document_and_get_single_value_reads_it() {
    let (s, c) = enabled();
    let r = c.post_json(
        "/api/resource/DocType",
        &json!({"name": "Shop Settings", "issingle": 1, "module": "Shop",
                "fields": [{"fieldname": "shop_name", "fieldtype": "Data", "label": "Shop Name"},
                           {"fieldname": "max_items", "fieldtype": "Int", "label": "Max Items", "default": "5"},
                           {"fieldname": "rate", "fieldtype": "Float", "label": "Rate"}],
                "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    api(
        &c,
        "settings",
        "frappe.response['message'] = [frappe.db.get_single_value('Shop Settings', 'shop_name'),\n\
         \x20   frappe.db.get_single_value('Shop Settings', 'max_items'), frappe.db.get_single_value('Shop Settings', 'rate'),\n\
         \x20   frappe.get_doc('Shop Settings').name]",
    );
    // never saved: defaults, cast as Frappe casts
    let r = s.client().get("/api/method/settings");
    assert_eq!(
        r.body["message"],
        json!(["", 5, 0.0, "Shop Settings"]),
        "{}",
        r.text
    );
    api(
        &c,
        "configure",
        "d = frappe.get_doc('Shop Settings')\nd.shop_name = 'Corner'\nd.rate = 2.5\nd.save(ignore_permissions=True)\n\
         d = frappe.get_doc('Shop Settings')\nd.max_items = 7\nd.save(ignore_permissions=True)",
    );
    let r = s.client().post_json("/api/method/configure", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    let r = s.client().get("/api/method/settings");
    assert_eq!(
        r.body["message"],
        json!(["Corner", 7, 2.5, "Shop Settings"]),
        "{}",
        r.text
    );
    let r = c.get("/api/resource/Shop Settings/Shop Settings");
    assert_eq!(r.body["data"]["shop_name"], "Corner", "{}", r.text);
    // a field the Single does not have
    api(
        &c,
        "bad_field",
        "frappe.db.get_single_value('Shop Settings', 'nope')",
    );
    let r = s.client().get("/api/method/bad_field");
    assert_eq!(r.body["exc_type"], "DoesNotExistError", "{}", r.text);
}

#[test]
fn dates_follow_the_site_time_zone_and_urls_the_request_host() {
    let (s, c) = enabled();
    api(
        &c,
        "when",
        "from frappe.utils import now_datetime, getdate, add_days, date_diff, get_url_to_form\n\
         n = now_datetime()\n\
         frappe.response['message'] = {'tz': frappe.utils.get_system_timezone(),\n\
         \x20   'diff': date_diff(add_days(getdate(), 3), frappe.utils.today()),\n\
         \x20   'url': get_url_to_form('Sales Order', 'SO 1'), 'method': frappe.request.method,\n\
         \x20   'q': frappe.request.args.get('q'), 'hdr': frappe.request.headers.get('X-Trace')}",
    );
    s.set_config("time_zone", "Asia/Kolkata");
    let r = s
        .client()
        .request("GET", "/api/method/when?q=1", None, &[("X-Trace", "abc")]);
    let m = &r.body["message"];
    assert_eq!(m["tz"], "Asia/Kolkata", "{}", r.text);
    assert_eq!(m["diff"], 3);
    let url = m["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/app/sales-order/SO%201"),
        "{url}"
    );
    assert_eq!(
        (m["method"].as_str(), m["q"].as_str(), m["hdr"].as_str()),
        (Some("GET"), Some("1"), Some("abc"))
    );
    s.set_config("host_name", "https://erp.example.com");
    let r = s.client().get("/api/method/when");
    assert_eq!(
        r.body["message"]["url"], "https://erp.example.com/app/sales-order/SO%201",
        "{}",
        r.text
    );
}

#[test]
fn enqueue_runs_jobs_after_the_commit_and_logs_failures() {
    let (s, c) = enabled();
    api(
        &c,
        "make_note",
        "n = frappe.get_doc({'doctype': 'Note', 'title': frappe.form_dict.title})\n\
         n.insert(ignore_permissions=True)\nfrappe.response['message'] = n.title + ' by ' + frappe.session.user",
    );
    api(
        &c,
        "kick",
        "frappe.response['message'] = [frappe.enqueue('make_note', title='later', queue='short'),\n\
         \x20   frappe.enqueue('make_note', title='now', now=True)]",
    );
    api(&c, "explode", "frappe.throw('boom')");
    api(&c, "kick_bad", "frappe.enqueue('explode')");
    let notes = |c: &Client| -> Vec<String> {
        let r = c.get("/api/resource/Note?fields=[\"title\"]&order_by=title%20asc");
        r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_string())
            .collect()
    };
    // a GET is rolled back: its job is dropped with it (the inline one too)
    let r = c.get("/api/method/kick");
    assert_eq!(r.status, 200, "{}", r.text);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(notes(&c).is_empty(), "{:?}", notes(&c));
    // a POST commits: the inline job's result comes back, the queued one runs after
    let r = c.post_json("/api/method/kick", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["message"][1], "now by Administrator", "{}", r.text);
    assert_eq!(r.body["message"][0].as_str().unwrap().len(), 10, "a job id");
    assert!(
        support::wait_until(|| notes(&c) == ["later", "now"]),
        "{:?}",
        notes(&c)
    );
    // a GET that commits keeps what it enqueued before the commit, not what came after
    api(
        &c,
        "kick_commit",
        "frappe.enqueue('make_note', title='kept')\nfrappe.db.commit()\n\
         frappe.enqueue('make_note', title='dropped')",
    );
    let r = c.get("/api/method/kick_commit");
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        support::wait_until(|| notes(&c).contains(&"kept".to_string())),
        "{:?}",
        notes(&c)
    );
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        !notes(&c).contains(&"dropped".to_string()),
        "{:?}",
        notes(&c)
    );
    // a failing job leaves an Error Log
    let r = c.post_json("/api/method/kick_bad", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        support::wait_until(|| {
            let r = c.get("/api/resource/Error Log?fields=[\"method\",\"error\"]");
            r.body["data"].as_array().unwrap().iter().any(|e| {
                e["method"] == "Background job explode failed"
                    && e["error"].as_str().unwrap_or("").contains("boom")
            })
        }),
        "no Error Log for the failed job"
    );
    let _ = s;
}

/// A tiny HTTP server on 127.0.0.1 for outgoing requests: `/json`, `/qs`, `/text`,
/// `/echo` (method, query and body back as JSON), `/missing` (404), `/to-json` (302 to
/// `/json`), `/to-localhost` (302 to the same server by the name `localhost`).
fn upstream() -> u16 {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            reader.read_line(&mut first).unwrap();
            let mut len = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let mut parts = first.split_whitespace();
            let method = parts.next().unwrap_or("").to_string();
            let target = parts.next().unwrap_or("/").to_string();
            let (path, query) = target.split_once('?').unwrap_or((&target, ""));
            let (status, headers, text) = match path {
                "/json" => ("200 OK", "Content-Type: application/json\r\n".to_string(), "{\"ok\": 1}".to_string()),
                "/qs" => ("200 OK", "Content-Type: text/plain; charset=utf-8\r\n".into(), "a=1&a=2&b=".into()),
                "/text" => ("200 OK", "Content-Type: text/html\r\n".into(), "<p>hi</p>".into()),
                "/echo" => (
                    "200 OK",
                    "Content-Type: application/json\r\n".into(),
                    json!({"method": method, "query": query, "body": String::from_utf8_lossy(&body)}).to_string(),
                ),
                "/to-json" => ("302 Found", "Location: /json\r\n".into(), String::new()),
                "/to-localhost" => ("302 Found", format!("Location: http://localhost:{port}/json\r\n"), String::new()),
                _ => ("404 Not Found", "Content-Type: text/plain\r\n".into(), "nope".into()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    port
}

#[test]
fn outgoing_requests_are_off_by_default_and_guarded_against_ssrf() {
    let (s, c) = enabled();
    let port = upstream();
    api(
        &c,
        "fetch",
        "try:\n\
         \x20   r = frappe.make_get_request(frappe.form_dict.url, params={'x': '1 2'})\n\
         \x20   frappe.response['message'] = {'ok': r}\n\
         except frappe.PermissionError as e:\n\
         \x20   frappe.response['message'] = {'blocked': str(e)}\n\
         except OSError as e:\n\
         \x20   frappe.response['message'] = {'error': str(e)}",
    );
    let fetch = |url: String| -> Value {
        let r = c.post_json("/api/method/fetch", &json!({"url": url}));
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["message"].clone()
    };
    let url = |p: &str| format!("http://127.0.0.1:{port}{p}");
    // off until hosts are listed
    let m = fetch(url("/json"));
    assert!(
        m["blocked"]
            .as_str()
            .unwrap()
            .contains("Outgoing requests are off"),
        "{m}"
    );
    // listed, but loopback (and every private range) stays refused
    s.set_config("allowed_request_hosts", "[\"127.0.0.1\", \"example.org\"]");
    let m = fetch(url("/json"));
    assert!(
        m["blocked"]
            .as_str()
            .unwrap()
            .contains("private, loopback or link-local"),
        "{m}"
    );
    for bad in [
        "http://169.254.169.254/latest/meta-data".to_string(),
        "http://[::1]/".into(),
        "http://localhost/".into(),
        format!("ftp://127.0.0.1:{port}/json"),
        "file:///etc/passwd".into(),
        "http://0x7f000001/".into(),
    ] {
        let m = fetch(bad.clone());
        assert!(m["blocked"].is_string(), "{bad}: {m}");
    }
    // an intranet site may allow private addresses explicitly
    s.set_config("allow_private_request_addresses", "true");
    assert_eq!(fetch(url("/json")), json!({"ok": {"ok": 1}}));
    assert_eq!(fetch(url("/qs")), json!({"ok": {"a": ["1", "2"]}}));
    assert_eq!(fetch(url("/text")), json!({"ok": "<p>hi</p>"}));
    assert_eq!(
        fetch(url("/to-json")),
        json!({"ok": {"ok": 1}}),
        "a redirect within allowed hosts"
    );
    let m = fetch(url("/to-localhost"));
    assert!(
        m["blocked"].as_str().unwrap().contains("localhost"),
        "every hop is checked: {m}"
    );
    let m = fetch(url("/missing"));
    assert_eq!(
        m["error"],
        format!("404 Client Error: Not Found for url: http://127.0.0.1:{port}/missing?x=1+2")
    );
    // the other verbs carry data or json
    api(
        &c,
        "send",
        "u = frappe.form_dict.url\n\
         frappe.response['message'] = [frappe.make_post_request(u, data={'a': 'b c'}),\n\
         \x20   frappe.make_put_request(u, json={'n': [1]}), frappe.make_delete_request(u)]",
    );
    let r = c.post_json("/api/method/send", &json!({"url": url("/echo")}));
    assert_eq!(
        r.body["message"],
        json!([
            {"method": "POST", "query": "", "body": "a=b+c"},
            {"method": "PUT", "query": "", "body": "{\"n\":[1]}"},
            {"method": "DELETE", "query": "", "body": ""}
        ]),
        "{}",
        r.text
    );
}

#[test]
fn document_methods_work_on_the_real_site() {
    let (s, c) = enabled();
    api(
        &c,
        "docs",
        "out = []\n\
         t = frappe.new_doc('ToDo')\n\
         t.description = 'first'\n\
         t.insert()\n\
         out.append(t.is_new())\n\
         t.status = 'Closed'\n\
         t.save()\n\
         out.append(t.get_doc_before_save().status if t.get_doc_before_save() else None)\n\
         t.db_set('description', 'changed quietly')\n\
         t.reload()\n\
         out.append(t.description)\n\
         c = t.add_comment('Comment', text='looks good')\n\
         out.append([c.doctype, c.reference_doctype, c.reference_name == t.name, c.content])\n\
         d = t.as_dict()\n\
         out.append([d['status'], 'modified' in d])\n\
         copy = frappe.copy_doc(t)\n\
         copy.insert()\n\
         out.append([copy.name != t.name, copy.description])\n\
         out.append(frappe.get_last_doc('ToDo').name == copy.name)\n\
         out.append([f.fieldname for f in frappe.get_meta('ToDo').fields][:2])\n\
         frappe.delete_doc('ToDo', copy.name)\n\
         out.append(frappe.db.exists('ToDo', copy.name))\n\
         n = frappe.get_doc({'doctype': 'Note', 'title': 'T'}).insert()\n\
         n.update({'content': 'x'})\n\
         n.save()\n\
         out.append([n.has_value_changed('content'), frappe.db.get_value('Note', n.name, 'content')])\n\
         frappe.response['message'] = out",
    );
    let r = c.post_json("/api/method/docs", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body["message"],
        json!([
            false,
            "Open",
            "changed quietly",
            ["Comment", "ToDo", true, "looks good"],
            ["Closed", true],
            [true, "changed quietly"],
            true,
            ["status", "priority"],
            null,
            [true, "x"]
        ]),
        "{}",
        r.text
    );
    let comments = c.get("/api/resource/Comment?fields=[\"content\",\"comment_email\"]");
    assert_eq!(
        comments.body["data"],
        json!([{"content": "looks good", "comment_email": "Administrator"}]),
        "{}",
        comments.text
    );
    let _ = s;
}

#[test]
fn api_scripts_answer_files_csv_and_redirects_through_response_type() {
    let (s, c) = enabled();
    api(
        &c,
        "dl",
        "frappe.response['type'] = 'download'\nfrappe.response['filename'] = 'report.txt'\n\
         frappe.response['filecontent'] = 'line 1\\nline 2'",
    );
    api(
        &c,
        "as_csv",
        "frappe.response['type'] = 'csv'\nfrappe.response['doctype'] = 'Sales Order'\n\
         frappe.response['result'] = [['name', 'note'], ['SO-1', 'a, \"b\"']]",
    );
    api(
        &c,
        "go",
        "frappe.response['type'] = 'redirect'\nfrappe.response['location'] = '/app/todo'",
    );
    let r = s.client().get("/api/method/dl");
    assert_eq!(r.status, 200);
    assert_eq!(r.text, "line 1\nline 2");
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"report.txt\"")
    );
    let r = s.client().get("/api/method/as_csv");
    assert_eq!(r.text, "name,note\r\nSO-1,\"a, \"\"b\"\"\"\r\n");
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"Sales_Order.csv\"")
    );
    let r = s.client().get("/api/method/go");
    assert_eq!((r.status, r.header("location")), (302, Some("/app/todo")));
    let _ = c;
}
