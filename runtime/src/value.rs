//! The 64-bit tagged value every compiled script manipulates.
//!
//! ```text
//!  …xxxxxxx1   small int: the value shifted left by one (63-bit range)
//!  …xxxxx000   pointer to a refcounted heap object (see `heap.rs`); 0 is NULL
//!  …kkkkk010   singleton constant: None, False, True
//!  …iiiiss100  static object: builtin function, exception class, type, namespace —
//!              immutable, never refcounted (so never shared mutably across threads)
//! ```
//!
//! NULL (0) is never a valid value: runtime functions return it to say "an exception is
//! pending in the context" (exceptions never unwind through compiled code).
//!
//! `Value` is a plain copyable word — a *borrowed* reference. [`Val`] is an *owned*
//! reference: cloning increments the count, dropping decrements it. Runtime code holds
//! `Val`s; compiled code follows the same ownership rules by hand (see the codegen).

use std::fmt;

use crate::heap;

#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Value(pub u64);

pub const TAG_MASK: u64 = 0b111;
pub const TAG_PTR: u64 = 0b000;
pub const TAG_CONST: u64 = 0b010;
pub const TAG_STATIC: u64 = 0b100;

/// What a static immediate is (bits 3..8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum StaticKind {
    /// A builtin function (`len`, `frappe.utils.flt`): payload is its table index.
    Builtin = 0,
    /// An exception class (`KeyError`, `frappe.ValidationError`).
    ExcClass = 1,
    /// A builtin type usable with `isinstance` and callable (`int`, `str`, `list`, `_dict`).
    Type = 2,
    /// A namespace object (`frappe`, `frappe.db`, `frappe.utils`, `json`).
    Namespace = 3,
}

impl Value {
    pub const NULL: Value = Value(0);
    pub const NONE: Value = Value(0x02);
    pub const FALSE: Value = Value(0x0A);
    pub const TRUE: Value = Value(0x12);

    /// Smallest and largest ints stored inline.
    pub const SMALL_MIN: i64 = -(1 << 62);
    pub const SMALL_MAX: i64 = (1 << 62) - 1;

    #[inline]
    pub fn is_null(self) -> bool {
        self.0 == 0
    }

    #[inline]
    pub fn is_small_int(self) -> bool {
        self.0 & 1 == 1
    }

    /// An inline int; `None` when out of the 63-bit range (use a heap int).
    #[inline]
    pub fn small_int(i: i64) -> Option<Value> {
        if (Self::SMALL_MIN..=Self::SMALL_MAX).contains(&i) {
            Some(Value(((i << 1) | 1) as u64))
        } else {
            None
        }
    }

    #[inline]
    pub fn as_small_int(self) -> Option<i64> {
        if self.is_small_int() {
            Some((self.0 as i64) >> 1)
        } else {
            None
        }
    }

    /// The inline int of a value known to be one.
    #[inline]
    pub fn small_int_unchecked(self) -> i64 {
        (self.0 as i64) >> 1
    }

    #[inline]
    pub fn is_ptr(self) -> bool {
        self.0 & TAG_MASK == TAG_PTR && self.0 != 0
    }

    #[inline]
    pub fn is_none(self) -> bool {
        self == Value::NONE
    }

    #[inline]
    pub fn from_bool(b: bool) -> Value {
        if b { Value::TRUE } else { Value::FALSE }
    }

    #[inline]
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Value::TRUE => Some(true),
            Value::FALSE => Some(false),
            _ => None,
        }
    }

    #[inline]
    pub fn new_static(kind: StaticKind, id: u32) -> Value {
        Value(((id as u64) << 8) | ((kind as u64) << 3) | TAG_STATIC)
    }

    #[inline]
    pub fn as_static(self) -> Option<(StaticKind, u32)> {
        if self.0 & TAG_MASK != TAG_STATIC {
            return None;
        }
        let kind = match (self.0 >> 3) & 0x1f {
            0 => StaticKind::Builtin,
            1 => StaticKind::ExcClass,
            2 => StaticKind::Type,
            3 => StaticKind::Namespace,
            _ => return None,
        };
        Some((kind, (self.0 >> 8) as u32))
    }

    #[inline]
    pub fn static_id(self, kind: StaticKind) -> Option<u32> {
        match self.as_static() {
            Some((k, id)) if k == kind => Some(id),
            _ => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(i) = self.as_small_int() {
            write!(f, "Int({i})")
        } else if self.is_null() {
            f.write_str("NULL")
        } else if *self == Value::NONE {
            f.write_str("None")
        } else if let Some(b) = self.as_bool() {
            write!(f, "{b:?}")
        } else if let Some((k, id)) = self.as_static() {
            write!(f, "Static({k:?}, {id})")
        } else {
            write!(f, "Obj({:?} @ {:#x})", heap::kind_of(*self), self.0)
        }
    }
}

/// An owned reference to a value: `Clone` increments the count, `Drop` decrements it.
#[repr(transparent)]
pub struct Val(Value);

impl Val {
    pub const NONE: Val = Val(Value::NONE);
    pub const TRUE: Val = Val(Value::TRUE);
    pub const FALSE: Val = Val(Value::FALSE);

    /// Takes ownership of one reference the caller holds.
    ///
    /// # Safety
    /// `v` must be a valid value whose reference the caller owns and gives up.
    #[inline]
    pub unsafe fn from_raw(v: Value) -> Val {
        Val(v)
    }

    /// A new owned reference to a borrowed value (increments the count).
    #[inline]
    pub fn new_ref(v: Value) -> Val {
        heap::incref(v);
        Val(v)
    }

    /// Gives up ownership without decrementing (the caller now owns the reference).
    #[inline]
    pub fn into_raw(self) -> Value {
        let v = self.0;
        std::mem::forget(self);
        v
    }

    /// The borrowed value (valid while `self` lives).
    #[inline]
    pub fn v(&self) -> Value {
        self.0
    }

    #[inline]
    pub fn int(i: i64) -> Val {
        match Value::small_int(i) {
            Some(v) => Val(v),
            None => crate::object::int::big(num_bigint::BigInt::from(i)),
        }
    }

    #[inline]
    pub fn bool(b: bool) -> Val {
        Val(Value::from_bool(b))
    }

    #[inline]
    pub fn new_static(kind: StaticKind, id: u32) -> Val {
        Val(Value::new_static(kind, id))
    }
}

impl Clone for Val {
    #[inline]
    fn clone(&self) -> Val {
        Val::new_ref(self.0)
    }
}

impl Drop for Val {
    #[inline]
    fn drop(&mut self) {
        heap::decref(self.0);
    }
}

impl fmt::Debug for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_ints_round_trip_at_the_edges() {
        for i in [0, 1, -1, Value::SMALL_MIN, Value::SMALL_MAX, 12345, -98765] {
            let v = Value::small_int(i).unwrap();
            assert!(v.is_small_int() && !v.is_ptr());
            assert_eq!(v.as_small_int(), Some(i));
        }
        assert!(Value::small_int(Value::SMALL_MAX + 1).is_none());
        assert!(Value::small_int(Value::SMALL_MIN - 1).is_none());
    }

    #[test]
    fn constants_and_statics_are_distinct_non_pointers() {
        let all = [
            Value::NONE,
            Value::TRUE,
            Value::FALSE,
            Value::new_static(StaticKind::Builtin, 7),
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(!a.is_ptr() && !a.is_small_int() && !a.is_null());
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(
            Value::new_static(StaticKind::ExcClass, 42).as_static(),
            Some((StaticKind::ExcClass, 42))
        );
        assert_eq!(Value::NONE.as_static(), None);
    }
}
