use rustpython_parser::ast;
use serverscript_runtime::surface::{IMPORTABLE_MODULES, lookup};

use crate::checker::{Checker, span};
use crate::names::normalize;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses `import` and `from … import` of modules the sandbox does not provide, star
    /// imports, relative imports, and imports of names a provided module does not have.
    ///
    /// ## Why
    /// Scripts run inside the site process; a module such as `os`, `subprocess` or
    /// `requests` would give them the file system, processes or the network. The sandbox
    /// already provides `frappe` (with `frappe.db` and `frappe.utils`) and `json`, so
    /// `import frappe`, `import json` and `from frappe.utils import nowdate` are accepted
    /// and simply bind those objects (Frappe itself fails every import at run time).
    ///
    /// ## Example
    /// ```python
    /// import requests
    /// r = requests.get(url)
    /// ```
    /// Use instead:
    /// ```python
    /// r = frappe.make_get_request(url)
    /// ```
    pub static RULE = {
        code: "SS101",
        name: "import-forbidden",
        severity: Error,
        summary: "importing a module the sandbox does not provide",
        flags: [
            ex("import os\n"),
            ex("x = 1\nif x:\n    import subprocess\n"),
            ex("def f():\n    from math import *\n    return 1\n"),
            ex("from frappe.utils import *\n"),
            ex("from . import helpers\n"),
            ex("from frappe.utils import no_such_helper\n"),
        ],
        accepts: [
            ex("import frappe\n"),
            ex("import json\n"),
            ex("from frappe.utils import nowdate, flt\n"),
            ex("import frappe.utils as fu\n"),
            ex("from frappe import _\n"),
        ],
    }
}

const HELP: &str = "the sandbox provides `frappe` (with `frappe.db` and `frappe.utils`) and `json` without imports; other modules are not available to server scripts";

pub fn check_import(cx: &mut Checker, stmt: &ast::StmtImport) {
    for alias in &stmt.names {
        let module = normalize(alias.name.as_str()).into_owned();
        if !IMPORTABLE_MODULES.contains(&module.as_str()) {
            // `import os` underlines the statement; `import frappe, os` the alias
            let at = if stmt.names.len() == 1 {
                span(stmt)
            } else {
                span(alias)
            };
            let d = RULE
                .diag(at, format!("`import {module}` is not allowed"))
                .with_label(format!(
                    "module `{module}` is not available to server scripts"
                ))
                .with_help(HELP);
            cx.report(d);
        }
    }
}

pub fn check_import_from(
    cx: &mut Checker,
    stmt: &ast::StmtImportFrom,
    range: std::ops::Range<usize>,
) {
    let level = stmt.level.map(|l| l.to_u32()).unwrap_or(0);
    let module = stmt
        .module
        .as_ref()
        .map(|m| normalize(m.as_str()).into_owned())
        .unwrap_or_default();
    let head = range.start..range.start + 4;
    if level > 0 {
        let d = RULE
            .diag(head, "relative imports are not allowed")
            .with_label("server scripts are not part of a package")
            .with_help(
                "to reuse another script's code, call it with `run_script(\"Script Name\")`",
            );
        cx.report(d);
        return;
    }
    if !IMPORTABLE_MODULES.contains(&module.as_str()) {
        let d = RULE
            .diag(head, format!("`from {module} import …` is not allowed"))
            .with_label(format!(
                "module `{module}` is not available to server scripts"
            ))
            .with_help(HELP);
        cx.report(d);
        return;
    }
    for alias in &stmt.names {
        let name = normalize(alias.name.as_str()).into_owned();
        if name == "*" {
            let d = RULE
                .diag(span(alias), format!("`from {module} import *` is not allowed"))
                .with_help(format!("import the names you use: `from {module} import name1, name2`, or write `{module}.name`"));
            cx.report(d);
        } else if lookup(&format!("{module}.{name}")).is_none() {
            let candidates = serverscript_runtime::surface::members_of(&module);
            let mut d = RULE.diag(span(alias), format!("`{module}` has no member `{name}`"));
            if let Some(s) = super::did_you_mean(&name, candidates.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            cx.report(d);
        }
    }
}
