//! Compiled scripts and running them: inputs (document, form_dict, user, limits) in,
//! the result, debug log, messages and any error out — all as owned data, so nothing
//! of the run's heap escapes it.

use std::sync::Arc;

use serde::Serialize;
use serverscript_runtime::ctx::{Ctx, Limits, Message, ModuleEnv};
use serverscript_runtime::heap::RunScope;
use serverscript_runtime::host::Host;
use serverscript_runtime::object::{exc, float, func, int, str as pystr, tuple};
use serverscript_runtime::ops::convert::{self, JsonObjects};
use serverscript_runtime::ops::repr;
use serverscript_runtime::surface::ScriptType;
use serverscript_runtime::{Val, Value};

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crate::codegen::{self, Artifact, Tier};
use crate::diagnostic::Diagnostic;
use crate::hir;
use crate::hir::Const;

/// One compiled script version: native code plus what the runner needs. `Send + Sync`;
/// share it with `Arc` and run it from any number of threads at once.
///
/// It starts with the code of the tier it was compiled in (see [`Tier`]); a quick-tier
/// script that runs a second time, or loops for long, gets optimized code compiled on a
/// background thread, and runs that from then on.
pub struct CompiledScript {
    pub name: String,
    pub script_type: ScriptType,
    /// Warnings found while compiling (errors prevent compilation).
    pub warnings: Vec<Diagnostic>,
    pub(crate) first: Artifact,
    pub(crate) first_tier: Tier,
    optimized: OnceLock<Artifact>,
    /// The lowered script, kept for the optimizing recompile.
    module: hir::Module,
    /// Stack the code generator needs for this script (see `with_stack_for`).
    source_len: usize,
    runs: AtomicU32,
    optimizing: AtomicBool,
}

/// Runs after which a quick-tier script is optimized.
const TIER_UP_RUNS: u32 = 2;

/// What a run starts from.
#[derive(Debug, Clone, Default)]
pub struct RunInput {
    /// `doc` for DocType Event scripts (a document as JSON, child tables as arrays).
    pub doc: Option<serde_json::Value>,
    /// `frappe.form_dict`.
    pub form_dict: serde_json::Map<String, serde_json::Value>,
    /// The session user (`frappe.session.user`); Administrator when empty.
    pub user: String,
    pub limits: Limits,
    /// The stored version of `doc` (DocType Event scripts on existing documents):
    /// `doc.get_doc_before_save()` and `doc.has_value_changed()` compare with it.
    pub doc_before_save: Option<serde_json::Value>,
    /// The site's system settings; `None` = the defaults (UTC, `yyyy-mm-dd`…).
    pub settings: Option<Arc<serverscript_runtime::settings::SiteSettings>>,
    /// `frappe.request` for API scripts serving an HTTP request.
    pub request: Option<Arc<serverscript_runtime::ctx::RequestInfo>>,
}

/// An uncaught exception.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScriptError {
    /// Class name (`ValidationError`, `KeyError`).
    #[serde(rename = "type")]
    pub exc_type: String,
    /// Name as a traceback prints it (`frappe.exceptions.ValidationError`).
    #[serde(skip)]
    pub qualified_type: String,
    /// `str(e)`.
    pub message: String,
    /// The script line where it was raised.
    pub line: Option<u32>,
    /// Lines it passed through, innermost first.
    #[serde(skip)]
    pub lines: Vec<u32>,
    /// The status Frappe answers with (417 for ValidationError…).
    #[serde(skip)]
    pub http_status: u16,
    /// `frappe.throw(..., title=…)`.
    #[serde(skip)]
    pub title: Option<String>,
}

impl ScriptError {
    /// `frappe.exceptions.ValidationError: Not allowed` (Frappe's `exception` key).
    pub fn exception_line(&self) -> String {
        if self.message.is_empty() {
            self.qualified_type.clone()
        } else {
            format!("{}: {}", self.qualified_type, self.message)
        }
    }

    /// A Python-style traceback naming the script's lines.
    pub fn traceback(&self, script: &str) -> String {
        let mut s = String::from("Traceback (most recent call last):\n");
        for line in self.lines.iter().rev() {
            s.push_str(&format!("  File \"{script}\", line {line}\n"));
        }
        s.push_str(&self.exception_line());
        s
    }
}

#[derive(Debug, Clone, Default)]
pub struct RunOutput {
    /// The document after the run (DocType Event scripts).
    pub doc: Option<serde_json::Value>,
    /// `frappe.response` after the run, with Frappe's flags rule applied to `message`.
    pub response: serde_json::Map<String, serde_json::Value>,
    /// `conditions` after a Permission Query script.
    pub conditions: Option<String>,
    pub debug_log: Vec<String>,
    pub messages: Vec<Message>,
    pub error: Option<ScriptError>,
}

impl RunOutput {
    /// `{"doc": …}` for DocType Event scripts, else `{"message": …}` (or `{}`) — the
    /// shape of the shared workloads' expected results.
    pub fn result(&self, script_type: ScriptType) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        if script_type == ScriptType::DocEvent {
            out.insert(
                "doc".into(),
                self.doc.clone().unwrap_or(serde_json::Value::Null),
            );
        } else if let Some(m) = self.response.get("message") {
            out.insert("message".into(), m.clone());
        }
        serde_json::Value::Object(out)
    }
    /// [`result`](Self::result), moving the data instead of copying it.
    pub fn into_result(mut self, script_type: ScriptType) -> serde_json::Value {
        let mut out = serde_json::Map::new();
        if script_type == ScriptType::DocEvent {
            out.insert(
                "doc".into(),
                self.doc.take().unwrap_or(serde_json::Value::Null),
            );
        } else if let Some(m) = self.response.remove("message") {
            out.insert("message".into(), m);
        }
        serde_json::Value::Object(out)
    }
}

/// A document of the run's input, read in place (fields convert when the script reads
/// them).
fn input_document(j: &serde_json::Value) -> Val {
    match j {
        // SAFETY: the input is borrowed for the whole run, and every object of the run
        // is freed before the run returns (`RunScope`).
        serde_json::Value::Object(map) => unsafe {
            serverscript_runtime::object::doc::from_json_borrowed(map)
        },
        other => convert::from_json(other, JsonObjects::Document),
    }
}

fn build_const(c: &Const) -> Val {
    match c {
        Const::Str(s) => pystr::new(s.as_str()),
        Const::Int(i) => int::from_big(i.clone()),
        Const::Float(f) => float::new(*f),
        Const::Names(names) => tuple::new(names.iter().map(|n| pystr::new(n.as_str())).collect()),
    }
}

/// Stack reserved for a run: compiled frames and the runtime's bounded recursion (repr,
/// comparisons, JSON) fit with room to spare.
const RUN_STACK: usize = 16 << 20;

impl CompiledScript {
    /// Runs the script without a site: names that need one (`frappe.get_doc`,
    /// `frappe.db.*`…) raise NotImplementedError. Never panics on script behaviour;
    /// every failure is in `error`.
    pub fn run(self: &Arc<Self>, input: &RunInput) -> RunOutput {
        self.run_in(input, None)
    }

    /// Runs the script in a site: documents, queries, mail and other scripts go to
    /// `host` (which may run other scripts on this thread meanwhile — runs nest).
    pub fn run_in(self: &Arc<Self>, input: &RunInput, host: Option<&mut dyn Host>) -> RunOutput {
        stacker::maybe_grow(RUN_STACK / 4, RUN_STACK, || self.run_here(input, host))
    }

    fn run_here(self: &Arc<Self>, input: &RunInput, host: Option<&mut dyn Host>) -> RunOutput {
        // Declared first, dropped last: the sweep frees whatever the run left behind
        // after every owned value below has been released.
        let _scope = RunScope::enter();
        let mut ctx = Ctx::new(self.script_type, input.limits.clone());
        if let Some(h) = host {
            // SAFETY: `ctx` is dropped at the end of this function, while `host` is
            // borrowed for all of it; nothing else uses `host` meanwhile.
            unsafe { ctx.set_host(h) };
        }
        if !input.user.is_empty() {
            ctx.user = input.user.clone();
        }
        if let Some(s) = &input.settings {
            ctx.settings = s.clone();
        }
        ctx.request = input.request.clone();
        ctx.form_dict = convert::from_json_map(&input.form_dict, JsonObjects::AttrDict);
        let doc = input.doc.as_ref().map(input_document);
        ctx.doc = doc.clone();
        ctx.doc_before_save = input.doc_before_save.as_ref().map(input_document);

        let a = self.code();
        let consts = a.consts.iter().map(build_const).collect();
        let mut env = ModuleEnv::new(a.global_names.len(), consts);
        for (name, slot) in &a.implicit_globals {
            let v = match name.as_str() {
                "doc" => doc.clone().unwrap_or(Val::NONE),
                "user" => pystr::new(ctx.user.as_str()),
                "conditions" => pystr::new(""),
                _ => continue,
            };
            env.set_global(*slot as usize, v);
        }
        ctx.modules.push(env);
        let env_ptr: *const ModuleEnv = &**ctx.modules.last().expect("module env");
        // SAFETY: the code and the environment outlive the run (self is borrowed for
        // its whole duration; the env lives in ctx).
        let main = unsafe { func::new(env_ptr, &a.codes[0], Vec::new(), Vec::new(), Vec::new()) };
        // SAFETY: codes[0] is the compiled module body, taking no arguments.
        let raw = unsafe { (a.codes[0].entry)(&mut ctx, main.v(), std::ptr::null()) };
        if !raw.is_null() {
            // SAFETY: a non-NULL result is an owned reference.
            drop(unsafe { Val::from_raw(raw) });
        }
        drop(main);

        let looped = ctx.slices > 0;
        let error = ctx.take_exception().map(|e| script_error(&mut ctx, e.v()));
        let mut out = RunOutput {
            error,
            ..RunOutput::default()
        };
        self.collect(&mut ctx, doc.as_ref(), &mut out);
        out.debug_log = std::mem::take(&mut ctx.debug_log);
        out.messages = std::mem::take(&mut ctx.messages);
        let runs = self.runs.fetch_add(1, Ordering::Relaxed) + 1;
        if looped || runs >= TIER_UP_RUNS {
            self.optimize_in_background();
        }
        out
    }

    /// The code runs use: the optimized tier once it exists.
    fn code(&self) -> &Artifact {
        self.optimized.get().unwrap_or(&self.first)
    }

    /// Functions whose optimized code is quick-tier code because they are too large to
    /// be worth optimizing (see `codegen::OPTIMIZE_MAX_BLOCKS`).
    pub fn quick_fallbacks(&self) -> usize {
        self.code().quick_fallbacks
    }

    /// The tier the script was compiled in.
    pub fn first_tier(&self) -> Tier {
        self.first_tier
    }

    /// The tier runs use now.
    pub fn tier(&self) -> Tier {
        if self.optimized.get().is_some() {
            Tier::Optimized
        } else {
            self.first_tier
        }
    }

    /// Compiles the optimized tier now, on this thread (no-op when it exists). The
    /// benchmarks call it to measure steady state; servers let it happen in the
    /// background.
    pub fn optimize_now(&self) {
        if self.first_tier == Tier::Optimized || self.optimized.get().is_some() {
            return;
        }
        let need = (256 << 10) + self.source_len.saturating_mul(128);
        let artifact = stacker::maybe_grow(need, need, || {
            codegen::compile(&self.module, Tier::Optimized)
        });
        match artifact {
            Ok(a) => {
                let _ = self.optimized.set(a);
            }
            // the quick code keeps working; a failure here is a compiler bug
            Err(e) => debug_assert!(false, "optimizing {} failed: {e}", self.name),
        }
    }

    fn optimize_in_background(self: &Arc<Self>) {
        if self.first_tier == Tier::Optimized
            || self.optimized.get().is_some()
            || self.optimizing.swap(true, Ordering::AcqRel)
        {
            return;
        }
        let me = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("serverscript-optimize".into())
            .spawn(move || me.optimize_now());
        if spawned.is_err() {
            // no thread to spare: try again after a later run
            self.optimizing.store(false, Ordering::Release);
        }
    }

    pub(crate) fn new(
        name: &str,
        script_type: ScriptType,
        warnings: Vec<Diagnostic>,
        first: Artifact,
        first_tier: Tier,
        module: hir::Module,
        source_len: usize,
    ) -> CompiledScript {
        CompiledScript {
            name: name.to_string(),
            script_type,
            warnings,
            first,
            first_tier,
            optimized: OnceLock::new(),
            module,
            source_len,
            runs: AtomicU32::new(0),
            optimizing: AtomicBool::new(false),
        }
    }

    fn collect(&self, ctx: &mut Ctx, doc: Option<&Val>, out: &mut RunOutput) {
        if let Some(d) = doc {
            out.doc = json_or_error(ctx, d.v(), out);
        }
        let response = ctx.response.clone();
        if let Some(serde_json::Value::Object(map)) = json_or_error(ctx, response.v(), out) {
            out.response = map;
        }
        // Frappe's API rule: a flags object that is not `{}` (filled, or rebound to
        // anything else) replaces `message`.
        if self.script_type == ScriptType::Api
            && !serverscript_runtime::builtins::flags_are_empty(ctx)
        {
            let flags = ctx.flags.clone();
            let empty_dict =
                serverscript_runtime::object::dict::get(flags.v()).is_some_and(|d| d.is_empty());
            if !empty_dict && let Some(j) = json_or_error(ctx, flags.v(), out) {
                out.response.insert("message".into(), j);
            }
        }
        if self.script_type == ScriptType::PermissionQuery
            && let Some((_, slot)) = self
                .code()
                .implicit_globals
                .iter()
                .find(|(n, _)| n == "conditions")
        {
            let v = ctx.modules[0].global(*slot as usize);
            if !v.is_null() && serverscript_runtime::ops::truthy(v) {
                out.conditions = repr::to_str(ctx, v).ok();
            }
        }
    }
}

/// Converts a result to JSON; a value JSON cannot hold becomes the run's error (when the
/// script itself did not fail).
fn json_or_error(ctx: &mut Ctx, v: Value, out: &mut RunOutput) -> Option<serde_json::Value> {
    match convert::to_json(ctx, v) {
        Ok(j) => Some(j),
        Err(_) => {
            if let Some(e) = ctx.take_exception()
                && out.error.is_none()
            {
                out.error = Some(script_error(ctx, e.v()));
            }
            None
        }
    }
}

fn script_error(ctx: &mut Ctx, e: Value) -> ScriptError {
    let Some(obj) = exc::get(e) else {
        return ScriptError {
            exc_type: "SystemError".into(),
            qualified_type: "SystemError".into(),
            message: "a non-exception was raised".into(),
            line: None,
            lines: Vec::new(),
            http_status: 500,
            title: None,
        };
    };
    ctx.grace_for_report();
    let message = repr::exc_str(ctx, obj).unwrap_or_else(|_| {
        ctx.take_exception();
        String::new()
    });
    let lines = obj.lines.borrow().clone();
    ScriptError {
        exc_type: exc::class(obj.class).name.to_string(),
        qualified_type: exc::qualified_name(obj.class),
        message,
        line: lines.first().copied(),
        lines,
        http_status: exc::http_status(obj.class),
        title: obj.title.borrow().clone(),
    }
}
