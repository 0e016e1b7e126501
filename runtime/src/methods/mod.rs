//! Methods of builtin values (`s.split()`, `l.append(x)`, `d.get(k)`, `doc.append(…)`),
//! dispatched on the receiver's kind. Each module lists its method names in `NAMES`
//! (so `getattr` can return bound methods) and implements `call`.

pub mod date;
pub mod dict;
pub mod doc;
pub mod doc_site;
pub mod fast;
pub mod list;
pub mod set;
pub mod str;
mod titlecase;
pub mod tuple;

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::ops::call::Kwargs;
use crate::value::{StaticKind, Value};

/// The method names of each kind with methods, in the order of [`kind_bit`].
const KIND_NAMES: [&[&str]; 9] = [
    str::NAMES,
    list::NAMES,
    tuple::NAMES,
    dict::NAMES,
    set::NAMES,
    doc::NAMES,
    date::NAMES,
    &["is_integer"],
    &["index", "count"],
];

/// Which kinds (bit i = entry i of [`KIND_NAMES`]) have a method of each name: one hash
/// lookup per method call instead of a scan of the receiver's names.
static KINDS_BY_NAME: std::sync::LazyLock<
    std::collections::HashMap<&'static str, u16, foldhash::fast::FixedState>,
> = std::sync::LazyLock::new(|| {
    let mut m = std::collections::HashMap::default();
    for (i, names) in KIND_NAMES.iter().enumerate() {
        for n in *names {
            *m.entry(*n).or_insert(0) |= 1 << i;
        }
    }
    m
});

fn kind_bit(kind: Kind) -> u16 {
    match kind {
        Kind::Str => 1,
        Kind::List => 1 << 1,
        Kind::Tuple => 1 << 2,
        Kind::Dict => 1 << 3,
        Kind::Set => 1 << 4,
        Kind::Document => 1 << 5,
        Kind::Date | Kind::DateTime | Kind::Time | Kind::TimeDelta => 1 << 6,
        Kind::Float => 1 << 7,
        Kind::Range => 1 << 8,
        _ => 0,
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

/// The type name for CPython's message when `obj.name()` is a method that takes no
/// arguments (checked only when a call passes some).
fn takes_no_arguments(obj: Value, name: &str) -> Option<&'static str> {
    let (type_name, names): (&str, &[&str]) = match heap::kind_of(obj)? {
        Kind::Str => (
            "str",
            &[
                "lower",
                "upper",
                "title",
                "capitalize",
                "swapcase",
                "casefold",
                "isdigit",
                "isdecimal",
                "isnumeric",
                "isalpha",
                "isalnum",
                "isspace",
                "islower",
                "isupper",
                "istitle",
                "isidentifier",
                "isascii",
            ],
        ),
        Kind::List => ("list", &["copy", "clear", "reverse"]),
        Kind::Dict => (
            "dict",
            &["keys", "values", "items", "copy", "clear", "popitem"],
        ),
        Kind::Set => ("set", &["copy", "clear"]),
        Kind::Float => ("float", &["is_integer"]),
        _ => return None,
    };
    names.contains(&name).then_some(type_name)
}

/// Whether `obj.name` is a method of the value's type.
pub fn has_method(obj: Value, name: &str) -> bool {
    has_method_of(obj, kinds_with_method(name))
}

/// Which kinds have a method `name` (a bit set for [`call_method_of`]); the compiler
/// asks once per call site.
pub fn kinds_with_method(name: &str) -> u16 {
    KINDS_BY_NAME.get(name).copied().unwrap_or(0)
}

fn has_method_of(obj: Value, kinds: u16) -> bool {
    heap::kind_of(obj).is_some_and(|kind| kinds & kind_bit(kind) != 0)
}

/// `obj.name(*args, **kwargs)`.
pub fn call_method(
    ctx: &mut Ctx,
    obj: Value,
    name: &str,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    call_method_of(ctx, obj, name, kinds_with_method(name), args, kwargs)
}

/// [`call_method`] with `kinds_with_method(name)` already known (compiled call sites).
pub fn call_method_of(
    ctx: &mut Ctx,
    obj: Value,
    name: &str,
    kinds: u16,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult {
    if let Some((StaticKind::Namespace, id)) = obj.as_static() {
        let f = crate::builtins::namespace_attr(ctx, id, name)?;
        return crate::ops::call::call(ctx, f.v(), args, kwargs);
    }
    if has_method_of(obj, kinds) {
        if !(args.is_empty() && kwargs.is_empty())
            && let Some(type_name) = takes_no_arguments(obj, name)
        {
            return Err(ctx.type_error(if args.is_empty() {
                format!("{type_name}.{name}() takes no keyword arguments")
            } else {
                format!(
                    "{type_name}.{name}() takes no arguments ({} given)",
                    args.len()
                )
            }));
        }
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
