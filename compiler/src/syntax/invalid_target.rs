use rustpython_parser::ast::{Constant, Expr};

use crate::checker::{Checker, span};
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses assignment, augmented assignment, `for` and `del` targets that cannot be
    /// assigned (a literal, a call, an operator expression), misplaced starred targets, and
    /// `*x` used where Python does not allow it.
    ///
    /// ## Why
    /// CPython refuses all of these when it compiles ("cannot assign to function call",
    /// "starred assignment target must be in a list or tuple", "can't use starred
    /// expression here"). The parser accepts them, so serverscript checks them itself.
    ///
    /// ## Example
    /// ```python
    /// doc.get("status") = "Closed"
    /// ```
    /// Use instead:
    /// ```python
    /// doc.status = "Closed"   # or doc.set("status", "Closed")
    /// ```
    pub static RULE = {
        code: "SS009",
        name: "invalid-target",
        severity: Error,
        summary: "assignment or deletion of something that cannot be assigned",
        flags: [
            ex("1 = x\n"),
            ex("doc.get('status') = 'Closed'\n"),
            ex("del f()\n"),
            ex("*rest = [1, 2]\n"),
            ex("a, *b, *c = [1, 2, 3]\n"),
            ex("a, b += 1\n"),
            ex("x = *a\n"),
            ex("for f() in []:\n    pass\n"),
        ],
        accepts: [
            ex("doc.status = 'Closed'\n"),
            ex("first, *rest = [1, 2]\n"),
            ex("x = [*a, *b]\ny = (*a,)\nprint(*a)\n"),
            ex("d = {}\nd['k'] = 1\ndel d['k']\n"),
            ex("total = 0\ntotal += 1\n"),
        ],
    }
}

/// What a non-assignable expression is called in CPython's messages.
fn describe(expr: &Expr) -> &'static str {
    match expr {
        Expr::Constant(c) => match c.value {
            Constant::None | Constant::Bool(_) | Constant::Ellipsis => "a constant",
            _ => "a literal",
        },
        Expr::Call(_) => "a function call",
        Expr::BinOp(_) | Expr::UnaryOp(_) | Expr::BoolOp(_) => "an expression",
        Expr::Compare(_) => "a comparison",
        Expr::IfExp(_) => "a conditional expression",
        Expr::Lambda(_) => "a lambda",
        Expr::NamedExpr(_) => "a named expression",
        Expr::JoinedStr(_) | Expr::FormattedValue(_) => "an f-string expression",
        Expr::Dict(_) => "a dict literal",
        Expr::Set(_) => "a set display",
        Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) => "a comprehension",
        Expr::GeneratorExp(_) => "a generator expression",
        Expr::Await(_) => "an await expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "a yield expression",
        Expr::Slice(_) => "a slice",
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => "a name",
        Expr::Starred(_) => "a starred expression",
        Expr::List(_) => "a list",
        Expr::Tuple(_) => "a tuple",
    }
}

fn report(cx: &mut Checker, expr: &Expr, message: String, help: Option<&str>) {
    let mut d = RULE.diag(span(expr), message);
    if let Some(h) = help {
        d = d.with_help(h);
    }
    cx.report(d);
}

/// Targets of `=`, `for`, comprehensions and `with … as`.
pub fn check_assign(cx: &mut Checker, target: &Expr) {
    check_store(cx, target, false);
}

fn check_store(cx: &mut Checker, target: &Expr, in_sequence: bool) {
    match target {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {}
        Expr::Starred(s) => {
            if in_sequence {
                check_store(cx, &s.value, false);
            } else {
                report(
                    cx,
                    target,
                    "starred assignment target must be in a list or tuple".into(),
                    Some("write `first, *rest = values`"),
                );
            }
        }
        Expr::Tuple(_) | Expr::List(_) => {
            let elts = match target {
                Expr::Tuple(t) => &t.elts,
                Expr::List(l) => &l.elts,
                _ => unreachable!(),
            };
            if elts
                .iter()
                .filter(|e| matches!(e, Expr::Starred(_)))
                .count()
                > 1
            {
                report(
                    cx,
                    target,
                    "multiple starred expressions in assignment".into(),
                    None,
                );
            }
            for e in elts {
                check_store(cx, e, true);
            }
        }
        other => {
            let what = describe(other);
            report(
                cx,
                other,
                format!("cannot assign to {what}"),
                Some(
                    "assign to a variable, an attribute (`doc.field = …`) or an item (`d[key] = …`); to compare, use `==`",
                ),
            );
        }
    }
}

/// Targets of `del`.
pub fn check_delete(cx: &mut Checker, target: &Expr) {
    match target {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {}
        Expr::Tuple(t) => t.elts.iter().for_each(|e| check_delete(cx, e)),
        Expr::List(l) => l.elts.iter().for_each(|e| check_delete(cx, e)),
        other => {
            let what = describe(other);
            report(cx, other, format!("cannot delete {what}"), None);
        }
    }
}

/// Targets of `+=` and friends: a single name, attribute or item.
pub fn check_augmented(cx: &mut Checker, target: &Expr) {
    match target {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => {}
        other => {
            let what = describe(other);
            report(
                cx,
                other,
                format!("{what} is an illegal target for augmented assignment"),
                Some("augmented assignment (`+=`) takes one variable, attribute or item"),
            );
        }
    }
}

/// `*x` outside a call, a display or an assignment target.
pub fn starred_misplaced(cx: &mut Checker, range: std::ops::Range<usize>) {
    let d = RULE
        .diag(range, "can't use starred expression here")
        .with_help("`*x` unpacks only inside a call `f(*x)`, a display `[*x]` / `(*x,)`, or an assignment target");
    cx.report(d);
}
