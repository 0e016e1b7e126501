//! The web helpers that read the site, run by a script against a real SQLite site:
//! `get_user_info_for_avatar` reads the User document; the UTM tracker helpers read
//! UTM records when the site has the UTM DocTypes and, when it does not (this site
//! ships none), answer as a Frappe site without UTM records does.

mod support;

use serde_json::json;
use serverscript_runtime::host::WriteFlags;
use serverscript_server::Site;
use serverscript_server::model::lifecycle;

fn open() -> (tempfile::TempDir, Site) {
    support::open_site()
}

/// Runs `src` as an API script as Administrator; returns its printed lines.
fn run(site: &Site, src: &str) -> Vec<String> {
    let out = support::run_script(site, src, false);
    assert!(out.error.is_none(), "{:?}\n{:?}", out.error, out.debug_log);
    assert!(out.messages.is_empty(), "{:?}", out.messages);
    out.debug_log
}

fn insert(site: &Site, docs: &[serde_json::Value]) {
    let mut tx = site.begin("Administrator", true).unwrap();
    let flags = WriteFlags {
        ignore_permissions: true,
        ..WriteFlags::default()
    };
    for d in docs {
        lifecycle::insert(&mut tx, d.as_object().unwrap().clone(), &flags)
            .unwrap_or_else(|e| panic!("{d}: {e:?}"));
    }
    tx.commit().unwrap();
}

#[test]
fn avatar_info_comes_from_the_user_or_falls_back_to_the_id() {
    let (_dir, site) = open();
    insert(
        &site,
        &[
            json!({"doctype": "User", "email": "jane@example.com", "first_name": "Jane",
                 "last_name": "Doe", "user_image": "/files/jane.png"}),
        ],
    );
    let out = run(
        &site,
        "from frappe.utils import get_user_info_for_avatar as info\n\
         print(info('jane@example.com'))\n\
         print(info('nobody@example.com'))\n\
         print(info('Guest')['name'], info('Guest')['image'])",
    );
    assert_eq!(
        out,
        [
            "{'email': 'jane@example.com', 'image': '/files/jane.png', 'name': 'Jane Doe'}",
            "{'email': 'nobody@example.com', 'image': '', 'name': 'nobody@example.com'}",
            "Guest None",
        ]
    );
}

const TRACKERS: &str = "from frappe.utils import add_trackers_to_url, parse_and_map_trackers_from_url\n\
    print(add_trackers_to_url('https://shop.example.com/p?x=1', 'Google Ads', 'Summer Sale', 'Email'))\n\
    print(parse_and_map_trackers_from_url('https://a.com/?utm_source=google-ads&utm_medium=Email&campaign=New'))";

#[test]
fn trackers_without_utm_doctypes_keep_the_values_given() {
    let (_dir, site) = open();
    assert_eq!(
        run(&site, TRACKERS),
        [
            "https://shop.example.com/p?x=1&utm_source=Google+Ads&utm_medium=Email&utm_campaign=Summer+Sale",
            "{'utm_source': 'google-ads', 'utm_medium': 'Email', 'utm_campaign': 'New'}",
        ]
    );
}

#[test]
fn trackers_use_the_slugs_and_names_of_utm_records() {
    let (_dir, site) = open();
    let perms = json!([{"role": "System Manager", "read": 1, "write": 1, "create": 1}]);
    let mut docs = Vec::new();
    for dt in ["UTM Source", "UTM Medium", "UTM Campaign"] {
        docs.push(
            json!({"doctype": "DocType", "name": dt, "module": "Website", "custom": 1,
                         "autoname": "prompt", "permissions": perms,
                         "fields": [{"fieldname": "slug", "label": "Slug", "fieldtype": "Data"}]}),
        );
    }
    insert(&site, &docs);
    insert(
        &site,
        &[
            json!({"doctype": "UTM Source", "name": "Google Ads", "slug": "google-ads"}),
            json!({"doctype": "UTM Medium", "name": "Email", "slug": "email"}),
        ],
    );
    assert_eq!(
        run(&site, TRACKERS),
        [
            // Summer Sale has no record: it stays as given
            "https://shop.example.com/p?x=1&utm_source=google-ads&utm_medium=email&utm_campaign=Summer+Sale",
            // slugs map back to the records' names
            "{'utm_source': 'Google Ads', 'utm_medium': 'Email', 'utm_campaign': 'New'}",
        ]
    );
}
