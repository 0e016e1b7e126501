//! Server Scripts in the site: the registry (which scripts run where), the compiled-code
//! cache, and running them — DocType Event scripts at the lifecycle's hook points (this
//! engine is the site's [`Hooks`]), API scripts on `/api/method/<api_method>`.
//!
//! - The registry is built from enabled `Server Script` rows, newest edit first (v15's
//!   `modified desc`, which is also the order scripts of one event run in), and dropped
//!   whenever a Server Script is written (at the write and again when its transaction
//!   ends, so a concurrent rebuild cannot keep the old one).
//! - Compiled code is cached per script *version* (name + `modified`): compiled once,
//!   shared by every request, replaced on the next request after an edit.
//! - Nothing runs while `server_script_enabled` is off in the site config: 403
//!   `ServerScriptNotEnabled`, as Frappe.

pub mod cron;
pub mod host;
pub mod mail;
pub mod outbound;
pub mod sql;
pub mod versions;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use serverscript_compiler::{CompiledScript, RunInput, RunOutput, ScriptType};

use crate::error::{Error, Msg, Result};
use crate::meta::Meta;
use crate::model::hooks::{DocEvent, HookArgs, Hooks};
use crate::tx::SiteTx;

pub const DOCTYPE: &str = "Server Script";

/// Frappe's message when the switch is off (§2.1).
pub const DISABLED_MESSAGE: &str = "Server Scripts are disabled. Please enable server scripts from bench configuration.<br><a href='https://frappeframework.com/docs/user/en/desk/scripting/server-script'>Read the documentation to know more</a>";

/// What an API script leaves: its `frappe.response` and its `print` lines.
pub type ApiOutput = (Map<String, Value>, Vec<String>);

/// Which scripts run where.
#[derive(Debug, Default)]
pub struct Registry {
    /// (DocType, event label) → script names, in run order.
    pub doc_events: HashMap<(String, String), Vec<String>>,
    /// api_method → script name (the last in sort order wins, as in Frappe).
    pub api: HashMap<String, String>,
    /// DocType → Permission Query script name.
    pub permission_query: HashMap<String, String>,
    /// Scheduler Event scripts: (name, event_frequency, cron_format, creation).
    pub scheduled: Vec<(String, String, String, String)>,
    /// Every enabled script, so a run needs no query for its row.
    pub rows: HashMap<String, Arc<ScriptRow>>,
}

/// A script row as the engine needs it.
#[derive(Debug, Clone)]
pub struct ScriptRow {
    pub name: String,
    pub script_type: String,
    pub allow_guest: bool,
    pub disabled: bool,
    pub modified: String,
    pub script: String,
    /// (limit, window in seconds) when `enable_rate_limit` is set.
    pub rate_limit: Option<(u64, u64)>,
}

#[derive(Default)]
pub struct ScriptEngine {
    registry: RwLock<Option<Arc<Registry>>>,
    /// name → (modified, code).
    compiled: Mutex<HashMap<String, (String, Arc<CompiledScript>)>>,
    /// Rate-limit counters: `rl:<cmd>:<ip>:<window>` → (window start, window, count).
    /// In-process (Frappe keeps them in Redis); a window's counter starts at its first
    /// hit. At most [`RATE_KEYS`] keys: expired ones go first, then the oldest tenth.
    rate: Mutex<HashMap<String, (Instant, Duration, u64)>>,
    /// The API script runs of HTTP requests in progress, per client and in all.
    running: Arc<Running>,
}

/// Rate-limit keys kept at most.
pub const RATE_KEYS: usize = 10_000;
/// Longest rate-limit key kept as is (longer ones are kept as their SHA-256).
const RATE_KEY_BYTES: usize = 128;

/// API script runs at once per client (a Guest address or a signed-in user), when the
/// site config has no `script_concurrency_per_client`.
pub const SCRIPT_CONCURRENCY_PER_CLIENT: u64 = 4;
/// API script runs at once on the site, when the site config has no
/// `script_concurrency_per_site`.
pub const SCRIPT_CONCURRENCY_PER_SITE: u64 = 32;

/// Frappe-style message of a run refused for too many at once.
pub const CONCURRENCY_MESSAGE: &str =
    "Too many Server Script requests at once. Please wait for one to finish and try again.";

/// Script runs in progress: client key → count, and the total.
#[derive(Debug, Default)]
struct Running {
    counts: Mutex<(HashMap<String, u64>, u64)>,
}

/// A script run's place among those [`Running`]; given back when dropped (after the run,
/// an error or a panic alike).
#[must_use]
struct RunSlot {
    running: Arc<Running>,
    client: String,
}

impl Running {
    /// Takes a slot for `client`, or refuses (TooManyRequestsError, 429) when the client
    /// or the site has its limit of runs in progress.
    fn admit(self: &Arc<Self>, client: String, per_client: u64, per_site: u64) -> Result<RunSlot> {
        let mut guard = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let (clients, total) = &mut *guard;
        let mine = clients.get(&client).copied().unwrap_or(0);
        if mine >= per_client || *total >= per_site {
            return Err(Error::throw("TooManyRequestsError", CONCURRENCY_MESSAGE));
        }
        clients.insert(client.clone(), mine + 1);
        *total += 1;
        Ok(RunSlot {
            running: self.clone(),
            client,
        })
    }
}

impl Drop for RunSlot {
    fn drop(&mut self) {
        let mut guard = self
            .running
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let (clients, total) = &mut *guard;
        *total = total.saturating_sub(1);
        if let Some(n) = clients.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                clients.remove(&self.client);
            }
        }
    }
}

/// The columns [`read_row`] reads, in its order.
const ROW_COLUMNS: &str = "name, script_type, allow_guest, disabled, modified, script, enable_rate_limit, \
                           rate_limit_count, rate_limit_seconds";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ScriptRow> {
    Ok(ScriptRow {
        name: r.get(0)?,
        script_type: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        allow_guest: r.get::<_, Option<i64>>(2)?.unwrap_or(0) != 0,
        disabled: r.get::<_, Option<i64>>(3)?.unwrap_or(0) != 0,
        modified: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        script: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
        rate_limit: if r.get::<_, Option<i64>>(6)?.unwrap_or(0) != 0 {
            let count = r.get::<_, Option<i64>>(7)?.filter(|n| *n > 0).unwrap_or(5);
            let window = r
                .get::<_, Option<i64>>(8)?
                .filter(|n| *n > 0)
                .unwrap_or(86_400);
            Some((count as u64, window as u64))
        } else {
            None
        },
    })
}

/// Frappe's message when an API script's rate limit is hit (§5.9).
pub const RATE_LIMIT_MESSAGE: &str =
    "You hit the rate limit because of too many requests. Please try after sometime.";

/// The compiler's script type for a Server Script's `script_type`.
pub fn script_type_of(label: &str) -> Option<ScriptType> {
    Some(match label {
        "DocType Event" => ScriptType::DocEvent,
        "API" => ScriptType::Api,
        "Scheduler Event" => ScriptType::Scheduler,
        "Permission Query" => ScriptType::PermissionQuery,
        _ => return None,
    })
}

/// Whether `server_script_enabled` is on.
pub fn enabled(tx: &SiteTx<'_>) -> bool {
    crate::site::truthy(tx.site.config("server_script_enabled").as_ref())
}

fn not_enabled() -> Error {
    Error::throw_titled(
        "ServerScriptNotEnabled",
        DISABLED_MESSAGE,
        "Server Scripts Disabled",
    )
}

impl ScriptEngine {
    /// Drops the registry; the next lookup rebuilds it from the database.
    pub fn invalidate(&self) {
        *self.registry.write().unwrap() = None;
    }

    /// The registry (built on first use after a change).
    pub fn registry(&self, tx: &SiteTx<'_>) -> Result<Arc<Registry>> {
        if let Some(r) = self.registry.read().unwrap().as_ref() {
            return Ok(r.clone());
        }
        let mut reg = Registry::default();
        let mut stmt = tx.db.prepare_cached(&format!(
            "SELECT {ROW_COLUMNS}, reference_doctype, doctype_event, api_method, \
             event_frequency, cron_format, creation \
             FROM \"tabServer Script\" WHERE ifnull(disabled, 0) = 0 ORDER BY modified DESC"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                read_row(r)?,
                r.get::<_, Option<String>>(9)?.unwrap_or_default(),
                r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                (
                    r.get::<_, Option<String>>(12)?.unwrap_or_default(),
                    r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                    r.get::<_, Option<String>>(14)?.unwrap_or_default(),
                ),
            ))
        })?;
        for row in rows {
            let (row, doctype, event, api_method, (frequency, cron, creation)) = row?;
            let name = row.name.clone();
            match row.script_type.as_str() {
                "Scheduler Event" => {
                    reg.scheduled
                        .push((name.clone(), frequency, cron, creation));
                }
                "DocType Event" => reg
                    .doc_events
                    .entry((doctype, event))
                    .or_default()
                    .push(name.clone()),
                "Permission Query" => {
                    reg.permission_query.insert(doctype, name.clone());
                }
                _ if !api_method.is_empty() => {
                    reg.api.insert(api_method, name.clone());
                }
                _ => {}
            }
            reg.rows.insert(name, Arc::new(row));
        }
        let reg = Arc::new(reg);
        // only cache what a transaction that changed no script saw
        if !tx.scripts_changed() {
            *self.registry.write().unwrap() = Some(reg.clone());
        }
        Ok(reg)
    }

    /// A script's row: from the registry when it is enabled, else from the database.
    fn row(&self, tx: &SiteTx<'_>, name: &str) -> Result<Arc<ScriptRow>> {
        if let Some(r) = self.registry(tx)?.rows.get(name) {
            return Ok(r.clone());
        }
        let mut stmt = tx.db.prepare_cached(&format!(
            "SELECT {ROW_COLUMNS} FROM \"tabServer Script\" WHERE name = ?1"
        ))?;
        let mut q = stmt.query([name])?;
        let Some(r) = q.next()? else {
            return Err(Error::raise("DoesNotExistError", ""));
        };
        Ok(Arc::new(read_row(r)?))
    }

    /// The compiled code of a script version (compiled at most once per version).
    fn compiled(&self, row: &ScriptRow) -> Result<Arc<CompiledScript>> {
        if let Some((m, code)) = self.compiled.lock().unwrap().get(&row.name)
            && *m == row.modified
        {
            return Ok(code.clone());
        }
        let st = script_type_of(&row.script_type).ok_or_else(|| {
            Error::validation(format!(
                "Server Script {}: unknown script type {:?}",
                row.name, row.script_type
            ))
        })?;
        let code = match serverscript_compiler::compile(&row.name, row.script.as_bytes(), st) {
            Ok(c) => Arc::new(c),
            Err(serverscript_compiler::CompileFailure::Errors(out)) => {
                let first = out
                    .errors()
                    .next()
                    .map(|d| d.message.clone())
                    .unwrap_or_default();
                return Err(Error::validation(format!(
                    "Server Script {} does not compile: {first}",
                    row.name
                )));
            }
            Err(serverscript_compiler::CompileFailure::Codegen(e)) => {
                return Err(Error::internal(format!(
                    "Server Script {}: code generation failed: {e}",
                    row.name
                )));
            }
        };
        self.compiled
            .lock()
            .unwrap()
            .insert(row.name.clone(), (row.modified.clone(), code.clone()));
        Ok(code)
    }

    /// Runs a compiled script on the transaction: its messages join the response's, its
    /// error becomes Frappe's (with the script's traceback and `_exc_source`).
    fn execute(
        &self,
        tx: &mut SiteTx<'_>,
        row: &ScriptRow,
        input: &RunInput,
        doc_event: bool,
    ) -> Result<RunOutput> {
        if tx.script_nesting >= crate::tx::MAX_SCRIPT_NESTING {
            return Err(Error::raise(
                "RecursionError",
                format!(
                    "Server Script {}: script runs nested more than {} deep (a script that \
                     calls itself through frappe.call, run_script, the hooks of documents it \
                     saves or the lists it reads)",
                    row.name,
                    crate::tx::MAX_SCRIPT_NESTING
                ),
            ));
        }
        let code = self.compiled(row)?;
        tx.script_nesting += 1;
        let mut out = {
            let mut host = host::SiteHost::new(tx, doc_event);
            code.run_in(input, Some(&mut host))
        };
        tx.script_nesting -= 1;
        let messages: Vec<Msg> = out
            .messages
            .drain(..)
            .map(|m| Msg {
                message: m.message,
                title: m.title,
                indicator: m.indicator,
                raise_exception: m.raise_exception,
            })
            .collect();
        if let Some(err) = out.error.take() {
            let mut e = Error::raise(&err.exc_type, err.message.clone());
            e.messages = messages;
            e.source = Some("Server Script".into());
            e.trace = Some(format!(
                "{}\n",
                err.traceback(&format!("<serverscript: {}>", row.name))
            ));
            return Err(e);
        }
        tx.messages.extend(messages);
        Ok(out)
    }

    /// Runs the API script for `api_method`, if one exists: `Some(response dict)`.
    ///
    /// `client` is set for HTTP requests: once the caller may run the script, the run is
    /// rate limited when the script asks (calls from other scripts never are, as in
    /// Frappe) and takes one of the client's and the site's script slots.
    pub fn run_api(
        &self,
        tx: &mut SiteTx<'_>,
        api_method: &str,
        form_dict: &Map<String, Value>,
        client: Option<IpAddr>,
    ) -> Result<Option<ApiOutput>> {
        let reg = self.registry(tx)?;
        let Some(name) = reg.api.get(api_method) else {
            return Ok(None);
        };
        let row = self.row(tx, name)?;
        self.api_row(tx, &row, form_dict, client.map(|ip| (api_method, ip)))
            .map(Some)
    }

    /// Counts a hit; RateLimitExceededError (429) once the window holds more than `limit`.
    fn count_hit(&self, key: &str, limit: u64, window: u64) -> Result<()> {
        let now = Instant::now();
        let span = Duration::from_secs(window);
        let hashed;
        let key = if key.len() > RATE_KEY_BYTES {
            use sha2::Digest;
            hashed = format!("{:x}", sha2::Sha256::digest(key.as_bytes()));
            hashed.as_str()
        } else {
            key
        };
        let mut rate = self.rate.lock().unwrap_or_else(|p| p.into_inner());
        if !rate.contains_key(key) && rate.len() >= RATE_KEYS {
            rate.retain(|_, (start, span, _)| now.duration_since(*start) < *span);
            if rate.len() >= RATE_KEYS {
                // the oldest tenth goes at once, so a full table is not scanned per hit
                let mut starts: Vec<Instant> = rate.values().map(|(start, _, _)| *start).collect();
                let nth = RATE_KEYS / 10;
                let (_, cutoff, _) = starts.select_nth_unstable(nth);
                let cutoff = *cutoff;
                rate.retain(|_, (start, _, _)| *start > cutoff);
            }
        }
        let entry = rate.entry(key.to_string()).or_insert((now, span, 0));
        if now.duration_since(entry.0) >= entry.1 {
            *entry = (now, span, 0);
        }
        entry.2 += 1;
        if entry.2 > limit {
            return Err(Error::throw("RateLimitExceededError", RATE_LIMIT_MESSAGE));
        }
        Ok(())
    }

    /// Rate-limit keys held now.
    pub fn rate_keys(&self) -> usize {
        self.rate.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// A slot for an HTTP request's script run: per signed-in user, or per address for
    /// Guest; and per site.
    fn run_slot(&self, tx: &SiteTx<'_>, ip: IpAddr) -> Result<RunSlot> {
        let count = |key: &str, default: u64| {
            tx.site
                .config(key)
                .and_then(|v| v.as_u64())
                .filter(|n| *n > 0)
                .unwrap_or(default)
        };
        let client = if tx.is_guest() {
            format!("ip:{ip}")
        } else {
            format!("user:{}", tx.user)
        };
        self.running.admit(
            client,
            count(
                "script_concurrency_per_client",
                SCRIPT_CONCURRENCY_PER_CLIENT,
            ),
            count("script_concurrency_per_site", SCRIPT_CONCURRENCY_PER_SITE),
        )
    }

    fn api_row(
        &self,
        tx: &mut SiteTx<'_>,
        row: &ScriptRow,
        form_dict: &Map<String, Value>,
        http: Option<(&str, IpAddr)>,
    ) -> Result<ApiOutput> {
        if !enabled(tx) {
            return Err(not_enabled());
        }
        if row.script_type != "API" {
            return Err(Error::raise("DoesNotExistError", "").without_traceback());
        }
        if tx.is_guest() && !row.allow_guest {
            return Err(Error::raise("PermissionError", ""));
        }
        // only a caller allowed to run the script counts against its limits
        let _slot = match http {
            Some((api_method, ip)) => {
                if let Some((limit, window)) = row.rate_limit {
                    self.count_hit(&format!("rl:{api_method}:{ip}:{window}"), limit, window)?;
                }
                Some(self.run_slot(tx, ip)?)
            }
            None => None,
        };
        let input = RunInput {
            form_dict: form_dict.clone(),
            ..base_input(tx)
        };
        let out = self.execute(tx, row, &input, false)?;
        Ok((out.response, out.debug_log))
    }

    /// The SQL condition a Permission Query script adds to `doctype`'s permission-aware
    /// list queries (`None` when there is no such script or it leaves `conditions` empty).
    pub fn permission_conditions(
        &self,
        tx: &mut SiteTx<'_>,
        doctype: &str,
    ) -> Result<Option<String>> {
        let reg = self.registry(tx)?;
        let Some(name) = reg.permission_query.get(doctype) else {
            return Ok(None);
        };
        if !enabled(tx) {
            return Err(not_enabled());
        }
        let row = self.row(tx, name)?;
        let input = base_input(tx);
        let out = self.execute(tx, &row, &input, false)?;
        Ok(out.conditions.filter(|c| !c.trim().is_empty()))
    }

    /// Runs a Scheduler Event script by name (the scheduler's job); its `print` output.
    pub fn run_scheduled(&self, tx: &mut SiteTx<'_>, name: &str) -> Result<Vec<String>> {
        if !enabled(tx) {
            return Err(not_enabled());
        }
        let row = self.row(tx, name)?;
        if row.disabled || row.script_type != "Scheduler Event" {
            return Err(Error::raise("DoesNotExistError", ""));
        }
        let input = base_input(tx);
        self.execute(tx, &row, &input, false)
            .map(|out| out.debug_log)
    }

    /// `run_script(name, **kwargs)`: an API script by name; returns its flags.
    pub fn run_named(
        &self,
        tx: &mut SiteTx<'_>,
        name: &str,
        form_dict: &Map<String, Value>,
    ) -> Result<Value> {
        let row = self.row(tx, name)?;
        if row.disabled {
            return Err(Error::raise("DoesNotExistError", ""));
        }
        let (response, _) = self.api_row(tx, &row, form_dict, None)?;
        Ok(response.get("message").cloned().unwrap_or(Value::Null))
    }
}

/// `frappe.call(method, **kwargs)` and background jobs: an API script by method name,
/// else a whitelisted method (with its guest check; verb checks do not apply).
pub fn call_method(
    tx: &mut SiteTx<'_>,
    method: &str,
    kwargs: &Map<String, Value>,
) -> Result<Value> {
    let engine = tx.site.scripts.clone();
    if let Some((response, _)) = engine.run_api(tx, method, kwargs, None)? {
        return Ok(response.get("message").cloned().unwrap_or(Value::Null));
    }
    match crate::http::method::find(method).filter(|m| m.name != "login" && m.name != "logout") {
        Some(m) if m.guest || !tx.is_guest() => {
            let reply = crate::http::method::call_direct(m, tx, kwargs)?;
            Ok(reply.body.get("message").cloned().unwrap_or(Value::Null))
        }
        _ => Err(Error::throw_titled(
            "PermissionError",
            format!(
                "<details><summary>You are not permitted to access this resource.</summary>Function <strong>{method}</strong> is not whitelisted.</details>"
            ),
            "Method Not Allowed",
        )),
    }
}

/// Time the script runs of one unit of work may take together, when the site config has
/// no `script_time_limit` (seconds).
pub const SCRIPT_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// What every run in `tx` starts from: the user, the site's settings, the request, and
/// the unit of work's deadline (started by its first run; every later or nested run
/// gets what is left of it).
fn base_input(tx: &mut SiteTx<'_>) -> RunInput {
    let time = tx.site.seconds("script_time_limit", SCRIPT_TIME_LIMIT);
    tx.script_deadline
        .get_or_insert_with(|| std::time::Instant::now() + time);
    let (deadline, why) = tx.run_deadline().expect("the deadline was just set");
    RunInput {
        user: tx.user.clone(),
        settings: Some(tx.site.settings()),
        request: tx.request.as_ref().map(|r| r.info()),
        limits: serverscript_compiler::Limits {
            time,
            deadline: Some((deadline, why)),
            ..Default::default()
        },
        ..RunInput::default()
    }
}

impl Hooks for ScriptEngine {
    fn run(
        &self,
        tx: &mut SiteTx<'_>,
        meta: &Meta,
        event: DocEvent,
        doc: &mut Map<String, Value>,
        args: &HookArgs,
    ) -> Result<()> {
        if meta.name == DOCTYPE {
            // a Server Script is itself written: the registry and code cache follow
            if matches!(
                event,
                DocEvent::OnUpdate | DocEvent::AfterDelete | DocEvent::AfterRename
            ) {
                tx.mark_scripts_changed();
                self.invalidate();
            }
        }
        let Some(label) = event.script_label() else {
            return Ok(());
        };
        let reg = self.registry(tx)?;
        let Some(names) = reg.doc_events.get(&(meta.name.clone(), label.to_string())) else {
            return Ok(());
        };
        if !enabled(tx) {
            return Err(not_enabled());
        }
        let before = args.before.as_ref().map(|d| Value::Object((**d).clone()));
        for name in names.clone() {
            let row = self.row(tx, &name)?;
            let input = RunInput {
                doc: Some(Value::Object(std::mem::take(doc))),
                doc_before_save: before.clone(),
                ..base_input(tx)
            };
            let result = self.execute(tx, &row, &input, true);
            // the script's changes to `doc` persist; on failure the input stands
            match result {
                Ok(out) => match out.doc {
                    Some(Value::Object(d)) => *doc = d,
                    _ => {
                        if let Some(Value::Object(d)) = input.doc {
                            *doc = d;
                        }
                    }
                },
                Err(e) => {
                    if let Some(Value::Object(d)) = input.doc {
                        *doc = d;
                    }
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

/// The check a Server Script gets when saved: syntax and policy errors block the save
/// (one line per diagnostic with line, column and code; the JSON diagnostics under
/// `diagnostics` for the UI); warnings come back as messages.
pub fn validate_script(tx: &mut SiteTx<'_>, doc: &Map<String, Value>) -> Result<()> {
    if !tx.is_administrator()
        && !tx
            .roles()?
            .iter()
            .any(|r| r == "Script Manager" || r == "System Manager")
    {
        return Err(Error::throw_titled(
            "PermissionError",
            "This action is only allowed for <strong>Script Manager</strong>",
            "Not Permitted",
        ));
    }
    let label = crate::model::get_str(doc, "script_type").unwrap_or("");
    let Some(st) = script_type_of(label) else {
        return Ok(());
    };
    if st == ScriptType::Scheduler {
        // Frappe's Scheduled Job Type validation, which fails the script's save too
        let frequency = crate::model::get_str(doc, "event_frequency").unwrap_or("");
        let cron_format = crate::model::get_str(doc, "cron_format")
            .unwrap_or("")
            .trim();
        if frequency == "Cron" && cron_format.is_empty() {
            return Err(Error::throw_titled(
                "ValidationError",
                "Cron format is required for job types with Cron frequency.",
                "Bad Cron Expression",
            ));
        }
        if frequency == "Cron" && cron::Cron::parse(cron_format).is_none() {
            return Err(Error::throw_titled(
                "ValidationError",
                format!("<code>{cron_format}</code> is not a valid Cron expression."),
                "Bad Cron Expression",
            ));
        }
    }
    let name = crate::model::doc_name(doc).to_string();
    let script = crate::model::get_str(doc, "script").unwrap_or("");
    let out = serverscript_compiler::check(&name, script.as_bytes(), st);
    let json: Vec<Value> = out
        .diagnostics
        .iter()
        .map(|d| {
            serde_json::to_value(serverscript_compiler::JsonDiagnostic::new(&out.source, d))
                .unwrap_or(Value::Null)
        })
        .collect();
    let describe = |v: &Value| {
        format!(
            "Line {}, column {}: {} [{}]",
            v["line"],
            v["column"],
            v["message"].as_str().unwrap_or(""),
            v["code"].as_str().unwrap_or("")
        )
    };
    if out.has_errors() {
        let lines: Vec<String> = json
            .iter()
            .filter(|v| v["severity"] == "error")
            .map(describe)
            .collect();
        // SS0xx: not Python at all (Frappe's words); SS1xx: Python the sandbox refuses
        let what = if out.errors().any(|d| d.code.starts_with("SS0")) {
            "invalid python code"
        } else {
            "code the sandbox refuses"
        };
        let mut e = Error::throw_titled(
            "ValidationError",
            format!("Script {name}: {what}<br>{}", lines.join("<br>")),
            "Compilation Error",
        )
        .with_response("diagnostics", Value::Array(json));
        e.text = format!("Script {name}: {what}: {}", lines.join("; "));
        return Err(e);
    }
    for w in &json {
        tx.msgprint(Msg {
            message: describe(w),
            title: Some("Compilation warning".into()),
            indicator: Some("orange".into()),
            raise_exception: false,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_table_keeps_at_most_its_bound_of_keys_and_the_newest_count() {
        let engine = ScriptEngine::default();
        for i in 0..RATE_KEYS + 2_000 {
            engine
                .count_hit(&format!("rl:m:10.{}.{}.1:60", i / 256, i % 256), 1, 60)
                .unwrap();
        }
        assert!(engine.rate_keys() <= RATE_KEYS);
        // the newest key is still counted: its second hit is over a limit of one
        let last = RATE_KEYS + 1_999;
        let key = format!("rl:m:10.{}.{}.1:60", last / 256, last % 256);
        assert!(engine.count_hit(&key, 1, 60).is_err());
        // a long key is kept as its hash
        let long = format!("rl:{}:1.2.3.4:60", "m".repeat(10_000));
        engine.count_hit(&long, 5, 60).unwrap();
        let rate = engine.rate.lock().unwrap();
        assert!(rate.keys().all(|k| k.len() <= RATE_KEY_BYTES));
    }

    #[test]
    fn run_slots_are_counted_per_client_and_site_and_given_back_on_drop() {
        let running = Arc::new(Running::default());
        let a = running.admit("ip:1".into(), 1, 2).unwrap();
        assert_eq!(
            running.admit("ip:1".into(), 1, 2).err().map(|e| e.status()),
            Some(429)
        );
        let b = running.admit("user:x".into(), 1, 2).unwrap();
        assert!(
            running.admit("user:y".into(), 1, 2).is_err(),
            "the site is full"
        );
        drop(a);
        let _c = running.admit("ip:1".into(), 1, 2).unwrap();
        // a panic while a slot is held gives it back too
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _held = b;
            panic!("script run failed");
        }));
        assert!(r.is_err());
        assert!(running.admit("user:y".into(), 1, 2).is_ok());
    }
}
