//! Who is asking (§5.6): `Authorization: token key:secret` or `Basic base64(key:secret)`,
//! else the `sid` cookie (or `sid` argument) of a live session, else Guest. A two-part
//! Authorization header that does not identify a user is a 401, never a silent Guest.

use base64::Engine;

use super::request::Req;
use crate::auth;
use crate::error::{Error, Result};
use crate::tx::SiteTx;

pub struct Identity {
    pub user: String,
    /// The session the request came with, if it is live.
    pub sid: Option<String>,
}

fn unauthenticated() -> Error {
    Error::raise("AuthenticationError", "")
}

pub fn authenticate(tx: &SiteTx<'_>, req: &Req) -> Result<Identity> {
    if let Some(header) = req.header("authorization") {
        let parts: Vec<&str> = header.split(' ').collect();
        if parts.len() == 2 {
            let credentials = match parts[0].to_ascii_lowercase().as_str() {
                "token" => parts[1].to_string(),
                "basic" => {
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(parts[1].trim())
                        .map_err(|_| {
                            Error::raise(
                                "InvalidAuthorizationToken",
                                "Invalid base64 in Authorization header",
                            )
                        })?;
                    String::from_utf8(bytes).map_err(|_| {
                        Error::raise("InvalidAuthorizationToken", "Invalid Authorization header")
                    })?
                }
                _ => return Err(unauthenticated()),
            };
            let Some((key, secret)) = credentials.split_once(':') else {
                return Err(unauthenticated());
            };
            return match auth::check_api_key(tx, key, secret)? {
                Some(user) => Ok(Identity { user, sid: None }),
                None => Err(unauthenticated()),
            };
        }
    }
    let sid = req
        .cookie("sid")
        .or_else(|| req.arg("sid"))
        .filter(|s| !s.is_empty() && s != "Guest");
    if let Some(sid) = sid
        && let Some(user) = auth::session_user(tx, &sid)?
    {
        let _ = tx.sid.set(sid.clone());
        return Ok(Identity {
            user,
            sid: Some(sid),
        });
    }
    Ok(Identity {
        user: "Guest".into(),
        sid: None,
    })
}
