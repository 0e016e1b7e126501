//! Heap object payloads, one module per kind, and the dispatch the heap uses to free
//! them. Operations on values (arithmetic, comparison, methods) live in `ops/` and
//! `methods/`; these modules hold the data and their constructors.

pub mod cell;
pub mod date;
pub mod dict;
pub mod doc;
pub mod exc;
pub mod float;
pub mod func;
pub mod hash;
pub mod int;
pub mod iter;
pub mod list;
pub mod range;
pub mod set;
pub mod str;
pub mod tuple;

use crate::heap::{self, Header, Kind};

macro_rules! by_kind {
    ($p:expr, $f:ident) => {{
        // SAFETY (callers): `$p` is a live object of the kind read from its header.
        let p = $p;
        match (*p).kind {
            Kind::Int => heap::$f::<int::IntObj>(p),
            Kind::Float => heap::$f::<float::FloatObj>(p),
            Kind::Str => heap::$f::<str::StrObj>(p),
            Kind::List => heap::$f::<list::ListObj>(p),
            Kind::Tuple => heap::$f::<tuple::TupleObj>(p),
            Kind::Dict => heap::$f::<dict::DictObj>(p),
            Kind::Set => heap::$f::<set::SetObj>(p),
            Kind::Range => heap::$f::<range::RangeObj>(p),
            Kind::Slice => heap::$f::<range::SliceObj>(p),
            Kind::Function => heap::$f::<func::FuncObj>(p),
            Kind::BoundMethod => heap::$f::<func::BoundMethodObj>(p),
            Kind::Exception => heap::$f::<exc::ExcObj>(p),
            Kind::Document => heap::$f::<doc::DocObj>(p),
            Kind::Iterator => heap::$f::<iter::IterObj>(p),
            Kind::Cell => heap::$f::<cell::CellObj>(p),
            Kind::Date => heap::$f::<date::DateObj>(p),
            Kind::DateTime => heap::$f::<date::DateTimeObj>(p),
            Kind::Time => heap::$f::<date::TimeObj>(p),
            Kind::TimeDelta => heap::$f::<date::TimeDeltaObj>(p),
        }
    }};
}

/// # Safety
/// `p` is a live object with a zero count, unregistered from the heap.
pub(crate) unsafe fn drop_and_free(p: *mut Header) {
    unsafe { by_kind!(p, drop_and_free_of) }
}

/// # Safety
/// `p` is a live object being swept; its payload is dropped once.
pub(crate) unsafe fn drop_payload(p: *mut Header) {
    unsafe { by_kind!(p, drop_payload_of) }
}

/// # Safety
/// `p`'s payload was dropped by [`drop_payload`]; its memory is released once.
pub(crate) unsafe fn free_block(p: *mut Header) {
    unsafe { by_kind!(p, free_block_of) }
}
