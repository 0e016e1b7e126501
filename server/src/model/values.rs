//! Field values: defaults for new documents and coercion of what clients send into each
//! field's type (Frappe's `cint`/`flt` readings: `"5"` → 5 in an Int field, `true` → 1
//! in a Check, `"1,000.5"` → 1000.5 in a Float; numbers in text fields become text).

use serde_json::{Number, Value};

use super::Doc;
use crate::error::Result;
use crate::meta::{DocField, FieldType, Meta};
use crate::tx::SiteTx;

/// Frappe's `cint`: integers of numbers, numeric strings and booleans; 0 otherwise.
pub fn cint(v: &Value) -> i64 {
    match v {
        Value::Bool(b) => *b as i64,
        Value::Number(n) => n
            .as_i64()
            .unwrap_or_else(|| n.as_f64().map(|f| f.trunc() as i64).unwrap_or(0)),
        Value::String(s) => {
            let s = s.trim().replace(',', "");
            s.parse::<i64>()
                .ok()
                .or_else(|| {
                    s.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .map(|f| f.trunc() as i64)
                })
                .unwrap_or(0)
        }
        _ => 0,
    }
}

/// Frappe's `flt` (without precision): floats of numbers and numeric strings; 0.0 otherwise.
pub fn flt(v: &Value) -> f64 {
    match v {
        Value::Bool(b) => *b as i64 as f64,
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s
            .trim()
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .unwrap_or(0.0),
        _ => 0.0,
    }
}

fn coerce_value(f: &DocField, v: Value) -> Value {
    let t = f.fieldtype;
    if v.is_null() {
        return t.empty_value();
    }
    if t.is_int() {
        let i = cint(&v);
        return Value::from(if t == FieldType::Check {
            (i != 0) as i64
        } else {
            i
        });
    }
    if t.is_float() {
        return Number::from_f64(flt(&v))
            .map(Value::Number)
            .unwrap_or(Value::from(0.0));
    }
    match v {
        Value::String(s) => {
            if f.unique && s.is_empty() {
                // unique columns hold NULL for "no value", so many rows may have none
                Value::Null
            } else {
                Value::String(s)
            }
        }
        Value::Bool(b) => Value::String(if b { "1" } else { "0" }.into()),
        Value::Number(n) => Value::String(n.to_string()),
        other => Value::String(other.to_string()),
    }
}

/// The default of a field as a value of its type (`Today`, `now` and `__user` as Frappe
/// reads them).
fn default_value(tx: &SiteTx<'_>, f: &DocField) -> Value {
    match &f.default {
        None => f.fieldtype.empty_value(),
        Some(d) => {
            let v = match (f.fieldtype, d.as_str()) {
                (FieldType::Date, d) if d.eq_ignore_ascii_case("today") => {
                    Value::String(tx.today())
                }
                (FieldType::Datetime, d) if d.eq_ignore_ascii_case("now") => {
                    Value::String(tx.now())
                }
                (_, "__user") => Value::String(tx.user.clone()),
                (_, d) => Value::String(d.to_string()),
            };
            coerce_value(f, v)
        }
    }
}

/// Fills fields a new document does not set (missing or null) with their defaults, and
/// missing child tables with `[]`; child rows too.
pub fn apply_defaults(tx: &mut SiteTx<'_>, meta: &Meta, doc: &mut Doc) -> Result<()> {
    for f in meta.data_fields() {
        if doc.get(&f.fieldname).is_none_or(Value::is_null) {
            let v = default_value(tx, f);
            doc.insert(f.fieldname.clone(), v);
        }
    }
    for (fieldname, child_meta) in tx.child_tables(meta)? {
        match doc.get_mut(&fieldname) {
            Some(Value::Array(rows)) => {
                for row in rows.iter_mut() {
                    if let Value::Object(row) = row {
                        apply_defaults(tx, &child_meta, row)?;
                    }
                }
            }
            _ => {
                doc.insert(fieldname, Value::Array(Vec::new()));
            }
        }
    }
    Ok(())
}

/// Converts every field to its type; child rows given as objects too. Keys that are
/// neither columns nor tables are left for the caller to ignore.
pub fn coerce(tx: &mut SiteTx<'_>, meta: &Meta, doc: &mut Doc) -> Result<()> {
    for f in meta.data_fields() {
        if let Some(v) = doc.get_mut(&f.fieldname) {
            *v = coerce_value(f, v.take());
        }
    }
    for std in ["docstatus", "idx"] {
        if let Some(v) = doc.get_mut(std) {
            *v = Value::from(cint(v));
        }
    }
    for (fieldname, child_meta) in tx.child_tables(meta)? {
        match doc.get_mut(&fieldname) {
            Some(Value::Array(rows)) => {
                rows.retain(Value::is_object);
                for row in rows.iter_mut() {
                    if let Value::Object(row) = row {
                        coerce(tx, &child_meta, row)?;
                    }
                }
            }
            Some(Value::Null) | None => {}
            Some(_) => {
                return Err(crate::error::Error::validation(format!(
                    "{}: a table field takes a list of rows",
                    meta.label_of(&fieldname)
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn cint_and_flt_read_like_frappe() {
        assert_eq!(super::cint(&json!("12")), 12);
        assert_eq!(super::cint(&json!("12.9")), 12);
        assert_eq!(super::cint(&json!("1,200")), 1200);
        assert_eq!(super::cint(&json!("abc")), 0);
        assert_eq!(super::cint(&json!(true)), 1);
        assert_eq!(super::cint(&json!(-3.7)), -3);
        assert_eq!(super::flt(&json!("1,000.5")), 1000.5);
        assert_eq!(super::flt(&json!("x")), 0.0);
        assert_eq!(super::flt(&json!(null)), 0.0);
    }
}
