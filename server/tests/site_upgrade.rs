//! A site made by an older build gets the DocTypes and indexes shipped since when it is
//! opened, and keeps its own documents.

use serverscript_server::Site;

#[test]
fn reopening_an_older_site_installs_newly_shipped_doctypes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old");
    {
        let (site, _) = Site::open_or_create(&path, Some("admin")).unwrap();
        let mut tx = site.begin("Administrator", true).unwrap();
        // as a site made before Email Queue shipped
        tx.db
            .execute_batch(
                "DELETE FROM `tabDocType` WHERE name IN ('Email Queue', 'Email Queue Recipient');
                 DELETE FROM `tabDocField` WHERE parent IN ('Email Queue', 'Email Queue Recipient');
                 DROP TABLE `tabEmail Queue`; DROP TABLE `tabEmail Queue Recipient`;
                 DROP INDEX `tabHas Role_rows`; CREATE INDEX `tabHas Role_parent` ON `tabHas Role`(parent);
                 INSERT INTO `tabNote` (name, title) VALUES ('kept', 'kept');",
            )
            .unwrap();
        tx.commit().unwrap();
    }
    let (site, created) = Site::open_or_create(&path, None).unwrap();
    assert!(!created.created);
    let mut tx = site.begin("Administrator", false).unwrap();
    let meta = tx.meta("Email Queue").unwrap();
    assert!(meta.field("recipients").is_some());
    let n: i64 = tx
        .db
        .query_row("SELECT count(*) FROM `tabEmail Queue`", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let kept: i64 = tx
        .db
        .query_row(
            "SELECT count(*) FROM `tabNote` WHERE name = 'kept'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);
    // and child tables are read through the row index
    let indexes: Vec<String> = tx
        .db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tabHas Role' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(indexes, ["tabHas Role_rows"]);
}
