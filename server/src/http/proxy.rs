//! Who the client is, by address: the TCP peer, unless the peer is one of the site's
//! `trusted_proxies` (a list of CIDRs or addresses, e.g. `["127.0.0.1/32", "10.0.0.0/8"]`,
//! or one string of them separated by commas). From a trusted proxy, `X-Forwarded-For`
//! is read right to left and the first address that is not itself a trusted proxy is
//! the client (the entries left of it were written by the client and prove nothing).
//! Without trusted proxies the header is ignored: a client cannot pick its own address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;
use serde_json::Value;

use crate::site::Site;

/// The networks named by `trusted_proxies` (entries that do not parse are skipped, with
/// a warning).
pub fn trusted_proxies(site: &Site) -> Vec<IpNet> {
    let entries: Vec<String> = match site.config("trusted_proxies") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => s.split(',').map(str::to_string).collect(),
        _ => return Vec::new(),
    };
    entries
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
        .filter_map(|e| {
            let net = e
                .parse::<IpNet>()
                .ok()
                .or_else(|| e.parse::<IpAddr>().ok().map(IpNet::from));
            if net.is_none() {
                tracing::warn!(entry = e, "trusted_proxies: not a CIDR or an address");
            }
            net
        })
        .collect()
}

/// The client's address for a request from `peer` with `headers`.
pub fn client_addr(peer: Option<SocketAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer
        .map(|p| canonical(p.ip()))
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    // every X-Forwarded-For header, in order, as one list
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // garbage: stop at the last address we could trust
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// An `X-Forwarded-For` entry: an address, maybe with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// IPv4 addresses seen through an IPv6 socket (`::ffff:1.2.3.4`) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn peer(s: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(s.parse().unwrap(), 4000))
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let ip = client_addr(peer("192.0.2.9"), &headers(&["10.0.0.7"]), &[]);
        assert_eq!(ip.to_string(), "192.0.2.9");
    }

    #[test]
    fn from_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let trusted: Vec<IpNet> = vec![
            "127.0.0.1/32".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        let h = headers(&["6.6.6.6, 203.0.113.5", "10.1.2.3"]);
        assert_eq!(
            client_addr(peer("127.0.0.1"), &h, &trusted).to_string(),
            "203.0.113.5"
        );
        // an untrusted peer's header counts for nothing
        assert_eq!(
            client_addr(peer("198.51.100.1"), &h, &trusted).to_string(),
            "198.51.100.1"
        );
        // no header: the proxy itself
        assert_eq!(
            client_addr(peer("127.0.0.1"), &HeaderMap::new(), &trusted).to_string(),
            "127.0.0.1"
        );
        // garbage stops the walk
        let h = headers(&["203.0.113.5, not-an-ip"]);
        assert_eq!(
            client_addr(peer("127.0.0.1"), &h, &trusted).to_string(),
            "127.0.0.1"
        );
        let h = headers(&["[2001:db8::1]:443"]);
        assert_eq!(
            client_addr(peer("::ffff:127.0.0.1"), &h, &trusted).to_string(),
            "2001:db8::1"
        );
    }
}
