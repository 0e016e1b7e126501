//! Sets and frozensets. Members keep insertion order (CPython's order depends on its hash
//! table; scripts that print sets see insertion order here — a documented difference).

use std::cell::{Cell, RefCell};

use indexmap::IndexSet;

use crate::heap::{self, Kind, Payload};
use crate::object::hash::{BuildPass, HKey};
use crate::value::{Val, Value};

pub type Members = IndexSet<HKey, BuildPass>;

pub struct SetObj {
    pub items: RefCell<Members>,
    pub frozen: bool,
    pub version: Cell<u32>,
}

impl Payload for SetObj {
    const KIND: Kind = Kind::Set;
    fn owned_bytes(&self) -> usize {
        self.items.borrow().capacity() * 16
    }
}

pub fn new(items: Members, frozen: bool) -> Val {
    heap::alloc(SetObj {
        items: RefCell::new(items),
        frozen,
        version: Cell::new(0),
    })
}

pub fn get(v: Value) -> Option<&'static SetObj> {
    heap::get::<SetObj>(v)
}

/// Whether two sets have the same members.
pub fn same_members(a: Value, b: Value) -> bool {
    match (get(a), get(b)) {
        (Some(x), Some(y)) => {
            let (x, y) = (x.items.borrow(), y.items.borrow());
            x.len() == y.len() && x.iter().all(|k| y.contains(k))
        }
        _ => false,
    }
}

impl SetObj {
    pub fn len(&self) -> usize {
        self.items.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.borrow().is_empty()
    }
}
