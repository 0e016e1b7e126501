//! Framework validations of a document before it is written (§6.3 step 7): mandatory
//! fields, links, select options, non-negative numbers, lengths. Each failure raises
//! the Frappe exception clients expect.

use serde_json::Value;

use super::Doc;
use crate::error::{Error, Msg, Result};
use crate::meta::{FieldType, Meta};
use crate::tx::SiteTx;

/// Default maximum length of a Data field, as Frappe's varchar(140).
const DATA_LENGTH: usize = 140;

fn is_missing(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        _ => false,
    }
}

fn rows<'d>(doc: &'d Doc, field: &str) -> impl Iterator<Item = &'d Doc> {
    doc.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

/// MandatoryError with one message per missing field (children: `Row #n`).
pub fn mandatory(tx: &mut SiteTx<'_>, meta: &Meta, doc: &Doc) -> Result<()> {
    let mut missing: Vec<String> = Vec::new();
    let mut messages = Vec::new();
    for f in meta
        .fields
        .iter()
        .filter(|f| f.reqd && !f.fieldtype.is_layout())
    {
        if is_missing(doc.get(&f.fieldname)) {
            messages.push(format!(
                "Error: Value missing for {}: {}",
                meta.name,
                f.label()
            ));
            missing.push(f.fieldname.clone());
        }
    }
    for (fieldname, child_meta) in tx.child_tables(meta)? {
        for (i, row) in rows(doc, &fieldname).enumerate() {
            for f in child_meta
                .fields
                .iter()
                .filter(|f| f.reqd && !f.fieldtype.is_layout())
            {
                if is_missing(row.get(&f.fieldname)) {
                    messages.push(format!(
                        "Error: Value missing for {}: {} in Row #{}",
                        child_meta.name,
                        f.label(),
                        i + 1
                    ));
                    missing.push(f.fieldname.clone());
                }
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let name = super::doc_name(doc);
    let mut e = Error::raise(
        "MandatoryError",
        format!("[{}, {}]: {}", meta.name, name, missing.join(", ")),
    );
    e.messages = messages
        .into_iter()
        .map(|m| Msg {
            message: m,
            title: Some("Message".into()),
            indicator: Some("red".into()),
            raise_exception: false,
        })
        .collect();
    Err(e)
}

/// LinkValidationError naming every link whose target does not exist.
pub fn links(tx: &mut SiteTx<'_>, meta: &Meta, doc: &Doc) -> Result<()> {
    let mut bad = Vec::new();
    check_links(tx, meta, doc, &mut bad)?;
    for (fieldname, child_meta) in tx.child_tables(meta)? {
        for row in rows(doc, &fieldname) {
            check_links(tx, &child_meta, row, &mut bad)?;
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    Err(Error::throw_titled(
        "LinkValidationError",
        format!("Could not find {}", bad.join(", ")),
        "Links Not Found",
    ))
}

fn check_links(tx: &mut SiteTx<'_>, meta: &Meta, doc: &Doc, bad: &mut Vec<String>) -> Result<()> {
    for f in meta
        .fields
        .iter()
        .filter(|f| f.fieldtype == FieldType::Link)
    {
        let Some(Value::String(v)) = doc.get(&f.fieldname) else {
            continue;
        };
        if v.is_empty() {
            continue;
        }
        let target = tx.meta(&f.options).map(|m| m.name.clone());
        let found = match target {
            Ok(t) => super::store::exists(tx, &t, v)?,
            Err(_) => false,
        };
        if !found {
            bad.push(format!("{}: {}", f.label(), v));
        }
    }
    Ok(())
}

fn comma_or(options: &[&str]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Select values among the options, numbers not negative where asked, Data within its
/// length — for the document and its rows.
pub fn values(tx: &mut SiteTx<'_>, meta: &Meta, doc: &Doc) -> Result<()> {
    check_values(meta, doc, None)?;
    for (fieldname, child_meta) in tx.child_tables(meta)? {
        for (i, row) in rows(doc, &fieldname).enumerate() {
            check_values(&child_meta, row, Some(i + 1))?;
        }
    }
    Ok(())
}

fn check_values(meta: &Meta, doc: &Doc, row: Option<usize>) -> Result<()> {
    let prefix = row.map(|r| format!("Row #{r}: ")).unwrap_or_default();
    for f in meta.data_fields() {
        let v = doc.get(&f.fieldname);
        match f.fieldtype {
            FieldType::Select => {
                let Some(Value::String(s)) = v else { continue };
                let options = f.select_options();
                if !s.is_empty() && !options.is_empty() && !options.contains(&s.as_str()) {
                    return Err(Error::validation(format!(
                        "{prefix}{} cannot be \"{s}\". It should be one of {}",
                        f.label(),
                        comma_or(&options)
                    )));
                }
            }
            t if t.is_numeric()
                && f.non_negative
                && v.and_then(Value::as_f64).is_some_and(|n| n < 0.0) =>
            {
                return Err(Error::throw(
                    "NonNegativeError",
                    format!("{prefix}{} cannot be negative", f.label()),
                ));
            }
            FieldType::Data
            | FieldType::Link
            | FieldType::DynamicLink
            | FieldType::Phone
            | FieldType::Color => {
                let Some(Value::String(s)) = v else { continue };
                let max = if f.length > 0 { f.length } else { DATA_LENGTH };
                let n = s.chars().count();
                if n > max {
                    return Err(Error::throw(
                        "CharacterLengthExceededError",
                        format!(
                            "{prefix}{}: '{}…' ({n}) will get truncated, as max characters allowed is {max}",
                            f.label(),
                            s.chars().take(20).collect::<String>()
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}
