//! Strings: immutable UTF-8 with the code-point count cached, so `len`, indexing and
//! slicing of ASCII strings (most keys and field values) are O(1).

use std::cell::Cell;

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub struct StrObj {
    pub s: Box<str>,
    /// Length in code points (Python's `len`).
    pub nchars: usize,
    /// Cached hash; 0 = not computed yet.
    pub hash: Cell<u64>,
}

impl Payload for StrObj {
    const KIND: Kind = Kind::Str;
    fn owned_bytes(&self) -> usize {
        self.s.len()
    }
}

impl StrObj {
    pub fn is_ascii(&self) -> bool {
        self.nchars == self.s.len()
    }

    /// Byte offset of code point `i` (`i <= nchars`).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            i
        } else {
            self.s
                .char_indices()
                .nth(i)
                .map(|(b, _)| b)
                .unwrap_or(self.s.len())
        }
    }

    /// Code points `start..end` as a `&str`.
    pub fn chars_range(&self, start: usize, end: usize) -> &str {
        if self.is_ascii() {
            &self.s[start..end]
        } else {
            let b0 = self.byte_offset(start);
            let b1 = b0
                + self.s[b0..]
                    .char_indices()
                    .nth(end - start)
                    .map(|(b, _)| b)
                    .unwrap_or(self.s.len() - b0);
            &self.s[b0..b1]
        }
    }

    pub fn char_at(&self, i: usize) -> Option<char> {
        if self.is_ascii() {
            self.s.as_bytes().get(i).map(|&b| b as char)
        } else {
            self.s.chars().nth(i)
        }
    }
}

pub fn new(s: impl Into<Box<str>>) -> Val {
    let s: Box<str> = s.into();
    let nchars = if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    };
    heap::alloc(StrObj {
        s,
        nchars,
        hash: Cell::new(0),
    })
}

pub fn get(v: Value) -> Option<&'static StrObj> {
    heap::get::<StrObj>(v)
}

pub fn as_str(v: Value) -> Option<&'static str> {
    get(v).map(|o| &*o.s)
}
