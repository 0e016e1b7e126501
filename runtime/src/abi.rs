//! The entry points compiled code calls, and their table ([`ABI`]) from which the JIT
//! declares its imports.
//!
//! Conventions (all `extern "C"`):
//! - `ctx` first; value arguments are *borrowed*; a returned value is *owned*.
//! - A returned value of NULL (0) means "an exception is pending in the context".
//! - Functions answering a question return `i32`: 1 true / 0 false / -1 exception;
//!   functions with no result return `i32` 0, or -1 on exception.
//! - [`STOP`] is returned by `ss_iter_next` when the iterator is exhausted.
//! - A Rust panic inside the runtime (a bug) never crosses into compiled code: it becomes
//!   a Python `SystemError` and the worker survives.
//!
//! # Safety
//! Every entry point has the same contract, stated once here: `ctx` is the live context
//! of the running script; value arguments are valid values the caller keeps alive for the
//! duration of the call; pointer arguments point to the stated number of values.
#![allow(clippy::missing_safety_doc)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::ctx::{Ctx, PyResult, Raised};
use crate::heap;
use crate::object::func::{self, Code};
use crate::object::{cell, dict, exc, list, set, str as pystr, tuple};
use crate::ops::arith::{BinOp, UnaryOp};
use crate::ops::compare::{CmpOp, hkey};
use crate::ops::{self, call::Kwargs};
use crate::value::{StaticKind, Val, Value};

/// `ss_iter_next`'s "no more items" (tag 0b110, never a valid value).
pub const STOP: Value = Value(0x06);

fn panic_to_exception(ctx: &mut Ctx, what: &str) {
    ctx.raise_new(
        *exc::ids::SYSTEM_ERROR,
        format!("internal error in the runtime ({what}); the script was stopped"),
    );
}

#[inline]
fn value_result(ctx: &mut Ctx, what: &str, f: impl FnOnce(&mut Ctx) -> PyResult) -> Value {
    match catch_unwind(AssertUnwindSafe(|| f(ctx))) {
        Ok(Ok(v)) => v.into_raw(),
        Ok(Err(Raised)) => Value::NULL,
        Err(_) => {
            panic_to_exception(ctx, what);
            Value::NULL
        }
    }
}

#[inline]
fn status_result(ctx: &mut Ctx, what: &str, f: impl FnOnce(&mut Ctx) -> PyResult<i32>) -> i32 {
    match catch_unwind(AssertUnwindSafe(|| f(ctx))) {
        Ok(Ok(v)) => v,
        Ok(Err(Raised)) => -1,
        Err(_) => {
            panic_to_exception(ctx, what);
            -1
        }
    }
}

/// Dereferences the context pointer (see the module's safety contract).
macro_rules! ctx {
    ($p:expr) => {
        unsafe { &mut *$p }
    };
}

unsafe fn slice<'a>(ptr: *const Value, n: usize) -> &'a [Value] {
    if n == 0 {
        &[]
    } else {
        unsafe { std::slice::from_raw_parts(ptr, n) }
    }
}

/// Splits call arguments: `n` values, the last `len(kwnames)` of them keyword values.
fn split_args(args: &[Value], kwnames: Value) -> (&[Value], Vec<(&'static str, Value)>) {
    match tuple::get(kwnames) {
        Some(names) if !names.is_empty() => {
            let npos = args.len() - names.len();
            let kw = names
                .iter()
                .zip(&args[npos..])
                .map(|(n, v)| (pystr::as_str(n.v()).unwrap_or(""), *v))
                .collect();
            (&args[..npos], kw)
        }
        _ => (args, Vec::new()),
    }
}

// ------------------------------------------------------------------ refcounts, limits

pub extern "C" fn ss_release(v: Value) {
    heap::release_value(v);
}

pub extern "C" fn ss_decref(v: Value) {
    heap::decref(v);
}

pub extern "C" fn ss_incref(v: Value) {
    heap::incref(v);
}

/// Releases `n` variables of a compiled frame (quick tier exits).
pub unsafe extern "C" fn ss_release_frame(p: *const Value, n: usize) {
    // SAFETY: compiled code passes its frame array and its length.
    let vars = unsafe { std::slice::from_raw_parts(p, n) };
    for v in vars {
        heap::decref(*v);
    }
}

pub unsafe extern "C" fn ss_fuel(ctx: *mut Ctx) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "limits", |ctx| ctx.check_limits().map(|_| 0))
}

pub unsafe extern "C" fn ss_enter(ctx: *mut Ctx) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "call", |ctx| {
        if stack_low() {
            return Err(ctx.raise_new(
                *exc::ids::RECURSION_ERROR,
                "maximum recursion depth exceeded (native stack)",
            ));
        }
        ctx.enter_call().map(|_| 0)
    })
}

pub unsafe extern "C" fn ss_leave(ctx: *mut Ctx) {
    ctx!(ctx).leave_call();
}

/// Whether less than 256 KiB of native stack remain (deep recursion through builtins
/// such as `sorted(key=…)` is bounded by this as well as by the depth limit).
fn stack_low() -> bool {
    stacker::remaining_stack().is_some_and(|r| r < 256 << 10)
}

// ------------------------------------------------------------------ names and constants

pub unsafe extern "C" fn ss_name_error(ctx: *mut Ctx, name: Value) -> Value {
    let ctx = ctx!(ctx);
    let n = pystr::as_str(name).unwrap_or("?");
    ctx.raise_new(*exc::ids::NAME_ERROR, format!("name '{n}' is not defined"));
    Value::NULL
}

pub unsafe extern "C" fn ss_unbound_local(ctx: *mut Ctx, name: Value) -> Value {
    let ctx = ctx!(ctx);
    let n = pystr::as_str(name).unwrap_or("?");
    ctx.raise_new(
        *exc::ids::UNBOUND_LOCAL_ERROR,
        format!("cannot access local variable '{n}' where it is not associated with a value"),
    );
    Value::NULL
}

/// A sandbox name that needs the context (`frappe.response`, `frappe.flags`…) or does
/// not exist in this build (`NotImplementedError`).
pub unsafe extern "C" fn ss_surface(ctx: *mut Ctx, path: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "surface", |ctx| {
        let p = pystr::as_str(path).unwrap_or("");
        match crate::builtins::surface_value(ctx, p)? {
            Some(v) => Ok(v),
            None => Err(ctx.raise_new(
                *exc::ids::NOT_IMPLEMENTED_ERROR,
                format!("{p} is not available in serverscript yet"),
            )),
        }
    })
}

// ------------------------------------------------------------------ operators

pub unsafe extern "C" fn ss_binary(ctx: *mut Ctx, op: u32, a: Value, b: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "binary op", |ctx| {
        ops::arith::binary(ctx, BinOp::from_u8(op as u8), a, b)
    })
}

pub unsafe extern "C" fn ss_inplace(ctx: *mut Ctx, op: u32, a: Value, b: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "inplace op", |ctx| {
        ops::arith::inplace(ctx, BinOp::from_u8(op as u8), a, b)
    })
}

pub unsafe extern "C" fn ss_unary(ctx: *mut Ctx, op: u32, a: Value) -> Value {
    let ctx = ctx!(ctx);
    let op = match op {
        0 => UnaryOp::Neg,
        1 => UnaryOp::Pos,
        _ => UnaryOp::Invert,
    };
    value_result(ctx, "unary op", |ctx| ops::arith::unary(ctx, op, a))
}

pub unsafe extern "C" fn ss_compare(ctx: *mut Ctx, op: u32, a: Value, b: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "compare", |ctx| {
        ops::compare::compare(ctx, CmpOp::from_u8(op as u8), a, b).map(i32::from)
    })
}

pub unsafe extern "C" fn ss_contains(ctx: *mut Ctx, container: Value, item: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "in", |ctx| {
        ops::compare::contains(ctx, container, item).map(i32::from)
    })
}

pub extern "C" fn ss_truthy(v: Value) -> i32 {
    ops::truthy(v) as i32
}

// ------------------------------------------------------------------ attributes, items

pub unsafe extern "C" fn ss_getattr(ctx: *mut Ctx, obj: Value, name: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "getattr", |ctx| {
        ops::attr::getattr(ctx, obj, pystr::as_str(name).unwrap_or(""))
    })
}

pub unsafe extern "C" fn ss_setattr(ctx: *mut Ctx, obj: Value, name: Value, v: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "setattr", |ctx| {
        ops::attr::setattr(ctx, obj, pystr::as_str(name).unwrap_or(""), v).map(|_| 0)
    })
}

pub unsafe extern "C" fn ss_delattr(ctx: *mut Ctx, obj: Value, name: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "delattr", |ctx| {
        ops::attr::delattr(ctx, obj, pystr::as_str(name).unwrap_or("")).map(|_| 0)
    })
}

pub unsafe extern "C" fn ss_getitem(ctx: *mut Ctx, obj: Value, key: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "getitem", |ctx| ops::subscript::getitem(ctx, obj, key))
}

pub unsafe extern "C" fn ss_setitem(ctx: *mut Ctx, obj: Value, key: Value, v: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "setitem", |ctx| {
        ops::subscript::setitem(ctx, obj, key, v).map(|_| 0)
    })
}

pub unsafe extern "C" fn ss_delitem(ctx: *mut Ctx, obj: Value, key: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "delitem", |ctx| {
        ops::subscript::delitem(ctx, obj, key).map(|_| 0)
    })
}

pub unsafe extern "C" fn ss_slice(ctx: *mut Ctx, lo: Value, hi: Value, step: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "slice", |_| {
        Ok(ops::subscript::make_slice(lo, hi, step))
    })
}

// ------------------------------------------------------------------ calls

pub unsafe extern "C" fn ss_call(
    ctx: *mut Ctx,
    callee: Value,
    args: *const Value,
    n: u64,
    kwnames: Value,
) -> Value {
    let ctx = ctx!(ctx);
    let args = unsafe { slice(args, n as usize) };
    value_result(ctx, "call", |ctx| {
        let (pos, kw) = split_args(args, kwnames);
        ops::call::call(ctx, callee, pos, &kw as &Kwargs)
    })
}

pub unsafe extern "C" fn ss_call_method(
    ctx: *mut Ctx,
    obj: Value,
    name: Value,
    args: *const Value,
    n: u64,
    kwnames: Value,
    kinds: u64,
) -> Value {
    let ctx = ctx!(ctx);
    let args = unsafe { slice(args, n as usize) };
    // bits 16..32: the call site's fast entry (`methods::fast`), set only for sites
    // with positional arguments alone
    let fast = (kinds >> 16) as u16;
    if fast != 0
        && let Some(f) = crate::methods::fast::entry_for(fast, obj)
    {
        return value_result(ctx, "method call", |ctx| f(ctx, obj, args));
    }
    call_method_general(ctx, obj, name, args, kwnames, kinds)
}

/// [`ss_call_method`] without a fast entry for its receiver (kept out of line so the
/// fast entries' path stays short).
#[inline(never)]
fn call_method_general(
    ctx: &mut Ctx,
    obj: Value,
    name: Value,
    args: &[Value],
    kwnames: Value,
    kinds: u64,
) -> Value {
    value_result(ctx, "method call", |ctx| {
        let (pos, kw) = split_args(args, kwnames);
        crate::methods::call_method_of(
            ctx,
            obj,
            pystr::as_str(name).unwrap_or(""),
            kinds as u16,
            pos,
            &kw as &Kwargs,
        )
    })
}

pub unsafe extern "C" fn ss_call_ex(
    ctx: *mut Ctx,
    callee: Value,
    args: Value,
    kwargs: Value,
) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "call", |ctx| {
        ops::call::call_unpacked(ctx, callee, args, kwargs)
    })
}

// ------------------------------------------------------------------ building values

pub unsafe extern "C" fn ss_build_list(ctx: *mut Ctx, items: *const Value, n: u64) -> Value {
    let ctx = ctx!(ctx);
    let items = unsafe { slice(items, n as usize) };
    value_result(ctx, "list", |_| {
        Ok(list::new(items.iter().map(|v| Val::new_ref(*v)).collect()))
    })
}

pub unsafe extern "C" fn ss_build_tuple(ctx: *mut Ctx, items: *const Value, n: u64) -> Value {
    let ctx = ctx!(ctx);
    let items = unsafe { slice(items, n as usize) };
    value_result(ctx, "tuple", |_| {
        Ok(tuple::new(items.iter().map(|v| Val::new_ref(*v)).collect()))
    })
}

pub unsafe extern "C" fn ss_build_set(ctx: *mut Ctx, items: *const Value, n: u64) -> Value {
    let ctx = ctx!(ctx);
    let items = unsafe { slice(items, n as usize) };
    value_result(ctx, "set", |ctx| {
        let mut members = set::Members::default();
        for v in items {
            members.insert(hkey(ctx, *v)?);
        }
        Ok(set::new(members, false))
    })
}

/// `pairs` holds key, value, key, value…
pub unsafe extern "C" fn ss_build_dict(ctx: *mut Ctx, pairs: *const Value, n: u64) -> Value {
    let ctx = ctx!(ctx);
    let pairs = unsafe { slice(pairs, 2 * n as usize) };
    value_result(ctx, "dict", |ctx| {
        let d = dict::new_empty(false);
        for kv in pairs.chunks(2) {
            let k = hkey(ctx, kv[0])?;
            dict::insert(d.v(), k, Val::new_ref(kv[1]));
        }
        Ok(d)
    })
}

pub unsafe extern "C" fn ss_list_append(ctx: *mut Ctx, l: Value, v: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "append", |ctx| {
        let len = list::get(l).map(|o| o.len()).unwrap_or(0);
        if len.is_power_of_two() && len >= 4096 {
            ctx.check_items(len * 2)?;
        }
        list::push(l, Val::new_ref(v));
        Ok(0)
    })
}

pub unsafe extern "C" fn ss_list_extend(ctx: *mut Ctx, l: Value, iterable: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "extend", |ctx| {
        for v in ops::iter::collect(ctx, iterable)? {
            list::push(l, v);
        }
        Ok(0)
    })
}

pub unsafe extern "C" fn ss_set_add(ctx: *mut Ctx, s: Value, v: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "set add", |ctx| {
        let k = hkey(ctx, v)?;
        if let Some(o) = set::get(s) {
            o.items.borrow_mut().insert(k);
        }
        Ok(0)
    })
}

pub unsafe extern "C" fn ss_set_update(ctx: *mut Ctx, s: Value, iterable: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "set update", |ctx| {
        for v in ops::iter::collect(ctx, iterable)? {
            let k = hkey(ctx, v.v())?;
            if let Some(o) = set::get(s) {
                o.items.borrow_mut().insert(k);
            }
        }
        Ok(0)
    })
}

pub unsafe extern "C" fn ss_dict_set(ctx: *mut Ctx, d: Value, k: Value, v: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "dict set", |ctx| {
        let key = hkey(ctx, k)?;
        dict::insert(d, key, Val::new_ref(v));
        Ok(0)
    })
}

/// `{**mapping}` inside a dict display.
pub unsafe extern "C" fn ss_dict_update(ctx: *mut Ctx, d: Value, mapping: Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "dict update", |ctx| {
        if dict::get(mapping).is_none() {
            return Err(ctx.type_error(format!(
                "'{}' object is not a mapping",
                ops::type_name(mapping)
            )));
        }
        crate::builtins::py::update_dict(ctx, d, mapping).map(|_| 0)
    })
}

pub unsafe extern "C" fn ss_list_to_tuple(ctx: *mut Ctx, l: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "tuple", |_| {
        Ok(tuple::new(
            list::get(l).map(|o| o.snapshot()).unwrap_or_default(),
        ))
    })
}

// ------------------------------------------------------------------ iteration, unpacking

pub unsafe extern "C" fn ss_get_iter(ctx: *mut Ctx, v: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "iter", |ctx| ops::iter::get_iter(ctx, v))
}

/// The next item (owned), [`STOP`] when exhausted, NULL on exception.
pub unsafe extern "C" fn ss_iter_next(ctx: *mut Ctx, it: Value) -> Value {
    let ctx = ctx!(ctx);
    match catch_unwind(AssertUnwindSafe(|| ops::iter::next(ctx, it))) {
        Ok(Ok(Some(v))) => v.into_raw(),
        Ok(Ok(None)) => STOP,
        Ok(Err(Raised)) => Value::NULL,
        Err(_) => {
            panic_to_exception(ctx, "next");
            Value::NULL
        }
    }
}

/// Unpacks `v` into exactly `n` owned values at `out`.
pub unsafe extern "C" fn ss_unpack(ctx: *mut Ctx, v: Value, n: u64, out: *mut Value) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "unpack", |ctx| {
        let items = unpack_items(ctx, v)?;
        let n = n as usize;
        if items.len() > n {
            return Err(ctx.value_error(format!("too many values to unpack (expected {n})")));
        }
        if items.len() < n {
            return Err(ctx.value_error(format!(
                "not enough values to unpack (expected {n}, got {})",
                items.len()
            )));
        }
        for (i, item) in items.into_iter().enumerate() {
            unsafe { *out.add(i) = item.into_raw() };
        }
        Ok(0)
    })
}

/// `a, *b, c = v`: `before` values, a list, `after` values (owned) at `out`.
pub unsafe extern "C" fn ss_unpack_star(
    ctx: *mut Ctx,
    v: Value,
    before: u64,
    after: u64,
    out: *mut Value,
) -> i32 {
    let ctx = ctx!(ctx);
    status_result(ctx, "unpack", |ctx| {
        let mut items = unpack_items(ctx, v)?;
        let (b, a) = (before as usize, after as usize);
        if items.len() < b + a {
            return Err(ctx.value_error(format!(
                "not enough values to unpack (expected at least {}, got {})",
                b + a,
                items.len()
            )));
        }
        let tail = items.split_off(items.len() - a);
        let middle = items.split_off(b);
        let all = items
            .into_iter()
            .chain(std::iter::once(list::new(middle)))
            .chain(tail);
        for (k, item) in all.enumerate() {
            unsafe { *out.add(k) = item.into_raw() };
        }
        Ok(0)
    })
}

fn unpack_items(ctx: &mut Ctx, v: Value) -> PyResult<Vec<Val>> {
    if let Some(t) = tuple::get(v) {
        return Ok(t.to_vec());
    }
    match ops::iter::get_iter(ctx, v) {
        Ok(_) => ops::iter::collect(ctx, v),
        Err(e) => {
            ctx.take_exception();
            let _ = e;
            Err(ctx.type_error(format!(
                "cannot unpack non-iterable {} object",
                ops::type_name(v)
            )))
        }
    }
}

// ------------------------------------------------------------------ strings

/// One replacement field of an f-string: conversion (0 none, 1 `!s`, 2 `!r`, 3 `!a`)
/// then `format(value, spec)`.
pub unsafe extern "C" fn ss_format_value(ctx: *mut Ctx, v: Value, spec: Value, conv: u32) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "format", |ctx| {
        let converted = match conv {
            1 => pystr::new(ops::repr::to_str(ctx, v)?),
            2 => pystr::new(ops::repr::repr(ctx, v)?),
            3 => crate::builtins::py::ascii(ctx, &[v], &[])?,
            _ => Val::new_ref(v),
        };
        let spec = pystr::as_str(spec).unwrap_or("");
        if spec.is_empty() && pystr::get(converted.v()).is_some() {
            return Ok(converted);
        }
        crate::format::format_value(ctx, converted.v(), spec).map(pystr::new)
    })
}

/// Concatenates `n` strings (the parts of an f-string).
pub unsafe extern "C" fn ss_build_string(ctx: *mut Ctx, parts: *const Value, n: u64) -> Value {
    let ctx = ctx!(ctx);
    let parts = unsafe { slice(parts, n as usize) };
    value_result(ctx, "f-string", |ctx| {
        let total: usize = parts
            .iter()
            .map(|p| pystr::as_str(*p).map_or(0, str::len))
            .sum();
        ctx.check_str_len(total)?;
        ctx.consume_bytes(total)?;
        let mut s = String::with_capacity(total);
        for p in parts {
            s.push_str(pystr::as_str(*p).unwrap_or(""));
        }
        Ok(pystr::new(s))
    })
}

// ------------------------------------------------------------------ functions, cells

/// Creates a function object. `defaults` holds `ndefaults` positional defaults, then one
/// value per keyword-only parameter (NULL = no default); `closure` holds the cells.
pub unsafe extern "C" fn ss_make_function(
    ctx: *mut Ctx,
    code: *const Code,
    module: *const crate::ctx::ModuleEnv,
    defaults: *const Value,
    ndefaults: u64,
    closure: *const Value,
    nclosure: u64,
) -> Value {
    let ctx = ctx!(ctx);
    let nkw = unsafe { (*code).params.n_kwonly };
    let all = unsafe { slice(defaults, ndefaults as usize + nkw) };
    let cells = unsafe { slice(closure, nclosure as usize) };
    value_result(ctx, "def", |_| {
        let (pos, kw) = all.split_at(ndefaults as usize);
        let pos = pos.iter().map(|v| Val::new_ref(*v)).collect();
        let kw = kw
            .iter()
            .map(|v| (!v.is_null()).then(|| Val::new_ref(*v)))
            .collect();
        let cells = cells.iter().map(|v| Val::new_ref(*v)).collect();
        // SAFETY: code and module belong to the compiled script the context keeps alive.
        Ok(unsafe { func::new(module, code, pos, kw, cells) })
    })
}

pub unsafe extern "C" fn ss_cell_new(ctx: *mut Ctx) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "cell", |_| Ok(cell::new()))
}

/// The value in a cell (owned), or NameError when unbound.
pub unsafe extern "C" fn ss_cell_get(ctx: *mut Ctx, c: Value, name: Value) -> Value {
    let ctx = ctx!(ctx);
    value_result(ctx, "cell", |ctx| {
        let v = cell::get(c).and_then(|c| c.value.borrow().clone());
        match v {
            Some(v) => Ok(v),
            None => {
                let n = pystr::as_str(name).unwrap_or("?");
                Err(ctx.raise_new(*exc::ids::NAME_ERROR, format!("cannot access free variable '{n}' where it is not associated with a value in enclosing scope")))
            }
        }
    })
}

/// Stores into a cell (borrowed value; NULL unbinds).
pub extern "C" fn ss_cell_set(c: Value, v: Value) {
    if let Some(cell) = cell::get(c) {
        let new = (!v.is_null()).then(|| Val::new_ref(v));
        let old = std::mem::replace(&mut *cell.value.borrow_mut(), new);
        drop(old);
    }
}

// ------------------------------------------------------------------ exceptions

fn exception_instance(ctx: &mut Ctx, v: Value) -> PyResult<Val> {
    if exc::get(v).is_some() {
        return Ok(Val::new_ref(v));
    }
    if let Some(id) = v.static_id(StaticKind::ExcClass) {
        return Ok(exc::new(id, Vec::new()));
    }
    Err(ctx.type_error("exceptions must derive from BaseException"))
}

/// `raise exc` / `raise exc from cause` (cause NULL when absent; None clears it).
pub unsafe extern "C" fn ss_raise(ctx: *mut Ctx, e: Value, cause: Value) -> Value {
    let ctx = ctx!(ctx);
    let r = exception_instance(ctx, e).and_then(|inst| {
        if !cause.is_null() {
            let c = if cause.is_none() {
                None
            } else {
                Some(exception_instance(ctx, cause)?)
            };
            *exc::get(inst.v()).unwrap().cause.borrow_mut() = c;
        }
        Ok(inst)
    });
    if let Ok(inst) = r {
        ctx.raise(inst);
    }
    Value::NULL
}

/// Re-raises a caught exception (bare `raise`, the end of `finally`).
pub unsafe extern "C" fn ss_reraise(ctx: *mut Ctx, e: Value) -> Value {
    let ctx = ctx!(ctx);
    if e.is_null() || e.is_none() {
        ctx.raise_new(*exc::ids::RUNTIME_ERROR, "No active exception to reraise");
    } else {
        let inst = Val::new_ref(e);
        ctx.raise(inst);
    }
    Value::NULL
}

/// Whether the pending exception is an instance of `cls` (a class or tuple of classes).
pub unsafe extern "C" fn ss_exc_match(ctx: *mut Ctx, cls: Value) -> i32 {
    let ctx = ctx!(ctx);
    let pending = ctx.pending().cloned();
    let Some(e) = pending else { return 0 };
    status_result(ctx, "except", |ctx| {
        let classes: Vec<Value> = match tuple::get(cls) {
            Some(t) => t.iter().map(Val::v).collect(),
            None => vec![cls],
        };
        for c in &classes {
            if c.static_id(StaticKind::ExcClass).is_none() {
                return Err(ctx.type_error(
                    "catching classes that do not inherit from BaseException is not allowed",
                ));
            }
        }
        crate::builtins::py::is_instance(ctx, e.v(), cls).map(i32::from)
    })
}

/// Takes the pending exception (owned; NULL if none).
pub unsafe extern "C" fn ss_exc_take(ctx: *mut Ctx) -> Value {
    ctx!(ctx)
        .take_exception()
        .map(Val::into_raw)
        .unwrap_or(Value::NULL)
}

/// Records that the pending exception passed through `line` of a calling function.
pub unsafe extern "C" fn ss_traceback(ctx: *mut Ctx, line: u32) {
    let ctx = ctx!(ctx);
    if let Some(e) = ctx.pending()
        && let Some(obj) = exc::get(e.v())
    {
        obj.lines.borrow_mut().push(line);
    }
}

pub unsafe extern "C" fn ss_assert_fail(ctx: *mut Ctx, msg: Value) -> Value {
    let ctx = ctx!(ctx);
    let args = if msg.is_null() {
        Vec::new()
    } else {
        vec![Val::new_ref(msg)]
    };
    let e = exc::new(*exc::ids::ASSERTION_ERROR, args);
    ctx.raise(e);
    Value::NULL
}

// ------------------------------------------------------------------ the table

/// Parameter and result types of an entry point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A value, a pointer, or a count (64 bits).
    I64,
    /// A small integer (op codes, status results, lines).
    I32,
}

pub struct AbiFn {
    pub name: &'static str,
    pub ptr: *const u8,
    pub params: &'static [Ty],
    pub ret: Option<Ty>,
}

// SAFETY: the pointers are addresses of functions, immutable and valid everywhere.
unsafe impl Sync for AbiFn {}

use Ty::{I32, I64};

macro_rules! abi {
    ($($name:ident($($p:expr),*) $(-> $r:expr)?;)*) => {
        /// Every entry point compiled code may call.
        pub static ABI: &[AbiFn] = &[
            $(AbiFn { name: stringify!($name), ptr: $name as *const u8, params: &[$($p),*], ret: abi!(@ret $($r)?) },)*
        ];
    };
    (@ret) => { None };
    (@ret $r:expr) => { Some($r) };
}

abi! {
    ss_release(I64);
    ss_decref(I64);
    ss_incref(I64);
    ss_release_frame(I64, I64);
    ss_fuel(I64) -> I32;
    ss_enter(I64) -> I32;
    ss_leave(I64);
    ss_name_error(I64, I64) -> I64;
    ss_unbound_local(I64, I64) -> I64;
    ss_surface(I64, I64) -> I64;
    ss_binary(I64, I32, I64, I64) -> I64;
    ss_inplace(I64, I32, I64, I64) -> I64;
    ss_unary(I64, I32, I64) -> I64;
    ss_compare(I64, I32, I64, I64) -> I32;
    ss_contains(I64, I64, I64) -> I32;
    ss_truthy(I64) -> I32;
    ss_getattr(I64, I64, I64) -> I64;
    ss_setattr(I64, I64, I64, I64) -> I32;
    ss_delattr(I64, I64, I64) -> I32;
    ss_getitem(I64, I64, I64) -> I64;
    ss_setitem(I64, I64, I64, I64) -> I32;
    ss_delitem(I64, I64, I64) -> I32;
    ss_slice(I64, I64, I64, I64) -> I64;
    ss_call(I64, I64, I64, I64, I64) -> I64;
    ss_call_method(I64, I64, I64, I64, I64, I64, I64) -> I64;
    ss_call_ex(I64, I64, I64, I64) -> I64;
    ss_build_list(I64, I64, I64) -> I64;
    ss_build_tuple(I64, I64, I64) -> I64;
    ss_build_set(I64, I64, I64) -> I64;
    ss_build_dict(I64, I64, I64) -> I64;
    ss_list_append(I64, I64, I64) -> I32;
    ss_list_extend(I64, I64, I64) -> I32;
    ss_set_add(I64, I64, I64) -> I32;
    ss_set_update(I64, I64, I64) -> I32;
    ss_dict_set(I64, I64, I64, I64) -> I32;
    ss_dict_update(I64, I64, I64) -> I32;
    ss_list_to_tuple(I64, I64) -> I64;
    ss_get_iter(I64, I64) -> I64;
    ss_iter_next(I64, I64) -> I64;
    ss_unpack(I64, I64, I64, I64) -> I32;
    ss_unpack_star(I64, I64, I64, I64, I64) -> I32;
    ss_format_value(I64, I64, I64, I32) -> I64;
    ss_build_string(I64, I64, I64) -> I64;
    ss_make_function(I64, I64, I64, I64, I64, I64, I64) -> I64;
    ss_cell_new(I64) -> I64;
    ss_cell_get(I64, I64, I64) -> I64;
    ss_cell_set(I64, I64);
    ss_raise(I64, I64, I64) -> I64;
    ss_reraise(I64, I64) -> I64;
    ss_exc_match(I64, I64) -> I32;
    ss_exc_take(I64) -> I64;
    ss_traceback(I64, I32);
    ss_assert_fail(I64, I64) -> I64;
}

pub fn lookup(name: &str) -> Option<&'static AbiFn> {
    ABI.iter().find(|f| f.name == name)
}
