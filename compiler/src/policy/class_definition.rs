use rustpython_parser::ast;

use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `class` statements.
    ///
    /// ## Why
    /// Classes bring metaclasses, descriptors and dunder methods — the machinery sandbox
    /// escapes are built from. Frappe's sandbox cannot run them either (`__metaclass__` is
    /// never defined). Scripts use functions, dicts and documents instead.
    ///
    /// ## Example
    /// ```python
    /// class Totals:
    ///     pass
    /// ```
    /// Use instead:
    /// ```python
    /// totals = _dict(qty=0, amount=0)
    /// totals.qty += 1
    /// ```
    pub static RULE = {
        code: "SS106",
        name: "class-definition",
        severity: Error,
        summary: "a `class` statement",
        flags: [ex("class A:\n    pass\n"), ex("class B(Exception):\n    pass\n")],
        accepts: [ex("totals = _dict(qty=0)\ndef add(t):\n    t.qty = t.qty + 1\n")],
    }
}

pub fn report(cx: &mut Checker, class: &ast::StmtClassDef, range: std::ops::Range<usize>) {
    let head = cx.ident_range(range.clone(), "class", class.name.as_str());
    let d = RULE
        .diag(range.start..head.end, "class definitions are not allowed")
        .with_help(
            "use functions with dicts: `_dict(field=value)` gives attribute access (`d.field`)",
        );
    cx.report(d);
}
