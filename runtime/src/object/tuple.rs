//! Tuples (immutable).

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub struct TupleObj {
    pub items: Box<[Val]>,
}

impl Payload for TupleObj {
    const KIND: Kind = Kind::Tuple;
    fn owned_bytes(&self) -> usize {
        self.items.len() * 8
    }
}

pub fn new(items: Vec<Val>) -> Val {
    heap::alloc(TupleObj {
        items: items.into_boxed_slice(),
    })
}

pub fn get(v: Value) -> Option<&'static [Val]> {
    heap::get::<TupleObj>(v).map(|t| &*t.items)
}
