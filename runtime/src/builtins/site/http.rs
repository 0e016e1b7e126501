//! `frappe.make_get_request(url, **kwargs)` and the POST/PUT/PATCH/DELETE forms:
//! Frappe's `make_request(method, url, auth=None, headers=None, data=None, json=None,
//! params=None)`. The site decides whether the host may be reached (see the server's
//! `outbound` module: off unless allowed, with an SSRF guard on every hop).

use super::*;
use crate::builtins::args::parse;
use crate::host::OutgoingRequest;
use crate::object::dict;

fn pairs(
    ctx: &mut Ctx,
    fname: &str,
    what: &str,
    v: Option<Value>,
) -> PyResult<Vec<(String, String)>> {
    let Some(v) = opt(v) else {
        return Ok(Vec::new());
    };
    match json(ctx, v)? {
        Json::Object(m) => Ok(m
            .into_iter()
            .flat_map(|(k, v)| match v {
                // `params={"id": [1, 2]}` repeats the key, as requests does
                Json::Array(items) => items.into_iter().map(|i| (k.clone(), text(&i))).collect(),
                Json::Null => Vec::new(),
                v => vec![(k, text(&v))],
            })
            .collect()),
        _ => Err(ctx.type_error(format!("{fname}(): {what} must be a dict"))),
    }
}

fn text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn form_encode(items: &[(String, String)]) -> String {
    items
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::builtins::text::quote_plus(k),
                crate::builtins::text::quote_plus(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn make_request(ctx: &mut Ctx, method: &str, a: &[Value], k: &Kwargs) -> PyResult {
    let fname = format!("make_{}_request", method.to_ascii_lowercase());
    let [url, auth, headers, data, json_body, params] = parse(
        ctx,
        &fname,
        ["url", "auth", "headers", "data", "json", "params"],
        1,
        a,
        k,
    )?;
    let url = str_arg(ctx, &fname, "url", url.unwrap())?;
    let headers = pairs(ctx, &fname, "headers", headers)?;
    let params = pairs(ctx, &fname, "params", params)?;
    let auth = match opt(auth) {
        None => None,
        Some(v) => {
            let items = match crate::ops::iter::list_or_tuple_items(v) {
                Some(items) => items,
                None => {
                    return Err(
                        ctx.type_error(format!("{fname}(): auth must be a (user, password) pair"))
                    );
                }
            };
            if items.len() != 2 {
                return Err(
                    ctx.type_error(format!("{fname}(): auth must be a (user, password) pair"))
                );
            }
            let user = ops::repr::to_str(ctx, items[0].v())?;
            let password = ops::repr::to_str(ctx, items[1].v())?;
            Some((user, password))
        }
    };
    let body = if let Some(j) = opt(json_body) {
        let j = json(ctx, j)?;
        Some(("application/json".to_string(), j.to_string()))
    } else if let Some(d) = opt(data).filter(|d| truthy(*d)) {
        if let Some(s) = pystr::as_str(d) {
            Some(("text/plain".to_string(), s.to_string()))
        } else if dict::get(d).is_some() {
            let items = pairs(ctx, &fname, "data", Some(d))?;
            Some((
                "application/x-www-form-urlencoded".to_string(),
                form_encode(&items),
            ))
        } else {
            return Err(ctx.type_error(format!("{fname}(): data must be a dict or a str")));
        }
    } else {
        None
    };
    let request = OutgoingRequest {
        method: method.to_string(),
        url,
        headers,
        params,
        body,
        auth,
    };
    let r = ctx.host_call(&format!("frappe.{fname}"), |h| h.http_request(&request))?;
    Ok(data_value(&r))
}

pub fn make_get_request(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    make_request(ctx, "GET", a, k)
}

pub fn make_post_request(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    make_request(ctx, "POST", a, k)
}

pub fn make_put_request(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    make_request(ctx, "PUT", a, k)
}

pub fn make_patch_request(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    make_request(ctx, "PATCH", a, k)
}

pub fn make_delete_request(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    make_request(ctx, "DELETE", a, k)
}
