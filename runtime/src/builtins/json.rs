//! `json.loads` and `json.dumps` with Python's output format (`", "`/`": "` separators,
//! `ensure_ascii`, float repr, `indent`, `sort_keys`), and `frappe.as_json`.
//!
//! Parsing goes straight from text to values through serde_json's deserializer (no
//! intermediate tree). Known differences from CPython: integers beyond 64 bits parse as
//! floats, and the non-standard `NaN`/`Infinity` literals are refused.

use std::fmt::Write;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::args::parse as parse_args;
use super::{Builtin, b};

/// The sandbox's `json` module.
pub static TABLE: &[Builtin] = &[b("json.loads", loads), b("json.dumps", dumps)];
use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::hash::{self, HKey};
use crate::object::{dict, doc, float, int, list, set, str as pystr, tuple};
use crate::ops::call::Kwargs;
use crate::ops::convert::JsonObjects;
use crate::ops::{self, repr as pyrepr, truthy};
use crate::value::{Val, Value};

// ---------------------------------------------------------------------- loads

struct Seed(JsonObjects);

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Val;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Val, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Val;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Val, E> {
        Ok(Val::bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Val, E> {
        Ok(Val::int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Val, E> {
        Ok(int::from_big(num_bigint::BigInt::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Val, E> {
        Ok(float::new(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Val, E> {
        Ok(pystr::new(v))
    }
    fn visit_string<E>(self, v: String) -> Result<Val, E> {
        Ok(pystr::new(v))
    }
    fn visit_unit<E>(self) -> Result<Val, E> {
        Ok(Val::NONE)
    }
    fn visit_none<E>(self) -> Result<Val, E> {
        Ok(Val::NONE)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(Seed(self.0))? {
            items.push(v);
        }
        Ok(list::new(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Val, A::Error> {
        let d = dict::new_empty(self.0 == JsonObjects::AttrDict);
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let v = map.next_value_seed(Seed(self.0))?;
            let key = pystr::new(&*k);
            let h = hash::hash_of(key.v()).unwrap_or(0);
            dict::insert(d.v(), HKey { hash: h, key }, v);
        }
        Ok(d)
    }
}

/// Parses JSON text into values.
pub fn parse(ctx: &mut Ctx, text: &str, objects: JsonObjects) -> PyResult {
    ctx.consume(text.len() / 16)?;
    ctx.reserve(text.len().saturating_mul(4))?;
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Seed(objects)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|_| v));
    match result {
        Ok(v) => Ok(v),
        Err(e) => {
            let msg = decode_error_message(text, &e);
            Err(ctx.raise_new(
                crate::object::exc::class_id("json.JSONDecodeError").expect("JSONDecodeError"),
                msg,
            ))
        }
    }
}

/// CPython's wording for a JSON syntax error, with its position: `Expecting value: line
/// 1 column 1 (char 0)`. serde_json reports the last character it read; CPython the
/// position where the expected thing is missing (one further at the end of the text).
fn decode_error_message(text: &str, e: &serde_json::Error) -> String {
    let full = e.to_string();
    let what = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(w, _)| w);
    let eof = e.is_eof();
    let reason: &str = match what {
        w if w.starts_with("EOF while parsing a string") => "Unterminated string starting at",
        w if w.starts_with("EOF while parsing") => {
            if w.ends_with("a value") {
                "Expecting value"
            } else {
                "Expecting ',' delimiter"
            }
        }
        "expected value" | "expected ident" | "invalid number" | "trailing comma" => {
            "Expecting value"
        }
        "key must be a string" => "Expecting property name enclosed in double quotes",
        "expected `:`" => "Expecting ':' delimiter",
        w if w.starts_with("expected `,`") => "Expecting ',' delimiter",
        "trailing characters" => "Extra data",
        w if w.starts_with("control character") => "Invalid control character at",
        w if w.starts_with("invalid escape") || w.starts_with("invalid unicode") => {
            "Invalid \\escape"
        }
        w => w,
    };
    let (line, mut column) = (e.line().max(1), e.column());
    if eof || column == 0 {
        column += 1;
    }
    // the character offset CPython reports, from the line and column
    let chars: Vec<char> = text.chars().collect();
    let before: usize = text
        .split('\n')
        .take(line - 1)
        .map(|l| l.chars().count() + 1)
        .sum();
    let mut pos = (before + column).saturating_sub(1).min(chars.len());
    let mut reason = reason;
    match what {
        // CPython points at what is wrong, serde after it
        "trailing comma" if chars.get(pos) == Some(&'}') => {
            reason = "Expecting property name enclosed in double quotes";
        }
        w if w.starts_with("invalid escape") || w.starts_with("invalid unicode") => {
            pos = pos.saturating_sub(1);
        }
        // a misspelt literal: CPython points at its first character
        "expected ident" | "invalid number" | "expected value" | "EOF while parsing a value" => {
            while pos > 0
                && chars
                    .get(pos - 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'))
            {
                pos -= 1;
            }
        }
        w if w.starts_with("EOF while parsing a string") => {
            // the opening quote of the string left open
            let mut start = 0;
            let (mut in_string, mut escaped) = (false, false);
            for (i, c) in chars.iter().enumerate() {
                match (in_string, escaped, c) {
                    (true, true, _) => escaped = false,
                    (true, false, '\\') => escaped = true,
                    (true, false, '"') => in_string = false,
                    (false, _, '"') => {
                        in_string = true;
                        start = i;
                    }
                    _ => {}
                }
            }
            pos = start;
        }
        _ => {}
    }
    // line and column of `pos`
    let line = chars[..pos].iter().filter(|c| **c == '\n').count() + 1;
    let line_start = chars[..pos]
        .iter()
        .rposition(|c| *c == '\n')
        .map_or(0, |i| i + 1);
    let column = pos - line_start + 1;
    format!("{reason}: line {line} column {column} (char {pos})")
}

/// `json.loads(s)`.
pub fn loads(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [s] = parse_args(ctx, "loads", ["s"], 1, args, kwargs)?;
    let s = s.unwrap();
    match pystr::as_str(s) {
        Some(text) => parse(ctx, text, JsonObjects::Dict),
        None => Err(ctx.type_error(format!(
            "the JSON object must be str, bytes or bytearray, not {}",
            ops::type_name(s)
        ))),
    }
}

// ---------------------------------------------------------------------- dumps

pub struct DumpOptions {
    pub indent: Option<usize>,
    pub sort_keys: bool,
    pub item_sep: String,
    pub key_sep: String,
    pub ensure_ascii: bool,
    /// Frappe's encoder: dates as `str()`, documents as dicts, sets as lists.
    pub frappe_types: bool,
}

/// `json.dumps(obj, indent=None, sort_keys=False, separators=None, ensure_ascii=True)`.
pub fn dumps(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [
        obj,
        skipkeys,
        ensure_ascii,
        check_circular,
        allow_nan,
        cls,
        indent,
        separators,
        default,
        sort_keys,
    ] = parse_args(
        ctx,
        "dumps",
        [
            "obj",
            "skipkeys",
            "ensure_ascii",
            "check_circular",
            "allow_nan",
            "cls",
            "indent",
            "separators",
            "default",
            "sort_keys",
        ],
        1,
        args,
        kwargs,
    )?;
    let _ = (skipkeys, check_circular, allow_nan, cls);
    let indent = match indent {
        Some(v) if !v.is_none() => Some(int::to_i64(v).unwrap_or(0).max(0) as usize),
        _ => None,
    };
    let (mut item_sep, mut key_sep) = if indent.is_some() {
        (",".to_string(), ": ".to_string())
    } else {
        (", ".to_string(), ": ".to_string())
    };
    if let Some(s) = separators.filter(|s| !s.is_none()) {
        let parts = ops::iter::collect(ctx, s)?;
        if parts.len() != 2 {
            return Err(
                ctx.value_error("separators must be a (item_separator, key_separator) pair")
            );
        }
        item_sep = pyrepr::to_str(ctx, parts[0].v())?;
        key_sep = pyrepr::to_str(ctx, parts[1].v())?;
    }
    let opts = DumpOptions {
        indent,
        sort_keys: sort_keys.is_some_and(truthy),
        item_sep,
        key_sep,
        ensure_ascii: ensure_ascii.is_none_or(truthy),
        // `default=str` (common in scripts) turns unknown objects into strings
        frappe_types: default.is_some_and(|d| !d.is_none()),
    };
    dump_value(ctx, obj.unwrap(), &opts).map(pystr::new)
}

pub fn dump_value(ctx: &mut Ctx, v: Value, opts: &DumpOptions) -> PyResult<String> {
    let mut out = String::new();
    write_value(ctx, v, opts, &mut out, 0)?;
    ctx.check_str_len(out.len())?;
    Ok(out)
}

fn write_str(s: &str, ensure_ascii: bool, out: &mut String) {
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
            c if ensure_ascii && (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn newline(ctx: &mut Ctx, opts: &DumpOptions, out: &mut String, depth: usize) -> PyResult<()> {
    if let Some(n) = opts.indent {
        let pad = n.saturating_mul(depth);
        // a huge indent is a MemoryError before the spaces are written
        ctx.check_str_len(out.len().saturating_add(pad).saturating_add(1))?;
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', pad));
    }
    Ok(())
}

fn key_text(ctx: &mut Ctx, k: Value) -> PyResult<Option<String>> {
    if let Some(s) = pystr::as_str(k) {
        return Ok(Some(s.to_string()));
    }
    match k {
        Value::TRUE => return Ok(Some("true".into())),
        Value::FALSE => return Ok(Some("false".into())),
        Value::NONE => return Ok(Some("null".into())),
        _ => {}
    }
    if int::is_int(k) || float::get(k).is_some() {
        return pyrepr::to_str(ctx, k).map(Some);
    }
    Err(ctx.type_error(format!(
        "keys must be str, int, float, bool or None, not {}",
        ops::type_name(k)
    )))
}

fn write_value(
    ctx: &mut Ctx,
    v: Value,
    opts: &DumpOptions,
    out: &mut String,
    depth: usize,
) -> PyResult<()> {
    if depth > 500 {
        return Err(ctx.value_error("Circular reference detected"));
    }
    ctx.consume(1)?;
    if let Some(i) = v.as_small_int() {
        let _ = write!(out, "{i}");
        return Ok(());
    }
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
    match heap::kind_of(v) {
        Some(Kind::Int) => {
            let _ = write!(out, "{}", int::as_big(v).unwrap());
        }
        Some(Kind::Float) => {
            let f = float::get(v).unwrap();
            if f.is_nan() {
                out.push_str("NaN");
            } else if f.is_infinite() {
                out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
            } else {
                out.push_str(&pyrepr::float_repr(f));
            }
        }
        Some(Kind::Str) => {
            // the text is copied: one big string many times must stop at the string
            // limit before it is written, not after
            let text = pystr::as_str(v).unwrap();
            ctx.check_str_len(out.len().saturating_add(text.len()).saturating_add(2))?;
            ctx.consume_bytes(text.len())?;
            write_str(text, opts.ensure_ascii, out);
            if out.len() > ctx.limits.max_str {
                return Err(ctx.str_too_long(out.len()));
            }
        }
        Some(Kind::List | Kind::Tuple) => {
            let items = match list::get(v) {
                Some(l) => l.snapshot(),
                None => tuple::get(v).unwrap().to_vec(),
            };
            write_seq(ctx, &items, opts, out, depth)?;
        }
        Some(Kind::Set) if opts.frappe_types => {
            let items: Vec<Val> = set::get(v)
                .unwrap()
                .items
                .borrow()
                .iter()
                .map(|k| k.key.clone())
                .collect();
            write_seq(ctx, &items, opts, out, depth)?;
        }
        Some(Kind::Dict) => {
            let mut entries: Vec<(String, Val)> = Vec::new();
            let raw: Vec<(Val, Val)> = dict::get(v)
                .unwrap()
                .map
                .borrow()
                .iter()
                .map(|(k, x)| (k.key.clone(), x.clone()))
                .collect();
            for (k, x) in raw {
                if let Some(key) = key_text(ctx, k.v())? {
                    entries.push((key, x));
                }
            }
            write_object(ctx, entries, opts, out, depth)?;
        }
        Some(Kind::Document) if opts.frappe_types => {
            let entries: Vec<(String, Val)> = doc::get(v)
                .unwrap()
                .all_fields()
                .iter()
                .filter(|(_, x)| !x.v().is_none())
                .map(|(k, x)| (k.to_string(), x.clone()))
                .collect();
            write_object(ctx, entries, opts, out, depth)?;
        }
        Some(Kind::Date | Kind::DateTime | Kind::Time | Kind::TimeDelta) if opts.frappe_types => {
            let s = pyrepr::to_str(ctx, v)?;
            write_str(&s, opts.ensure_ascii, out);
        }
        _ if opts.frappe_types => {
            let s = pyrepr::to_str(ctx, v)?;
            write_str(&s, opts.ensure_ascii, out);
        }
        _ => {
            let name = match heap::kind_of(v) {
                Some(Kind::Document) => "Document".to_string(),
                _ => ops::type_name(v).to_string(),
            };
            return Err(ctx.type_error(format!("Object of type {name} is not JSON serializable")));
        }
    }
    Ok(())
}

fn write_seq(
    ctx: &mut Ctx,
    items: &[Val],
    opts: &DumpOptions,
    out: &mut String,
    depth: usize,
) -> PyResult<()> {
    if items.is_empty() {
        out.push_str("[]");
        return Ok(());
    }
    out.push('[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&opts.item_sep);
        }
        newline(ctx, opts, out, depth + 1)?;
        write_value(ctx, x.v(), opts, out, depth + 1)?;
    }
    newline(ctx, opts, out, depth)?;
    out.push(']');
    Ok(())
}

fn write_object(
    ctx: &mut Ctx,
    mut entries: Vec<(String, Val)>,
    opts: &DumpOptions,
    out: &mut String,
    depth: usize,
) -> PyResult<()> {
    if entries.is_empty() {
        out.push_str("{}");
        return Ok(());
    }
    if opts.sort_keys {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out.push('{');
    for (i, (k, x)) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(&opts.item_sep);
        }
        newline(ctx, opts, out, depth + 1)?;
        write_str(k, opts.ensure_ascii, out);
        out.push_str(&opts.key_sep);
        write_value(ctx, x.v(), opts, out, depth + 1)?;
    }
    newline(ctx, opts, out, depth)?;
    out.push('}');
    Ok(())
}
