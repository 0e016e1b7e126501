//! Argument parsing for builtins: positional-or-keyword parameters by name, with
//! CPython-style errors.

use crate::ctx::{Ctx, PyResult, Raised};
use crate::ops::call::Kwargs;
use crate::value::Value;

/// Binds `args`/`kwargs` to `names` (the first `required` are mandatory). Returns one
/// slot per name.
pub fn parse<const N: usize>(
    ctx: &mut Ctx,
    fname: &str,
    names: [&str; N],
    required: usize,
    args: &[Value],
    kwargs: &Kwargs,
) -> PyResult<[Option<Value>; N]> {
    let mut out = [None; N];
    if args.len() > N {
        let takes = if required == N {
            format!("{N} positional argument{}", if N == 1 { "" } else { "s" })
        } else {
            format!("at most {N} arguments")
        };
        return Err(ctx.type_error(format!("{fname}() takes {takes} ({} given)", args.len())));
    }
    for (i, a) in args.iter().enumerate() {
        out[i] = Some(*a);
    }
    for (k, v) in kwargs {
        match names.iter().position(|n| n == k) {
            Some(i) if out[i].is_some() => {
                return Err(
                    ctx.type_error(format!("{fname}() got multiple values for argument '{k}'"))
                );
            }
            Some(i) => out[i] = Some(*v),
            None => {
                return Err(ctx.type_error(format!(
                    "{fname}() got an unexpected keyword argument '{k}'"
                )));
            }
        }
    }
    for (i, name) in names.iter().enumerate().take(required) {
        if out[i].is_none() {
            return Err(ctx.type_error(format!(
                "{fname}() missing required argument '{name}' (pos {})",
                i + 1
            )));
        }
    }
    Ok(out)
}

/// Refuses keyword arguments (builtins such as `len`).
#[inline]
pub fn no_kwargs(ctx: &mut Ctx, fname: &str, kwargs: &Kwargs) -> PyResult<()> {
    match kwargs.first() {
        Some(_) => Err(takes_no_kwargs(ctx, fname)),
        None => Ok(()),
    }
}

#[cold]
fn takes_no_kwargs(ctx: &mut Ctx, fname: &str) -> Raised {
    ctx.type_error(format!("{fname}() takes no keyword arguments"))
}

/// Exactly `n` positional arguments, no keywords.
pub fn exactly<'a>(
    ctx: &mut Ctx,
    fname: &str,
    n: usize,
    args: &'a [Value],
    kwargs: &Kwargs,
) -> PyResult<&'a [Value]> {
    no_kwargs(ctx, fname, kwargs)?;
    if args.len() != n {
        let msg = if n == 1 {
            format!(
                "{fname}() takes exactly one argument ({} given)",
                args.len()
            )
        } else {
            format!("{fname} expected {n} arguments, got {}", args.len())
        };
        return Err(ctx.type_error(msg));
    }
    Ok(args)
}

/// The value of keyword `name`, if given.
pub fn kwarg(kwargs: &Kwargs, name: &str) -> Option<Value> {
    kwargs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
}
