//! Set methods.

use crate::builtins::args::{exactly, no_kwargs};
use crate::ctx::{Ctx, PyResult};
use crate::object::hash::HKey;
use crate::object::set;
use crate::ops::arith::{BinOp, binary};
use crate::ops::call::Kwargs;
use crate::ops::compare::hkey;
use crate::ops::iter;
use crate::value::{Val, Value};

pub const NAMES: &[&str] = &[
    "add",
    "remove",
    "discard",
    "pop",
    "update",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
    "copy",
    "clear",
];

fn as_set(ctx: &mut Ctx, v: Value) -> PyResult<Val> {
    if set::get(v).is_some() {
        return Ok(Val::new_ref(v));
    }
    let mut members = set::Members::default();
    for x in iter::collect(ctx, v)? {
        members.insert(hkey(ctx, x.v())?);
    }
    Ok(set::new(members, false))
}

pub fn call(ctx: &mut Ctx, obj: Value, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    no_kwargs(ctx, name, kwargs)?;
    let s = set::get(obj).unwrap();
    if !matches!(name, "add" | "remove" | "discard" | "pop") {
        ctx.consume_items(s.items.borrow().len())?;
    }
    let mutating = matches!(
        name,
        "add" | "remove" | "discard" | "pop" | "update" | "clear"
    );
    if mutating && s.frozen {
        return Err(ctx.attribute_error(format!("'frozenset' object has no attribute '{name}'")));
    }
    match name {
        "add" => {
            let [x] = exactly(ctx, "add", 1, args, kwargs)? else {
                unreachable!()
            };
            let k = hkey(ctx, *x)?;
            if s.items.borrow_mut().insert(k) {
                s.version.set(s.version.get().wrapping_add(1));
            }
            Ok(Val::NONE)
        }
        "remove" | "discard" => {
            let [x] = exactly(ctx, name, 1, args, kwargs)? else {
                unreachable!()
            };
            let k = hkey(ctx, *x)?;
            let removed = s.items.borrow_mut().shift_remove(&k);
            if removed {
                s.version.set(s.version.get().wrapping_add(1));
            } else if name == "remove" {
                return Err(ctx.key_error(Val::new_ref(*x)));
            }
            Ok(Val::NONE)
        }
        "pop" => {
            let first = s.items.borrow_mut().shift_remove_index(0);
            match first {
                Some(k) => {
                    s.version.set(s.version.get().wrapping_add(1));
                    Ok(k.key)
                }
                None => Err(ctx.key_error(crate::object::str::new("pop from an empty set"))),
            }
        }
        "update" => {
            for a in args {
                for x in iter::collect(ctx, *a)? {
                    let k = hkey(ctx, x.v())?;
                    s.items.borrow_mut().insert(k);
                }
            }
            s.version.set(s.version.get().wrapping_add(1));
            Ok(Val::NONE)
        }
        "union" | "intersection" | "difference" | "symmetric_difference" => {
            let op = match name {
                "union" => BinOp::BitOr,
                "intersection" => BinOp::BitAnd,
                "difference" => BinOp::Sub,
                _ => BinOp::BitXor,
            };
            let mut acc = Val::new_ref(obj);
            if args.is_empty() {
                let copy: set::Members = s
                    .items
                    .borrow()
                    .iter()
                    .map(|k| HKey {
                        hash: k.hash,
                        key: k.key.clone(),
                    })
                    .collect();
                return Ok(set::new(copy, s.frozen));
            }
            for a in args {
                let other = as_set(ctx, *a)?;
                acc = binary(ctx, op, acc.v(), other.v())?;
            }
            Ok(acc)
        }
        "issubset" | "issuperset" | "isdisjoint" => {
            let [x] = exactly(ctx, name, 1, args, kwargs)? else {
                unreachable!()
            };
            let other = as_set(ctx, *x)?;
            let (a, b) = (
                s.items.borrow(),
                set::get(other.v()).unwrap().items.borrow(),
            );
            Ok(Val::bool(match name {
                "issubset" => a.iter().all(|k| b.contains(k)),
                "issuperset" => b.iter().all(|k| a.contains(k)),
                _ => a.iter().all(|k| !b.contains(k)),
            }))
        }
        "copy" => {
            let copy: set::Members = s
                .items
                .borrow()
                .iter()
                .map(|k| HKey {
                    hash: k.hash,
                    key: k.key.clone(),
                })
                .collect();
            Ok(set::new(copy, s.frozen))
        }
        "clear" => {
            let old = std::mem::take(&mut *s.items.borrow_mut());
            s.version.set(s.version.get().wrapping_add(1));
            drop(old);
            Ok(Val::NONE)
        }
        _ => unreachable!("{name} is in NAMES"),
    }
}
