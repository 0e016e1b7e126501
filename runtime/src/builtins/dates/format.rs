//! `frappe.utils` formatting of dates and times for people: the user's formats
//! (`format_date`, `format_time`, `format_datetime`), Babel's named formats
//! (`global_date_format`), `format_duration` and `pretty_date`.

use super::*;

fn cldr_or(dt: DateTime, pattern: &str, fallback: &str) -> String {
    cldr::format(pattern, dt).unwrap_or_else(|_| strftime(dt, fallback))
}

fn opt_str(ctx: &mut Ctx, v: Option<Value>) -> PyResult<Option<String>> {
    match v {
        Some(v) if truthy(v) => ops::repr::to_str(ctx, v).map(Some),
        _ => Ok(None),
    }
}

/// `format_date(string_date=None, format_string=None, parse_day_first=False)` (and
/// `formatdate`): the date in the user's format (`dd-mm-yyyy` style, `mm` = month).
pub fn format_date(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v, fmt, dayfirst] = args(
        ctx,
        "format_date",
        ["string_date", "format_string", "parse_day_first"],
        0,
        a,
        k,
    )?;
    let v = arg_or_none(v);
    if !truthy(v) {
        return Ok(pystr::new(""));
    }
    let Some(d) = to_date(ctx, v, dayfirst.is_some_and(truthy))? else {
        return Ok(pystr::new(""));
    };
    let fmt = opt_str(ctx, fmt)?.unwrap_or_else(|| ctx.settings.date_format.clone());
    let pattern = fmt.replace("mm", "MM").replace('Y', "y");
    let fallback = pattern
        .replace("MM", "%m")
        .replace("dd", "%d")
        .replace("yyyy", "%Y");
    Ok(pystr::new(cldr_or(midnight(d), &pattern, &fallback)))
}

/// `format_time(time_string=None, format_string=None)`.
pub fn format_time(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v, fmt] = args(
        ctx,
        "format_time",
        ["time_string", "format_string"],
        0,
        a,
        k,
    )?;
    let v = arg_or_none(v);
    if !truthy(v) {
        return Ok(pystr::new(""));
    }
    let t = get_time(ctx, &[v], &[])?;
    let t = pydate::get_time(t.v()).unwrap_or(Time::midnight());
    let fmt = opt_str(ctx, fmt)?.unwrap_or_else(|| ctx.settings.time_format.clone());
    let dt = jiff::civil::date(1900, 1, 1).to_datetime(t);
    Ok(pystr::new(cldr_or(dt, &fmt, "%H:%M:%S")))
}

/// `format_datetime(datetime_string, format_string=None)`: None for a falsy value.
pub fn format_datetime(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v, fmt] = args(
        ctx,
        "format_datetime",
        ["datetime_string", "format_string"],
        1,
        a,
        k,
    )?;
    let v = v.unwrap();
    if !truthy(v) {
        return Ok(Val::NONE);
    }
    let dt = match to_datetime_like(ctx, v)? {
        DateTimeLike::DateTime(dt) => dt,
        _ => return Ok(Val::NONE),
    };
    let fmt = match opt_str(ctx, fmt)? {
        Some(f) => f,
        None => format!(
            "{} {}",
            ctx.settings.date_format.replace("mm", "MM"),
            ctx.settings.time_format
        ),
    };
    Ok(pystr::new(cldr_or(dt, &fmt, "%Y-%m-%d %H:%M:%S")))
}

/// `global_date_format(date, format="long")` and `frappe.format_date`: Babel's named
/// English formats (`January 15, 2024`).
pub fn global_date_format(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v, fmt] = args(ctx, "global_date_format", ["date", "format"], 1, a, k)?;
    let d = need_date(ctx, v.unwrap(), "year")?;
    let name = match fmt {
        Some(f) => ops::repr::to_str(ctx, f)?,
        None => "long".into(),
    };
    let pattern = cldr::named_date_pattern(&name)
        .unwrap_or(name.as_str())
        .to_string();
    match cldr::format(&pattern, midnight(d)) {
        Ok(s) => Ok(pystr::new(s)),
        Err(e) => Err(ctx.value_error(e)),
    }
}

/// `format_duration(seconds, hide_days=False)`: `3h 34m 45s`.
pub fn format_duration(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v, hide_days] = args(ctx, "format_duration", ["seconds", "hide_days"], 1, a, k)?;
    let secs = crate::builtins::frappe::cint_of(ctx, v.unwrap(), 0);
    let (mut days, mut hours) = (secs.div_euclid(86_400), secs.rem_euclid(86_400) / 3600);
    if hide_days.is_some_and(truthy) {
        hours = secs.div_euclid(3600);
        days = 0;
    }
    let parts = [
        (days, "d"),
        (hours, "h"),
        (secs.rem_euclid(3600) / 60, "m"),
        (secs.rem_euclid(60), "s"),
    ];
    let out: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, u)| format!("{n}{u}"))
        .collect();
    Ok(pystr::new(out.join(" ")))
}

/// `pretty_date(datetime)`: "just now", "3 hours ago", "Yesterday", "2 weeks ago"…
pub fn pretty_date(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = args(ctx, "pretty_date", ["iso_datetime"], 1, a, k)?;
    let v = v.unwrap();
    if !truthy(v) {
        return Ok(pystr::new(""));
    }
    let then = if let Some(s) = pystr::as_str(v) {
        match parse::strict_datetime(s) {
            Some(dt) => dt,
            None => {
                return Err(ctx.value_error(format!(
                    "time data '{s}' does not match format '{DATETIME_FORMAT}'"
                )));
            }
        }
    } else if let Some(dt) = pydate::get_datetime(v) {
        dt
    } else {
        return Err(ctx.type_error(format!(
            "unsupported operand type(s) for -: 'datetime.datetime' and '{}'",
            ops::type_name(v)
        )));
    };
    let now = ctx.settings.now();
    let diff = now.duration_since(then);
    let td = TimeDeltaObj::from_micros(diff.as_micros());
    let secs = td.days as f64 * 86_400.0 + td.seconds as f64;
    let days = (secs / 86_400.0).floor() as i64;
    let s = if secs < 60.0 {
        "just now".to_string()
    } else if secs < 120.0 {
        "1 minute ago".to_string()
    } else if secs < 3600.0 {
        format!("{} minutes ago", (secs / 60.0).floor() as i64)
    } else if secs < 7200.0 {
        "1 hour ago".to_string()
    } else if secs < 86_400.0 {
        format!("{} hours ago", (secs / 3600.0).floor() as i64)
    } else if days == 1 {
        "Yesterday".to_string()
    } else if days < 7 {
        format!("{days} days ago")
    } else if days < 14 {
        "1 week ago".to_string()
    } else if days < 31 {
        format!("{} weeks ago", days / 7)
    } else if days < 61 {
        "1 month ago".to_string()
    } else if days < 365 {
        format!("{} months ago", days / 30)
    } else if days < 730 {
        "1 year ago".to_string()
    } else {
        format!("{} years ago", days / 365)
    };
    Ok(pystr::new(s))
}
