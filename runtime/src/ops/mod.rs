//! Operations on values with Python semantics: truthiness, `repr`/`str`, comparison,
//! arithmetic, subscripts, attributes, iteration, calls. Compiled code reaches them
//! through `abi.rs`; builtins and methods use them directly.

pub mod arith;
pub mod attr;
pub mod call;
pub mod compare;
pub mod convert;
pub mod iter;
pub mod repr;
pub mod subscript;

use crate::heap::{self, Kind};
use crate::object::{dict, doc, exc, float, set};
use crate::value::{StaticKind, Value};

/// Python's `type(v).__name__`.
pub fn type_name(v: Value) -> &'static str {
    if v.is_small_int() {
        return "int";
    }
    if v.as_bool().is_some() {
        return "bool";
    }
    if v.is_none() {
        return "NoneType";
    }
    if let Some((kind, id)) = v.as_static() {
        return match kind {
            StaticKind::Builtin => "builtin_function_or_method",
            StaticKind::ExcClass | StaticKind::Type => {
                let _ = id;
                "type"
            }
            StaticKind::Namespace => "module",
        };
    }
    match heap::kind_of(v) {
        Some(Kind::Int) => "int",
        Some(Kind::Float) => "float",
        Some(Kind::Str) => "str",
        Some(Kind::List) => "list",
        Some(Kind::Tuple) => "tuple",
        Some(Kind::Dict) => {
            if dict::get(v).is_some_and(|d| d.attr) {
                "_dict"
            } else {
                "dict"
            }
        }
        Some(Kind::Set) => {
            if set::get(v).is_some_and(|s| s.frozen) {
                "frozenset"
            } else {
                "set"
            }
        }
        Some(Kind::Range) => "range",
        Some(Kind::Slice) => "slice",
        Some(Kind::Function) => "function",
        Some(Kind::BoundMethod) => "builtin_function_or_method",
        Some(Kind::Exception) => exc::get(v)
            .map(|e| exc::class(e.class).name)
            .unwrap_or("Exception"),
        Some(Kind::Document) => {
            let _ = doc::get(v);
            "Document"
        }
        Some(Kind::Iterator) => "iterator",
        Some(Kind::Cell) => "cell",
        Some(Kind::Date) => "date",
        Some(Kind::DateTime) => "datetime",
        Some(Kind::Time) => "time",
        Some(Kind::TimeDelta) => "timedelta",
        None => "NULL",
    }
}

/// Python truthiness. Every value the sandbox can build has a fixed rule (no user
/// classes, so no `__bool__` to call), hence no error case.
pub fn truthy(v: Value) -> bool {
    if let Some(i) = v.as_small_int() {
        return i != 0;
    }
    match v {
        Value::TRUE => return true,
        Value::FALSE | Value::NONE | Value::NULL => return false,
        _ => {}
    }
    if v.as_static().is_some() {
        return true;
    }
    match heap::kind_of(v) {
        Some(Kind::Int) => true, // heap ints are never zero
        Some(Kind::Float) => float::get(v).is_some_and(|f| f != 0.0),
        Some(Kind::Str) => crate::object::str::get(v).is_some_and(|s| !s.as_str().is_empty()),
        Some(Kind::List) => crate::object::list::get(v).is_some_and(|l| !l.is_empty()),
        Some(Kind::Tuple) => crate::object::tuple::get(v).is_some_and(|t| !t.is_empty()),
        Some(Kind::Dict) => dict::get(v).is_some_and(|d| !d.is_empty()),
        Some(Kind::Set) => set::get(v).is_some_and(|s| !s.is_empty()),
        Some(Kind::Range) => crate::object::range::get(v).is_some_and(|r| !r.is_empty()),
        Some(Kind::TimeDelta) => {
            crate::object::date::get_timedelta(v).is_some_and(|t| t.total_micros() != 0)
        }
        _ => true,
    }
}
