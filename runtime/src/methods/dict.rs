//! Dict (and `_dict`) methods.

use crate::builtins::args::{exactly, no_kwargs};
use crate::builtins::py::update_dict;
use crate::ctx::{Ctx, PyResult};
use crate::object::dict::DictObj;
use crate::object::hash::HKey;
use crate::object::{dict, list, tuple};
use crate::ops::call::Kwargs;
use crate::ops::compare::{hkey, href};
use crate::value::{Val, Value};

pub const NAMES: &[&str] = &[
    "get",
    "keys",
    "values",
    "items",
    "update",
    "pop",
    "setdefault",
    "copy",
    "clear",
    "popitem",
];

/// `d.get(key, default=None)`.
pub(super) fn m_get(ctx: &mut Ctx, d: &DictObj, args: &[Value], kwargs: &Kwargs) -> PyResult {
    no_kwargs(ctx, "get", kwargs)?;
    if args.is_empty() || args.len() > 2 {
        return Err(ctx.type_error(format!(
            "get expected at least 1 argument, got {}",
            args.len()
        )));
    }
    let k = href(ctx, args[0])?;
    let found = d.map.borrow().get_full(&k).map(|(i, _, v)| (i, v.clone()));
    Ok(match found {
        Some((i, v)) => {
            d.hint.set(i);
            v
        }
        None => args.get(1).map(|v| Val::new_ref(*v)).unwrap_or(Val::NONE),
    })
}

pub fn call(ctx: &mut Ctx, obj: Value, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let d = dict::get(obj).unwrap();
    // views, copies and updates touch every entry: charged by their number
    if !matches!(name, "get" | "pop" | "setdefault" | "popitem") {
        ctx.consume_items(d.len())?;
    }
    match name {
        "get" => m_get(ctx, d, args, kwargs),
        // Views are returned as lists: re-iterable, printable, sized (CPython's view
        // objects print as `dict_items([...])` — a documented difference).
        "keys" => Ok(list::new(
            d.map.borrow().keys().map(|k| k.key.clone()).collect(),
        )),
        "values" => Ok(list::new(d.map.borrow().values().cloned().collect())),
        "items" => Ok(list::new(
            d.map
                .borrow()
                .iter()
                .map(|(k, v)| tuple::new(vec![k.key.clone(), v.clone()]))
                .collect(),
        )),
        "update" => {
            if args.len() > 1 {
                return Err(ctx.type_error(format!(
                    "update expected at most 1 argument, got {}",
                    args.len()
                )));
            }
            if let Some(src) = args.first() {
                update_dict(ctx, obj, *src)?;
            }
            for (k, v) in kwargs {
                let key = hkey(ctx, crate::object::str::new(*k).v())?;
                dict::insert(obj, key, Val::new_ref(*v));
            }
            Ok(Val::NONE)
        }
        "pop" => {
            no_kwargs(ctx, "pop", kwargs)?;
            if args.is_empty() || args.len() > 2 {
                return Err(ctx.type_error(format!(
                    "pop expected at least 1 argument, got {}",
                    args.len()
                )));
            }
            let k = hkey(ctx, args[0])?;
            let removed = d.map.borrow_mut().shift_remove(&k);
            match removed {
                Some(v) => {
                    d.bump();
                    Ok(v)
                }
                None => match args.get(1) {
                    Some(default) => Ok(Val::new_ref(*default)),
                    None => Err(ctx.key_error(Val::new_ref(args[0]))),
                },
            }
        }
        "setdefault" => {
            no_kwargs(ctx, "setdefault", kwargs)?;
            if args.is_empty() || args.len() > 2 {
                return Err(ctx.type_error(format!(
                    "setdefault expected at least 1 argument, got {}",
                    args.len()
                )));
            }
            let k = hkey(ctx, args[0])?;
            let existing = d.map.borrow().get(&k).cloned();
            match existing {
                Some(v) => Ok(v),
                None => {
                    let v = args.get(1).map(|v| Val::new_ref(*v)).unwrap_or(Val::NONE);
                    dict::insert(obj, k, v.clone());
                    Ok(v)
                }
            }
        }
        "copy" => {
            let map: dict::Map = d
                .map
                .borrow()
                .iter()
                .map(|(k, v)| {
                    (
                        HKey {
                            hash: k.hash,
                            key: k.key.clone(),
                        },
                        v.clone(),
                    )
                })
                .collect();
            Ok(dict::new(map, d.attr))
        }
        "clear" => {
            let old = std::mem::take(&mut *d.map.borrow_mut());
            d.bump();
            drop(old);
            Ok(Val::NONE)
        }
        "popitem" => {
            exactly(ctx, "popitem", 0, args, kwargs)?;
            let last = d.map.borrow_mut().pop();
            match last {
                Some((k, v)) => {
                    d.bump();
                    Ok(tuple::new(vec![k.key, v]))
                }
                None => {
                    Err(ctx.key_error(crate::object::str::new("popitem(): dictionary is empty")))
                }
            }
        }
        _ => unreachable!("{name} is in NAMES"),
    }
}
