//! The invocation context: everything one script run needs besides its values — the
//! pending exception, the limits, the debug log and messages, `frappe.response`,
//! `frappe.flags`, `frappe.form_dict`, `doc`.
//!
//! Exceptions never unwind: a runtime function that fails stores the exception here and
//! returns NULL ([`Raised`] in Rust code); compiled code branches to its handler or
//! returns NULL in turn.

use std::ptr::NonNull;
use std::time::{Duration, Instant};

use crate::heap;
use crate::host::{Host, HostError, HostResult};
use crate::object::{dict, exc, str as pystr};
use crate::surface::ScriptType;
use crate::value::{Val, Value};

/// Marker: an exception is pending in the context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raised;

pub type PyResult<T = Val> = Result<T, Raised>;

/// Per-run limits. Exceeding one raises a Python-visible exception; the worker survives.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Wall-clock budget (default 5 s): `TimeLimitExceeded`.
    pub time: Duration,
    /// Bytes of live runtime objects (default 256 MiB): `MemoryError`.
    pub memory: usize,
    /// Nested calls of script functions (default 200): `RecursionError`.
    pub depth: u32,
    /// Longest string, in bytes (default 64 MiB): `MemoryError`.
    pub max_str: usize,
    /// Most items in one list, tuple, dict or set (default 16 Mi): `MemoryError`.
    pub max_items: usize,
    /// Bytes of `print` output kept in the debug log (default 1 MiB): `MemoryError`.
    pub debug_log: usize,
    /// Bytes of text a run may hand to `frappe.msgprint` / `frappe.throw` /
    /// `frappe.log_error` in total (default 1 MiB): `MemoryError`.
    pub messages: usize,
    /// A deadline shared with other runs — the request's, which nested runs and hooks
    /// share — with the reason to name when it is not `time` (empty: it is). The run
    /// stops at the earlier of it and `time` from its start.
    pub deadline: Option<(Instant, &'static str)>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(5),
            memory: 256 << 20,
            depth: 200,
            max_str: 64 << 20,
            max_items: 16 << 20,
            debug_log: 1 << 20,
            messages: 1 << 20,
            deadline: None,
        }
    }
}

/// Loop iterations and calls between two checks of the clock and the memory limit.
pub const FUEL_SLICE: i64 = 20_000;

/// A message queued by `frappe.msgprint` / `frappe.throw`.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub message: String,
    pub title: Option<String>,
    pub indicator: Option<String>,
    pub raise_exception: bool,
    pub as_table: bool,
    pub as_list: bool,
    pub alert: bool,
    pub primary_action: Option<serde_json::Value>,
    pub is_minimizable: bool,
    pub wide: bool,
}

/// A module's globals and constants. Each compiled function points to its module's
/// environment, so a function that travels to another script (through `run_script`)
/// still reads its own globals.
#[repr(C)]
pub struct ModuleEnv {
    /// Owned references; NULL = unbound (NameError when read).
    pub globals: *mut Value,
    /// The script's constants, built when the run starts (owned).
    pub consts: *const Value,
    globals_store: Box<[Value]>,
    consts_store: Box<[Val]>,
}

pub const MODULE_GLOBALS_OFFSET: i32 = 0;
pub const MODULE_CONSTS_OFFSET: i32 = 8;

impl ModuleEnv {
    pub fn new(n_globals: usize, consts: Vec<Val>) -> Box<ModuleEnv> {
        let mut globals_store = vec![Value::NULL; n_globals].into_boxed_slice();
        let consts_store = consts.into_boxed_slice();
        Box::new(ModuleEnv {
            globals: globals_store.as_mut_ptr(),
            consts: consts_store.as_ptr() as *const Value,
            globals_store,
            consts_store,
        })
    }

    pub fn global(&self, i: usize) -> Value {
        self.globals_store[i]
    }

    /// Stores an owned reference into global slot `i`.
    pub fn set_global(&mut self, i: usize, v: Val) {
        let old = std::mem::replace(&mut self.globals_store[i], v.into_raw());
        heap::decref(old);
    }

    pub fn consts(&self) -> &[Val] {
        &self.consts_store
    }
}

impl Drop for ModuleEnv {
    fn drop(&mut self) {
        for v in self.globals_store.iter() {
            heap::decref(*v);
        }
    }
}

/// Which limit ended a run (once hit, time limits keep firing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exhausted {
    Time,
}

/// The HTTP request an API script serves, as `frappe.request` shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestInfo {
    pub method: String,
    /// The path (`/api/method/x`).
    pub path: String,
    /// The full URL with the query string.
    pub url: String,
    pub host: String,
    /// Lower-case names, in the order received.
    pub headers: Vec<(String, String)>,
    /// The query string's pairs (`frappe.request.args`).
    pub args: Vec<(String, String)>,
    /// The body as text (`frappe.request.data`, `get_data(as_text=True)`).
    pub body: String,
    pub remote_addr: String,
}

/// The context of one script run. The first fields are read and written by compiled code
/// at fixed offsets (`#[repr(C)]`).
#[repr(C)]
pub struct Ctx {
    /// Decremented at loop back-edges and function entries; at zero compiled code calls
    /// the slow check (clock, memory).
    pub fuel: i64,
    /// The script line being executed (for error messages and tracebacks).
    pub line: u32,
    /// Nested calls of script functions.
    pub depth: u32,

    exc: Option<Val>,
    pub limits: Limits,
    deadline: Instant,
    /// Why `deadline` is what it is, when it is not the run's own time limit.
    deadline_reason: &'static str,
    exhausted: Option<Exhausted>,
    pub script_type: ScriptType,
    /// `print` output, one entry per call (Frappe's collector strips each).
    pub debug_log: Vec<String>,
    debug_log_bytes: usize,
    /// Text handed to messages and error logs so far (see [`Limits::messages`]).
    message_bytes: usize,
    pub messages: Vec<Message>,
    /// `frappe.response` (a dict).
    pub response: Val,
    /// `frappe.flags` (a fresh `_dict` per run; a script may rebind it).
    pub flags: Val,
    /// `frappe.form_dict` and `args` (a `_dict`).
    pub form_dict: Val,
    /// `doc` in DocType Event scripts.
    pub doc: Option<Val>,
    /// The session user (`frappe.session.user`).
    pub user: String,
    /// Module environments of every script run in this context (kept to the end).
    pub modules: Vec<Box<ModuleEnv>>,
    /// Fuel slices used up so far (a measure of how long the run has been looping).
    pub slices: u32,
    /// The stored version of `doc` (DocType Event scripts on existing documents):
    /// `doc.get_doc_before_save()`, `doc.has_value_changed()`.
    pub doc_before_save: Option<Val>,
    /// The site's system settings (time zone, formats, URL).
    pub settings: std::sync::Arc<crate::settings::SiteSettings>,
    /// `frappe.request` (read-only), when the run serves an HTTP request.
    pub request: Option<std::sync::Arc<RequestInfo>>,
    /// The site the script runs in, for the duration of the run (see [`Ctx::set_host`]).
    host: Option<NonNull<dyn Host + 'static>>,
}

pub const CTX_FUEL_OFFSET: i32 = 0;
pub const CTX_LINE_OFFSET: i32 = 8;
pub const CTX_DEPTH_OFFSET: i32 = 12;

impl Ctx {
    pub fn new(script_type: ScriptType, limits: Limits) -> Ctx {
        let own = Instant::now() + limits.time;
        let (deadline, deadline_reason) = match limits.deadline {
            Some((shared, why)) if shared < own => (shared, why),
            _ => (own, ""),
        };
        Ctx {
            fuel: FUEL_SLICE,
            line: 0,
            depth: 0,
            exc: None,
            limits,
            deadline,
            deadline_reason,
            exhausted: None,
            script_type,
            debug_log: Vec::new(),
            debug_log_bytes: 0,
            message_bytes: 0,
            messages: Vec::new(),
            response: dict::new_empty(false),
            flags: dict::new_empty(true),
            form_dict: dict::new_empty(true),
            doc: None,
            user: "Administrator".to_string(),
            modules: Vec::new(),
            doc_before_save: None,
            settings: crate::settings::DEFAULT.clone(),
            request: None,
            host: None,
            slices: 0,
        }
    }

    // ------------------------------------------------------------------ the site

    /// Lets the run reach `host`.
    ///
    /// # Safety
    /// `host` must stay valid, and must not be used by anyone else, until the context
    /// is dropped or [`Ctx::clear_host`] is called: the context keeps a pointer to it
    /// with its lifetime erased.
    pub unsafe fn set_host(&mut self, host: &mut dyn Host) {
        let p: NonNull<dyn Host + '_> = NonNull::from(host);
        // SAFETY: only the lifetime is erased; the caller guarantees validity.
        self.host = Some(unsafe {
            std::mem::transmute::<NonNull<dyn Host + '_>, NonNull<dyn Host + 'static>>(p)
        });
    }

    pub fn clear_host(&mut self) {
        self.host = None;
    }

    pub fn has_host(&self) -> bool {
        self.host.is_some()
    }

    /// Calls the site. `what` names the operation for the error a run without a site
    /// gets; a [`HostError`] becomes the Python exception it names, queued as a red
    /// message first when it is a Frappe error (as `frappe.throw` does).
    pub fn host_call<T>(
        &mut self,
        what: &str,
        f: impl FnOnce(&mut dyn Host) -> HostResult<T>,
    ) -> PyResult<T> {
        let Some(mut p) = self.host else {
            return Err(self.raise_new(
                *exc::ids::NOT_IMPLEMENTED_ERROR,
                format!(
                    "{what} needs a site: it works in scripts run by the server \
                     (`serverscript serve`), not by `serverscript run`"
                ),
            ));
        };
        // a run past its deadline asks the site for nothing more (its next loop check
        // would stop it; a straight line of host calls must stop too)
        if self.exhausted.is_some() || Instant::now() >= self.deadline {
            self.check_limits()?;
        }
        // SAFETY: `set_host`'s contract; the closure cannot reach this context.
        let host = unsafe { p.as_mut() };
        let result = f(host);
        // the call may have moved the deadline forward (it took the write lock) or used
        // it up (a nested run, a slow query): a run past it stops at its next check
        if let Some((d, why)) = host.deadline()
            && d < self.deadline
        {
            self.deadline = d;
            self.deadline_reason = why;
        }
        if Instant::now() >= self.deadline {
            self.fuel = 0;
        }
        result.map_err(|e| self.raise_host_error(e))
    }

    /// Time left before the run's deadline (zero once it has passed).
    pub fn time_left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Raises what a host reported.
    pub fn raise_host_error(&mut self, e: HostError) -> Raised {
        let frappe_class = exc::class_id(&format!("frappe.{}", e.exc_type));
        match frappe_class.or_else(|| exc::class_id(&e.exc_type)) {
            Some(id) if frappe_class.is_some() => {
                self.messages.push(Message {
                    message: e.message.clone(),
                    title: e.title.clone(),
                    indicator: Some("red".into()),
                    raise_exception: true,
                    as_table: false,
                    as_list: false,
                    alert: false,
                    primary_action: None,
                    is_minimizable: false,
                    wide: false,
                });
                let obj = exc::new(id, vec![pystr::new(e.message)]);
                if let (Some(x), Some(t)) = (exc::get(obj.v()), e.title) {
                    *x.title.borrow_mut() = Some(t);
                }
                self.raise(obj)
            }
            Some(id) => self.raise_new(id, e.message),
            None => self.raise_new(
                *exc::ids::VALIDATION_ERROR,
                format!("{}: {}", e.exc_type, e.message),
            ),
        }
    }

    // ------------------------------------------------------------------ exceptions

    /// Makes `exc` (an exception instance) the pending exception.
    pub fn raise(&mut self, e: Val) -> Raised {
        if let Some(obj) = exc::get(e.v()) {
            let mut lines = obj.lines.borrow_mut();
            if lines.is_empty() && self.line != 0 {
                lines.push(self.line);
            }
        }
        self.exc = Some(e);
        Raised
    }

    /// Raises a new exception of class `class` with one string argument.
    pub fn raise_new(&mut self, class: u32, message: impl Into<String>) -> Raised {
        let message: String = message.into();
        let args = if message.is_empty() {
            Vec::new()
        } else {
            vec![pystr::new(message)]
        };
        let e = exc::new(class, args);
        self.raise(e)
    }

    pub fn type_error(&mut self, message: impl Into<String>) -> Raised {
        self.raise_new(*exc::ids::TYPE_ERROR, message)
    }

    pub fn value_error(&mut self, message: impl Into<String>) -> Raised {
        self.raise_new(*exc::ids::VALUE_ERROR, message)
    }

    pub fn index_error(&mut self, message: impl Into<String>) -> Raised {
        self.raise_new(*exc::ids::INDEX_ERROR, message)
    }

    pub fn zero_division(&mut self, message: impl Into<String>) -> Raised {
        self.raise_new(*exc::ids::ZERO_DIVISION_ERROR, message)
    }

    pub fn attribute_error(&mut self, message: impl Into<String>) -> Raised {
        self.raise_new(*exc::ids::ATTRIBUTE_ERROR, message)
    }

    pub fn overflow_error(&mut self, message: impl Into<String>) -> Raised {
        self.raise_new(*exc::ids::OVERFLOW_ERROR, message)
    }

    pub fn memory_error(&mut self, message: impl Into<String>) -> Raised {
        self.raise_new(*exc::ids::MEMORY_ERROR, message)
    }

    /// `KeyError(key)`: its only argument is the key itself.
    pub fn key_error(&mut self, key: Val) -> Raised {
        let e = exc::new(*exc::ids::KEY_ERROR, vec![key]);
        self.raise(e)
    }

    pub fn has_exception(&self) -> bool {
        self.exc.is_some()
    }

    /// The pending exception, borrowed.
    pub fn pending(&self) -> Option<&Val> {
        self.exc.as_ref()
    }

    /// Takes the pending exception (it is then handled).
    pub fn take_exception(&mut self) -> Option<Val> {
        self.exc.take()
    }

    // ------------------------------------------------------------------ limits

    /// The slow half of the fuel check: clock and memory. Called by compiled code when
    /// `fuel` reaches zero, and by runtime functions doing work proportional to their
    /// input (`consume`).
    pub fn check_limits(&mut self) -> PyResult<()> {
        if self.exhausted.is_some() || Instant::now() >= self.deadline {
            self.exhausted = Some(Exhausted::Time);
            self.fuel = 0;
            let message = if self.deadline_reason.is_empty() {
                let secs = self.limits.time.as_secs_f64();
                format!("script exceeded its time limit of {secs} s")
            } else {
                format!("script {}", self.deadline_reason)
            };
            return Err(self.raise_new(*exc::ids::TIME_LIMIT_EXCEEDED, message));
        }
        let live = heap::live_bytes();
        if live > self.limits.memory {
            self.fuel = FUEL_SLICE;
            return Err(self.memory_error(format!(
                "script exceeded its memory limit of {} MiB",
                self.limits.memory >> 20
            )));
        }
        self.fuel = FUEL_SLICE;
        self.slices += 1;
        Ok(())
    }

    /// Charges `units` of work (roughly one per element touched) against the fuel.
    #[inline]
    pub fn consume(&mut self, units: usize) -> PyResult<()> {
        self.fuel -= units.min(i64::MAX as usize) as i64;
        if self.fuel <= 0 {
            self.check_limits()
        } else {
            Ok(())
        }
    }

    /// Once the run is over: a short, fresh budget (one fuel slice, 100 ms) for turning its
    /// uncaught exception into the error report's text. That is the host's work, not the
    /// script's — a run stopped by its time limit must still say why.
    pub fn grace_for_report(&mut self) {
        self.exhausted = None;
        self.fuel = FUEL_SLICE;
        self.deadline = Instant::now() + Duration::from_millis(100);
    }

    /// Charges work over `bytes` bytes of text (scanning, copying, comparing): one unit
    /// per 32 bytes, so a loop of builtins over a big string meets the time limit as
    /// promptly as a loop of cheap statements. Texts under 1 KiB cost one compare: the
    /// call itself (a back-edge or a call's unit) already pays for that little work.
    #[inline(always)]
    pub fn consume_bytes(&mut self, bytes: usize) -> PyResult<()> {
        if bytes >= 1024 {
            self.consume(bytes >> 5)
        } else {
            Ok(())
        }
    }

    /// Charges work over `n` items (copying, searching, comparing): one unit per item;
    /// under 256 items, one compare (as [`Ctx::consume_bytes`] for short texts).
    #[inline(always)]
    pub fn consume_items(&mut self, n: usize) -> PyResult<()> {
        if n >= 256 { self.consume(n) } else { Ok(()) }
    }

    /// Checks that allocating `bytes` more stays within the memory limit.
    #[inline]
    pub fn reserve(&mut self, bytes: usize) -> PyResult<()> {
        if heap::live_bytes().saturating_add(bytes) > self.limits.memory {
            return Err(self.over_memory());
        }
        Ok(())
    }

    #[cold]
    fn over_memory(&mut self) -> Raised {
        self.memory_error(format!(
            "script exceeded its memory limit of {} MiB",
            self.limits.memory >> 20
        ))
    }

    /// Checks a string about to be built.
    pub fn check_str_len(&mut self, bytes: usize) -> PyResult<()> {
        if bytes > self.limits.max_str {
            return Err(self.str_too_long(bytes));
        }
        self.reserve(bytes)
    }

    /// The MemoryError of a string of `bytes` bytes, past the string limit.
    #[cold]
    pub fn str_too_long(&mut self, bytes: usize) -> Raised {
        self.memory_error(format!(
            "string of {bytes} bytes exceeds the limit of {} MiB",
            self.limits.max_str >> 20
        ))
    }

    /// Checks a container about to hold `items` items.
    #[inline]
    pub fn check_items(&mut self, items: usize) -> PyResult<()> {
        if items > self.limits.max_items {
            return Err(self.too_many_items(items));
        }
        self.reserve(items.saturating_mul(8))
    }

    #[cold]
    fn too_many_items(&mut self, items: usize) -> Raised {
        self.memory_error(format!(
            "container of {items} items exceeds the limit of {} items",
            self.limits.max_items
        ))
    }

    /// Function entry: depth limit (compiled code increments `depth` itself only through
    /// this call).
    pub fn enter_call(&mut self) -> PyResult<()> {
        if self.depth >= self.limits.depth {
            return Err(self.raise_new(
                *exc::ids::RECURSION_ERROR,
                "maximum recursion depth exceeded",
            ));
        }
        self.depth += 1;
        self.fuel -= 1;
        if self.fuel <= 0
            && let Err(r) = self.check_limits()
        {
            self.depth -= 1;
            return Err(r);
        }
        Ok(())
    }

    pub fn leave_call(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ------------------------------------------------------------------ output

    /// Charges `bytes` of message text (`msgprint`, `throw`, `log_error`) against
    /// [`Limits::messages`], before the text is copied anywhere.
    pub fn charge_messages(&mut self, bytes: usize) -> PyResult<()> {
        let total = self.message_bytes.saturating_add(bytes);
        if total > self.limits.messages {
            return Err(self.memory_error(format!(
                "messages exceeded their limit of {} KiB ({total} bytes of message text \
                 in this run)",
                self.limits.messages >> 10
            )));
        }
        self.message_bytes = total;
        Ok(())
    }

    /// Appends one `print` entry to the debug log.
    pub fn log(&mut self, entry: String) -> PyResult<()> {
        let size = entry.len() + 1;
        if self.debug_log_bytes + size > self.limits.debug_log {
            return Err(self.memory_error(format!(
                "debug log exceeded its limit of {} KiB",
                self.limits.debug_log >> 10
            )));
        }
        self.debug_log_bytes += size;
        self.debug_log.push(entry);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limit_fires_and_keeps_firing() {
        let _scope = heap::RunScope::enter();
        let mut ctx = Ctx::new(
            ScriptType::Api,
            Limits {
                time: Duration::ZERO,
                ..Limits::default()
            },
        );
        assert!(ctx.check_limits().is_err());
        ctx.take_exception();
        assert!(
            ctx.check_limits().is_err(),
            "a spent time budget stays spent"
        );
    }

    #[test]
    fn depth_limit_raises_recursion_error() {
        let _scope = heap::RunScope::enter();
        let mut ctx = Ctx::new(
            ScriptType::Api,
            Limits {
                depth: 3,
                ..Limits::default()
            },
        );
        for _ in 0..3 {
            ctx.enter_call().unwrap();
        }
        assert!(ctx.enter_call().is_err());
        let e = ctx.take_exception().unwrap();
        assert_eq!(exc::get(e.v()).unwrap().class, *exc::ids::RECURSION_ERROR);
    }

    #[test]
    fn debug_log_is_bounded() {
        let _scope = heap::RunScope::enter();
        let mut ctx = Ctx::new(
            ScriptType::Api,
            Limits {
                debug_log: 100,
                ..Limits::default()
            },
        );
        assert!(ctx.log("x".repeat(50)).is_ok());
        assert!(ctx.log("x".repeat(60)).is_err());
        assert_eq!(ctx.debug_log.len(), 1);
    }
}
