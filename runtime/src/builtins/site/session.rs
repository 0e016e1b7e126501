//! Users and side effects: `get_roles`, `has_permission`, `get_fullname`, `log_error`,
//! `sendmail`, `frappe.call`, `run_script`, `enqueue`.

use super::*;
use crate::builtins::args::parse;
use crate::host::Mail;
use crate::object::{doc, list};

// ---------------------------------------------------------------------- users

fn user_or_session(ctx: &mut Ctx, fname: &str, v: Option<Value>) -> PyResult<String> {
    match opt(v) {
        Some(u) => str_arg(ctx, fname, "user", u),
        None => Ok(ctx.user.clone()),
    }
}

pub fn get_roles(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [user] = parse(ctx, "get_roles", ["user"], 0, args, kwargs)?;
    let user = user_or_session(ctx, "get_roles", user)?;
    let roles = ctx.host_call("frappe.get_roles", |h| h.get_roles(&user))?;
    Ok(list::new(roles.into_iter().map(pystr::new).collect()))
}

/// `frappe.has_permission(doctype=None, ptype="read", doc=None, user=None, …)`.
pub fn has_permission(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [doctype, ptype, d, user, _verbose, throw, _pd, _debug] = parse(
        ctx,
        "has_permission",
        [
            "doctype",
            "ptype",
            "doc",
            "user",
            "verbose",
            "throw",
            "parent_doctype",
            "debug",
        ],
        0,
        args,
        kwargs,
    )?;
    let mut doctype = match opt(doctype) {
        Some(v) => Some(str_arg(ctx, "has_permission", "doctype", v)?),
        None => None,
    };
    let mut name = None;
    if let Some(dv) = opt(d) {
        if let Some(dd) = doc::get(dv) {
            if doctype.is_none() {
                doctype = pystr::as_str(dd.field("doctype").v()).map(str::to_string);
            }
            name = pystr::as_str(dd.field("name").v()).map(str::to_string);
        } else {
            name = Some(name_arg(ctx, "has_permission", dv)?);
        }
    }
    let Some(doctype) = doctype else {
        return Err(ctx.type_error("has_permission() needs a doctype or a doc"));
    };
    let ptype = match opt(ptype) {
        Some(p) => str_arg(ctx, "has_permission", "ptype", p)?,
        None => "read".into(),
    };
    let user = user_or_session(ctx, "has_permission", user)?;
    let allowed = ctx.host_call("frappe.has_permission", |h| {
        h.has_permission(&doctype, &ptype, name.as_deref(), &user)
    })?;
    if !allowed && flag(throw) {
        return Err(ctx.raise_host_error(crate::host::HostError::new(
            "PermissionError",
            format!("No permission for {doctype}"),
        )));
    }
    Ok(Val::bool(allowed))
}

pub fn get_fullname(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [user] = parse(ctx, "get_fullname", ["user"], 0, args, kwargs)?;
    let user = user_or_session(ctx, "get_fullname", user)?;
    let name = ctx.host_call("frappe.get_fullname", |h| h.get_fullname(&user))?;
    Ok(pystr::new(name))
}

// ---------------------------------------------------------------------- side effects

/// `frappe.log_error(title=None, message=None, reference_doctype=None,
/// reference_name=None, defer_insert=False)`: writes an Error Log and returns it.
/// Inside a script there is no Python traceback; the message defaults to the title.
pub fn log_error(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [title, message, reference_doctype, reference_name, _defer] = parse(
        ctx,
        "log_error",
        [
            "title",
            "message",
            "reference_doctype",
            "reference_name",
            "defer_insert",
        ],
        0,
        args,
        kwargs,
    )?;
    // the texts count against the run's message budget (an error log is a message
    // that is stored)
    let text = |ctx: &mut Ctx, v: Option<Value>| -> PyResult<Option<String>> {
        match opt(v) {
            Some(x) => crate::builtins::frappe::charged_text(ctx, x).map(Some),
            None => Ok(None),
        }
    };
    let title = text(ctx, title)?;
    let message = text(ctx, message)?;
    let rd = text(ctx, reference_doctype)?;
    let rn = text(ctx, reference_name)?;
    let title_s = title.clone().unwrap_or_else(|| "Error".into());
    let message_s = message.or(title).unwrap_or_default();
    let map = ctx.host_call("frappe.log_error", |h| {
        h.log_error(&title_s, &message_s, rd.as_deref(), rn.as_deref())
    })?;
    Ok(doc_value(map))
}

fn string_list(ctx: &mut Ctx, v: Option<Value>) -> PyResult<Vec<String>> {
    let Some(v) = opt(v) else {
        return Ok(Vec::new());
    };
    if let Some(s) = pystr::as_str(v) {
        return Ok(s
            .split([',', '\n'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect());
    }
    let Some(items) = crate::ops::iter::list_or_tuple_items(v) else {
        return Ok(vec![ops::repr::to_str(ctx, v)?]);
    };
    let mut out = Vec::new();
    for x in items {
        out.push(ops::repr::to_str(ctx, x.v())?);
    }
    Ok(out)
}

/// `frappe.sendmail(recipients=None, sender="", subject="No Subject", message="No
/// Message", …)`: queued by the site (an Email Queue document).
pub fn sendmail(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    const POSITIONAL: [&str; 4] = ["recipients", "sender", "subject", "message"];
    let mut mail = Mail {
        subject: "No Subject".into(),
        message: "No Message".into(),
        ..Mail::default()
    };
    if args.len() > POSITIONAL.len() {
        return Err(ctx.type_error("sendmail() takes keyword arguments after the message"));
    }
    let mut all: Vec<(&str, Value)> = POSITIONAL
        .iter()
        .copied()
        .zip(args.iter().copied())
        .collect();
    all.extend(kwargs.iter().copied());
    for (k, v) in all {
        match k {
            "recipients" => mail.recipients = string_list(ctx, Some(v))?,
            "cc" => mail.cc = string_list(ctx, Some(v))?,
            "bcc" => mail.bcc = string_list(ctx, Some(v))?,
            "sender" if !v.is_none() => mail.sender = Some(ops::repr::to_str(ctx, v)?),
            "subject" if !v.is_none() => mail.subject = ops::repr::to_str(ctx, v)?,
            "message" | "content" if !v.is_none() => {
                mail.message = ops::repr::to_str(ctx, v)?;
            }
            "reference_doctype" | "doctype" if !v.is_none() => {
                mail.reference_doctype = Some(ops::repr::to_str(ctx, v)?);
            }
            "reference_name" | "name" if !v.is_none() => {
                mail.reference_name = Some(ops::repr::to_str(ctx, v)?);
            }
            "delayed" => mail.delayed = truthy(v),
            "now" => mail.delayed = !truthy(v),
            other => {
                let j = json(ctx, v)?;
                mail.extra.insert(other.to_string(), j);
            }
        }
    }
    ctx.host_call("frappe.sendmail", |h| h.sendmail(&mail))?;
    Ok(Val::NONE)
}

/// `frappe.call(method, *args, **kwargs)`: a whitelisted method or an API script.
pub fn call(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let Some((&method, rest)) = args.split_first() else {
        return Err(ctx.type_error("call() missing required argument 'method'"));
    };
    if !rest.is_empty() {
        return Err(ctx.type_error(
            "frappe.call() passes arguments by keyword only in scripts (method, **kwargs)",
        ));
    }
    let method = str_arg(ctx, "call", "method", method)?;
    let kw = kwargs_map(ctx, kwargs, &[])?;
    let r = ctx.host_call("frappe.call", |h| h.call(&method, &kw))?;
    Ok(data_value(&r))
}

/// `run_script(name, **kwargs)`: the other API script's `frappe.flags`.
pub fn run_script(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let named: Vec<(&str, Value)> = kwargs
        .iter()
        .filter(|(k, _)| *k == "script")
        .copied()
        .collect();
    let [name] = parse(ctx, "run_script", ["script"], 1, args, &named)?;
    let name = str_arg(ctx, "run_script", "script", name.unwrap())?;
    let kw = kwargs_map(ctx, kwargs, &["script"])?;
    let r = ctx.host_call("run_script", |h| h.run_script(&name, &kw))?;
    Ok(data_value(&r))
}

/// `frappe.enqueue(method, queue="default", timeout=None, event=None, is_async=True,
/// job_name=None, now=False, enqueue_after_commit=False, at_front=False, **kwargs)`.
pub fn enqueue(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    const OPTIONS: [&str; 11] = [
        "queue",
        "timeout",
        "event",
        "is_async",
        "job_name",
        "now",
        "enqueue_after_commit",
        "at_front",
        "on_success",
        "on_failure",
        "job_id",
    ];
    let named: Vec<(&str, Value)> = kwargs
        .iter()
        .filter(|(k, _)| *k == "method")
        .copied()
        .collect();
    let [method] = parse(ctx, "enqueue", ["method"], 1, args, &named)?;
    let method = str_arg(ctx, "enqueue", "method", method.unwrap())?;
    let now = flag(kwarg(kwargs, "now")) || kwarg(kwargs, "is_async").is_some_and(|v| !truthy(v));
    let mut skip: Vec<&str> = OPTIONS.to_vec();
    skip.push("method");
    let kw = kwargs_map(ctx, kwargs, &skip)?;
    let r = ctx.host_call("frappe.enqueue", |h| h.enqueue(&method, &kw, now))?;
    Ok(data_value(&r))
}
