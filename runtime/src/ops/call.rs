//! Calling values: script functions (argument binding with CPython's rules and error
//! messages), builtins, types, exception classes and bound methods.

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::func::{self, FuncObj};
use crate::object::{dict, exc, str as pystr, tuple};
use crate::ops::compare::hkey;
use crate::value::{StaticKind, Val, Value};

/// Keyword arguments of a call: (name, value), borrowed.
pub type Kwargs<'a> = [(&'a str, Value)];

/// `callee(*args, **kwargs)`.
pub fn call(ctx: &mut Ctx, callee: Value, args: &[Value], kwargs: &Kwargs) -> PyResult {
    if let Some(f) = func::get(callee) {
        return call_function(ctx, callee, f, args, kwargs);
    }
    if let Some((kind, id)) = callee.as_static() {
        return match kind {
            StaticKind::Builtin => crate::builtins::call_builtin(ctx, id, args, kwargs),
            StaticKind::Type => crate::builtins::call_type(ctx, id, args, kwargs),
            StaticKind::ExcClass => {
                if let Some((name, _)) = kwargs.first() {
                    return Err(ctx.type_error(format!(
                        "{}() takes no keyword arguments (got '{name}')",
                        exc::class(id).name
                    )));
                }
                Ok(exc::new(
                    id,
                    args.iter().map(|v| Val::new_ref(*v)).collect(),
                ))
            }
            StaticKind::Namespace => Err(ctx.type_error("'module' object is not callable")),
        };
    }
    if let Some(m) = func::get_bound(callee) {
        let receiver = m.receiver.clone();
        if let Some((StaticKind::Type, id)) = receiver.v().as_static() {
            return call_type_method(ctx, id, &m.name, args, kwargs);
        }
        return crate::methods::call_method(ctx, receiver.v(), &m.name, args, kwargs);
    }
    Err(ctx.type_error(format!(
        "'{}' object is not callable",
        super::type_name(callee)
    )))
}

/// `str.lower(s)`: a method taken from its type, the receiver passed first.
fn call_type_method(
    ctx: &mut Ctx,
    type_id: u32,
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    let tname = crate::builtins::type_name_of(type_id);
    let Some((&receiver, rest)) = args.split_first() else {
        return Err(ctx.type_error(format!("unbound method {tname}.{name}() needs an argument")));
    };
    let actual = super::type_name(receiver);
    let fits = actual == tname
        || (tname == "dict" && actual == "_dict")
        || (tname == "set" && actual == "frozenset");
    if !fits {
        return Err(ctx.type_error(format!(
            "descriptor '{name}' for '{tname}' objects doesn't apply to a '{actual}' object"
        )));
    }
    crate::methods::call_method(ctx, receiver, name, rest, kwargs)
}

/// `callee(*iterable, **mapping)` — call-site unpacking.
pub fn call_unpacked(ctx: &mut Ctx, callee: Value, args: Value, kwargs: Value) -> PyResult {
    let positional = super::iter::collect(ctx, args)?;
    let mut names: Vec<Val> = Vec::new();
    let mut values: Vec<Val> = Vec::new();
    if !kwargs.is_none() {
        let Some(d) = dict::get(kwargs) else {
            return Err(ctx.type_error(format!(
                "argument after ** must be a mapping, not {}",
                super::type_name(kwargs)
            )));
        };
        for (k, v) in d.map.borrow().iter() {
            names.push(k.key.clone());
            values.push(v.clone());
        }
        for n in &names {
            if pystr::get(n.v()).is_none() {
                return Err(ctx.type_error("keywords must be strings"));
            }
        }
    }
    let kw: Vec<(&str, Value)> = names
        .iter()
        .zip(&values)
        .map(|(n, v)| (pystr::as_str(n.v()).unwrap(), v.v()))
        .collect();
    let pos: Vec<Value> = positional.iter().map(Val::v).collect();
    call(ctx, callee, &pos, &kw)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn quoted_list(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        _ => format!("{}, and {}", q[..q.len() - 1].join(", "), q[q.len() - 1]),
    }
}

/// Binds arguments to a script function's parameter slots (CPython's algorithm).
pub fn bind(ctx: &mut Ctx, f: &FuncObj, args: &[Value], kwargs: &Kwargs) -> PyResult<Vec<Val>> {
    let code = f.code();
    let p = &code.params;
    let name = &code.name;
    let mut slots: Vec<Option<Val>> = (0..p.n_slots()).map(|_| None).collect();
    let n_pos = p.n_positional;
    for (i, a) in args.iter().enumerate().take(n_pos) {
        slots[i] = Some(Val::new_ref(*a));
    }
    let extra: Vec<Val> = args.iter().skip(n_pos).map(|a| Val::new_ref(*a)).collect();
    if !extra.is_empty() && !p.varargs {
        let given = args.len();
        let min = n_pos - f.defaults.len().min(n_pos);
        let takes = if min == n_pos {
            plural(n_pos, "positional argument")
        } else {
            format!("from {min} to {n_pos} positional arguments")
        };
        let was = if given == 1 { "was" } else { "were" };
        return Err(ctx.type_error(format!("{name}() takes {takes} but {given} {was} given")));
    }
    let varargs_slot = n_pos + p.n_kwonly;
    if p.varargs {
        slots[varargs_slot] = Some(tuple::new(extra));
    }
    let varkw = if p.varkw {
        Some(dict::new_empty(false))
    } else {
        None
    };
    let mut posonly_as_kw = Vec::new();
    for (kname, v) in kwargs {
        let idx = p.names[..n_pos + p.n_kwonly]
            .iter()
            .position(|n| &**n == *kname);
        match idx {
            Some(i) if i < p.n_posonly => {
                if let Some(d) = &varkw {
                    let k = hkey(ctx, pystr::new(*kname).v())?;
                    dict::insert(d.v(), k, Val::new_ref(*v));
                } else {
                    posonly_as_kw.push(*kname);
                }
            }
            Some(i) => {
                if slots[i].is_some() {
                    return Err(ctx.type_error(format!(
                        "{name}() got multiple values for argument '{kname}'"
                    )));
                }
                slots[i] = Some(Val::new_ref(*v));
            }
            None => match &varkw {
                Some(d) => {
                    let k = hkey(ctx, pystr::new(*kname).v())?;
                    dict::insert(d.v(), k, Val::new_ref(*v));
                }
                None => {
                    return Err(ctx.type_error(format!(
                        "{name}() got an unexpected keyword argument '{kname}'"
                    )));
                }
            },
        }
    }
    if !posonly_as_kw.is_empty() {
        return Err(ctx.type_error(format!(
            "{name}() got some positional-only arguments passed as keyword arguments: '{}'",
            posonly_as_kw.join(", ")
        )));
    }
    // defaults for missing positionals
    let first_default = n_pos - f.defaults.len().min(n_pos);
    let mut missing = Vec::new();
    for (i, slot) in slots.iter_mut().enumerate().take(n_pos) {
        if slot.is_none() {
            if i >= first_default {
                *slot = Some(f.defaults[i - first_default].clone());
            } else {
                missing.push(&*p.names[i]);
            }
        }
    }
    if !missing.is_empty() {
        return Err(ctx.type_error(format!(
            "{name}() missing {} required positional {}: {}",
            missing.len(),
            if missing.len() == 1 {
                "argument"
            } else {
                "arguments"
            },
            quoted_list(&missing)
        )));
    }
    let mut missing_kw = Vec::new();
    for k in 0..p.n_kwonly {
        let i = n_pos + k;
        if slots[i].is_none() {
            match f.kwdefaults.get(k).and_then(|d| d.clone()) {
                Some(d) => slots[i] = Some(d),
                None => missing_kw.push(&*p.names[i]),
            }
        }
    }
    if !missing_kw.is_empty() {
        return Err(ctx.type_error(format!(
            "{name}() missing {} required keyword-only {}: {}",
            missing_kw.len(),
            if missing_kw.len() == 1 {
                "argument"
            } else {
                "arguments"
            },
            quoted_list(&missing_kw)
        )));
    }
    if let Some(d) = varkw {
        slots[varargs_slot + p.varargs as usize] = Some(d);
    }
    Ok(slots
        .into_iter()
        .map(|s| s.expect("every slot bound"))
        .collect())
}

/// Calls a script function: binds, checks depth, runs the compiled entry.
pub fn call_function(
    ctx: &mut Ctx,
    callee: Value,
    f: &FuncObj,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    let code = f.code();
    let p = &code.params;
    let slots: Vec<Val>;
    let raw: Vec<Value>;
    let argv: &[Value] = if kwargs.is_empty()
        && !p.varargs
        && !p.varkw
        && p.n_kwonly == 0
        && args.len() == p.n_positional
    {
        args
    } else {
        slots = bind(ctx, f, args, kwargs)?;
        raw = slots.iter().map(Val::v).collect();
        &raw
    };
    // the callee's prologue counts the call against the depth limit (`ss_enter`)
    // SAFETY: the entry comes from the compiled script the context keeps alive; `argv`
    // holds exactly `n_slots` borrowed values that outlive the call.
    let r = unsafe { (code.entry)(ctx as *mut Ctx, callee, argv.as_ptr()) };
    if r.is_null() {
        Err(crate::ctx::Raised)
    } else {
        // SAFETY: a non-NULL result is an owned reference.
        Ok(unsafe { Val::from_raw(r) })
    }
}

/// Whether `v` can be called (`callable()`).
pub fn is_callable(v: Value) -> bool {
    matches!(
        v.as_static(),
        Some((
            StaticKind::Builtin | StaticKind::Type | StaticKind::ExcClass,
            _
        ))
    ) || matches!(heap::kind_of(v), Some(Kind::Function | Kind::BoundMethod))
}
