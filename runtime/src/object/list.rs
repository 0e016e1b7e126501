//! Lists. The vector sits in a `RefCell`: runtime code never calls back into script code
//! while it holds a borrow (sorting with a key computes keys first), so borrows never
//! conflict; iteration is by index, so appending during a `for` loop behaves as in Python.

use std::cell::RefCell;

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub struct ListObj {
    pub items: RefCell<Vec<Val>>,
}

impl Payload for ListObj {
    const KIND: Kind = Kind::List;
    fn owned_bytes(&self) -> usize {
        self.items.borrow().capacity() * 8
    }
}

pub fn new(items: Vec<Val>) -> Val {
    heap::alloc(ListObj {
        items: RefCell::new(items),
    })
}

pub fn get(v: Value) -> Option<&'static ListObj> {
    heap::get::<ListObj>(v)
}

impl ListObj {
    pub fn len(&self) -> usize {
        self.items.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.borrow().is_empty()
    }

    /// The item at `i` (a new reference), if in range.
    pub fn get_item(&self, i: usize) -> Option<Val> {
        self.items.borrow().get(i).cloned()
    }

    /// A snapshot of the items (new references), for work that may call script code.
    pub fn snapshot(&self) -> Vec<Val> {
        self.items.borrow().clone()
    }
}

/// Appends to list `l` (accounting for growth).
pub fn push(l: Value, item: Val) {
    if let Some(obj) = get(l) {
        let grew = {
            let mut items = obj.items.borrow_mut();
            let cap = items.capacity();
            items.push(item);
            items.capacity() as isize - cap as isize
        };
        heap::account(l, grew * 8);
    }
}
