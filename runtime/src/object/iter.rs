//! Iterators: the state of a `for` loop, a comprehension or `iter()` over a value.

use std::cell::RefCell;

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub enum DictView {
    Keys,
    Values,
    Items,
}

pub enum IterState {
    /// A list or tuple, by index (a list may grow while iterated, as in Python).
    Seq {
        seq: Val,
        index: usize,
    },
    /// A string, by byte offset (yields one-character strings).
    Str {
        s: Val,
        byte: usize,
    },
    Range {
        next: i64,
        remaining: i64,
        step: i64,
    },
    Dict {
        dict: Val,
        index: usize,
        version: u32,
        view: DictView,
    },
    Set {
        set: Val,
        index: usize,
        version: u32,
    },
    /// A document's fields (`for k in doc.as_dict()` goes through a dict instead).
    Enumerate {
        inner: Val,
        count: i64,
    },
    Zip {
        iters: Vec<Val>,
    },
    Map {
        func: Val,
        iters: Vec<Val>,
    },
    Filter {
        func: Val,
        inner: Val,
    },
    /// Values computed ahead (reversed(), sorted views, generator expressions).
    Items {
        items: Vec<Val>,
        index: usize,
    },
    Exhausted,
}

pub struct IterObj {
    pub state: RefCell<IterState>,
}

impl Payload for IterObj {
    const KIND: Kind = Kind::Iterator;
}

pub fn new(state: IterState) -> Val {
    heap::alloc(IterObj {
        state: RefCell::new(state),
    })
}

pub fn get(v: Value) -> Option<&'static IterObj> {
    heap::get::<IterObj>(v)
}
