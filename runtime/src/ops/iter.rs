//! Iteration: `iter(v)` and `next(it)` for every iterable value.

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::iter::{self as it, DictView, IterState};
use crate::object::{dict, list, range, set, str as pystr, tuple};
use crate::value::{Val, Value};

/// `iter(v)`.
pub fn get_iter(ctx: &mut Ctx, v: Value) -> PyResult {
    let state = match heap::kind_of(v) {
        Some(Kind::List | Kind::Tuple) => IterState::Seq {
            seq: Val::new_ref(v),
            index: 0,
        },
        Some(Kind::Str) => IterState::Str {
            s: Val::new_ref(v),
            byte: 0,
        },
        Some(Kind::Range) => {
            let r = range::get(v).unwrap();
            IterState::Range {
                next: r.start,
                remaining: r.len(),
                step: r.step,
            }
        }
        Some(Kind::Dict) => {
            let d = dict::get(v).unwrap();
            IterState::Dict {
                dict: Val::new_ref(v),
                index: 0,
                version: d.version.get(),
                view: DictView::Keys,
            }
        }
        Some(Kind::Set) => {
            let s = set::get(v).unwrap();
            IterState::Set {
                set: Val::new_ref(v),
                index: 0,
                version: s.version.get(),
            }
        }
        Some(Kind::Iterator) => return Ok(Val::new_ref(v)),
        _ => {
            return Err(ctx.type_error(format!("'{}' object is not iterable", super::type_name(v))));
        }
    };
    Ok(it::new(state))
}

/// The next item of iterator `iter`, `None` when exhausted.
#[inline]
pub fn next(ctx: &mut Ctx, iter: Value) -> PyResult<Option<Val>> {
    // a list's next item (the commonest loop), without the general dispatch
    if let Some(obj) = it::get(iter)
        && let IterState::Seq { seq, index } = &mut *obj.state.borrow_mut()
        && let Some(l) = list::get(seq.v())
        && let Some(item) = l.get_item(*index)
    {
        *index += 1;
        return Ok(Some(item));
    }
    next_any(ctx, iter)
}

fn next_any(ctx: &mut Ctx, iter: Value) -> PyResult<Option<Val>> {
    let Some(obj) = it::get(iter) else {
        return Err(ctx.type_error(format!(
            "'{}' object is not an iterator",
            super::type_name(iter)
        )));
    };
    // Map and Filter call script functions: take what they need out of the state first,
    // so no borrow is held while script code runs.
    enum Call {
        Map(Val, Vec<Val>),
        Filter(Val, Val),
        Zip(Vec<Val>),
        Enumerate(Val, i64),
    }
    let call = {
        let mut state = obj.state.borrow_mut();
        match &mut *state {
            IterState::Seq { seq, index } => {
                let item = if let Some(l) = list::get(seq.v()) {
                    l.get_item(*index)
                } else {
                    tuple::get(seq.v()).unwrap().get(*index).cloned()
                };
                if item.is_some() {
                    *index += 1;
                } else {
                    *state = IterState::Exhausted;
                }
                return Ok(item);
            }
            IterState::Str { s, byte } => {
                let text = pystr::as_str(s.v()).unwrap();
                return Ok(match text[*byte..].chars().next() {
                    Some(c) => {
                        *byte += c.len_utf8();
                        Some(pystr::new(c.encode_utf8(&mut [0; 4])))
                    }
                    None => None,
                });
            }
            IterState::Range {
                next,
                remaining,
                step,
            } => {
                if *remaining <= 0 {
                    return Ok(None);
                }
                let v = *next;
                *remaining -= 1;
                *next = next.wrapping_add(*step);
                return Ok(Some(Val::int(v)));
            }
            IterState::Dict {
                dict: d,
                index,
                version,
                view,
            } => {
                let dobj = dict::get(d.v()).unwrap();
                if dobj.version.get() != *version {
                    drop(state);
                    return Err(ctx.raise_new(
                        *crate::object::exc::ids::RUNTIME_ERROR,
                        "dictionary changed size during iteration",
                    ));
                }
                let map = dobj.map.borrow();
                let Some((k, v)) = map.get_index(*index) else {
                    return Ok(None);
                };
                *index += 1;
                return Ok(Some(match view {
                    DictView::Keys => k.key.clone(),
                    DictView::Values => v.clone(),
                    DictView::Items => tuple::new(vec![k.key.clone(), v.clone()]),
                }));
            }
            IterState::Set {
                set: s,
                index,
                version,
            } => {
                let sobj = set::get(s.v()).unwrap();
                if sobj.version.get() != *version {
                    drop(state);
                    return Err(ctx.raise_new(
                        *crate::object::exc::ids::RUNTIME_ERROR,
                        "Set changed size during iteration",
                    ));
                }
                let item = sobj.items.borrow().get_index(*index).map(|k| k.key.clone());
                *index += 1;
                return Ok(item);
            }
            IterState::Items { items, index } => {
                let item = items.get(*index).cloned();
                *index += 1;
                return Ok(item);
            }
            IterState::Exhausted => return Ok(None),
            IterState::Map { func, iters } => Call::Map(func.clone(), iters.clone()),
            IterState::Filter { func, inner } => Call::Filter(func.clone(), inner.clone()),
            IterState::Zip { iters } => Call::Zip(iters.clone()),
            IterState::Enumerate { inner, count } => {
                let c = *count;
                *count += 1;
                Call::Enumerate(inner.clone(), c)
            }
        }
    };
    match call {
        Call::Map(func, iters) => {
            let mut args = Vec::with_capacity(iters.len());
            for i in &iters {
                match next(ctx, i.v())? {
                    Some(x) => args.push(x),
                    None => return Ok(None),
                }
            }
            let raw: Vec<Value> = args.iter().map(Val::v).collect();
            super::call::call(ctx, func.v(), &raw, &[]).map(Some)
        }
        Call::Filter(func, inner) => loop {
            let Some(x) = next(ctx, inner.v())? else {
                return Ok(None);
            };
            let keep = if func.v().is_none() {
                super::truthy(x.v())
            } else {
                let r = super::call::call(ctx, func.v(), &[x.v()], &[])?;
                super::truthy(r.v())
            };
            if keep {
                return Ok(Some(x));
            }
        },
        Call::Zip(iters) => {
            let mut items = Vec::with_capacity(iters.len());
            for i in &iters {
                match next(ctx, i.v())? {
                    Some(x) => items.push(x),
                    None => return Ok(None),
                }
            }
            if iters.is_empty() {
                return Ok(None);
            }
            Ok(Some(tuple::new(items)))
        }
        Call::Enumerate(inner, count) => match next(ctx, inner.v())? {
            Some(x) => Ok(Some(tuple::new(vec![Val::int(count), x]))),
            None => Ok(None),
        },
    }
}

/// Every item of an iterable (charging fuel per item, checking the size limit).
/// The items of a list or tuple (a snapshot); `None` for anything else — for arguments
/// that Frappe accepts as "a list or tuple" and treats otherwise when they are not.
pub fn list_or_tuple_items(v: Value) -> Option<Vec<Val>> {
    if let Some(l) = crate::object::list::get(v) {
        return Some(l.snapshot());
    }
    crate::object::tuple::get(v).map(|t| t.to_vec())
}

pub fn collect(ctx: &mut Ctx, v: Value) -> PyResult<Vec<Val>> {
    if let Some(l) = list::get(v) {
        ctx.consume_items(l.len())?;
        return Ok(l.snapshot());
    }
    if let Some(t) = tuple::get(v) {
        ctx.consume_items(t.len())?;
        return Ok(t.to_vec());
    }
    if let Some(r) = range::get(v) {
        let n = r.len().max(0) as usize;
        ctx.check_items(n)?;
        ctx.consume(n)?;
        return Ok((0..n as i64).map(|i| Val::int(r.item(i))).collect());
    }
    let iter = get_iter(ctx, v)?;
    let mut out = Vec::new();
    while let Some(x) = next(ctx, iter.v())? {
        out.push(x);
        if out.len() % 4096 == 0 {
            ctx.check_items(out.len())?;
            ctx.consume(4096)?;
        }
    }
    Ok(out)
}

/// A dict's keys, values or items as an iterator (used by `dict.items()` etc.).
pub fn dict_view(d: Value, view: DictView) -> Val {
    let version = dict::get(d).map(|o| o.version.get()).unwrap_or(0);
    it::new(IterState::Dict {
        dict: Val::new_ref(d),
        index: 0,
        version,
        view,
    })
}

/// An iterator over precomputed items.
pub fn over(items: Vec<Val>) -> Val {
    it::new(IterState::Items { items, index: 0 })
}
