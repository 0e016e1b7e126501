//! `frappe.*` functions that need no site: messages and errors, the number helpers of
//! `frappe.utils`, JSON helpers, translation. Semantics follow `frappe/utils/data.py`
//! and `frappe/__init__.py` (read, not copied).

use super::args::parse;
use super::{Builtin, b};
use crate::ctx::{Ctx, Message, PyResult};
use crate::object::{exc, float, int, str as pystr};
use crate::ops::call::Kwargs;
use crate::ops::{convert, repr as pyrepr, truthy};
use crate::value::{StaticKind, Val, Value};

/// `frappe.*` functions that need no site, and the sandbox globals built on them.
pub static TABLE: &[Builtin] = &[
    b("_", translate),
    b("log", log),
    b("as_json", as_json),
    b("scrub", scrub),
    b("frappe._", translate),
    b("frappe.throw", throw),
    b("frappe.msgprint", msgprint),
    b("frappe.log", log),
    b("frappe.errprint", log),
    b("frappe.bold", bold),
    b("frappe.as_json", as_json),
    b("frappe.parse_json", parse_json),
    b("frappe.utils.flt", flt),
    b("frappe.utils.cint", cint),
    b("frappe.utils.cstr", cstr),
    b("frappe.utils.rounded", rounded),
    b("frappe.utils.floor", floor),
    b("frappe.utils.ceil", ceil),
    b("frappe.utils.parse_json", parse_json),
];

/// The session user as a value (`frappe.session.user`, `frappe.user`).
pub fn session_user(ctx: &Ctx) -> Val {
    pystr::new(ctx.user.as_str())
}

/// `_(text)` / `frappe._(text)`: translation is identity (one language).
pub fn translate(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [msg, _lang, _context] = parse(ctx, "_", ["msg", "lang", "context"], 1, args, kwargs)?;
    let msg = msg.unwrap();
    if pystr::get(msg).is_some() {
        Ok(Val::new_ref(msg))
    } else {
        pyrepr::to_str(ctx, msg).map(pystr::new)
    }
}

fn opt_str(ctx: &mut Ctx, v: Option<Value>) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => pyrepr::to_str(ctx, v).map(Some),
    }
}

fn message_text(ctx: &mut Ctx, v: Value) -> PyResult<String> {
    if v.is_none() {
        return Ok(String::new());
    }
    pyrepr::to_str(ctx, v)
}

/// A message's text, charged against the run's message budget (a string before it is
/// copied).
pub(crate) fn charged_text(ctx: &mut Ctx, v: Value) -> PyResult<String> {
    if let Some(s) = pystr::as_str(v) {
        ctx.charge_messages(s.len())?;
        return Ok(s.to_string());
    }
    let text = message_text(ctx, v)?;
    ctx.charge_messages(text.len())?;
    Ok(text)
}

/// `frappe.msgprint(msg, title=None, raise_exception=False, as_table=False,
/// as_list=False, indicator=None, alert=False, primary_action=None,
/// is_minimizable=False, wide=False)`.
pub fn msgprint(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [
        msg,
        title,
        raise_exception,
        as_table,
        as_list,
        indicator,
        alert,
        primary_action,
        is_minimizable,
        wide,
    ] = parse(
        ctx,
        "msgprint",
        [
            "msg",
            "title",
            "raise_exception",
            "as_table",
            "as_list",
            "indicator",
            "alert",
            "primary_action",
            "is_minimizable",
            "wide",
        ],
        1,
        args,
        kwargs,
    )?;
    let text = charged_text(ctx, msg.unwrap())?;
    let raise = raise_exception.filter(|v| truthy(*v));
    let title = match title {
        Some(t) if !t.is_none() => Some(charged_text(ctx, t)?),
        _ => None,
    };
    let message = Message {
        message: text.clone(),
        title,
        indicator: opt_str(ctx, indicator)?.or_else(|| raise.map(|_| "red".to_string())),
        raise_exception: raise.is_some(),
        as_table: as_table.is_some_and(truthy),
        as_list: as_list.is_some_and(truthy),
        alert: alert.is_some_and(truthy),
        primary_action: match primary_action {
            Some(v) if !v.is_none() => Some(convert::to_json(ctx, v)?),
            _ => None,
        },
        is_minimizable: is_minimizable.is_some_and(truthy),
        wide: wide.is_some_and(truthy),
    };
    ctx.messages.push(message);
    if let Some(r) = raise {
        // `raise_exception` may be True (ValidationError), a class, or an instance
        let e = match r.as_static() {
            Some((StaticKind::ExcClass, id)) => exc::new(id, vec![pystr::new(text)]),
            _ if exc::get(r).is_some() => Val::new_ref(r),
            _ => exc::new(*exc::ids::VALIDATION_ERROR, vec![pystr::new(text)]),
        };
        if let (Some(obj), Some(t)) = (
            exc::get(e.v()),
            ctx.messages.last().and_then(|m| m.title.clone()),
        ) {
            *obj.title.borrow_mut() = Some(t);
        }
        return Err(ctx.raise(e));
    }
    Ok(Val::NONE)
}

/// `frappe.throw(msg, exc=ValidationError, title=None, is_minimizable=False, wide=False,
/// as_list=False, primary_action=None)`: a red message, then the exception.
pub fn throw(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [
        msg,
        exc_class,
        title,
        is_minimizable,
        wide,
        as_list,
        primary_action,
    ] = parse(
        ctx,
        "throw",
        [
            "msg",
            "exc",
            "title",
            "is_minimizable",
            "wide",
            "as_list",
            "primary_action",
        ],
        1,
        args,
        kwargs,
    )?;
    let class = match exc_class {
        Some(c) if !c.is_none() => match c.as_static() {
            Some((StaticKind::ExcClass, _)) => c,
            _ if exc::get(c).is_some() => c,
            _ => return Err(ctx.type_error("exceptions must derive from BaseException")),
        },
        _ => exc::class_value(*exc::ids::VALIDATION_ERROR),
    };
    let mut pairs: Vec<(&str, Value)> = vec![("raise_exception", class)];
    for (name, v) in [
        ("title", title),
        ("is_minimizable", is_minimizable),
        ("wide", wide),
        ("as_list", as_list),
        ("primary_action", primary_action),
    ] {
        if let Some(v) = v {
            pairs.push((name, v));
        }
    }
    msgprint(ctx, &[msg.unwrap()], &pairs)
}

/// `frappe.log(msg)` / `log(msg)`: appends to the debug log.
pub fn log(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [msg] = parse(ctx, "log", ["msg"], 1, args, kwargs)?;
    let text = message_text(ctx, msg.unwrap())?;
    ctx.log(text)?;
    Ok(Val::NONE)
}

pub fn bold(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [text] = parse(ctx, "bold", ["text"], 1, args, kwargs)?;
    let t = message_text(ctx, text.unwrap())?;
    Ok(pystr::new(format!("<strong>{t}</strong>")))
}

/// `scrub("Sales Order")` → `"sales_order"`.
pub fn scrub(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [text] = parse(ctx, "scrub", ["txt"], 1, args, kwargs)?;
    let t = message_text(ctx, text.unwrap())?;
    Ok(pystr::new(t.replace([' ', '-'], "_").to_lowercase()))
}

/// `frappe.as_json(obj, indent=1)`: sorted keys, `": "` and `","` separators.
pub fn as_json(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [obj, indent] = parse(ctx, "as_json", ["obj", "indent"], 1, args, kwargs)?;
    let indent = match indent {
        Some(v) if v.is_none() => None,
        Some(v) => Some(int::to_i64(v).unwrap_or(1).max(0) as usize),
        None => Some(1),
    };
    let opts = super::json::DumpOptions {
        indent,
        sort_keys: true,
        item_sep: ",".into(),
        key_sep: ": ".into(),
        ensure_ascii: true,
        frappe_types: true,
    };
    super::json::dump_value(ctx, obj.unwrap(), &opts).map(pystr::new)
}

/// `frappe.parse_json(value)`: strings are parsed; dicts become `_dict`s.
pub fn parse_json(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = parse(ctx, "parse_json", ["val"], 1, args, kwargs)?;
    let v = v.unwrap();
    match pystr::as_str(v) {
        Some(s) => super::json::parse(ctx, s, convert::JsonObjects::AttrDict),
        None => Ok(Val::new_ref(v)),
    }
}

// ---------------------------------------------------------------------- numbers

/// `float(v)` as Python would compute it, or `None` when Python would raise.
fn try_float(ctx: &mut Ctx, v: Value) -> Option<f64> {
    let r = if let Some(s) = pystr::as_str(v) {
        // flt ignores thousands separators
        convert::parse_float(ctx, &s.replace(',', ""))
    } else {
        match convert::to_float(ctx, v) {
            Ok(f) => Ok(float::get(f.v()).unwrap_or(0.0)),
            Err(e) => Err(e),
        }
    };
    match r {
        Ok(f) => Some(f),
        Err(_) => {
            ctx.take_exception();
            None
        }
    }
}

/// Frappe's default "Banker's Rounding (legacy)": round the scaled value to 8 places to
/// absorb representation error, then round half up (half to even when `precision` is 0).
pub fn bankers_rounding_legacy(num: f64, precision: i64) -> Rounded {
    let multiplier = 10f64.powi(precision as i32);
    let scaled = if precision != 0 {
        super::py::round_float(num * multiplier, 8)
    } else {
        super::py::round_float(num, 8)
    };
    let floor = scaled.floor();
    let decimal_part = scaled - floor;
    let r = if precision == 0 && decimal_part == 0.5 {
        if floor % 2.0 == 0.0 {
            floor
        } else {
            floor + 1.0
        }
    } else if decimal_part == 0.5 {
        floor + 1.0
    } else {
        scaled.round_ties_even()
    };
    if precision != 0 {
        Rounded::Float(r / multiplier)
    } else {
        Rounded::Int(r)
    }
}

/// Frappe's rounding returns an int (Python's `round()`) when precision is 0.
pub enum Rounded {
    Float(f64),
    Int(f64),
}

fn rounded_value(ctx: &mut Ctx, r: Rounded) -> PyResult {
    match r {
        Rounded::Float(f) => Ok(float::new(f)),
        Rounded::Int(f) => convert::float_to_int(ctx, f),
    }
}

fn precision_arg(ctx: &mut Ctx, v: Option<Value>) -> PyResult<Option<i64>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => Ok(Some(cint_of(ctx, v, 0))),
    }
}

fn check_rounding_method(ctx: &mut Ctx, method: Option<Value>) -> PyResult<()> {
    match method.and_then(pystr::as_str) {
        None | Some("Banker's Rounding (legacy)") => Ok(()),
        Some(other) => Err(ctx.raise_new(
            exc::class_id("frappe.InvalidRoundingMethod").expect("class"),
            format!("Unknown Rounding Method: {other}"),
        )),
    }
}

/// `frappe.utils.flt(s, precision=None, rounding_method=None)`: 0.0 for None and for
/// anything `float()` refuses; commas in strings ignored.
pub fn flt(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [s, precision, method] = parse(
        ctx,
        "flt",
        ["s", "precision", "rounding_method"],
        1,
        args,
        kwargs,
    )?;
    let s = s.unwrap();
    if s.is_none() {
        return Ok(float::new(0.0));
    }
    // fast path: a float or int with no precision
    if precision.is_none_or(|p| p.is_none()) {
        if let Some(f) = float::get(s) {
            return Ok(float::new(f));
        }
        if let Some(i) = s.as_small_int() {
            return Ok(float::new(i as f64));
        }
    }
    let Some(num) = try_float(ctx, s) else {
        return Ok(float::new(0.0));
    };
    match precision_arg(ctx, precision)? {
        None => Ok(float::new(num)),
        Some(p) => {
            check_rounding_method(ctx, method)?;
            if !num.is_finite() {
                return Ok(float::new(0.0));
            }
            rounded_value(ctx, bankers_rounding_legacy(num, p))
        }
    }
}

/// `cint(s, default=0)` for Rust callers.
pub fn cint_of(ctx: &mut Ctx, v: Value, default: i64) -> i64 {
    if v.is_none() {
        return default;
    }
    if let Some(i) = int::to_i64(v) {
        return i;
    }
    let attempt = convert::to_int(ctx, v, None).or_else(|_| {
        ctx.take_exception();
        let f = convert::to_float(ctx, v)?;
        convert::to_int(ctx, f.v(), None)
    });
    match attempt {
        Ok(r) => int::to_i64(r.v()).unwrap_or(default),
        Err(_) => {
            ctx.take_exception();
            default
        }
    }
}

/// `frappe.utils.cint(s, default=0)`: `int(s)`, else `int(float(s))`, else `default`.
pub fn cint(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [s, default] = parse(ctx, "cint", ["s", "default"], 1, args, kwargs)?;
    let s = s.unwrap();
    let default_val = default.map(Val::new_ref).unwrap_or(Val::int(0));
    if s.is_none() {
        return Ok(default_val);
    }
    if int::is_int(s) {
        return Ok(Val::new_ref(s));
    }
    let attempt = convert::to_int(ctx, s, None).or_else(|_| {
        ctx.take_exception();
        let f = convert::to_float(ctx, s)?;
        convert::to_int(ctx, f.v(), None)
    });
    match attempt {
        Ok(r) => Ok(r),
        Err(_) => {
            ctx.take_exception();
            Ok(default_val)
        }
    }
}

/// `frappe.utils.cstr(s)`: `""` for None, else `str(s)`.
pub fn cstr(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [s, _encoding] = parse(ctx, "cstr", ["s", "encoding"], 1, args, kwargs)?;
    let s = s.unwrap();
    if s.is_none() {
        return Ok(pystr::new(""));
    }
    if pystr::get(s).is_some() {
        return Ok(Val::new_ref(s));
    }
    pyrepr::to_str(ctx, s).map(pystr::new)
}

/// `frappe.utils.rounded(num, precision=0, rounding_method=None)`.
pub fn rounded(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [num, precision, method] = parse(
        ctx,
        "rounded",
        ["num", "precision", "rounding_method"],
        1,
        args,
        kwargs,
    )?;
    check_rounding_method(ctx, method)?;
    let p = precision_arg(ctx, precision)?.unwrap_or(0);
    let Some(n) = crate::ops::compare::to_f64(ctx, num.unwrap())? else {
        return Err(ctx.type_error(format!(
            "must be real number, not {}",
            crate::ops::type_name(num.unwrap())
        )));
    };
    rounded_value(ctx, bankers_rounding_legacy(n, p))
}

fn floor_ceil(
    ctx: &mut Ctx,
    args: &[Value],
    kwargs: &Kwargs,
    name: &str,
    f: fn(f64) -> f64,
) -> PyResult {
    let [s] = parse(ctx, name, ["s"], 1, args, kwargs)?;
    let s = s.unwrap();
    let v = if s.is_none() {
        Some(0.0)
    } else {
        try_float(ctx, s)
    };
    match v.filter(|x| x.is_finite()) {
        Some(x) => convert::float_to_int(ctx, f(x)),
        None => Ok(Val::int(0)),
    }
}

pub fn floor(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    floor_ceil(ctx, args, kwargs, "floor", f64::floor)
}

pub fn ceil(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    floor_ceil(ctx, args, kwargs, "ceil", f64::ceil)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legacy(n: f64, p: i64) -> f64 {
        match bankers_rounding_legacy(n, p) {
            Rounded::Float(f) | Rounded::Int(f) => f,
        }
    }

    #[test]
    fn legacy_rounding_matches_frappe_examples() {
        assert_eq!(legacy(43.5, 0), 44.0);
        assert_eq!(legacy(42.5, 0), 42.0);
        assert_eq!(legacy(10500.5666, 2), 10500.57);
        assert_eq!(legacy(1.005, 2), 1.01); // 100.49999999999999 → round(…, 8) = 100.5 → up
        assert_eq!(legacy(2.675, 2), 2.68);
        assert_eq!(legacy(-2.5, 0), -2.0);
        assert_eq!(legacy(0.125, 2), 0.13);
    }
}
