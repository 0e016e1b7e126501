use serverscript_runtime::surface::{self, Kind, lookup, members_of};

use crate::checker::Checker;
use crate::resolve::AttrRef;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Warns about attributes of the sandbox's namespaces that do not exist:
    /// `frappe.get_value`, `frappe.db.delete`, `frappe.utils.no_such_helper`, `json.load`.
    ///
    /// ## Why
    /// In Frappe, calling an unknown `frappe.x` raises `AttributeError: module has no
    /// attribute 'x'`, and an unknown `frappe.utils.x` reads as `None`; serverscript does
    /// the same at run time and warns at save time, with a suggestion when the name is a
    /// likely typo.
    ///
    /// ## Example
    /// ```python
    /// frappe.db.get_vaule("ToDo", name, "status")
    /// ```
    /// Use instead: `frappe.db.get_value(...)`.
    pub static RULE = {
        code: "SS202",
        name: "unknown-member",
        severity: Warning,
        summary: "an attribute that the `frappe` or `json` namespace does not have",
        flags: [
            ex("frappe.method_that_doesnt_exist('x')\n"),
            ex("v = frappe.db.get_vaule('ToDo', 'x', 'status')\n"),
            ex("d = frappe.utils.no_such_helper(1)\n"),
            ex("import frappe as f\nf.nope()\n"),
            ex("from frappe import db\ndb.delete('ToDo')\n"),
        ],
        accepts: [
            ex("v = frappe.db.get_value('ToDo', 'x', 'status')\nn = frappe.form_dict.anything\nfrappe.flags.mine = 1\n"),
            ex("frappe = None\nx = frappe.anything\n"),
            ex("from frappe.utils import flt\nx = flt(1.234, 2)\n"),
        ],
    }
}

pub fn check(cx: &mut Checker, r: &AttrRef) {
    let Some(root) = cx.scopes.surface_path(r.scope, &r.root) else {
        return;
    };
    let mut path = root;
    let mut kind = lookup(&path);
    for (i, attr) in r.attrs.iter().enumerate() {
        match kind {
            Some(k) if k.has_fixed_members() => {}
            _ => return, // data, functions, values: any attribute is the runtime's business
        }
        let next = format!("{path}.{attr}");
        let next_kind = lookup(&next);
        if next_kind.is_none() {
            // Each level of a chain is recorded on its own; report only the level that
            // ends at this attribute.
            if i + 1 == r.attrs.len() {
                report_unknown(cx, &path, attr, kind == Some(Kind::Record), r);
            }
            return;
        }
        path = next;
        kind = next_kind;
    }
    if !surface::available_in(&path, cx.script_type) {
        super::unavailable_in_script_type::report(cx, &path, r.attr_range.clone());
    }
}

fn report_unknown(cx: &mut Checker, parent: &str, attr: &str, record: bool, r: &AttrRef) {
    let consequence = if record {
        "reads as None"
    } else if r.called {
        "raises AttributeError when called"
    } else {
        "a stub that raises AttributeError when called"
    };
    let mut d = RULE
        .diag(
            r.attr_range.clone(),
            format!("`{parent}.{attr}` does not exist"),
        )
        .with_label(consequence);
    let members = members_of(parent);
    if let Some(s) = super::did_you_mean(attr, members.iter().copied()) {
        d = d.with_help(format!("did you mean `{parent}.{s}`?"));
    }
    cx.report(d);
}
