//! Documents: Frappe's `Document` as scripts see it — fields read and written as
//! attributes (a missing field reads `None`), child tables as lists of documents.

use std::cell::RefCell;

use indexmap::IndexMap;

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub type Fields = IndexMap<Box<str>, Val, foldhash::fast::RandomState>;

pub struct DocObj {
    pub fields: RefCell<Fields>,
    /// `doc.flags`: a `_dict`, created on first use.
    pub flags: RefCell<Option<Val>>,
}

impl Payload for DocObj {
    const KIND: Kind = Kind::Document;
    fn owned_bytes(&self) -> usize {
        self.fields.borrow().capacity() * 40
    }
}

pub fn new(fields: Fields) -> Val {
    heap::alloc(DocObj {
        fields: RefCell::new(fields),
        flags: RefCell::new(None),
    })
}

pub fn get(v: Value) -> Option<&'static DocObj> {
    heap::get::<DocObj>(v)
}

impl DocObj {
    /// A field's value (new reference), `None` when missing.
    pub fn field(&self, name: &str) -> Val {
        self.fields.borrow().get(name).cloned().unwrap_or(Val::NONE)
    }

    pub fn set_field(&self, name: &str, value: Val) {
        let mut fields = self.fields.borrow_mut();
        match fields.get_mut(name) {
            Some(slot) => *slot = value,
            None => {
                fields.insert(name.into(), value);
            }
        }
    }
}
