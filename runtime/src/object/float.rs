//! Floats (boxed).

use crate::heap::{self, Kind, Payload};
use crate::value::{Val, Value};

pub struct FloatObj(pub f64);

impl Payload for FloatObj {
    const KIND: Kind = Kind::Float;
}

pub fn new(f: f64) -> Val {
    heap::alloc(FloatObj(f))
}

pub fn get(v: Value) -> Option<f64> {
    heap::get::<FloatObj>(v).map(|o| o.0)
}
