//! Conversions: `int()`, `float()`, and values to and from JSON at the run boundary
//! (documents and form_dict in, `{"doc": …}` / `{"message": …}` out).

use num_bigint::BigInt;
use num_traits::{FromPrimitive, Num as _, ToPrimitive};

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::hash::HKey;
use crate::object::{date, dict, doc, float, int, list, set, str as pystr, tuple};
use crate::ops::compare::hkey;
use crate::value::{Val, Value};

/// `int(v)` / `int(s, base)`.
pub fn to_int(ctx: &mut Ctx, v: Value, base: Option<u32>) -> PyResult {
    if let Some(s) = pystr::as_str(v) {
        return parse_int(ctx, s, base.unwrap_or(10));
    }
    if base.is_some() {
        return Err(ctx.type_error("int() can't convert non-string with explicit base"));
    }
    if let Some(i) = int::to_i64(v) {
        return Ok(Val::int(i));
    }
    if int::as_big(v).is_some() {
        return Ok(Val::new_ref(v));
    }
    if let Some(f) = float::get(v) {
        return float_to_int(ctx, f);
    }
    Err(ctx.type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        super::type_name(v)
    )))
}

pub fn float_to_int(ctx: &mut Ctx, f: f64) -> PyResult {
    if f.is_nan() {
        return Err(ctx.value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(ctx.overflow_error("cannot convert float infinity to integer"));
    }
    let t = f.trunc();
    if t.abs() < 9.2e18 {
        Ok(Val::int(t as i64))
    } else {
        Ok(int::from_big(BigInt::from_f64(t).expect("finite")))
    }
}

/// `int(s, base)` with Python's rules: surrounding whitespace, a sign, underscores
/// between digits, base prefixes (required to match the base; base 0 infers it).
pub fn parse_int(ctx: &mut Ctx, s: &str, base: u32) -> PyResult {
    let invalid = |ctx: &mut Ctx| {
        ctx.value_error(format!(
            "invalid literal for int() with base {base}: {}",
            super::repr::str_repr(s)
        ))
    };
    if base == 1 || base > 36 {
        return Err(ctx.value_error("int() base must be >= 2 and <= 36, or 0"));
    }
    let t = s.trim_matches(|c: char| c.is_whitespace());
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = body.to_ascii_lowercase();
    let (mut radix, mut digits) = (base, body);
    for (prefix, r) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if lower.starts_with(prefix) && (base == r || base == 0) {
            radix = r;
            digits = &body[2..];
            // "0x_1f" is valid: an underscore may follow the prefix
            if let Some(rest) = digits.strip_prefix('_') {
                digits = rest;
            }
        }
    }
    if radix == 0 {
        radix = 10;
        if body.len() > 1 && body.starts_with('0') && body.chars().any(|c| c != '0' && c != '_') {
            return Err(invalid(ctx));
        }
    }
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return Err(invalid(ctx));
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if radix == 10 && clean.len() > 4300 {
        return Err(ctx.value_error(format!(
            "Exceeds the limit (4300 digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
            clean.len()
        )));
    }
    match BigInt::from_str_radix(&clean, radix) {
        Ok(b) if clean.chars().all(|c| c.is_ascii_alphanumeric()) => {
            Ok(int::from_big(if neg { -b } else { b }))
        }
        _ => Err(invalid(ctx)),
    }
}

/// `float(v)`.
pub fn to_float(ctx: &mut Ctx, v: Value) -> PyResult {
    if let Some(f) = float::get(v) {
        return Ok(float::new(f));
    }
    if let Some(s) = pystr::as_str(v) {
        return parse_float(ctx, s).map(float::new);
    }
    match super::compare::to_f64(ctx, v)? {
        Some(f) => Ok(float::new(f)),
        None => Err(ctx.type_error(format!(
            "float() argument must be a string or a real number, not '{}'",
            super::type_name(v)
        ))),
    }
}

/// `float(s)`: whitespace, sign, `inf`/`infinity`/`nan` in any case, underscores between
/// digits.
pub fn parse_float(ctx: &mut Ctx, s: &str) -> PyResult<f64> {
    let t = s.trim_matches(|c: char| c.is_whitespace());
    let invalid = |ctx: &mut Ctx| {
        ctx.value_error(format!(
            "could not convert string to float: {}",
            super::repr::str_repr(s)
        ))
    };
    let lower = t.to_ascii_lowercase();
    let (sign, body) = match lower.as_bytes().first() {
        Some(b'-') => (-1.0, &lower[1..]),
        Some(b'+') => (1.0, &lower[1..]),
        _ => (1.0, lower.as_str()),
    };
    match body {
        "inf" | "infinity" => return Ok(sign * f64::INFINITY),
        "nan" => return Ok(f64::NAN),
        _ => {}
    }
    if body.is_empty()
        || body.starts_with('_')
        || body.ends_with('_')
        || body.contains("__")
        || body.contains("_.")
        || body.contains("._")
        || body.contains("_e")
        || body.contains("e_")
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-' | '_'))
    {
        return Err(invalid(ctx));
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    match clean.parse::<f64>() {
        Ok(f) => Ok(sign * f),
        Err(_) => Err(invalid(ctx)),
    }
}

// ---------------------------------------------------------------------- JSON in

/// How JSON objects become values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonObjects {
    /// Plain dicts (`json.loads`).
    Dict,
    /// `_dict`s (form_dict, `frappe.parse_json`).
    AttrDict,
    /// A document; its child tables (lists of objects) become lists of documents.
    Document,
}

/// Converts parsed JSON to a value.
pub fn from_json(v: &serde_json::Value, objects: JsonObjects) -> Val {
    match v {
        serde_json::Value::Null => Val::NONE,
        serde_json::Value::Bool(b) => Val::bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Val::int(i)
            } else if let Some(u) = n.as_u64() {
                int::from_big(BigInt::from(u))
            } else {
                float::new(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        serde_json::Value::String(s) => pystr::new(s.as_str()),
        serde_json::Value::Array(items) => {
            let child = if objects == JsonObjects::Document {
                JsonObjects::Document
            } else {
                objects
            };
            list::new(items.iter().map(|x| from_json(x, child)).collect())
        }
        serde_json::Value::Object(map) => from_json_map(map, objects),
    }
}

/// [`from_json`] of an object, without wrapping it in a `serde_json::Value` first.
pub fn from_json_map(
    map: &serde_json::Map<String, serde_json::Value>,
    objects: JsonObjects,
) -> Val {
    match objects {
        // fields are converted when read (see `object::doc`)
        JsonObjects::Document => doc::from_json_owned(map.clone()),
        _ => {
            let d = dict::new_empty(objects == JsonObjects::AttrDict);
            for (k, x) in map {
                let key = pystr::new(k.as_str());
                let hash = crate::object::hash::hash_of(key.v()).unwrap_or(0);
                dict::insert(d.v(), HKey { hash, key }, from_json(x, objects));
            }
            d
        }
    }
}

// ---------------------------------------------------------------------- JSON out

/// Converts a value to JSON the way Frappe encodes responses: dates as `str()`,
/// documents as their fields without nulls (child tables as lists), tuples and sets as
/// lists. Values JSON cannot hold raise TypeError like Frappe's encoder.
///
/// The result is a copy (a list holding one big string a thousand times becomes a
/// thousand strings), so the conversion has a byte budget — the memory the run has
/// left — and raises MemoryError before going past it.
pub fn to_json(ctx: &mut Ctx, v: Value) -> PyResult<serde_json::Value> {
    let mut budget = ctx.limits.memory.saturating_sub(heap::live_bytes());
    to_json_depth(ctx, v, 0, &mut budget)
}

/// Bytes a JSON node takes besides its text (the size of `serde_json::Value`): charged
/// by the container holding it, once for all its items.
const JSON_NODE: usize = std::mem::size_of::<serde_json::Value>();

/// Takes `bytes` from the conversion's budget.
#[inline]
fn charge(ctx: &mut Ctx, budget: &mut usize, bytes: usize) -> PyResult<()> {
    match budget.checked_sub(bytes) {
        Some(left) => {
            *budget = left;
            Ok(())
        }
        None => Err(json_too_big(ctx)),
    }
}

#[cold]
fn json_too_big(ctx: &mut Ctx) -> crate::ctx::Raised {
    ctx.memory_error(format!(
        "the value converted to JSON exceeds the script's memory limit of {} MiB",
        ctx.limits.memory >> 20
    ))
}

fn key_string(ctx: &mut Ctx, k: Value) -> PyResult<String> {
    if let Some(s) = pystr::as_str(k) {
        return Ok(s.to_string());
    }
    match k {
        Value::TRUE => return Ok("true".into()),
        Value::FALSE => return Ok("false".into()),
        Value::NONE => return Ok("null".into()),
        _ => {}
    }
    if int::is_int(k) || float::get(k).is_some() {
        return super::repr::to_str(ctx, k);
    }
    Err(ctx.type_error(format!(
        "keys must be str, int, float, bool or None, not {}",
        super::type_name(k)
    )))
}

/// A list's or tuple's items as a JSON array, charged to the budget before converting.
fn json_array(
    ctx: &mut Ctx,
    items: &[Val],
    depth: usize,
    budget: &mut usize,
) -> PyResult<serde_json::Value> {
    charge(ctx, budget, items.len().saturating_mul(JSON_NODE))?;
    items
        .iter()
        .map(|x| to_json_depth(ctx, x.v(), depth + 1, budget))
        .collect::<PyResult<Vec<_>>>()
        .map(serde_json::Value::Array)
}

fn to_json_depth(
    ctx: &mut Ctx,
    v: Value,
    depth: usize,
    budget: &mut usize,
) -> PyResult<serde_json::Value> {
    use serde_json::Value as J;
    if depth > 500 {
        return Err(ctx.value_error("Circular reference detected"));
    }
    if let Some(i) = v.as_small_int() {
        return Ok(J::from(i));
    }
    match v {
        Value::NONE => return Ok(J::Null),
        Value::TRUE => return Ok(J::Bool(true)),
        Value::FALSE => return Ok(J::Bool(false)),
        _ => {}
    }
    match heap::kind_of(v) {
        Some(Kind::Int) => {
            let b = int::as_big(v).unwrap();
            Ok(match b.to_i64() {
                Some(i) => J::from(i),
                None => match b.to_u64() {
                    Some(u) => J::from(u),
                    None => J::from(b.to_f64().unwrap_or(f64::INFINITY)),
                },
            })
        }
        Some(Kind::Float) => {
            let f = float::get(v).unwrap();
            Ok(serde_json::Number::from_f64(f)
                .map(J::Number)
                .unwrap_or(J::Null))
        }
        Some(Kind::Str) => {
            let s = pystr::as_str(v).unwrap();
            charge(ctx, budget, s.len())?;
            ctx.consume(s.len() / 256)?;
            Ok(J::String(s.to_string()))
        }
        Some(Kind::List) => json_array(ctx, &list::get(v).unwrap().items.borrow(), depth, budget),
        Some(Kind::Tuple) => json_array(ctx, tuple::get(v).unwrap(), depth, budget),
        Some(Kind::Set) => {
            let items: Vec<Val> = set::get(v)
                .unwrap()
                .items
                .borrow()
                .iter()
                .map(|k| k.key.clone())
                .collect();
            charge(ctx, budget, items.len().saturating_mul(JSON_NODE))?;
            items
                .iter()
                .map(|x| to_json_depth(ctx, x.v(), depth + 1, budget))
                .collect::<PyResult<Vec<_>>>()
                .map(J::Array)
        }
        Some(Kind::Dict) => {
            let entries: Vec<(Val, Val)> = dict::get(v)
                .unwrap()
                .map
                .borrow()
                .iter()
                .map(|(k, x)| (k.key.clone(), x.clone()))
                .collect();
            // a key and a value per entry
            charge(ctx, budget, entries.len().saturating_mul(2 * JSON_NODE))?;
            let mut map = serde_json::Map::with_capacity(entries.len());
            for (k, x) in entries {
                let key = key_string(ctx, k.v())?;
                charge(ctx, budget, key.len())?;
                map.insert(key, to_json_depth(ctx, x.v(), depth + 1, budget)?);
            }
            Ok(J::Object(map))
        }
        Some(Kind::Document) => {
            let d = doc::get(v).unwrap();
            let mut out = doc::to_json_fast(d, |x| to_json_depth(ctx, x, depth + 1, budget))?;
            // child rows still in the source: documents leave out their None fields
            if let J::Object(map) = &mut out {
                for value in map.values_mut() {
                    if let J::Array(rows) = value {
                        for row in rows.iter_mut() {
                            if let J::Object(r) = row {
                                r.retain(|_, x| !x.is_null());
                            }
                        }
                    }
                }
            }
            Ok(out)
        }
        Some(Kind::Date | Kind::DateTime | Kind::Time | Kind::TimeDelta) => {
            let s = super::repr::to_str(ctx, v)?;
            charge(ctx, budget, s.len())?;
            Ok(J::String(s))
        }
        Some(Kind::Range) => {
            let items = super::iter::collect(ctx, v)?;
            charge(ctx, budget, items.len().saturating_mul(JSON_NODE))?;
            items
                .iter()
                .map(|x| to_json_depth(ctx, x.v(), depth + 1, budget))
                .collect::<PyResult<Vec<_>>>()
                .map(J::Array)
        }
        Some(Kind::Exception) | Some(Kind::Function) | Some(Kind::BoundMethod) | None => {
            // Frappe's encoder falls back to repr() for exceptions, classes and callables
            let s = super::repr::repr(ctx, v)?;
            charge(ctx, budget, s.len())?;
            Ok(J::String(s))
        }
        Some(kind) => {
            let _ = date::debug_key;
            Err(ctx.type_error(format!("Object of type {kind:?} is not JSON serializable")))
        }
    }
}

/// A `_dict` from string keys (used to build `frappe.session` and friends).
pub fn attr_dict(ctx: &mut Ctx, entries: &[(&str, Val)]) -> PyResult {
    let d = dict::new_empty(true);
    for (k, v) in entries {
        let key = hkey(ctx, pystr::new(*k).v())?;
        dict::insert(d.v(), key, v.clone());
    }
    Ok(d)
}
