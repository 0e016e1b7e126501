//! Giving a privileged role (Administrator, System Manager, Script Manager) to a User —
//! on insert, on save, by a row set in place — needs a session user who holds System
//! Manager (or is Administrator), whatever `ignore_permissions` says (issue #21, 9).

use serde_json::{Map, Value, json};
use serverscript_runtime::host::WriteFlags;
use serverscript_server::Site;
use serverscript_server::model::{lifecycle, perm, store};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn ignoring_permissions() -> WriteFlags {
    WriteFlags {
        ignore_permissions: true,
        // so a near-spelling of a role reaches the rule rather than the link check
        ignore_links: true,
        ..WriteFlags::default()
    }
}

/// A site with `plain@example.com` (no roles) and `sm@example.com` (System Manager).
fn site() -> (tempfile::TempDir, Site) {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("site"), Some("admin")).unwrap();
    let mut tx = site.begin("Administrator", true).unwrap();
    let role = obj(json!({"doctype": "Role", "role_name": "Blogger", "name": "Blogger"}));
    lifecycle::insert(&mut tx, role, &WriteFlags::default()).unwrap();
    for (email, roles) in [
        ("plain@example.com", json!([])),
        ("sm@example.com", json!([{"role": "System Manager"}])),
    ] {
        let user = obj(json!({
            "doctype": "User", "email": email, "name": email, "first_name": "U",
            "enabled": 1, "roles": roles,
        }));
        lifecycle::insert(&mut tx, user, &WriteFlags::default()).unwrap();
    }
    tx.commit().unwrap();
    drop(tx);
    (dir, site)
}

fn new_user(email: &str, role: &str) -> Map<String, Value> {
    obj(json!({
        "doctype": "User", "email": email, "name": email, "first_name": "Evil",
        "enabled": 1, "roles": [{"role": role}],
    }))
}

fn roles_of(site: &Site, user: &str) -> Vec<String> {
    let tx = site.begin("Administrator", false).unwrap();
    perm::stored_roles(&tx, user).unwrap()
}

#[test]
fn guest_and_plain_user_cannot_insert_a_privileged_user_even_ignoring_permissions() {
    let (_dir, site) = site();
    for session in ["Guest", "plain@example.com"] {
        for role in [
            "System Manager",
            "Administrator",
            "Script Manager",
            " system manager",
        ] {
            let mut tx = site.begin(session, true).unwrap();
            let err = lifecycle::insert(
                &mut tx,
                new_user("evil@example.com", role),
                &ignoring_permissions(),
            )
            .unwrap_err();
            assert_eq!(
                (err.exc_type.as_str(), err.status()),
                ("PermissionError", 403),
                "{session} giving {role:?}"
            );
            tx.rollback().unwrap();
        }
    }
    let tx = site.begin("Administrator", false).unwrap();
    assert!(!store::exists(&tx, "User", "evil@example.com").unwrap());
}

#[test]
fn a_plain_role_is_still_given_by_anyone_ignoring_permissions() {
    let (_dir, site) = site();
    let mut tx = site.begin("Guest", true).unwrap();
    lifecycle::insert(
        &mut tx,
        new_user("signup@example.com", "Blogger"),
        &ignoring_permissions(),
    )
    .unwrap();
    tx.commit().unwrap();
    drop(tx);
    assert_eq!(roles_of(&site, "signup@example.com"), ["Blogger"]);
}

#[test]
fn plain_user_cannot_add_a_privileged_row_on_save() {
    let (_dir, site) = site();
    let mut tx = site.begin("plain@example.com", true).unwrap();
    let mut me = lifecycle::get(&mut tx, "User", "plain@example.com", false).unwrap();
    me["roles"]
        .as_array_mut()
        .unwrap()
        .push(json!({"role": "System Manager"}));
    me.remove("modified");
    let err = lifecycle::save(&mut tx, me, &ignoring_permissions()).unwrap_err();
    assert_eq!(err.exc_type, "PermissionError");
    tx.rollback().unwrap();
    drop(tx);
    // REST PUT's path (lifecycle::update) as well
    let mut tx = site.begin("plain@example.com", true).unwrap();
    let data = obj(json!({"roles": [{"role": "Script Manager"}]}));
    let err = lifecycle::update(
        &mut tx,
        "User",
        "plain@example.com",
        data,
        &ignoring_permissions(),
    )
    .unwrap_err();
    assert_eq!(err.exc_type, "PermissionError");
    tx.rollback().unwrap();
    drop(tx);
    assert!(roles_of(&site, "plain@example.com").is_empty());
}

#[test]
fn a_user_keeping_a_privileged_role_they_were_given_may_save() {
    // the rule is about giving: a row already stored is not given again
    let (_dir, site) = site();
    let mut tx = site.begin("Administrator", true).unwrap();
    let u = new_user("keeper@example.com", "Script Manager");
    lifecycle::insert(&mut tx, u, &WriteFlags::default()).unwrap();
    tx.commit().unwrap();
    drop(tx);
    let mut tx = site.begin("keeper@example.com", true).unwrap();
    let data = obj(json!({"first_name": "Kept"}));
    lifecycle::update(
        &mut tx,
        "User",
        "keeper@example.com",
        data,
        &ignoring_permissions(),
    )
    .unwrap();
    tx.commit().unwrap();
    drop(tx);
    assert_eq!(roles_of(&site, "keeper@example.com"), ["Script Manager"]);
}

#[test]
fn plain_user_cannot_set_a_has_role_row_to_a_privileged_role_in_place() {
    let (_dir, site) = site();
    let mut tx = site.begin("Administrator", true).unwrap();
    lifecycle::insert(
        &mut tx,
        new_user("b@example.com", "Blogger"),
        &WriteFlags::default(),
    )
    .unwrap();
    tx.commit().unwrap();
    drop(tx);
    let row: String = {
        let tx = site.begin("Administrator", false).unwrap();
        tx.db
            .query_row(
                "SELECT name FROM \"tabHas Role\" WHERE parent = 'b@example.com'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let mut tx = site.begin("b@example.com", true).unwrap();
    let meta = tx.meta("Has Role").unwrap();
    let err = store::set_columns(
        &mut tx,
        &meta,
        &row,
        &[("role".into(), "System Manager".into())],
    )
    .unwrap_err();
    assert_eq!(err.exc_type, "PermissionError");
    // nor move Administrator's System Manager row onto themselves
    let admin_row: String = tx
        .db
        .query_row(
            "SELECT name FROM \"tabHas Role\" WHERE parent = 'Administrator' AND role = 'System Manager'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let err = store::set_columns(
        &mut tx,
        &meta,
        &admin_row,
        &[("parent".into(), "b@example.com".into())],
    )
    .unwrap_err();
    assert_eq!(err.exc_type, "PermissionError");
    // a plain role is fine
    store::set_columns(&mut tx, &meta, &row, &[("role".into(), "Guest".into())]).unwrap();
    tx.rollback().unwrap();
}

#[test]
fn system_manager_and_administrator_may_give_privileged_roles() {
    let (_dir, site) = site();
    for (session, email) in [
        ("sm@example.com", "made-by-sm@example.com"),
        ("Administrator", "made-by-admin@example.com"),
    ] {
        let mut tx = site.begin(session, true).unwrap();
        lifecycle::insert(
            &mut tx,
            new_user(email, "System Manager"),
            &WriteFlags::default(),
        )
        .unwrap();
        tx.commit().unwrap();
        drop(tx);
        assert_eq!(roles_of(&site, email), ["System Manager"]);
    }
    // and on save of an existing user
    let mut tx = site.begin("sm@example.com", true).unwrap();
    let data = obj(json!({"roles": [{"role": "Script Manager"}]}));
    lifecycle::update(
        &mut tx,
        "User",
        "plain@example.com",
        data,
        &WriteFlags::default(),
    )
    .unwrap();
    tx.commit().unwrap();
    drop(tx);
    assert_eq!(roles_of(&site, "plain@example.com"), ["Script Manager"]);
}
