//! `obj[key]`, `obj[key] = value`, `del obj[key]`, and slicing.

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::{dict, int, list, range, str as pystr, tuple};
use crate::ops::compare::{hkey, href};
use crate::value::{Val, Value};

/// A resolved slice: `start`, `stop`, `step` and the number of items (slice.indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
    pub len: usize,
}

impl Span {
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len).map(move |i| (self.start + i as i64 * self.step) as usize)
    }
}

fn slice_part(ctx: &mut Ctx, v: Value) -> PyResult<Option<i64>> {
    if v.is_none() {
        return Ok(None);
    }
    if let Some(i) = int::to_i64(v) {
        return Ok(Some(i));
    }
    if int::as_big(v).is_some() {
        // clamp huge bounds the way CPython does
        let negative = int::to_big(v).is_some_and(|b| b.sign() == num_bigint::Sign::Minus);
        return Ok(Some(if negative { i64::MIN / 2 } else { i64::MAX / 2 }));
    }
    Err(ctx.type_error("slice indices must be integers or None or have an __index__ method"))
}

/// Python's `slice.indices(len)`.
pub fn resolve_slice(ctx: &mut Ctx, slice: Value, len: usize) -> PyResult<Span> {
    let s = range::get_slice(slice).expect("slice");
    let step = slice_part(ctx, s.step.v())?.unwrap_or(1);
    if step == 0 {
        return Err(ctx.value_error("slice step cannot be zero"));
    }
    let len = len as i64;
    let clamp = |v: Option<i64>, default_pos: i64, default_neg: i64| -> i64 {
        match v {
            None => {
                if step > 0 {
                    default_pos
                } else {
                    default_neg
                }
            }
            Some(mut i) => {
                if i < 0 {
                    i += len;
                    if i < 0 {
                        i = if step < 0 { -1 } else { 0 };
                    }
                } else if i >= len {
                    i = if step < 0 { len - 1 } else { len };
                }
                i
            }
        }
    };
    let start = clamp(slice_part(ctx, s.start.v())?, 0, len - 1);
    let stop = clamp(slice_part(ctx, s.stop.v())?, len, -1);
    let n = if step > 0 {
        if stop > start {
            (stop - start - 1) / step + 1
        } else {
            0
        }
    } else if start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    };
    Ok(Span {
        start,
        stop,
        step,
        len: n as usize,
    })
}

/// A sequence index (negative counts from the end); `None` when out of range.
fn seq_index(i: i64, len: usize) -> Option<usize> {
    let j = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&j).then_some(j as usize)
}

fn index_of(ctx: &mut Ctx, key: Value, what: &str) -> PyResult<i64> {
    if let Some(i) = int::to_i64(key) {
        return Ok(i);
    }
    if int::as_big(key).is_some() {
        // CPython's words: a range says its index is out of range, the others that the
        // int does not fit
        return Err(ctx.index_error(if what == "range" {
            "range object index out of range"
        } else {
            "cannot fit 'int' into an index-sized integer"
        }));
    }
    Err(match what {
        "string" => ctx.type_error(format!(
            "string indices must be integers, not '{}'",
            super::type_name(key)
        )),
        _ => ctx.type_error(format!(
            "{what} indices must be integers or slices, not {}",
            super::type_name(key)
        )),
    })
}

/// `obj[key]`.
pub fn getitem(ctx: &mut Ctx, obj: Value, key: Value) -> PyResult {
    // a dict first (the commonest), out of the way of the sequence arms' slices
    if let Some(d) = dict::get(obj) {
        let k = href(ctx, key)?;
        let found = d.map.borrow().get_full(&k).map(|(i, _, v)| (i, v.clone()));
        return match found {
            Some((i, v)) => {
                d.hint.set(i);
                Ok(v)
            }
            None => Err(ctx.key_error(Val::new_ref(key))),
        };
    }
    // a tuple or list item at an int index in range (`kv[1]`, `row[0]`); anything else,
    // errors included, takes the general path
    if let Some(i) = key.as_small_int() {
        if let Some(t) = tuple::get(obj)
            && let Some(j) = seq_index(i, t.len())
        {
            return Ok(t[j].clone());
        }
        if let Some(l) = list::get(obj)
            && let Some(v) = seq_index(i, l.len()).and_then(|j| l.get_item(j))
        {
            return Ok(v);
        }
    }
    getitem_other(ctx, obj, key)
}

fn getitem_other(ctx: &mut Ctx, obj: Value, key: Value) -> PyResult {
    let is_slice = range::get_slice(key).is_some();
    match heap::kind_of(obj) {
        Some(Kind::List) => {
            let l = list::get(obj).unwrap();
            if is_slice {
                ctx.consume(l.len())?;
                let items = l.snapshot();
                let span = resolve_slice(ctx, key, items.len())?;
                return Ok(list::new(
                    span.indices().map(|i| items[i].clone()).collect(),
                ));
            }
            let i = index_of(ctx, key, "list")?;
            let len = l.len();
            match seq_index(i, len).and_then(|j| l.get_item(j)) {
                Some(v) => Ok(v),
                None => Err(ctx.index_error("list index out of range")),
            }
        }
        Some(Kind::Tuple) => {
            let t = tuple::get(obj).unwrap();
            if is_slice {
                let span = resolve_slice(ctx, key, t.len())?;
                ctx.consume(span.len)?;
                return Ok(tuple::new(span.indices().map(|i| t[i].clone()).collect()));
            }
            let i = index_of(ctx, key, "tuple")?;
            match seq_index(i, t.len()) {
                Some(j) => Ok(t[j].clone()),
                None => Err(ctx.index_error("tuple index out of range")),
            }
        }
        Some(Kind::Str) => {
            let s = pystr::get(obj).unwrap();
            if is_slice {
                let span = resolve_slice(ctx, key, s.nchars)?;
                // a copy, after a scan for the offsets when the text is not ASCII
                ctx.consume_bytes(if s.is_ascii() {
                    span.len
                } else {
                    s.as_str().len()
                })?;
                if span.step == 1 {
                    return Ok(pystr::new(
                        s.chars_range(span.start as usize, span.start as usize + span.len),
                    ));
                }
                let chars: Vec<char> = s.as_str().chars().collect();
                return Ok(pystr::new(
                    span.indices().map(|i| chars[i]).collect::<String>(),
                ));
            }
            let i = index_of(ctx, key, "string")?;
            if !s.is_ascii() {
                // the code point is found by a scan from the start
                ctx.consume_bytes(s.as_str().len())?;
            }
            match seq_index(i, s.nchars).and_then(|j| s.char_at(j)) {
                Some(c) => Ok(pystr::new(c.to_string())),
                None => Err(ctx.index_error("string index out of range")),
            }
        }
        Some(Kind::Range) => {
            let r = range::get(obj).unwrap();
            if is_slice {
                let span = resolve_slice(ctx, key, r.len() as usize)?;
                let start = r.item(span.start);
                let step = r.step * span.step;
                return Ok(range::new(start, start + step * span.len as i64, step));
            }
            let i = index_of(ctx, key, "range")?;
            match seq_index(i, r.len() as usize) {
                Some(j) => Ok(Val::int(r.item(j as i64))),
                None => Err(ctx.index_error("range object index out of range")),
            }
        }
        _ => Err(ctx.type_error(format!(
            "'{}' object is not subscriptable",
            super::type_name(obj)
        ))),
    }
}

/// `obj[key] = value`.
pub fn setitem(ctx: &mut Ctx, obj: Value, key: Value, value: Value) -> PyResult<()> {
    // a dict first (the commonest), out of the way of the list arm's slices
    if let Some(d) = dict::get(obj) {
        let k = hkey(ctx, key)?;
        ctx.check_items(d.len() + 1)?;
        dict::insert(obj, k, Val::new_ref(value));
        return Ok(());
    }
    setitem_other(ctx, obj, key, value)
}

fn setitem_other(ctx: &mut Ctx, obj: Value, key: Value, value: Value) -> PyResult<()> {
    match heap::kind_of(obj) {
        Some(Kind::List) => {
            let l = list::get(obj).unwrap();
            if range::get_slice(key).is_some() {
                let new_items = super::iter::collect(ctx, value)?;
                let len = l.len();
                let span = resolve_slice(ctx, key, len)?;
                let mut items = l.items.borrow_mut();
                if span.step == 1 {
                    let start = span.start.clamp(0, len as i64) as usize;
                    let end = (start + span.len).min(len);
                    items.splice(start..end, new_items);
                } else {
                    if new_items.len() != span.len {
                        drop(items);
                        return Err(ctx.value_error(format!(
                            "attempt to assign sequence of size {} to extended slice of size {}",
                            new_items.len(),
                            span.len
                        )));
                    }
                    for (i, v) in span.indices().zip(new_items) {
                        items[i] = v;
                    }
                }
                return Ok(());
            }
            let i = index_of(ctx, key, "list")?;
            let len = l.len();
            match seq_index(i, len) {
                Some(j) => {
                    let old = std::mem::replace(&mut l.items.borrow_mut()[j], Val::new_ref(value));
                    drop(old);
                    Ok(())
                }
                None => Err(ctx.index_error("list assignment index out of range")),
            }
        }
        _ => Err(ctx.type_error(format!(
            "'{}' object does not support item assignment",
            super::type_name(obj)
        ))),
    }
}

/// `del obj[key]`.
pub fn delitem(ctx: &mut Ctx, obj: Value, key: Value) -> PyResult<()> {
    match heap::kind_of(obj) {
        Some(Kind::List) => {
            let l = list::get(obj).unwrap();
            let len = l.len();
            if range::get_slice(key).is_some() {
                let span = resolve_slice(ctx, key, len)?;
                let doomed: std::collections::HashSet<usize> = span.indices().collect();
                let removed: Vec<Val> = {
                    let mut items = l.items.borrow_mut();
                    let old = std::mem::take(&mut *items);
                    let mut removed = Vec::new();
                    for (i, v) in old.into_iter().enumerate() {
                        if doomed.contains(&i) {
                            removed.push(v)
                        } else {
                            items.push(v)
                        }
                    }
                    removed
                };
                drop(removed);
                return Ok(());
            }
            let i = index_of(ctx, key, "list")?;
            match seq_index(i, len) {
                Some(j) => {
                    let removed = l.items.borrow_mut().remove(j);
                    drop(removed);
                    Ok(())
                }
                None => Err(ctx.index_error("list assignment index out of range")),
            }
        }
        Some(Kind::Dict) => {
            let k = hkey(ctx, key)?;
            let d = dict::get(obj).unwrap();
            let removed = d.map.borrow_mut().shift_remove(&k);
            match removed {
                Some(v) => {
                    d.bump();
                    drop(v);
                    Ok(())
                }
                None => Err(ctx.key_error(Val::new_ref(key))),
            }
        }
        _ => Err(ctx.type_error(format!(
            "'{}' object doesn't support item deletion",
            super::type_name(obj)
        ))),
    }
}

/// A slice object from compiled `a[lo:hi:step]`.
pub fn make_slice(lo: Value, hi: Value, step: Value) -> Val {
    range::new_slice(Val::new_ref(lo), Val::new_ref(hi), Val::new_ref(step))
}
