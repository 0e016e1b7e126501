//! Hashing and equality of hashable values — what dict keys and set members need.
//!
//! Numbers hash like CPython (`hash(1) == hash(1.0) == hash(True)`, the modular scheme
//! over 2**61 − 1), so `{1: 'a'}[1.0]` works and `hash(n)` prints what CPython prints.
//! Strings hash with a fixed SipHash (CPython randomises string hashes per process, so no
//! script can depend on their values).

use std::hash::{BuildHasherDefault, Hash, Hasher};

use num_bigint::{BigInt, Sign};
use num_traits::FromPrimitive;

use crate::heap::{self, Kind};
use crate::object::{date, float, int, str as pystr, tuple};
use crate::value::{Val, Value};

const MODULUS: u64 = (1 << 61) - 1;

/// A dict key / set member with its hash computed once.
pub struct HKey {
    pub hash: u64,
    pub key: Val,
}

impl Hash for HKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl PartialEq for HKey {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && eq_hashable(self.key.v(), other.key.v())
    }
}

impl Eq for HKey {}

/// A borrowed key with its hash: looks entries up without taking a reference.
pub struct HRef {
    pub hash: u64,
    pub key: Value,
}

impl Hash for HRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl indexmap::Equivalent<HKey> for HRef {
    fn equivalent(&self, k: &HKey) -> bool {
        self.hash == k.hash && eq_hashable(self.key, k.key.v())
    }
}

/// Passes a precomputed hash through.
#[derive(Default)]
pub struct PassHasher(u64);

impl Hasher for PassHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type BuildPass = BuildHasherDefault<PassHasher>;

/// Why a value cannot be hashed: its type name, for `TypeError: unhashable type: 'list'`.
pub struct Unhashable(pub &'static str);

fn fix(h: i64) -> u64 {
    (if h == -1 { -2 } else { h }) as u64
}

pub fn hash_i64(n: i64) -> u64 {
    let m = (n.unsigned_abs() % MODULUS) as i64;
    fix(if n < 0 { -m } else { m })
}

pub fn hash_big(n: &BigInt) -> u64 {
    let (sign, digits) = n.to_u64_digits();
    // sum of digit * 2**(64*i) mod (2**61 - 1); 2**64 ≡ 2**3
    let mut h: u128 = 0;
    for &d in digits.iter().rev() {
        h = ((h << 64) | d as u128) % MODULUS as u128;
    }
    let m = h as i64;
    fix(if sign == Sign::Minus { -m } else { m })
}

pub fn hash_f64(x: f64) -> u64 {
    if x.is_nan() {
        return 0;
    }
    if x.is_infinite() {
        return fix(if x > 0.0 { 314159 } else { -314159 });
    }
    if x == x.trunc() && x.abs() < 9.2e18 {
        return hash_i64(x as i64);
    }
    // frexp: x = m * 2**e with 0.5 <= |m| < 1
    let bits = x.abs().to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i32;
    let (mut m, mut e) = if raw_exp == 0 {
        // subnormal
        let scaled = x.abs() * (1u64 << 54) as f64;
        let b = scaled.to_bits();
        let ex = ((b >> 52) & 0x7ff) as i32 - 1022 - 54;
        (
            f64::from_bits((b & !(0x7ffu64 << 52)) | (1022u64 << 52)),
            ex,
        )
    } else {
        (
            f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52)),
            raw_exp - 1022,
        )
    };
    let mut h: u64 = 0;
    while m != 0.0 {
        h = ((h << 28) & MODULUS) | (h >> (61 - 28));
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        h += y;
        if h >= MODULUS {
            h -= MODULUS;
        }
    }
    let e = if e >= 0 {
        e % 61
    } else {
        61 - 1 - ((-1 - e) % 61)
    } as u32;
    h = ((h << e) & MODULUS) | (h >> (61 - e));
    let h = h as i64;
    fix(if x < 0.0 { -h } else { h })
}

/// Seeded once per process, like CPython's string hash randomisation: a script cannot
/// precompute colliding keys.
static STR_HASH: std::sync::LazyLock<foldhash::quality::RandomState> =
    std::sync::LazyLock::new(Default::default);

fn hash_str(s: &str) -> u64 {
    use std::hash::BuildHasher;
    fix(STR_HASH.hash_one(s) as i64)
}

/// The hash of a hashable value, or the type name of an unhashable one.
#[inline]
pub fn hash_of(v: Value) -> Result<u64, Unhashable> {
    // a string whose hash is known (a dict key read again) without a call
    if let Some(s) = pystr::get(v) {
        let cached = s.hash.get();
        if cached != 0 {
            return Ok(cached);
        }
    }
    hash_computed(v)
}

fn hash_computed(v: Value) -> Result<u64, Unhashable> {
    // strings first: most keys are
    if let Some(s) = pystr::get(v) {
        let cached = s.hash.get();
        if cached != 0 {
            return Ok(cached);
        }
        let h = hash_str(s.as_str()).max(1);
        s.hash.set(h);
        return Ok(h);
    }
    if let Some(i) = v.as_small_int() {
        return Ok(hash_i64(i));
    }
    if let Some(b) = v.as_bool() {
        return Ok(b as u64);
    }
    if v.is_none() {
        return Ok(0x7fff_ffff_5a5a);
    }
    if let Some((kind, id)) = v.as_static() {
        return Ok(((kind as u64) << 32) ^ id as u64 ^ 0x5151);
    }
    match heap::kind_of(v) {
        Some(Kind::Int) => Ok(hash_big(int::as_big(v).expect("int"))),
        Some(Kind::Float) => Ok(hash_f64(float::get(v).expect("float"))),
        Some(Kind::Tuple) => {
            // xxHash-style combination, as CPython does (values differ from CPython's)
            let mut acc: u64 = 0x27D4_EB2F_1656_67C5;
            for item in tuple::get(v).expect("tuple") {
                let h = hash_of(item.v())?;
                acc = acc.wrapping_add(h.wrapping_mul(0xC2B2_AE3D_27D4_EB4F));
                acc = acc.rotate_left(31).wrapping_mul(0x9E37_79B1_85EB_CA87);
            }
            Ok(fix(acc as i64))
        }
        Some(Kind::Date) | Some(Kind::DateTime) | Some(Kind::Time) | Some(Kind::TimeDelta) => {
            Ok(hash_str(&date::debug_key(v)))
        }
        Some(Kind::Function) | Some(Kind::Document) | Some(Kind::Range) | Some(Kind::Exception) => {
            Ok(fix((v.0 >> 3) as i64))
        }
        Some(Kind::List) => Err(Unhashable("list")),
        Some(Kind::Dict) => Err(Unhashable("dict")),
        Some(Kind::Set) => {
            if crate::object::set::get(v).is_some_and(|s| s.frozen) {
                let mut acc: u64 = 0;
                for k in crate::object::set::get(v)
                    .expect("set")
                    .items
                    .borrow()
                    .iter()
                {
                    acc ^= k.hash.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                }
                Ok(fix(acc as i64))
            } else {
                Err(Unhashable("set"))
            }
        }
        Some(Kind::Slice) => Err(Unhashable("slice")),
        _ => Ok(fix((v.0 >> 3) as i64)),
    }
}

/// A number as an exact rational comparison key: int or float.
enum Num {
    Int(BigInt),
    Float(f64),
}

fn as_num(v: Value) -> Option<Num> {
    if let Some(i) = v.as_small_int() {
        return Some(Num::Int(BigInt::from(i)));
    }
    if let Some(b) = v.as_bool() {
        return Some(Num::Int(BigInt::from(b as i64)));
    }
    if let Some(f) = float::get(v) {
        return Some(Num::Float(f));
    }
    int::as_big(v).map(|b| Num::Int(b.clone()))
}

/// Exact equality of an int and a float (`2**53 + 1 != 2.0**53`).
pub fn int_eq_float(i: &BigInt, f: f64) -> bool {
    f.is_finite() && f == f.trunc() && BigInt::from_f64(f).is_some_and(|fb| &fb == i)
}

/// Python equality restricted to hashable values; never fails, never calls script code.
#[inline]
pub fn eq_hashable(a: Value, b: Value) -> bool {
    if a == b {
        // identical values are equal, except NaN (CPython's containers use identity
        // first, so a NaN key still finds itself — the same here)
        return true;
    }
    if let (Some(x), Some(y)) = (pystr::get(a), pystr::get(b)) {
        // two strings: equal hashes (when both are known) are the cheap test first
        let (hx, hy) = (x.hash.get(), y.hash.get());
        return (hx == 0 || hy == 0 || hx == hy) && x.as_str() == y.as_str();
    }
    eq_other(a, b)
}

/// [`eq_hashable`] of two values that are not the same value nor both strings.
fn eq_other(a: Value, b: Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return x == y;
    }
    match (as_num(a), as_num(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => return x == y,
        (Some(Num::Float(x)), Some(Num::Float(y))) => return x == y,
        (Some(Num::Int(x)), Some(Num::Float(y))) | (Some(Num::Float(y)), Some(Num::Int(x))) => {
            return int_eq_float(&x, y);
        }
        (Some(_), None) | (None, Some(_)) => return false,
        (None, None) => {}
    }
    match (heap::kind_of(a), heap::kind_of(b)) {
        (Some(Kind::Tuple), Some(Kind::Tuple)) => {
            let (x, y) = (tuple::get(a).expect("tuple"), tuple::get(b).expect("tuple"));
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq_hashable(p.v(), q.v()))
        }
        (Some(ka), Some(kb))
            if ka == kb
                && matches!(
                    ka,
                    Kind::Date | Kind::DateTime | Kind::Time | Kind::TimeDelta
                ) =>
        {
            date::debug_key(a) == date::debug_key(b)
        }
        (Some(Kind::Set), Some(Kind::Set)) => crate::object::set::same_members(a, b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_hashes_match_cpython() {
        assert_eq!(hash_i64(1), 1);
        assert_eq!(hash_i64(-1) as i64, -2);
        assert_eq!(hash_i64(-2) as i64, -2);
        assert_eq!(hash_i64((1 << 61) - 1), 0);
        assert_eq!(hash_f64(1.0), 1);
        assert_eq!(hash_f64(0.5), 1 << 60);
        assert_eq!(hash_f64(1.5), (1 << 60) + 1);
        assert_eq!(hash_f64(-0.5) as i64, -(1i64 << 60));
        assert_eq!(hash_f64(f64::INFINITY), 314159);
        assert_eq!(hash_big(&BigInt::from(1u64 << 62)), hash_i64(1 << 62));
        assert_eq!(hash_big(&(BigInt::from(1) << 100u32)), hash_i64(1 << 39)); // 2**100 mod (2**61-1) = 2**39
    }
}
