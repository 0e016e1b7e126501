//! Python's builtin functions and type constructors, as the sandbox offers them.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

use super::args::{exactly, kwarg, no_kwargs, parse};
use super::{Builtin, b};
use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::iter::{self as it, IterState};
use crate::object::{dict, exc, float, int, list, range, set, str as pystr, tuple};
use crate::ops::call::{Kwargs, call};
use crate::ops::compare::{Num, as_num, hkey};
use crate::ops::{self, arith, convert, iter, repr as pyrepr, truthy};
use crate::value::{StaticKind, Val, Value};

/// Python's builtin functions.
pub static TABLE: &[Builtin] = &[
    b("abs", abs),
    b("all", all),
    b("any", any),
    b("ascii", ascii),
    b("bin", bin),
    b("callable", callable),
    b("chr", chr),
    b("divmod", divmod),
    b("enumerate", enumerate),
    b("filter", filter),
    b("format", format),
    b("getattr", getattr),
    b("hasattr", hasattr),
    b("hash", hash),
    b("hex", hex),
    b("isinstance", isinstance),
    b("issubclass", issubclass),
    b("iter", iter),
    b("len", len),
    b("map", map),
    b("max", max),
    b("min", min),
    b("next", next),
    b("oct", oct),
    b("ord", ord),
    b("pow", pow),
    b("print", print),
    b("repr", repr),
    b("reversed", reversed),
    b("round", round),
    b("sorted", sorted),
    b("sum", sum),
    b("zip", zip),
];

pub fn len(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "len", 1, args, kwargs)? else {
        unreachable!()
    };
    match length(*v) {
        Some(n) => Ok(Val::int(n as i64)),
        None => Err(ctx.type_error(format!(
            "object of type '{}' has no len()",
            ops::type_name(*v)
        ))),
    }
}

/// `len(v)` when `v` has a length.
pub fn length(v: Value) -> Option<usize> {
    Some(match heap::kind_of(v)? {
        Kind::Str => pystr::get(v)?.nchars,
        Kind::List => list::get(v)?.len(),
        Kind::Tuple => tuple::get(v)?.len(),
        Kind::Dict => dict::get(v)?.len(),
        Kind::Set => set::get(v)?.len(),
        Kind::Range => range::get(v)?.len().max(0) as usize,
        _ => return None,
    })
}

pub fn print(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let mut sep = " ".to_string();
    let mut end = "\n".to_string();
    for (k, v) in kwargs {
        let text = if v.is_none() {
            None
        } else {
            Some(pystr::as_str(*v))
        };
        match (*k, text) {
            ("sep", Some(Some(s))) => sep = s.to_string(),
            ("end", Some(Some(s))) => end = s.to_string(),
            ("sep" | "end", None) => {}
            ("sep" | "end", Some(None)) => {
                return Err(ctx.type_error(format!(
                    "{k} must be None or a string, not {}",
                    ops::type_name(*v)
                )));
            }
            ("file" | "flush", _) => {}
            _ => {
                return Err(
                    ctx.type_error(format!("'{k}' is an invalid keyword argument for print()"))
                );
            }
        }
    }
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        out.push_str(&pyrepr::to_str(ctx, *a)?);
    }
    out.push_str(&end);
    // Frappe's print collector strips the text before logging it
    ctx.log(out.trim().to_string())?;
    Ok(Val::NONE)
}

pub fn repr(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "repr", 1, args, kwargs)? else {
        unreachable!()
    };
    Ok(pystr::new(pyrepr::repr(ctx, *v)?))
}

pub fn ascii(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "ascii", 1, args, kwargs)? else {
        unreachable!()
    };
    let r = pyrepr::repr(ctx, *v)?;
    let mut out = String::with_capacity(r.len());
    for c in r.chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            0x80..=0xff => out.push_str(&format!("\\x{:02x}", c as u32)),
            0x100..=0xffff => out.push_str(&format!("\\u{:04x}", c as u32)),
            n => out.push_str(&format!("\\U{n:08x}")),
        }
    }
    Ok(pystr::new(out))
}

pub fn abs(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "abs", 1, args, kwargs)? else {
        unreachable!()
    };
    match as_num(*v) {
        Some(Num::Small(i)) => Ok(match i.checked_abs() {
            Some(a) => Val::int(a),
            None => int::from_big(BigInt::from(i).abs()),
        }),
        Some(Num::Big(b)) => Ok(int::from_big(b.abs())),
        Some(Num::Float(f)) => Ok(float::new(f.abs())),
        None => match crate::object::date::get_timedelta(*v) {
            Some(t) => Ok(crate::object::date::new_timedelta(
                crate::object::date::TimeDeltaObj::from_micros(t.total_micros().abs()),
            )),
            None => Err(ctx.type_error(format!(
                "bad operand type for abs(): '{}'",
                ops::type_name(*v)
            ))),
        },
    }
}

fn all_any(ctx: &mut Ctx, name: &str, args: &[Value], kwargs: &Kwargs, want: bool) -> PyResult {
    let [v] = exactly(ctx, name, 1, args, kwargs)? else {
        unreachable!()
    };
    let it = iter::get_iter(ctx, *v)?;
    while let Some(x) = iter::next(ctx, it.v())? {
        ctx.consume(1)?;
        if truthy(x.v()) == want {
            return Ok(Val::bool(want));
        }
    }
    Ok(Val::bool(!want))
}

pub fn all(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    all_any(ctx, "all", args, kwargs, false)
}

pub fn any(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    all_any(ctx, "any", args, kwargs, true)
}

fn int_arg(ctx: &mut Ctx, fname: &str, v: Value) -> PyResult<BigInt> {
    match int::to_big(v) {
        Some(b) => Ok(b),
        None => Err(ctx.type_error(
            format!(
                "'{}' object cannot be interpreted as an integer",
                ops::type_name(v)
            )
            .replace("{fname}", fname),
        )),
    }
}

fn radix(
    ctx: &mut Ctx,
    fname: &str,
    args: &[Value],
    kwargs: &Kwargs,
    prefix: &str,
    base: u32,
) -> PyResult {
    let [v] = exactly(ctx, fname, 1, args, kwargs)? else {
        unreachable!()
    };
    let n = int_arg(ctx, fname, *v)?;
    // one digit per bit at most
    ctx.consume_bytes(n.bits() as usize)?;
    let digits = n.abs().to_str_radix(base);
    let sign = if n.is_negative() { "-" } else { "" };
    Ok(pystr::new(format!("{sign}{prefix}{digits}")))
}

pub fn bin(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    radix(ctx, "bin", args, kwargs, "0b", 2)
}

pub fn oct(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    radix(ctx, "oct", args, kwargs, "0o", 8)
}

pub fn hex(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    radix(ctx, "hex", args, kwargs, "0x", 16)
}

pub fn callable(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "callable", 1, args, kwargs)? else {
        unreachable!()
    };
    Ok(Val::bool(ops::call::is_callable(*v)))
}

pub fn chr(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "chr", 1, args, kwargs)? else {
        unreachable!()
    };
    let n = int_arg(ctx, "chr", *v)?;
    match n.to_u32().and_then(char::from_u32) {
        Some(c) => Ok(pystr::new(c.to_string())),
        None => Err(ctx.value_error("chr() arg not in range(0x110000)")),
    }
}

pub fn ord(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "ord", 1, args, kwargs)? else {
        unreachable!()
    };
    match pystr::get(*v) {
        Some(s) if s.nchars == 1 => Ok(Val::int(s.as_str().chars().next().unwrap() as i64)),
        Some(s) => Err(ctx.type_error(format!(
            "ord() expected a character, but string of length {} found",
            s.nchars
        ))),
        None => Err(ctx.type_error(format!(
            "ord() expected string of length 1, but {} found",
            ops::type_name(*v)
        ))),
    }
}

pub fn divmod(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [a, b] = exactly(ctx, "divmod", 2, args, kwargs)? else {
        unreachable!()
    };
    if let (Some(x), Some(y)) = (as_num(*a), as_num(*b))
        && (matches!(x, Num::Float(_)) || matches!(y, Num::Float(_)))
    {
        let x = ops::compare::to_f64(ctx, *a)?.unwrap();
        let y = ops::compare::to_f64(ctx, *b)?.unwrap();
        if y == 0.0 {
            return Err(ctx.zero_division("float divmod()"));
        }
        let (q, r) = arith::float_divmod(x, y);
        return Ok(tuple::new(vec![float::new(q), float::new(r)]));
    }
    if int::is_int(*b) && int::to_big(*b).is_some_and(|y| y.is_zero()) {
        return Err(ctx.zero_division("integer division or modulo by zero"));
    }
    let q = arith::binary(ctx, arith::BinOp::FloorDiv, *a, *b)?;
    let r = arith::binary(ctx, arith::BinOp::Mod, *a, *b)?;
    Ok(tuple::new(vec![q, r]))
}

pub fn pow(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [base, exp, modulus] = parse(ctx, "pow", ["base", "exp", "mod"], 2, args, kwargs)?;
    let (base, exp) = (base.unwrap(), exp.unwrap());
    match modulus {
        None => arith::binary(ctx, arith::BinOp::Pow, base, exp),
        Some(m) if m.is_none() => arith::binary(ctx, arith::BinOp::Pow, base, exp),
        Some(m) => {
            let (Some(b), Some(e), Some(m)) = (int::to_big(base), int::to_big(exp), int::to_big(m))
            else {
                return Err(ctx.type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers",
                ));
            };
            if m.is_zero() {
                return Err(ctx.value_error("pow() 3rd argument cannot be 0"));
            }
            let (b, e) = if e.is_negative() {
                // a negative exponent raises the modular inverse (Python 3.8+)
                match mod_inverse(&b, &m.abs()) {
                    Some(inv) => (inv, -e),
                    None => {
                        return Err(ctx.value_error("base is not invertible for the given modulus"));
                    }
                }
            } else {
                (b, e)
            };
            let r = arith::big_mod_pow(ctx, &b, &e, &m.abs())?;
            // Python's result takes the sign of the modulus
            let r = if m.is_negative() && !r.is_zero() {
                r + m
            } else {
                r
            };
            Ok(int::from_big(r))
        }
    }
}

/// The inverse of `a` modulo `m` (> 0), if `a` and `m` are coprime.
fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let (mut old_r, mut r) = (num_integer::Integer::mod_floor(a, m), m.clone());
    let (mut old_s, mut s) = (BigInt::from(1), BigInt::from(0));
    while !r.is_zero() {
        let q = &old_r / &r;
        let next_r = &old_r - &q * &r;
        old_r = std::mem::replace(&mut r, next_r);
        let next_s = &old_s - &q * &s;
        old_s = std::mem::replace(&mut s, next_s);
    }
    (old_r == BigInt::from(1)).then(|| num_integer::Integer::mod_floor(&old_s, m))
}

pub fn hash(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "hash", 1, args, kwargs)? else {
        unreachable!()
    };
    match crate::object::hash::hash_of(*v) {
        Ok(h) => Ok(Val::int(h as i64)),
        Err(crate::object::hash::Unhashable(t)) => {
            Err(ctx.type_error(format!("unhashable type: '{t}'")))
        }
    }
}

pub fn getattr(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    no_kwargs(ctx, "getattr", kwargs)?;
    if !(2..=3).contains(&args.len()) {
        return Err(ctx.type_error(format!(
            "getattr expected 2 or 3 arguments, got {}",
            args.len()
        )));
    }
    let Some(name) = pystr::as_str(args[1]) else {
        return Err(ctx.type_error("attribute name must be string"));
    };
    if name.starts_with('_') && name != "_" && name != "_dict" {
        // a computed private name: refused at run time (constant ones at compile time, SS104)
        return Err(ctx.attribute_error(format!(
            "\"{name}\" is an invalid attribute name because it starts with \"_\""
        )));
    }
    match ops::attr::getattr(ctx, args[0], name) {
        Ok(v) => Ok(v),
        Err(e) => {
            if args.len() == 3 && pending_is(ctx, *exc::ids::ATTRIBUTE_ERROR) {
                ctx.take_exception();
                Ok(Val::new_ref(args[2]))
            } else {
                Err(e)
            }
        }
    }
}

fn pending_is(ctx: &Ctx, class: u32) -> bool {
    ctx.pending()
        .and_then(|e| exc::get(e.v()))
        .is_some_and(|e| exc::is_subclass(e.class, class))
}

pub fn hasattr(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [obj, name] = exactly(ctx, "hasattr", 2, args, kwargs)? else {
        unreachable!()
    };
    let Some(n) = pystr::as_str(*name) else {
        return Err(ctx.type_error("attribute name must be string"));
    };
    if n.starts_with('_') && n != "_" && n != "_dict" {
        return Ok(Val::FALSE);
    }
    match ops::attr::getattr(ctx, *obj, n) {
        Ok(_) => Ok(Val::TRUE),
        Err(e) => {
            if pending_is(ctx, *exc::ids::ATTRIBUTE_ERROR) {
                ctx.take_exception();
                Ok(Val::FALSE)
            } else {
                Err(e)
            }
        }
    }
}

/// Whether `v` is an instance of the type/class `cls` (a type, an exception class, or a
/// tuple of them).
pub fn is_instance(ctx: &mut Ctx, v: Value, cls: Value) -> PyResult<bool> {
    if let Some(items) = tuple::get(cls) {
        for c in items {
            if is_instance(ctx, v, c.v())? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match cls.as_static() {
        Some((StaticKind::Type, id)) => Ok(match super::type_name_of(id) {
            "int" => int::is_int(v) || v.as_bool().is_some(),
            "bool" => v.as_bool().is_some(),
            "float" => float::get(v).is_some(),
            "str" => pystr::get(v).is_some(),
            "list" => list::get(v).is_some(),
            "tuple" => tuple::get(v).is_some(),
            "dict" => dict::get(v).is_some(),
            "_dict" => dict::get(v).is_some_and(|d| d.attr),
            "set" => set::get(v).is_some_and(|s| !s.frozen),
            "frozenset" => set::get(v).is_some_and(|s| s.frozen),
            "range" => range::get(v).is_some(),
            "slice" => range::get_slice(v).is_some(),
            "object" => true,
            _ => false,
        }),
        Some((StaticKind::ExcClass, id)) => {
            Ok(exc::get(v).is_some_and(|e| exc::is_subclass(e.class, id)))
        }
        _ => Err(ctx.type_error("isinstance() arg 2 must be a type, a tuple of types, or a union")),
    }
}

pub fn isinstance(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v, cls] = exactly(ctx, "isinstance", 2, args, kwargs)? else {
        unreachable!()
    };
    is_instance(ctx, *v, *cls).map(Val::bool)
}

pub fn issubclass(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [a, b] = exactly(ctx, "issubclass", 2, args, kwargs)? else {
        unreachable!()
    };
    match (
        a.static_id(StaticKind::ExcClass),
        b.static_id(StaticKind::ExcClass),
    ) {
        (Some(x), Some(y)) => Ok(Val::bool(exc::is_subclass(x, y))),
        _ => match (a.as_static(), b.as_static()) {
            (Some((StaticKind::Type, x)), Some((StaticKind::Type, y))) => Ok(Val::bool(
                x == y || (super::type_name_of(x) == "bool" && super::type_name_of(y) == "int"),
            )),
            _ => Err(ctx.type_error("issubclass() arg 1 must be a class")),
        },
    }
}

pub fn iter(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "iter", 1, args, kwargs)? else {
        unreachable!()
    };
    iter::get_iter(ctx, *v)
}

pub fn next(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    no_kwargs(ctx, "next", kwargs)?;
    if args.is_empty() || args.len() > 2 {
        return Err(ctx.type_error(format!(
            "next expected at least 1 argument, got {}",
            args.len()
        )));
    }
    match iter::next(ctx, args[0])? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(d) => Ok(Val::new_ref(*d)),
            None => Err(ctx.raise_new(*exc::ids::STOP_ITERATION, "")),
        },
    }
}

pub fn enumerate(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v, start] = parse(ctx, "enumerate", ["iterable", "start"], 1, args, kwargs)?;
    let inner = iter::get_iter(ctx, v.unwrap())?;
    let count = match start {
        Some(s) => match int::to_i64(s) {
            Some(i) => i,
            None => {
                return Err(ctx.type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    ops::type_name(s)
                )));
            }
        },
        None => 0,
    };
    Ok(it::new(IterState::Enumerate { inner, count }))
}

pub fn zip(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    if kwarg(kwargs, "strict").is_some() {
        let n = collect_all(ctx, args)?;
        let len = n.first().map(Vec::len).unwrap_or(0);
        if n.iter().any(|v| v.len() != len) {
            return Err(ctx.value_error("zip() arguments have different lengths"));
        }
    }
    let iters = args
        .iter()
        .map(|a| iter::get_iter(ctx, *a))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(it::new(IterState::Zip { iters }))
}

fn collect_all(ctx: &mut Ctx, args: &[Value]) -> PyResult<Vec<Vec<Val>>> {
    args.iter().map(|a| iter::collect(ctx, *a)).collect()
}

pub fn map(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    no_kwargs(ctx, "map", kwargs)?;
    if args.len() < 2 {
        return Err(ctx.type_error("map() must have at least two arguments."));
    }
    let iters = args[1..]
        .iter()
        .map(|a| iter::get_iter(ctx, *a))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(it::new(IterState::Map {
        func: Val::new_ref(args[0]),
        iters,
    }))
}

pub fn filter(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [f, v] = exactly(ctx, "filter", 2, args, kwargs)? else {
        unreachable!()
    };
    let inner = iter::get_iter(ctx, *v)?;
    Ok(it::new(IterState::Filter {
        func: Val::new_ref(*f),
        inner,
    }))
}

pub fn reversed(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v] = exactly(ctx, "reversed", 1, args, kwargs)? else {
        unreachable!()
    };
    if dict::get(*v).is_none() && set::get(*v).is_none() && length(*v).is_some() {
        let mut items = iter::collect(ctx, *v)?;
        items.reverse();
        return Ok(iter::over(items));
    }
    Err(ctx.type_error(format!("'{}' object is not reversible", ops::type_name(*v))))
}

/// Sorts values in place, stably, by `keys` (or the values themselves).
pub fn sort_values(
    ctx: &mut Ctx,
    items: &mut Vec<Val>,
    key: Option<Value>,
    reverse: bool,
) -> PyResult<()> {
    // n log n comparisons
    let n = items.len();
    ctx.consume(n.saturating_mul((usize::BITS - n.leading_zeros()) as usize))?;
    let keys: Vec<Val> = match key {
        Some(k) if !k.is_none() => items
            .iter()
            .map(|x| call(ctx, k, &[x.v()], &[]))
            .collect::<PyResult<_>>()?,
        _ => items.clone(),
    };
    // CPython sorts a reversed list reversed (stable for equal keys in both senses)
    let mut order: Vec<usize> = if reverse {
        (0..items.len()).rev().collect()
    } else {
        (0..items.len()).collect()
    };
    stable_sort(ctx, &keys, &mut order)?;
    if reverse {
        order.reverse();
    }
    let sorted: Vec<Val> = order.into_iter().map(|i| items[i].clone()).collect();
    *items = sorted;
    Ok(())
}

/// A stable sort of `order` (indices into `keys`) with one fallible `<` per step, the
/// later element always on the left as in CPython's list sort — so a list mixing
/// types fails on the same pair with the same message (`'<' not supported between
/// instances of 'str' and 'int'`). Binary insertion for short lists (CPython's choice
/// below 64 items), merging of insertion-sorted runs above.
fn stable_sort(ctx: &mut Ctx, keys: &[Val], order: &mut [usize]) -> PyResult<()> {
    let lt = |ctx: &mut Ctx, a: usize, b: usize| ops::compare::less(ctx, keys[a].v(), keys[b].v());
    fn insertion(
        ctx: &mut Ctx,
        run: &mut [usize],
        lt: &impl Fn(&mut Ctx, usize, usize) -> PyResult<bool>,
    ) -> PyResult<()> {
        for i in 1..run.len() {
            let pivot = run[i];
            let (mut lo, mut hi) = (0, i);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if lt(ctx, pivot, run[mid])? {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            run.copy_within(lo..i, lo + 1);
            run[lo] = pivot;
        }
        Ok(())
    }
    const RUN: usize = 32;
    if order.len() < 64 {
        return insertion(ctx, order, &lt);
    }
    for run in order.chunks_mut(RUN) {
        insertion(ctx, run, &lt)?;
    }
    let mut width = RUN;
    let mut buf: Vec<usize> = Vec::with_capacity(order.len());
    while width < order.len() {
        buf.clear();
        for start in (0..order.len()).step_by(2 * width) {
            let mid = (start + width).min(order.len());
            let end = (start + 2 * width).min(order.len());
            let (mut i, mut j) = (start, mid);
            while i < mid && j < end {
                // the right run holds later elements: take it only when strictly less
                if lt(ctx, order[j], order[i])? {
                    buf.push(order[j]);
                    j += 1;
                } else {
                    buf.push(order[i]);
                    i += 1;
                }
            }
            buf.extend_from_slice(&order[i..mid]);
            buf.extend_from_slice(&order[j..end]);
        }
        order.copy_from_slice(&buf);
        width *= 2;
    }
    Ok(())
}

pub fn sorted(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    if args.len() != 1 {
        return Err(ctx.type_error(format!("sorted expected 1 argument, got {}", args.len())));
    }
    let mut key = None;
    let mut reverse = false;
    for (k, v) in kwargs {
        match *k {
            "key" => key = Some(*v),
            "reverse" => reverse = truthy(*v),
            _ => {
                return Err(
                    ctx.type_error(format!("sort() got an unexpected keyword argument '{k}'"))
                );
            }
        }
    }
    let mut items = iter::collect(ctx, args[0])?;
    sort_values(ctx, &mut items, key, reverse)?;
    Ok(list::new(items))
}

pub fn sum(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v, start] = parse(ctx, "sum", ["iterable", "start"], 1, args, kwargs)?;
    let mut total = start.map(Val::new_ref).unwrap_or(Val::int(0));
    if pystr::get(total.v()).is_some() {
        return Err(ctx.type_error("sum() can't sum strings [use ''.join(seq) instead]"));
    }
    let it = iter::get_iter(ctx, v.unwrap())?;
    while let Some(x) = iter::next(ctx, it.v())? {
        ctx.consume(1)?;
        total = arith::binary(ctx, arith::BinOp::Add, total.v(), x.v())?;
    }
    Ok(total)
}

fn min_max(ctx: &mut Ctx, name: &str, args: &[Value], kwargs: &Kwargs, want_max: bool) -> PyResult {
    let mut key = None;
    let mut default = None;
    for (k, v) in kwargs {
        match *k {
            "key" => key = Some(*v).filter(|v| !v.is_none()),
            "default" => default = Some(*v),
            _ => {
                return Err(
                    ctx.type_error(format!("'{k}' is an invalid keyword argument for {name}()"))
                );
            }
        }
    }
    let items = match args.len() {
        0 => return Err(ctx.type_error(format!("{name} expected at least 1 argument, got 0"))),
        1 => iter::collect(ctx, args[0])?,
        _ => {
            if default.is_some() {
                return Err(ctx.type_error(format!(
                    "Cannot specify a default for {name}() with multiple positional arguments"
                )));
            }
            args.iter().map(|a| Val::new_ref(*a)).collect()
        }
    };
    let mut best: Option<(Val, Val)> = None;
    for x in items {
        let k = match key {
            Some(f) => call(ctx, f, &[x.v()], &[])?,
            None => x.clone(),
        };
        let better = match &best {
            None => true,
            Some((bk, _)) => {
                if want_max {
                    ops::compare::less(ctx, bk.v(), k.v())?
                } else {
                    ops::compare::less(ctx, k.v(), bk.v())?
                }
            }
        };
        if better {
            best = Some((k, x));
        }
    }
    match best {
        Some((_, x)) => Ok(x),
        None => match default {
            Some(d) => Ok(Val::new_ref(d)),
            None => Err(ctx.value_error(format!("{name}() arg is an empty sequence"))),
        },
    }
}

pub fn max(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    min_max(ctx, "max", args, kwargs, true)
}

pub fn min(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    min_max(ctx, "min", args, kwargs, false)
}

/// `round(x)` (half to even, an int) and `round(x, n)` (correctly rounded, like CPython).
pub fn round(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [x, n] = parse(ctx, "round", ["number", "ndigits"], 1, args, kwargs)?;
    let x = x.unwrap();
    let n = n.filter(|v| !v.is_none());
    if int::is_int(x) || x.as_bool().is_some() {
        // an int (a bool becomes one) rounds to itself for ndigits >= 0
        let whole = match (x.as_bool(), int::to_i64(x)) {
            (Some(b), _) => Val::int(b as i64),
            (None, Some(i)) => Val::int(i),
            (None, None) => Val::new_ref(x),
        };
        let Some(nd) = n else {
            return Ok(whole);
        };
        let nd = int::to_i64(nd).unwrap_or(0);
        if nd >= 0 {
            return Ok(whole);
        }
        // round to tens/hundreds…, ties to even
        let v = int::to_big(whole.v()).unwrap_or_default();
        let p = num_traits::pow::Pow::pow(BigInt::from(10), (-nd) as u64);
        let (q, r) = num_integer::Integer::div_mod_floor(&v, &p);
        let twice = &r * 2;
        let q = if twice > p || (twice == p && num_integer::Integer::is_odd(&q)) {
            q + 1
        } else {
            q
        };
        return Ok(int::from_big(q * p));
    }
    let Some(f) = float::get(x) else {
        return Err(ctx.type_error(format!(
            "type {} doesn't define __round__ method",
            ops::type_name(x)
        )));
    };
    match n {
        None => {
            if !f.is_finite() {
                return convert::float_to_int(ctx, f);
            }
            convert::float_to_int(ctx, f.round_ties_even())
        }
        Some(nd) => {
            let Some(nd) = int::to_i64(nd) else {
                return Err(ctx.type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    ops::type_name(nd)
                )));
            };
            Ok(float::new(round_float(f, nd)))
        }
    }
}

/// `round(f, ndigits)` for floats: correctly rounded to `ndigits` decimals, exact ties to
/// even (Rust's fixed-precision formatting rounds exactly the way CPython does).
pub fn round_float(f: f64, ndigits: i64) -> f64 {
    if !f.is_finite() || f == 0.0 {
        return f;
    }
    if ndigits > 330 {
        return f;
    }
    if (0..=22).contains(&ndigits) {
        // Fast path. 10**ndigits is exact, so y = f * 10**ndigits is off from the exact
        // product by at most half an ulp; unless y is within an ulp of a tie, rounding y
        // rounds the exact product the same way, and r / 10**ndigits (one IEEE
        // division of exact operands) is the correctly rounded decimal, as CPython's
        // dtoa-based round() gives.
        let p = 10f64.powi(ndigits as i32);
        let y = f * p;
        if y.abs() < 4_503_599_627_370_496.0 {
            let frac = (y - y.trunc()).abs();
            let margin = 2.0 * y.abs() * f64::EPSILON + f64::MIN_POSITIVE;
            if (frac - 0.5).abs() > margin {
                return y.round_ties_even() / p;
            }
        }
    }
    if ndigits >= 0 {
        let s = format!("{:.*}", ndigits as usize, f);
        let r: f64 = s.parse().unwrap_or(f);
        return if r == 0.0 { 0.0f64.copysign(f) } else { r };
    }
    if ndigits < -330 {
        return 0.0f64.copysign(f);
    }
    let s = format!("{f:.0}");
    let neg = s.starts_with('-');
    let digits = s.trim_start_matches('-');
    let big: BigInt = digits.parse().unwrap_or_default();
    let p = num_traits::pow::Pow::pow(BigInt::from(10), (-ndigits) as u64);
    let (q, r) = num_integer::Integer::div_mod_floor(&big, &p);
    let twice = &r * 2;
    // the integer part was already rounded by `{:.0}`; ties at this digit use the exact value
    let exact_tie = twice == p && f.fract() == 0.0;
    let q = if twice > p || (twice == p && (!exact_tie || num_integer::Integer::is_odd(&q))) {
        q + 1
    } else {
        q
    };
    let r = (q * p).to_f64().unwrap_or(f64::INFINITY);
    if neg { -r } else { r }
}

pub fn format(ctx: &mut Ctx, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let [v, spec] = parse(ctx, "format", ["value", "format_spec"], 1, args, kwargs)?;
    let spec = match spec {
        Some(s) => match pystr::as_str(s) {
            Some(t) => t.to_string(),
            None => {
                return Err(ctx.type_error(format!(
                    "format() argument 2 must be str, not {}",
                    ops::type_name(s)
                )));
            }
        },
        None => String::new(),
    };
    crate::format::format_value(ctx, v.unwrap(), &spec).map(pystr::new)
}

// ---------------------------------------------------------------------- constructors

/// `int(...)`, `str(...)`, `list(...)` … — types called as functions.
pub fn construct(ctx: &mut Ctx, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    match name {
        "int" => {
            let [v, base] = parse(ctx, "int", ["x", "base"], 0, args, kwargs)?;
            match v {
                None => Ok(Val::int(0)),
                Some(v) => {
                    let base = base.map(|b| int::to_i64(b).map(|b| b as u32).unwrap_or(10));
                    convert::to_int(ctx, v, base)
                }
            }
        }
        "float" => {
            let [v] = parse(ctx, "float", ["x"], 0, args, kwargs)?;
            match v {
                None => Ok(float::new(0.0)),
                Some(v) => convert::to_float(ctx, v),
            }
        }
        "str" => {
            let [v] = parse(ctx, "str", ["object"], 0, args, kwargs)?;
            match v {
                None => Ok(pystr::new("")),
                Some(v) if pystr::get(v).is_some() => Ok(Val::new_ref(v)),
                Some(v) => pyrepr::to_str(ctx, v).map(pystr::new),
            }
        }
        "bool" => {
            let [v] = parse(ctx, "bool", ["x"], 0, args, kwargs)?;
            Ok(Val::bool(v.is_some_and(truthy)))
        }
        "list" => {
            let [v] = parse(ctx, "list", ["iterable"], 0, args, kwargs)?;
            match v {
                None => Ok(list::new(Vec::new())),
                Some(v) => Ok(list::new(iter::collect(ctx, v)?)),
            }
        }
        "tuple" => {
            let [v] = parse(ctx, "tuple", ["iterable"], 0, args, kwargs)?;
            match v {
                None => Ok(tuple::new(Vec::new())),
                Some(v) if tuple::get(v).is_some() => Ok(Val::new_ref(v)),
                Some(v) => Ok(tuple::new(iter::collect(ctx, v)?)),
            }
        }
        "set" | "frozenset" => {
            no_kwargs(ctx, name, kwargs)?;
            let mut members = set::Members::default();
            if let Some(v) = args.first() {
                for x in iter::collect(ctx, *v)? {
                    members.insert(hkey(ctx, x.v())?);
                }
            }
            Ok(set::new(members, name == "frozenset"))
        }
        "dict" | "_dict" => make_dict(ctx, name == "_dict", args, kwargs),
        "range" => {
            no_kwargs(ctx, "range", kwargs)?;
            let nums = args
                .iter()
                .map(|a| match int::to_i64(*a) {
                    Some(i) => Ok(i),
                    None if int::as_big(*a).is_some() => {
                        Err(ctx.overflow_error("Python int too large to convert to C ssize_t"))
                    }
                    None => Err(ctx.type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        ops::type_name(*a)
                    ))),
                })
                .collect::<PyResult<Vec<i64>>>()?;
            let (start, stop, step) = match nums.as_slice() {
                [stop] => (0, *stop, 1),
                [start, stop] => (*start, *stop, 1),
                [start, stop, step] => (*start, *stop, *step),
                [] => return Err(ctx.type_error("range expected at least 1 argument, got 0")),
                _ => {
                    return Err(ctx.type_error(format!(
                        "range expected at most 3 arguments, got {}",
                        nums.len()
                    )));
                }
            };
            if step == 0 {
                return Err(ctx.value_error("range() arg 3 must not be zero"));
            }
            Ok(range::new(start, stop, step))
        }
        "slice" => {
            no_kwargs(ctx, "slice", kwargs)?;
            let none = Value::NONE;
            let (a, b, c) = match args {
                [stop] => (none, *stop, none),
                [start, stop] => (*start, *stop, none),
                [start, stop, step] => (*start, *stop, *step),
                _ => {
                    return Err(ctx.type_error(format!(
                        "slice expected at least 1 argument, got {}",
                        args.len()
                    )));
                }
            };
            Ok(ops::subscript::make_slice(a, b, c))
        }
        _ => Err(ctx.type_error(format!("cannot create '{name}' instances"))),
    }
}

/// `dict(mapping_or_pairs, **kwargs)`.
pub fn make_dict(ctx: &mut Ctx, attr: bool, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let d = dict::new_empty(attr);
    if args.len() > 1 {
        return Err(ctx.type_error(format!(
            "dict expected at most 1 argument, got {}",
            args.len()
        )));
    }
    if let Some(src) = args.first() {
        update_dict(ctx, d.v(), *src)?;
    }
    for (k, v) in kwargs {
        let key = hkey(ctx, pystr::new(*k).v())?;
        dict::insert(d.v(), key, Val::new_ref(*v));
    }
    Ok(d)
}

/// `d.update(src)`: a mapping or an iterable of pairs.
pub fn update_dict(ctx: &mut Ctx, d: Value, src: Value) -> PyResult<()> {
    if let Some(other) = dict::get(src) {
        ctx.consume(other.len())?;
        let entries: Vec<_> = other
            .map
            .borrow()
            .iter()
            .map(|(k, v)| {
                (
                    crate::object::hash::HKey {
                        hash: k.hash,
                        key: k.key.clone(),
                    },
                    v.clone(),
                )
            })
            .collect();
        for (k, v) in entries {
            dict::insert(d, k, v);
        }
        return Ok(());
    }
    if let Some(document) = crate::object::doc::get(src) {
        let fields: Vec<_> = document
            .all_fields()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in fields {
            let key = hkey(ctx, pystr::new(k).v())?;
            dict::insert(d, key, v);
        }
        return Ok(());
    }
    let items = iter::collect(ctx, src)?;
    for (i, item) in items.iter().enumerate() {
        let pair = iter::collect(ctx, item.v()).map_err(|e| {
            ctx.take_exception();
            let _ = e;
            ctx.type_error(format!(
                "cannot convert dictionary update sequence element #{i} to a sequence"
            ))
        })?;
        if pair.len() != 2 {
            return Err(ctx.value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                pair.len()
            )));
        }
        let key = hkey(ctx, pair[0].v())?;
        dict::insert(d, key, pair[1].clone());
    }
    Ok(())
}
