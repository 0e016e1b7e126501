//! The DocTypes every site ships with, as DocType documents in `server/doctypes/*.json`
//! (Frappe's own JSON shape, a subset of its keys). Installed as rows of `tabDocType`
//! when a site is created; the first three describe DocTypes themselves and are also
//! read from here whenever a DocType is loaded.

use std::sync::{Arc, LazyLock};

use serde_json::{Map, Value};

use super::Meta;

/// In install order: what the later ones link to comes first.
pub const SHIPPED: &[(&str, &str)] = &[
    ("DocType", include_str!("../../doctypes/doctype.json")),
    ("DocField", include_str!("../../doctypes/docfield.json")),
    ("DocPerm", include_str!("../../doctypes/docperm.json")),
    ("Role", include_str!("../../doctypes/role.json")),
    ("Has Role", include_str!("../../doctypes/has_role.json")),
    ("User", include_str!("../../doctypes/user.json")),
    ("ToDo", include_str!("../../doctypes/todo.json")),
    ("Note", include_str!("../../doctypes/note.json")),
    ("Version", include_str!("../../doctypes/version.json")),
    ("Error Log", include_str!("../../doctypes/error_log.json")),
    ("File", include_str!("../../doctypes/file.json")),
    (
        "Email Queue Recipient",
        include_str!("../../doctypes/email_queue_recipient.json"),
    ),
    (
        "Email Queue",
        include_str!("../../doctypes/email_queue.json"),
    ),
    ("Comment", include_str!("../../doctypes/comment.json")),
    (
        "Scheduled Job Log",
        include_str!("../../doctypes/scheduled_job_log.json"),
    ),
    (
        "Server Script",
        include_str!("../../doctypes/server_script.json"),
    ),
];

/// The DocTypes whose metas never come from the database.
pub const CORE: &[&str] = &["DocType", "DocField", "DocPerm"];

/// A shipped DocType as a document.
pub fn doc(name: &str) -> Option<Map<String, Value>> {
    let (_, text) = SHIPPED.iter().find(|(n, _)| *n == name)?;
    match serde_json::from_str(text).expect("shipped DocTypes are valid JSON") {
        Value::Object(m) => Some(m),
        _ => unreachable!("shipped DocTypes are objects"),
    }
}

static CORE_METAS: LazyLock<Vec<Arc<Meta>>> = LazyLock::new(|| {
    CORE.iter()
        .map(|n| {
            Arc::new(
                Meta::from_doc(&doc(n).expect("core DocType shipped"))
                    .expect("core DocTypes are valid"),
            )
        })
        .collect()
});

/// The compiled-in meta of DocType, DocField or DocPerm.
pub fn core_meta(name: &str) -> Option<Arc<Meta>> {
    CORE_METAS.iter().find(|m| m.name == name).cloned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_shipped_doctype_is_a_valid_meta() {
        for (name, _) in super::SHIPPED {
            let meta = super::Meta::from_doc(&super::doc(name).unwrap()).unwrap();
            assert_eq!(&meta.name, name);
        }
    }
}
