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
