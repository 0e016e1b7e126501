//! Functions defined by scripts (`def`, `lambda`) and bound methods of builtin values.

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

/// The entry point of a compiled function: arguments are bound to parameter slots by the
/// runtime before the call (`args` has exactly `Params::n_slots` values, borrowed). The
/// result is an owned reference, or NULL with an exception pending in the context.
pub type Entry =
    unsafe extern "C" fn(ctx: *mut crate::Ctx, func: Value, args: *const Value) -> Value;

/// Parameters of a compiled function, in slot order: positional (positional-only first),
/// keyword-only, then `*args` and `**kwargs` when present.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub names: Vec<Box<str>>,
    pub n_posonly: usize,
    /// Positional parameters, positional-only included.
    pub n_positional: usize,
    pub n_kwonly: usize,
    pub varargs: bool,
    pub varkw: bool,
}

impl Params {
    pub fn n_slots(&self) -> usize {
        self.n_positional + self.n_kwonly + self.varargs as usize + self.varkw as usize
    }
}

/// What the compiler produced for one function; lives as long as the compiled script.
pub struct Code {
    pub name: Box<str>,
    pub params: Params,
    pub entry: Entry,
    /// Line of the `def` / `lambda`.
    pub line: u32,
}

/// `#[repr(C)]`: compiled code reads `module` and `closure_ptr` at fixed offsets.
#[repr(C)]
pub struct FuncObj {
    /// The environment (globals, constants) of the script that defined the function.
    pub module: *const crate::ctx::ModuleEnv,
    /// First cell of `closure` (compiled code indexes it directly).
    pub closure_ptr: *const Value,
    /// Points into the compiled script, which the running context keeps alive.
    code: *const Code,
    /// Defaults of the last `defaults.len()` positional parameters.
    pub defaults: Box<[Val]>,
    /// Defaults of keyword-only parameters, by keyword-only index.
    pub kwdefaults: Box<[Option<Val>]>,
    /// Cells of the variables the function captures from enclosing functions.
    pub closure: Box<[Val]>,
}

impl Payload for FuncObj {
    const KIND: Kind = Kind::Function;
}

impl FuncObj {
    pub fn code(&self) -> &Code {
        // SAFETY: the compiled script owning the code outlives every run using it.
        unsafe { &*self.code }
    }
}

/// Offsets of `FuncObj` fields from the start of the heap object.
pub const FUNC_MODULE_OFFSET: i32 = 16;
pub const FUNC_CLOSURE_OFFSET: i32 = 24;

/// # Safety
/// `code` and `module` must outlive every run in which the function object is alive.
pub unsafe fn new(
    module: *const crate::ctx::ModuleEnv,
    code: *const Code,
    defaults: Vec<Val>,
    kwdefaults: Vec<Option<Val>>,
    closure: Vec<Val>,
) -> Val {
    let closure = closure.into_boxed_slice();
    heap::alloc(FuncObj {
        module,
        closure_ptr: closure.as_ptr() as *const Value,
        code,
        defaults: defaults.into_boxed_slice(),
        kwdefaults: kwdefaults.into_boxed_slice(),
        closure,
    })
}

pub fn get(v: Value) -> Option<&'static FuncObj> {
    heap::get::<FuncObj>(v)
}

/// `value.method` taken as a value (`f = s.split`); calling it calls the method.
pub struct BoundMethodObj {
    pub receiver: Val,
    /// Interned method name.
    pub name: Box<str>,
}

impl Payload for BoundMethodObj {
    const KIND: Kind = Kind::BoundMethod;
}

pub fn bound(receiver: Val, name: &str) -> Val {
    heap::alloc(BoundMethodObj {
        receiver,
        name: name.into(),
    })
}

pub fn get_bound(v: Value) -> Option<&'static BoundMethodObj> {
    heap::get::<BoundMethodObj>(v)
}
