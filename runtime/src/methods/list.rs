//! List methods.

use crate::builtins::args::{exactly, no_kwargs, parse};
use crate::builtins::py::sort_values;
use crate::ctx::{Ctx, PyResult};
use crate::heap;
use crate::object::{int, list};
use crate::ops::call::Kwargs;
use crate::ops::compare::eq;
use crate::ops::{iter, repr as pyrepr, truthy};
use crate::value::{Val, Value};

pub const NAMES: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse", "copy",
    "clear",
];

/// `count` and `index`, shared with tuples.
pub fn seq_method(
    ctx: &mut Ctx,
    type_name: &str,
    items: &[Val],
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    no_kwargs(ctx, name, kwargs)?;
    ctx.consume_items(items.len())?;
    match name {
        "count" => {
            let [x] = exactly(ctx, "count", 1, args, kwargs)? else {
                unreachable!()
            };
            let mut n = 0;
            for item in items {
                if eq(ctx, item.v(), *x)? {
                    n += 1;
                }
            }
            Ok(Val::int(n))
        }
        _ => {
            if args.is_empty() || args.len() > 3 {
                return Err(ctx.type_error(format!(
                    "index expected at least 1 argument, got {}",
                    args.len()
                )));
            }
            let len = items.len() as i64;
            let bound = |v: Option<&Value>, default: i64| -> i64 {
                match v.and_then(|v| int::to_i64(*v)) {
                    Some(i) if i < 0 => (i + len).max(0),
                    Some(i) => i.min(len),
                    None => default,
                }
            };
            let (start, stop) = (bound(args.get(1), 0), bound(args.get(2), len));
            for i in start..stop {
                if eq(ctx, items[i as usize].v(), args[0])? {
                    return Ok(Val::int(i));
                }
            }
            let r = pyrepr::repr(ctx, args[0])?;
            Err(ctx.value_error(if type_name == "tuple" {
                "tuple.index(x): x not in tuple".to_string()
            } else {
                format!("{r} is not in list")
            }))
        }
    }
}

/// `l.append(x)` on list `obj` of `len` items (the item limit is checked as the list
/// doubles).
pub(super) fn m_append(ctx: &mut Ctx, obj: Value, len: usize, x: Value) -> PyResult {
    if len.is_power_of_two() && len >= 1024 {
        ctx.check_items(len * 2)?;
    }
    list::push(obj, Val::new_ref(x));
    Ok(Val::NONE)
}

pub fn call(ctx: &mut Ctx, obj: Value, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let l = list::get(obj).unwrap();
    // the others copy, search, move or reorder the items: charged by their number
    if !matches!(name, "append" | "pop") {
        ctx.consume_items(l.len())?;
    }
    match name {
        "append" => {
            let [x] = exactly(ctx, "append", 1, args, kwargs)? else {
                unreachable!()
            };
            m_append(ctx, obj, l.len(), *x)
        }
        "extend" => {
            let [x] = exactly(ctx, "extend", 1, args, kwargs)? else {
                unreachable!()
            };
            let items = iter::collect(ctx, *x)?;
            ctx.check_items(l.len() + items.len())?;
            for item in items {
                list::push(obj, item);
            }
            Ok(Val::NONE)
        }
        "insert" => {
            let [i, x] = exactly(ctx, "insert", 2, args, kwargs)? else {
                unreachable!()
            };
            let Some(i) = int::to_i64(*i) else {
                return Err(ctx.type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    crate::ops::type_name(*i)
                )));
            };
            let len = l.len() as i64;
            let at = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
            ctx.check_items(l.len() + 1)?;
            l.items.borrow_mut().insert(at, Val::new_ref(*x));
            heap::account(obj, 8);
            Ok(Val::NONE)
        }
        "pop" => {
            no_kwargs(ctx, "pop", kwargs)?;
            let len = l.len() as i64;
            if len == 0 {
                return Err(ctx.index_error("pop from empty list"));
            }
            let i = match args.first() {
                Some(v) => int::to_i64(*v).unwrap_or(len),
                None => len - 1,
            };
            let j = if i < 0 { i + len } else { i };
            if !(0..len).contains(&j) {
                return Err(ctx.index_error("pop index out of range"));
            }
            let v = l.items.borrow_mut().remove(j as usize);
            Ok(v)
        }
        "remove" => {
            let [x] = exactly(ctx, "remove", 1, args, kwargs)? else {
                unreachable!()
            };
            let items = l.snapshot();
            for (i, item) in items.iter().enumerate() {
                if eq(ctx, item.v(), *x)? {
                    let removed = l.items.borrow_mut().remove(i);
                    drop(removed);
                    return Ok(Val::NONE);
                }
            }
            Err(ctx.value_error("list.remove(x): x not in list"))
        }
        "index" | "count" => {
            let items = l.snapshot();
            seq_method(ctx, "list", &items, name, args, kwargs)
        }
        "sort" => {
            if !args.is_empty() {
                return Err(ctx.type_error("sort() takes no positional arguments"));
            }
            let [key, reverse] = parse(ctx, "sort", ["key", "reverse"], 0, args, kwargs)?;
            let mut items = std::mem::take(&mut *l.items.borrow_mut());
            let result = sort_values(ctx, &mut items, key, reverse.is_some_and(truthy));
            let modified = !l.is_empty();
            *l.items.borrow_mut() = items;
            result?;
            if modified {
                return Err(ctx.value_error("list modified during sort"));
            }
            Ok(Val::NONE)
        }
        "reverse" => {
            no_kwargs(ctx, "reverse", kwargs)?;
            l.items.borrow_mut().reverse();
            Ok(Val::NONE)
        }
        "copy" => Ok(list::new(l.snapshot())),
        "clear" => {
            let old = std::mem::take(&mut *l.items.borrow_mut());
            drop(old);
            Ok(Val::NONE)
        }
        _ => unreachable!("{name} is in NAMES"),
    }
}
