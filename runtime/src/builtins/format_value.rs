//! `frappe.format(value, df=None, doc=None, currency=None, translated=False,
//! format=None)` (also `frappe.format_value`): a value shown as its field type shows it —
//! dates in the user's format, money grouped with its currency, percents, durations,
//! text with line breaks as `<br>`. Follows `frappe/utils/formatters.py` (read, not
//! copied); the field type is guessed from the value when no field is given.

use super::args::parse;
use super::{Builtin, b, dates, text};
use crate::ctx::{Ctx, PyResult};
use crate::object::{date, dict, float, int, str as pystr};
use crate::ops::call::Kwargs;
use crate::ops::{self, truthy};
use crate::value::{Val, Value};

pub static TABLE: &[Builtin] = &[
    b("frappe.format", format_value),
    b("frappe.format_value", format_value),
];

/// A key of a `df` dict (`fieldtype`, `options`, `precision`).
fn df_get(_ctx: &mut Ctx, df: Value, key: &str) -> PyResult<Option<Val>> {
    Ok(dict::get(df)
        .and_then(|d| d.get_str(key))
        .filter(|v| !v.v().is_none()))
}

pub fn format_value(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [value, df, _doc, currency, _translated, format] = parse(
        ctx,
        "format_value",
        ["value", "df", "doc", "currency", "translated", "format"],
        1,
        a,
        k,
    )?;
    let value = value.unwrap();
    let df = df.filter(|d| truthy(*d));
    let fieldtype: String = match df {
        Some(d) if pystr::as_str(d).is_some() => pystr::as_str(d).unwrap().to_string(),
        Some(d) => match df_get(ctx, d, "fieldtype")? {
            Some(v) => ops::repr::to_str(ctx, v.v())?,
            None => String::new(),
        },
        None => if date::get_datetime(value).is_some() {
            "Datetime"
        } else if date::get_date(value).is_some() {
            "Date"
        } else if date::get_timedelta(value).is_some() {
            "Time"
        } else if int::is_int(value) && value.as_bool().is_none() {
            "Int"
        } else if float::get(value).is_some() {
            "Float"
        } else {
            "Data"
        }
        .to_string(),
    };
    let value = if value.is_none() {
        pystr::new("")
    } else {
        Val::new_ref(value)
    };
    let v = value.v();
    let dfv = df.unwrap_or(Value::NONE);
    let precision = df_get(ctx, dfv, "precision")?.map(|p| super::frappe::cint_of(ctx, p.v(), 0));
    match fieldtype.as_str() {
        "Date" => dates::format_date(ctx, &[v], &[]),
        "Datetime" => dates::format_datetime(ctx, &[v], &[]),
        "Time" => dates::format_time(ctx, &[v], &[]),
        "Currency" => {
            let currency = match currency.filter(|c| truthy(*c)) {
                Some(c) => Val::new_ref(c),
                None => match &ctx.settings.currency {
                    Some(c) => pystr::new(c.as_str()),
                    None => Val::NONE,
                },
            };
            let p = precision.map(Val::int).unwrap_or(Val::NONE);
            let f = format.map(Val::new_ref).unwrap_or(Val::NONE);
            text::fmt_money(ctx, &[v, p.v(), currency.v(), f.v()], &[])
        }
        "Float" => {
            // 1.000000 shows as 1 when the field has no options
            let mut p = precision.unwrap_or(3);
            let has_options = df_get(ctx, dfv, "options")?.is_some();
            if !has_options {
                let s = ops::repr::to_str(ctx, v)?;
                let whole = match s.split_once('.') {
                    None => true,
                    Some((_, frac)) => frac.chars().all(|c| c == '0'),
                };
                if whole {
                    p = 0;
                }
            }
            text::fmt_money(ctx, &[v, Val::int(p).v()], &[])
        }
        "Percent" => {
            let f = super::frappe::flt(ctx, &[v, Val::int(2).v()], &[])?;
            let s = ops::repr::to_str(ctx, f.v())?;
            Ok(pystr::new(format!("{s}%")))
        }
        "Text" | "Small Text" => {
            let Some(s) = pystr::as_str(v) else {
                return Ok(value);
            };
            if s.contains("<br") || s.contains("<div") || s.contains("<p") {
                Ok(value)
            } else {
                Ok(pystr::new(s.replace('\n', "<br>")))
            }
        }
        "Duration" => {
            let hide = df_get(ctx, dfv, "hide_days")?.unwrap_or(Val::NONE);
            dates::format_duration(ctx, &[v, hide.v()], &[])
        }
        "Text Editor" => {
            let s = ops::repr::to_str(ctx, v)?;
            Ok(pystr::new(format!("<div class='ql-snow'>{s}</div>")))
        }
        _ => Ok(value),
    }
}
