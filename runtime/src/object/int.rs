//! Ints beyond the inline 63-bit range.

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub struct IntObj(pub BigInt);

impl Payload for IntObj {
    const KIND: Kind = Kind::Int;
    fn owned_bytes(&self) -> usize {
        (self.0.bits() as usize).div_ceil(64) * 8
    }
}

/// A heap int; callers normally use [`from_big`], which stores small values inline.
pub fn big(i: BigInt) -> Val {
    heap::alloc(IntObj(i))
}

/// An int value from a BigInt: inline when it fits.
pub fn from_big(i: BigInt) -> Val {
    match i.to_i64().and_then(Value::small_int) {
        Some(v) => Val::new_ref(v),
        None => big(i),
    }
}

pub fn from_i128(i: i128) -> Val {
    match i64::try_from(i).ok().and_then(Value::small_int) {
        Some(v) => Val::new_ref(v),
        None => big(BigInt::from(i)),
    }
}

/// The big int of a heap int value.
pub fn as_big(v: Value) -> Option<&'static BigInt> {
    heap::get::<IntObj>(v).map(|o| &o.0)
}

/// Whether `v` is an int (inline or heap; bools are not).
pub fn is_int(v: Value) -> bool {
    v.is_small_int() || heap::get::<IntObj>(v).is_some()
}

/// The value of an int (or bool) as a BigInt.
pub fn to_big(v: Value) -> Option<BigInt> {
    if let Some(i) = v.as_small_int() {
        Some(BigInt::from(i))
    } else if let Some(b) = v.as_bool() {
        Some(BigInt::from(b as i64))
    } else {
        as_big(v).cloned()
    }
}

/// The value of an int (or bool) as i64 when it fits.
pub fn to_i64(v: Value) -> Option<i64> {
    if let Some(i) = v.as_small_int() {
        Some(i)
    } else if let Some(b) = v.as_bool() {
        Some(b as i64)
    } else {
        as_big(v).and_then(|b| b.to_i64())
    }
}
