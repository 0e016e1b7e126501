//! Outgoing HTTP from scripts (`frappe.make_get_request` …), guarded against SSRF.
//!
//! Off unless the site config lists the hosts a script may reach:
//! `allowed_request_hosts` (`["api.example.com", "*.example.org"]`, or `["*"]` for any
//! public host). Then, for the first URL and for every redirect hop:
//! - only `http` and `https`;
//! - the host must be allowed;
//! - every address the name resolves to must be public: loopback, private,
//!   link-local (cloud metadata at 169.254.169.254), CGNAT, multicast, unspecified
//!   and reserved ranges are refused (IPv4-mapped and NAT64 IPv6 forms too) — unless
//!   `allow_private_request_addresses` is true, for intranet integrations;
//! - the connection goes to the addresses that were checked (the resolver is ours),
//!   so a name cannot be re-pointed between the check and the connect.
//!
//! A request has a timeout (`request_timeout` seconds, default 10) and at most 5
//! redirects; a body above 16 MiB is refused. An error status is an `OSError` worded
//! as `requests` words it, after an Error Log is written, as Frappe does.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value};
use serverscript_compiler::host::OutgoingRequest;

use crate::error::{Error, Result};
use crate::tx::SiteTx;

const MAX_BODY: u64 = 16 << 20;
const MAX_REDIRECTS: u32 = 5;

/// Whether an address is one a script must not reach.
pub fn is_blocked(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return blocked_v4(v4);
            }
            let seg = v6.segments();
            // NAT64 (64:ff9b::/96) embeds an IPv4 address
            if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] {
                let v4 = Ipv4Addr::new(
                    (seg[6] >> 8) as u8,
                    seg[6] as u8,
                    (seg[7] >> 8) as u8,
                    seg[7] as u8,
                );
                return blocked_v4(v4);
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local
                || (seg[0] & 0xffc0) == 0xfe80 // link-local
                || (seg[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || seg[0..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible ::a.b.c.d
                || seg[0..6] == [0, 0, 0, 0, 0xffff, 0] // IPv4-translated ::ffff:0:a.b.c.d
                || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
                // transition forms that carry an IPv4 address a gateway may deliver to:
                // 6to4 (2002::/16), Teredo (2001::/32), local-use NAT64 (64:ff9b:1::/48)
                || seg[0] == 0x2002
                || (seg[0] == 0x2001 && seg[1] == 0)
                || (seg[0] == 0x64 && seg[1] == 0xff9b && seg[2] == 1)
                || seg[0..4] == [0x100, 0, 0, 0] // discard-only 100::/64
        }
    }
}

fn blocked_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // CGNAT 100.64/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18/15
        || (o[0] == 192 && o[1] == 88 && o[2] == 99) // 6to4 relay anycast
        || o[0] >= 240 // reserved
}

/// What the site allows.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub hosts: Vec<String>,
    pub allow_private: bool,
    pub timeout: Duration,
}

impl Policy {
    pub fn from_site(tx: &SiteTx<'_>) -> Policy {
        let hosts = match tx.site.config("allowed_request_hosts") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str())
                .map(|s| s.trim().to_ascii_lowercase())
                .collect(),
            Some(Value::String(s)) => s
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .filter(|s| !s.is_empty())
                .collect(),
            _ => Vec::new(),
        };
        let allow_private = match tx.site.config("allow_private_request_addresses") {
            Some(Value::Bool(b)) => b,
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            _ => false,
        };
        let timeout = tx
            .site
            .config("request_timeout")
            .and_then(|v| v.as_f64())
            .filter(|s| *s > 0.0)
            .map(|s| Duration::from_secs_f64(s.min(300.0)))
            .unwrap_or(Duration::from_secs(10));
        Policy {
            hosts,
            allow_private,
            timeout,
        }
    }

    pub fn host_allowed(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let host = host.trim_start_matches('[').trim_end_matches(']');
        self.hosts.iter().any(|h| {
            h == "*"
                || h == host
                || h.strip_prefix("*.")
                    .is_some_and(|d| host.ends_with(&format!(".{d}")))
        })
    }

    /// Resolves `netloc` (`host:port`) if the host is allowed and every address is.
    pub fn resolve(&self, netloc: &str) -> std::result::Result<Vec<SocketAddr>, String> {
        let (host, _port) = netloc
            .rsplit_once(':')
            .ok_or_else(|| format!("no port in {netloc}"))?;
        if !self.host_allowed(host) {
            return Err(format!(
                "Requests to {host} are not allowed: add it to allowed_request_hosts in site_config.json"
            ));
        }
        let addrs: Vec<SocketAddr> = netloc
            .to_socket_addrs()
            .map_err(|e| format!("Could not resolve {host}: {e}"))?
            .collect();
        if addrs.is_empty() {
            return Err(format!("Could not resolve {host}"));
        }
        if !self.allow_private
            && let Some(bad) = addrs.iter().find(|a| is_blocked(a.ip()))
        {
            return Err(format!(
                "Requests to {host} are not allowed: it resolves to {}, a private, loopback or link-local address",
                bad.ip()
            ));
        }
        Ok(addrs)
    }
}

fn blocked(message: impl Into<String>) -> Error {
    Error::throw_titled("PermissionError", message.into(), "Request Blocked")
}

/// Sends a script's request under the site's policy; the response read as Frappe reads it.
pub fn send(tx: &mut SiteTx<'_>, r: &OutgoingRequest) -> Result<Value> {
    let mut policy = Policy::from_site(tx);
    // the request gets what is left of the script's time, at most `request_timeout`: a
    // script cannot outlast its limit by waiting on a slow server
    let deadline = tx.run_deadline().map(|(d, _)| d);
    if let Some(d) = deadline {
        let left = d.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(out_of_time());
        }
        policy.timeout = policy.timeout.min(left);
    }
    if policy.hosts.is_empty() {
        return Err(blocked(
            "Outgoing requests are off for this site: list the hosts scripts may reach in allowed_request_hosts in site_config.json",
        ));
    }
    let mut url = url::Url::parse(&r.url)
        .map_err(|e| Error::raise("ValueError", format!("Invalid URL '{}': {e}", r.url)))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(blocked(format!(
            "Only http and https URLs can be requested, not {}:",
            url.scheme()
        )));
    }
    let Some(host) = url.host_str() else {
        return Err(Error::raise(
            "ValueError",
            format!("Invalid URL '{}': no host", r.url),
        ));
    };
    if !policy.host_allowed(host) {
        return Err(blocked(format!(
            "Requests to {host} are not allowed: add it to allowed_request_hosts in site_config.json"
        )));
    }
    if !r.params.is_empty() {
        let mut q = url.query_pairs_mut();
        for (k, v) in &r.params {
            q.append_pair(k, v);
        }
    }
    // the reason a hop was refused, from inside the resolver
    let refusal: Arc<Mutex<Option<String>>> = Arc::default();
    let agent = {
        let policy = policy.clone();
        let refusal = refusal.clone();
        ureq::AgentBuilder::new()
            .timeout(policy.timeout)
            .redirects(MAX_REDIRECTS)
            .resolver(move |netloc: &str| {
                policy.resolve(netloc).map_err(|reason| {
                    *refusal.lock().unwrap() = Some(reason.clone());
                    std::io::Error::new(std::io::ErrorKind::PermissionDenied, reason)
                })
            })
            .build()
    };
    let mut req = agent.request(&r.method, url.as_str());
    for (k, v) in &r.headers {
        req = req.set(k, v);
    }
    if let Some((user, password)) = &r.auth {
        use base64::Engine;
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        req = req.set("Authorization", &format!("Basic {token}"));
    }
    let result = match &r.body {
        Some((content_type, body)) => {
            let has_type = r
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
            if !has_type {
                req = req.set("Content-Type", content_type);
            }
            req.send_string(body)
        }
        None => req.call(),
    };
    let response = match result {
        Ok(resp) => resp,
        Err(ureq::Error::Status(code, resp)) => {
            let kind = if code < 500 { "Client" } else { "Server" };
            let msg = format!(
                "{code} {kind} Error: {} for url: {}",
                resp.status_text(),
                resp.get_url()
            );
            log_failure(tx, &r.url, &msg)?;
            return Err(Error::raise("OSError", msg));
        }
        Err(ureq::Error::Transport(t)) => {
            if let Some(reason) = refusal.lock().unwrap().take() {
                return Err(blocked(reason));
            }
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                return Err(out_of_time());
            }
            let msg = format!("Request to {} failed: {t}", r.url);
            log_failure(tx, &r.url, &msg)?;
            return Err(Error::raise("OSError", msg));
        }
    };
    read_response(response)
}

fn out_of_time() -> Error {
    Error::raise(
        "TimeLimitExceeded",
        "script exceeded its time limit while an outgoing request ran",
    )
}

fn log_failure(tx: &mut SiteTx<'_>, url: &str, message: &str) -> Result<()> {
    let title = format!("Outgoing request to {url} failed");
    tx.log_error(&title, message, None, None, None).map(drop)
}

fn read_response(response: ureq::Response) -> Result<Value> {
    let content_type = response.header("content-type").map(str::to_string);
    let mut body = Vec::new();
    response
        .into_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .map_err(|e| Error::raise("OSError", format!("reading the response failed: {e}")))?;
    if body.len() as u64 > MAX_BODY {
        return Err(Error::raise(
            "OSError",
            format!("The response is larger than {MAX_BODY} bytes."),
        ));
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let Some(ct) = content_type else {
        return Ok(Value::Null);
    };
    if ct == "text/plain; charset=utf-8" {
        // Frappe's parse_qs of the text: a dict of lists, blank values dropped
        let mut m: Map<String, Value> = Map::new();
        for (k, v) in form_urlencoded::parse(text.as_bytes()) {
            if v.is_empty() {
                continue;
            }
            let entry = m
                .entry(k.into_owned())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(a) = entry {
                a.push(Value::String(v.into_owned()));
            }
        }
        return Ok(Value::Object(m));
    }
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence.starts_with("application/") && essence.ends_with("json") {
        return serde_json::from_str(&text)
            .map_err(|e| Error::raise("ValueError", format!("Expecting value: {e}")));
    }
    Ok(if text.is_empty() {
        Value::Null
    } else {
        Value::String(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_tricky_forms_are_blocked() {
        for a in [
            "127.0.0.1",
            "127.1.2.3",
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "fc00::abcd",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
            "ff02::1",
        ] {
            assert!(is_blocked(a.parse().unwrap()), "{a}");
        }
        for a in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "2606:4700::1111",
            "100.128.0.1",
        ] {
            assert!(!is_blocked(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn ipv6_transition_forms_that_reach_ipv4_are_blocked() {
        for a in [
            // IPv4-mapped and IPv4-translated (SIIT) loopback and metadata
            "::ffff:7f00:1",
            "::ffff:0:7f00:1",
            "::ffff:0:a9fe:a9fe",
            // 6to4 of loopback and of a public address (deprecated: all refused)
            "2002:7f00:1::1",
            "2002:5db8:d822::1",
            // Teredo
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001::1",
            // local-use NAT64 (RFC 8215) and the well-known prefix
            "64:ff9b:1::a9fe:a9fe",
            "64:ff9b:1:fffe::1",
            "64:ff9b::7f00:1",
            // discard-only
            "100::1",
        ] {
            assert!(is_blocked(a.parse().unwrap()), "{a}");
        }
        assert!(
            is_blocked("192.88.99.1".parse().unwrap()),
            "6to4 relay anycast"
        );
        // ordinary global unicast stays reachable
        for a in [
            "2001:4860:4860::8888",
            "2a00:1450:4001::1",
            "64:ff9b::808:808",
        ] {
            assert!(!is_blocked(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn hosts_match_exactly_or_by_subdomain_wildcard() {
        let p = Policy {
            hosts: vec!["api.example.com".into(), "*.example.org".into()],
            ..Policy::default()
        };
        assert!(p.host_allowed("api.example.com"));
        assert!(p.host_allowed("API.Example.com."));
        assert!(!p.host_allowed("evil.api.example.com"));
        assert!(!p.host_allowed("example.com"));
        assert!(p.host_allowed("a.b.example.org"));
        assert!(!p.host_allowed("example.org"));
        assert!(!p.host_allowed("badexample.org"));
    }

    #[test]
    fn names_resolving_to_private_addresses_are_refused_even_when_allowed() {
        let p = Policy {
            hosts: vec!["localhost".into(), "127.0.0.1".into()],
            ..Policy::default()
        };
        let err = p.resolve("localhost:80").unwrap_err();
        assert!(err.contains("private, loopback or link-local"), "{err}");
        let err = p.resolve("127.0.0.1:80").unwrap_err();
        assert!(err.contains("127.0.0.1"), "{err}");
        let err = p.resolve("example.net:80").unwrap_err();
        assert!(err.contains("not allowed"), "{err}");
    }
}
