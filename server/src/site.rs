//! A site is a folder under `sites/`: `site_config.json` and the SQLite database
//! `site.sqlite3` (WAL). The first `serve` creates it: the shipped DocTypes, the standard
//! roles, `Administrator` (with a password given or generated) and `Guest`.
//!
//! The config is re-read when its file changes, so `serverscript set-config` reaches a
//! running server without a restart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use serde_json::{Map, Value, json};

use crate::db::{Db, schema};
use crate::error::{Error, Result};
use crate::meta::{Meta, MetaCache, builtin};
use crate::model::hooks::Hooks;
use crate::model::store;
use crate::scripts::ScriptEngine;
use crate::tx::SiteTx;
use serverscript_runtime::settings::SiteSettings;

pub const CONFIG_FILE: &str = "site_config.json";
pub const DB_FILE: &str = "site.sqlite3";

/// Roles every site has (Frappe's automatic and desk roles).
pub const STANDARD_ROLES: &[&str] = &[
    "Administrator",
    "System Manager",
    "Script Manager",
    "All",
    "Guest",
];

pub struct Site {
    pub name: String,
    pub dir: PathBuf,
    pub db: Db,
    pub meta: MetaCache,
    config: SiteConfig,
    hooks: RwLock<Arc<dyn Hooks>>,
    /// Server Scripts: registry, code cache, runs (also the default hooks).
    pub scripts: Arc<ScriptEngine>,
    /// The background job worker (`frappe.enqueue`), when the server runs one.
    pub jobs: crate::jobs::JobQueue,
}

/// What creating a site produced.
pub struct Created {
    /// The generated Administrator password (None when one was given or the site existed).
    pub admin_password: Option<String>,
    pub created: bool,
}

impl Site {
    /// Opens the site in `dir`, creating it first when it has no database.
    pub fn open_or_create(dir: &Path, admin_password: Option<&str>) -> Result<(Site, Created)> {
        std::fs::create_dir_all(dir)?;
        let config_path = dir.join(CONFIG_FILE);
        if !config_path.exists() {
            write_config(&config_path, &Map::new())?;
        }
        let is_new = !dir.join(DB_FILE).exists();
        let scripts = Arc::new(ScriptEngine::default());
        let site = Site {
            name: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            dir: dir.to_path_buf(),
            db: Db::open(&dir.join(DB_FILE))?,
            meta: MetaCache::default(),
            config: SiteConfig::new(config_path),
            hooks: RwLock::new(scripts.clone()),
            scripts,
            jobs: crate::jobs::JobQueue::default(),
        };
        site.refresh_config();
        let mut created = Created {
            admin_password: None,
            created: false,
        };
        if is_new {
            let generated;
            let password = match admin_password {
                Some(p) => p,
                None => {
                    generated = crate::auth::random_token(16);
                    created.admin_password = Some(generated.clone());
                    &generated
                }
            };
            if let Err(e) = site.install(password) {
                // leave no half-made site behind: the next start retries
                drop(site);
                let _ = std::fs::remove_file(dir.join(DB_FILE));
                let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}-wal")));
                let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}-shm")));
                return Err(e);
            }
            created.created = true;
        } else {
            site.install_new_shipped_doctypes()?;
            if let Some(p) = admin_password {
                let mut tx = site.begin("Administrator", true)?;
                crate::auth::set_password(&tx, "Administrator", p)?;
                tx.commit()?;
            }
        }
        Ok((site, created))
    }

    /// A site made by an older build gets the DocTypes shipped since (its own changes
    /// to shipped DocTypes are kept: existing ones are not touched) and the indexes
    /// added since.
    fn install_new_shipped_doctypes(&self) -> Result<()> {
        let mut tx = self.begin("Administrator", true)?;
        // private tables added since (each is created only if missing)
        schema::create_private_tables(&tx.db)?;
        let now = crate::model::stamp(self.settings().now());
        let mut added = false;
        for (name, _) in builtin::SHIPPED {
            let exists: bool = tx
                .db
                .query_row("SELECT 1 FROM `tabDocType` WHERE name = ?1", [name], |_| {
                    Ok(true)
                })
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(false),
                    e => Err(e),
                })?;
            if exists {
                continue;
            }
            let meta = Meta::from_doc(&builtin::doc(name).expect("shipped"))?;
            schema::sync_table(&tx.db, &meta)?;
            let mut doc = builtin::doc(name).expect("shipped");
            doc.insert("doctype".into(), "DocType".into());
            store::stamp_new(&mut doc, "Administrator", &now);
            let doctype_meta = builtin::core_meta("DocType").expect("core");
            store::insert(&mut tx, &doctype_meta, &mut doc)?;
            tracing::info!(
                doctype = name,
                "installed a DocType shipped since this site was made"
            );
            added = true;
        }
        // child tables get the row index (sites made before it existed)
        let children: Vec<String> = tx
            .db
            .prepare("SELECT name FROM `tabDocType` WHERE istable = 1")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for child in children {
            let exists: bool = tx
                .db
                .query_row(
                    "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1",
                    [format!("tab{child}_rows")],
                    |_| Ok(true),
                )
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(false),
                    e => Err(e),
                })?;
            if !exists {
                schema::ensure_row_index(&tx.db, &child)?;
                added = true;
            }
        }
        if added { tx.commit() } else { tx.rollback() }
    }

    /// Creates the tables and the standard documents in one transaction.
    fn install(&self, admin_password: &str) -> Result<()> {
        let mut tx = self.begin("Administrator", true)?;
        schema::create_private_tables(&tx.db)?;
        let now = crate::model::stamp(self.settings().now());
        for (name, _) in builtin::SHIPPED {
            let meta = Meta::from_doc(&builtin::doc(name).expect("shipped"))?;
            schema::sync_table(&tx.db, &meta)?;
        }
        for (name, _) in builtin::SHIPPED {
            let mut doc = builtin::doc(name).expect("shipped");
            doc.insert("doctype".into(), "DocType".into());
            store::stamp_new(&mut doc, "Administrator", &now);
            let doctype_meta = builtin::core_meta("DocType").expect("core");
            store::insert(&mut tx, &doctype_meta, &mut doc)?;
        }
        for role in STANDARD_ROLES {
            let mut doc = json_doc(json!({"doctype": "Role", "name": role, "role_name": role}));
            tx.insert_raw(&mut doc)?;
        }
        for (user, first_name, email) in [
            ("Administrator", "Administrator", "admin@example.com"),
            ("Guest", "Guest", "guest@example.com"),
        ] {
            let roles: Vec<Value> = if user == "Administrator" {
                ["Administrator", "System Manager", "Script Manager"]
                    .iter()
                    .map(|r| json!({"role": r}))
                    .collect()
            } else {
                vec![json!({"role": "Guest"})]
            };
            let mut doc = json_doc(json!({
                "doctype": "User", "name": user, "email": email, "first_name": first_name,
                "full_name": first_name, "enabled": 1, "user_type": "System User", "roles": roles,
            }));
            tx.insert_raw(&mut doc)?;
        }
        crate::auth::set_password(&tx, "Administrator", admin_password)?;
        tx.commit()
    }

    /// A transaction acting as `user`. Picks up a changed site config first.
    pub fn begin(&self, user: &str, write: bool) -> Result<SiteTx<'_>> {
        self.refresh_config();
        SiteTx::new(self, user, write)
    }

    /// The system settings scripts see, from the site config as last read.
    pub fn settings(&self) -> Arc<SiteSettings> {
        self.config.settings()
    }

    /// A site-config value as last read ([`Site::refresh_config`]).
    pub fn config(&self, key: &str) -> Option<Value> {
        self.config.get(key)
    }

    /// A site-config value in seconds (a positive number), else `default`.
    pub fn seconds(&self, key: &str, default: std::time::Duration) -> std::time::Duration {
        self.config(key)
            .and_then(|v| v.as_f64())
            .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
            .map(std::time::Duration::from_secs_f64)
            .unwrap_or(default)
    }

    /// Re-reads `site_config.json` if it changed (one `stat` when it did not). Every
    /// HTTP request (its maintenance check), every transaction and every scheduler
    /// tick call it, so a change made with `set-config` reaches the next request;
    /// lookups in between read the cached copy.
    pub fn refresh_config(&self) {
        self.config.refresh();
    }

    /// Installs the hooks the lifecycle dispatches to (the script engine, or a test's).
    pub fn set_hooks(&self, hooks: Arc<dyn Hooks>) {
        *self.hooks.write().unwrap() = hooks;
    }

    pub fn hooks(&self) -> Arc<dyn Hooks> {
        self.hooks.read().unwrap().clone()
    }
}

fn json_doc(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// A file's modification time and size: when either changes, the file is re-read.
type FileStamp = (SystemTime, u64);
type ConfigMap = Arc<Map<String, Value>>;

/// `site_config.json`, cached; [`SiteConfig::refresh`] re-reads it when its modification
/// time or size changed.
struct SiteConfig {
    path: PathBuf,
    cached: Mutex<(Option<FileStamp>, ConfigMap, Arc<SiteSettings>)>,
}

impl SiteConfig {
    fn new(path: PathBuf) -> SiteConfig {
        SiteConfig {
            path,
            cached: Mutex::new((None, Arc::new(Map::new()), Arc::default())),
        }
    }

    fn get(&self, key: &str) -> Option<Value> {
        self.cached.lock().unwrap().1.get(key).cloned()
    }

    fn settings(&self) -> Arc<SiteSettings> {
        self.cached.lock().unwrap().2.clone()
    }

    /// Re-reads the file when it changed since the last read.
    fn refresh(&self) {
        let stamp = std::fs::metadata(&self.path)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        let mut cached = self.cached.lock().unwrap();
        if stamp.is_none() || cached.0 != stamp {
            match read_config(&self.path) {
                Ok(map) => {
                    let settings = Arc::new(settings_from(&map));
                    *cached = (stamp, Arc::new(map), settings)
                }
                Err(e) => {
                    tracing::warn!(path = %self.path.display(), error = %e, "site_config.json unreadable; keeping the last good config")
                }
            }
        }
    }
}

/// The system settings scripts see (`frappe.utils.now()`, formats, `get_url`), from
/// the site config: `time_zone` (IANA name, default UTC), `date_format`, `time_format`,
/// `number_format`, `currency`, `currency_precision`, `first_day_of_the_week`, and
/// `host_name` for the site's address.
fn settings_from(map: &Map<String, Value>) -> SiteSettings {
    let mut s = SiteSettings::default();
    let text = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(tz) = text("time_zone") {
        s.set_time_zone(&tz);
    }
    if let Some(v) = text("date_format") {
        s.date_format = v;
    }
    if let Some(v) = text("time_format") {
        s.time_format = v;
    }
    if let Some(v) = text("number_format") {
        s.number_format = v;
    }
    s.currency = text("currency");
    s.currency_precision = map
        .get("currency_precision")
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
        .map(|p| p.min(9) as u32);
    if let Some(v) = text("first_day_of_the_week") {
        s.first_day_of_the_week = v;
    }
    if let Some(v) = text("host_name").or_else(|| text("hostname")) {
        let v = v.trim_end_matches('/');
        s.url = if v.starts_with("http://") || v.starts_with("https://") {
            v.to_string()
        } else {
            format!("http://{v}")
        };
        s.url_configured = true;
    }
    s
}

fn read_config(path: &Path) -> Result<Map<String, Value>> {
    let text = std::fs::read_to_string(path)?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Error::internal(format!(
            "{} is not a JSON object",
            path.display()
        ))),
        Err(e) => Err(Error::internal(format!("{}: {e}", path.display()))),
    }
}

/// Writes the config atomically (a reader never sees half a file).
fn write_config(path: &Path, map: &Map<String, Value>) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    let mut text = serde_json::to_string_pretty(map).expect("JSON");
    text.push('\n');
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// `serverscript --site NAME set-config KEY VALUE`: the value is JSON when it parses as
/// JSON (`true`, `5`, `{"a":1}`), else a string. Creates the site folder if needed.
pub fn set_config(dir: &Path, key: &str, value: &str) -> Result<Value> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(CONFIG_FILE);
    let mut map = if path.exists() {
        read_config(&path)?
    } else {
        Map::new()
    };
    let parsed =
        serde_json::from_str::<Value>(value).unwrap_or_else(|_| Value::String(value.to_string()));
    map.insert(key.to_string(), parsed.clone());
    write_config(&path, &map)?;
    Ok(parsed)
}

/// Whether a site config value is set and truthy (Frappe's `cint`-like reading).
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        ),
        _ => false,
    }
}
