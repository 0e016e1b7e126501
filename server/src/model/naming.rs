//! Naming of new documents (§6.2): `Prompt`, `hash`, `field:x`, `naming_series:`,
//! `format:…{field}…{#####}`, `UUID`, `autoincrement`, and series expressions like
//! `TODO-.YYYY.-.#####` whose counters live in `tabSeries`. A counter is incremented
//! inside the inserting transaction, which holds SQLite's write lock, so parallel
//! inserters never draw the same number and a rolled-back insert returns its number.

use rand::Rng;
use serde_json::Value;

use super::Doc;
use crate::error::{Error, Result};
use crate::meta::Meta;
use crate::tx::SiteTx;

const HASH_CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuv";

/// 10 characters of `[0-9a-v]`, as Frappe's `hash` naming.
pub fn random_hash() -> String {
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| HASH_CHARS[rng.gen_range(0..HASH_CHARS.len())] as char)
        .collect()
}

fn uuid4() -> String {
    let b: [u8; 16] = rand::thread_rng().r#gen();
    let h: String = b
        .iter()
        .enumerate()
        .map(|(i, x)| match i {
            6 => format!("{:02x}", (x & 0x0f) | 0x40),
            8 => format!("{:02x}", (x & 0x3f) | 0x80),
            _ => format!("{x:02x}"),
        })
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Draws the next number of a series prefix.
pub fn next_in_series(tx: &SiteTx<'_>, prefix: &str) -> Result<i64> {
    let mut stmt = tx.db.prepare_cached(
        "INSERT INTO \"tabSeries\" (name, current) VALUES (?1, 1) \
         ON CONFLICT(name) DO UPDATE SET current = current + 1 RETURNING current",
    )?;
    Ok(stmt.query_row([prefix], |r| r.get(0))?)
}

fn field_text(doc: &Doc, field: &str) -> String {
    match doc.get(field) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// Evaluates a series expression: parts split on `.`; `#…#` is the counter (padded to
/// its length) of everything before it; `YY`, `YYYY`, `MM`, `DD` the date; `{field}` or a
/// field name the document's value; anything else literal.
fn series_name(tx: &SiteTx<'_>, meta: &Meta, doc: &Doc, expr: &str) -> Result<String> {
    let today = tx.today();
    let mut name = String::new();
    let mut used_counter = false;
    for part in expr.split('.') {
        if !part.is_empty() && part.chars().all(|c| c == '#') {
            let n = next_in_series(tx, &name)?;
            name.push_str(&format!("{:0width$}", n, width = part.len()));
            used_counter = true;
            continue;
        }
        let piece = match part {
            "YY" => today[2..4].to_string(),
            "YYYY" => today[0..4].to_string(),
            "MM" => today[5..7].to_string(),
            "DD" => today[8..10].to_string(),
            p if p.starts_with('{') && p.ends_with('}') => field_text(doc, &p[1..p.len() - 1]),
            p if meta.field(p).is_some() => field_text(doc, p),
            p => p.to_string(),
        };
        name.push_str(&piece);
    }
    if !used_counter {
        let n = next_in_series(tx, &name)?;
        name.push_str(&format!("{n:05}"));
    }
    Ok(name)
}

/// `format:INV-{customer}-{MM}-{####}`.
fn format_name(tx: &SiteTx<'_>, doc: &Doc, pattern: &str) -> Result<String> {
    let today = tx.today();
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let key = &rest[open + 1..open + close];
        let piece = match key {
            k if !k.is_empty() && k.chars().all(|c| c == '#') => {
                let n = next_in_series(tx, &out)?;
                format!("{:0width$}", n, width = k.len())
            }
            "YY" => today[2..4].to_string(),
            "YYYY" => today[0..4].to_string(),
            "MM" => today[5..7].to_string(),
            "DD" => today[8..10].to_string(),
            k => field_text(doc, k),
        };
        out.push_str(&piece);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Sets `name` on a new document by its DocType's rule.
pub fn set_new_name(tx: &SiteTx<'_>, meta: &Meta, doc: &mut Doc) -> Result<()> {
    let given = doc
        .remove("__newname")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.trim().is_empty())
        .or_else(|| doc.get("name").and_then(Value::as_str).map(str::to_string))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let autoname = meta.autoname.trim();
    let name = if meta.issingle {
        meta.name.clone()
    } else if autoname.eq_ignore_ascii_case("prompt") {
        given.ok_or_else(|| Error::validation("Please set the document name"))?
    } else if autoname.eq_ignore_ascii_case("hash") {
        random_hash()
    } else if autoname.eq_ignore_ascii_case("uuid") {
        given.unwrap_or_else(uuid4)
    } else if autoname == "autoincrement" {
        next_in_series(tx, &format!("autoincrement:{}", meta.name))?.to_string()
    } else if let Some(field) = autoname.strip_prefix("field:") {
        let field = field.trim();
        let v = field_text(doc, field);
        if v.is_empty() {
            return Err(Error::validation(format!(
                "{} is required",
                meta.label_of(field)
            )));
        }
        v
    } else if autoname.starts_with("naming_series:") {
        let series = field_text(doc, "naming_series");
        if series.is_empty() {
            return Err(Error::validation("Naming Series mandatory"));
        }
        let expr = if series.contains('#') {
            series
        } else {
            format!("{series}.#####")
        };
        series_name(tx, meta, doc, &expr)?
    } else if let Some(pattern) = autoname.strip_prefix("format:") {
        format_name(tx, doc, pattern)?
    } else if autoname.contains('#') {
        series_name(tx, meta, doc, autoname)?
    } else {
        random_hash()
    };
    validate_name(&meta.name, &name)?;
    doc.insert("name".into(), name.into());
    Ok(())
}

/// Names are at most 140 characters of one line, without surrounding spaces.
pub fn validate_name(doctype: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::throw(
            "InvalidNameError",
            format!("{doctype} name cannot be empty"),
        ));
    }
    if name.chars().count() > 140 {
        return Err(Error::throw(
            "InvalidNameError",
            format!("{doctype} name cannot be longer than 140 characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::throw(
            "InvalidNameError",
            format!("{doctype} name cannot contain control characters"),
        ));
    }
    Ok(())
}
