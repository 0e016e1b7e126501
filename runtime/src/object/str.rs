//! Strings: immutable UTF-8 with the code-point count cached, so `len`, indexing and
//! slicing of ASCII strings (most keys and field values) are O(1).

use std::cell::Cell;

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

/// A string object: this header with the text right after it, in the object's own block
/// (one allocation per string; see [`heap::alloc_with_tail`]).
pub struct StrObj {
    /// The text's first byte (in this object's block, just after this struct).
    ptr: *const u8,
    /// Length in bytes.
    len: usize,
    /// Length in code points (Python's `len`).
    pub nchars: usize,
    /// Cached hash; 0 = not computed yet.
    pub hash: Cell<u64>,
}

impl Payload for StrObj {
    const KIND: Kind = Kind::Str;
    fn owned_bytes(&self) -> usize {
        self.len
    }
    fn tail_bytes(&self) -> usize {
        self.len
    }
}

impl StrObj {
    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: `ptr` points to `len` bytes of UTF-8 written when the object was made,
        // in the same block as `self`, immutable and alive as long as the object.
        unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr, self.len)) }
    }

    pub fn is_ascii(&self) -> bool {
        self.nchars == self.len
    }

    /// Byte offset of code point `i` (`i <= nchars`).
    pub fn byte_offset(&self, i: usize) -> usize {
        if self.is_ascii() {
            i
        } else {
            self.as_str()
                .char_indices()
                .nth(i)
                .map(|(b, _)| b)
                .unwrap_or(self.as_str().len())
        }
    }

    /// Code points `start..end` as a `&str`.
    pub fn chars_range(&self, start: usize, end: usize) -> &str {
        if self.is_ascii() {
            &self.as_str()[start..end]
        } else {
            let b0 = self.byte_offset(start);
            let b1 = b0
                + self.as_str()[b0..]
                    .char_indices()
                    .nth(end - start)
                    .map(|(b, _)| b)
                    .unwrap_or(self.as_str().len() - b0);
            &self.as_str()[b0..b1]
        }
    }

    pub fn char_at(&self, i: usize) -> Option<char> {
        if self.is_ascii() {
            self.as_str().as_bytes().get(i).map(|&b| b as char)
        } else {
            self.as_str().chars().nth(i)
        }
    }
}

pub fn new(s: impl AsRef<str>) -> Val {
    let s: &str = s.as_ref();
    let nchars = if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    };
    with_nchars(s, nchars)
}

/// A string of text known to be ASCII (a piece of an ASCII string).
pub fn new_ascii(s: &str) -> Val {
    debug_assert!(s.is_ascii());
    with_nchars(s, s.len())
}

/// ASCII text `s` with its letters in upper case (`upper`) or lower case, made straight
/// into the new string's block.
pub fn new_ascii_case(s: &str, upper: bool) -> Val {
    debug_assert!(s.is_ascii());
    heap::alloc_with_tail(s.len(), |tail| {
        for (i, b) in s.bytes().enumerate() {
            let c = if upper {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            };
            // SAFETY: the tail has room for `s.len()` bytes; ASCII stays ASCII.
            unsafe { tail.add(i).write(c) };
        }
        StrObj {
            ptr: tail,
            len: s.len(),
            nchars: s.len(),
            hash: Cell::new(0),
        }
    })
}

fn with_nchars(s: &str, nchars: usize) -> Val {
    heap::alloc_with_tail(s.len(), |tail| {
        // SAFETY: the tail has room for `s.len()` bytes and is not `s`'s memory.
        unsafe { std::ptr::copy_nonoverlapping(s.as_ptr(), tail, s.len()) };
        StrObj {
            ptr: tail,
            len: s.len(),
            nchars,
            hash: Cell::new(0),
        }
    })
}

pub fn get(v: Value) -> Option<&'static StrObj> {
    heap::get::<StrObj>(v)
}

pub fn as_str(v: Value) -> Option<&'static str> {
    get(v).map(StrObj::as_str)
}
