//! The website and URL helpers: `frappe.website.abs_url`/`extract_title`,
//! `frappe.get_hooks`, `get_user_info_for_avatar`, the UTM tracker helpers
//! (`add_trackers_to_url`, `parse_and_map_trackers_from_url`, `map_trackers`), and the
//! HTML URL rewriters (`expand_relative_urls`, `scrub_urls`, `quote_urls`). Semantics
//! follow `frappe/utils/data.py`, `frappe/website/utils.py` and `frappe/__init__.py`
//! (read, not copied); URLs are split and joined as CPython's `urllib.parse` does.
//! `md_to_html`/`markdown`, `to_markdown` and `frappe.sanitize_html` are here too; their
//! converters are in [`markup`](super::markup).

use super::args::parse;
use super::{Builtin, b, text};
use crate::ctx::{Ctx, PyResult};
use crate::host::{Json, JsonMap, ListQuery};
use crate::object::{dict, exc, str as pystr};
use crate::ops::call::Kwargs;
use crate::ops::{self, repr as pyrepr, truthy};
use crate::value::{Val, Value};

pub static TABLE: &[Builtin] = &[
    b("frappe.website.abs_url", abs_url),
    b("frappe.website.extract_title", extract_title),
    b("frappe.get_hooks", get_hooks),
    b(
        "frappe.utils.get_user_info_for_avatar",
        get_user_info_for_avatar,
    ),
    b("frappe.utils.add_trackers_to_url", add_trackers_to_url),
    b(
        "frappe.utils.parse_and_map_trackers_from_url",
        parse_and_map_trackers_from_url,
    ),
    b("frappe.utils.map_trackers", map_trackers),
    b("frappe.utils.expand_relative_urls", expand_relative_urls),
    b("frappe.utils.scrub_urls", expand_relative_urls),
    b("frappe.utils.quote_urls", quote_urls),
    b("frappe.utils.md_to_html", md_to_html),
    b("frappe.utils.markdown", md_to_html),
    b("frappe.utils.to_markdown", to_markdown),
    b("frappe.sanitize_html", sanitize_html),
];

/// A dict (not a `_dict`) of string keys, in order.
pub(crate) fn plain_dict(ctx: &mut Ctx, entries: Vec<(&str, Val)>) -> PyResult {
    let d = dict::new_empty(false);
    for (k, v) in entries {
        let key = ops::compare::hkey(ctx, pystr::new(k).v())?;
        dict::insert(d.v(), key, v);
    }
    Ok(d)
}

/// `value.method(...)` on something that is not a str: the AttributeError Python gives.
fn no_attr(ctx: &mut Ctx, v: Value, attr: &str) -> crate::ctx::Raised {
    ctx.attribute_error(format!(
        "'{}' object has no attribute '{attr}'",
        ops::type_name(v)
    ))
}

/// Python's `str.isspace` for one character (what `\s` matches in a str pattern).
pub(crate) fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

// ---------------------------------------------------------------------- website

/// `frappe.website.abs_url(path)`: None for a falsy path; `http(s)://`, `tel:` and
/// `data:` URLs as they are; anything else made root-relative (a leading `/`).
pub fn abs_url(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [path] = parse(ctx, "abs_url", ["path"], 1, a, k)?;
    let path = path.unwrap();
    if !truthy(path) {
        return Ok(Val::NONE);
    }
    let Some(s) = pystr::as_str(path) else {
        return Err(no_attr(ctx, path, "startswith"));
    };
    if ["http://", "https://", "tel:", "data:", "/"]
        .iter()
        .any(|p| s.starts_with(p))
    {
        return Ok(Val::new_ref(path));
    }
    Ok(pystr::new(format!("/{s}")))
}

/// The text of the first `<!-- {tag}:… -->` comment (Frappe's `extract_comment_tag`:
/// the pattern `<!-- tag:([^>]*) -->`), stripped.
fn comment_tag(source: &str, tag: &str) -> Option<String> {
    let open = format!("<!-- {tag}:");
    let mut from = 0;
    while let Some(p) = source[from..].find(&open) {
        let start = from + p + open.len();
        // the group cannot cross a '>', and the closing " -->" ends at the first one
        if let Some(gt) = source[start..].find('>') {
            let body = &source[start..start + gt];
            if let Some(inner) = body.strip_suffix(" --") {
                return Some(inner.trim_matches(py_space).to_string());
            }
        }
        from = from + p + 1;
    }
    None
}

/// `frappe.website.extract_title(source, path)`: the `<!-- title: … -->` comment, else
/// the text after the first `<h1>` (Frappe keeps the `<h1>` itself in it: it takes the
/// whole match of `<h1>([^<]*)`, stripped, at most 300 characters, unless it holds
/// `{{`), else a title made from the path: the part before its first `.`, its last
/// segment, `_` and `-` as spaces, title-cased.
pub fn extract_title(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [source, path] = parse(ctx, "extract_title", ["source", "path"], 2, a, k)?;
    let (source, path) = (source.unwrap(), path.unwrap());
    let Some(src) = pystr::as_str(source) else {
        return Err(ctx.type_error(format!(
            "expected string or bytes-like object, got '{}'",
            ops::type_name(source)
        )));
    };
    let mut title = comment_tag(src, "title").unwrap_or_default();
    if title.is_empty()
        && let Some(p) = src.find("<h1>")
    {
        let rest = &src[p..];
        let end = rest[4..].find('<').map_or(rest.len(), |e| e + 4);
        let content: String = rest[..end]
            .trim_matches(py_space)
            .chars()
            .take(300)
            .collect();
        if !content.contains("{{") {
            title = content;
        }
    }
    if title.is_empty() {
        let Some(p) = pystr::as_str(path) else {
            return Err(no_attr(ctx, path, "rsplit"));
        };
        let stem = p.split('.').next().unwrap_or("").trim_end_matches('/');
        let base = stem.rsplit('/').next().unwrap_or(stem);
        let spaced = pystr::new(base.replace(['_', '-'], " "));
        let titled = crate::methods::call_method(ctx, spaced.v(), "title", &[], &[])?;
        title = pystr::as_str(titled.v()).unwrap_or("").to_string();
    }
    Ok(pystr::new(title))
}

/// `frappe.get_hooks(hook=None, default="_KEEP_DEFAULT_LIST", app_name=None)`: the
/// hooks of the site's apps. This site has no apps, so every hook is absent: no hook
/// name gives an empty `_dict` (Frappe's shape for all hooks), a hook name gives
/// `default` when one is passed and `[]` otherwise (always a fresh object, as the
/// sandbox's deep copy). Naming an app fails as importing its `hooks` module does.
pub fn get_hooks(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [hook, default, app_name] =
        parse(ctx, "get_hooks", ["hook", "default", "app_name"], 0, a, k)?;
    if let Some(app) = app_name.filter(|v| truthy(*v)) {
        let app = pyrepr::to_str(ctx, app)?;
        let top = app.split('.').next().unwrap_or("").to_string();
        let class = exc::class_id("ModuleNotFoundError").expect("ModuleNotFoundError");
        return Err(ctx.raise_new(class, format!("No module named '{top}'")));
    }
    if !hook.is_some_and(truthy) {
        return Ok(dict::new_empty(true));
    }
    match default {
        Some(d) if pystr::as_str(d) != Some("_KEEP_DEFAULT_LIST") => Ok(Val::new_ref(d)),
        _ => Ok(crate::object::list::new(Vec::new())),
    }
}

/// `get_user_info_for_avatar(user_id) -> dict`: `{"email", "image", "name"}` from the
/// User document (its `email`, `user_image` and `full_name`), or
/// `{"email": user_id, "image": "", "name": user_id}` when there is no such user.
/// User names match exactly (MariaDB would also match them ignoring case).
pub fn get_user_info_for_avatar(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [user] = parse(ctx, "get_user_info_for_avatar", ["user_id"], 1, a, k)?;
    let user = user.unwrap();
    let name = if user.is_none() {
        None
    } else {
        Some(pyrepr::to_str(ctx, user)?)
    };
    let row = match &name {
        Some(n) => {
            let mut q = ListQuery::new("User");
            q.fields = ["email", "user_image", "full_name"]
                .map(String::from)
                .to_vec();
            q.filters = Json::Object(JsonMap::from_iter([(
                "name".to_string(),
                Json::String(n.clone()),
            )]));
            q.limit = Some(1);
            let rows =
                ctx.host_call("frappe.utils.get_user_info_for_avatar", |h| h.get_list(&q))?;
            rows.into_iter().next()
        }
        None => {
            // the site is still needed, as for every other user
            ctx.host_call("frappe.utils.get_user_info_for_avatar", |_| Ok(()))?;
            None
        }
    };
    let field = |row: &JsonMap, f: &str| {
        ops::convert::from_json(
            row.get(f).unwrap_or(&Json::Null),
            ops::convert::JsonObjects::Dict,
        )
    };
    let entries = match row {
        Some(r) => vec![
            ("email", field(&r, "email")),
            ("image", field(&r, "user_image")),
            ("name", field(&r, "full_name")),
        ],
        None => vec![
            ("email", Val::new_ref(user)),
            ("image", pystr::new("")),
            ("name", Val::new_ref(user)),
        ],
    };
    plain_dict(ctx, entries)
}

// ---------------------------------------------------------------------- urllib.parse

/// `urllib.parse.urlparse`'s six parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedUrl {
    pub scheme: String,
    pub netloc: String,
    pub path: String,
    pub params: String,
    pub query: String,
    pub fragment: String,
}

const USES_NETLOC: &[&str] = &[
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
    "snews", "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git",
    "git+ssh", "ws", "wss",
];
const USES_PARAMS: &[&str] = &[
    "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu",
    "sip", "sips", "mms", "sftp", "tel",
];

/// CPython 3.11's `urlparse(url)` (the bracket check of IPv6 hosts included; the
/// NFKC check of non-ASCII hosts is not). `Err` is the ValueError message.
pub fn urlparse(url: &str) -> Result<ParsedUrl, String> {
    let mut url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut out = ParsedUrl::default();
    if let Some(i) = url.find(':')
        && i > 0
        && url.as_bytes()[0].is_ascii_alphabetic()
        && url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        out.scheme = url[..i].to_ascii_lowercase();
        url = url[i + 1..].to_string();
    }
    if url.starts_with("//") {
        let end = url[2..].find(['/', '?', '#']).map_or(url.len(), |e| e + 2);
        out.netloc = url[2..end].to_string();
        url = url[end..].to_string();
        let (open, close) = (out.netloc.contains('['), out.netloc.contains(']'));
        if open != close {
            return Err("Invalid IPv6 URL".into());
        }
        if open {
            let host = out
                .netloc
                .split_once('[')
                .map(|(_, h)| h.split(']').next().unwrap_or(""))
                .unwrap_or("");
            check_bracketed_host(host)?;
        }
    }
    if let Some((u, f)) = url.split_once('#') {
        out.fragment = f.to_string();
        url = u.to_string();
    }
    if let Some((u, q)) = url.split_once('?') {
        out.query = q.to_string();
        url = u.to_string();
    }
    if USES_PARAMS.contains(&out.scheme.as_str()) && url.contains(';') {
        let i = match url.rfind('/') {
            Some(slash) => url[slash..].find(';').map(|i| i + slash),
            None => url.find(';'),
        };
        if let Some(i) = i {
            out.params = url[i + 1..].to_string();
            url.truncate(i);
        }
    }
    out.path = url;
    Ok(out)
}

fn check_bracketed_host(host: &str) -> Result<(), String> {
    if let Some(rest) = host.strip_prefix(['v', 'V']) {
        // IPvFuture: v<hex>.<unreserved / sub-delims / ":">
        let ok = rest.split_once('.').is_some_and(|(hex, tail)| {
            !hex.is_empty()
                && hex.chars().all(|c| c.is_ascii_hexdigit())
                && !tail.is_empty()
                && tail
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:".contains(c))
        });
        return if ok {
            Ok(())
        } else {
            Err("IPvFuture address is invalid".into())
        };
    }
    if host.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok(());
    }
    if host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err("An IPv4 address cannot be in brackets".into());
    }
    Err(format!(
        "'{host}' does not appear to be an IPv4 or IPv6 address"
    ))
}

/// CPython 3.11's `urlunparse(parts)`.
pub fn urlunparse(p: &ParsedUrl) -> String {
    let mut url = p.path.clone();
    if !p.params.is_empty() {
        url = format!("{url};{}", p.params);
    }
    if !p.netloc.is_empty()
        || (!p.scheme.is_empty()
            && USES_NETLOC.contains(&p.scheme.as_str())
            && !url.starts_with("//"))
    {
        if !url.is_empty() && !url.starts_with('/') {
            url.insert(0, '/');
        }
        url = format!("//{}{url}", p.netloc);
    }
    if !p.scheme.is_empty() {
        url = format!("{}:{url}", p.scheme);
    }
    if !p.query.is_empty() {
        url = format!("{url}?{}", p.query);
    }
    if !p.fragment.is_empty() {
        url = format!("{url}#{}", p.fragment);
    }
    url
}

/// `urllib.parse.unquote(s)` (UTF-8, invalid bytes replaced): `%XX` escapes inside
/// ASCII runs decoded, other characters kept.
pub fn unquote(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let ascii_len = rest.find(|c: char| !c.is_ascii()).unwrap_or(rest.len());
        let (ascii, tail) = rest.split_at(ascii_len);
        let bytes = ascii.as_bytes();
        let mut buf = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%'
                && i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit()
            {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                buf.push(u8::from_str_radix(hex, 16).unwrap_or(0));
                i += 3;
            } else {
                buf.push(bytes[i]);
                i += 1;
            }
        }
        out.push_str(&String::from_utf8_lossy(&buf));
        let other_len = tail.find(|c: char| c.is_ascii()).unwrap_or(tail.len());
        out.push_str(&tail[..other_len]);
        rest = &tail[other_len..];
    }
    out
}

/// `urllib.parse.parse_qsl(qs)`: `&`-separated pairs, `+` as space, blank values and
/// pairs without `=` dropped.
pub fn parse_qsl(qs: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for pair in qs.split('&') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        out.push((
            unquote(&name.replace('+', " ")),
            unquote(&value.replace('+', " ")),
        ));
    }
    out
}

fn parse_url_arg(ctx: &mut Ctx, v: Value) -> PyResult<(String, ParsedUrl)> {
    let Some(s) = pystr::as_str(v) else {
        return Err(no_attr(ctx, v, "decode"));
    };
    match urlparse(s) {
        Ok(p) => Ok((s.to_string(), p)),
        Err(m) => Err(ctx.value_error(m)),
    }
}

// ---------------------------------------------------------------------- trackers

/// The first `field` of a `doctype` row matching `filters`, or None. The UTM DocTypes
/// Frappe ships are not in this site: a site without them (or no site at all) answers
/// as a Frappe site with no UTM records does.
fn utm_value(ctx: &mut Ctx, doctype: &str, filters: Json, field: &str) -> PyResult {
    if !ctx.has_host() {
        return Ok(Val::NONE);
    }
    let mut q = ListQuery::new(doctype);
    q.fields = vec![field.to_string()];
    q.filters = filters;
    q.limit = Some(1);
    let missing = format!("DocType {doctype} not found");
    let rows = ctx.host_call("frappe.db.get_value", |h| match h.get_list(&q) {
        Err(e) if e.exc_type == "DoesNotExistError" && e.message == missing => Ok(Vec::new()),
        r => r,
    })?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|r| r.get(field).cloned())
        .map(|v| ops::convert::from_json(&v, ops::convert::JsonObjects::Dict))
        .unwrap_or(Val::NONE))
}

/// `frappe.db.get_value(doctype, name, field) or name`.
fn utm_by_name(ctx: &mut Ctx, doctype: &str, name: Value, field: &str) -> PyResult {
    let filters = if name.is_none() {
        Json::Null
    } else if pystr::as_str(name).is_some() {
        Json::Object(JsonMap::from_iter([(
            "name".to_string(),
            ops::convert::to_json(ctx, name)?,
        )]))
    } else {
        ops::convert::to_json(ctx, name)?
    };
    let v = utm_value(ctx, doctype, filters, field)?;
    Ok(if truthy(v.v()) { v } else { Val::new_ref(name) })
}

/// `add_trackers_to_url(url, source, campaign=None, medium=None, content=None) -> str`:
/// the URL with `utm_source` (and `utm_medium`, `utm_campaign`, `utm_content` when
/// given) set in its query, the source, campaign and medium replaced by their UTM
/// record's `slug` when there is one; other query pairs kept (blank ones dropped) and
/// the query re-encoded (`quote_plus`). `mailto:` URLs come back unchanged. Frappe
/// caches the slugs; this reads them on every call.
pub fn add_trackers_to_url(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [url, source, campaign, medium, content] = parse(
        ctx,
        "add_trackers_to_url",
        ["url", "source", "campaign", "medium", "content"],
        2,
        a,
        k,
    )?;
    let url = url.unwrap();
    let (_, mut parts) = parse_url_arg(ctx, url)?;
    if parts.scheme == "mailto" {
        return Ok(Val::new_ref(url));
    }
    let source = utm_by_name(ctx, "UTM Source", source.unwrap(), "slug")?;
    let campaign = utm_by_name(ctx, "UTM Campaign", campaign.unwrap_or(Value::NONE), "slug")?;
    let medium = utm_by_name(ctx, "UTM Medium", medium.unwrap_or(Value::NONE), "slug")?;
    let content = content.unwrap_or(Value::NONE);
    let mut trackers: Vec<(&str, Value)> = vec![("utm_source", source.v())];
    if truthy(medium.v()) {
        trackers.push(("utm_medium", medium.v()));
    }
    if truthy(campaign.v()) {
        trackers.push(("utm_campaign", campaign.v()));
    }
    if truthy(content) {
        trackers.push(("utm_content", content));
    }
    // dict(parse_qsl(query)) | trackers: later pairs win, first positions stay
    let mut query: Vec<(String, String)> = Vec::new();
    let set = |query: &mut Vec<(String, String)>, k: String, v: String| match query
        .iter_mut()
        .find(|(x, _)| *x == k)
    {
        Some(slot) => slot.1 = v,
        None => query.push((k, v)),
    };
    for (k, v) in parse_qsl(&parts.query) {
        set(&mut query, k, v);
    }
    for (k, v) in trackers {
        let v = pyrepr::to_str(ctx, v)?;
        set(&mut query, k.to_string(), v);
    }
    parts.query = query
        .iter()
        .map(|(k, v)| format!("{}={}", text::quote_plus(k), text::quote_plus(v)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(pystr::new(urlunparse(&parts)))
}

/// `parse_and_map_trackers_from_url(url, create=False) -> dict`: `map_trackers` of the
/// URL's query pairs.
pub fn parse_and_map_trackers_from_url(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [url, create] = parse(
        ctx,
        "parse_and_map_trackers_from_url",
        ["url", "create"],
        1,
        a,
        k,
    )?;
    let (_, parts) = parse_url_arg(ctx, url.unwrap())?;
    let mut pairs: Vec<(String, Val)> = Vec::new();
    for (k, v) in parse_qsl(&parts.query) {
        match pairs.iter_mut().find(|(x, _)| *x == k) {
            Some(slot) => slot.1 = pystr::new(v),
            None => pairs.push((k, pystr::new(v))),
        }
    }
    let d = plain_dict(
        ctx,
        pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect(),
    )?;
    map_trackers_of(ctx, d.v(), create.unwrap_or(Value::FALSE))
}

/// `map_trackers(url_trackers, create=False) -> dict`: `utm_source`, `utm_medium` and
/// `utm_campaign` (each also read from `source`, `medium`, `campaign`) as the name of
/// the UTM record whose slug matches, else as given; `utm_content` as given. Creating
/// missing records (`create=True`) needs the UTM DocTypes, which this site does not
/// ship: it raises NotImplementedError.
pub fn map_trackers(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [trackers, create] = parse(ctx, "map_trackers", ["url_trackers", "create"], 1, a, k)?;
    map_trackers_of(ctx, trackers.unwrap(), create.unwrap_or(Value::FALSE))
}

fn map_trackers_of(ctx: &mut Ctx, trackers: Value, create: Value) -> PyResult {
    let Some(d) = dict::get(trackers) else {
        return Err(no_attr(ctx, trackers, "get"));
    };
    let get = |key: &str, alt: &str| {
        d.get_str(key)
            .or_else(|| d.get_str(alt))
            .unwrap_or(Val::NONE)
    };
    let mut out: Vec<(&str, Val)> = Vec::new();
    for (key, alt, doctype) in [
        ("utm_source", "source", "UTM Source"),
        ("utm_medium", "medium", "UTM Medium"),
        ("utm_campaign", "campaign", "UTM Campaign"),
    ] {
        let given = get(key, alt);
        if !truthy(given.v()) {
            continue;
        }
        let Some(s) = pystr::as_str(given.v()) else {
            return Err(no_attr(ctx, given.v(), "lower"));
        };
        let slug = s.to_lowercase().replace(' ', "-");
        let filters = Json::Object(JsonMap::from_iter([(
            "slug".to_string(),
            Json::String(slug),
        )]));
        let found = utm_value(ctx, doctype, filters, "name")?;
        if truthy(found.v()) {
            out.push((key, found));
            continue;
        }
        if truthy(create) {
            return Err(ctx.raise_new(
                *exc::ids::NOT_IMPLEMENTED_ERROR,
                format!(
                    "map_trackers(create=True) would create a {doctype}; this site has no UTM DocTypes"
                ),
            ));
        }
        out.push((key, given));
    }
    let content = get("utm_content", "content");
    if truthy(content.v()) {
        out.push(("utm_content", content));
    }
    plain_dict(ctx, out)
}

// ---------------------------------------------------------------------- HTML URLs

/// One match of Frappe's `(href|src)([\s]*=[\s]*['"]?)(URL)(['"]?)` patterns at `i`:
/// the four groups as char ranges. `http` picks the URL group: `http[^'">]+` (quote_urls)
/// or `(?!http)[^'" >]+` (the relative ones). The backtracking of the regex is kept:
/// when the greedy whitespace or quote leaves no URL, shorter ones are tried.
fn tag_url_match(c: &[char], i: usize, http: bool) -> Option<[(usize, usize); 4]> {
    let name_len = if c[i..].starts_with(&['h', 'r', 'e', 'f']) {
        4
    } else if c[i..].starts_with(&['s', 'r', 'c']) {
        3
    } else {
        return None;
    };
    let g2 = i + name_len;
    let mut p = g2;
    while p < c.len() && py_space(c[p]) {
        p += 1;
    }
    if c.get(p) != Some(&'=') {
        return None;
    }
    let after_eq = p + 1;
    let mut ws_end = after_eq;
    while ws_end < c.len() && py_space(c[ws_end]) {
        ws_end += 1;
    }
    for ws in (after_eq..=ws_end).rev() {
        let quoted = matches!(c.get(ws), Some('\'' | '"'));
        for take_quote in [true, false] {
            if take_quote && !quoted {
                continue;
            }
            let s = if take_quote { ws + 1 } else { ws };
            let starts_http = c[s..].starts_with(&['h', 't', 't', 'p']);
            let e = if http {
                if !starts_http {
                    continue;
                }
                let mut e = s + 4;
                while e < c.len() && !matches!(c[e], '\'' | '"' | '>') {
                    e += 1;
                }
                if e == s + 4 {
                    continue;
                }
                e
            } else {
                if starts_http {
                    continue;
                }
                let mut e = s;
                while e < c.len() && !matches!(c[e], '\'' | '"' | ' ' | '>') {
                    e += 1;
                }
                if e == s {
                    continue;
                }
                e
            };
            let g4_end = if matches!(c.get(e), Some('\'' | '"')) {
                e + 1
            } else {
                e
            };
            return Some([(i, g2), (g2, s), (s, e), (e, g4_end)]);
        }
    }
    None
}

/// One match of `(:[\s]?url)(\(['"]?)((?!http)[^'" >]+)(['"]?\))` at `i`.
fn css_url_match(c: &[char], i: usize) -> Option<[(usize, usize); 4]> {
    if c[i] != ':' {
        return None;
    }
    let mut p = i + 1;
    if c.get(p).is_some_and(|x| py_space(*x)) && c[p + 1..].starts_with(&['u', 'r', 'l']) {
        p += 1;
    }
    if !c[p..].starts_with(&['u', 'r', 'l', '(']) {
        return None;
    }
    let g2 = p + 3;
    let mut s = g2 + 1;
    if matches!(c.get(s), Some('\'' | '"')) {
        s += 1;
    }
    if c[s..].starts_with(&['h', 't', 't', 'p']) {
        return None;
    }
    let mut greedy = s;
    while greedy < c.len() && !matches!(c[greedy], '\'' | '"' | ' ' | '>') {
        greedy += 1;
    }
    for e in (s + 1..=greedy).rev() {
        let close = match (c.get(e), c.get(e + 1)) {
            (Some('\'' | '"'), Some(')')) => Some(e + 2),
            (Some(')'), _) => Some(e + 1),
            _ => None,
        };
        if let Some(end) = close {
            return Some([(i, g2), (g2, s), (s, e), (e, end)]);
        }
    }
    None
}

/// `re.sub` of one of the patterns above: `replace` gets the four groups.
fn sub_url_groups(
    text: &str,
    find: impl Fn(&[char], usize) -> Option<[(usize, usize); 4]>,
    mut replace: impl FnMut([String; 4]) -> String,
) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        match find(&c, i) {
            Some(groups) => {
                let g = groups.map(|(s, e)| c[s..e].iter().collect::<String>());
                out.push_str(&replace(g));
                i = groups[3].1;
            }
            None => {
                out.push(c[i]);
                i += 1;
            }
        }
    }
    out
}

fn text_arg(ctx: &mut Ctx, fname: &str, v: Value) -> PyResult<String> {
    match pystr::as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => Err(ctx.type_error(format!(
            "{fname}(): expected string or bytes-like object, got '{}'",
            ops::type_name(v)
        ))),
    }
}

/// `expand_relative_urls(html) -> str` (and `scrub_urls`, its alias): relative
/// `href=`/`src=` URLs and CSS `url(…)`s prefixed with the site's address
/// (`get_url()` without a trailing `/`; a missing leading `/` added), `mailto`, `data:`
/// and `tel:` ones left alone; every CSS `url(…)` gets ` !important` after it (Frappe's
/// workaround for wkhtmltopdf). Matching follows Frappe's regular expressions exactly,
/// including what they catch by accident (`data-src=`, text such as `href=x`).
pub fn expand_relative_urls(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [html] = parse(ctx, "expand_relative_urls", ["html"], 1, a, k)?;
    let html = text_arg(ctx, "expand_relative_urls", html.unwrap())?;
    let site = text::get_url(ctx, &[], &[])?;
    let mut site = pystr::as_str(site.v()).unwrap_or("").to_string();
    if site.ends_with('/') {
        site.pop();
    }
    let expand = |g: [String; 4]| {
        let [g1, g2, mut g3, g4] = g;
        let mut parts = vec![g1, g2];
        if !["mailto", "data:", "tel:"]
            .iter()
            .any(|p| g3.starts_with(p))
        {
            if !g3.starts_with('/') {
                g3.insert(0, '/');
            }
            parts.push(site.clone());
        }
        let important = parts[0].contains("url") && parts[1].starts_with('(') && g4.ends_with(')');
        parts.push(g3);
        parts.push(g4);
        if important {
            parts.push(" !important".into());
        }
        parts.concat()
    };
    let html = sub_url_groups(&html, |c, i| tag_url_match(c, i, false), expand);
    let html = sub_url_groups(&html, css_url_match, expand);
    ctx.check_str_len(html.len())?;
    Ok(pystr::new(html))
}

/// `quote_urls(html) -> str`: the absolute (`http…`) URLs of `href=`/`src=` attributes
/// percent-encoded as `quoted` does (spaces and non-ASCII; `%` itself too).
pub fn quote_urls(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [html] = parse(ctx, "quote_urls", ["html"], 1, a, k)?;
    let html = text_arg(ctx, "quote_urls", html.unwrap())?;
    let out = sub_url_groups(
        &html,
        |c, i| tag_url_match(c, i, true),
        |[g1, g2, g3, g4]| format!("{g1}{g2}{}{g4}", text::quote(&g3)),
    );
    ctx.check_str_len(out.len())?;
    Ok(pystr::new(out))
}

// ---------------------------------------------------------------------- Markdown, HTML

/// Markup nested deeper than the converters follow (Frappe's Python ones stop with a
/// RecursionError too, somewhat deeper).
fn too_deep(ctx: &mut Ctx) -> crate::ctx::Raised {
    ctx.raise_new(
        *exc::ids::RECURSION_ERROR,
        format!(
            "maximum recursion depth exceeded: markup nested more than {} levels",
            super::markup::html::MAX_DEPTH
        ),
    )
}

/// `md_to_html(markdown_text)` (and `markdown`, its alias): Markdown as HTML in the
/// layout markdown2 gives with Frappe's extras; None or "" give `<p></p>\n`. See
/// [`markup::md_to_html`](super::markup::md_to_html) for where the parsing differs.
pub fn md_to_html(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [text] = parse(ctx, "md_to_html", ["markdown_text"], 1, a, k)?;
    let text = text.unwrap();
    let source = if truthy(text) {
        text_arg(ctx, "md_to_html", text)?
    } else {
        String::new()
    };
    ctx.consume(source.len() / 16)?;
    let html = super::markup::md_to_html(&source).map_err(|_| too_deep(ctx))?;
    ctx.check_str_len(html.len())?;
    Ok(pystr::new(html))
}

/// `to_markdown(html)`: HTML as Markdown, by markdownify's rules with Frappe's options
/// (`#` headings, paragraphs wrapped at 80 columns); None or "" give "".
pub fn to_markdown(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [html] = parse(ctx, "to_markdown", ["html"], 1, a, k)?;
    let html = html.unwrap();
    let source = if truthy(html) {
        text_arg(ctx, "to_markdown", html)?
    } else {
        String::new()
    };
    ctx.consume(source.len() / 16)?;
    let md = super::markup::to_markdown::to_markdown(&source).map_err(|_| too_deep(ctx))?;
    ctx.check_str_len(md.len())?;
    Ok(pystr::new(md))
}

/// `frappe.sanitize_html(html, linkify=False, always_sanitize=False)`: HTML safe to
/// store and show (non-strings come back unchanged). See
/// [`markup::sanitize_html`](super::markup::sanitize_html) for the rules and where
/// they differ from Frappe's bleach.
pub fn sanitize_html(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [html, _linkify, always] = parse(
        ctx,
        "sanitize_html",
        ["html", "linkify", "always_sanitize"],
        1,
        a,
        k,
    )?;
    let html = html.unwrap();
    let Some(s) = pystr::as_str(html) else {
        return Ok(Val::new_ref(html));
    };
    ctx.consume(s.len() / 16)?;
    let out =
        super::markup::sanitize_html(s, always.is_some_and(truthy)).map_err(|_| too_deep(ctx))?;
    ctx.check_str_len(out.len())?;
    Ok(pystr::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(u: &str) -> (String, String, String, String, String, String) {
        let p = urlparse(u).unwrap();
        (p.scheme, p.netloc, p.path, p.params, p.query, p.fragment)
    }

    #[test]
    fn urls_split_and_join_as_urllib_does() {
        let s = |x: &str| x.to_string();
        assert_eq!(
            parts("HTTP://a.com/p;x?q=1#f"),
            (s("http"), s("a.com"), s("/p"), s("x"), s("q=1"), s("f"))
        );
        assert_eq!(
            urlunparse(&urlparse("http://a.com/x?").unwrap()),
            "http://a.com/x"
        );
        assert_eq!(urlunparse(&urlparse("http:path").unwrap()), "http:///path");
        assert_eq!(urlunparse(&urlparse("/only/path").unwrap()), "/only/path");
        assert_eq!(
            urlunparse(&urlparse("mailto:a@b.c").unwrap()),
            "mailto:a@b.c"
        );
        assert!(urlparse("http://[::1/").is_err());
    }

    #[test]
    fn query_pairs_parse_as_parse_qsl() {
        assert_eq!(
            parse_qsl("a=1&b=&c&d=x+y%20z&&e=%C3%A9%zz"),
            [
                ("a".into(), "1".into()),
                ("d".into(), "x y z".into()),
                ("e".into(), "é%zz".into())
            ]
        );
        assert_eq!(unquote("%E2%82"), "\u{fffd}");
        assert_eq!(text::quote_plus("a b/é~"), "a+b%2F%C3%A9~");
    }

    #[test]
    fn relative_url_patterns_backtrack_like_the_regex() {
        let c: Vec<char> = "href=\nhttp://x".chars().collect();
        let m = tag_url_match(&c, 0, false).unwrap();
        assert_eq!(m[2], (5, c.len()));
        let c: Vec<char> = ":url(/a.png); x".chars().collect();
        let m = css_url_match(&c, 0).unwrap();
        assert_eq!(c[m[2].0..m[2].1].iter().collect::<String>(), "/a.png");
    }
}
