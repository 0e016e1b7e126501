//! `upload_file`: a multipart `file` (or `filedata` base64 with `filename`) stored under
//! the site's `public/files` or `private/files`, recorded as a File document, optionally
//! attached to a document (`doctype`, `docname`, `fieldname`).

use base64::Engine;
use serde_json::{Map, Value};
use serverscript_runtime::host::WriteFlags;
use sha2::{Digest, Sha256};

use super::auth::Identity;
use super::request::Req;
use super::response::Reply;
use crate::error::{Error, Result};
use crate::meta::PermType;
use crate::model::{lifecycle, perm, store};
use crate::tx::SiteTx;

/// A safe file name: the last path segment, without control characters or leading dots.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

pub fn upload_file(tx: &mut SiteTx<'_>, req: &Req, _: &Identity) -> Result<Reply> {
    let (filename, bytes, content_type) = match req
        .files
        .iter()
        .find(|f| f.field == "file")
        .or(req.files.first())
    {
        Some(f) => (f.filename.clone(), f.bytes.to_vec(), f.content_type.clone()),
        None => match (req.arg("filedata"), req.arg("filename")) {
            (Some(data), Some(name)) => {
                let data = data
                    .split_once("base64,")
                    .map(|(_, d)| d.to_string())
                    .unwrap_or(data);
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(data.trim())
                    .map_err(|_| Error::validation("filedata is not valid base64"))?;
                (name, bytes, None)
            }
            _ => return Err(Error::validation("No file attached")),
        },
    };
    let is_private = req.flag("is_private", false);
    let doctype = req.arg("doctype").filter(|s| !s.is_empty());
    let docname = req.arg("docname").filter(|s| !s.is_empty());
    let fieldname = req.arg("fieldname").filter(|s| !s.is_empty());
    if let (Some(dt), Some(dn)) = (&doctype, &docname) {
        let meta = tx.meta(dt)?;
        let doc = lifecycle::get(tx, dt, dn, false)?;
        perm::check(tx, &meta, PermType::Write, Some(&doc))?;
    }
    let name = clean_name(&filename);
    let dir = tx.site.dir.join(if is_private {
        "private/files"
    } else {
        "public/files"
    });
    std::fs::create_dir_all(&dir)?;
    let digest = format!("{:x}", Sha256::digest(&bytes));
    let mut stored = name.clone();
    if dir.join(&stored).exists() {
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) => (s.to_string(), format!(".{e}")),
            None => (name.clone(), String::new()),
        };
        stored = format!("{stem}{}{ext}", &digest[..6]);
    }
    std::fs::write(dir.join(&stored), &bytes)?;
    let file_url = if is_private {
        format!("/private/files/{stored}")
    } else {
        format!("/files/{stored}")
    };
    let mut doc = Map::new();
    doc.insert("doctype".into(), "File".into());
    doc.insert("file_name".into(), name.into());
    doc.insert("file_url".into(), file_url.clone().into());
    doc.insert("is_private".into(), (is_private as i64).into());
    doc.insert("file_size".into(), (bytes.len() as i64).into());
    doc.insert("content_hash".into(), digest.into());
    doc.insert(
        "file_type".into(),
        content_type.map(Value::from).unwrap_or(Value::Null),
    );
    doc.insert(
        "folder".into(),
        req.arg("folder").unwrap_or_else(|| "Home".into()).into(),
    );
    doc.insert(
        "attached_to_doctype".into(),
        doctype.clone().map(Value::from).unwrap_or(Value::Null),
    );
    doc.insert(
        "attached_to_name".into(),
        docname.clone().map(Value::from).unwrap_or(Value::Null),
    );
    doc.insert(
        "attached_to_field".into(),
        fieldname.clone().map(Value::from).unwrap_or(Value::Null),
    );
    let file = lifecycle::insert(tx, doc, &WriteFlags::default())?;
    if let (Some(dt), Some(dn), Some(f)) = (&doctype, &docname, &fieldname) {
        let meta = tx.meta(dt)?;
        if meta.field(f).is_some_and(|fd| fd.fieldtype.has_column()) {
            store::set_columns(tx, &meta, dn, &[(f.clone(), file_url.into())])?;
        }
    }
    let meta = tx.meta("File")?;
    Ok(Reply::message(Value::Object(store::as_response(
        tx, &meta, &file,
    )?)))
}
