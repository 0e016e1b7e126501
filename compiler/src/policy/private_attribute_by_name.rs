use rustpython_parser::ast::{self, Constant, Expr};

use crate::checker::{Checker, span};
use crate::names::{is_private, normalize};
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `getattr`/`hasattr` with a constant attribute name that starts with an
    /// underscore, and constant `str.format` templates whose fields reach such attributes
    /// (`"{0.__class__}".format(x)`).
    ///
    /// ## Why
    /// `getattr` and `str.format` are allowed because real scripts use them, over data
    /// attributes only. A constant private name is refused here, with the line; a computed
    /// one is refused when the script runs.
    ///
    /// ## Example
    /// ```python
    /// cls = getattr(doc, "__class__")
    /// ```
    /// Use instead: read data fields, e.g. `getattr(doc, fieldname, None)` or
    /// `doc.get(fieldname)`.
    pub static RULE = {
        code: "SS104",
        name: "private-attribute-by-name",
        severity: Error,
        summary: "`getattr`/`hasattr`/`str.format` reaching an attribute that starts with an underscore",
        flags: [
            ex("x = getattr(frappe, '__dict__')\n"),
            ex("ok = hasattr(frappe, '_secret')\n"),
            ex("s = '{0.__class__}'.format(1)\n"),
            ex("s = '{0.__init__.__globals__}'.format(frappe)\n"),
        ],
        accepts: [
            ex("x = getattr(frappe.form_dict, 'limit', 10)\n"),
            ex("s = '{0[name]} {1:>10} {x.title}'.format({'name': 1}, 2, x=frappe._dict(title='t'))\n"),
            ex("s = '{{0.__class__}}'.format()\n"),
        ],
    }
}

fn str_constant(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Constant(ast::ExprConstant {
            value: Constant::Str(s),
            ..
        }) => Some(s),
        _ => None,
    }
}

pub fn check_call(cx: &mut Checker, call: &ast::ExprCall) {
    match call.func.as_ref() {
        Expr::Name(n) if matches!(n.id.as_str(), "getattr" | "hasattr") => {
            if let Some(arg) = call.args.get(1)
                && let Some(name) = str_constant(arg)
                && is_private(&normalize(name))
            {
                let d = RULE
                    .diag(
                        span(arg),
                        format!("`{}` of attribute `{name}` is not allowed", n.id.as_str()),
                    )
                    .with_label("attribute names starting with `_` are private")
                    .with_help("read data fields only, e.g. `getattr(doc, fieldname, None)`");
                cx.report(d);
            }
        }
        Expr::Attribute(a) if a.attr.as_str() == "format" => {
            if let Some(template) = str_constant(&a.value)
                && let Some(attr) = private_format_field(template)
            {
                let d = RULE
                        .diag(span(a.value.as_ref()), format!("format field reaches attribute `{attr}`"))
                        .with_label("attribute names starting with `_` are private")
                        .with_help("format fields may index (`{0[name]}`) and read data attributes (`{doc.status}`) only");
                cx.report(d);
            }
        }
        _ => {}
    }
}

/// The first private attribute named by a replacement field of a format template.
fn private_format_field(template: &str) -> Option<String> {
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
            }
            '{' => {
                let mut field = String::new();
                for c in chars.by_ref() {
                    if matches!(c, '}' | '!' | ':') {
                        break;
                    }
                    field.push(c);
                }
                // field_name: arg_name ("." attribute | "[" key "]")*
                for (i, part) in field.split('.').enumerate() {
                    if i == 0 {
                        continue;
                    }
                    let attr = part.split('[').next().unwrap_or("");
                    if is_private(&normalize(attr)) {
                        return Some(attr.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::private_format_field;

    #[test]
    fn finds_private_attributes_in_fields_only() {
        assert_eq!(
            private_format_field("{0.__class__}"),
            Some("__class__".into())
        );
        assert_eq!(private_format_field("{x[_k]}"), None);
        assert_eq!(private_format_field("{{0.__class__}}"), None);
        assert_eq!(private_format_field("{a.b._c:>10}"), Some("_c".into()));
        assert_eq!(private_format_field("{0:{1}}"), None);
    }
}
