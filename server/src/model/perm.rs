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

/// Roles only a System Manager (or Administrator) may give: whoever holds one can change
/// permissions, users or server scripts, so giving one is taking them.
pub const PRIVILEGED_ROLES: &[&str] = &["Administrator", "System Manager", "Script Manager"];

/// The privileged role a role name stands for (compared trimmed and without regard to
/// case, so a near-spelling cannot slip through a lookup that ignores case).
fn privileged(role: &str) -> Option<&'static str> {
    let role = role.trim();
    PRIVILEGED_ROLES
        .iter()
        .copied()
        .find(|p| p.eq_ignore_ascii_case(role))
}

/// Whether the session user may give privileged roles: Administrator, or a holder of
/// System Manager. `ignore_permissions` has no say in it.
fn may_grant(tx: &mut SiteTx<'_>) -> Result<bool> {
    if tx.is_administrator() {
        return Ok(true);
    }
    Ok(tx.roles()?.iter().any(|r| r == "System Manager"))
}

fn grant_refused(tx: &SiteTx<'_>, role: &str, user: &str) -> Error {
    Error::throw_titled(
        "PermissionError",
        format!(
            "User <strong>{}</strong> cannot give the role <strong>{role}</strong> to <strong>{user}</strong>: only a System Manager can",
            tx.user
        ),
        "Insufficient Permission",
    )
}

/// The roles of a User document's rows.
fn doc_roles(doc: &Doc) -> Vec<String> {
    match doc.get("roles") {
        Some(Value::Array(rows)) => rows
            .iter()
            .filter_map(|r| r.get("role").and_then(Value::as_str))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The roles stored for a user (their `Has Role` rows as they are in the database).
pub fn stored_roles(tx: &SiteTx<'_>, user: &str) -> Result<Vec<String>> {
    let mut stmt = tx.db.prepare_cached(
        "SELECT role FROM \"tabHas Role\" WHERE parent = ?1 AND parenttype = 'User'",
    )?;
    let roles = stmt
        .query_map([user], |r| r.get::<_, Option<String>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(roles.into_iter().flatten().collect())
}

/// Every write of a User document passes here (from [`super::store`], whatever path
/// led to it — REST, `frappe.client`, a script with `ignore_permissions`, a hook): a
/// privileged role its rows give that `before` (the stored rows; none for a new user)
/// did not is a PermissionError unless the session user may give it.
pub fn check_role_grants(
    tx: &mut SiteTx<'_>,
    meta: &Meta,
    doc: &Doc,
    before: &[String],
) -> Result<()> {
    if meta.name != "User" {
        return Ok(());
    }
    let had: Vec<&str> = before.iter().filter_map(|r| privileged(r)).collect();
    let given = doc_roles(doc)
        .iter()
        .filter_map(|r| privileged(r))
        .find(|p| !had.contains(p));
    match given {
        Some(role) if !may_grant(tx)? => Err(grant_refused(tx, role, super::doc_name(doc))),
        _ => Ok(()),
    }
}

/// The same rule for a `Has Role` row changed in place (`frappe.db.set_value`): a row
/// of a User that ends up holding a privileged role it did not hold before.
pub fn check_role_row_change(
    tx: &mut SiteTx<'_>,
    row_name: &str,
    values: &[(String, Value)],
) -> Result<()> {
    let stored: Option<(Option<String>, Option<String>, Option<String>)> = {
        let mut stmt = tx.db.prepare_cached(
            "SELECT role, parent, parenttype FROM \"tabHas Role\" WHERE name = ?1",
        )?;
        let mut q = stmt.query([row_name])?;
        match q.next()? {
            Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?)),
            None => None,
        }
    };
    let Some(before) = stored else { return Ok(()) };
    let mut after = before.clone();
    for (k, v) in values {
        let text = match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        };
        match k.as_str() {
            "role" => after.0 = text,
            "parent" => after.1 = text,
            "parenttype" => after.2 = text,
            _ => {}
        }
    }
    let Some(role) = after.0.as_deref().and_then(privileged) else {
        return Ok(());
    };
    if after.2.as_deref() != Some("User") || after == before {
        return Ok(());
    }
    if may_grant(tx)? {
        return Ok(());
    }
    let user = after.1.clone().unwrap_or_default();
    Err(grant_refused(tx, role, &user))
}
