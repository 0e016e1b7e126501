//! Code generation with Cranelift: one JIT module per script version, one native
//! function per script function (the module body is function 0).
//!
//! [`compile`] declares every runtime entry point of `runtime::abi::ABI` as an import,
//! translates each HIR function with a [`FunctionTranslator`](func::Tr), finalizes, and
//! returns an [`Artifact`] that owns the machine code (freed when the artifact is
//! dropped) and the runtime `Code` records the code points to.

mod call;
mod compr;
mod expr;
mod func;
mod stmt;

use std::collections::HashMap;
use std::sync::LazyLock;

use cranelift_codegen::ir::{AbiParam, Signature, types};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{FuncId, Linkage, Module};
use serverscript_runtime::abi::{ABI, Ty};
use serverscript_runtime::object::func::{Code, Entry, Params};

use crate::hir;

/// How much work code generation does.
///
/// Scripts start in the **quick** tier: no inline fast paths, locals in a stack array,
/// no IR optimisation, single-pass register allocation — ready in about a millisecond
/// for a 50-line script. A script that runs again, or loops for long, is recompiled in
/// the background in the **optimized** tier (inline small-int arithmetic and
/// comparisons, inline reference counting, SSA locals, Cranelift's optimiser and
/// backtracking register allocator), several times faster on loops. Both tiers run the
/// same HIR and produce the same results; the tests run both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Quick,
    Optimized,
}

fn build_isa(tier: Tier) -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let (opt, regalloc) = match tier {
        Tier::Quick => ("none", "single_pass"),
        Tier::Optimized => ("speed", "backtracking"),
    };
    flags.set("opt_level", opt).map_err(|e| e.to_string())?;
    flags
        .set("regalloc_algorithm", regalloc)
        .map_err(|e| e.to_string())?;
    flags
        .set("use_colocated_libcalls", "false")
        .map_err(|e| e.to_string())?;
    flags.set("is_pic", "false").map_err(|e| e.to_string())?;
    // the IR verifier costs a large share of compile time; debug builds keep it on
    let verify = if cfg!(debug_assertions) {
        "true"
    } else {
        "false"
    };
    flags
        .set("enable_verifier", verify)
        .map_err(|e| e.to_string())?;
    let isa = cranelift_native::builder().map_err(|e| e.to_string())?;
    isa.finish(settings::Flags::new(flags))
        .map_err(|e| e.to_string())
}

/// The host ISAs, built once (building one takes longer than compiling a small script).
static ISA_QUICK: LazyLock<Result<OwnedTargetIsa, String>> =
    LazyLock::new(|| build_isa(Tier::Quick));
static ISA_OPTIMIZED: LazyLock<Result<OwnedTargetIsa, String>> =
    LazyLock::new(|| build_isa(Tier::Optimized));

/// Machine code for one script version, and the records runtime function objects point
/// to. `Send + Sync`: the code is immutable once finalized.
pub struct Artifact {
    /// The JIT modules holding the code (one per tier used: an optimized artifact keeps
    /// oversized functions in quick-tier code).
    modules: Vec<JITModule>,
    /// One per HIR function; `codes[0]` is the module body. Boxed so addresses are
    /// stable (compiled code embeds them).
    pub codes: Box<[Code]>,
    pub consts: Vec<hir::Const>,
    pub global_names: Vec<String>,
    pub implicit_globals: Vec<(String, u32)>,
    /// Functions of an optimized compile that were too large and got quick-tier code.
    pub quick_fallbacks: usize,
}

// SAFETY: after finalization the JIT modules are only touched by `Drop` (exclusive
// access); `Code` holds plain data and function pointers to immutable code.
unsafe impl Send for Artifact {}
unsafe impl Sync for Artifact {}

impl Drop for Artifact {
    fn drop(&mut self) {
        for m in self.modules.drain(..) {
            // SAFETY: no run can be using this code any more: every run holds an Arc of
            // the compiled script that owns this artifact.
            unsafe { m.free_memory() };
        }
    }
}

/// A placeholder entry until the real code is finalized (never called).
unsafe extern "C" fn unlinked(
    _ctx: *mut serverscript_runtime::Ctx,
    _f: serverscript_runtime::Value,
    _a: *const serverscript_runtime::Value,
) -> serverscript_runtime::Value {
    serverscript_runtime::Value::NULL
}

pub(crate) fn sig(module: &JITModule, params: &[Ty], ret: Option<Ty>) -> Signature {
    let mut s = module.make_signature();
    let ty = |t: &Ty| match t {
        Ty::I64 => types::I64,
        Ty::I32 => types::I32,
    };
    s.params.extend(params.iter().map(|t| AbiParam::new(ty(t))));
    if let Some(r) = ret {
        s.returns.push(AbiParam::new(ty(&r)));
    }
    s
}

/// Blocks above which a function is not worth the optimizing tier: its register
/// allocator grows faster than linearly (a generated 2 800-line script took 15 s), so a
/// function this large keeps quick-tier code inside an optimized artifact.
pub(crate) const OPTIMIZE_MAX_BLOCKS: usize = 4_000;

/// One JIT module for one tier's settings, with the runtime entry points declared.
struct Unit {
    module: JITModule,
    imports: HashMap<&'static str, FuncId>,
    fn_sig: Signature,
}

impl Unit {
    fn new(tier: Tier) -> Result<Unit, String> {
        let isa = match tier {
            Tier::Quick => &*ISA_QUICK,
            Tier::Optimized => &*ISA_OPTIMIZED,
        };
        let isa = isa
            .as_ref()
            .map_err(|e| format!("no native code generator for this machine: {e}"))?
            .clone();
        let mut builder = JITBuilder::with_isa(isa, cranelift_module::default_libcall_names());
        for f in ABI {
            builder.symbol(f.name, f.ptr);
        }
        let mut module = JITModule::new(builder);
        let mut imports: HashMap<&'static str, FuncId> = HashMap::new();
        for f in ABI {
            let s = sig(&module, f.params, f.ret);
            let id = module
                .declare_function(f.name, Linkage::Import, &s)
                .map_err(|e| e.to_string())?;
            imports.insert(f.name, id);
        }
        let fn_sig = sig(&module, &[Ty::I64, Ty::I64, Ty::I64], Some(Ty::I64));
        Ok(Unit {
            module,
            imports,
            fn_sig,
        })
    }
}

/// Compiles a lowered module to native code.
pub fn compile(m: &hir::Module, tier: Tier) -> Result<Artifact, String> {
    // Code records first: compiled code embeds their addresses (for `def`).
    let mut codes: Box<[Code]> = m
        .functions
        .iter()
        .map(|f| Code {
            name: f.name.as_str().into(),
            params: f.params.clone(),
            entry: unlinked,
            line: f.line,
        })
        .collect();

    // units[0] is the requested tier; units[1] the quick fallback for oversized
    // functions of an optimized compile (made when first needed)
    let mut units: Vec<(Tier, Unit)> = vec![(tier, Unit::new(tier)?)];
    let mut placed: Vec<(usize, FuncId)> = Vec::with_capacity(m.functions.len());
    let mut fctx = FunctionBuilderContext::new();
    // `SERVERSCRIPT_DUMP_CODE=1` prints each function's IR and machine code to stderr
    // (a debugging aid for codegen work; read once per compile, cheap).
    let dump = std::env::var_os("SERVERSCRIPT_DUMP_CODE").is_some();
    for (i, f) in m.functions.iter().enumerate() {
        let mut u = 0;
        let mut ctx = units[u].1.module.make_context();
        loop {
            let (t, unit) = &mut units[u];
            ctx.set_disasm(dump);
            ctx.func.signature = unit.fn_sig.clone();
            let done = func::translate(
                &mut unit.module,
                &unit.imports,
                &mut ctx.func,
                &mut fctx,
                f,
                &m.consts,
                codes.as_ptr(),
                *t == Tier::Optimized,
            )?;
            if !done {
                unit.module.clear_context(&mut ctx);
                fctx = FunctionBuilderContext::new();
                if units.len() == 1 {
                    units.push((Tier::Quick, Unit::new(Tier::Quick)?));
                }
                u = 1;
                continue;
            }
            break;
        }
        let unit = &mut units[u].1;
        let id = unit
            .module
            .declare_function(&format!("script_fn_{i}"), Linkage::Local, &unit.fn_sig)
            .map_err(|e| e.to_string())?;
        unit.module
            .define_function(id, &mut ctx)
            .map_err(|e| format!("code generation failed for {}: {e:?}", f.name))?;
        if dump {
            eprintln!(
                "; ---- {} (script_fn_{i}, {:?} tier)\n{}",
                f.name,
                units[u].0,
                ctx.func.display()
            );
            if let Some(code) = ctx.compiled_code().and_then(|c| c.vcode.as_ref()) {
                eprintln!("; ---- machine code\n{code}");
            }
        }
        units[u].1.module.clear_context(&mut ctx);
        placed.push((u, id));
    }
    for (_, unit) in units.iter_mut() {
        unit.module
            .finalize_definitions()
            .map_err(|e| e.to_string())?;
    }
    for (i, (u, id)) in placed.iter().copied().enumerate() {
        let ptr = units[u].1.module.get_finalized_function(id);
        // SAFETY: the function was defined with the `Entry` signature.
        codes[i].entry = unsafe { std::mem::transmute::<*const u8, Entry>(ptr) };
    }
    let quick_fallbacks = if tier == Tier::Optimized {
        placed.iter().filter(|(u, _)| *u == 1).count()
    } else {
        0
    };
    Ok(Artifact {
        quick_fallbacks,
        modules: units.into_iter().map(|(_, u)| u.module).collect(),
        codes,
        consts: m.consts.clone(),
        global_names: m.global_names.clone(),
        implicit_globals: m.implicit_globals.clone(),
    })
}

/// The parameters record of a function (tests and diagnostics).
pub fn params_of(a: &Artifact, i: usize) -> &Params {
    &a.codes[i].params
}
