//! Arithmetic and bitwise operators with Python semantics: ints promote to big ints on
//! overflow, `//` and `%` floor, `/` of ints gives a correctly rounded float, sequences
//! concatenate and repeat, sets and dicts combine, dates shift by timedeltas. Results
//! that would be huge (`10**10**10`, `'a' * 10**10`) fail with MemoryError before any
//! allocation.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::{date, dict, float, int, list, set, str as pystr, tuple};
use crate::ops::compare::{Num, as_num};
use crate::value::{Val, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum BinOp {
    Add = 0,
    Sub,
    Mul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
    MatMul,
}

impl BinOp {
    pub const ALL: [BinOp; 13] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::TrueDiv,
        BinOp::FloorDiv,
        BinOp::Mod,
        BinOp::Pow,
        BinOp::LShift,
        BinOp::RShift,
        BinOp::BitAnd,
        BinOp::BitOr,
        BinOp::BitXor,
        BinOp::MatMul,
    ];

    pub fn from_u8(n: u8) -> BinOp {
        Self::ALL[n as usize % Self::ALL.len()]
    }

    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "** or pow()",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::MatMul => "@",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum UnaryOp {
    Neg = 0,
    Pos,
    Invert,
}

/// Largest int result, in bits (~1.26 million decimal digits). Scripts that compute
/// business numbers never come near; the cap keeps one multiplication from outlasting
/// the time limit, which cannot interrupt native code.
pub const MAX_INT_BITS: u64 = 1 << 22;

fn unsupported(ctx: &mut Ctx, op: BinOp, a: Value, b: Value) -> crate::ctx::Raised {
    ctx.type_error(format!(
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op.symbol(),
        super::type_name(a),
        super::type_name(b)
    ))
}

fn check_bits(ctx: &mut Ctx, bits: u64) -> PyResult<()> {
    if bits > MAX_INT_BITS {
        return Err(ctx.memory_error(format!(
            "integer result too large ({bits} bits; the limit is {MAX_INT_BITS})"
        )));
    }
    ctx.reserve((bits / 8) as usize)
}

fn int_pair(a: Value, b: Value) -> Option<(BigInt, BigInt)> {
    Some((int::to_big(a)?, int::to_big(b)?))
}

/// `a <op> b`.
pub fn binary(ctx: &mut Ctx, op: BinOp, a: Value, b: Value) -> PyResult {
    // bool's own `&`, `|`, `^` keep the bool type (`True & False` is `False`)
    if let (Some(x), Some(y)) = (a.as_bool(), b.as_bool()) {
        match op {
            BinOp::BitAnd => return Ok(Val::bool(x & y)),
            BinOp::BitOr => return Ok(Val::bool(x | y)),
            BinOp::BitXor => return Ok(Val::bool(x ^ y)),
            _ => {}
        }
    }
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int())
        && let Some(r) = small_int_op(ctx, op, x, y)?
    {
        return Ok(r);
    }
    match (as_num(a), as_num(b)) {
        (Some(x), Some(y)) => {
            let has_float = matches!(x, Num::Float(_)) || matches!(y, Num::Float(_));
            // floats have no bitwise operators: refuse before converting the other side
            // (`1.5 ^ 3**64000` is a TypeError, not an OverflowError)
            if has_float
                && matches!(
                    op,
                    BinOp::LShift
                        | BinOp::RShift
                        | BinOp::BitAnd
                        | BinOp::BitOr
                        | BinOp::BitXor
                        | BinOp::MatMul
                )
            {
                return Err(unsupported(ctx, op, a, b));
            }
            if has_float || op == BinOp::TrueDiv {
                return float_op(ctx, op, a, b);
            }
            if op == BinOp::Pow && int::to_big(b).is_some_and(|e| e.is_negative()) {
                return float_op(ctx, op, a, b);
            }
            let (x, y) = int_pair(a, b).expect("ints");
            big_int_op(ctx, op, x, y, a, b)
        }
        _ => other_op(ctx, op, a, b),
    }
}

/// Inline ints; `None` when the result needs the general path.
fn small_int_op(ctx: &mut Ctx, op: BinOp, x: i64, y: i64) -> PyResult<Option<Val>> {
    let r = match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::FloorDiv => {
            if y == 0 {
                return Err(ctx.zero_division("integer division or modulo by zero"));
            }
            Some(Integer::div_floor(&x, &y))
        }
        BinOp::Mod => {
            if y == 0 {
                return Err(ctx.zero_division("integer modulo by zero"));
            }
            Some(Integer::mod_floor(&x, &y))
        }
        BinOp::BitAnd => Some(x & y),
        BinOp::BitOr => Some(x | y),
        BinOp::BitXor => Some(x ^ y),
        BinOp::LShift => {
            if y < 0 {
                return Err(ctx.value_error("negative shift count"));
            }
            if y < 62 && x.unsigned_abs() < (1u64 << (62 - y)) {
                Some(x << y)
            } else {
                None
            }
        }
        BinOp::RShift => {
            if y < 0 {
                return Err(ctx.value_error("negative shift count"));
            }
            Some(if y >= 64 {
                if x < 0 { -1 } else { 0 }
            } else {
                x >> y
            })
        }
        BinOp::Pow if y >= 0 => u32::try_from(y).ok().and_then(|e| x.checked_pow(e)),
        _ => None,
    };
    Ok(r.map(Val::int))
}

/// 64-bit limbs of an int's magnitude (at least one).
fn limbs(x: &BigInt) -> usize {
    (x.bits() / 64) as usize + 1
}

/// `x ** e` by squaring, charging each step's multiplication before it is done, so the
/// time limit stops a long exponentiation between two steps.
pub fn big_pow(ctx: &mut Ctx, x: &BigInt, e: u64) -> PyResult<BigInt> {
    let mut r = BigInt::from(1);
    let lx = limbs(x);
    for i in (0..u64::BITS - e.leading_zeros()).rev() {
        let lr = limbs(&r);
        ctx.consume(lr.saturating_mul(lr))?;
        r = &r * &r;
        if e >> i & 1 == 1 {
            ctx.consume(limbs(&r).saturating_mul(lx))?;
            r *= x;
        }
    }
    Ok(r)
}

/// `b ** e % m` for `e` ≥ 0 and `m` > 0 (the result in `0..m`), by squaring, with each
/// step charged before it is done: a long modular exponentiation stops at the time
/// limit between two steps.
pub fn big_mod_pow(ctx: &mut Ctx, b: &BigInt, e: &BigInt, m: &BigInt) -> PyResult<BigInt> {
    let b = b.mod_floor(m);
    if let (Some(m64), Some(b64)) = (m.to_u64(), b.to_u64()) {
        // a modulus of one word: 128-bit products, no allocation; one unit per bit
        ctx.consume(e.bits() as usize)?;
        let (m128, b128) = (u128::from(m64), u128::from(b64));
        let mut r = 1 % m128;
        for i in (0..e.bits()).rev() {
            r = r * r % m128;
            if e.bit(i) {
                r = r * b128 % m128;
            }
        }
        return Ok(BigInt::from(r));
    }
    let mut r = BigInt::from(1).mod_floor(m);
    let lm = limbs(m);
    // a square and a reduction of a number twice the modulus' size
    let step = lm.saturating_mul(lm).saturating_mul(3);
    for i in (0..e.bits()).rev() {
        ctx.consume(step)?;
        r = (&r * &r) % m;
        if e.bit(i) {
            ctx.consume(step)?;
            r = (&r * &b) % m;
        }
    }
    Ok(r)
}

fn big_int_op(ctx: &mut Ctx, op: BinOp, x: BigInt, y: BigInt, a: Value, b: Value) -> PyResult {
    // work grows with the operands: linear ops by their limbs, multiplication and
    // division by their product (a bound of what Karatsuba and long division do)
    let (lx, ly) = (limbs(&x), limbs(&y));
    match op {
        BinOp::Mul => ctx.consume(lx.saturating_mul(ly))?,
        BinOp::FloorDiv | BinOp::Mod => {
            ctx.consume((lx.saturating_sub(ly) + 1).saturating_mul(ly))?
        }
        BinOp::Pow => {}
        _ => ctx.consume((lx + ly) / 4)?,
    }
    let r = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => {
            check_bits(ctx, x.bits() + y.bits())?;
            x * y
        }
        BinOp::FloorDiv => {
            if y.is_zero() {
                return Err(ctx.zero_division("integer division or modulo by zero"));
            }
            x.div_floor(&y)
        }
        BinOp::Mod => {
            if y.is_zero() {
                return Err(ctx.zero_division("integer modulo by zero"));
            }
            x.mod_floor(&y)
        }
        BinOp::Pow => {
            if y.is_zero() {
                // anything ** 0 == 1, 0 ** 0 included
                BigInt::from(1)
            } else if x.is_zero() || x == BigInt::from(1) {
                x
            } else if x == BigInt::from(-1) {
                if y.is_even() { BigInt::from(1) } else { x }
            } else {
                let Some(e) = y.to_u64() else {
                    return Err(ctx.memory_error("integer result too large"));
                };
                check_bits(ctx, x.bits().saturating_mul(e))?;
                big_pow(ctx, &x, e)?
            }
        }
        BinOp::LShift => {
            if y.is_negative() {
                return Err(ctx.value_error("negative shift count"));
            }
            if x.is_zero() {
                x
            } else {
                let Some(s) = y.to_u64() else {
                    return Err(ctx.overflow_error("too many digits in integer"));
                };
                check_bits(ctx, x.bits().saturating_add(s))?;
                x << s
            }
        }
        BinOp::RShift => {
            if y.is_negative() {
                return Err(ctx.value_error("negative shift count"));
            }
            match y.to_u64() {
                Some(s) if s < x.bits() + 1 => x >> s,
                _ => {
                    if x.is_negative() {
                        BigInt::from(-1)
                    } else {
                        BigInt::zero()
                    }
                }
            }
        }
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
        BinOp::TrueDiv | BinOp::MatMul => return Err(unsupported(ctx, op, a, b)),
    };
    Ok(int::from_big(r))
}

/// `int / int`, correctly rounded even when the ints exceed 2**53 (as CPython).
pub fn int_true_div(ctx: &mut Ctx, x: &BigInt, y: &BigInt) -> PyResult<f64> {
    if y.is_zero() {
        return Err(ctx.zero_division("division by zero"));
    }
    if let (Some(p), Some(q)) = (x.to_i64(), y.to_i64())
        && p.unsigned_abs() <= 1 << 53
        && q.unsigned_abs() <= 1 << 53
    {
        return Ok(p as f64 / q as f64);
    }
    let negative = x.is_negative() != y.is_negative();
    let (n, d) = (x.abs(), y.abs());
    // scale so the quotient has 55+ significant bits, then round half to even
    let shift = 55i64 - (n.bits() as i64 - d.bits() as i64);
    let (num, den) = if shift >= 0 {
        (n << shift as u64, d)
    } else {
        (n, d << (-shift) as u64)
    };
    let (q, r) = num.div_rem(&den);
    let mut q = q;
    let twice = &r << 1u8;
    if twice > den || (twice == den && q.is_odd()) {
        q += 1;
    }
    let mut f = q.to_f64().unwrap_or(f64::INFINITY);
    // q has ≤ 56 bits; its conversion is exact up to the final rounding to 53 bits
    f *= (2f64).powi(-shift.clamp(-1100, 1100) as i32);
    if f.is_infinite() {
        return Err(ctx.overflow_error("integer division result too large for a float"));
    }
    Ok(if negative { -f } else { f })
}

/// Python's float `//`, `%` (the divisor's sign), via CPython's divmod algorithm.
pub fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 { f + 1.0 } else { f }
    } else {
        0.0f64.copysign(a / b)
    };
    (floordiv, m)
}

fn float_op(ctx: &mut Ctx, op: BinOp, a: Value, b: Value) -> PyResult {
    if op == BinOp::TrueDiv
        && let (Some(x), Some(y)) = (int::to_big(a), int::to_big(b))
        && float::get(a).is_none()
        && float::get(b).is_none()
    {
        return int_true_div(ctx, &x, &y).map(float::new);
    }
    let x = super::compare::to_f64(ctx, a)?.expect("number");
    let y = super::compare::to_f64(ctx, b)?.expect("number");
    let r = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::TrueDiv => {
            if y == 0.0 {
                return Err(ctx.zero_division("float division by zero"));
            }
            x / y
        }
        BinOp::FloorDiv => {
            if y == 0.0 {
                return Err(ctx.zero_division("float floor division by zero"));
            }
            float_divmod(x, y).0
        }
        BinOp::Mod => {
            if y == 0.0 {
                return Err(ctx.zero_division("float modulo"));
            }
            float_divmod(x, y).1
        }
        BinOp::Pow => float_pow(ctx, x, y)?,
        _ => return Err(unsupported(ctx, op, a, b)),
    };
    Ok(float::new(r))
}

pub fn float_pow(ctx: &mut Ctx, x: f64, y: f64) -> PyResult<f64> {
    if x == 0.0 && y < 0.0 {
        return Err(ctx.zero_division("0.0 cannot be raised to a negative power"));
    }
    if x < 0.0 && y.is_finite() && y.fract() != 0.0 {
        return Err(ctx.value_error(
            "complex numbers are not supported: a negative number raised to a fractional power",
        ));
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(ctx.overflow_error("(34, 'Numerical result out of range')"));
    }
    Ok(r)
}

fn repeat_count(ctx: &mut Ctx, n: Value, seq: Value) -> PyResult<Option<usize>> {
    if let Some(i) = int::to_i64(n) {
        return Ok(Some(i.max(0) as usize));
    }
    if int::as_big(n).is_some() {
        return Err(ctx.overflow_error("cannot fit 'int' into an index-sized integer"));
    }
    if as_num(n).is_some() || pystr::get(n).is_some() || heap::kind_of(n).is_some() || n.is_none() {
        let _ = seq;
        return Err(ctx.type_error(format!(
            "can't multiply sequence by non-int of type '{}'",
            super::type_name(n)
        )));
    }
    Ok(None)
}

/// Non-numeric operands: sequences, sets, dicts, dates.
fn other_op(ctx: &mut Ctx, op: BinOp, a: Value, b: Value) -> PyResult {
    let (ka, kb) = (heap::kind_of(a), heap::kind_of(b));
    match (op, ka, kb) {
        (BinOp::Add, Some(Kind::Str), _) => match pystr::as_str(b) {
            Some(y) => {
                let x = pystr::as_str(a).unwrap();
                ctx.check_str_len(x.len() + y.len())?;
                ctx.consume_bytes(x.len() + y.len())?;
                let mut s = String::with_capacity(x.len() + y.len());
                s.push_str(x);
                s.push_str(y);
                Ok(pystr::new(s))
            }
            None => Err(ctx.type_error(format!(
                "can only concatenate str (not \"{}\") to str",
                super::type_name(b)
            ))),
        },
        (BinOp::Add, Some(Kind::List), _) => match list::get(b) {
            Some(y) => {
                let mut items = list::get(a).unwrap().snapshot();
                ctx.check_items(items.len() + y.len())?;
                ctx.consume(items.len() + y.len())?;
                items.extend(y.snapshot());
                Ok(list::new(items))
            }
            None => Err(ctx.type_error(format!(
                "can only concatenate list (not \"{}\") to list",
                super::type_name(b)
            ))),
        },
        (BinOp::Add, Some(Kind::Tuple), _) => match tuple::get(b) {
            Some(y) => {
                let x = tuple::get(a).unwrap();
                ctx.check_items(x.len() + y.len())?;
                ctx.consume(x.len() + y.len())?;
                Ok(tuple::new(x.iter().chain(y).cloned().collect()))
            }
            None => Err(ctx.type_error(format!(
                "can only concatenate tuple (not \"{}\") to tuple",
                super::type_name(b)
            ))),
        },
        (BinOp::Mul, Some(Kind::Str | Kind::List | Kind::Tuple), _) => repeat(ctx, a, b),
        (BinOp::Mul, _, Some(Kind::Str | Kind::List | Kind::Tuple)) => repeat(ctx, b, a),
        (
            BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor,
            Some(Kind::Set),
            Some(Kind::Set),
        ) => set_op(ctx, op, a, b),
        (BinOp::BitOr, Some(Kind::Dict), Some(Kind::Dict)) => {
            let x = dict::get(a).unwrap();
            let merged = dict::new(Default::default(), x.attr);
            for (k, v) in x.map.borrow().iter() {
                dict::insert(
                    merged.v(),
                    crate::object::hash::HKey {
                        hash: k.hash,
                        key: k.key.clone(),
                    },
                    v.clone(),
                );
            }
            for (k, v) in dict::get(b).unwrap().map.borrow().iter() {
                dict::insert(
                    merged.v(),
                    crate::object::hash::HKey {
                        hash: k.hash,
                        key: k.key.clone(),
                    },
                    v.clone(),
                );
            }
            Ok(merged)
        }
        (BinOp::Mod, Some(Kind::Str), _) => crate::format::percent(ctx, a, b),
        (BinOp::Add | BinOp::Sub, Some(Kind::Date | Kind::DateTime | Kind::TimeDelta), _) => {
            date_op(ctx, op, a, b)
        }
        (BinOp::Mul | BinOp::TrueDiv | BinOp::FloorDiv, Some(Kind::TimeDelta), _)
        | (BinOp::Mul, _, Some(Kind::TimeDelta)) => timedelta_scale(ctx, op, a, b),
        _ => Err(unsupported(ctx, op, a, b)),
    }
}

fn repeat(ctx: &mut Ctx, seq: Value, n: Value) -> PyResult {
    let Some(count) = repeat_count(ctx, n, seq)? else {
        return Err(ctx.type_error(format!(
            "can't multiply sequence by non-int of type '{}'",
            super::type_name(n)
        )));
    };
    // an empty sequence stays empty however large the count (`[] * 2**63-1` is `[]` at
    // once, not a loop of 2**63 appends)
    let empty = match heap::kind_of(seq) {
        Some(Kind::Str) => pystr::get(seq).is_some_and(|o| o.nchars == 0),
        Some(Kind::List) => list::get(seq).is_some_and(|l| l.is_empty()),
        _ => tuple::get(seq).is_some_and(<[Val]>::is_empty),
    };
    let count = if empty { 0 } else { count };
    match heap::kind_of(seq) {
        Some(Kind::Str) => {
            let s = pystr::as_str(seq).unwrap();
            // CPython's own bound first: past isize::MAX characters it is an OverflowError
            let chars = pystr::get(seq).map_or(0, |o| o.nchars);
            if chars != 0 && count > isize::MAX as usize / chars {
                return Err(ctx.overflow_error("repeated string is too long"));
            }
            ctx.check_str_len(s.len().saturating_mul(count))?;
            ctx.consume_bytes(s.len().saturating_mul(count))?;
            Ok(pystr::new(s.repeat(count)))
        }
        Some(Kind::List) => {
            let items = list::get(seq).unwrap().snapshot();
            ctx.check_items(items.len().saturating_mul(count))?;
            ctx.consume(items.len().saturating_mul(count))?;
            let mut out = Vec::with_capacity(items.len() * count);
            for _ in 0..count {
                out.extend(items.iter().cloned());
            }
            Ok(list::new(out))
        }
        _ => {
            let items = tuple::get(seq).unwrap();
            ctx.check_items(items.len().saturating_mul(count))?;
            ctx.consume(items.len().saturating_mul(count))?;
            let mut out = Vec::with_capacity(items.len() * count);
            for _ in 0..count {
                out.extend(items.iter().cloned());
            }
            Ok(tuple::new(out))
        }
    }
}

fn set_op(ctx: &mut Ctx, op: BinOp, a: Value, b: Value) -> PyResult {
    let (x, y) = (set::get(a).unwrap(), set::get(b).unwrap());
    let (xi, yi) = (x.items.borrow(), y.items.borrow());
    ctx.consume(xi.len() + yi.len())?;
    let clone = |k: &crate::object::hash::HKey| crate::object::hash::HKey {
        hash: k.hash,
        key: k.key.clone(),
    };
    let out: set::Members = match op {
        BinOp::BitOr => xi.iter().chain(yi.iter()).map(clone).collect(),
        BinOp::BitAnd => xi.iter().filter(|k| yi.contains(*k)).map(clone).collect(),
        BinOp::Sub => xi.iter().filter(|k| !yi.contains(*k)).map(clone).collect(),
        _ => xi
            .iter()
            .filter(|k| !yi.contains(*k))
            .chain(yi.iter().filter(|k| !xi.contains(*k)))
            .map(clone)
            .collect(),
    };
    Ok(set::new(out, x.frozen))
}

fn date_op(ctx: &mut Ctx, op: BinOp, a: Value, b: Value) -> PyResult {
    let sign = if op == BinOp::Sub { -1 } else { 1 };
    let td = |v: Value| date::get_timedelta(v);
    if let (Some(x), Some(y)) = (td(a), td(b)) {
        return Ok(date::new_timedelta(date::TimeDeltaObj::from_micros(
            x.total_micros() + sign as i128 * y.total_micros(),
        )));
    }
    let (base, delta) = match (td(a), td(b)) {
        (None, Some(d)) => (a, d.total_micros() * sign as i128),
        (Some(d), None) if op == BinOp::Add => (b, d.total_micros()),
        _ => {
            // date - date, datetime - datetime
            if op == BinOp::Sub {
                if let (Some(x), Some(y)) = (date::get_date(a), date::get_date(b)) {
                    let days = (x - y).get_days() as i128;
                    return Ok(date::new_timedelta(date::TimeDeltaObj::from_micros(
                        days * 86_400_000_000,
                    )));
                }
                if let (Some(x), Some(y)) = (date::get_datetime(a), date::get_datetime(b)) {
                    let span = x.duration_since(y);
                    return Ok(date::new_timedelta(date::TimeDeltaObj::from_micros(
                        span.as_micros(),
                    )));
                }
            }
            return Err(unsupported(ctx, op, a, b));
        }
    };
    let overflow = |ctx: &mut Ctx| ctx.overflow_error("date value out of range");
    if let Some(d) = date::get_date(base) {
        let days = delta.div_euclid(86_400_000_000) as i64;
        return match d.checked_add(jiff::Span::new().days(days)) {
            Ok(r) => Ok(date::new_date(r)),
            Err(_) => Err(overflow(ctx)),
        };
    }
    if let Some(d) = date::get_datetime(base) {
        let micros = i64::try_from(delta).map_err(|_| overflow(ctx))?;
        return match d.checked_add(jiff::SignedDuration::from_micros(micros)) {
            Ok(r) => Ok(date::new_datetime(r)),
            Err(_) => Err(overflow(ctx)),
        };
    }
    Err(unsupported(ctx, op, a, b))
}

fn timedelta_scale(ctx: &mut Ctx, op: BinOp, a: Value, b: Value) -> PyResult {
    let (d, n) = match (date::get_timedelta(a), date::get_timedelta(b)) {
        (Some(x), Some(y)) => {
            let (p, q) = (x.total_micros(), y.total_micros());
            if q == 0 {
                return Err(ctx.zero_division("division by zero"));
            }
            return match op {
                BinOp::TrueDiv => Ok(float::new(p as f64 / q as f64)),
                BinOp::FloorDiv => Ok(int::from_i128(p.div_euclid(q))),
                _ => Err(unsupported(ctx, op, a, b)),
            };
        }
        (Some(x), None) => (x, b),
        (None, Some(y)) => (y, a),
        _ => return Err(unsupported(ctx, op, a, b)),
    };
    let micros = d.total_micros() as f64;
    let factor = match as_num(n) {
        Some(Num::Small(i)) => i as f64,
        Some(Num::Float(f)) => f,
        _ => return Err(unsupported(ctx, op, a, b)),
    };
    let r = match op {
        BinOp::Mul => micros * factor,
        _ if factor == 0.0 => return Err(ctx.zero_division("division by zero")),
        BinOp::TrueDiv => micros / factor,
        _ => (micros / factor).floor(),
    };
    Ok(date::new_timedelta(date::TimeDeltaObj::from_micros(
        r.round_ties_even() as i128,
    )))
}

/// In-place operators (`x += y`): lists extend, sets and dicts update in place (so every
/// name bound to the same list sees the change, as in Python); everything else falls
/// back to the plain operator and rebinds.
pub fn inplace(ctx: &mut Ctx, op: BinOp, a: Value, b: Value) -> PyResult {
    match (op, heap::kind_of(a)) {
        (BinOp::Add, Some(Kind::List)) => {
            let items = super::iter::collect(ctx, b)?;
            let l = list::get(a).unwrap();
            ctx.check_items(l.len() + items.len())?;
            for item in items {
                list::push(a, item);
            }
            Ok(Val::new_ref(a))
        }
        (BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor, Some(Kind::Set))
            if set::get(b).is_some() =>
        {
            let s = set::get(a).unwrap();
            if s.frozen {
                return binary(ctx, op, a, b);
            }
            let r = set_op(ctx, op, a, b)?;
            let new_items = std::mem::take(&mut *set::get(r.v()).unwrap().items.borrow_mut());
            *s.items.borrow_mut() = new_items;
            Ok(Val::new_ref(a))
        }
        (BinOp::BitOr, Some(Kind::Dict)) if dict::get(b).is_some() => {
            let entries: Vec<_> = dict::get(b)
                .unwrap()
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
                dict::insert(a, k, v);
            }
            Ok(Val::new_ref(a))
        }
        _ => binary(ctx, op, a, b),
    }
}

/// `-a`, `+a`, `~a`.
pub fn unary(ctx: &mut Ctx, op: UnaryOp, a: Value) -> PyResult {
    if let Some(i) = int::to_i64(a) {
        return Ok(match op {
            UnaryOp::Neg => match i.checked_neg() {
                Some(n) => Val::int(n),
                None => int::from_big(-BigInt::from(i)),
            },
            UnaryOp::Pos => Val::int(i),
            UnaryOp::Invert => Val::int(!i),
        });
    }
    if let Some(b) = int::as_big(a) {
        return Ok(int::from_big(match op {
            UnaryOp::Neg => -b,
            UnaryOp::Pos => b.clone(),
            UnaryOp::Invert => !b,
        }));
    }
    if let Some(f) = float::get(a) {
        match op {
            UnaryOp::Neg => return Ok(float::new(-f)),
            UnaryOp::Pos => return Ok(float::new(f)),
            UnaryOp::Invert => {}
        }
    }
    if let Some(t) = date::get_timedelta(a) {
        match op {
            UnaryOp::Neg => {
                return Ok(date::new_timedelta(date::TimeDeltaObj::from_micros(
                    -t.total_micros(),
                )));
            }
            UnaryOp::Pos => return Ok(Val::new_ref(a)),
            UnaryOp::Invert => {}
        }
    }
    let sym = match op {
        UnaryOp::Neg => "-",
        UnaryOp::Pos => "+",
        UnaryOp::Invert => "~",
    };
    Err(ctx.type_error(format!(
        "bad operand type for unary {sym}: '{}'",
        super::type_name(a)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_divmod_follows_the_divisor_sign() {
        assert_eq!(float_divmod(7.0, 2.0), (3.0, 1.0));
        assert_eq!(float_divmod(-7.0, 2.0), (-4.0, 1.0));
        assert_eq!(float_divmod(7.0, -2.0), (-4.0, -1.0));
        let (q, m) = float_divmod(-0.0, 5.0);
        assert!(q == 0.0 && m == 0.0 && m.is_sign_positive() && q.is_sign_negative());
    }
}
