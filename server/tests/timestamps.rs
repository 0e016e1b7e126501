//! Documents are stamped in the site's time zone (as Frappe stamps them in the system
//! time zone), the same clock scripts read with `frappe.utils.now()`.

use serde_json::json;
use serverscript_runtime::host::WriteFlags;
use serverscript_server::Site;
use serverscript_server::model::lifecycle;

#[test]
fn creation_and_modified_follow_the_site_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("tz"), Some("admin")).unwrap();
    serverscript_server::site::set_config(&site.dir, "time_zone", "Pacific/Kiritimati").unwrap(); // UTC+14
    let mut tx = site.begin("Administrator", true).unwrap();
    let doc = json!({"doctype": "ToDo", "description": "stamped"});
    let flags = WriteFlags {
        ignore_permissions: true,
        ..WriteFlags::default()
    };
    let stored = lifecycle::insert(&mut tx, doc.as_object().unwrap().clone(), &flags).unwrap();
    tx.commit().unwrap();
    let creation = stored["creation"].as_str().unwrap().to_string();
    let there = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Pacific/Kiritimati").unwrap())
        .datetime();
    let stamped: jiff::civil::DateTime = creation.replace(' ', "T").parse().unwrap();
    let gap = there.duration_since(stamped).as_secs().abs();
    assert!(
        gap < 60,
        "creation {creation} is not Kiritimati time ({there})"
    );
    assert_eq!(stored["modified"], stored["creation"]);
}

/// Issue #21, 10a: who made a document and when are the server's — the session user and
/// now — whatever the client or a script sent, `ignore_permissions` or not; its rows
/// take the document's; a row added later takes the document's too.
#[test]
fn an_inserted_document_is_owned_by_the_session_user_whatever_it_claims() {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("own"), Some("admin")).unwrap();
    let flags = WriteFlags {
        ignore_permissions: true,
        ..WriteFlags::default()
    };
    let mut tx = site.begin("Administrator", true).unwrap();
    let plain = json!({"doctype": "User", "email": "p@example.com", "first_name": "P"});
    lifecycle::insert(&mut tx, plain.as_object().unwrap().clone(), &flags).unwrap();
    tx.commit().unwrap();
    drop(tx);

    let forged = json!({"owner": "Administrator", "creation": "2000-01-01 00:00:00.000000",
                        "modified": "2000-01-01 00:00:00.000000", "modified_by": "Administrator"});
    let mut tx = site.begin("p@example.com", true).unwrap();
    let mut todo = json!({"doctype": "ToDo", "description": "mine"});
    todo.as_object_mut()
        .unwrap()
        .extend(forged.as_object().unwrap().clone());
    let todo = lifecycle::insert(&mut tx, todo.as_object().unwrap().clone(), &flags).unwrap();
    let mut user = json!({"doctype": "User", "email": "q@example.com", "first_name": "Q",
                          "roles": [{"role": "Guest"}]});
    user.as_object_mut()
        .unwrap()
        .extend(forged.as_object().unwrap().clone());
    user["roles"][0]
        .as_object_mut()
        .unwrap()
        .extend(forged.as_object().unwrap().clone());
    let user = lifecycle::insert(&mut tx, user.as_object().unwrap().clone(), &flags).unwrap();
    tx.commit().unwrap();
    drop(tx);

    let mut tx = site.begin("Administrator", true).unwrap();
    for (doctype, name) in [
        ("ToDo", todo["name"].as_str().unwrap()),
        ("User", "q@example.com"),
    ] {
        let stored = lifecycle::get(&mut tx, doctype, name, false).unwrap();
        assert_eq!(stored["owner"], "p@example.com", "{doctype}");
        assert_eq!(stored["modified_by"], "p@example.com", "{doctype}");
        assert!(stored["creation"].as_str().unwrap() > "2020", "{doctype}");
        assert_eq!(stored["modified"], stored["creation"], "{doctype}");
    }
    assert_eq!(user["roles"][0]["owner"], "p@example.com");
    assert_eq!(user["roles"][0]["creation"], user["creation"]);

    // saved later by Administrator: a new row claiming another owner gets the document's
    let stored = lifecycle::get(&mut tx, "User", "q@example.com", false).unwrap();
    let mut roles = stored["roles"].as_array().unwrap().clone();
    roles.push(json!({"role": "Guest", "owner": "Administrator",
                      "creation": "2000-01-01 00:00:00.000000"}));
    let data = json!({"roles": roles});
    let saved = lifecycle::update(
        &mut tx,
        "User",
        "q@example.com",
        data.as_object().unwrap().clone(),
        &WriteFlags::default(),
    )
    .unwrap();
    assert_eq!(saved["owner"], "p@example.com");
    assert_eq!(saved["roles"][0]["owner"], "p@example.com");
    assert_eq!(saved["roles"][1]["owner"], "p@example.com");
    assert_eq!(saved["roles"][1]["creation"], saved["creation"]);
}
