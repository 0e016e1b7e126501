//! Methods of dates, datetimes, times and timedeltas.

use crate::builtins::args::{exactly, parse};
use crate::ctx::{Ctx, PyResult};
use crate::object::{date, float, int, str as pystr};
use crate::ops::call::Kwargs;
use crate::ops::repr as pyrepr;
use crate::value::{Val, Value};

pub const NAMES: &[&str] = &[
    "strftime",
    "isoformat",
    "date",
    "time",
    "weekday",
    "isoweekday",
    "replace",
    "total_seconds",
];

/// Python `strftime` directives through jiff (`%f` is microseconds in Python).
fn strftime(ctx: &mut Ctx, fmt: &str, dt: jiff::civil::DateTime) -> PyResult<String> {
    let micros = format!("{:06}", dt.subsec_nanosecond() / 1000);
    let fmt = fmt.replace("%f", &micros);
    let mut out = String::new();
    match jiff::fmt::strtime::format(fmt.as_str(), dt) {
        Ok(s) => out.push_str(&s),
        Err(e) => return Err(ctx.value_error(format!("invalid format string: {e}"))),
    }
    Ok(out)
}

fn midnight(d: jiff::civil::Date) -> jiff::civil::DateTime {
    d.to_datetime(jiff::civil::Time::midnight())
}

pub fn call(ctx: &mut Ctx, obj: Value, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    if let Some(t) = date::get_timedelta(obj) {
        return match name {
            "total_seconds" => {
                exactly(ctx, name, 0, args, kwargs)?;
                Ok(float::new(t.total_micros() as f64 / 1e6))
            }
            _ => Err(ctx.attribute_error(format!("'timedelta' object has no attribute '{name}'"))),
        };
    }
    let (dt, kind) = if let Some(d) = date::get_date(obj) {
        (midnight(d), "date")
    } else if let Some(d) = date::get_datetime(obj) {
        (d, "datetime")
    } else if let Some(t) = date::get_time(obj) {
        (jiff::civil::date(1900, 1, 1).to_datetime(t), "time")
    } else {
        unreachable!("date kinds only")
    };
    match (name, kind) {
        ("strftime", _) => {
            let [fmt] = exactly(ctx, name, 1, args, kwargs)? else {
                unreachable!()
            };
            let Some(f) = pystr::as_str(*fmt) else {
                return Err(ctx.type_error("strftime() argument 1 must be str"));
            };
            strftime(ctx, f, dt).map(pystr::new)
        }
        ("isoformat", "date") => Ok(pystr::new(dt.date().strftime("%Y-%m-%d").to_string())),
        ("isoformat", "datetime") => {
            let [sep] = parse(ctx, name, ["sep"], 0, args, kwargs)?;
            let sep = sep
                .and_then(pystr::as_str)
                .and_then(|s| s.chars().next())
                .unwrap_or('T');
            Ok(pystr::new(pyrepr::datetime_str(dt, sep)))
        }
        ("isoformat", _) => Ok(pystr::new(pyrepr::time_str(dt.time()))),
        ("date", "datetime") => Ok(date::new_date(dt.date())),
        ("time", "datetime") => Ok(date::new_time(dt.time())),
        ("weekday", "date" | "datetime") => {
            Ok(Val::int(dt.weekday().to_monday_zero_offset() as i64))
        }
        ("isoweekday", "date" | "datetime") => {
            Ok(Val::int(dt.weekday().to_monday_one_offset() as i64))
        }
        ("replace", _) => {
            if !args.is_empty() {
                return Err(ctx.type_error("replace() takes keyword arguments only here"));
            }
            let mut b = dt;
            for (k, v) in kwargs {
                let Some(n) = int::to_i64(*v) else {
                    return Err(ctx.type_error(format!("{k} must be an integer")));
                };
                let r = match *k {
                    "year" => b.with().year(n as i16).build(),
                    "month" => b.with().month(n as i8).build(),
                    "day" => b.with().day(n as i8).build(),
                    "hour" => b.with().hour(n as i8).build(),
                    "minute" => b.with().minute(n as i8).build(),
                    "second" => b.with().second(n as i8).build(),
                    "microsecond" => b.with().subsec_nanosecond((n * 1000) as i32).build(),
                    _ => {
                        return Err(ctx.type_error(format!(
                            "'{k}' is an invalid keyword argument for replace()"
                        )));
                    }
                };
                b = match r {
                    Ok(x) => x,
                    Err(_) => return Err(ctx.value_error(format!("{k} is out of range"))),
                };
            }
            Ok(match kind {
                "date" => date::new_date(b.date()),
                "datetime" => date::new_datetime(b),
                _ => date::new_time(b.time()),
            })
        }
        _ => Err(ctx.attribute_error(format!("'{kind}' object has no attribute '{name}'"))),
    }
}
