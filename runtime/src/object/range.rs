//! `range` objects and slices.

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub struct RangeObj {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl Payload for RangeObj {
    const KIND: Kind = Kind::Range;
}

impl RangeObj {
    pub fn len(&self) -> i64 {
        if self.step > 0 && self.start < self.stop {
            ((self.stop as i128 - self.start as i128 - 1) / self.step as i128 + 1) as i64
        } else if self.step < 0 && self.start > self.stop {
            ((self.start as i128 - self.stop as i128 - 1) / (-(self.step as i128)) + 1) as i64
        } else {
            0
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn item(&self, i: i64) -> i64 {
        self.start + i * self.step
    }
}

pub fn new(start: i64, stop: i64, step: i64) -> Val {
    heap::alloc(RangeObj { start, stop, step })
}

pub fn get(v: Value) -> Option<&'static RangeObj> {
    heap::get::<RangeObj>(v)
}

pub struct SliceObj {
    pub start: Val,
    pub stop: Val,
    pub step: Val,
}

impl Payload for SliceObj {
    const KIND: Kind = Kind::Slice;
}

pub fn new_slice(start: Val, stop: Val, step: Val) -> Val {
    heap::alloc(SliceObj { start, stop, step })
}

pub fn get_slice(v: Value) -> Option<&'static SliceObj> {
    heap::get::<SliceObj>(v)
}

#[cfg(test)]
mod tests {
    use super::RangeObj;

    #[test]
    fn range_lengths_match_python() {
        let len = |start, stop, step| RangeObj { start, stop, step }.len();
        assert_eq!(len(0, 10, 1), 10);
        assert_eq!(len(0, 10, 3), 4);
        assert_eq!(len(10, 0, -3), 4);
        assert_eq!(len(5, 5, 1), 0);
        assert_eq!(len(5, 0, 1), 0);
        assert_eq!(len(i64::MIN, i64::MAX, i64::MAX), 3);
    }
}
