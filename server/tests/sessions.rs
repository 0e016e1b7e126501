//! Sessions end with the user's right to them (issue #21, 6): a disabled user's session
//! and API key sign no one in; disabling a user ends their sessions; a password change
//! ends the user's other sessions (the one that made the change stays, as in Frappe).

use serde_json::{Map, Value, json};
use serverscript_runtime::host::WriteFlags;
use serverscript_server::model::{lifecycle, store};
use serverscript_server::{Site, auth};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

const USER: &str = "u@example.com";

/// A site with an enabled System Manager `u@example.com` (password `first-pass-1`).
fn site() -> (tempfile::TempDir, Site) {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("site"), Some("admin")).unwrap();
    let mut tx = site.begin("Administrator", true).unwrap();
    let user = obj(json!({
        "doctype": "User", "email": USER, "first_name": "U", "enabled": 1,
        "new_password": "first-pass-1", "roles": [{"role": "System Manager"}],
    }));
    lifecycle::insert(&mut tx, user, &WriteFlags::default()).unwrap();
    tx.commit().unwrap();
    drop(tx);
    (dir, site)
}

fn new_session(site: &Site, user: &str) -> String {
    let mut tx = site.begin("Administrator", true).unwrap();
    let sid = auth::create_session(&tx, user, 1).unwrap();
    tx.commit().unwrap();
    sid
}

fn who(site: &Site, sid: &str) -> Option<String> {
    let tx = site.begin("Guest", false).unwrap();
    auth::session_user(&tx, sid).unwrap()
}

/// Runs `f` as `user`, in a unit of work that came with session `sid`, and commits.
fn as_session<T>(
    site: &Site,
    user: &str,
    sid: Option<&str>,
    f: impl FnOnce(&mut serverscript_server::SiteTx<'_>) -> T,
) -> T {
    let mut tx = site.begin(user, true).unwrap();
    if let Some(s) = sid {
        tx.sid.set(s.to_string()).unwrap();
    }
    let out = f(&mut tx);
    tx.commit().unwrap();
    out
}

#[test]
fn a_session_of_a_user_disabled_behind_the_lifecycle_signs_no_one_in() {
    let (_dir, site) = site();
    let sid = new_session(&site, USER);
    assert_eq!(who(&site, &sid).as_deref(), Some(USER));
    // however it was disabled, the session stops working
    let mut tx = site.begin("Administrator", true).unwrap();
    tx.db
        .execute("UPDATE \"tabUser\" SET enabled = 0 WHERE name = ?1", [USER])
        .unwrap();
    tx.commit().unwrap();
    drop(tx);
    assert_eq!(who(&site, &sid), None);
}

#[test]
fn an_api_key_of_a_disabled_user_signs_no_one_in() {
    let (_dir, site) = site();
    let (key, secret) = as_session(&site, "Administrator", None, |tx| {
        auth::generate_keys(tx, USER).unwrap()
    });
    let check = |site: &Site| {
        let tx = site.begin("Guest", false).unwrap();
        auth::check_api_key(&tx, &key, &secret).unwrap()
    };
    assert_eq!(check(&site).as_deref(), Some(USER));
    as_session(&site, "Administrator", None, |tx| {
        let data = obj(json!({"enabled": 0}));
        lifecycle::update(tx, "User", USER, data, &WriteFlags::default()).unwrap();
    });
    assert_eq!(check(&site), None);
}

#[test]
fn disabling_a_user_ends_their_sessions_for_good() {
    let (_dir, site) = site();
    let (a, b) = (new_session(&site, USER), new_session(&site, USER));
    as_session(&site, "Administrator", None, |tx| {
        let data = obj(json!({"enabled": 0}));
        lifecycle::update(tx, "User", USER, data, &WriteFlags::default()).unwrap();
    });
    // enabled again, the old sessions do not come back
    as_session(&site, "Administrator", None, |tx| {
        let data = obj(json!({"enabled": 1}));
        lifecycle::update(tx, "User", USER, data, &WriteFlags::default()).unwrap();
    });
    assert_eq!((who(&site, &a), who(&site, &b)), (None, None));
}

#[test]
fn disabling_a_user_in_place_ends_their_sessions_for_good() {
    let (_dir, site) = site();
    let sid = new_session(&site, USER);
    for enabled in [0, 1] {
        as_session(&site, "Administrator", None, |tx| {
            let meta = tx.meta("User").unwrap();
            store::set_columns(tx, &meta, USER, &[("enabled".into(), enabled.into())]).unwrap();
        });
    }
    assert_eq!(who(&site, &sid), None);
}

#[test]
fn administrator_and_guest_cannot_be_disabled() {
    let (_dir, site) = site();
    for name in ["Administrator", "Guest"] {
        let mut tx = site.begin("Administrator", true).unwrap();
        let data = obj(json!({"enabled": 0}));
        let err =
            lifecycle::update(&mut tx, "User", name, data, &WriteFlags::default()).unwrap_err();
        assert_eq!(err.exc_type, "ValidationError", "{name}");
        tx.rollback().unwrap();
    }
}

#[test]
fn changing_ones_password_ends_ones_other_sessions_and_keeps_this_one() {
    let (_dir, site) = site();
    let (this, other) = (new_session(&site, USER), new_session(&site, USER));
    let admins = new_session(&site, "Administrator");
    as_session(&site, USER, Some(&this), |tx| {
        let data = obj(json!({"new_password": "second-pass-2"}));
        lifecycle::update(tx, "User", USER, data, &WriteFlags::default()).unwrap();
    });
    assert_eq!(who(&site, &this).as_deref(), Some(USER));
    assert_eq!(who(&site, &other), None);
    assert_eq!(who(&site, &admins).as_deref(), Some("Administrator"));
    let tx = site.begin("Guest", false).unwrap();
    assert_eq!(auth::check_login(&tx, USER, "second-pass-2").unwrap(), USER);
}

#[test]
fn a_password_set_by_someone_else_ends_all_the_users_sessions() {
    let (_dir, site) = site();
    let (a, b) = (new_session(&site, USER), new_session(&site, USER));
    let admins = new_session(&site, "Administrator");
    // a script saving the User doc with a new password, on Administrator's session
    as_session(&site, "Administrator", Some(&admins), |tx| {
        let mut doc = lifecycle::get(tx, "User", USER, false).unwrap();
        doc.insert("new_password".into(), "by-admin-3".into());
        doc.remove("modified");
        lifecycle::save(tx, doc, &WriteFlags::default()).unwrap();
    });
    assert_eq!((who(&site, &a), who(&site, &b)), (None, None));
    assert_eq!(who(&site, &admins).as_deref(), Some("Administrator"));
}

#[test]
fn set_password_ends_other_sessions_only_when_the_password_changes() {
    let (_dir, site) = site();
    let sid = new_session(&site, USER);
    as_session(&site, "Administrator", None, |tx| {
        auth::set_password(tx, USER, "first-pass-1").unwrap()
    });
    assert_eq!(who(&site, &sid).as_deref(), Some(USER), "same password");
    as_session(&site, "Administrator", None, |tx| {
        auth::set_password(tx, USER, "another-pass-4").unwrap()
    });
    assert_eq!(who(&site, &sid), None);
}
