//! Smaller `frappe.*` helpers: system settings and defaults (`frappe.get_system_settings`,
//! `frappe.db.get_default`), filter helpers (`make_filter_tuple`, `make_filter_dict`),
//! `is_subset`, `is_image`, `sha256_hash`, `url_contains_port`,
//! `get_host_name_from_request`, `get_url_to_report_with_filters`, `parse_val`.

use sha2::Digest;

use super::args::parse;
use super::{Builtin, b};
use crate::ctx::{Ctx, PyResult};
use crate::object::{date, list, str as pystr, tuple};
use crate::ops::call::Kwargs;
use crate::ops::{self, iter, repr as pyrepr};
use crate::value::{Val, Value};

pub static TABLE: &[Builtin] = &[
    b("frappe.get_system_settings", get_system_settings),
    b("frappe.db.get_default", get_default),
    b("frappe.utils.make_filter_tuple", make_filter_tuple),
    b("frappe.utils.make_filter_dict", make_filter_dict),
    b("frappe.utils.is_subset", is_subset),
    b("frappe.utils.is_image", is_image),
    b("frappe.utils.sha256_hash", sha256_hash),
    b("frappe.utils.url_contains_port", url_contains_port),
    b(
        "frappe.utils.get_host_name_from_request",
        get_host_name_from_request,
    ),
    b(
        "frappe.utils.get_url_to_report_with_filters",
        get_url_to_report_with_filters,
    ),
    b("frappe.utils.parse_val", parse_val),
];

/// A system setting or default by key, from the site's settings; None if unknown.
fn setting(ctx: &Ctx, key: &str) -> Val {
    let s = &ctx.settings;
    match key {
        "time_zone" => pystr::new(s.time_zone_name.as_str()),
        "date_format" => pystr::new(s.date_format.as_str()),
        "time_format" => pystr::new(s.time_format.as_str()),
        "number_format" => pystr::new(s.number_format.as_str()),
        "currency" => s.currency.as_deref().map(pystr::new).unwrap_or(Val::NONE),
        "currency_precision" => s
            .currency_precision
            .map(|p| pystr::new(p.to_string()))
            .unwrap_or(Val::NONE),
        "float_precision" => pystr::new("3"),
        "first_day_of_the_week" => pystr::new(s.first_day_of_the_week.as_str()),
        "rounding_method" => pystr::new("Banker's Rounding (legacy)"),
        "language" => pystr::new("en"),
        _ => Val::NONE,
    }
}

/// `frappe.get_system_settings(key)`.
pub fn get_system_settings(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [key] = parse(ctx, "get_system_settings", ["key"], 1, a, k)?;
    let key = pyrepr::to_str(ctx, key.unwrap())?;
    Ok(setting(ctx, &key))
}

/// `frappe.db.get_default(key, parent="__default")`.
pub fn get_default(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [key, _parent] = parse(ctx, "get_default", ["key", "parent"], 1, a, k)?;
    let key = pyrepr::to_str(ctx, key.unwrap())?;
    Ok(setting(ctx, &key))
}

/// `make_filter_tuple(doctype, key, value)`: `[doctype, key, op, value]`.
pub fn make_filter_tuple(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt, key, value] = parse(
        ctx,
        "make_filter_tuple",
        ["doctype", "key", "value"],
        3,
        a,
        k,
    )?;
    let (dt, key, value) = (dt.unwrap(), key.unwrap(), value.unwrap());
    let (op, v) = match iter::list_or_tuple_items(value) {
        Some(items) if items.len() >= 2 => (items[0].clone(), items[1].clone()),
        Some(_) => {
            return Err(ctx.raise_new(
                *crate::object::exc::ids::INDEX_ERROR,
                "list index out of range",
            ));
        }
        None => (pystr::new("="), Val::new_ref(value)),
    };
    Ok(list::new(vec![Val::new_ref(dt), Val::new_ref(key), op, v]))
}

/// `make_filter_dict([[doctype, key, op, value], …])`: `{key: (op, value)}`.
pub fn make_filter_dict(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [filters] = parse(ctx, "make_filter_dict", ["filters"], 1, a, k)?;
    let out = crate::object::dict::new_empty(true);
    for f in iter::collect(ctx, filters.unwrap())? {
        let item = |ctx: &mut Ctx, i: i64| ops::subscript::getitem(ctx, f.v(), Val::int(i).v());
        let key = item(ctx, 1)?;
        let op = item(ctx, 2)?;
        let value = item(ctx, 3)?;
        let hk = crate::ops::compare::hkey(ctx, key.v())?;
        crate::object::dict::insert(out.v(), hk, tuple::new(vec![op, value]));
    }
    Ok(out)
}

/// `is_subset(list_a, list_b)`: every item of `list_a` is in `list_b`.
pub fn is_subset(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [x, y] = parse(ctx, "is_subset", ["list_a", "list_b"], 2, a, k)?;
    let (x, y) = (x.unwrap(), y.unwrap());
    let sx = super::py::construct(ctx, "set", &[x], &[])?;
    let sy = super::py::construct(ctx, "set", &[y], &[])?;
    let common = ops::arith::binary(ctx, ops::arith::BinOp::BitAnd, sx.v(), sy.v())?;
    let n_common = iter::collect(ctx, common.v())?.len();
    let n_a = iter::collect(ctx, x)?.len();
    Ok(Val::bool(n_common == n_a))
}

/// `is_image(filepath)`: the extension (before any `?query`) is an image type's.
pub fn is_image(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [path] = parse(ctx, "is_image", ["filepath"], 1, a, k)?;
    let p = match path.unwrap() {
        v if v.is_none() => String::new(),
        v => pyrepr::to_str(ctx, v)?,
    };
    let p = p.split('?').next().unwrap_or("");
    let ext = p
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let image = matches!(
        ext.as_str(),
        "png"
            | "jpg"
            | "jpeg"
            | "jpe"
            | "gif"
            | "bmp"
            | "svg"
            | "webp"
            | "ico"
            | "tif"
            | "tiff"
            | "avif"
            | "heic"
    );
    Ok(Val::bool(image))
}

/// `sha256_hash(text)`: the hex SHA-256 of the text's UTF-8 bytes.
pub fn sha256_hash(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [text] = parse(ctx, "sha256_hash", ["input"], 1, a, k)?;
    let t = pyrepr::to_str(ctx, text.unwrap())?;
    let digest = sha2::Sha256::digest(t.as_bytes());
    Ok(pystr::new(
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    ))
}

pub fn url_contains_port(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [url] = parse(ctx, "url_contains_port", ["url"], 1, a, k)?;
    let u = pyrepr::to_str(ctx, url.unwrap())?;
    Ok(Val::bool(u.split(':').count() > 2))
}

/// `get_host_name_from_request()`: `http(s)://host` of the request being served, or None.
pub fn get_host_name_from_request(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    parse::<0>(ctx, "get_host_name_from_request", [], 0, a, k)?;
    Ok(match &ctx.request {
        Some(r) if !r.host.is_empty() => {
            let https = r
                .headers
                .iter()
                .any(|(k, v)| k == "x-forwarded-proto" && v == "https");
            pystr::new(format!(
                "{}://{}",
                if https { "https" } else { "http" },
                r.host
            ))
        }
        _ => Val::NONE,
    })
}

/// `get_url_to_report_with_filters(name, filters, report_type=None, doctype=None)`.
pub fn get_url_to_report_with_filters(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [name, filters, rt, dt] = parse(
        ctx,
        "get_url_to_report_with_filters",
        ["name", "filters", "report_type", "doctype"],
        2,
        a,
        k,
    )?;
    let name = pyrepr::to_str(ctx, name.unwrap())?;
    let filters = pyrepr::to_str(ctx, filters.unwrap())?;
    let rt = match rt {
        Some(v) if !v.is_none() => pyrepr::to_str(ctx, v)?,
        _ => String::new(),
    };
    let path = if rt == "Report Builder" {
        let dt = match dt {
            Some(v) if !v.is_none() => pyrepr::to_str(ctx, v)?,
            _ => String::new(),
        };
        let slug = super::text::quote(&dt.to_lowercase().replace(' ', "-"));
        format!("/app/{slug}/view/report?{filters}")
    } else {
        format!("/app/query-report/{}?{filters}", super::text::quote(&name))
    };
    super::text::get_url(ctx, &[pystr::new(path).v()], &[])
}

/// `parse_val(v)`: dates as strings, a timedelta as `H:MM`, anything else as it is.
pub fn parse_val(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = parse(ctx, "parse_val", ["v"], 1, a, k)?;
    let v = v.unwrap();
    if date::get_date(v).is_some() || date::get_datetime(v).is_some() {
        return pyrepr::to_str(ctx, v).map(pystr::new);
    }
    if date::get_timedelta(v).is_some() {
        let s = pyrepr::to_str(ctx, v)?;
        let parts: Vec<&str> = s.split(':').take(2).collect();
        return Ok(pystr::new(parts.join(":")));
    }
    Ok(Val::new_ref(v))
}
