//! `frappe.sendmail` from scripts: the mail is queued as an Email Queue document (with
//! one Email Queue Recipient row per address), as Frappe's queue does; sending it is
//! outside this server. Addresses are checked first: a bad one is an
//! `InvalidEmailAddressError`, and nothing is queued.

use serde_json::{Map, Value, json};
use serverscript_compiler::host::Mail;

use crate::error::{Error, Result};
use crate::tx::SiteTx;

/// The address in `Name <a@b.c>` or `a@b.c`, if it looks like one.
pub fn address(text: &str) -> Option<String> {
    let t = text.trim();
    let addr = match (t.rfind('<'), t.ends_with('>')) {
        (Some(p), true) => &t[p + 1..t.len() - 1],
        _ => t,
    }
    .trim();
    let (local, domain) = addr.rsplit_once('@')?;
    let ok = !local.is_empty()
        && !domain.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !addr
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == ';');
    ok.then(|| addr.to_string())
}

fn checked(list: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for r in list {
        match address(r) {
            Some(a) => {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
            None => {
                return Err(Error::throw_titled(
                    "InvalidEmailAddressError",
                    format!("{} is not a valid Email Address", r.trim()),
                    "Invalid Email Address",
                ));
            }
        }
    }
    Ok(out)
}

/// Queues `mail`; returns the Email Queue document's name (`None` when there is no
/// recipient at all: Frappe queues nothing then).
pub fn queue(tx: &mut SiteTx<'_>, mail: &Mail) -> Result<Option<String>> {
    let to = checked(&mail.recipients)?;
    let cc = checked(&mail.cc)?;
    let bcc = checked(&mail.bcc)?;
    if to.is_empty() && cc.is_empty() && bcc.is_empty() {
        return Ok(None);
    }
    let sender = match &mail.sender {
        Some(s) if !s.trim().is_empty() => s.clone(),
        _ => tx
            .site
            .config("auto_email_id")
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "notifications@localhost".into()),
    };
    let recipients: Vec<Value> = to
        .iter()
        .chain(&cc)
        .chain(&bcc)
        .map(|r| json!({"recipient": r, "status": "Not Sent"}))
        .collect();
    let attachments = mail.extra.get("attachments").cloned();
    let mut extra = mail.extra.clone();
    extra.remove("attachments");
    let mut doc = Map::new();
    let name = crate::model::naming::random_hash();
    for (k, v) in [
        ("doctype", json!("Email Queue")),
        ("name", json!(name)),
        ("sender", json!(sender)),
        ("recipients", Value::Array(recipients)),
        ("show_as_cc", json!(cc.join(","))),
        ("subject", json!(mail.subject)),
        ("message", json!(mail.message)),
        ("status", json!("Not Sent")),
        ("reference_doctype", json!(mail.reference_doctype)),
        ("reference_name", json!(mail.reference_name)),
        ("priority", json!(if mail.delayed { 1 } else { 0 })),
        (
            "attachments",
            attachments.map_or(Value::Null, |a| json!(a.to_string())),
        ),
        (
            "extra",
            if extra.is_empty() {
                Value::Null
            } else {
                json!(Value::Object(extra).to_string())
            },
        ),
    ] {
        doc.insert(k.into(), v);
    }
    tx.insert_raw(&mut doc)?;
    Ok(Some(name))
}

#[cfg(test)]
mod tests {
    use super::address;

    #[test]
    fn addresses_with_and_without_display_names() {
        assert_eq!(address("a@b.co").as_deref(), Some("a@b.co"));
        assert_eq!(
            address(" Jane Doe <jane@example.com> ").as_deref(),
            Some("jane@example.com")
        );
        for bad in [
            "",
            "jane",
            "jane@",
            "@x.org",
            "a b@c.org",
            "a@localhost",
            "a@b.",
            "a@b.c,d@e.f",
        ] {
            assert_eq!(address(bad), None, "{bad}");
        }
    }
}
