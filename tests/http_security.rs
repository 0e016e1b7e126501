//! End to end, against the real binary: what an unauthenticated client can no longer do
//! to the server — hold sockets with headers that never end.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::{Client, Server};

fn ping_ok(c: &Client) -> bool {
    c.get("/api/method/ping").body["message"] == "pong"
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
