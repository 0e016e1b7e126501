//! What the server's script tests share: a fresh site in a temporary folder, and one
//! script run against it the way a request runs one (its own transaction, rolled back
//! afterwards unless the script committed).

use std::sync::Arc;

use serverscript_compiler::{RunInput, RunOutput, ScriptType, compile};
use serverscript_server::Site;
use serverscript_server::scripts::host::SiteHost;

/// A new site (Administrator's password `admin`) in a temporary folder.
pub fn open_site() -> (tempfile::TempDir, Site) {
    let dir = tempfile::tempdir().unwrap();
    let (site, _) = Site::open_or_create(&dir.path().join("site"), Some("admin")).unwrap();
    (dir, site)
}

/// Runs `src` as Administrator — as a DocType Event script when `doc_event`, else as an
/// API script — in a write transaction that is rolled back afterwards.
pub fn run_script(site: &Site, src: &str, doc_event: bool) -> RunOutput {
    let kind = if doc_event {
        ScriptType::DocEvent
    } else {
        ScriptType::Api
    };
    let code = Arc::new(compile("t.py", src.as_bytes(), kind).unwrap());
    let input = RunInput {
        user: "Administrator".into(),
        settings: Some(site.settings()),
        ..RunInput::default()
    };
    let mut tx = site.begin("Administrator", true).unwrap();
    let out = {
        let mut host = SiteHost::new(&mut tx, doc_event);
        code.run_in(&input, Some(&mut host))
    };
    tx.rollback().unwrap();
    out
}
