//! `frappe.utils` time helpers: `get_time`, `get_timedelta`, `to_timedelta` and the
//! `get_*_str` formatters of dates, datetimes and times.

use super::*;

/// `H:M[:S]` with hours past 23 (Frappe's `parse_timedelta` fallback).
fn long_clock(s: &str) -> Option<TimeDeltaObj> {
    let s = s.trim();
    let (days, clock) = match s.split_once(',') {
        Some((d, rest)) => {
            let n: i64 = d
                .trim()
                .trim_end_matches("days")
                .trim_end_matches("day")
                .trim()
                .parse()
                .ok()?;
            (n, rest.trim())
        }
        None => (0, s),
    };
    let mut parts = clock.split(':');
    let h: i64 = parts.next()?.trim().parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let sec: f64 = parts
        .next()
        .map(str::parse)
        .transpose()
        .ok()?
        .unwrap_or(0.0);
    let micros =
        ((days * 86_400 + h * 3600 + m * 60) as i128) * 1_000_000 + (sec * 1e6).round() as i128;
    Some(TimeDeltaObj::from_micros(micros))
}

fn time_of(td: TimeDeltaObj) -> Time {
    let rest = td.total_micros().rem_euclid(86_400_000_000);
    Time::midnight()
        .checked_add(jiff::SignedDuration::from_micros(rest as i64))
        .unwrap_or(Time::midnight())
}

fn clock_delta(t: Time) -> TimeDeltaObj {
    let micros = ((t.hour() as i128 * 60 + t.minute() as i128) * 60 + t.second() as i128)
        * 1_000_000
        + (t.subsec_nanosecond() / 1000) as i128;
    TimeDeltaObj::from_micros(micros)
}

/// `get_time(value)`: a `datetime.time` from a datetime, time, timedelta or string.
pub fn get_time(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "get_time", ["time_str"], 1, a, k)?;
    let v = v.unwrap();
    if let Some(dt) = pydate::get_datetime(v) {
        return Ok(pydate::new_time(dt.time()));
    }
    if pydate::get_time(v).is_some() {
        return Ok(Val::new_ref(v));
    }
    if let Some(td) = pydate::get_timedelta(v) {
        return Ok(pydate::new_time(time_of(td)));
    }
    let Some(s) = pystr::as_str(v) else {
        return Err(ctx.type_error(format!(
            "Parser must be a string or character stream, not {}",
            ops::type_name(v)
        )));
    };
    match parse::parse(s, false, default_for_parse(ctx)) {
        Ok(dt) => Ok(pydate::new_time(dt.time())),
        Err(e) if e.0.starts_with("hour must be in") => match long_clock(s) {
            Some(td) => Ok(pydate::new_time(time_of(td))),
            None => Err(ctx.value_error(e.0)),
        },
        Err(e) => Err(ctx.value_error(e.0)),
    }
}

/// `get_timedelta(time=None)`: a timedelta from a time string, or None when it does
/// not parse.
pub fn get_timedelta(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "get_timedelta", ["time"], 0, a, k)?;
    let v = arg_or_none(v);
    if pydate::get_timedelta(v).is_some() {
        return Ok(Val::new_ref(v));
    }
    let s = if truthy(v) {
        match pystr::as_str(v) {
            Some(s) => s.to_string(),
            None => return Ok(Val::NONE),
        }
    } else {
        "0:0:0".to_string()
    };
    match parse::parse(&s, false, default_for_parse(ctx)) {
        Ok(dt) => Ok(pydate::new_timedelta(clock_delta(dt.time()))),
        Err(_) => Ok(long_clock(&s)
            .map(pydate::new_timedelta)
            .unwrap_or(Val::NONE)),
    }
}

/// `to_timedelta(time_str)`: strings and times become timedeltas; anything else is
/// returned as it is.
pub fn to_timedelta(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "to_timedelta", ["time_str"], 1, a, k)?;
    let v = v.unwrap();
    if let Some(t) = pydate::get_time(v) {
        return Ok(pydate::new_timedelta(clock_delta(t)));
    }
    if let Some(s) = pystr::as_str(v) {
        let dt = parse_or_raise(ctx, s, false)?;
        return Ok(pydate::new_timedelta(clock_delta(dt.time())));
    }
    Ok(Val::new_ref(v))
}

fn strftime_value(ctx: &mut Ctx, v: Value, fmt: &str) -> PyResult<String> {
    if let Some(dt) = pydate::get_datetime(v) {
        return Ok(strftime(dt, fmt));
    }
    if let Some(d) = pydate::get_date(v) {
        return Ok(strftime(midnight(d), fmt));
    }
    Err(ctx.attribute_error(format!(
        "'{}' object has no attribute 'strftime'",
        ops::type_name(v)
    )))
}

/// A date or datetime (a string is read as `get_datetime` reads it) in `fmt`.
fn formatted(ctx: &mut Ctx, v: Value, fmt: &str) -> PyResult {
    let mut v = Val::new_ref(v);
    if pystr::as_str(v.v()).is_some() {
        let like = to_datetime_like(ctx, v.v())?;
        v = like_value(like);
    }
    strftime_value(ctx, v.v(), fmt).map(pystr::new)
}

/// `get_datetime_str(value)`: `YYYY-MM-DD HH:MM:SS.ffffff`.
pub fn get_datetime_str(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "get_datetime_str", ["datetime_obj"], 1, a, k)?;
    formatted(ctx, v.unwrap(), DATETIME_FORMAT)
}

/// `get_date_str(value)`: `YYYY-MM-DD`.
pub fn get_date_str(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "get_date_str", ["date_obj"], 1, a, k)?;
    formatted(ctx, v.unwrap(), DATE_FORMAT)
}

/// `get_time_str(timedelta)`: `H:M:S` without zero padding (Frappe's format).
pub fn get_time_str(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "get_time_str", ["timedelta_obj"], 1, a, k)?;
    let v = v.unwrap();
    let td = if let Some(s) = pystr::as_str(v) {
        let dt = parse_or_raise(ctx, s, false)?;
        clock_delta(dt.time())
    } else if let Some(td) = pydate::get_timedelta(v) {
        td
    } else {
        return Err(ctx.attribute_error(format!(
            "'{}' object has no attribute 'seconds'",
            ops::type_name(v)
        )));
    };
    let (h, rest) = (td.seconds / 3600, td.seconds % 3600);
    Ok(pystr::new(format!("{h}:{}:{}", rest / 60, rest % 60)))
}
