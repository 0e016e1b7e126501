//! The text, URL, list and money helpers of `frappe.utils` (`get_url_to_form`,
//! `get_link_to_form`, `strip_html`, `comma_and`, `fmt_money`, `generate_hash`…), and
//! `frappe.request`. Semantics follow `frappe/utils/data.py` (read, not copied); the
//! site URL and number format come from [`crate::settings`].

use super::args::parse;
use super::{Builtin, b};
use crate::ctx::{Ctx, PyResult};
use crate::object::{float, int, list, str as pystr, tuple};
use crate::ops::call::Kwargs;
use crate::ops::{self, convert, iter, repr as pyrepr, truthy};
use crate::value::{Val, Value};

pub static TABLE: &[Builtin] = &[
    b("frappe.utils.get_url", get_url),
    b("frappe.get_url", get_url),
    b("frappe.utils.get_host_name", get_host_name),
    b("frappe.utils.get_url_to_form", get_url_to_form),
    b("frappe.utils.get_url_to_list", get_url_to_list),
    b("frappe.utils.get_url_to_report", get_url_to_report),
    b("frappe.utils.get_absolute_url", get_absolute_url),
    b("frappe.utils.get_link_to_form", get_link_to_form),
    b("frappe.utils.get_link_to_report", get_link_to_report),
    b("frappe.utils.quoted", quoted),
    b("frappe.utils.strip_html", strip_html),
    b("frappe.utils.escape_html", escape_html),
    b("frappe.utils.is_html", is_html),
    b("frappe.utils.comma_and", comma_and),
    b("frappe.utils.comma_or", comma_or),
    b("frappe.utils.comma_sep", comma_sep),
    b("frappe.utils.new_line_sep", new_line_sep),
    b("frappe.utils.filter_strip_join", filter_strip_join),
    b("frappe.utils.unique", unique),
    b("frappe.utils.has_common", has_common),
    b("frappe.utils.get_abbr", get_abbr),
    b("frappe.utils.strip", strip),
    b("frappe.utils.generate_hash", generate_hash),
    b("frappe.generate_hash", generate_hash),
    b("frappe.utils.fmt_money", fmt_money),
    b(
        "frappe.utils.get_number_format_info",
        get_number_format_info,
    ),
    b("frappe.utils.remainder", remainder),
    b("frappe.utils.safe_div", safe_div),
    b(
        "frappe.utils.round_based_on_smallest_currency_fraction",
        round_based_on_smallest_currency_fraction,
    ),
    b("frappe.request.get_data", request_get_data),
];

fn text_arg(ctx: &mut Ctx, v: Value) -> PyResult<String> {
    if v.is_none() {
        return Ok(String::new());
    }
    pyrepr::to_str(ctx, v)
}

// ---------------------------------------------------------------------- URLs

/// Percent-encodes all but letters, digits and `_.-~` plus Frappe's safe set
/// `~@#$&()*!+=:;,.?/'` (its `quoted`).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~@#$&()*!+=:;,?/'".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `urllib.parse.quote_plus(s)`: letters, digits and `_.-~` kept, spaces as `+`,
/// everything else as `%XX` of its UTF-8 bytes.
pub fn quote_plus(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `frappe.website.utils.slug`-like: lower case, spaces to dashes.
fn slug(doctype: &str) -> String {
    doctype.to_lowercase().replace(' ', "-")
}

fn site_url(ctx: &Ctx, uri: &str) -> String {
    if uri.starts_with("http://") || uri.starts_with("https://") {
        return uri.to_string();
    }
    let from_request = match &ctx.request {
        Some(r) if !ctx.settings.url_configured && !r.host.is_empty() => {
            let https = r
                .headers
                .iter()
                .any(|(k, v)| k == "x-forwarded-proto" && v == "https");
            Some(format!(
                "{}://{}",
                if https { "https" } else { "http" },
                r.host
            ))
        }
        _ => None,
    };
    let base = from_request
        .as_deref()
        .unwrap_or(&ctx.settings.url)
        .trim_end_matches('/');
    if uri.is_empty() {
        return base.to_string();
    }
    if uri.starts_with('/') {
        format!("{base}{uri}")
    } else {
        format!("{base}/{uri}")
    }
}

/// `get_url(uri=None, full_address=False)`: the site's address joined with `uri`.
pub fn get_url(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [uri, full] = parse(ctx, "get_url", ["uri", "full_address"], 0, a, k)?;
    let mut uri = match uri {
        Some(v) if truthy(v) => text_arg(ctx, v)?,
        _ => String::new(),
    };
    if uri.is_empty()
        && full.is_some_and(truthy)
        && let Some(r) = &ctx.request
    {
        uri = r.url.clone();
    }
    Ok(pystr::new(site_url(ctx, &uri)))
}

pub fn get_host_name(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    parse::<0>(ctx, "get_host_name", [], 0, a, k)?;
    let url = site_url(ctx, "");
    Ok(pystr::new(url.rsplit("//").next().unwrap_or(&url)))
}

fn form_path(ctx: &mut Ctx, doctype: Value, name: Value) -> PyResult<String> {
    let dt = text_arg(ctx, doctype)?;
    let n = text_arg(ctx, name)?;
    Ok(format!("/app/{}/{}", quote(&slug(&dt)), quote(&n)))
}

pub fn get_url_to_form(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt, name] = parse(ctx, "get_url_to_form", ["doctype", "name"], 2, a, k)?;
    let path = form_path(ctx, dt.unwrap(), name.unwrap())?;
    Ok(pystr::new(site_url(ctx, &path)))
}

pub fn get_absolute_url(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt, name] = parse(ctx, "get_absolute_url", ["doctype", "name"], 2, a, k)?;
    form_path(ctx, dt.unwrap(), name.unwrap()).map(pystr::new)
}

pub fn get_url_to_list(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt] = parse(ctx, "get_url_to_list", ["doctype"], 1, a, k)?;
    let dt = text_arg(ctx, dt.unwrap())?;
    Ok(pystr::new(site_url(
        ctx,
        &format!("/app/{}", quote(&slug(&dt))),
    )))
}

fn report_url(ctx: &mut Ctx, name: &str, report_type: Option<String>, doctype: &str) -> String {
    let path = if report_type.as_deref() == Some("Report Builder") {
        format!("/app/{}/view/report/{}", quote(&slug(doctype)), quote(name))
    } else {
        format!("/app/query-report/{}", quote(name))
    };
    site_url(ctx, &path)
}

pub fn get_url_to_report(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [name, rt, dt] = parse(
        ctx,
        "get_url_to_report",
        ["name", "report_type", "doctype"],
        1,
        a,
        k,
    )?;
    let name = text_arg(ctx, name.unwrap())?;
    let rt = match rt {
        Some(v) if !v.is_none() => Some(text_arg(ctx, v)?),
        _ => None,
    };
    let dt = text_arg(ctx, dt.unwrap_or(Value::NONE))?;
    Ok(pystr::new(report_url(ctx, &name, rt, &dt)))
}

/// `get_link_to_form(doctype, name, label=None)`: `<a href="…">label</a>`.
pub fn get_link_to_form(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt, name, label] = parse(
        ctx,
        "get_link_to_form",
        ["doctype", "name", "label"],
        2,
        a,
        k,
    )?;
    let path = form_path(ctx, dt.unwrap(), name.unwrap())?;
    let label = match label {
        Some(l) if truthy(l) => text_arg(ctx, l)?,
        _ => text_arg(ctx, name.unwrap())?,
    };
    let url = site_url(ctx, &path);
    Ok(pystr::new(format!("<a href=\"{url}\">{label}</a>")))
}

/// `get_link_to_report(name, label=None, report_type=None, doctype=None,
/// filters=None)`: filters become `key=value` pairs of the query string.
pub fn get_link_to_report(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [name, label, rt, dt, filters] = parse(
        ctx,
        "get_link_to_report",
        ["name", "label", "report_type", "doctype", "filters"],
        1,
        a,
        k,
    )?;
    let name_s = text_arg(ctx, name.unwrap())?;
    let label = match label {
        Some(l) if truthy(l) => text_arg(ctx, l)?,
        _ => name_s.clone(),
    };
    let rt = match rt {
        Some(v) if !v.is_none() => Some(text_arg(ctx, v)?),
        _ => None,
    };
    let dt = text_arg(ctx, dt.unwrap_or(Value::NONE))?;
    let mut url = report_url(ctx, &name_s, rt.clone(), &dt);
    if let Some(f) = filters.filter(|f| truthy(*f)) {
        let serde_json::Value::Object(m) = convert::to_json(ctx, f)? else {
            return Err(ctx.type_error("get_link_to_report(): filters must be a dict"));
        };
        let mut conds = Vec::new();
        for (key, v) in m {
            match v {
                serde_json::Value::Array(items) => {
                    for item in items {
                        let pair = item.as_array().cloned().unwrap_or_default();
                        let s = |i: usize| {
                            pair.get(i)
                                .map(|x| x.as_str().map(str::to_string).unwrap_or(x.to_string()))
                                .unwrap_or_default()
                        };
                        conds.push(format!("{key}=[\"{}\",\"{}\"]", s(0), s(1)));
                    }
                }
                serde_json::Value::String(s) => conds.push(format!("{key}={s}")),
                other => conds.push(format!("{key}={other}")),
            }
        }
        // the query string is appended to the report URL, as Frappe does
        if rt.as_deref() == Some("Report Builder") {
            url = site_url(ctx, &format!("/app/{}/view/report", quote(&slug(&dt))));
        }
        url = format!("{url}?{}", conds.join("&"));
    }
    Ok(pystr::new(format!("<a href='{url}'>{label}</a>")))
}

pub fn quoted(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [url] = parse(ctx, "quoted", ["url"], 1, a, k)?;
    let s = text_arg(ctx, url.unwrap())?;
    Ok(pystr::new(quote(&s)))
}

// ---------------------------------------------------------------------- HTML

/// Removes `<!-- comments -->` and anything between `<` and `>`.
pub fn strip_html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('<') {
        out.push_str(&rest[..p]);
        let tail = &rest[p..];
        let end = if tail.starts_with("<!--") {
            tail.find("-->").map(|e| e + 3)
        } else {
            tail.find('>').map(|e| e + 1)
        };
        match end {
            Some(e) => rest = &tail[e..],
            None => {
                out.push_str(tail);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn strip_html(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [t] = parse(ctx, "strip_html", ["text"], 1, a, k)?;
    let t = t.unwrap();
    let Some(s) = pystr::as_str(t) else {
        return Err(ctx.type_error(format!(
            "expected string or bytes-like object, got '{}'",
            ops::type_name(t)
        )));
    };
    Ok(pystr::new(strip_html_text(s)))
}

pub fn escape_html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '>' => out.push_str("&gt;"),
            '<' => out.push_str("&lt;"),
            c => out.push(c),
        }
    }
    out
}

/// `escape_html(text)`: non-strings are returned unchanged.
pub fn escape_html(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [t] = parse(ctx, "escape_html", ["text"], 1, a, k)?;
    let t = t.unwrap();
    match pystr::as_str(t) {
        Some(s) => Ok(pystr::new(escape_html_text(s))),
        None => Ok(Val::new_ref(t)),
    }
}

pub fn is_html(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [t] = parse(ctx, "is_html", ["text"], 1, a, k)?;
    let found = pystr::as_str(t.unwrap()).is_some_and(|s| {
        s.find('<')
            .is_some_and(|p| s[p + 1..].find('>').is_some_and(|e| e > 0))
    });
    Ok(Val::bool(found))
}

// ---------------------------------------------------------------------- lists

fn comma_pattern(
    ctx: &mut Ctx,
    some_list: Value,
    pattern: &str,
    add_quotes: Option<Value>,
) -> PyResult {
    let Some(items) = iter::list_or_tuple_items(some_list) else {
        return Ok(Val::new_ref(some_list));
    };
    let mut strs = Vec::with_capacity(items.len());
    for i in &items {
        strs.push(pyrepr::to_str(ctx, i.v())?);
    }
    match strs.len() {
        0 => return Ok(pystr::new("")),
        1 => return Ok(pystr::new(strs.remove(0))),
        _ => {}
    }
    if add_quotes.is_none_or(truthy) {
        strs = strs.into_iter().map(|s| format!("'{s}'")).collect();
    }
    let last = strs.pop().unwrap_or_default();
    let head = strs.join(", ");
    Ok(pystr::new(
        pattern.replacen("{0}", &head, 1).replacen("{1}", &last, 1),
    ))
}

pub fn comma_and(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [l, q] = parse(ctx, "comma_and", ["some_list", "add_quotes"], 1, a, k)?;
    comma_pattern(ctx, l.unwrap(), "{0} and {1}", q)
}

pub fn comma_or(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [l, q] = parse(ctx, "comma_or", ["some_list", "add_quotes"], 1, a, k)?;
    comma_pattern(ctx, l.unwrap(), "{0} or {1}", q)
}

pub fn comma_sep(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [l, p, q] = parse(
        ctx,
        "comma_sep",
        ["some_list", "pattern", "add_quotes"],
        2,
        a,
        k,
    )?;
    let pattern = text_arg(ctx, p.unwrap())?;
    comma_pattern(ctx, l.unwrap(), &pattern, q)
}

pub fn new_line_sep(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [l] = parse(ctx, "new_line_sep", ["some_list"], 1, a, k)?;
    let l = l.unwrap();
    let Some(items) = iter::list_or_tuple_items(l) else {
        return Ok(Val::new_ref(l));
    };
    let mut strs = Vec::new();
    for i in &items {
        strs.push(pyrepr::to_str(ctx, i.v())?);
    }
    Ok(pystr::new(strs.join("\n ")))
}

pub fn filter_strip_join(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [l, sep] = parse(ctx, "filter_strip_join", ["some_list", "sep"], 2, a, k)?;
    let sep = text_arg(ctx, sep.unwrap())?;
    let items = iter::collect(ctx, l.unwrap())?;
    let mut out = Vec::new();
    for i in &items {
        if truthy(i.v()) {
            out.push(text_arg(ctx, i.v())?.trim().to_string());
        }
    }
    Ok(pystr::new(out.join(&sep)))
}

/// `unique(seq)`: the items in first-seen order, without repeats.
pub fn unique(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [seq] = parse(ctx, "unique", ["seq"], 1, a, k)?;
    let items = iter::collect(ctx, seq.unwrap())?;
    let mut out: Vec<Val> = Vec::new();
    for i in items {
        let mut seen = false;
        for o in &out {
            if ops::compare::eq(ctx, o.v(), i.v())? {
                seen = true;
                break;
            }
        }
        if !seen {
            out.push(i);
        }
    }
    Ok(list::new(out))
}

/// `has_common(l1, l2)`: the set of common items (truthy when there are any).
pub fn has_common(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [l1, l2] = parse(ctx, "has_common", ["l1", "l2"], 2, a, k)?;
    let s1 = super::py::construct(ctx, "set", &[l1.unwrap()], &[])?;
    let s2 = super::py::construct(ctx, "set", &[l2.unwrap()], &[])?;
    ops::arith::binary(ctx, ops::arith::BinOp::BitAnd, s1.v(), s2.v())
}

pub fn get_abbr(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [s, max_len] = parse(ctx, "get_abbr", ["string", "max_len"], 1, a, k)?;
    let s = text_arg(ctx, s.unwrap())?;
    let max = max_len.and_then(int::to_i64).unwrap_or(2).max(0) as usize;
    let mut abbr = String::new();
    for part in s.split(' ') {
        if abbr.chars().count() < max
            && let Some(c) = part.chars().next()
        {
            abbr.push(c);
        }
    }
    Ok(pystr::new(if abbr.is_empty() { "?".into() } else { abbr }))
}

pub fn strip(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v, chars] = parse(ctx, "strip", ["val", "chars"], 1, a, k)?;
    let s = text_arg(ctx, v.unwrap())?;
    // Frappe strips whitespace and zero-width spaces unless told which characters
    let out = match chars {
        Some(c) if !c.is_none() => {
            let set = text_arg(ctx, c)?;
            s.trim_matches(|ch| set.contains(ch)).to_string()
        }
        _ => s
            .trim_matches(|ch: char| ch.is_whitespace() || ch == '\u{200b}' || ch == '\u{feff}')
            .to_string(),
    };
    Ok(pystr::new(out))
}

/// `generate_hash(txt=None, length=56)`: random lower-case hex of `length` characters.
pub fn generate_hash(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    use rand::Rng;
    let [_txt, length] = parse(ctx, "generate_hash", ["txt", "length"], 0, a, k)?;
    let n = match length {
        Some(v) if !v.is_none() => int::to_i64(v).unwrap_or(56),
        _ => 56,
    };
    let n = n.clamp(0, 4096) as usize;
    let mut rng = rand::thread_rng();
    let s: String = (0..n)
        .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect();
    Ok(pystr::new(s))
}

// ---------------------------------------------------------------------- money

/// Frappe's number formats: (decimal separator, group separator, precision).
pub fn number_format_info(format: &str) -> (&'static str, &'static str, i64) {
    match format {
        "#.###,##" => (",", ".", 2),
        "# ###.##" => (".", " ", 2),
        "# ###,##" => (",", " ", 2),
        "#'###.##" => (".", "'", 2),
        "#, ###.##" => (".", ", ", 2),
        "#,###.###" => (".", ",", 3),
        "#.###" => ("", ".", 0),
        "#,###" => ("", ",", 0),
        "#.########" => (".", "", 8),
        _ => (".", ",", 2),
    }
}

pub fn get_number_format_info(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [f] = parse(ctx, "get_number_format_info", ["format"], 1, a, k)?;
    let f = text_arg(ctx, f.unwrap())?;
    let (d, g, p) = number_format_info(&f);
    Ok(tuple::new(vec![pystr::new(d), pystr::new(g), Val::int(p)]))
}

fn flt_of(ctx: &mut Ctx, v: Value) -> PyResult<f64> {
    let f = super::frappe::flt(ctx, &[v], &[])?;
    Ok(float::get(f.v()).unwrap_or_else(|| int::to_i64(f.v()).unwrap_or(0) as f64))
}

fn py_float_str(ctx: &mut Ctx, f: f64) -> PyResult<String> {
    pyrepr::repr(ctx, float::new(f).v())
}

/// `fmt_money(amount, precision=None, currency=None, format=None)`: grouped digits in
/// the site's number format, the currency code before the amount when given (there is
/// no Currency DocType to give a symbol).
pub fn fmt_money(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [amount, precision, currency, format] = parse(
        ctx,
        "fmt_money",
        ["amount", "precision", "currency", "format"],
        1,
        a,
        k,
    )?;
    let number_format = match format {
        Some(f) if truthy(f) => text_arg(ctx, f)?,
        _ => ctx.settings.number_format.clone(),
    };
    let (decimal_str, comma_str, nf_precision) = number_format_info(&number_format);
    let mut precision = match precision {
        Some(p) if !p.is_none() => super::frappe::cint_of(ctx, p, 0),
        _ => ctx
            .settings
            .currency_precision
            .map(i64::from)
            .unwrap_or(nf_precision),
    };
    let amount = amount.unwrap();
    let mut value = if amount.is_none() {
        0.0
    } else if pystr::as_str(amount).is_some() {
        let p = int_value(precision);
        let f = super::frappe::flt(ctx, &[amount, p.v()], &[])?;
        float::get(f.v()).unwrap_or_else(|| int::to_i64(f.v()).unwrap_or(0) as f64)
    } else {
        flt_of(ctx, amount)?
    };
    let currency = match currency {
        Some(c) if truthy(c) => Some(text_arg(ctx, c)?),
        _ => None,
    };
    if !decimal_str.is_empty() && precision > 2 {
        let frac = super::py::round_float(value.rem_euclid(1.0), precision);
        let s = py_float_str(ctx, frac)?;
        let decimals = s.split_once('.').map(|(_, d)| d.to_string()).unwrap_or(s);
        if decimals.len() < 3 {
            precision = if currency.is_some() { 2 } else { nf_precision };
        } else if (decimals.len() as i64) < precision {
            precision = decimals.len() as i64;
        }
    }
    let p = precision.clamp(0, 20) as usize;
    value = super::py::round_float(value, p as i64);
    let fixed = format!("{value:.p$}");
    let decimals = fixed
        .split_once('.')
        .map(|(_, d)| d.to_string())
        .unwrap_or_default();
    let negative = fixed.parse::<f64>().unwrap_or(0.0) < 0.0;
    let abs_str = py_float_str(ctx, fixed.parse::<f64>().unwrap_or(0.0).abs())?;
    let mut digits = abs_str.split('.').next().unwrap_or("0").to_string();
    let mut parts: Vec<String> = Vec::new();
    if digits.len() > 3 {
        parts.push(digits[digits.len() - 3..].to_string());
        digits.truncate(digits.len() - 3);
        let group = if number_format == "#,##,###.##" { 2 } else { 3 };
        while digits.len() > group {
            parts.push(digits[digits.len() - group..].to_string());
            digits.truncate(digits.len() - group);
        }
    }
    parts.push(digits);
    parts.reverse();
    let mut out = parts.join(comma_str);
    if p > 0 && !decimal_str.is_empty() {
        out.push_str(decimal_str);
        out.push_str(&decimals);
    }
    if out != "0" && negative {
        out.insert(0, '-');
    }
    if let Some(c) = currency {
        out = format!("{c} {out}");
    }
    Ok(pystr::new(out))
}

fn int_value(i: i64) -> Val {
    Val::int(i)
}

/// `remainder(numerator, denominator, precision=2)`.
pub fn remainder(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [n, d, p] = parse(
        ctx,
        "remainder",
        ["numerator", "denominator", "precision"],
        2,
        a,
        k,
    )?;
    let precision = match p {
        Some(v) => super::frappe::cint_of(ctx, v, 0),
        None => 2,
    };
    let (n, d) = (n.unwrap(), d.unwrap());
    let r = if precision != 0 {
        let m = Val::int(10i64.pow(precision.clamp(0, 18) as u32));
        let nm = ops::arith::binary(ctx, ops::arith::BinOp::Mul, n, m.v())?;
        let dm = ops::arith::binary(ctx, ops::arith::BinOp::Mul, d, m.v())?;
        let r = ops::arith::binary(ctx, ops::arith::BinOp::Mod, nm.v(), dm.v())?;
        ops::arith::binary(ctx, ops::arith::BinOp::TrueDiv, r.v(), m.v())?
    } else {
        ops::arith::binary(ctx, ops::arith::BinOp::Mod, n, d)?
    };
    super::frappe::flt(ctx, &[r.v(), Val::int(precision).v()], &[])
}

/// `safe_div(numerator, denominator, precision=2)`: 0.0 when dividing by zero.
pub fn safe_div(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [n, d, p] = parse(
        ctx,
        "safe_div",
        ["numerator", "denominator", "precision"],
        2,
        a,
        k,
    )?;
    let precision = match p {
        Some(v) => super::frappe::cint_of(ctx, v, 0),
        None => 2,
    };
    let d = d.unwrap();
    let zero = ops::compare::eq(ctx, d, Val::int(0).v())?;
    let r = if zero {
        float::new(0.0)
    } else {
        let f = convert::to_float(ctx, n.unwrap())?;
        ops::arith::binary(ctx, ops::arith::BinOp::TrueDiv, f.v(), d)?
    };
    super::frappe::flt(ctx, &[r.v(), Val::int(precision).v()], &[])
}

/// `round_based_on_smallest_currency_fraction(value, currency, precision=2)`: `value`
/// moved to the nearest multiple of the Currency's `smallest_currency_fraction_value`
/// (a remainder of more than half the fraction rounds up), then `flt(value, precision)`.
/// With no fraction — no such Currency, or no Currency DocType on the site — Frappe
/// rounds to a whole number (`rounded(value)`) before the `flt`.
pub fn round_based_on_smallest_currency_fraction(
    ctx: &mut Ctx,
    a: &[Value],
    k: &Kwargs,
) -> PyResult {
    let [value, currency, p] = parse(
        ctx,
        "round_based_on_smallest_currency_fraction",
        ["value", "currency", "precision"],
        2,
        a,
        k,
    )?;
    let (value, currency) = (value.unwrap(), currency.unwrap());
    let precision = p.map(Val::new_ref).unwrap_or(Val::int(2));
    let fraction = match pystr::as_str(currency) {
        Some(name) => {
            let name = name.to_string();
            let field = "smallest_currency_fraction_value".to_string();
            let row = ctx.host_call("frappe.db.get_value", |h| {
                match h.get_value_by_name("Currency", &name, std::slice::from_ref(&field)) {
                    Err(e) if e.exc_type == "DoesNotExistError" => Ok(None),
                    other => other,
                }
            })?;
            let cell = row.and_then(|mut r| r.remove(&field));
            let v = cell.map_or(Val::NONE, |j| {
                convert::from_json(&j, convert::JsonObjects::AttrDict)
            });
            let f = super::frappe::flt(ctx, &[v.v()], &[])?;
            float::get(f.v()).unwrap_or(0.0)
        }
        None => 0.0,
    };
    let value = if fraction != 0.0 {
        use ops::arith::{BinOp, binary};
        let fraction = float::new(fraction);
        let rem = remainder(ctx, &[value, fraction.v(), precision.v()], &[])?;
        let half = binary(ctx, BinOp::TrueDiv, fraction.v(), Val::int(2).v())?;
        if ops::compare::compare(ctx, ops::compare::CmpOp::Gt, rem.v(), half.v())? {
            let up = binary(ctx, BinOp::Sub, fraction.v(), rem.v())?;
            binary(ctx, BinOp::Add, value, up.v())?
        } else {
            binary(ctx, BinOp::Sub, value, rem.v())?
        }
    } else {
        super::frappe::rounded(ctx, &[value], &[])?
    };
    super::frappe::flt(ctx, &[value.v(), precision.v()], &[])
}

// ---------------------------------------------------------------------- request

/// `frappe.request`: the HTTP request an API script serves, as a read-only `_dict`
/// (`method`, `path`, `url`, `host`, `headers` with Title-Case names, `args`, `data`,
/// `remote_addr`, `get_data()`), or an empty `_dict` outside a request (as Frappe's
/// `{}` in background jobs).
pub fn request_value(ctx: &mut Ctx) -> PyResult {
    let Some(r) = ctx.request.clone() else {
        return convert::attr_dict(ctx, &[]);
    };
    let mut headers = Vec::new();
    for (k, v) in &r.headers {
        headers.push((title_case_header(k), pystr::new(v.as_str())));
    }
    let hrefs: Vec<(&str, Val)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let headers = convert::attr_dict(ctx, &hrefs)?;
    let argv: Vec<(&str, Val)> = r
        .args
        .iter()
        .map(|(k, v)| (k.as_str(), pystr::new(v.as_str())))
        .collect();
    let args = convert::attr_dict(ctx, &argv)?;
    let get_data = super::builtin_value("frappe.request.get_data")
        .map(Val::new_ref)
        .unwrap_or(Val::NONE);
    convert::attr_dict(
        ctx,
        &[
            ("method", pystr::new(r.method.as_str())),
            ("path", pystr::new(r.path.as_str())),
            ("url", pystr::new(r.url.as_str())),
            ("host", pystr::new(r.host.as_str())),
            ("headers", headers),
            ("args", args),
            ("data", pystr::new(r.body.as_str())),
            ("remote_addr", pystr::new(r.remote_addr.as_str())),
            ("get_data", get_data),
        ],
    )
}

fn title_case_header(name: &str) -> String {
    name.split('-')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// `frappe.request.get_data(as_text=False)`: the body (as text either way: scripts
/// have no bytes type).
pub fn request_get_data(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [_cache, _as_text, _parse] = parse(
        ctx,
        "get_data",
        ["cache", "as_text", "parse_form_data"],
        0,
        a,
        k,
    )?;
    Ok(pystr::new(
        ctx.request.as_ref().map(|r| r.body.as_str()).unwrap_or(""),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_keeps_frappes_safe_set() {
        assert_eq!(quote("Sales Invoice/ü?x=1"), "Sales%20Invoice/%C3%BC?x=1");
    }

    #[test]
    fn strip_html_removes_tags_and_comments() {
        assert_eq!(strip_html_text("<p>a<!-- x > y -->b</p> < c"), "ab < c");
    }

    #[test]
    fn header_names_are_title_cased() {
        assert_eq!(title_case_header("x-api-key"), "X-Api-Key");
        assert_eq!(title_case_header("content-type"), "Content-Type");
    }
}
