//! Closure cells: a variable captured by an inner function. Python closures bind late,
//! so the outer function writes the cell and the inner one reads it when it runs.

use std::cell::RefCell;

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub struct CellObj {
    /// `None` while the variable is unbound.
    pub value: RefCell<Option<Val>>,
}

impl Payload for CellObj {
    const KIND: Kind = Kind::Cell;
}

pub fn new() -> Val {
    heap::alloc(CellObj {
        value: RefCell::new(None),
    })
}

pub fn get(v: Value) -> Option<&'static CellObj> {
    heap::get::<CellObj>(v)
}
