//! Tuple methods.

use crate::ctx::{Ctx, PyResult};
use crate::object::tuple;
use crate::ops::call::Kwargs;
use crate::value::Value;

pub const NAMES: &[&str] = &["count", "index"];

pub fn call(ctx: &mut Ctx, obj: Value, name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult {
    let items = tuple::get(obj).unwrap().to_vec();
    super::list::seq_method(ctx, "tuple", &items, name, args, kwargs)
}
