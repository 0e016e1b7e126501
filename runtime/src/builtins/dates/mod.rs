//! The date and time family of `frappe.utils` (`getdate`, `add_days`, `date_diff`,
//! `now`, `formatdate`…). Semantics follow `frappe/utils/data.py` (read, not copied):
//! strings are parsed as `dateutil` parses them ([`parse`]), month arithmetic is
//! `relativedelta`'s (the day clipped to the month's end), "now" is the wall clock in
//! the site's time zone ([`crate::settings`]), and formats are Babel's CLDR patterns in
//! English ([`cldr`]). Where Frappe returns a string or a date, so do we — including
//! its quirks (`get_year_ending` returns a string; `add_to_date` on a string returns a
//! string).

pub mod cldr;
mod format;
pub mod parse;
mod span;
mod times;
pub mod timespan;

pub use format::*;
pub use span::*;
pub use times::*;

use jiff::civil::{Date, DateTime, Time};

use super::args::parse as args;
use super::{Builtin, b};
use crate::ctx::{Ctx, PyResult};
use crate::host::HostError;
use crate::object::date::{self as pydate, TimeDeltaObj};
use crate::object::{float, int, list, str as pystr, tuple};
use crate::ops::call::Kwargs;
use crate::ops::{self, truthy};
use crate::value::{Val, Value};

pub const DATE_FORMAT: &str = "%Y-%m-%d";
pub const TIME_FORMAT: &str = "%H:%M:%S.%f";
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S.%f";

pub static TABLE: &[Builtin] = &[
    b("frappe.utils.getdate", getdate),
    b("frappe.utils.get_datetime", get_datetime),
    b("frappe.utils.now_datetime", now_datetime),
    b("frappe.utils.now", now),
    b("frappe.utils.nowdate", nowdate),
    b("frappe.utils.today", nowdate),
    b("frappe.utils.nowtime", nowtime),
    b("frappe.utils.add_to_date", add_to_date),
    b("frappe.utils.add_days", add_days),
    b("frappe.utils.add_months", add_months),
    b("frappe.utils.add_years", add_years),
    b("frappe.utils.date_diff", date_diff),
    b("frappe.utils.month_diff", month_diff),
    b("frappe.utils.time_diff", time_diff),
    b("frappe.utils.time_diff_in_seconds", time_diff_in_seconds),
    b("frappe.utils.time_diff_in_hours", time_diff_in_hours),
    b("frappe.utils.get_first_day", get_first_day),
    b("frappe.utils.get_last_day", get_last_day),
    b("frappe.utils.get_quarter_start", get_quarter_start),
    b("frappe.utils.get_quarter_ending", get_quarter_ending),
    b("frappe.utils.get_year_start", get_year_start),
    b("frappe.utils.get_year_ending", get_year_ending),
    b("frappe.utils.get_first_day_of_week", get_first_day_of_week),
    b("frappe.utils.get_last_day_of_week", get_last_day_of_week),
    b("frappe.utils.get_time", get_time),
    b("frappe.utils.get_timedelta", get_timedelta),
    b("frappe.utils.to_timedelta", to_timedelta),
    b("frappe.utils.get_datetime_str", get_datetime_str),
    b("frappe.utils.get_date_str", get_date_str),
    b("frappe.utils.get_time_str", get_time_str),
    b("frappe.utils.get_user_date_format", get_user_date_format),
    b("frappe.utils.get_user_time_format", get_user_time_format),
    b("frappe.utils.format_date", format_date),
    b("frappe.utils.formatdate", format_date),
    b("frappe.utils.format_time", format_time),
    b("frappe.utils.format_datetime", format_datetime),
    b("frappe.utils.format_duration", format_duration),
    b("frappe.utils.get_weekdays", get_weekdays),
    b("frappe.utils.get_weekday", get_weekday),
    b("frappe.utils.global_date_format", global_date_format),
    b("frappe.format_date", global_date_format),
    b("frappe.utils.pretty_date", pretty_date),
    b("frappe.utils.get_system_timezone", get_system_timezone),
    b(
        "frappe.utils.is_invalid_date_string",
        is_invalid_date_string,
    ),
    b(
        "frappe.utils.get_timespan_date_range",
        get_timespan_date_range,
    ),
];

// ---------------------------------------------------------------------- conversions

fn strftime(dt: DateTime, fmt: &str) -> String {
    let micros = format!("{:06}", dt.subsec_nanosecond() / 1000);
    jiff::fmt::strtime::format(fmt.replace("%f", &micros).as_str(), dt).unwrap_or_default()
}

fn midnight(d: Date) -> DateTime {
    d.to_datetime(Time::midnight())
}

/// Frappe's `is_invalid_date_string`: not a str, empty, or a zero date.
fn invalid_date_string(v: Value) -> bool {
    match pystr::as_str(v) {
        None => true,
        Some(s) => s.is_empty() || s.starts_with("0001-01-01") || s.starts_with("0000-00-00"),
    }
}

fn default_for_parse(ctx: &Ctx) -> DateTime {
    midnight(ctx.settings.now().date())
}

/// `frappe.throw(msg, title=…)` from Rust: a ValidationError with a red message.
fn throw(ctx: &mut Ctx, message: String, title: &str) -> crate::ctx::Raised {
    ctx.raise_host_error(HostError {
        exc_type: "ValidationError".into(),
        message,
        title: Some(title.into()),
    })
}

/// dateutil's `parser.parse`: errors are `ValueError`s (its ParserError subclasses it).
fn parse_or_raise(ctx: &mut Ctx, s: &str, dayfirst: bool) -> PyResult<DateTime> {
    let default = default_for_parse(ctx);
    parse::parse(s, dayfirst, default).map_err(|e| ctx.value_error(e.0))
}

/// `getdate(value)`: today for a falsy value, the date part of dates and datetimes,
/// `None` for non-strings and zero dates, else the parsed string (a ValidationError
/// "… is not a valid date string." when it does not parse).
pub fn to_date(ctx: &mut Ctx, v: Value, dayfirst: bool) -> PyResult<Option<Date>> {
    if !truthy(v) {
        return Ok(Some(ctx.settings.now().date()));
    }
    if let Some(dt) = pydate::get_datetime(v) {
        return Ok(Some(dt.date()));
    }
    if let Some(d) = pydate::get_date(v) {
        return Ok(Some(d));
    }
    if invalid_date_string(v) {
        return Ok(None);
    }
    let s = pystr::as_str(v).unwrap_or_default();
    match parse::parse(s, dayfirst, default_for_parse(ctx)) {
        Ok(dt) => Ok(Some(dt.date())),
        Err(_) => Err(throw(
            ctx,
            format!("<strong>{s}</strong> is not a valid date string."),
            "Invalid Date",
        )),
    }
}

/// What `get_datetime(value)` returns: a datetime, a timedelta passed through, or None.
enum DateTimeLike {
    DateTime(DateTime),
    TimeDelta(TimeDeltaObj),
    Nothing,
}

fn to_datetime_like(ctx: &mut Ctx, v: Value) -> PyResult<DateTimeLike> {
    if v.is_none() {
        return Ok(DateTimeLike::DateTime(ctx.settings.now()));
    }
    if let Some(dt) = pydate::get_datetime(v) {
        return Ok(DateTimeLike::DateTime(dt));
    }
    if let Some(td) = pydate::get_timedelta(v) {
        return Ok(DateTimeLike::TimeDelta(td));
    }
    if let Some(d) = pydate::get_date(v) {
        return Ok(DateTimeLike::DateTime(midnight(d)));
    }
    if list::get(v).is_some() || tuple::get(v).is_some() {
        return Err(ctx.type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            ops::type_name(v)
        )));
    }
    if invalid_date_string(v) {
        return Ok(DateTimeLike::Nothing);
    }
    let s = pystr::as_str(v).unwrap_or_default();
    if let Some(dt) = parse::strict_datetime(s) {
        return Ok(DateTimeLike::DateTime(dt));
    }
    parse_or_raise(ctx, s, false).map(DateTimeLike::DateTime)
}

fn like_value(v: DateTimeLike) -> Val {
    match v {
        DateTimeLike::DateTime(dt) => pydate::new_datetime(dt),
        DateTimeLike::TimeDelta(td) => pydate::new_timedelta(td),
        DateTimeLike::Nothing => Val::NONE,
    }
}

fn date_or_str(d: Date, as_str: bool) -> Val {
    if as_str {
        pystr::new(d.strftime(DATE_FORMAT).to_string())
    } else {
        pydate::new_date(d)
    }
}

/// A date argument that must resolve (`get_first_day(dt)`): None → the TypeError
/// Python's attribute access on None would raise.
fn need_date(ctx: &mut Ctx, v: Value, what: &str) -> PyResult<Date> {
    match to_date(ctx, v, false)? {
        Some(d) => Ok(d),
        None => Err(ctx.attribute_error(format!("'NoneType' object has no attribute '{what}'"))),
    }
}

fn arg_or_none(v: Option<Value>) -> Value {
    v.unwrap_or(Value::NONE)
}

fn overflow(ctx: &mut Ctx) -> crate::ctx::Raised {
    ctx.overflow_error("date value out of range")
}

// ---------------------------------------------------------------------- now

pub fn now_datetime(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    args::<0>(ctx, "now_datetime", [], 0, a, k)?;
    Ok(pydate::new_datetime(ctx.settings.now()))
}

pub fn now(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    args::<0>(ctx, "now", [], 0, a, k)?;
    Ok(pystr::new(strftime(ctx.settings.now(), DATETIME_FORMAT)))
}

pub fn nowdate(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    args::<0>(ctx, "nowdate", [], 0, a, k)?;
    Ok(pystr::new(strftime(ctx.settings.now(), DATE_FORMAT)))
}

pub fn nowtime(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    args::<0>(ctx, "nowtime", [], 0, a, k)?;
    Ok(pystr::new(strftime(ctx.settings.now(), TIME_FORMAT)))
}

pub fn get_system_timezone(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    args::<0>(ctx, "get_system_timezone", [], 0, a, k)?;
    Ok(pystr::new(ctx.settings.time_zone_name.as_str()))
}

pub fn get_user_date_format(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    args::<0>(ctx, "get_user_date_format", [], 0, a, k)?;
    Ok(pystr::new(ctx.settings.date_format.as_str()))
}

pub fn get_user_time_format(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    args::<0>(ctx, "get_user_time_format", [], 0, a, k)?;
    Ok(pystr::new(ctx.settings.time_format.as_str()))
}

// ---------------------------------------------------------------------- parsing

/// `getdate(string_date=None, parse_day_first=False)`.
pub fn getdate(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v, dayfirst] = args(ctx, "getdate", ["string_date", "parse_day_first"], 0, a, k)?;
    let v = arg_or_none(v);
    if pydate::get_date(v).is_some() {
        // the same object, as Frappe returns its argument
        return Ok(Val::new_ref(v));
    }
    let d = to_date(ctx, v, dayfirst.is_some_and(truthy))?;
    Ok(d.map(pydate::new_date).unwrap_or(Val::NONE))
}

/// `get_datetime(datetime_str=None)`.
pub fn get_datetime(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "get_datetime", ["datetime_str"], 0, a, k)?;
    to_datetime_like(ctx, arg_or_none(v)).map(like_value)
}

pub fn is_invalid_date_string(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "is_invalid_date_string", ["date_string"], 1, a, k)?;
    Ok(Val::bool(invalid_date_string(v.unwrap())))
}

// ---------------------------------------------------------------------- arithmetic

/// A number argument of `relativedelta` (int or float).
#[derive(Clone, Copy)]
enum Amount {
    Int(i64),
    Float(f64),
}

impl Amount {
    fn is_zero(self) -> bool {
        match self {
            Amount::Int(i) => i == 0,
            Amount::Float(f) => f == 0.0,
        }
    }
    fn as_f64(self) -> f64 {
        match self {
            Amount::Int(i) => i as f64,
            Amount::Float(f) => f,
        }
    }
}

fn amount(ctx: &mut Ctx, name: &str, v: Option<Value>) -> PyResult<Amount> {
    let Some(v) = v else {
        return Ok(Amount::Int(0));
    };
    if let Some(i) = int::to_i64(v) {
        return Ok(Amount::Int(i));
    }
    if let Some(f) = float::get(v) {
        return Ok(Amount::Float(f));
    }
    Err(ctx.type_error(format!(
        "unsupported operand type(s) for {name}: '{}'",
        ops::type_name(v)
    )))
}

/// Years or months: integers (`relativedelta` refuses fractional ones).
fn whole(ctx: &mut Ctx, a: Amount) -> PyResult<i64> {
    match a {
        Amount::Int(i) => Ok(i),
        Amount::Float(f) if f.fract() == 0.0 && f.abs() < 1e12 => Ok(f as i64),
        Amount::Float(_) => Err(ctx.value_error(
            "Non-integer years and months are ambiguous and not currently supported.",
        )),
    }
}

#[derive(Clone, Copy)]
struct Delta {
    months: i64,
    /// days, weeks, hours, minutes and seconds together, in microseconds.
    micros: i128,
    has_time: bool,
}

/// `value + relativedelta(...)`: months first with the day clipped to the month's
/// length, then the rest as a timedelta. A date stays a date unless the delta has a
/// time part (then it becomes a datetime, as in dateutil).
fn shift(ctx: &mut Ctx, base: DateTime, is_date: bool, d: Delta) -> PyResult<(DateTime, bool)> {
    let mut dt = base;
    if d.months != 0 {
        let total = dt.year() as i64 * 12 + (dt.month() as i64 - 1) + d.months;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        if !(1..=9999).contains(&y) {
            return Err(ctx.value_error(format!("year {y} is out of range")));
        }
        let first = Date::new(y as i16, m as i8, 1).map_err(|_| overflow(ctx))?;
        let day = dt.day().min(first.days_in_month());
        dt = Date::new(y as i16, m as i8, day)
            .map_err(|_| overflow(ctx))?
            .to_datetime(dt.time());
    }
    let still_date = is_date && !d.has_time;
    let micros = if still_date {
        // date + timedelta uses whole days only (floor)
        d.micros.div_euclid(86_400_000_000) * 86_400_000_000
    } else {
        d.micros
    };
    let span = jiff::SignedDuration::from_micros(i64::try_from(micros).map_err(|_| overflow(ctx))?);
    let r = dt.checked_add(span).map_err(|_| overflow(ctx))?;
    if r.year() < 1 {
        return Err(overflow(ctx));
    }
    Ok((r, still_date))
}

#[allow(clippy::too_many_arguments)]
fn add_impl(
    ctx: &mut Ctx,
    date: Value,
    years: Amount,
    months: Amount,
    weeks: Amount,
    days: Amount,
    hours: Amount,
    minutes: Amount,
    seconds: Amount,
    mut as_string: bool,
    mut as_datetime: bool,
) -> PyResult {
    if !hours.is_zero() {
        as_datetime = true;
    }
    let (base, is_date) = if date.is_none() {
        (ctx.settings.now(), false)
    } else if let Some(s) = pystr::as_str(date) {
        as_string = true;
        if s.contains(' ') {
            as_datetime = true;
        }
        match parse::parse(s, false, default_for_parse(ctx)) {
            Ok(dt) => (dt, false),
            Err(_) => {
                return Err(throw(
                    ctx,
                    "Please select a valid date filter".into(),
                    "Invalid Date",
                ));
            }
        }
    } else if let Some(dt) = pydate::get_datetime(date) {
        (dt, false)
    } else if let Some(d) = pydate::get_date(date) {
        (midnight(d), true)
    } else {
        return Err(ctx.type_error(format!(
            "unsupported operand type(s) for +: '{}' and 'relativedelta'",
            ops::type_name(date)
        )));
    };
    let months = whole(ctx, years)? * 12 + whole(ctx, months)?;
    let exact = [weeks, days, hours, minutes, seconds]
        .iter()
        .all(|a| matches!(a, Amount::Int(_)));
    let micros: i128 = if exact {
        let i = |a: Amount| match a {
            Amount::Int(i) => i as i128,
            Amount::Float(_) => 0,
        };
        ((i(weeks) * 7 + i(days)) * 86_400 + i(hours) * 3600 + i(minutes) * 60 + i(seconds))
            * 1_000_000
    } else {
        let total = ((weeks.as_f64() * 7.0 + days.as_f64()) * 86_400.0
            + hours.as_f64() * 3600.0
            + minutes.as_f64() * 60.0
            + seconds.as_f64())
            * 1e6;
        if !total.is_finite() || total.abs() > 1e20 {
            return Err(overflow(ctx));
        }
        total.round() as i128
    };
    // only hours, minutes and seconds make a date a datetime; fractional days on a
    // date add whole days (floored), as `date + timedelta` does
    let has_time = !hours.is_zero() || !minutes.is_zero() || !seconds.is_zero();
    let (r, still_date) = shift(
        ctx,
        base,
        is_date,
        Delta {
            months,
            micros,
            has_time,
        },
    )?;
    Ok(if as_string {
        pystr::new(strftime(
            r,
            if as_datetime {
                DATETIME_FORMAT
            } else {
                DATE_FORMAT
            },
        ))
    } else if still_date {
        pydate::new_date(r.date())
    } else {
        pydate::new_datetime(r)
    })
}

/// `add_to_date(date, years=0, months=0, weeks=0, days=0, hours=0, minutes=0,
/// seconds=0, as_string=False, as_datetime=False)`.
pub fn add_to_date(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [
        date,
        years,
        months,
        weeks,
        days,
        hours,
        minutes,
        seconds,
        as_string,
        as_datetime,
    ] = args(
        ctx,
        "add_to_date",
        [
            "date",
            "years",
            "months",
            "weeks",
            "days",
            "hours",
            "minutes",
            "seconds",
            "as_string",
            "as_datetime",
        ],
        1,
        a,
        k,
    )?;
    let mut n = Vec::new();
    for (name, v) in [
        ("years", years),
        ("months", months),
        ("weeks", weeks),
        ("days", days),
        ("hours", hours),
        ("minutes", minutes),
        ("seconds", seconds),
    ] {
        n.push(amount(ctx, name, v)?);
    }
    add_impl(
        ctx,
        date.unwrap(),
        n[0],
        n[1],
        n[2],
        n[3],
        n[4],
        n[5],
        n[6],
        as_string.is_some_and(truthy),
        as_datetime.is_some_and(truthy),
    )
}

fn add_one(ctx: &mut Ctx, a: &[Value], k: &Kwargs, unit: &str) -> PyResult {
    let fname = format!("add_{unit}");
    let [date, n] = args(ctx, &fname, ["date", unit], 2, a, k)?;
    let n = amount(ctx, "+", n)?;
    let z = Amount::Int(0);
    let (y, m, d) = match unit {
        "years" => (n, z, z),
        "months" => (z, n, z),
        _ => (z, z, n),
    };
    add_impl(ctx, date.unwrap(), y, m, z, d, z, z, z, false, false)
}

pub fn add_days(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    add_one(ctx, a, k, "days")
}

pub fn add_months(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    add_one(ctx, a, k, "months")
}

pub fn add_years(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    add_one(ctx, a, k, "years")
}

fn none_operands(ctx: &mut Ctx, a: Option<Date>, b: Option<Date>) -> PyResult<(Date, Date)> {
    match (a, b) {
        (Some(x), Some(y)) => Ok((x, y)),
        (x, y) => {
            let n = |d: Option<Date>| {
                if d.is_some() {
                    "datetime.date"
                } else {
                    "NoneType"
                }
            };
            Err(ctx.type_error(format!(
                "unsupported operand type(s) for -: '{}' and '{}'",
                n(x),
                n(y)
            )))
        }
    }
}

/// `date_diff(end, start)`: whole days between the two dates.
pub fn date_diff(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [end, start] = args(
        ctx,
        "date_diff",
        ["string_ed_date", "string_st_date"],
        2,
        a,
        k,
    )?;
    let e = to_date(ctx, end.unwrap(), false)?;
    let s = to_date(ctx, start.unwrap(), false)?;
    let (e, s) = none_operands(ctx, e, s)?;
    Ok(Val::int((e - s).get_days() as i64))
}

/// `month_diff(end, start)`: months from start to end, both counted.
pub fn month_diff(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [end, start] = args(
        ctx,
        "month_diff",
        ["string_ed_date", "string_st_date"],
        2,
        a,
        k,
    )?;
    let e = to_date(ctx, end.unwrap(), false)?;
    let s = to_date(ctx, start.unwrap(), false)?;
    let (e, s) = none_operands(ctx, e, s)?;
    Ok(Val::int(
        (e.year() as i64 - s.year() as i64) * 12 + e.month() as i64 - s.month() as i64 + 1,
    ))
}

/// `time_diff(end, start)`: `get_datetime(end) - get_datetime(start)`.
pub fn time_diff(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [end, start] = args(
        ctx,
        "time_diff",
        ["string_ed_date", "string_st_date"],
        2,
        a,
        k,
    )?;
    let e = to_datetime_like(ctx, end.unwrap())?;
    let s = to_datetime_like(ctx, start.unwrap())?;
    let (e, s) = (like_value(e), like_value(s));
    ops::arith::binary(ctx, ops::arith::BinOp::Sub, e.v(), s.v())
}

fn diff_seconds(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult<f64> {
    let d = time_diff(ctx, a, k)?;
    match pydate::get_timedelta(d.v()) {
        Some(td) => Ok(td.total_micros() as f64 / 1e6),
        None => Err(ctx.attribute_error(format!(
            "'{}' object has no attribute 'total_seconds'",
            ops::type_name(d.v())
        ))),
    }
}

pub fn time_diff_in_seconds(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    diff_seconds(ctx, a, k).map(float::new)
}

pub fn time_diff_in_hours(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let s = diff_seconds(ctx, a, k)?;
    Ok(float::new(super::py::round_float(s / 3600.0, 6)))
}

// ---------------------------------------------------------------------- periods

/// `get_first_day(dt, d_years=0, d_months=0, as_str=False)`.
pub fn get_first_day(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt, d_years, d_months, as_str] = args(
        ctx,
        "get_first_day",
        ["dt", "d_years", "d_months", "as_str"],
        1,
        a,
        k,
    )?;
    let d = need_date(ctx, dt.unwrap(), "month")?;
    let dy = amount(ctx, "+", d_years)?;
    let dy = whole(ctx, dy)?;
    let dm = amount(ctx, "+", d_months)?;
    let dm = whole(ctx, dm)?;
    let first = first_of_month(ctx, d, dy, dm)?;
    Ok(date_or_str(first, as_str.is_some_and(truthy)))
}

fn first_of_month(ctx: &mut Ctx, d: Date, dy: i64, dm: i64) -> PyResult<Date> {
    let m0 = d.month() as i64 + dm - 1;
    let year = d.year() as i64 + dy + m0.div_euclid(12);
    let month = m0.rem_euclid(12) + 1;
    if !(1..=9999).contains(&year) {
        return Err(ctx.value_error(format!("year {year} is out of range")));
    }
    Date::new(year as i16, month as i8, 1).map_err(|_| overflow(ctx))
}

fn last_of_month(ctx: &mut Ctx, d: Date) -> PyResult<Date> {
    let next = first_of_month(ctx, d, 0, 1)?;
    next.yesterday().map_err(|_| overflow(ctx))
}

/// `get_last_day(dt)`: the month's last date.
pub fn get_last_day(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt] = args(ctx, "get_last_day", ["dt"], 1, a, k)?;
    let d = need_date(ctx, dt.unwrap(), "month")?;
    last_of_month(ctx, d).map(pydate::new_date)
}

pub fn get_quarter_start(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt, as_str] = args(ctx, "get_quarter_start", ["dt", "as_str"], 1, a, k)?;
    let d = need_date(ctx, dt.unwrap(), "month")?;
    let month = (d.month() - 1) / 3 * 3 + 1;
    let q = Date::new(d.year(), month, 1).map_err(|_| overflow(ctx))?;
    Ok(date_or_str(q, as_str.is_some_and(truthy)))
}

/// `get_quarter_ending(date)`: the last date of the date's quarter.
pub fn get_quarter_ending(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt] = args(ctx, "get_quarter_ending", ["date"], 1, a, k)?;
    let d = need_date(ctx, dt.unwrap(), "year")?;
    let end_month = (d.month() - 1) / 3 * 3 + 3;
    let first = Date::new(d.year(), end_month, 1).map_err(|_| overflow(ctx))?;
    last_of_month(ctx, first).map(pydate::new_date)
}

pub fn get_year_start(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt, as_str] = args(ctx, "get_year_start", ["dt", "as_str"], 1, a, k)?;
    let d = need_date(ctx, dt.unwrap(), "year")?;
    let y = Date::new(d.year(), 1, 1).map_err(|_| overflow(ctx))?;
    Ok(date_or_str(y, as_str.is_some_and(truthy)))
}

/// `get_year_ending(date)`: Frappe computes it through `add_to_date` on a string, so
/// it returns the string `YYYY-12-31`.
pub fn get_year_ending(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt] = args(ctx, "get_year_ending", ["date"], 1, a, k)?;
    let d = need_date(ctx, dt.unwrap(), "year")?;
    Ok(pystr::new(format!("{:04}-12-31", d.year())))
}

fn week_start(ctx: &mut Ctx, d: Date) -> PyResult<Date> {
    // 0 = Sunday, as Frappe's normalised weekday index
    let current = (d.weekday().to_monday_zero_offset() as i64 + 1) % 7;
    let start = ctx.settings.week_start_index();
    let offset = (current - start).rem_euclid(7);
    d.checked_sub(jiff::Span::new().days(offset))
        .map_err(|_| overflow(ctx))
}

pub fn get_first_day_of_week(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt, as_str] = args(ctx, "get_first_day_of_week", ["dt", "as_str"], 1, a, k)?;
    let d = need_date(ctx, dt.unwrap(), "weekday")?;
    let s = week_start(ctx, d)?;
    Ok(date_or_str(s, as_str.is_some_and(truthy)))
}

pub fn get_last_day_of_week(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt] = args(ctx, "get_last_day_of_week", ["dt"], 1, a, k)?;
    let d = need_date(ctx, dt.unwrap(), "weekday")?;
    let s = week_start(ctx, d)?;
    s.checked_add(jiff::Span::new().days(6))
        .map(pydate::new_date)
        .map_err(|_| overflow(ctx))
}

pub fn get_weekdays(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    args::<0>(ctx, "get_weekdays", [], 0, a, k)?;
    Ok(list::new(
        cldr::WEEKDAYS.into_iter().map(pystr::new).collect(),
    ))
}

pub fn get_weekday(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [dt] = args(ctx, "get_weekday", ["datetime"], 0, a, k)?;
    let v = arg_or_none(dt);
    let d = if !truthy(v) {
        ctx.settings.now().date()
    } else if let Some(dt) = pydate::get_datetime(v) {
        dt.date()
    } else if let Some(d) = pydate::get_date(v) {
        d
    } else {
        return Err(ctx.attribute_error(format!(
            "'{}' object has no attribute 'weekday'",
            ops::type_name(v)
        )));
    };
    Ok(pystr::new(
        cldr::WEEKDAYS[d.weekday().to_monday_zero_offset() as usize],
    ))
}
