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

fn wait_for(mut f: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if f() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
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
        wait_for(|| notes(&c) == ["later", "now"]),
        "{:?}",
        notes(&c)
    );
    // a failing job leaves an Error Log
    let r = c.post_json("/api/method/kick_bad", &json!({}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        wait_for(|| {
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
