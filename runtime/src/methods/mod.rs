//! Methods of builtin values (`s.split()`, `l.append(x)`, `d.get(k)`, `doc.append(…)`),
//! dispatched on the receiver's kind. Each module lists its method names in `NAMES`
//! (so `getattr` can return bound methods) and implements `call`.

pub mod date;
pub mod dict;
pub mod doc;
pub mod doc_site;
pub mod list;
pub mod set;
pub mod str;
mod titlecase;
pub mod tuple;

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::ops::call::Kwargs;
use crate::value::{StaticKind, Value};

fn names_of(obj: Value) -> &'static [&'static str] {
    match heap::kind_of(obj) {
        Some(Kind::Str) => str::NAMES,
        Some(Kind::List) => list::NAMES,
        Some(Kind::Tuple) => tuple::NAMES,
        Some(Kind::Dict) => dict::NAMES,
        Some(Kind::Set) => set::NAMES,
        Some(Kind::Document) => doc::NAMES,
        Some(Kind::Date | Kind::DateTime | Kind::Time | Kind::TimeDelta) => date::NAMES,
        Some(Kind::Float) => &["is_integer"],
        Some(Kind::Range) => &["index", "count"],
        _ => &[],
    }
}

/// Method names of a builtin type by its name (`str.lower` taken from the type).
pub fn type_method_names(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "str" => str::NAMES,
        "list" => list::NAMES,
        "tuple" => tuple::NAMES,
        "dict" | "_dict" => dict::NAMES,
        "set" | "frozenset" => set::NAMES,
        _ => &[],
    }
}

/// Whether `obj.name` is a method of the value's type.
pub fn has_method(obj: Value, name: &str) -> bool {
    names_of(obj).contains(&name)
}

/// `obj.name(*args, **kwargs)`.
pub fn call_method(
    ctx: &mut Ctx,
    obj: Value,
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    if let Some((StaticKind::Namespace, id)) = obj.as_static() {
        let f = crate::builtins::namespace_attr(ctx, id, name)?;
        return crate::ops::call::call(ctx, f.v(), args, kwargs);
    }
    if has_method(obj, name) {
        return match heap::kind_of(obj) {
            Some(Kind::Str) => str::call(ctx, obj, name, args, kwargs),
            Some(Kind::List) => list::call(ctx, obj, name, args, kwargs),
            Some(Kind::Tuple) => tuple::call(ctx, obj, name, args, kwargs),
            Some(Kind::Dict) => dict::call(ctx, obj, name, args, kwargs),
            Some(Kind::Set) => set::call(ctx, obj, name, args, kwargs),
            Some(Kind::Document) => doc::call(ctx, obj, name, args, kwargs),
            Some(Kind::Date | Kind::DateTime | Kind::Time | Kind::TimeDelta) => {
                date::call(ctx, obj, name, args, kwargs)
            }
            Some(Kind::Float) => {
                let f = crate::object::float::get(obj).unwrap();
                Ok(crate::value::Val::bool(f.is_finite() && f.fract() == 0.0))
            }
            Some(Kind::Range) => range_method(ctx, obj, name, args, kwargs),
            _ => unreachable!("has_method covers these kinds"),
        };
    }
    // an attribute holding a callable (a `_dict` key, a document field)
    let f = crate::ops::attr::getattr(ctx, obj, name)?;
    crate::ops::call::call(ctx, f.v(), args, kwargs)
}

/// `range.index(x)` and `range.count(x)`, by arithmetic (no iteration).
fn range_method(
    ctx: &mut Ctx,
    obj: Value,
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    let [x] = crate::builtins::args::exactly(ctx, name, 1, args, kwargs)? else {
        unreachable!()
    };
    let r = crate::object::range::get(obj).unwrap();
    let position = crate::object::int::to_i64(*x).and_then(|i| {
        let inside = if r.step > 0 {
            i >= r.start && i < r.stop
        } else {
            i <= r.start && i > r.stop
        };
        (inside && (i - r.start) % r.step == 0).then(|| (i - r.start) / r.step)
    });
    match (name, position) {
        ("count", p) => Ok(crate::value::Val::int(p.is_some() as i64)),
        (_, Some(p)) => Ok(crate::value::Val::int(p)),
        (_, None) => {
            let shown = crate::ops::repr::repr(ctx, *x)?;
            Err(ctx.value_error(format!("{shown} is not in range")))
        }
    }
}
