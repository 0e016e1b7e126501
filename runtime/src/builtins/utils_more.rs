//! More of `frappe.utils`: `get_month`, `get_timestamp`, `get_eta` (dates in the site's
//! time zone, [`crate::settings`]), `orjson_dumps` (orjson's output format) and
//! `sanitize_column`. Semantics follow `frappe/utils/data.py` (read, not copied).

use std::fmt::Write;

use super::args::parse;
use super::{Builtin, b, dates};
use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::host::HostError;
use crate::object::date::{self as pydate, TimeDeltaObj};
use crate::object::{dict, float, int, list, str as pystr, tuple};
use crate::ops::call::Kwargs;
use crate::ops::{self, repr as pyrepr, truthy};
use crate::value::{Val, Value};

pub static TABLE: &[Builtin] = &[
    b("frappe.utils.get_month", get_month),
    b("frappe.utils.get_timestamp", get_timestamp),
    b("frappe.utils.get_eta", get_eta),
    b("frappe.utils.orjson_dumps", orjson_dumps),
    b("frappe.utils.sanitize_column", sanitize_column),
];

// ---------------------------------------------------------------------- dates

/// `get_month(datetime=None) -> str`: the English name of the month of a date or
/// datetime; a string goes through `get_datetime` first; a falsy value means now (in
/// the site's time zone). Anything else fails as `value.month` would.
pub fn get_month(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = parse(ctx, "get_month", ["datetime"], 0, a, k)?;
    let v = v.unwrap_or(Value::NONE);
    let value = if !truthy(v) {
        pydate::new_datetime(ctx.settings.now())
    } else if pystr::as_str(v).is_some() {
        dates::get_datetime(ctx, &[v], &[])?
    } else {
        Val::new_ref(v)
    };
    let month = match (pydate::get_datetime(value.v()), pydate::get_date(value.v())) {
        (Some(dt), _) => dt.month(),
        (None, Some(d)) => d.month(),
        _ => {
            return Err(ctx.attribute_error(format!(
                "'{}' object has no attribute 'month'",
                ops::type_name(value.v())
            )));
        }
    };
    Ok(pystr::new(super::dates::cldr::MONTHS[(month - 1) as usize]))
}

/// `get_timestamp(date=None) -> float`: seconds since the epoch of midnight starting
/// `getdate(date)` (today when falsy). Frappe calls `time.mktime`, which reads the
/// midnight in the server process's local zone; here it is the site's time zone (a
/// midnight that falls in a DST gap resolves forward, as mktime usually does).
pub fn get_timestamp(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [v] = parse(ctx, "get_timestamp", ["date"], 0, a, k)?;
    let Some(d) = dates::to_date(ctx, v.unwrap_or(Value::NONE), false)? else {
        return Err(ctx.attribute_error("'NoneType' object has no attribute 'timetuple'"));
    };
    let midnight = d.to_datetime(jiff::civil::Time::midnight());
    match midnight.to_zoned(ctx.settings.time_zone.clone()) {
        Ok(z) => Ok(float::new(z.timestamp().as_second() as f64)),
        Err(_) => Err(ctx.overflow_error("mktime argument out of range")),
    }
}

/// CPython's `timedelta(seconds=x)` for a float: whole seconds exactly, the fraction
/// rounded to the microsecond half to even.
pub fn timedelta_from_seconds(ctx: &mut Ctx, x: f64) -> PyResult<TimeDeltaObj> {
    if x.is_nan() {
        return Err(ctx.value_error("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(ctx.overflow_error("cannot convert float infinity to integer"));
    }
    let whole = x.trunc();
    let frac = x - whole;
    if whole.abs() > 1e17 {
        return Err(ctx.overflow_error(format!(
            "days={}; must have magnitude <= 999999999",
            (whole / 86400.0).floor()
        )));
    }
    let micros = whole as i128 * 1_000_000 + (frac * 1e6).round_ties_even() as i128;
    let td = TimeDeltaObj::from_micros(micros);
    if td.days.abs() > 999_999_999 {
        return Err(ctx.overflow_error(format!(
            "days={}; must have magnitude <= 999999999",
            td.days
        )));
    }
    Ok(td)
}

/// `get_eta(from_time, percent_complete) -> str`: the time still to go, as
/// `str(timedelta)`, when `percent_complete` percent took from `from_time` until now
/// (the site's wall clock): `(100 - p) / p * elapsed seconds`.
pub fn get_eta(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [from, percent] = parse(ctx, "get_eta", ["from_time", "percent_complete"], 2, a, k)?;
    let (from, p) = (from.unwrap(), percent.unwrap());
    let now = pydate::new_datetime(ctx.settings.now());
    let diff = dates::time_diff(ctx, &[now.v(), from], &[])?;
    let Some(td) = pydate::get_timedelta(diff.v()) else {
        return Err(ctx.attribute_error(format!(
            "'{}' object has no attribute 'total_seconds'",
            ops::type_name(diff.v())
        )));
    };
    let seconds = float::new(td.total_micros() as f64 / 1e6);
    use ops::arith::{BinOp, binary};
    let left = binary(ctx, BinOp::Sub, Val::int(100).v(), p)?;
    let ratio = binary(ctx, BinOp::TrueDiv, left.v(), p)?;
    let eta = binary(ctx, BinOp::Mul, ratio.v(), seconds.v())?;
    let x = match float::get(eta.v()) {
        Some(f) => f,
        None => int::to_i64(eta.v()).unwrap_or(0) as f64,
    };
    let td = timedelta_from_seconds(ctx, x)?;
    let td = pydate::new_timedelta(td);
    pyrepr::to_str(ctx, td.v()).map(pystr::new)
}

// ---------------------------------------------------------------------- orjson

const OPT_INDENT_2: i64 = 1;
const OPT_NAIVE_UTC: i64 = 2;
const OPT_NON_STR_KEYS: i64 = 4;
const OPT_OMIT_MICROSECONDS: i64 = 8;
const OPT_SORT_KEYS: i64 = 32;
const OPT_UTC_Z: i64 = 128;
const OPT_PASSTHROUGH_SUBCLASS: i64 = 256;
const OPT_PASSTHROUGH_DATETIME: i64 = 512;
const OPT_APPEND_NEWLINE: i64 = 1024;
const OPT_STRICT_INTEGER: i64 = 2048;
/// Every option bit orjson knows; others are "Invalid opts".
const OPT_ALL: i64 = 4095;
/// Frappe's `DEFAULT_ORJSON_OPTIONS`.
const FRAPPE_OPTIONS: i64 = OPT_PASSTHROUGH_DATETIME | OPT_NON_STR_KEYS;
/// orjson's nesting limit (containers deeper than this fail).
const MAX_DEPTH: usize = 255;
/// orjson's limit on chained `default` calls for one value.
const MAX_DEFAULT_CALLS: usize = 255;

struct Orjson {
    options: i64,
    default: Option<Value>,
}

/// A float as orjson writes it (ryu's layout, orjson 3.11): the shortest round-trip
/// digits, positional notation for magnitudes in [1e-5, 1e16), else `1e20`/`1.5e-7`.
pub fn orjson_float(x: f64) -> String {
    if x.is_nan() || x.is_infinite() {
        return "null".into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let len = digits.len() as i64;
    // value = 0.d1d2…dn × 10^kk
    let kk = exp + 1;
    let k = kk - len;
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    if k >= 0 && kk <= 16 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', k as usize));
        out.push_str(".0");
    } else if kk > 0 && kk <= 16 {
        out.push_str(&digits[..kk as usize]);
        out.push('.');
        out.push_str(&digits[kk as usize..]);
    } else if kk > -5 && kk <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-kk) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if len > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}", kk - 1);
    }
    out
}

fn orjson_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The qualified type name orjson's error message shows.
fn orjson_type_name(v: Value) -> String {
    match heap::kind_of(v) {
        Some(Kind::Date) => "datetime.date".into(),
        Some(Kind::DateTime) => "datetime.datetime".into(),
        Some(Kind::Time) => "datetime.time".into(),
        Some(Kind::TimeDelta) => "datetime.timedelta".into(),
        Some(Kind::Dict) if dict::get(v).is_some_and(|d| d.attr) => "frappe._dict".into(),
        Some(Kind::Document) => "frappe.model.document.Document".into(),
        _ => ops::type_name(v).to_string(),
    }
}

impl Orjson {
    fn has(&self, opt: i64) -> bool {
        self.options & opt != 0
    }

    fn int(&self, ctx: &mut Ctx, v: Value, out: &mut String) -> PyResult<()> {
        let big = int::as_big(v).cloned();
        let text = match (v.as_small_int(), big) {
            (Some(i), _) => i.to_string(),
            (None, Some(b)) => b.to_string(),
            _ => return Err(ctx.type_error("Integer exceeds 64-bit range")),
        };
        let n: i128 = match text.parse() {
            Ok(n) => n,
            Err(_) => return Err(ctx.type_error("Integer exceeds 64-bit range")),
        };
        if n < i64::MIN as i128 || n > u64::MAX as i128 {
            return Err(ctx.type_error("Integer exceeds 64-bit range"));
        }
        if self.has(OPT_STRICT_INTEGER) && n.abs() > (1i128 << 53) - 1 {
            return Err(ctx.type_error("Integer exceeds 53-bit range"));
        }
        out.push_str(&text);
        Ok(())
    }

    fn key(&self, ctx: &mut Ctx, k: Value) -> PyResult<String> {
        if let Some(s) = pystr::as_str(k) {
            return Ok(s.to_string());
        }
        if !self.has(OPT_NON_STR_KEYS) {
            return Err(ctx.type_error("Dict key must be str"));
        }
        match k {
            Value::TRUE => return Ok("true".into()),
            Value::FALSE => return Ok("false".into()),
            Value::NONE => return Ok("null".into()),
            _ => {}
        }
        if let Some(i) = k.as_small_int() {
            return Ok(i.to_string());
        }
        match heap::kind_of(k) {
            Some(Kind::Int) => {
                let mut s = String::new();
                if self.int(ctx, k, &mut s).is_err() {
                    ctx.take_exception();
                    return Err(ctx.type_error("Dict integer key must be within 64-bit range"));
                }
                Ok(s)
            }
            Some(Kind::Float) => Ok(orjson_float(float::get(k).unwrap_or(0.0))),
            Some(Kind::Date) => Ok(pyrepr::to_str(ctx, k)?),
            Some(Kind::DateTime) => {
                let dt = pydate::get_datetime(k).unwrap_or_default();
                let mut s = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    dt.year(),
                    dt.month(),
                    dt.day(),
                    dt.hour(),
                    dt.minute(),
                    dt.second()
                );
                let micros = dt.subsec_nanosecond() / 1000;
                if micros != 0 && !self.has(OPT_OMIT_MICROSECONDS) {
                    let _ = write!(s, ".{micros:06}");
                }
                if self.has(OPT_NAIVE_UTC) {
                    s.push_str(if self.has(OPT_UTC_Z) { "Z" } else { "+00:00" });
                }
                Ok(s)
            }
            Some(Kind::Time) => {
                let t = pydate::get_time(k).unwrap_or_default();
                let mut s = format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
                let micros = t.subsec_nanosecond() / 1000;
                if micros != 0 && !self.has(OPT_OMIT_MICROSECONDS) {
                    let _ = write!(s, ".{micros:06}");
                }
                Ok(s)
            }
            _ => Err(ctx.type_error("Dict key must a type serializable with OPT_NON_STR_KEYS")),
        }
    }

    fn newline(&self, out: &mut String, depth: usize) {
        if self.has(OPT_INDENT_2) {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', 2 * depth));
        }
    }

    fn value(
        &self,
        ctx: &mut Ctx,
        v: Value,
        out: &mut String,
        depth: usize,
        default_calls: usize,
    ) -> PyResult<()> {
        ctx.consume(1)?;
        match v {
            Value::NONE => {
                out.push_str("null");
                return Ok(());
            }
            Value::TRUE => {
                out.push_str("true");
                return Ok(());
            }
            Value::FALSE => {
                out.push_str("false");
                return Ok(());
            }
            _ => {}
        }
        if v.as_small_int().is_some() {
            return self.int(ctx, v, out);
        }
        let subclass_passthrough = self.has(OPT_PASSTHROUGH_SUBCLASS);
        match heap::kind_of(v) {
            Some(Kind::Int) => return self.int(ctx, v, out),
            Some(Kind::Float) => {
                out.push_str(&orjson_float(float::get(v).unwrap_or(0.0)));
                return Ok(());
            }
            Some(Kind::Str) => {
                orjson_str(pystr::as_str(v).unwrap_or(""), out);
                return Ok(());
            }
            Some(Kind::List | Kind::Tuple) => {
                if depth >= MAX_DEPTH {
                    return Err(ctx.type_error("Recursion limit reached"));
                }
                let items = match list::get(v) {
                    Some(l) => l.snapshot(),
                    None => tuple::get(v).map(|t| t.to_vec()).unwrap_or_default(),
                };
                if items.is_empty() {
                    out.push_str("[]");
                    return Ok(());
                }
                out.push('[');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.newline(out, depth + 1);
                    self.value(ctx, x.v(), out, depth + 1, 0)?;
                }
                self.newline(out, depth);
                out.push(']');
                return Ok(());
            }
            Some(Kind::Dict) if !(subclass_passthrough && dict::get(v).is_some_and(|d| d.attr)) => {
                if depth >= MAX_DEPTH {
                    return Err(ctx.type_error("Recursion limit reached"));
                }
                let raw: Vec<(Val, Val)> = dict::get(v)
                    .map(|d| {
                        d.map
                            .borrow()
                            .iter()
                            .map(|(k, x)| (k.key.clone(), x.clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                let mut entries = Vec::with_capacity(raw.len());
                for (k, x) in raw {
                    entries.push((self.key(ctx, k.v())?, x));
                }
                if entries.is_empty() {
                    out.push_str("{}");
                    return Ok(());
                }
                if self.has(OPT_SORT_KEYS) {
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                }
                out.push('{');
                for (i, (k, x)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.newline(out, depth + 1);
                    orjson_str(k, out);
                    out.push(':');
                    if self.has(OPT_INDENT_2) {
                        out.push(' ');
                    }
                    self.value(ctx, x.v(), out, depth + 1, 0)?;
                }
                self.newline(out, depth);
                out.push('}');
                return Ok(());
            }
            _ => {}
        }
        // not a native JSON type: hand it to `default`
        let name = orjson_type_name(v);
        let Some(default) = self.default else {
            return Err(ctx.type_error(format!("Type is not JSON serializable: {name}")));
        };
        if default_calls >= MAX_DEFAULT_CALLS {
            return Err(ctx.type_error("default serializer exceeds recursion limit"));
        }
        let replaced = match ops::call::call(ctx, default, &[v], &[]) {
            Ok(r) => r,
            Err(_) => {
                ctx.take_exception();
                return Err(ctx.type_error(format!("Type is not JSON serializable: {name}")));
            }
        };
        self.value(ctx, replaced.v(), out, depth, default_calls + 1)
    }
}

/// `orjson_dumps(obj, default=None, option=None, decode=True) -> str`: JSON as orjson
/// writes it with Frappe's options (dates and other non-JSON types go to `default`;
/// non-str keys are allowed): compact, UTF-8 kept as is, floats in ryu's layout, NaN
/// and infinities as `null`, tuples as arrays, integers limited to 64 bits. `option`
/// takes orjson's `OPT_*` bit values (the sandbox has no `orjson` module to name them):
/// `OPT_INDENT_2` = 1, `OPT_SORT_KEYS` = 32, `OPT_APPEND_NEWLINE` = 1024,
/// `OPT_STRICT_INTEGER` = 2048, `OPT_PASSTHROUGH_SUBCLASS` = 256 (then a `_dict` goes
/// to `default`). Errors are TypeErrors with orjson's messages. Difference: with
/// `decode=False` Frappe returns bytes; scripts have no bytes type, so it is the str.
pub fn orjson_dumps(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [obj, default, option, _decode] = parse(
        ctx,
        "orjson_dumps",
        ["obj", "default", "option", "decode"],
        1,
        a,
        k,
    )?;
    let mut options = FRAPPE_OPTIONS;
    if let Some(o) = option.filter(|o| !o.is_none()) {
        let bits = match (o.as_bool(), int::to_i64(o)) {
            (Some(b), _) => b as i64,
            (None, Some(i)) => i,
            _ => {
                return Err(ctx.type_error(format!(
                    "unsupported operand type(s) for |: '{}' and 'int'",
                    ops::type_name(o)
                )));
            }
        };
        options |= bits;
    }
    if options & !OPT_ALL != 0 || options < 0 {
        return Err(ctx.type_error("Invalid opts"));
    }
    let default = default.filter(|d| !d.is_none());
    if let Some(d) = default
        && !ops::call::is_callable(d)
    {
        return Err(ctx.type_error("default serializer exceeds recursion limit"));
    }
    let enc = Orjson { options, default };
    let mut out = String::new();
    enc.value(ctx, obj.unwrap(), &mut out, 0, 0)?;
    if enc.has(OPT_APPEND_NEWLINE) {
        out.push('\n');
    }
    ctx.check_str_len(out.len())?;
    Ok(pystr::new(out))
}

// ---------------------------------------------------------------------- SQL

/// Removes SQL comments the way `sqlparse.format(strip_comments=True)` does for one
/// statement: `-- …` and `# …`/`#!…` to the end of the line, `/* … */` (a space in
/// its place between other text), none of them inside quotes; then each line loses
/// its trailing whitespace.
pub fn strip_sql_comments(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' | '"' | '`' => {
                out.push(c);
                i += 1;
                while i < chars.len() {
                    out.push(chars[i]);
                    if chars[i] == '\\' && c != '`' && i + 1 < chars.len() {
                        out.push(chars[i + 1]);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    if chars[i - 1] == c {
                        break;
                    }
                }
            }
            '-' if chars.get(i + 1) == Some(&'-') => i = skip_line_comment(&chars, i, &out),
            '#' if matches!(chars.get(i + 1), Some(' ' | '!')) => {
                i = skip_line_comment(&chars, i, &out)
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let at_start = out.trim().is_empty();
                let mut j = i + 2;
                while j < chars.len() && !(chars[j] == '*' && chars.get(j + 1) == Some(&'/')) {
                    j += 1;
                }
                i = (j + 2).min(chars.len());
                if !at_start && i < chars.len() {
                    out.push(' ');
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    let normalized = out.replace("\r\n", "\n").replace('\r', "\n");
    normalized
        .split('\n')
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

fn skip_line_comment(chars: &[char], start: usize, out: &str) -> usize {
    let at_start = out.trim().is_empty();
    let mut j = start;
    while j < chars.len() && chars[j] != '\n' && chars[j] != '\r' {
        j += 1;
    }
    if at_start {
        // a leading comment goes with its line break
        if chars.get(j) == Some(&'\r') {
            j += 1;
        }
        if chars.get(j) == Some(&'\n') {
            j += 1;
        }
    }
    j
}

/// Whether `word` occurs in `s` as a whole word, ignoring case (`\bword\b`).
fn has_word(s: &str, word: &str) -> bool {
    let lower = s.to_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(p) = lower[from..].find(word) {
        let start = from + p;
        let end = start + word.len();
        let before = lower[..start].chars().next_back().is_some_and(is_word);
        let after = lower[end..].chars().next().is_some_and(is_word);
        if !before && !after {
            return true;
        }
        from = start + word.len().max(1);
    }
    false
}

/// `sanitize_column(column_name) -> str`: a column expression fit for a query, else
/// `frappe.throw("Invalid field name …", frappe.DataError)`. Comments are removed first
/// (as sqlparse does); then a name holding any of `,'();` or a line break is refused,
/// except `ifnull(…)` expressions, which are refused only when they hold one of the
/// words select, create, insert, delete, drop, update, case, and, or. The result is the
/// comment-free text. Differences: sqlparse also lowercases SQL keywords in what it
/// returns (`Owner` → `owner`, `Name Desc` → `Name desc`) and normalises whitespace
/// between statements; here the text keeps its case, so `IFNULL(…)` written in capitals
/// is refused (as in Frappe, where sqlparse leaves a function name's case alone). The
/// site's database is SQLite, so MariaDB's `#…` comments are not stripped further.
pub fn sanitize_column(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [name] = parse(ctx, "sanitize_column", ["column_name"], 1, a, k)?;
    let name = name.unwrap();
    let Some(s) = pystr::as_str(name) else {
        return Err(ctx.type_error(format!("Expected str, got {}", ops::type_name(name))));
    };
    let column = strip_sql_comments(s);
    let suspicious = column.contains('\n') || column.contains([',', '\'', '(', ')', ';']);
    const BLACKLIST: [&str; 9] = [
        "select", "create", "insert", "delete", "drop", "update", "case", "and", "or",
    ];
    let refused = if column.contains("ifnull") {
        suspicious && BLACKLIST.iter().any(|w| has_word(&column, w))
    } else {
        suspicious
    };
    if refused {
        return Err(ctx.raise_host_error(HostError::new(
            "DataError",
            format!("Invalid field name {column}"),
        )));
    }
    Ok(pystr::new(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_take_ryus_layout() {
        let cases = [
            (1e20, "1e20"),
            (1e-5, "0.00001"),
            (1.5e-5, "0.000015"),
            (1e-7, "1e-7"),
            (1e16, "1e16"),
            (1e15, "1000000000000000.0"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (123456.0, "123456.0"),
            (1.2345678901234568e17, "1.2345678901234568e17"),
            (5e-324, "5e-324"),
            (-2.5, "-2.5"),
            (1e-4, "0.0001"),
        ];
        for (x, want) in cases {
            assert_eq!(orjson_float(x), want, "{x}");
        }
    }

    #[test]
    fn comments_go_as_sqlparse_removes_them() {
        assert_eq!(strip_sql_comments("name -- x"), "name");
        assert_eq!(strip_sql_comments("-- x\nname"), "name");
        assert_eq!(strip_sql_comments("a/* x */b"), "a b");
        assert_eq!(strip_sql_comments("/*x*/a"), "a");
        assert_eq!(strip_sql_comments("a/*x*/"), "a");
        assert_eq!(strip_sql_comments("x # y"), "x");
        assert_eq!(strip_sql_comments("x#y"), "x#y");
        assert_eq!(strip_sql_comments("'--x' a"), "'--x' a");
        assert_eq!(strip_sql_comments(" name "), " name");
        assert_eq!(strip_sql_comments("a  \nb"), "a\nb");
    }

    #[test]
    fn words_match_whole() {
        assert!(has_word("ifnull(a, 1) OR b", "or"));
        assert!(!has_word("ifnull(order_no, 1)", "or"));
        assert!(!has_word("ifnull(candor, 1)", "and"));
    }
}
