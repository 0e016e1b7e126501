//! A request as the handlers see it: verb, path, headers, cookies and `form_dict`, built
//! as Frappe builds it (§5.2) before authentication:
//! 1. a non-empty JSON body (`Content-Type: application/json`) alone is the form_dict
//!    (an object; an array becomes `{"data": [...]}`);
//! 2. otherwise the query string updated with urlencoded or multipart form fields
//!    (values are strings; uploaded files are kept aside for `upload_file`);
//! 3. the key `_` (jQuery's cache buster) is dropped.

use std::sync::{Arc, OnceLock};

use axum::http::{HeaderMap, Method};
use bytes::Bytes;
use serde_json::{Map, Value};
use serverscript_runtime::ctx::RequestInfo;

use crate::error::{Error, Result};

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
    /// What scripts see as `frappe.request` (built only if a script runs).
    pub info: Arc<RequestSource>,
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
                ))
            })
            .clone()
    }
}

impl Req {
    pub async fn read(
        method: Method,
        path: String,
        query: Option<&str>,
        headers: HeaderMap,
        body: Bytes,
    ) -> Result<Req> {
        let info = Arc::new(RequestSource {
            method: method.clone(),
            path: path.clone(),
            query: query.map(str::to_string),
            headers: headers.clone(),
            body: body.clone(),
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
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(m)) => form = m,
                Ok(Value::Array(a)) => {
                    form.insert("data".into(), Value::Array(a));
                }
                _ => return Err(Error::validation("Invalid request arguments")),
            }
        } else {
            if let Some(q) = query {
                for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                    form.insert(k.into_owned(), Value::String(v.into_owned()));
                }
            }
            if content_type.starts_with("application/x-www-form-urlencoded") {
                for (k, v) in form_urlencoded::parse(&body) {
                    form.insert(k.into_owned(), Value::String(v.into_owned()));
                }
            } else if content_type.starts_with("multipart/form-data") {
                read_multipart(&raw_content_type, body, &mut form, &mut files).await?;
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
            info,
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

/// A string holding JSON is parsed; anything else is returned as is.
pub fn parse_json(v: Value) -> Value {
    match v {
        Value::String(s) => match serde_json::from_str::<Value>(&s) {
            Ok(parsed) => parsed,
            Err(_) => Value::String(s),
        },
        v => v,
    }
}

async fn read_multipart(
    content_type: &str,
    body: Bytes,
    form: &mut Map<String, Value>,
    files: &mut Vec<Upload>,
) -> Result<()> {
    let boundary = multer::parse_boundary(content_type)
        .map_err(|e| Error::validation(format!("Invalid multipart body: {e}")))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut mp = multer::Multipart::new(stream, boundary);
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| Error::validation(format!("Invalid multipart body: {e}")))?
    {
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
        remote_addr: headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| "127.0.0.1".into()),
    }
}
