//! `repr()` and `str()` of every value.

use std::cell::RefCell;
use std::fmt::Write;

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::{
    date, dict, doc, exc, float, func, int, list, range, set, str as pystr, tuple,
};
use crate::value::{StaticKind, Value};

/// Deepest container nesting `repr` follows before raising RecursionError (CPython's
/// limit comes from its C stack; ours is explicit so a hostile structure cannot
/// overflow the native stack).
const MAX_REPR_DEPTH: usize = 500;

thread_local! {
    /// Containers being printed (pointers): a container met again prints as `[...]`.
    static IN_PROGRESS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// `str(v)`.
pub fn to_str(ctx: &mut Ctx, v: Value) -> PyResult<String> {
    if let Some(s) = pystr::as_str(v) {
        ctx.consume_bytes(s.len())?;
        return Ok(s.to_string());
    }
    if let Some(e) = exc::get(v) {
        return exc_str(ctx, e);
    }
    if let Some(d) = date::get_date(v) {
        return Ok(d.strftime("%Y-%m-%d").to_string());
    }
    if let Some(d) = date::get_datetime(v) {
        return Ok(datetime_str(d, ' '));
    }
    if let Some(t) = date::get_time(v) {
        return Ok(time_str(t));
    }
    if let Some(t) = date::get_timedelta(v) {
        return Ok(timedelta_str(t));
    }
    repr(ctx, v)
}

/// `str(e)` of an exception: its single argument's `str`, the tuple of several, or ''
/// (KeyError shows the repr of its key, as CPython does).
pub fn exc_str(ctx: &mut Ctx, e: &exc::ExcObj) -> PyResult<String> {
    let args = tuple::get(e.args.v()).unwrap_or(&[]);
    match args.len() {
        0 => Ok(String::new()),
        1 if e.class == *exc::ids::KEY_ERROR => repr(ctx, args[0].v()),
        1 => to_str(ctx, args[0].v()),
        _ => repr(ctx, e.args.v()),
    }
}

pub fn datetime_str(d: jiff::civil::DateTime, sep: char) -> String {
    let mut s = format!(
        "{}{sep}{}",
        d.date().strftime("%Y-%m-%d"),
        d.time().strftime("%H:%M:%S")
    );
    let us = d.subsec_nanosecond() / 1000;
    if us != 0 {
        let _ = write!(s, ".{us:06}");
    }
    s
}

pub fn time_str(t: jiff::civil::Time) -> String {
    let mut s = t.strftime("%H:%M:%S").to_string();
    let us = t.subsec_nanosecond() / 1000;
    if us != 0 {
        let _ = write!(s, ".{us:06}");
    }
    s
}

/// `str(timedelta)`: `1 day, 2:03:04.000005`.
pub fn timedelta_str(t: date::TimeDeltaObj) -> String {
    let mut s = String::new();
    if t.days != 0 {
        let plural = if t.days.abs() != 1 { "s" } else { "" };
        let _ = write!(s, "{} day{plural}, ", t.days);
    }
    let (h, m, sec) = (t.seconds / 3600, (t.seconds / 60) % 60, t.seconds % 60);
    let _ = write!(s, "{h}:{m:02}:{sec:02}");
    if t.micros != 0 {
        let _ = write!(s, ".{:06}", t.micros);
    }
    s
}

/// Python's float repr (= str): the shortest digits that round-trip, fixed notation for
/// exponents in [-4, 16), scientific otherwise (`1e+16`, `1e-05`).
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits ("1.2345e-5"). When two digit
    // strings of that length round-trip and sit equally close to the value, Rust may pick
    // either; CPython picks the correctly rounded one (half to even). At 15 digits and
    // more, where such ties live, take the correctly rounded digits of that length.
    let mut sci = format!("{x:e}");
    let shortest = sci
        .split_once('e')
        .map_or(0, |(m, _)| m.bytes().filter(u8::is_ascii_digit).count());
    if shortest >= 15 {
        sci = format!("{x:.*e}", shortest - 1);
    }
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("exponent");
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let point = exp as usize + 1;
            if digits.len() <= point {
                out.push_str(&digits);
                out.push_str(&"0".repeat(point - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..point]);
                out.push('.');
                out.push_str(&digits[point..]);
            }
        } else {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
    out
}

/// Python's `repr` of a string: single quotes unless the text has a single quote and no
/// double quote; escapes for the backslash, the quote, `\n \r \t` and non-printables.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(quote);
    out
}

/// An approximation of Python's `str.isprintable` per character: not a control, format,
/// surrogate, private-use or unassigned character, and not a separator other than space.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    !matches!(u, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

/// `repr(v)`.
pub fn repr(ctx: &mut Ctx, v: Value) -> PyResult<String> {
    let mut out = String::new();
    write_repr(ctx, v, &mut out, 0)?;
    Ok(out)
}

struct Guard(u64);

impl Guard {
    fn enter(v: Value) -> Option<Guard> {
        IN_PROGRESS.with(|p| {
            let mut p = p.borrow_mut();
            if p.contains(&v.0) {
                None
            } else {
                p.push(v.0);
                Some(Guard(v.0))
            }
        })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        IN_PROGRESS.with(|p| {
            let mut p = p.borrow_mut();
            if let Some(i) = p.iter().rposition(|&x| x == self.0) {
                p.remove(i);
            }
        });
    }
}

fn write_repr(ctx: &mut Ctx, v: Value, out: &mut String, depth: usize) -> PyResult<()> {
    if depth > MAX_REPR_DEPTH {
        return Err(ctx.raise_new(
            *exc::ids::RECURSION_ERROR,
            "maximum recursion depth exceeded while getting the repr of an object",
        ));
    }
    ctx.consume(1)?;
    if let Some(i) = v.as_small_int() {
        let _ = write!(out, "{i}");
        return Ok(());
    }
    match v {
        Value::NONE => {
            out.push_str("None");
            return Ok(());
        }
        Value::TRUE => {
            out.push_str("True");
            return Ok(());
        }
        Value::FALSE => {
            out.push_str("False");
            return Ok(());
        }
        _ => {}
    }
    if let Some((kind, id)) = v.as_static() {
        match kind {
            StaticKind::ExcClass => {
                let _ = write!(out, "<class '{}'>", exc::qualified_name(id));
            }
            StaticKind::Type => {
                let _ = write!(out, "<class '{}'>", crate::builtins::type_name_of(id));
            }
            StaticKind::Builtin => {
                let _ = write!(
                    out,
                    "<built-in function {}>",
                    crate::builtins::short_name(id)
                );
            }
            StaticKind::Namespace => {
                let _ = write!(out, "<module '{}'>", crate::builtins::namespace_name(id));
            }
        }
        return Ok(());
    }
    match heap::kind_of(v) {
        Some(Kind::Int) => {
            let b = int::as_big(v).expect("int");
            out.push_str(&crate::format::int_decimal(ctx, b)?);
        }
        Some(Kind::Float) => out.push_str(&float_repr(float::get(v).expect("float"))),
        Some(Kind::Str) => {
            // the text is copied: a list holding one big string many times must stop at
            // the string limit before it is built, not after
            let s = pystr::as_str(v).expect("str");
            ctx.check_str_len(out.len().saturating_add(s.len()).saturating_add(2))?;
            ctx.consume(s.len() / 64)?;
            out.push_str(&str_repr(s));
        }
        Some(Kind::List) => {
            let Some(_g) = Guard::enter(v) else {
                out.push_str("[...]");
                return Ok(());
            };
            out.push('[');
            let items = list::get(v).expect("list").snapshot();
            write_items(ctx, &items, out, depth)?;
            out.push(']');
        }
        Some(Kind::Tuple) => {
            let items = tuple::get(v).expect("tuple");
            out.push('(');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(ctx, item.v(), out, depth + 1)?;
                if out.len() > ctx.limits.max_str {
                    return Err(ctx.str_too_long(out.len()));
                }
            }
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Some(Kind::Dict) => {
            let Some(_g) = Guard::enter(v) else {
                out.push_str("{...}");
                return Ok(());
            };
            let entries: Vec<_> = dict::get(v)
                .expect("dict")
                .map
                .borrow()
                .iter()
                .map(|(k, val)| (k.key.clone(), val.clone()))
                .collect();
            out.push('{');
            for (i, (k, val)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(ctx, k.v(), out, depth + 1)?;
                out.push_str(": ");
                write_repr(ctx, val.v(), out, depth + 1)?;
                if out.len() > ctx.limits.max_str {
                    return Err(ctx.str_too_long(out.len()));
                }
            }
            out.push('}');
        }
        Some(Kind::Set) => {
            let s = set::get(v).expect("set");
            let items: Vec<_> = s.items.borrow().iter().map(|k| k.key.clone()).collect();
            let (open, close) = if s.frozen {
                ("frozenset({", "})")
            } else {
                ("{", "}")
            };
            if items.is_empty() {
                out.push_str(if s.frozen { "frozenset()" } else { "set()" });
            } else {
                out.push_str(open);
                write_items(ctx, &items, out, depth)?;
                out.push_str(close);
            }
        }
        Some(Kind::Range) => {
            let r = range::get(v).expect("range");
            if r.step == 1 {
                let _ = write!(out, "range({}, {})", r.start, r.stop);
            } else {
                let _ = write!(out, "range({}, {}, {})", r.start, r.stop, r.step);
            }
        }
        Some(Kind::Slice) => {
            let s = range::get_slice(v).expect("slice");
            out.push_str("slice(");
            write_repr(ctx, s.start.v(), out, depth + 1)?;
            out.push_str(", ");
            write_repr(ctx, s.stop.v(), out, depth + 1)?;
            out.push_str(", ");
            write_repr(ctx, s.step.v(), out, depth + 1)?;
            out.push(')');
        }
        Some(Kind::Function) => {
            let f = func::get(v).expect("function");
            let _ = write!(out, "<function {} at {:#x}>", f.code().name, v.0);
        }
        Some(Kind::BoundMethod) => {
            let m = func::get_bound(v).expect("method");
            let _ = write!(
                out,
                "<built-in method {} of {} object>",
                m.name,
                super::type_name(m.receiver.v())
            );
        }
        Some(Kind::Exception) => {
            let e = exc::get(v).expect("exception");
            out.push_str(exc::class(e.class).name);
            let args = tuple::get(e.args.v()).unwrap_or(&[]);
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(ctx, a.v(), out, depth + 1)?;
            }
            out.push(')');
        }
        Some(Kind::Document) => {
            let d = doc::get(v).expect("document");
            let doctype = d.field("doctype");
            let name = d.field("name");
            let doctype = pystr::as_str(doctype.v()).unwrap_or("Document").to_string();
            let name = if name.v().is_none() {
                "unsaved".to_string()
            } else {
                to_str(ctx, name.v())?
            };
            let _ = write!(out, "<{doctype}: {name}>");
        }
        Some(Kind::Date) => {
            let d = date::get_date(v).expect("date");
            let _ = write!(
                out,
                "datetime.date({}, {}, {})",
                d.year(),
                d.month(),
                d.day()
            );
        }
        Some(Kind::DateTime) => {
            let d = date::get_datetime(v).expect("datetime");
            let _ = write!(
                out,
                "datetime.datetime({}, {}, {}, {}, {}",
                d.year(),
                d.month(),
                d.day(),
                d.hour(),
                d.minute()
            );
            let us = d.subsec_nanosecond() / 1000;
            if d.second() != 0 || us != 0 {
                let _ = write!(out, ", {}", d.second());
            }
            if us != 0 {
                let _ = write!(out, ", {us}");
            }
            out.push(')');
        }
        Some(Kind::Time) => {
            let t = date::get_time(v).expect("time");
            let _ = write!(out, "datetime.time({}, {}", t.hour(), t.minute());
            let us = t.subsec_nanosecond() / 1000;
            if t.second() != 0 || us != 0 {
                let _ = write!(out, ", {}", t.second());
            }
            if us != 0 {
                let _ = write!(out, ", {us}");
            }
            out.push(')');
        }
        Some(Kind::TimeDelta) => {
            let t = date::get_timedelta(v).expect("timedelta");
            let mut parts = Vec::new();
            if t.days != 0 {
                parts.push(format!("days={}", t.days));
            }
            if t.seconds != 0 {
                parts.push(format!("seconds={}", t.seconds));
            }
            if t.micros != 0 {
                parts.push(format!("microseconds={}", t.micros));
            }
            let _ = write!(out, "datetime.timedelta({})", parts.join(", "));
        }
        Some(Kind::Iterator) => {
            let _ = write!(out, "<iterator object at {:#x}>", v.0);
        }
        Some(Kind::Cell) => out.push_str("<cell>"),
        None => out.push_str("<NULL>"),
    }
    Ok(())
}

fn write_items(
    ctx: &mut Ctx,
    items: &[crate::value::Val],
    out: &mut String,
    depth: usize,
) -> PyResult<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_repr(ctx, item.v(), out, depth + 1)?;
        if out.len() > ctx.limits.max_str {
            return Err(ctx.str_too_long(out.len()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_breaks_ties_to_even_as_cpython() {
        // exactly 118059162071741.125: both ...12 and ...13 round-trip; CPython says .12
        assert_eq!(float_repr(118059162071741.0 + 0.125), "118059162071741.12");
        assert_eq!(
            float_repr(-1.1805916207174113e21 * 1e-7),
            "-118059162071741.12"
        );
        assert_eq!(float_repr(0.1 + 0.2), "0.30000000000000004");
    }

    #[test]
    fn float_repr_matches_python_rules() {
        for (x, s) in [
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (-0.0, "-0.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (2.5, "2.5"),
            (100.0, "100.0"),
            (1e-310, "1e-310"),
            (f64::MAX, "1.7976931348623157e+308"),
        ] {
            assert_eq!(float_repr(x), s, "{x}");
        }
    }

    #[test]
    fn str_repr_picks_quotes_and_escapes() {
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("x\ny\t\\"), "'x\\ny\\t\\\\'");
        assert_eq!(str_repr("\u{7}é"), "'\\x07é'");
    }
}
