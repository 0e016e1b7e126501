//! Credentials and sessions, in `__Auth` and `__Sessions` — tables no DocType describes,
//! so no document API, list query or report can read them.
//!
//! - Passwords are argon2id hashes (PHC strings). A Password field's value never reaches
//!   its column: the column holds `*`s, the hash goes to `__Auth`.
//! - API secrets are random 15-character tokens; they are checked on every
//!   token-authenticated request, so they are stored as SHA-256 digests (a slow hash
//!   protects guessable passwords; these are not guessable) and compared in constant time.
//! - Sessions are random 56-character ids with an expiry.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::meta::{FieldType, Meta};
use crate::model::Doc;
use crate::tx::SiteTx;

/// Session lifetime when the site config has no `session_expiry_hours`.
pub const SESSION_HOURS: i64 = 170;

pub fn random_token(len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

fn hash_slow(secret: &str) -> Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(format!("password hashing failed: {e}")))
}

fn hash_fast(secret: &str) -> String {
    format!("sha256${:x}", Sha256::digest(secret.as_bytes()))
}

fn verify(stored: &str, secret: &str) -> bool {
    if let Some(_hex) = stored.strip_prefix("sha256$") {
        let given = hash_fast(secret);
        // constant-time comparison of equal-length digests
        return given.len() == stored.len()
            && given
                .bytes()
                .zip(stored.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
    }
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default()
            .verify_password(secret.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

fn put_auth(tx: &SiteTx<'_>, doctype: &str, name: &str, field: &str, hash: &str) -> Result<()> {
    tx.db
        .prepare_cached(
            "INSERT INTO \"__Auth\" (doctype, name, fieldname, password) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT(doctype, name, fieldname) DO UPDATE SET password = excluded.password",
        )?
        .execute([doctype, name, field, hash])?;
    Ok(())
}

fn get_auth(tx: &SiteTx<'_>, doctype: &str, name: &str, field: &str) -> Result<Option<String>> {
    let mut stmt = tx.db.prepare_cached(
        "SELECT password FROM \"__Auth\" WHERE doctype = ?1 AND name = ?2 AND fieldname = ?3",
    )?;
    let mut q = stmt.query([doctype, name, field])?;
    Ok(match q.next()? {
        Some(r) => Some(r.get(0)?),
        None => None,
    })
}

/// Sets a user's login password. Their other sessions end (the one making the change,
/// if it is theirs, stays), as Frappe's `update_password(logout_all_sessions=True)`;
/// setting the password they already have (`serve --admin-password` on every start)
/// changes nothing.
pub fn set_password(tx: &SiteTx<'_>, user: &str, password: &str) -> Result<()> {
    if get_auth(tx, "User", user, "password")?.is_some_and(|h| verify(&h, password)) {
        return Ok(());
    }
    put_auth(tx, "User", user, "password", &hash_slow(password)?)?;
    end_other_sessions_of(tx, user)
}

/// A pending Password-field value: (field in `__Auth`, the secret).
pub type PendingPassword = (String, String);

/// Takes the new values out of a document's Password fields before it is written: the
/// column keeps `*`s (or nothing, for User's `new_password`), the secrets come back.
pub fn take_passwords(meta: &Meta, doc: &mut Doc) -> Vec<PendingPassword> {
    let mut out = Vec::new();
    for f in meta
        .data_fields()
        .filter(|f| f.fieldtype == FieldType::Password)
    {
        let Some(Value::String(v)) = doc.get(&f.fieldname) else {
            continue;
        };
        if v.is_empty() || v.chars().all(|c| c == '*') {
            continue;
        }
        let secret = v.clone();
        if meta.name == "User" && f.fieldname == "new_password" {
            doc.insert(f.fieldname.clone(), Value::Null);
            out.push(("password".to_string(), secret));
        } else {
            doc.insert(
                f.fieldname.clone(),
                "*".repeat(secret.chars().count().max(8)).into(),
            );
            out.push((f.fieldname.clone(), secret));
        }
    }
    out
}

/// Stores what [`take_passwords`] took, once the document has its name.
pub fn store_passwords(
    tx: &SiteTx<'_>,
    doctype: &str,
    name: &str,
    pending: Vec<PendingPassword>,
) -> Result<()> {
    for (field, secret) in pending {
        let hash = if field == "api_secret" {
            hash_fast(&secret)
        } else {
            hash_slow(&secret)?
        };
        put_auth(tx, doctype, name, &field, &hash)?;
        if doctype == "User" && field == "password" {
            end_other_sessions_of(tx, name)?;
        }
    }
    Ok(())
}

pub fn delete_passwords(tx: &SiteTx<'_>, doctype: &str, name: &str) -> Result<()> {
    tx.db
        .prepare_cached("DELETE FROM \"__Auth\" WHERE doctype = ?1 AND name = ?2")?
        .execute([doctype, name])?;
    Ok(())
}

fn fail(message: &str) -> Error {
    Error::raise("AuthenticationError", "").with_response("message", message)
}

/// Checks a login (`usr` may be the user's name, email or username): the user's name,
/// or Frappe's AuthenticationError with its message.
pub fn check_login(tx: &SiteTx<'_>, usr: &str, pwd: &str) -> Result<String> {
    if usr.trim().is_empty() || pwd.is_empty() {
        return Err(fail("Incomplete login details"));
    }
    let found: Option<(String, i64)> = {
        let mut stmt = tx.db.prepare_cached(
            "SELECT name, enabled FROM \"tabUser\" WHERE name = ?1 OR email = lower(?1) OR username = ?1 LIMIT 1",
        )?;
        let mut q = stmt.query([usr.trim()])?;
        match q.next()? {
            Some(r) => Some((r.get(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))),
            None => None,
        }
    };
    let Some((user, enabled)) = found else {
        return Err(fail("Invalid login credentials"));
    };
    if user == "Guest" {
        return Err(fail("Invalid login credentials"));
    }
    if enabled == 0 {
        return Err(fail("User disabled or missing"));
    }
    match get_auth(tx, "User", &user, "password")? {
        Some(hash) if verify(&hash, pwd) => Ok(user),
        _ => Err(fail("Invalid login credentials")),
    }
}

/// The enabled user owning an API key whose secret matches.
pub fn check_api_key(tx: &SiteTx<'_>, key: &str, secret: &str) -> Result<Option<String>> {
    let user: Option<String> = {
        let mut stmt = tx
            .db
            .prepare_cached("SELECT name FROM \"tabUser\" WHERE api_key = ?1 AND enabled = 1")?;
        let mut q = stmt.query([key])?;
        match q.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        }
    };
    let Some(user) = user else { return Ok(None) };
    Ok(match get_auth(tx, "User", &user, "api_secret")? {
        Some(hash) if verify(&hash, secret) => Some(user),
        _ => None,
    })
}

/// Gives a user a new API secret (and a key if they have none): `(api_key, api_secret)`.
pub fn generate_keys(tx: &SiteTx<'_>, user: &str) -> Result<(String, String)> {
    let existing: Option<Option<String>> = {
        let mut stmt = tx
            .db
            .prepare_cached("SELECT api_key FROM \"tabUser\" WHERE name = ?1")?;
        let mut q = stmt.query([user])?;
        match q.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        }
    };
    let Some(existing) = existing else {
        return Err(Error::not_found("User", user));
    };
    let key = existing
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| random_token(15));
    let secret = random_token(15);
    tx.db
        .prepare_cached(
            "UPDATE \"tabUser\" SET api_key = ?1, api_secret = ?2, modified = ?3 WHERE name = ?4",
        )?
        .execute([
            key.as_str(),
            "*".repeat(15).as_str(),
            crate::model::now().as_str(),
            user,
        ])?;
    put_auth(tx, "User", user, "api_secret", &hash_fast(&secret))?;
    Ok((key, secret))
}

fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Starts a session; returns its id.
pub fn create_session(tx: &SiteTx<'_>, user: &str, hours: i64) -> Result<String> {
    let sid = random_token(56);
    tx.db
        .prepare_cached(
            "INSERT INTO \"__Sessions\" (sid, user, created, expires) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(rusqlite::params![
            sid,
            user,
            crate::model::now(),
            unix_now() + hours * 3600
        ])?;
    Ok(sid)
}

/// The user of a live session — an enabled user: a session of a user who was disabled
/// (however: the User form, `frappe.db.set_value`, a script) no longer signs anyone in.
pub fn session_user(tx: &SiteTx<'_>, sid: &str) -> Result<Option<String>> {
    let mut stmt = tx.db.prepare_cached(
        "SELECT s.user FROM \"__Sessions\" s JOIN \"tabUser\" u ON u.name = s.user \
         WHERE s.sid = ?1 AND s.expires > ?2 AND u.enabled = 1",
    )?;
    let mut q = stmt.query(rusqlite::params![sid, unix_now()])?;
    Ok(match q.next()? {
        Some(r) => Some(r.get(0)?),
        None => None,
    })
}

pub fn end_session(tx: &SiteTx<'_>, sid: &str) -> Result<()> {
    tx.db
        .prepare_cached("DELETE FROM \"__Sessions\" WHERE sid = ?1")?
        .execute([sid])?;
    Ok(())
}

pub fn end_sessions_of(tx: &SiteTx<'_>, user: &str) -> Result<()> {
    tx.db
        .prepare_cached("DELETE FROM \"__Sessions\" WHERE user = ?1")?
        .execute([user])?;
    Ok(())
}

/// Ends a user's sessions but the one this unit of work came with (Frappe's
/// `clear_sessions(user, keep_current=True, force=True)`): after a password change only
/// the session that made it stays signed in.
pub fn end_other_sessions_of(tx: &SiteTx<'_>, user: &str) -> Result<()> {
    match tx.sid.get() {
        Some(current) => {
            tx.db
                .prepare_cached("DELETE FROM \"__Sessions\" WHERE user = ?1 AND sid <> ?2")?
                .execute([user, current.as_str()])?;
        }
        None => end_sessions_of(tx, user)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_only_their_secret() {
        let h = super::hash_slow("s3cret").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify(&h, "s3cret"));
        assert!(!super::verify(&h, "s3cret "));
        let f = super::hash_fast("abc");
        assert!(super::verify(&f, "abc"));
        assert!(!super::verify(&f, "abd"));
        assert!(!super::verify("garbage", "abc"));
    }
}
