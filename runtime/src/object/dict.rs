//! Dicts (insertion-ordered, like CPython 3.7+) and `_dict`s (the same, with attribute
//! access: `d.key` reads `d["key"]`, a missing key reads `None`).

use std::cell::{Cell, RefCell};

use indexmap::IndexMap;

use crate::heap::{self, Kind, Payload};
use crate::object::hash::{BuildPass, HKey, eq_hashable};
use crate::value::{Val, Value};

pub type Map = IndexMap<HKey, Val, BuildPass>;

pub struct DictObj {
    pub map: RefCell<Map>,
    /// A `_dict` (`frappe._dict`): attribute access reads and writes keys.
    pub attr: bool,
    /// Bumped when keys are added or removed (iteration detects resizing, as CPython).
    pub version: Cell<u32>,
    /// Where the last key looked up or stored sits: `d[k] = d.get(k, 0) + 1` stores
    /// at the slot it just read without probing again. Only a hint — [`insert`] checks
    /// that the key there is equal before using it — so nothing needs to keep it exact.
    pub hint: Cell<usize>,
}

impl Payload for DictObj {
    const KIND: Kind = Kind::Dict;
    fn owned_bytes(&self) -> usize {
        self.map.borrow().capacity() * 24
    }
}

pub fn new(map: Map, attr: bool) -> Val {
    heap::alloc(DictObj {
        map: RefCell::new(map),
        attr,
        version: Cell::new(0),
        hint: Cell::new(0),
    })
}

pub fn new_empty(attr: bool) -> Val {
    new(Map::default(), attr)
}

pub fn get(v: Value) -> Option<&'static DictObj> {
    heap::get::<DictObj>(v)
}

impl DictObj {
    pub fn len(&self) -> usize {
        self.map.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.borrow().is_empty()
    }

    pub fn bump(&self) {
        self.version.set(self.version.get().wrapping_add(1));
    }

    /// Looks a string key up (fast path for `_dict` attributes and JSON-ish data).
    pub fn get_str(&self, key: &str) -> Option<Val> {
        let probe = crate::object::str::new(key);
        let hash = crate::object::hash::hash_of(probe.v()).ok()?;
        self.map.borrow().get(&HKey { hash, key: probe }).cloned()
    }
}

/// Inserts into dict `d` (accounting for growth).
pub fn insert(d: Value, key: HKey, value: Val) {
    if let Some(obj) = get(d) {
        let old = {
            let mut map = obj.map.borrow_mut();
            match map.get_index_mut(obj.hint.get()) {
                // the key at the hinted slot is this one: replace the value there (the
                // stored key stays, as with a probe)
                Some((k, v)) if k.hash == key.hash && eq_hashable(k.key.v(), key.key.v()) => {
                    Some(std::mem::replace(v, value))
                }
                _ => {
                    let cap = map.capacity();
                    let (index, old) = map.insert_full(key, value);
                    let grew = map.capacity() as isize - cap as isize;
                    drop(map);
                    obj.hint.set(index);
                    if old.is_none() {
                        obj.bump();
                    }
                    heap::account(d, grew * 24);
                    old
                }
            }
        };
        drop(old);
    }
}
