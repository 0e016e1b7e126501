//! Permissions: a user's roles (their `Has Role` rows, plus `All` when signed in and
//! `Guest` always) matched against the DocType's DocPerm rules at level 0. A rule with
//! `if_owner` grants only on documents the user owns. Administrator may do everything.

use serde_json::Value;

use super::Doc;
use crate::error::{Error, Result};
use crate::meta::{Meta, PermType};
use crate::tx::SiteTx;

pub fn roles_of(tx: &SiteTx<'_>, user: &str) -> Result<Vec<String>> {
    let mut roles = Vec::new();
    if user != "Guest" {
        let mut stmt = tx.db.prepare_cached(
            "SELECT r.role FROM \"tabHas Role\" r JOIN \"tabUser\" u ON u.name = r.parent \
             WHERE r.parent = ?1 AND r.parenttype = 'User' AND u.enabled = 1",
        )?;
        roles = stmt
            .query_map([user], |r| r.get::<_, Option<String>>(0))?
            .filter_map(|r| r.ok().flatten())
            .collect();
        roles.push("All".into());
    }
    roles.push("Guest".into());
    Ok(roles)
}

/// How far a user may do `ptype` on a DocType.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    None,
    /// Only on documents they own.
    Owner,
    All,
}

pub fn access(tx: &mut SiteTx<'_>, meta: &Meta, ptype: PermType) -> Result<Access> {
    if tx.is_administrator() {
        return Ok(Access::All);
    }
    let roles = tx.roles()?;
    let mut access = Access::None;
    for p in meta
        .permissions
        .iter()
        .filter(|p| p.permlevel == 0 && ptype.granted_by(p))
    {
        if roles.contains(&p.role) {
            if p.if_owner {
                if access == Access::None {
                    access = Access::Owner;
                }
            } else {
                return Ok(Access::All);
            }
        }
    }
    Ok(access)
}

/// Whether the user may do `ptype` on this document (or, with `None`, on some document).
pub fn has_permission(
    tx: &mut SiteTx<'_>,
    meta: &Meta,
    ptype: PermType,
    doc: Option<&Doc>,
) -> Result<bool> {
    Ok(match access(tx, meta, ptype)? {
        Access::All => true,
        Access::None => false,
        Access::Owner => match doc {
            None => true,
            Some(d) => match d.get("owner") {
                Some(Value::String(o)) => *o == tx.user,
                // a new document will be owned by its creator
                _ => true,
            },
        },
    })
}

/// PermissionError unless allowed (Frappe's `doc.check_permission`).
pub fn check(tx: &mut SiteTx<'_>, meta: &Meta, ptype: PermType, doc: Option<&Doc>) -> Result<()> {
    if has_permission(tx, meta, ptype, doc)? {
        return Ok(());
    }
    let what = match doc.map(super::doc_name) {
        Some(n) if !n.is_empty() => format!("<strong>{}</strong> {}", meta.name, n),
        _ => format!("<strong>{}</strong>", meta.name),
    };
    Err(Error::throw_titled(
        "PermissionError",
        format!("User <strong>{}</strong> does not have doctype access via role permission for document {what}", tx.user),
        "Insufficient Permission",
    )
    .with_response(
        "_error_message",
        format!("You need the '{}' permission on {what} to perform this action.", ptype.name()),
    ))
}
