//! Direct entry points for the commonest method calls (`word.lower()`, `d.get(k, 0)`,
//! `text.split(" ")`, `rows.append(r)`).
//!
//! Why: a method call site knows its method name and argument count when it is
//! compiled, but the general path ([`super::call_method_of`]) rediscovers both on every
//! call — namespace check, kind test, the no-argument check, then the receiver module's
//! `match` over method names — which costs more than the work of a short method. The
//! compiler asks [`fast_id`] once per call site (positional arguments only) and passes
//! the id with the call; at run time [`entry_for`] checks that the receiver has the kind
//! the entry was written for, and the entry calls the method's own function. Any other
//! receiver (a document's `get`, a `_dict` key holding a callable…) takes the general
//! path, so behaviour is the same either way: the entries call the very functions the
//! general path's `match` arms call.

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::{dict, list, str as pystr};
use crate::value::Value;

pub type FastFn = fn(&mut Ctx, Value, &[Value]) -> PyResult;

struct FastMethod {
    name: &'static str,
    kind: Kind,
    /// Positional argument counts the entry takes (others take the general path,
    /// which words the error).
    min: u8,
    max: u8,
    f: FastFn,
}

const fn m(name: &'static str, kind: Kind, min: u8, max: u8, f: FastFn) -> FastMethod {
    FastMethod {
        name,
        kind,
        min,
        max,
        f,
    }
}

fn so(obj: Value) -> &'static pystr::StrObj {
    pystr::get(obj).expect("the entry's kind is str")
}

static FAST: &[FastMethod] = &[
    m("lower", Kind::Str, 0, 0, |c, o, _| {
        c.consume_bytes(so(o).as_str().len())?;
        Ok(super::str::m_case(o, so(o), false))
    }),
    m("upper", Kind::Str, 0, 0, |c, o, _| {
        c.consume_bytes(so(o).as_str().len())?;
        Ok(super::str::m_case(o, so(o), true))
    }),
    m("split", Kind::Str, 0, 2, |c, o, a| {
        super::str::m_split(c, so(o), "split", a, &[])
    }),
    m("strip", Kind::Str, 0, 1, |c, o, a| {
        super::str::m_strip(c, o, so(o), "strip", a, &[])
    }),
    m("join", Kind::Str, 1, 1, |c, o, a| {
        super::str::m_join(c, so(o), a, &[])
    }),
    m("replace", Kind::Str, 2, 3, |c, o, a| {
        super::str::m_replace(c, so(o), "replace", a, &[])
    }),
    m("startswith", Kind::Str, 1, 3, |c, o, a| {
        super::str::m_startswith(c, so(o), "startswith", a, &[])
    }),
    m("endswith", Kind::Str, 1, 3, |c, o, a| {
        super::str::m_startswith(c, so(o), "endswith", a, &[])
    }),
    m("get", Kind::Dict, 1, 2, |c, o, a| {
        super::dict::m_get(c, dict::get(o).expect("the entry's kind is dict"), a, &[])
    }),
    m("items", Kind::Dict, 0, 0, |c, o, _| {
        super::dict::call(c, o, "items", &[], &[])
    }),
    m("keys", Kind::Dict, 0, 0, |c, o, _| {
        super::dict::call(c, o, "keys", &[], &[])
    }),
    m("values", Kind::Dict, 0, 0, |c, o, _| {
        super::dict::call(c, o, "values", &[], &[])
    }),
    m("append", Kind::List, 1, 1, |c, o, a| {
        let len = list::get(o).expect("the entry's kind is list").len();
        super::list::m_append(c, o, len, a[0])
    }),
];

/// The fast entry for a call site of method `name` with `nargs` positional arguments
/// and no keyword arguments: its id (≥ 1), or 0 when there is none.
pub fn fast_id(name: &str, nargs: usize) -> u16 {
    FAST.iter()
        .position(|e| e.name == name && (e.min as usize..=e.max as usize).contains(&nargs))
        .map_or(0, |i| i as u16 + 1)
}

/// The function of entry `id` (from [`fast_id`]) when `obj` has the entry's kind, to be
/// called with the receiver and the positional arguments; `None` sends the call down
/// the general path.
#[inline]
pub fn entry_for(id: u16, obj: Value) -> Option<FastFn> {
    let e = FAST.get((id as usize).wrapping_sub(1))?;
    (heap::kind_of(obj) == Some(e.kind)).then_some(e.f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_a_method_of_its_kind_and_names_are_unique() {
        for (i, e) in FAST.iter().enumerate() {
            let names = match e.kind {
                Kind::Str => super::super::str::NAMES,
                Kind::Dict => super::super::dict::NAMES,
                Kind::List => super::super::list::NAMES,
                _ => panic!("no names for {:?}", e.kind),
            };
            assert!(names.contains(&e.name), "{} is not a method", e.name);
            assert_eq!(fast_id(e.name, e.min as usize), i as u16 + 1);
            assert!(
                FAST[..i].iter().all(|p| p.name != e.name),
                "{} twice",
                e.name
            );
        }
        assert_eq!(fast_id("lower", 1), 0, "arity outside the entry's range");
        assert_eq!(fast_id("no_such_method", 0), 0);
    }
}
