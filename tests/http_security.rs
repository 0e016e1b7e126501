//! End to end, against the real binary: what an unauthenticated client can no longer do
//! to the server — exhaust its memory with request bodies, hold sockets with headers that
//! never end, use up other clients' rate limits or pick its own address, or take every
//! script slot.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Client, Server, add_guest_api_script, add_script};

/// A raw exchange: sends `head` (and nothing else) and reads the answer's status line,
/// headers and body (by Content-Length), or until the server closes.
fn raw_response(server: &Server, head: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(&server.base).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    read_response(&mut s)
}

fn read_response(s: &mut TcpStream) -> (u16, Value) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = s.read(&mut chunk).expect("the server answers");
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    (status, body)
}

fn post_head(path: &str, content_type: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
}

fn ping_ok(c: &Client) -> bool {
    c.get("/api/method/ping").body["message"] == "pong"
}

#[test]
fn concurrent_huge_json_bodies_cannot_exhaust_memory() {
    let mut s = Server::start();
    let idle_kb = s.status_kb("VmHWM").expect("VmHWM");
    eprintln!("peak RSS at start: {idle_kb} kB");
    // 12.5 million values in 25 MB, under the size cap: parsed, each would take ~400 MB
    let body = format!("[{}0]", "0,".repeat(12 * 1024 * 1024));
    let bodies: Vec<_> = (0..3)
        .map(|_| {
            let c = s.client();
            let body = body.clone();
            std::thread::spawn(move || {
                c.request(
                    "POST",
                    "/api/resource/ToDo",
                    Some(("application/json", body)),
                    &[],
                )
            })
        })
        .collect();
    for t in bodies {
        let r = t.join().unwrap();
        assert_eq!(
            (r.status, r.body["exc_type"].as_str()),
            (413, Some("RequestEntityTooLarge")),
            "{}",
            r.text
        );
        assert!(
            r.server_messages()[0]["message"]
                .as_str()
                .unwrap()
                .contains("http_json_max_elements"),
            "{}",
            r.text
        );
    }
    assert!(s.is_running(), "the server survived");
    // the peak: the three raw bodies (75 MB) and the server itself, no parsed trees
    let peak_kb = s.status_kb("VmHWM").expect("VmHWM");
    eprintln!("peak RSS after three 25 MB bodies: {peak_kb} kB");
    assert!(peak_kb < 512 * 1024, "peak RSS {peak_kb} kB");
    assert!(ping_ok(&s.client()));
    let admin = s.admin();
    let r = admin.post_json("/api/resource/ToDo", &json!({"description": "after"}));
    assert_eq!(r.status, 200, "{}", r.text);
}

#[test]
fn a_body_over_the_size_cap_is_refused_with_413_before_it_is_read() {
    let s = Server::start();
    // says 100 MB and sends nothing: answered at once
    let (status, body) = raw_response(
        &s,
        &post_head("/api/method/ping", "application/json", 100 << 20),
    );
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["exc_type"], "RequestEntityTooLarge");
    // the cap is the site's to set
    s.set_config("http_max_body_mb", "1");
    let (status, _) = raw_response(
        &s,
        &post_head("/api/method/ping", "application/json", 2 << 20),
    );
    assert_eq!(status, 413);
    // under the cap is fine
    let c = s.client();
    let r = c.request(
        "POST",
        "/api/method/ping",
        Some(("text/plain", "x".repeat(512 << 10))),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(ping_ok(&c));
}

#[test]
fn deeply_nested_json_is_refused_with_417() {
    let s = Server::start();
    let c = s.client();
    // 100 levels: serde_json alone would accept it (its limit is 128)
    let deep = format!("{{\"a\": {}1{}}}", "[".repeat(100), "]".repeat(100));
    let r = c.request(
        "POST",
        "/api/method/ping",
        Some(("application/json", deep)),
        &[],
    );
    assert_eq!(
        (r.status, r.body["exc_type"].as_str()),
        (417, Some("ValidationError")),
        "{}",
        r.text
    );
    let shallow = format!("{{\"a\": {}1{}}}", "[".repeat(10), "]".repeat(10));
    let r = c.request(
        "POST",
        "/api/method/ping",
        Some(("application/json", shallow)),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text);
}

#[test]
fn json_form_and_multipart_bodies_are_bounded_in_elements() {
    let s = Server::start_with_config(&[("http_json_max_elements", "1000")]);
    let c = s.client();
    let post =
        |ctype: &str, body: String| c.request("POST", "/api/method/ping", Some((ctype, body)), &[]);
    let json_body = |n: usize| {
        let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        format!("{{\"docs\": [{}]}}", items.join(","))
    };
    let form_body = |n: usize| {
        (0..n)
            .map(|i| format!("f{i}=1"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let multipart = |n: usize| {
        let mut b = String::new();
        for i in 0..n {
            b.push_str(&format!(
                "--XyZ\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\n1\r\n"
            ));
        }
        b.push_str("--XyZ--\r\n");
        b
    };
    let mp = "multipart/form-data; boundary=XyZ";
    let form = "application/x-www-form-urlencoded";
    for (ctype, small, big) in [
        ("application/json", json_body(100), json_body(5000)),
        (form, form_body(100), form_body(5000)),
        (mp, multipart(100), multipart(5000)),
    ] {
        let r = post(ctype, small);
        assert_eq!(r.status, 200, "{ctype}: {}", r.text);
        let r = post(ctype, big);
        assert_eq!(
            (r.status, r.body["exc_type"].as_str()),
            (413, Some("RequestEntityTooLarge")),
            "{ctype}: {}",
            r.text
        );
    }
    // a query string is a form too
    let r = c.get(&format!("/api/method/ping?{}", form_body(5000)));
    assert_eq!(r.status, 413, "{}", r.text);
}

#[test]
fn bodies_in_flight_share_one_budget_and_the_excess_gets_503() {
    let s = Server::start_with_config(&[("http_body_budget_mb", "1")]);
    let c = s.client();
    let body = |kb: usize| format!("{{\"a\": \"{}\"}}", "x".repeat(kb << 10));
    // 300 kB (its text and its parsed copy) fits
    let r = c.request(
        "POST",
        "/api/method/ping",
        Some(("application/json", body(300))),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    // a client announcing 700 kB and sending them slowly holds its share meanwhile
    let mut slow = TcpStream::connect(&s.base).unwrap();
    slow.write_all(post_head("/api/method/ping", "application/json", 700 << 10).as_bytes())
        .unwrap();
    slow.write_all(b"{\"a\": \"").unwrap();
    let mut refused = None;
    assert!(
        within_20s(|| {
            let r = c.request(
                "POST",
                "/api/method/ping",
                Some(("application/json", body(300))),
                &[],
            );
            let busy = r.status == 503;
            if busy {
                refused = Some(r);
            }
            busy
        }),
        "300 kB more than the budget holds next to the slow body"
    );
    let r = refused.unwrap();
    assert_eq!(r.body["exc_type"], "ServiceUnavailable", "{}", r.text);
    // small requests still pass
    assert!(ping_ok(&c));
    // once the slow client is gone its share is free again
    drop(slow);
    assert!(within_20s(|| {
        c.request(
            "POST",
            "/api/method/ping",
            Some(("application/json", body(300))),
            &[],
        )
        .status
            == 200
    }));
}

#[test]
fn a_body_that_does_not_arrive_in_time_gets_408() {
    let s = Server::start_with_config(&[("http_body_timeout", "1")]);
    let mut slow = TcpStream::connect(&s.base).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    slow.write_all(post_head("/api/method/ping", "application/json", 100).as_bytes())
        .unwrap();
    slow.write_all(b"{\"a\": ").unwrap();
    let (status, body) = read_response(&mut slow);
    assert_eq!(status, 408, "{body}");
    assert_eq!(body["exc_type"], "RequestTimeout");
    assert!(ping_ok(&s.client()));
}

#[test]
fn a_client_that_never_finishes_its_headers_is_disconnected_while_others_are_served() {
    let s = Server::start_with_config(&[("http_header_timeout", "1")]);
    let mut slow = TcpStream::connect(&s.base).unwrap();
    slow.write_all(b"GET /api/method/ping HTTP/1.1\r\nHost: test\r\nX-Slow: 1")
        .unwrap();
    // other clients are served meanwhile
    let c = s.client();
    assert!(ping_ok(&c));
    // the slow socket is closed (perhaps after a 408) well before 30 s
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    match slow.read_to_end(&mut rest) {
        Ok(_) => {
            let text = String::from_utf8_lossy(&rest);
            assert!(
                text.is_empty() || text.starts_with("HTTP/1.1 408"),
                "{text}"
            );
        }
        Err(e) => assert_eq!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset,
            "closed, not timed out: {e}"
        ),
    }
    assert!(started.elapsed() < Duration::from_secs(25));
    // a kept-alive connection that sends no next request is closed the same way
    let mut idle = TcpStream::connect(&s.base).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    idle.write_all(b"GET /api/method/ping HTTP/1.1\r\nHost: test\r\n\r\n")
        .unwrap();
    let (status, body) = read_response(&mut idle);
    assert_eq!(
        (status, &body["message"]),
        (200, &serde_json::json!("pong"))
    );
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = match idle.read_to_end(&mut rest) {
        Ok(_) => rest.is_empty() || rest.starts_with(b"HTTP/1.1 408"),
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(closed && started.elapsed() < Duration::from_secs(25));
    assert!(ping_ok(&c));
}

#[test]
fn connections_past_the_cap_wait_until_one_closes() {
    let s = Server::start_with_config(&[("http_max_connections", "2")]);
    // two idle connections take both places
    let a = TcpStream::connect(&s.base).unwrap();
    let b = TcpStream::connect(&s.base).unwrap();
    let base = s.base.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let r = Client::new(&base).get("/api/method/ping");
        let _ = tx.send(r.status);
    });
    assert!(
        rx.recv_timeout(Duration::from_secs(3)).is_err(),
        "a third connection is not served while two are open"
    );
    drop(a);
    assert_eq!(rx.recv_timeout(Duration::from_secs(30)), Ok(200));
    drop(b);
}

/// Polls `f` for up to 20 s (a loaded machine can take seconds to start a script run);
/// whether it became true.
fn within_20s(f: impl FnMut() -> bool) -> bool {
    support::wait_for(Duration::from_secs(20), f)
}

/// The spinning scripts below run this long (their time limit): longer than
/// [`within_20s`] waits, so they are still running when it returns.
const SPIN_SECONDS: &str = "30";

/// Runs the `spin` script from `client` on a thread: called again while it is refused
/// (429: the polling below held the slot at that moment), until it runs.
fn spin(client: &Client) -> std::thread::JoinHandle<support::Resp> {
    let client = client.clone();
    std::thread::spawn(move || {
        loop {
            let r = client.post_json("/api/method/spin", &json!({}));
            if r.status != 429 {
                return r;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    })
}

#[test]
fn guest_calls_refused_by_the_guest_check_do_not_use_up_the_rate_limit() {
    let (s, admin) = Server::start_with_scripts(&[]);
    add_script(
        &admin,
        json!({"name": "members", "script_type": "API", "api_method": "members_only",
               "allow_guest": 0, "enable_rate_limit": 1, "rate_limit_count": 2,
               "script": "frappe.response['message'] = 'ok'"}),
    );
    let guest = s.client();
    for _ in 0..5 {
        assert_eq!(guest.get("/api/method/members_only").status, 403);
    }
    // the signed-in user behind the same address still has the whole limit
    for i in 0..2 {
        let r = admin.get("/api/method/members_only");
        assert_eq!(r.status, 200, "call {}: {}", i + 1, r.text);
    }
    assert_eq!(admin.get("/api/method/members_only").status, 429);
}

#[test]
fn x_forwarded_for_counts_only_from_a_trusted_proxy() {
    let (s, admin) = Server::start_with_scripts(&[]);
    add_script(
        &admin,
        json!({"name": "whoami", "script_type": "API", "api_method": "whoami",
               "allow_guest": 1, "enable_rate_limit": 1, "rate_limit_count": 2,
               "script": "frappe.response['message'] = frappe.request.remote_addr"}),
    );
    let guest = s.client();
    let from = |ip: &str| {
        guest.request(
            "GET",
            "/api/method/whoami",
            None,
            &[("X-Forwarded-For", ip)],
        )
    };
    // not behind a proxy: the header is the client's word and counts for nothing
    let r = from("10.0.0.1");
    assert_eq!(r.body["message"], "127.0.0.1", "{}", r.text);
    assert_eq!(from("10.0.0.2").status, 200);
    let r = from("10.0.0.3");
    assert_eq!(
        r.status, 429,
        "a fresh header is not a fresh counter: {}",
        r.text
    );
    // behind a trusted proxy, the address it forwards is the client
    s.set_config("trusted_proxies", r#"["127.0.0.0/8"]"#);
    let r = from("6.6.6.6, 10.0.0.4");
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["message"], "10.0.0.4");
    assert_eq!(from("10.0.0.4").status, 200);
    assert_eq!(from("10.0.0.4").status, 429);
    assert_eq!(from("10.0.0.5").status, 200);
}

#[test]
fn a_guest_gets_429_for_a_second_script_run_at_once_while_signed_in_users_still_run() {
    let (s, admin) = Server::start_with_scripts(&[
        ("script_concurrency_per_client", "1"),
        ("script_time_limit", SPIN_SECONDS),
    ]);
    add_guest_api_script(&admin, "spin", "while True:\n    pass");
    add_guest_api_script(&admin, "hello", "frappe.response['message'] = 'hi'");
    let guest = s.client();
    let spinner = spin(&guest);
    let mut refused = None;
    assert!(
        within_20s(|| {
            let r = guest.get("/api/method/hello");
            let busy = r.status == 429;
            refused = Some(r);
            busy
        }),
        "a second run from the spinning guest's address is refused"
    );
    let r = refused.unwrap();
    assert_eq!(r.body["exc_type"], "TooManyRequestsError", "{}", r.text);
    assert!(r.body.get("exc").is_some(), "{}", r.text);
    // a signed-in user's run is its own client's
    let r = admin.get("/api/method/hello");
    assert_eq!(
        (r.status, &r.body["message"]),
        (200, &json!("hi")),
        "{}",
        r.text
    );
    assert!(
        !spinner.is_finished(),
        "checked while the guest's script ran"
    );
    let r = spinner.join().unwrap();
    assert_eq!(r.body["exc_type"], "TimeLimitExceeded", "{}", r.text);
    // the failed run gave its slot back
    assert_eq!(guest.get("/api/method/hello").status, 200);
}

#[test]
fn the_site_wide_script_limit_refuses_the_excess_for_everyone() {
    let (s, admin) = Server::start_with_scripts(&[
        ("script_concurrency_per_site", "1"),
        ("script_time_limit", SPIN_SECONDS),
    ]);
    add_guest_api_script(&admin, "spin", "while True:\n    pass");
    add_guest_api_script(&admin, "hello", "frappe.response['message'] = 'hi'");
    let spinner = spin(&s.client());
    assert!(within_20s(|| admin.get("/api/method/hello").status == 429));
    // methods that are not scripts are not limited
    assert!(ping_ok(&admin));
    spinner.join().unwrap();
    assert_eq!(admin.get("/api/method/hello").status, 200);
}
