//! Attribute access: document fields, `_dict` keys, date parts, exception `args`,
//! methods taken as values, and the `frappe` namespace when used as a value.

use crate::ctx::{Ctx, PyResult};
use crate::heap::{self, Kind};
use crate::object::{date, dict, doc, exc, func, str as pystr};
use crate::value::{StaticKind, Val, Value};

/// `obj.name`.
pub fn getattr(ctx: &mut Ctx, obj: Value, name: &str) -> PyResult {
    if crate::methods::has_method(obj, name) {
        return Ok(func::bound(Val::new_ref(obj), name));
    }
    match obj.as_static() {
        Some((StaticKind::Namespace, id)) => return crate::builtins::namespace_attr(ctx, id, name),
        // `str.lower`: the method taken from the type, called with the receiver first
        Some((StaticKind::Type, id))
            if crate::methods::type_method_names(crate::builtins::type_name_of(id))
                .contains(&name) =>
        {
            return Ok(func::bound(Val::new_ref(obj), name));
        }
        _ => {}
    }
    match heap::kind_of(obj) {
        Some(Kind::Document) => {
            let d = doc::get(obj).unwrap();
            if name == "flags" {
                return Ok(doc_flags(d));
            }
            // a missing field reads as None (Frappe)
            return Ok(d.field(name));
        }
        Some(Kind::Dict) if dict::get(obj).unwrap().attr => {
            // `_dict`: a missing key reads as None
            return Ok(dict::get(obj).unwrap().get_str(name).unwrap_or(Val::NONE));
        }
        Some(Kind::Exception) if name == "args" => return Ok(exc::get(obj).unwrap().args.clone()),
        Some(Kind::Date | Kind::DateTime | Kind::Time | Kind::TimeDelta) => {
            if let Some(v) = date_attr(obj, name) {
                return Ok(v);
            }
        }
        _ => {}
    }
    Err(ctx.attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        super::type_name(obj)
    )))
}

/// `doc.flags`: a `_dict` created on first use.
pub fn doc_flags(d: &doc::DocObj) -> Val {
    let mut flags = d.flags.borrow_mut();
    flags.get_or_insert_with(|| dict::new_empty(true)).clone()
}

fn date_attr(obj: Value, name: &str) -> Option<Val> {
    if let Some(d) = date::get_date(obj) {
        return match name {
            "year" => Some(Val::int(d.year() as i64)),
            "month" => Some(Val::int(d.month() as i64)),
            "day" => Some(Val::int(d.day() as i64)),
            _ => None,
        };
    }
    if let Some(d) = date::get_datetime(obj) {
        return match name {
            "year" => Some(Val::int(d.year() as i64)),
            "month" => Some(Val::int(d.month() as i64)),
            "day" => Some(Val::int(d.day() as i64)),
            "hour" => Some(Val::int(d.hour() as i64)),
            "minute" => Some(Val::int(d.minute() as i64)),
            "second" => Some(Val::int(d.second() as i64)),
            "microsecond" => Some(Val::int((d.subsec_nanosecond() / 1000) as i64)),
            _ => None,
        };
    }
    if let Some(t) = date::get_time(obj) {
        return match name {
            "hour" => Some(Val::int(t.hour() as i64)),
            "minute" => Some(Val::int(t.minute() as i64)),
            "second" => Some(Val::int(t.second() as i64)),
            "microsecond" => Some(Val::int((t.subsec_nanosecond() / 1000) as i64)),
            _ => None,
        };
    }
    if let Some(t) = date::get_timedelta(obj) {
        return match name {
            "days" => Some(Val::int(t.days)),
            "seconds" => Some(Val::int(t.seconds)),
            "microseconds" => Some(Val::int(t.micros)),
            _ => None,
        };
    }
    None
}

/// `obj.name = value`.
pub fn setattr(ctx: &mut Ctx, obj: Value, name: &str, value: Value) -> PyResult<()> {
    match heap::kind_of(obj) {
        Some(Kind::Document) => {
            let d = doc::get(obj).unwrap();
            if name == "flags" {
                *d.flags.borrow_mut() = Some(Val::new_ref(value));
            } else {
                d.set_field(name, Val::new_ref(value));
            }
            Ok(())
        }
        Some(Kind::Dict) if dict::get(obj).unwrap().attr => {
            let key = super::compare::hkey(ctx, pystr::new(name).v())?;
            dict::insert(obj, key, Val::new_ref(value));
            Ok(())
        }
        _ => {
            if let Some((StaticKind::Namespace, id)) = obj.as_static() {
                return crate::builtins::namespace_setattr(ctx, id, name, value);
            }
            Err(ctx.attribute_error(format!(
                "'{}' object has no attribute '{name}'",
                super::type_name(obj)
            )))
        }
    }
}

/// `del obj.name`.
pub fn delattr(ctx: &mut Ctx, obj: Value, name: &str) -> PyResult<()> {
    match heap::kind_of(obj) {
        Some(Kind::Document) => {
            doc::get(obj).unwrap().remove_field(name);
            Ok(())
        }
        Some(Kind::Dict) if dict::get(obj).unwrap().attr => {
            let key = super::compare::hkey(ctx, pystr::new(name).v())?;
            let d = dict::get(obj).unwrap();
            let removed = d.map.borrow_mut().shift_remove(&key);
            match removed {
                Some(_) => {
                    d.bump();
                    Ok(())
                }
                None => Err(ctx.attribute_error(name.to_string())),
            }
        }
        _ => Err(ctx.attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            super::type_name(obj)
        ))),
    }
}
