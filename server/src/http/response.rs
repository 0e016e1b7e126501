//! Frappe's response bodies, success and error, built in one place.
//!
//! Success: the response dict as compact JSON — `{"message": …}` for methods (the key
//! left out when the result is None), `{"data": …}` for resources — plus
//! `_server_messages` when something was msgprinted.
//!
//! Error (§5.5), keys in Frappe's order: what the response held already, `exception`,
//! `exc_type`, `_exc_source`, `exc` (a JSON string of a list of traceback strings),
//! `_server_messages` (a JSON string of a list of JSON strings). `exception` and `exc`
//! are left out for 404s and for bare errors Frappe sends without a traceback.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::error::{Error, Msg};
use crate::pyjson;

/// A successful answer.
#[derive(Debug, Default)]
pub struct Reply {
    pub body: Map<String, Value>,
    pub status: Option<StatusCode>,
    pub cookies: Vec<String>,
    /// Commit even when the verb does not write (`logout` over GET).
    pub commit: bool,
    /// Not JSON: a file, a CSV or a redirect (`frappe.response.type`).
    pub raw: Option<Raw>,
}

/// A non-JSON answer: status, headers, body.
#[derive(Debug, Default)]
pub struct Raw {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The content type of a file name, by extension (what a download is served as).
fn mimetype(filename: &str) -> &'static str {
    let ext = filename
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => "text/csv",
        "txt" => "text/plain",
        "json" => "application/json",
        "html" | "htm" => "text/html",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// `frappe.response.type` as Frappe's `build_response` reads it: `download` (and
/// `binary`, `pdf`) sends `filecontent` as `filename`, `csv` sends `result` as
/// `<doctype>.csv`, `redirect` answers 302 to `location`. `None` for a JSON answer.
pub fn special(body: &Map<String, Value>) -> Option<Raw> {
    let kind = body.get("type").and_then(Value::as_str)?;
    let file = |default_name: String, content_type: Option<&'static str>, key: &str| {
        let filename = match text_of(body.get("filename")) {
            f if f.is_empty() => default_name,
            f => f,
        };
        let inline = text_of(body.get("display_content_as")) == "inline";
        let disposition = format!(
            "{}; filename=\"{}\"",
            if inline { "inline" } else { "attachment" },
            filename.replace(['"', '\r', '\n'], "_")
        );
        let ct = content_type.unwrap_or_else(|| mimetype(&filename));
        Raw {
            status: 200,
            headers: vec![
                ("content-type", ct.to_string()),
                ("content-disposition", disposition),
            ],
            body: text_of(body.get(key)).into_bytes(),
        }
    };
    match kind {
        "download" => Some(file("download".into(), None, "filecontent")),
        "binary" => Some(file(
            "download".into(),
            Some("application/octet-stream"),
            "filecontent",
        )),
        "pdf" => Some(file(
            "download.pdf".into(),
            Some("application/pdf"),
            "filecontent",
        )),
        "csv" => {
            let doctype = text_of(body.get("doctype")).replace(' ', "_");
            let name = if doctype.is_empty() {
                "data".into()
            } else {
                doctype
            };
            let mut raw = file(
                format!("{name}.csv"),
                Some("text/csv; charset=utf-8"),
                "result",
            );
            // `result` is the CSV text, or rows to write as CSV
            if let Some(Value::Array(rows)) = body.get("result") {
                raw.body = csv_text(rows).into_bytes();
            }
            Some(raw)
        }
        "redirect" => Some(Raw {
            status: 302,
            headers: vec![("location", text_of(body.get("location")))],
            body: Vec::new(),
        }),
        _ => None,
    }
}

fn csv_text(rows: &[Value]) -> String {
    let cell = |v: &Value| {
        let t = text_of(Some(v));
        if t.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", t.replace('"', "\"\""))
        } else {
            t
        }
    };
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = match r {
            Value::Array(cells) => cells.iter().map(cell).collect(),
            other => vec![cell(other)],
        };
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

impl Reply {
    /// `{"message": value}`, or `{}` for None.
    pub fn message(value: Value) -> Reply {
        let mut body = Map::new();
        if !value.is_null() {
            body.insert("message".into(), value);
        }
        Reply {
            body,
            ..Reply::default()
        }
    }

    /// `{"data": value}`.
    pub fn data(value: Value) -> Reply {
        let mut body = Map::new();
        body.insert("data".into(), value);
        Reply {
            body,
            ..Reply::default()
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> Reply {
        self.status = Some(status);
        self
    }
}

/// `_server_messages`: each message JSON-encoded, the list JSON-encoded again.
fn server_messages(messages: &[Msg], exc_id: Option<&str>) -> Option<Value> {
    if messages.is_empty() {
        return None;
    }
    let inner: Vec<Value> = messages
        .iter()
        .map(|m| Value::String(pyjson::dumps(&m.to_json(exc_id))))
        .collect();
    Some(Value::String(pyjson::dumps(&Value::Array(inner))))
}

fn json_response(status: StatusCode, body: &Map<String, Value>, cookies: &[String]) -> Response {
    let text = serde_json::to_string(body).expect("JSON bodies serialise");
    let mut resp = (status, text).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store,no-cache,must-revalidate,max-age=0"),
    );
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// The success response, with the messages collected on the way.
pub fn success(mut reply: Reply, messages: &[Msg]) -> Response {
    if let Some(raw) = reply.raw.take() {
        let mut resp = (
            StatusCode::from_u16(raw.status).unwrap_or(StatusCode::OK),
            raw.body,
        )
            .into_response();
        for (k, v) in raw.headers {
            if let Ok(v) = HeaderValue::from_str(&v) {
                resp.headers_mut().insert(k, v);
            }
        }
        return resp;
    }
    if let Some(sm) = server_messages(messages, None) {
        reply.body.insert("_server_messages".into(), sm);
    }
    json_response(
        reply.status.unwrap_or(StatusCode::OK),
        &reply.body,
        &reply.cookies,
    )
}

/// How the client wants errors: JSON for `/api/*` unless it asks for text, or whenever it
/// accepts JSON or is an XHR; an HTML page otherwise.
pub fn wants_json(path: &str, accept: Option<&str>, xhr: bool) -> bool {
    let accept = accept.unwrap_or("");
    (path.starts_with("/api/") && !accept.starts_with("text"))
        || accept.contains("application/json")
        || xhr
}

/// The error response. `before` are messages printed before the failure (they are sent
/// too, as Frappe's message log holds them).
pub fn error(err: &Error, before: &[Msg], json: bool, cookies: &[String]) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error_with_status(err, before, json, cookies, status)
}

/// A request the server refuses before running it (a body too large or too slow, the
/// server too busy): `frappe.throw(message, exc_type)`'s body with `status`, for
/// refusals that are HTTP's rather than one of Frappe's exception classes.
pub fn refusal(status: StatusCode, exc_type: &str, message: &str, json: bool) -> Response {
    let err = Error::throw(exc_type, message);
    error_with_status(&err, &[], json, &[], status)
}

fn error_with_status(
    err: &Error,
    before: &[Msg],
    json: bool,
    cookies: &[String],
    status: StatusCode,
) -> Response {
    if !json {
        let title = match status.as_u16() {
            401 => "Session Expired",
            403 => "Not Permitted",
            404 => "Not Found",
            408 => "Request Timeout",
            413 => "Request Entity Too Large",
            429 => "Too Many Requests",
            503 => "Service Unavailable",
            _ => "Server Error",
        };
        let body = format!(
            "<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1><p>{}</p></body></html>",
            html_escape(
                &err.messages
                    .first()
                    .map(|m| m.message.clone())
                    .unwrap_or_else(|| err.exception_line())
            )
        );
        let mut resp = (status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return resp;
    }
    let mut body = err.response.clone();
    let traceback = err.traceback && status != StatusCode::NOT_FOUND;
    if traceback {
        body.insert("exception".into(), err.exception_line().into());
    }
    body.insert("exc_type".into(), err.exc_type.clone().into());
    if let Some(src) = &err.source
        && traceback
    {
        body.insert("_exc_source".into(), src.clone().into());
    }
    if traceback {
        let trace = err.trace.clone().unwrap_or_else(|| {
            format!(
                "Traceback (most recent call last):\n  serverscript site request\n{}\n",
                err.exception_line()
            )
        });
        body.insert(
            "exc".into(),
            pyjson::dumps(&Value::Array(vec![trace.into()])).into(),
        );
    }
    let exc_id = crate::model::naming::random_hash();
    let mut all: Vec<Msg> = before.to_vec();
    all.extend(err.messages.iter().cloned());
    if let Some(sm) = server_messages(&all, Some(&exc_id)) {
        body.insert("_server_messages".into(), sm);
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        tracing::warn!(exc = %err.exception_line(), "request refused");
    } else if status.is_server_error() {
        tracing::error!(exc = %err.exception_line(), "request failed");
    }
    json_response(status, &body, cookies)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
