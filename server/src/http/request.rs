//! A request as the handlers see it: verb, path, headers, cookies and `form_dict`, built
//! as Frappe builds it (§5.2) before authentication:
//! 1. a non-empty JSON body (`Content-Type: application/json`) alone is the form_dict
//!    (an object; an array becomes `{"data": [...]}`);
//! 2. otherwise the query string updated with urlencoded or multipart form fields
//!    (values are strings; uploaded files are kept aside for `upload_file`);
//! 3. the key `_` (jQuery's cache buster) is dropped.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, OnceLock};

use axum::http::{HeaderMap, Method};
use bytes::Bytes;
use serde_json::{Map, Value};
use serverscript_runtime::ctx::RequestInfo;

use super::limits::{self, BodyLimits, BodyPermit, Refusal};
use crate::error::Error;

/// An uploaded file of a multipart body.
#[derive(Debug, Clone)]
pub struct Upload {
    pub field: String,
    pub filename: String,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

#[derive(Debug, Clone)]
pub struct Req {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub form: Map<String, Value>,
    pub files: Vec<Upload>,
    pub request_id: String,
    /// The client's address ([`super::proxy`]): rate limits and script slots count by it.
    pub client_ip: IpAddr,
    /// What scripts see as `frappe.request` (built only if a script runs).
    pub info: Arc<RequestSource>,
    /// The body's share of the in-flight body budget, held while the request lives.
    pub body_permit: Option<Arc<BodyPermit>>,
}

/// A request as received: what [`Req::read`] builds a [`Req`] from.
pub struct Received {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub client: IpAddr,
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Over a limit ([`super::limits`]).
    Refused(Refusal),
    /// Not a body Frappe accepts (a ValidationError).
    Invalid(Error),
}

impl From<Refusal> for ReadError {
    fn from(r: Refusal) -> ReadError {
        ReadError::Refused(r)
    }
}

impl From<Error> for ReadError {
    fn from(e: Error) -> ReadError {
        ReadError::Invalid(e)
    }
}

/// The parts of a request `frappe.request` shows, kept as received (headers and body
/// are shared, not copied) and turned into the runtime's [`RequestInfo`] on first use:
/// requests that run no script never pay for it.
#[derive(Debug, Default)]
pub struct RequestSource {
    method: Method,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Bytes,
    client: Option<IpAddr>,
    built: OnceLock<Arc<RequestInfo>>,
}

impl RequestSource {
    pub fn info(&self) -> Arc<RequestInfo> {
        self.built
            .get_or_init(|| {
                Arc::new(request_info(
                    &self.method,
                    &self.path,
                    self.query.as_deref(),
                    &self.headers,
                    &self.body,
                    self.client,
                ))
            })
            .clone()
    }

    /// The client's address, for requests that came over HTTP.
    pub fn client(&self) -> Option<IpAddr> {
        self.client
    }
}

impl Req {
    /// Builds the form_dict from a received request, within `limits`: the shape of a
    /// JSON or form body is checked, and what parsing it takes reserved on `permit`,
    /// before it is parsed.
    pub async fn read(
        received: Received,
        limits: &BodyLimits,
        mut permit: BodyPermit,
    ) -> std::result::Result<Req, ReadError> {
        let Received {
            method,
            path,
            query,
            headers,
            body,
            client,
        } = received;
        let query = query.as_deref();
        let info = Arc::new(RequestSource {
            method: method.clone(),
            path: path.clone(),
            query: query.map(str::to_string),
            headers: headers.clone(),
            body: body.clone(),
            client: Some(client),
            built: OnceLock::new(),
        });
        let raw_content_type = headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let content_type = raw_content_type.to_ascii_lowercase();
        let mut form = Map::new();
        let mut files = Vec::new();
        let is_json = content_type.starts_with("application/json");
        if !body.is_empty() && is_json {
            limits::admit_json(&body, limits, &mut permit)?;
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(m)) => form = m,
                Ok(Value::Array(a)) => {
                    form.insert("data".into(), Value::Array(a));
                }
                _ => return Err(Error::validation("Invalid request arguments").into()),
            }
        } else {
            if let Some(q) = query {
                limits::admit_form(q.as_bytes(), limits, &mut permit)?;
                for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                    form.insert(k.into_owned(), Value::String(v.into_owned()));
                }
            }
            if content_type.starts_with("application/x-www-form-urlencoded") {
                limits::admit_form(&body, limits, &mut permit)?;
                for (k, v) in form_urlencoded::parse(&body) {
                    form.insert(k.into_owned(), Value::String(v.into_owned()));
                }
            } else if content_type.starts_with("multipart/form-data") {
                limits::admit_multipart(&body, &mut permit)?;
                read_multipart(&raw_content_type, body, limits, &mut form, &mut files).await?;
            }
        }
        form.remove("_");
        let request_id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Ok(Req {
            method,
            path,
            headers,
            form,
            files,
            request_id,
            client_ip: client,
            info,
            body_permit: Some(Arc::new(permit)),
        })
    }

    /// A header's text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<String> {
        for h in self.headers.get_all(axum::http::header::COOKIE) {
            let Ok(text) = h.to_str() else { continue };
            for pair in text.split(';') {
                if let Some((k, v)) = pair.trim().split_once('=')
                    && k.trim() == name
                {
                    return Some(v.trim().to_string());
                }
            }
        }
        None
    }

    /// A form_dict value as text (numbers and booleans written out; JSON for the rest).
    pub fn arg(&self, key: &str) -> Option<String> {
        match self.form.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
        }
    }

    /// A form_dict value read as JSON when it is a JSON string (Frappe's `parse_json`).
    pub fn json_arg(&self, key: &str) -> Value {
        parse_json(self.form.get(key).cloned().unwrap_or(Value::Null))
    }

    /// Frappe's `sbool`/`cint` reading of a flag argument.
    pub fn flag(&self, key: &str, default: bool) -> bool {
        match self.form.get(key) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "" => default,
                "false" | "0" | "no" | "off" | "none" | "null" => false,
                _ => true,
            },
            Some(_) => true,
        }
    }

    /// Whether the verb writes (its transaction is committed on success).
    pub fn is_write(&self) -> bool {
        matches!(
            self.method,
            Method::POST | Method::PUT | Method::DELETE | Method::PATCH
        )
    }
}

/// A string holding JSON is parsed; anything else is returned as is. A string whose
/// JSON is deeper or larger than the default body limits allow stays a string.
pub fn parse_json(v: Value) -> Value {
    match v {
        Value::String(s) if !json_within_limits(s.as_bytes()) => Value::String(s),
        Value::String(s) => match serde_json::from_str::<Value>(&s) {
            Ok(parsed) => parsed,
            Err(_) => Value::String(s),
        },
        v => v,
    }
}

fn json_within_limits(text: &[u8]) -> bool {
    let limits = BodyLimits::default();
    let shape = limits::scan_json(text);
    shape.depth <= limits.max_depth
        && shape.values.saturating_add(shape.members) <= limits.max_elements
}

async fn read_multipart(
    content_type: &str,
    body: Bytes,
    limits: &BodyLimits,
    form: &mut Map<String, Value>,
    files: &mut Vec<Upload>,
) -> std::result::Result<(), ReadError> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| Error::validation(format!("Invalid multipart body: {e}")))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut fields = 0u64;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| Error::validation(format!("Invalid multipart body: {e}")))?
    {
        fields += 1;
        limits::check_fields(fields, limits)?;
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(|m| m.to_string());
        let bytes = field
            .bytes()
            .await
            .map_err(|e| Error::validation(format!("Invalid multipart body: {e}")))?;
        match filename {
            Some(filename) => files.push(Upload {
                field: name,
                filename,
                content_type,
                bytes,
            }),
            None => {
                form.insert(
                    name,
                    Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                );
            }
        }
    }
    Ok(())
}

/// Largest body `frappe.request.data` carries (bigger bodies show truncated).
const REQUEST_DATA_LIMIT: usize = 1 << 20;

fn request_info(
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
    client: Option<IpAddr>,
) -> RequestInfo {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let url = match query {
        Some(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_string(),
    };
    let body = &body[..body.len().min(REQUEST_DATA_LIMIT)];
    RequestInfo {
        method: method.as_str().to_string(),
        path: path.to_string(),
        url,
        host,
        headers: headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect(),
        args: query
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        body: String::from_utf8_lossy(body).into_owned(),
        remote_addr: client
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
            .to_string(),
    }
}
