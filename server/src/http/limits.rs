//! What reading and parsing a request body may cost, bounded before authentication
//! (any client, signed in or not, sends bodies):
//! - size: `http_max_body_mb` (default 25) — a larger body is refused (413) without
//!   being read when it says its length, else as soon as it passes the limit;
//! - time: `http_body_timeout` (seconds, default 60) to receive the whole body (408);
//! - shape: a JSON body is scanned before it is parsed: at most `http_json_max_depth`
//!   (default 64) levels of nesting (417) and `http_json_max_elements` (default 1 000 000)
//!   values and keys (413); a form body at most that many fields (413);
//! - memory across requests: the bytes of the bodies being read plus what their parsed
//!   form is estimated to take, for all requests in flight together, stay within
//!   `http_body_budget_mb` (default 256); a request that would pass it is refused (503)
//!   at once rather than queued. What a request reserved is released when it is done.
//!
//! The keys are read from the live site config on every request.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;

use crate::site::Site;

pub const MAX_BODY_MB: u64 = 25;
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);
pub const JSON_MAX_DEPTH: u64 = 64;
pub const JSON_MAX_ELEMENTS: u64 = 1_000_000;
pub const BODY_BUDGET_MB: u64 = 256;

const MB: u64 = 1024 * 1024;

/// What a parsed JSON value costs beyond its text, roughly: a `serde_json::Value` is 32
/// bytes and arrays grow by doubling (64 a value); an object member adds its key's
/// `String` and the map's entry and index (96).
const VALUE_COST: u64 = 64;
const MEMBER_COST: u64 = 96;
/// A form field: two `String`s, a map entry and the decoded text (besides the raw body).
const FIELD_COST: u64 = 160;

/// The limits in force for one request.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub max_body: u64,
    pub timeout: Duration,
    pub max_depth: u64,
    pub max_elements: u64,
    pub budget: u64,
}

impl Default for BodyLimits {
    fn default() -> BodyLimits {
        BodyLimits {
            max_body: MAX_BODY_MB * MB,
            timeout: BODY_TIMEOUT,
            max_depth: JSON_MAX_DEPTH,
            max_elements: JSON_MAX_ELEMENTS,
            budget: BODY_BUDGET_MB * MB,
        }
    }
}

fn positive(site: &Site, key: &str) -> Option<f64> {
    site.config(key)
        .and_then(|v| v.as_f64())
        .filter(|n| n.is_finite() && *n > 0.0)
}

impl BodyLimits {
    pub fn from_site(site: &Site) -> BodyLimits {
        let d = BodyLimits::default();
        let mb = |key: &str, default: u64| {
            positive(site, key)
                .map(|n| (n.min(1e6) * MB as f64) as u64)
                .unwrap_or(default)
        };
        let count = |key: &str, default: u64| {
            positive(site, key)
                .map(|n| n.min(1e12) as u64)
                .unwrap_or(default)
        };
        BodyLimits {
            max_body: mb("http_max_body_mb", d.max_body),
            timeout: site.seconds("http_body_timeout", d.timeout),
            max_depth: count("http_json_max_depth", d.max_depth),
            max_elements: count("http_json_max_elements", d.max_elements),
            budget: mb("http_body_budget_mb", d.budget),
        }
    }
}

/// Why a body was refused: the status, Frappe-style exception name and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub exc_type: &'static str,
    pub message: String,
}

impl Refusal {
    fn too_large(message: String) -> Refusal {
        Refusal {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            exc_type: "RequestEntityTooLarge",
            message,
        }
    }

    fn busy() -> Refusal {
        Refusal {
            status: StatusCode::SERVICE_UNAVAILABLE,
            exc_type: "ServiceUnavailable",
            message: "The server is reading too many request bodies at once; please retry shortly."
                .into(),
        }
    }
}

/// The bytes reserved by all requests in flight.
#[derive(Debug, Default)]
pub struct Budget {
    used: AtomicUsize,
}

impl Budget {
    /// Bytes reserved now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }
}

/// A request's share of the [`Budget`]; released when dropped.
#[derive(Debug)]
pub struct BodyPermit {
    budget: Arc<Budget>,
    held: usize,
    cap: usize,
}

impl BodyPermit {
    /// An empty reservation against `budget`, which holds at most `cap` bytes.
    pub fn new(budget: Arc<Budget>, cap: u64) -> BodyPermit {
        BodyPermit {
            budget,
            held: 0,
            cap: usize::try_from(cap).unwrap_or(usize::MAX),
        }
    }

    /// Reserves `n` more bytes; false (nothing reserved) when the budget cannot hold them.
    pub fn grow(&mut self, n: u64) -> bool {
        let Ok(n) = usize::try_from(n) else {
            return false;
        };
        let reserved = self
            .budget
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(n).filter(|total| *total <= self.cap)
            });
        if reserved.is_ok() {
            self.held += n;
        }
        reserved.is_ok()
    }

    fn require(&mut self, n: u64) -> Result<(), Refusal> {
        if self.grow(n) {
            Ok(())
        } else {
            Err(Refusal::busy())
        }
    }
}

impl Drop for BodyPermit {
    fn drop(&mut self) {
        self.budget.used.fetch_sub(self.held, Ordering::AcqRel);
    }
}

/// Reads a whole body within the size and time limits, reserving its bytes as they come.
pub async fn read_body(
    body: Body,
    content_length: Option<u64>,
    limits: &BodyLimits,
    permit: &mut BodyPermit,
) -> Result<Bytes, Refusal> {
    let too_large = || {
        Refusal::too_large(format!(
            "Request body over {} bytes (http_max_body_mb)",
            limits.max_body
        ))
    };
    if content_length.is_some_and(|n| n > limits.max_body) {
        return Err(too_large());
    }
    let announced = content_length.unwrap_or(0);
    permit.require(announced)?;
    let read = async {
        let mut body = body;
        let mut buf = BytesMut::with_capacity(announced as usize);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| Refusal {
                status: StatusCode::BAD_REQUEST,
                exc_type: "BadRequest",
                message: format!("Request body unreadable: {e}"),
            })?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            let total = (buf.len() + data.len()) as u64;
            if total > limits.max_body {
                return Err(too_large());
            }
            if total > announced {
                permit.require(total - announced.max(buf.len() as u64))?;
            }
            buf.extend_from_slice(&data);
        }
        Ok(buf.freeze())
    };
    match tokio::time::timeout(limits.timeout, read).await {
        Ok(r) => r,
        Err(_) => Err(Refusal {
            status: StatusCode::REQUEST_TIMEOUT,
            exc_type: "RequestTimeout",
            message: format!(
                "Request body not received within {} s (http_body_timeout)",
                limits.timeout.as_secs_f64()
            ),
        }),
    }
}

/// The shape of a JSON text, found without building it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JsonShape {
    /// Values (every array element, object member value, and the top value).
    pub values: u64,
    /// Object members (each has a key).
    pub members: u64,
    /// Deepest nesting of arrays and objects.
    pub depth: u64,
    /// Bytes inside string literals (keys included).
    pub string_bytes: u64,
}

impl JsonShape {
    /// Roughly what parsing it into a `serde_json::Value` allocates.
    pub fn parsed_bytes(&self) -> u64 {
        self.values
            .saturating_mul(VALUE_COST)
            .saturating_add(self.members.saturating_mul(MEMBER_COST))
            .saturating_add(self.string_bytes)
    }
}

/// Scans JSON text: one pass over the bytes, counting separators and brackets outside
/// strings. For valid JSON the counts are exact up to empty containers (`[]` counts
/// one value more); invalid JSON gets some estimate and fails to parse later.
pub fn scan_json(text: &[u8]) -> JsonShape {
    let mut shape = JsonShape {
        values: 1,
        ..JsonShape::default()
    };
    let mut depth = 0u64;
    let mut in_string = false;
    let mut escaped = false;
    for &b in text {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                continue;
            }
            shape.string_bytes += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                shape.depth = shape.depth.max(depth);
                // the first element (a following comma counts each further one)
                shape.values += 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' => shape.values += 1,
            b':' => shape.members += 1,
            _ => {}
        }
    }
    shape
}

/// Checks a JSON body's shape against the limits and reserves what parsing it takes.
pub fn admit_json(
    text: &[u8],
    limits: &BodyLimits,
    permit: &mut BodyPermit,
) -> Result<(), Refusal> {
    let shape = scan_json(text);
    if shape.depth > limits.max_depth {
        return Err(Refusal {
            status: StatusCode::EXPECTATION_FAILED,
            exc_type: "ValidationError",
            message: format!(
                "Request body nested {} deep; at most {} levels are accepted (http_json_max_depth)",
                shape.depth, limits.max_depth
            ),
        });
    }
    let elements = shape.values.saturating_add(shape.members);
    if elements > limits.max_elements {
        return Err(Refusal::too_large(format!(
            "Request body holds {elements} JSON values and keys; at most {} are accepted \
             (http_json_max_elements)",
            limits.max_elements
        )));
    }
    permit.require(shape.parsed_bytes())
}

/// Checks a urlencoded text's field count and reserves what decoding it takes.
pub fn admit_form(
    text: &[u8],
    limits: &BodyLimits,
    permit: &mut BodyPermit,
) -> Result<(), Refusal> {
    let fields = 1 + text.iter().filter(|b| **b == b'&').count() as u64;
    check_fields(fields, limits)?;
    permit.require(
        fields
            .saturating_mul(FIELD_COST)
            .saturating_add(text.len() as u64),
    )
}

/// Refuses a form with more fields than the limit.
pub fn check_fields(fields: u64, limits: &BodyLimits) -> Result<(), Refusal> {
    if fields > limits.max_elements {
        return Err(Refusal::too_large(format!(
            "Request holds more than {} form fields (http_json_max_elements)",
            limits.max_elements
        )));
    }
    Ok(())
}

/// Reserves what splitting a multipart body into fields and files takes (at most its
/// size again, plus the fields' maps).
pub fn admit_multipart(text: &[u8], permit: &mut BodyPermit) -> Result<(), Refusal> {
    permit.require((text.len() as u64).saturating_mul(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanning_counts_values_members_depth_and_string_bytes() {
        let s = scan_json(br#"{"a": [1, 2, {"b": "x,]:y"}], "c": null}"#);
        assert_eq!(s.depth, 3);
        assert_eq!(s.members, 3);
        // top, a, 1, 2, {b}, b's value, c
        assert_eq!(s.values, 7);
        assert_eq!(s.string_bytes, "a".len() as u64 + 1 + 5 + 1);
        let s = scan_json(br#"["\"]", "\\"]"#);
        assert_eq!((s.values, s.depth), (3, 1));
    }

    #[test]
    fn a_huge_flat_array_is_refused_before_parsing() {
        let text = format!("[{}0]", "0,".repeat(2_000_000));
        let budget = Arc::new(Budget::default());
        let limits = BodyLimits::default();
        let mut permit = BodyPermit::new(budget.clone(), limits.budget);
        let r = admit_json(text.as_bytes(), &limits, &mut permit);
        assert_eq!(r.unwrap_err().status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let limits = BodyLimits::default();
        let mut permit = BodyPermit::new(Arc::new(Budget::default()), limits.budget);
        let r = admit_json(text.as_bytes(), &limits, &mut permit);
        assert_eq!(r.unwrap_err().status, StatusCode::EXPECTATION_FAILED);
    }

    #[tokio::test]
    async fn a_body_without_a_length_is_cut_off_once_it_passes_the_cap() {
        let limits = BodyLimits {
            max_body: 1000,
            ..BodyLimits::default()
        };
        let budget = Arc::new(Budget::default());
        let mut permit = BodyPermit::new(budget.clone(), limits.budget);
        let r = read_body(Body::from(vec![b'x'; 2000]), None, &limits, &mut permit).await;
        assert_eq!(r.unwrap_err().status, StatusCode::PAYLOAD_TOO_LARGE);
        let mut permit = BodyPermit::new(budget.clone(), limits.budget);
        let r = read_body(Body::from(vec![b'x'; 900]), None, &limits, &mut permit).await;
        assert_eq!(r.unwrap().len(), 900);
        assert_eq!(budget.used(), 900, "held while the request lives");
        drop(permit);
        assert_eq!(budget.used(), 0);
        // over the budget while reading: 503
        let mut permit = BodyPermit::new(budget.clone(), 500);
        let r = read_body(Body::from(vec![b'x'; 900]), None, &limits, &mut permit).await;
        assert_eq!(r.unwrap_err().status, StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn permits_share_the_budget_and_release_it_when_dropped() {
        let budget = Arc::new(Budget::default());
        let mut a = BodyPermit::new(budget.clone(), 100);
        let mut b = BodyPermit::new(budget.clone(), 100);
        assert!(a.grow(60));
        assert!(!b.grow(60), "60 + 60 is over 100");
        assert!(b.grow(40));
        assert_eq!(budget.used(), 100);
        drop(a);
        assert_eq!(budget.used(), 40);
        assert!(b.grow(60));
        drop(b);
        assert_eq!(budget.used(), 0);
    }
}
