//! Equality, ordering, identity and containment.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_traits::{FromPrimitive, ToPrimitive};

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::hash::{self, HKey};
use crate::object::{date, dict, float, int, list, range, set, str as pystr, tuple};
use crate::value::{Val, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum CmpOp {
    Eq = 0,
    Ne = 1,
    Lt = 2,
    Le = 3,
    Gt = 4,
    Ge = 5,
}

impl CmpOp {
    pub fn from_u8(n: u8) -> CmpOp {
        match n {
            0 => CmpOp::Eq,
            1 => CmpOp::Ne,
            2 => CmpOp::Lt,
            3 => CmpOp::Le,
            4 => CmpOp::Gt,
            _ => CmpOp::Ge,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    fn holds(self, o: Ordering) -> bool {
        match self {
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::Ne => o != Ordering::Equal,
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::Ge => o != Ordering::Less,
        }
    }
}

/// Deepest nesting compared before RecursionError (see `repr.rs`).
const MAX_DEPTH: usize = 500;

/// A number for comparisons: an int (inline or big) or a float.
pub enum Num {
    Small(i64),
    Big(&'static BigInt),
    Float(f64),
}

pub fn as_num(v: Value) -> Option<Num> {
    if let Some(i) = v.as_small_int() {
        Some(Num::Small(i))
    } else if let Some(b) = v.as_bool() {
        Some(Num::Small(b as i64))
    } else if let Some(f) = float::get(v) {
        Some(Num::Float(f))
    } else {
        int::as_big(v).map(Num::Big)
    }
}

/// Exact comparison of an int and a float (`None` when the float is NaN).
pub fn cmp_int_float(i: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let fl = f.floor();
    let fb = BigInt::from_f64(fl).expect("finite");
    match i.cmp(&fb) {
        Ordering::Equal if f > fl => Some(Ordering::Less),
        o => Some(o),
    }
}

pub fn cmp_nums(a: &Num, b: &Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Small(x), Num::Small(y)) => Some(x.cmp(y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y),
        (Num::Small(x), Num::Float(y)) => {
            if x.unsigned_abs() < (1 << 53) {
                (*x as f64).partial_cmp(y)
            } else {
                cmp_int_float(&BigInt::from(*x), *y)
            }
        }
        (Num::Float(x), Num::Small(y)) => {
            cmp_nums(&Num::Small(*y), &Num::Float(*x)).map(Ordering::reverse)
        }
        (Num::Big(x), Num::Float(y)) => cmp_int_float(x, *y),
        (Num::Float(x), Num::Big(y)) => cmp_int_float(y, *x).map(Ordering::reverse),
        (Num::Big(x), Num::Big(y)) => Some(x.cmp(y)),
        (Num::Small(x), Num::Big(y)) => Some(BigInt::from(*x).cmp(y)),
        (Num::Big(x), Num::Small(y)) => Some((*x).cmp(&BigInt::from(*y))),
    }
}

/// `a == b`.
pub fn eq(ctx: &mut Ctx, a: Value, b: Value) -> PyResult<bool> {
    eq_depth(ctx, a, b, 0)
}

fn eq_depth(ctx: &mut Ctx, a: Value, b: Value, depth: usize) -> PyResult<bool> {
    if a == b {
        // identity implies equality, except for NaN
        return Ok(float::get(a).is_none_or(|f| !f.is_nan()));
    }
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return Ok(x == y);
    }
    if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
        return Ok(cmp_nums(&x, &y) == Some(Ordering::Equal));
    }
    if depth > MAX_DEPTH {
        return Err(ctx.raise_new(
            *crate::object::exc::ids::RECURSION_ERROR,
            "maximum recursion depth exceeded in comparison",
        ));
    }
    let (ka, kb) = (heap::kind_of(a), heap::kind_of(b));
    match (ka, kb) {
        (Some(Kind::Str), Some(Kind::Str)) => {
            let (x, y) = (pystr::as_str(a).unwrap(), pystr::as_str(b).unwrap());
            // texts of one length are compared byte by byte
            if x.len() == y.len() {
                ctx.consume_bytes(x.len())?;
            }
            Ok(x == y)
        }
        (Some(Kind::List), Some(Kind::List)) => {
            let (x, y) = (
                list::get(a).unwrap().snapshot(),
                list::get(b).unwrap().snapshot(),
            );
            seq_eq(ctx, &x, &y, depth)
        }
        (Some(Kind::Tuple), Some(Kind::Tuple)) => {
            seq_eq(ctx, tuple::get(a).unwrap(), tuple::get(b).unwrap(), depth)
        }
        (Some(Kind::Dict), Some(Kind::Dict)) => {
            let (x, y) = (dict::get(a).unwrap(), dict::get(b).unwrap());
            if x.len() != y.len() {
                return Ok(false);
            }
            ctx.consume(x.len())?;
            let entries: Vec<(HKey, Val)> = x
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
            for (k, v) in entries {
                let other = y.map.borrow().get(&k).cloned();
                match other {
                    Some(o) => {
                        if !eq_depth(ctx, v.v(), o.v(), depth + 1)? {
                            return Ok(false);
                        }
                    }
                    None => return Ok(false),
                }
            }
            Ok(true)
        }
        (Some(Kind::Set), Some(Kind::Set)) => {
            ctx.consume(set::get(a).unwrap().items.borrow().len())?;
            Ok(set::same_members(a, b))
        }
        (Some(Kind::Range), Some(Kind::Range)) => {
            let (x, y) = (range::get(a).unwrap(), range::get(b).unwrap());
            let (lx, ly) = (x.len(), y.len());
            Ok(lx == ly && (lx == 0 || (x.start == y.start && (lx == 1 || x.step == y.step))))
        }
        (Some(k1), Some(k2))
            if k1 == k2
                && matches!(
                    k1,
                    Kind::Date | Kind::DateTime | Kind::Time | Kind::TimeDelta
                ) =>
        {
            Ok(date::debug_key(a) == date::debug_key(b))
        }
        _ => Ok(false),
    }
}

fn seq_eq(ctx: &mut Ctx, x: &[Val], y: &[Val], depth: usize) -> PyResult<bool> {
    if x.len() != y.len() {
        return Ok(false);
    }
    ctx.consume_items(x.len())?;
    for (p, q) in x.iter().zip(y) {
        if !eq_depth(ctx, p.v(), q.v(), depth + 1)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn unorderable(ctx: &mut Ctx, op: CmpOp, a: Value, b: Value) -> crate::ctx::Raised {
    ctx.type_error(format!(
        "'{}' not supported between instances of '{}' and '{}'",
        op.symbol(),
        super::type_name(a),
        super::type_name(b)
    ))
}

/// `a <op> b` for any of the six comparisons.
pub fn compare(ctx: &mut Ctx, op: CmpOp, a: Value, b: Value) -> PyResult<bool> {
    match op {
        CmpOp::Eq => return eq(ctx, a, b),
        CmpOp::Ne => return eq(ctx, a, b).map(|e| !e),
        _ => {}
    }
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return Ok(op.holds(x.cmp(&y)));
    }
    // two strings or two tuples (sort keys), before the number tests they would fail
    match (heap::kind_of(a), heap::kind_of(b)) {
        (Some(Kind::Str), Some(Kind::Str)) => {
            let (x, y) = (pystr::as_str(a).unwrap(), pystr::as_str(b).unwrap());
            ctx.consume_bytes(x.len().min(y.len()))?;
            return Ok(op.holds(x.cmp(y)));
        }
        (Some(Kind::Tuple), Some(Kind::Tuple)) => {
            return seq_compare(ctx, op, tuple::get(a).unwrap(), tuple::get(b).unwrap());
        }
        _ => {}
    }
    if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
        return Ok(cmp_nums(&x, &y).is_some_and(|o| op.holds(o)));
    }
    match (heap::kind_of(a), heap::kind_of(b)) {
        (Some(Kind::Str), Some(Kind::Str)) => Ok(op.holds(pystr::as_str(a).cmp(&pystr::as_str(b)))),
        (Some(Kind::List), Some(Kind::List)) => {
            let (x, y) = (
                list::get(a).unwrap().snapshot(),
                list::get(b).unwrap().snapshot(),
            );
            seq_compare(ctx, op, &x, &y)
        }
        (Some(Kind::Tuple), Some(Kind::Tuple)) => {
            seq_compare(ctx, op, tuple::get(a).unwrap(), tuple::get(b).unwrap())
        }
        (Some(Kind::Set), Some(Kind::Set)) => {
            let (x, y) = (
                set::get(a).unwrap().items.borrow(),
                set::get(b).unwrap().items.borrow(),
            );
            let sub = x.iter().all(|k| y.contains(k));
            let sup = y.iter().all(|k| x.contains(k));
            Ok(match op {
                CmpOp::Le => sub,
                CmpOp::Lt => sub && x.len() < y.len(),
                CmpOp::Ge => sup,
                CmpOp::Gt => sup && x.len() > y.len(),
                _ => unreachable!(),
            })
        }
        (Some(Kind::Date), Some(Kind::Date)) => {
            Ok(op.holds(date::get_date(a).cmp(&date::get_date(b))))
        }
        (Some(Kind::DateTime), Some(Kind::DateTime)) => {
            Ok(op.holds(date::get_datetime(a).cmp(&date::get_datetime(b))))
        }
        (Some(Kind::Time), Some(Kind::Time)) => {
            Ok(op.holds(date::get_time(a).cmp(&date::get_time(b))))
        }
        (Some(Kind::TimeDelta), Some(Kind::TimeDelta)) => {
            Ok(op.holds(date::get_timedelta(a).cmp(&date::get_timedelta(b))))
        }
        _ => Err(unorderable(ctx, op, a, b)),
    }
}

fn seq_compare(ctx: &mut Ctx, op: CmpOp, x: &[Val], y: &[Val]) -> PyResult<bool> {
    ctx.consume_items(x.len().min(y.len()))?;
    for (p, q) in x.iter().zip(y) {
        // two ints or two strings (sort keys such as `(-count, word)`): the first pair
        // that differs decides, as `==` then `op` below would
        if let (Some(a), Some(b)) = (p.v().as_small_int(), q.v().as_small_int()) {
            if a != b {
                return Ok(op.holds(a.cmp(&b)));
            }
            continue;
        }
        if let (Some(a), Some(b)) = (pystr::as_str(p.v()), pystr::as_str(q.v())) {
            ctx.consume_bytes(a.len().min(b.len()))?;
            if a != b {
                return Ok(op.holds(a.cmp(b)));
            }
            continue;
        }
        if !eq(ctx, p.v(), q.v())? {
            return compare(ctx, op, p.v(), q.v());
        }
    }
    Ok(op.holds(x.len().cmp(&y.len())))
}

/// A total order for sorting: `a < b` with Python's errors.
pub fn less(ctx: &mut Ctx, a: Value, b: Value) -> PyResult<bool> {
    compare(ctx, CmpOp::Lt, a, b)
}

/// `item in container`.
pub fn contains(ctx: &mut Ctx, container: Value, item: Value) -> PyResult<bool> {
    match heap::kind_of(container) {
        Some(Kind::Str) => match pystr::as_str(item) {
            Some(needle) => {
                let hay = pystr::as_str(container).unwrap();
                ctx.consume_bytes(hay.len())?;
                Ok(hay.contains(needle))
            }
            None => Err(ctx.type_error(format!(
                "'in <string>' requires string as left operand, not {}",
                super::type_name(item)
            ))),
        },
        Some(Kind::List) => {
            let items = list::get(container).unwrap().snapshot();
            ctx.consume(items.len())?;
            for x in &items {
                if eq(ctx, x.v(), item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Some(Kind::Tuple) => {
            let items = tuple::get(container).unwrap();
            ctx.consume(items.len())?;
            for x in items {
                if eq(ctx, x.v(), item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Some(Kind::Dict) => {
            let key = href(ctx, item)?;
            let d = dict::get(container).unwrap();
            let found = d.map.borrow().get_index_of(&key);
            if let Some(i) = found {
                d.hint.set(i);
            }
            Ok(found.is_some())
        }
        Some(Kind::Set) => {
            let key = hkey(ctx, item)?;
            Ok(set::get(container).unwrap().items.borrow().contains(&key))
        }
        Some(Kind::Range) => {
            let r = range::get(container).unwrap();
            let i = match as_num(item) {
                Some(Num::Small(i)) => i,
                Some(Num::Float(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => f as i64,
                // floats with a fraction, big ints beyond any range, non-numbers
                _ => return Ok(false),
            };
            let inside = if r.step > 0 {
                i >= r.start && i < r.stop
            } else {
                i <= r.start && i > r.stop
            };
            Ok(inside && (i - r.start) % r.step == 0)
        }
        Some(Kind::Document) => {
            // `"field" in doc`: the document has that field set
            Ok(pystr::as_str(item)
                .is_some_and(|k| crate::object::doc::get(container).unwrap().has_field(k)))
        }
        Some(Kind::Iterator) => {
            while let Some(x) = super::iter::next(ctx, container)? {
                if eq(ctx, x.v(), item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => Err(ctx.type_error(format!(
            "argument of type '{}' is not iterable",
            super::type_name(container)
        ))),
    }
}

/// A dict key / set member, or TypeError for unhashable values.
/// A borrowed lookup key for `v` (`TypeError` when unhashable).
#[inline]
pub fn href(ctx: &mut Ctx, v: Value) -> PyResult<hash::HRef> {
    match hash::hash_of(v) {
        Ok(h) => Ok(hash::HRef { hash: h, key: v }),
        Err(hash::Unhashable(t)) => Err(unhashable(ctx, t)),
    }
}

#[cold]
fn unhashable(ctx: &mut Ctx, t: &str) -> crate::ctx::Raised {
    ctx.type_error(format!("unhashable type: '{t}'"))
}

pub fn hkey(ctx: &mut Ctx, v: Value) -> PyResult<HKey> {
    match hash::hash_of(v) {
        Ok(h) => Ok(HKey {
            hash: h,
            key: Val::new_ref(v),
        }),
        Err(hash::Unhashable(t)) => Err(ctx.type_error(format!("unhashable type: '{t}'"))),
    }
}

/// A number as f64 (ints converted; `OverflowError` for huge ints).
pub fn to_f64(ctx: &mut Ctx, v: Value) -> PyResult<Option<f64>> {
    Ok(match as_num(v) {
        Some(Num::Small(i)) => Some(i as f64),
        Some(Num::Float(f)) => Some(f),
        Some(Num::Big(b)) => match b.to_f64().filter(|f| f.is_finite()) {
            Some(f) => Some(f),
            None => return Err(ctx.overflow_error("int too large to convert to float")),
        },
        None => None,
    })
}
