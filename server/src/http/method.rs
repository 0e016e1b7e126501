//! `/api/method/<name>` and `cmd=<name>` on any path: the RPC handler (§5.1, §5.3).
//! [`METHODS`] is the whitelist — one entry per method with who may call it and how;
//! the implementations follow Frappe's `frappe.client` and friends.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method as Verb};
use axum::response::Response;
use serde_json::{Map, Value, json};
use serverscript_runtime::host::WriteFlags;

use super::AppState;
use super::auth::Identity;
use super::request::{Req, parse_json};
use super::resource::{list_query, response_doc};
use super::response::Reply;
use crate::error::{Error, Result};
use crate::model::lifecycle;
use crate::model::query::{self, Order, Query};
use crate::tx::SiteTx;

type Handler = fn(&mut SiteTx<'_>, &Req, &Identity) -> Result<Reply>;

/// A whitelisted method.
pub struct Method {
    pub name: &'static str,
    /// Callable by Guest (`allow_guest=True`).
    pub guest: bool,
    /// Allowed verbs (empty: any), as `@frappe.whitelist(methods=[...])`.
    pub verbs: &'static [&'static str],
    pub run: Handler,
}

const WRITE: &[&str] = &["POST", "PUT"];

impl Method {
    /// Whether the method writes, whatever verb it is called with: those limited to
    /// writing verbs, and the session methods (a GET login starts a session).
    pub fn writes(&self) -> bool {
        self.verbs
            .iter()
            .any(|v| matches!(*v, "POST" | "PUT" | "DELETE" | "PATCH"))
            || matches!(self.name, "login" | "logout")
    }
}

pub const METHODS: &[Method] = &[
    Method {
        name: "ping",
        guest: true,
        verbs: &[],
        run: ping,
    },
    Method {
        name: "frappe.ping",
        guest: true,
        verbs: &[],
        run: ping,
    },
    Method {
        name: "login",
        guest: true,
        verbs: &[],
        run: login,
    },
    Method {
        name: "logout",
        guest: true,
        verbs: &[],
        run: logout,
    },
    Method {
        name: "frappe.auth.get_logged_user",
        guest: false,
        verbs: &[],
        run: get_logged_user,
    },
    Method {
        name: "frappe.client.get",
        guest: false,
        verbs: &[],
        run: client_get,
    },
    Method {
        name: "frappe.client.get_list",
        guest: false,
        verbs: &[],
        run: client_get_list,
    },
    Method {
        name: "frappe.client.get_count",
        guest: false,
        verbs: &[],
        run: client_get_count,
    },
    Method {
        name: "frappe.client.get_value",
        guest: false,
        verbs: &[],
        run: client_get_value,
    },
    Method {
        name: "frappe.client.set_value",
        guest: false,
        verbs: WRITE,
        run: client_set_value,
    },
    Method {
        name: "frappe.client.insert",
        guest: false,
        verbs: WRITE,
        run: client_insert,
    },
    Method {
        name: "frappe.client.insert_many",
        guest: false,
        verbs: WRITE,
        run: client_insert_many,
    },
    Method {
        name: "frappe.client.delete",
        guest: false,
        verbs: &["POST", "DELETE"],
        run: client_delete,
    },
    Method {
        name: "frappe.client.submit",
        guest: false,
        verbs: &["POST"],
        run: client_submit,
    },
    Method {
        name: "frappe.client.cancel",
        guest: false,
        verbs: &["POST"],
        run: client_cancel,
    },
    Method {
        name: "frappe.client.rename_doc",
        guest: false,
        verbs: &["POST"],
        run: client_rename_doc,
    },
    Method {
        name: "frappe.core.doctype.user.user.generate_keys",
        guest: false,
        verbs: &["POST"],
        run: generate_keys,
    },
    Method {
        name: "serverscript.versions",
        guest: false,
        verbs: &[],
        run: script_versions,
    },
    Method {
        name: "serverscript.diff",
        guest: false,
        verbs: &[],
        run: script_diff,
    },
    Method {
        name: "upload_file",
        guest: false,
        verbs: &["POST"],
        run: super::upload::upload_file,
    },
    Method {
        name: "frappe.handler.upload_file",
        guest: false,
        verbs: &["POST"],
        run: super::upload::upload_file,
    },
];

pub fn find(name: &str) -> Option<&'static Method> {
    METHODS.iter().find(|m| m.name == name)
}

/// `ANY /api/method/<name>[/...]`: the name is the text before the first `/`.
pub async fn handle(
    State(state): State<AppState>,
    Path(path): Path<String>,
    mut req: Req,
) -> Response {
    let cmd = path.split('/').next().unwrap_or("").to_string();
    req.form.insert("cmd".into(), cmd.clone().into());
    dispatch(state, req, cmd).await
}

/// Runs a method by name: whitelist, guest and verb checks, then the handler.
pub async fn dispatch(state: AppState, req: Req, cmd: String) -> Response {
    // `ping` from a client without credentials needs no database: answer it here, off the
    // blocking pool (with credentials it goes the whole way, so bad ones still get a 401)
    if matches!(cmd.as_str(), "ping" | "frappe.ping")
        && req.header("authorization").is_none()
        && req.cookie("sid").is_none()
        && !req.form.contains_key("sid")
    {
        if let Some(refused) = super::maintenance(&state.site, true) {
            return refused;
        }
        return super::response::success(Reply::message("pong".into()), &[]);
    }
    // scripts take the write lock when they first write; whitelisted methods that write
    // take it before they start (below)
    super::run_with(state, req, super::Lock::OnDemand, move |tx, req, identity| {
        // API scripts come first (they may shadow a whitelisted name), `login` excepted
        if cmd != "login" {
            let engine = tx.site.scripts.clone();
            if let Some((response, debug_log)) = engine.run_api(tx, &cmd, &req.form, Some(req.client_ip))? {
                return Ok(script_reply(response, debug_log));
            }
        }
        let Some(m) = find(&cmd) else {
            let cause = match cmd.split_once('.') {
                Some((app, _)) => format!("No module named '{app}'"),
                None => format!("'{cmd}'"),
            };
            return Err(Error::validation(format!("Failed to get method for command {cmd} with {cause}")));
        };
        if !m.guest && tx.is_guest() {
            return Err(Error::throw_titled(
                "PermissionError",
                format!(
                    "<details><summary>You are not permitted to access this resource.</summary>Function <strong>{cmd}</strong> is not whitelisted.</details>"
                ),
                "Method Not Allowed",
            ));
        }
        if !m.verbs.is_empty() && !m.verbs.contains(&req.method.as_str()) {
            return Err(Error::permission("Not permitted"));
        }
        if req.is_write() || m.writes() {
            tx.write_lock()?;
        }
        (m.run)(tx, req, identity)
    })
    .await
}

/// An API script's `frappe.response` as the body: `http_status_code` sets the status
/// (and leaves the body); `print` output goes to `_debug_messages`.
fn script_reply(mut response: Map<String, Value>, debug_log: Vec<String>) -> Reply {
    let status = response
        .remove("http_status_code")
        .and_then(|v| v.as_u64())
        .and_then(|c| axum::http::StatusCode::from_u16(c as u16).ok());
    if !debug_log.is_empty() {
        let log = Value::Array(debug_log.into_iter().map(Value::String).collect());
        response.insert(
            "_debug_messages".into(),
            Value::String(serde_json::to_string(&log).unwrap_or_default()),
        );
    }
    let raw = super::response::special(&response);
    Reply {
        body: response,
        status,
        raw,
        ..Reply::default()
    }
}

/// Calls a whitelisted method from a script (`frappe.call`): the kwargs are its form_dict.
pub fn call_direct(m: &Method, tx: &mut SiteTx<'_>, kwargs: &Map<String, Value>) -> Result<Reply> {
    if m.writes() {
        tx.write_lock()?;
    }
    let mut form = kwargs.clone();
    form.insert("cmd".into(), m.name.into());
    let req = Req {
        method: Verb::POST,
        path: format!("/api/method/{}", m.name),
        headers: HeaderMap::new(),
        form,
        files: Vec::new(),
        request_id: String::new(),
        client_ip: tx
            .request
            .as_ref()
            .and_then(|r| r.client())
            .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into()),
        info: tx.request.clone().unwrap_or_default(),
        body_permit: None,
    };
    let identity = Identity {
        user: tx.user.clone(),
        sid: None,
    };
    (m.run)(tx, &req, &identity)
}

fn required(req: &Req, key: &str) -> Result<String> {
    req.arg(key)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::validation(format!("Missing argument: {key}")))
}

fn ping(_: &mut SiteTx<'_>, _: &Req, _: &Identity) -> Result<Reply> {
    Ok(Reply::message("pong".into()))
}

/// Cookie attributes Frappe sets beside `sid`.
fn cookie(name: &str, value: &str, max_age: Option<i64>, http_only: bool) -> String {
    let encoded = percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
        .to_string();
    let mut c = format!("{name}={encoded}; Path=/; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if http_only {
        c.push_str("; HttpOnly");
    }
    c
}

fn login(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let usr = req.arg("usr").unwrap_or_default();
    let pwd = req.arg("pwd").unwrap_or_default();
    let user = crate::auth::check_login(tx, &usr, &pwd)?;
    let hours = tx
        .site
        .config("session_expiry_hours")
        .and_then(|v| v.as_i64())
        .unwrap_or(crate::auth::SESSION_HOURS);
    let sid = crate::auth::create_session(tx, &user, hours)?;
    let (full_name, user_type, image): (Option<String>, Option<String>, Option<String>) =
        tx.db.query_row(
            "SELECT full_name, user_type, user_image FROM \"tabUser\" WHERE name = ?1",
            [&user],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
    tx.db.execute(
        "UPDATE \"tabUser\" SET last_login = ?1 WHERE name = ?2",
        [tx.now(), user.clone()],
    )?;
    let full_name = full_name.unwrap_or_else(|| user.clone());
    let system_user = user_type.as_deref() != Some("Website User");
    let age = hours * 3600;
    let mut reply = Reply::message("Logged In".into());
    reply.body.insert(
        "home_page".into(),
        if system_user { "/app" } else { "/" }.into(),
    );
    reply
        .body
        .insert("full_name".into(), full_name.clone().into());
    reply.cookies = vec![
        cookie("sid", &sid, Some(age), true),
        cookie(
            "system_user",
            if system_user { "yes" } else { "no" },
            None,
            false,
        ),
        cookie("full_name", &full_name, None, false),
        cookie("user_id", &user, None, false),
        cookie("user_image", image.as_deref().unwrap_or(""), None, false),
        cookie("user_lang", "en", None, false),
    ];
    reply.commit = true;
    Ok(reply)
}

fn logout(tx: &mut SiteTx<'_>, _: &Req, identity: &Identity) -> Result<Reply> {
    if let Some(sid) = &identity.sid {
        crate::auth::end_session(tx, sid)?;
    }
    let mut reply = Reply::message(Value::Null);
    reply.cookies = [
        "full_name",
        "user_id",
        "sid",
        "user_image",
        "user_lang",
        "system_user",
    ]
    .iter()
    .map(|n| cookie(n, "", Some(0), *n == "sid"))
    .collect();
    reply.commit = true;
    Ok(reply)
}

fn get_logged_user(tx: &mut SiteTx<'_>, _: &Req, _: &Identity) -> Result<Reply> {
    Ok(Reply::message(tx.user.clone().into()))
}

/// The name a `name`/`filters` pair points at (the first match of the filters).
fn resolve_name(tx: &mut SiteTx<'_>, req: &Req, doctype: &str) -> Result<String> {
    if let Some(name) = req.arg("name").filter(|s| !s.is_empty()) {
        return Ok(name);
    }
    let filters = req.json_arg("filters");
    if filters.is_null() {
        return Err(Error::validation("Missing argument: name or filters"));
    }
    let mut q = Query::new(doctype);
    q.filters = filters;
    q.limit = Some(1);
    q.order = Order::Default;
    let rows = query::get_list(tx, &q)?;
    rows.first()
        .and_then(|r| r.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::throw("DoesNotExistError", format!("{doctype} not found")))
}

fn client_get(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doctype = required(req, "doctype")?;
    let name = resolve_name(tx, req, &doctype)?;
    let doc = lifecycle::get(tx, &doctype, &name, true)?;
    Ok(Reply::message(response_doc(tx, &doc)?))
}

fn client_get_list(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doctype = required(req, "doctype")?;
    let q = list_query(req, &doctype)?;
    Ok(Reply::message(Value::Array(query::get_list(tx, &q)?)))
}

fn client_get_count(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doctype = required(req, "doctype")?;
    Ok(Reply::message(
        query::count(tx, &doctype, &req.json_arg("filters"), false)?.into(),
    ))
}

fn client_get_value(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doctype = required(req, "doctype")?;
    let fields =
        super::resource::fields_arg(req.form.get("fieldname").cloned().unwrap_or(Value::Null))?;
    let mut q = Query::new(&doctype);
    q.fields = fields.clone();
    q.filters = match req.json_arg("filters") {
        Value::String(s) => json!({ "name": s }),
        other => other,
    };
    q.limit = Some(1);
    q.order = Order::Default;
    let as_dict = req.flag("as_dict", true);
    q.as_dict = as_dict;
    let rows = query::get_list(tx, &q)?;
    if as_dict {
        return Ok(Reply::message(
            rows.into_iter().next().unwrap_or_else(|| json!({})),
        ));
    }
    let Some(Value::Array(row)) = rows.into_iter().next() else {
        return Ok(Reply::message(Value::Null));
    };
    Ok(Reply::message(if fields.len() > 1 {
        Value::Array(row)
    } else {
        row.into_iter().next().unwrap_or(Value::Null)
    }))
}

fn client_set_value(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doctype = required(req, "doctype")?;
    let name = required(req, "name")?;
    let values = match req.json_arg("fieldname") {
        Value::Object(m) => m,
        Value::String(f) => {
            let mut m = Map::new();
            m.insert(f, req.form.get("value").cloned().unwrap_or(Value::Null));
            m
        }
        _ => return Err(Error::validation("Missing argument: fieldname")),
    };
    let doc = lifecycle::update(tx, &doctype, &name, values, &WriteFlags::default())?;
    Ok(Reply::message(response_doc(tx, &doc)?))
}

/// A document argument: a JSON object (or a JSON string of one) with its doctype.
fn doc_arg(req: &Req, key: &str) -> Result<Map<String, Value>> {
    match req.json_arg(key) {
        Value::Object(m)
            if m.get("doctype")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.is_empty()) =>
        {
            Ok(m)
        }
        Value::Object(_) => Err(Error::validation("doctype is required")),
        _ => Err(Error::validation(format!("Missing argument: {key}"))),
    }
}

/// Inserts a document, or a child row given with `parent`/`parenttype`/`parentfield`
/// (appended to its parent, which is saved).
fn insert_one(tx: &mut SiteTx<'_>, doc: Map<String, Value>) -> Result<Map<String, Value>> {
    let doctype = doc
        .get("doctype")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let meta = tx.meta(&doctype)?;
    if meta.istable {
        let (Some(parent), Some(parenttype), Some(parentfield)) = (
            doc.get("parent")
                .and_then(Value::as_str)
                .map(str::to_string),
            doc.get("parenttype")
                .and_then(Value::as_str)
                .map(str::to_string),
            doc.get("parentfield")
                .and_then(Value::as_str)
                .map(str::to_string),
        ) else {
            return Err(Error::validation(
                "Parent is required to insert a child record",
            ));
        };
        let mut parent_doc = lifecycle::get(tx, &parenttype, &parent, false)?;
        let rows = parent_doc
            .entry(parentfield.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = rows {
            a.push(Value::Object(doc));
        }
        let saved = lifecycle::save(tx, parent_doc, &WriteFlags::default())?;
        let row = saved
            .get(&parentfield)
            .and_then(Value::as_array)
            .and_then(|a| a.last())
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        return Ok(row);
    }
    lifecycle::insert(tx, doc, &WriteFlags::default())
}

fn client_insert(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doc = doc_arg(req, "doc")?;
    let doc = insert_one(tx, doc)?;
    Ok(Reply::message(response_doc(tx, &doc)?))
}

/// At most this many documents per `insert_many` call, as Frappe.
const INSERT_MANY_MAX: usize = 200;

fn client_insert_many(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let Value::Array(docs) = req.json_arg("docs") else {
        return Err(Error::validation(
            "Missing argument: docs (a list of documents)",
        ));
    };
    if docs.len() > INSERT_MANY_MAX {
        return Err(Error::validation(format!(
            "Only {INSERT_MANY_MAX} inserts allowed in one request"
        )));
    }
    let mut names = Vec::new();
    for d in docs {
        let Value::Object(d) = parse_json(d) else {
            return Err(Error::validation("Each document must be an object"));
        };
        if !d.get("doctype").is_some_and(Value::is_string) {
            return Err(Error::validation("doctype is required"));
        }
        let doc = insert_one(tx, d)?;
        names.push(Value::String(crate::model::doc_name(&doc).to_string()));
    }
    Ok(Reply::message(Value::Array(names)))
}

fn client_delete(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doctype = required(req, "doctype")?;
    let name = required(req, "name")?;
    lifecycle::delete(tx, &doctype, &name, &WriteFlags::default(), false)?;
    Ok(Reply::message(Value::Null))
}

fn client_submit(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doc = doc_arg(req, "doc")?;
    let doc = lifecycle::submit(tx, doc, &WriteFlags::default())?;
    Ok(Reply::message(response_doc(tx, &doc)?))
}

fn client_cancel(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doctype = required(req, "doctype")?;
    let name = required(req, "name")?;
    lifecycle::cancel(tx, &doctype, &name, &WriteFlags::default())?;
    Ok(Reply::message(Value::Null))
}

fn client_rename_doc(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let doctype = required(req, "doctype")?;
    let old = required(req, "old_name")?;
    let new = required(req, "new_name")?;
    let merge = req.flag("merge", false);
    let name = lifecycle::rename(tx, &doctype, &old, &new, merge, &WriteFlags::default())?;
    Ok(Reply::message(name.into()))
}

/// `serverscript.versions?script=NAME`: the script's versions, newest first.
fn script_versions(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let script = required(req, "script")?;
    Ok(Reply::message(crate::scripts::versions::list(tx, &script)?))
}

/// `serverscript.diff?script=NAME[&from=V1][&to=V2]`: the unified diff between versions.
fn script_diff(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let script = required(req, "script")?;
    let from = req.arg("from").filter(|s| !s.is_empty());
    let to = req.arg("to").filter(|s| !s.is_empty());
    Ok(Reply::message(crate::scripts::versions::diff(
        tx,
        &script,
        from.as_deref(),
        to.as_deref(),
    )?))
}

fn generate_keys(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    if !tx.is_administrator() && !tx.roles()?.iter().any(|r| r == "System Manager") {
        return Err(Error::permission(
            "Not permitted: only a System Manager may generate API keys",
        ));
    }
    let user = required(req, "user")?;
    let (key, secret) = crate::auth::generate_keys(tx, &user)?;
    Ok(Reply::message(
        json!({ "api_key": key, "api_secret": secret }),
    ))
}
