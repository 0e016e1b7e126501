//! `frappe.render_template(template, context)`: Jinja through minijinja.
//!
//! The template sees only data — the context converted to JSON values (dates as
//! strings) — so there are no Python objects to walk and no attribute escape to make;
//! Frappe's own guard (`.__` in a template is "Illegal template") is kept for
//! compatibility. A template's work is bounded by fuel (loops, calls) and its output by
//! the run's string limit; a syntax or render error is a ValidationError titled "Jinja
//! Template Error", as in Frappe.

use minijinja::{Environment, UndefinedBehavior, Value as JValue};

use super::args::parse;
use super::{Builtin, b};
use crate::ctx::{Ctx, PyResult};
use crate::host::HostError;
use crate::object::str as pystr;
use crate::ops::call::Kwargs;
use crate::ops::{convert, truthy};
use crate::value::Value;

pub static TABLE: &[Builtin] = &[b("frappe.render_template", render_template)];

/// Instructions a template may execute (loops and calls consume fuel).
pub const FUEL: u64 = 5_000_000;
/// Longest template text.
pub const MAX_TEMPLATE: usize = 1 << 20;

fn jinja_error(ctx: &mut Ctx, message: String) -> crate::ctx::Raised {
    ctx.raise_host_error(HostError {
        exc_type: "ValidationError".into(),
        message,
        title: Some("Jinja Template Error".into()),
    })
}

/// Frappe's template filters that scripts use, over plain data.
fn environment(max_len: usize) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_recursion_limit(64);
    env.add_filter("json", |v: JValue| -> Result<String, minijinja::Error> {
        serde_json::to_string(&v).map_err(|e| {
            minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
        })
    });
    env.add_filter("len", |v: JValue| v.len().unwrap_or(0));
    // a guard against one huge value (`'x' * 10**9`): the output limit applies per value
    env.set_formatter(move |out, state, value| {
        if let Some(s) = value.as_str()
            && s.len() > max_len
        {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("a value is longer than {max_len} characters"),
            ));
        }
        minijinja::escape_formatter(out, state, value)
    });
    env
}

/// `frappe.render_template(template, context=None, is_path=None, safe_render=True)`.
pub fn render_template(ctx: &mut Ctx, a: &[Value], k: &Kwargs) -> PyResult {
    let [template, context, is_path, safe_render] = parse(
        ctx,
        "render_template",
        ["template", "context", "is_path", "safe_render"],
        1,
        a,
        k,
    )?;
    let template = match template.unwrap() {
        t if t.is_none() => String::new(),
        t => crate::ops::repr::to_str(ctx, t)?,
    };
    if is_path.is_some_and(truthy) || template.ends_with(".html") && !template.contains("{") {
        return Err(ctx.raise_host_error(HostError::new(
            "TemplateNotFoundError",
            format!("Template {template} not found: scripts have no template files"),
        )));
    }
    if template.len() > MAX_TEMPLATE {
        return Err(jinja_error(
            ctx,
            format!("The template is longer than {MAX_TEMPLATE} bytes."),
        ));
    }
    if safe_render.is_none_or(truthy) && template.contains(".__") {
        return Err(ctx.raise_host_error(HostError::new("ValidationError", "Illegal template")));
    }
    let data = match context {
        Some(c) if !c.is_none() => convert::to_json(ctx, c)?,
        _ => serde_json::Value::Object(Default::default()),
    };
    if !data.is_object() {
        return Err(ctx.type_error("render_template(): context must be a dict"));
    }
    let max = ctx.limits.max_str;
    let env = environment(max);
    let rendered = env
        .template_from_str(&template)
        .and_then(|t| t.render(JValue::from(minijinja::value::Serde(&data))));
    match rendered {
        Ok(s) if s.len() > max => Err(jinja_error(
            ctx,
            format!("The rendered template is longer than {max} characters."),
        )),
        Ok(s) => Ok(pystr::new(s)),
        Err(e) => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(inner) = src {
                msg.push_str(&format!(": {inner}"));
                src = inner.source();
            }
            Err(jinja_error(ctx, msg))
        }
    }
}
