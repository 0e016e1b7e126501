use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

/// Attribute names that reach interpreter internals in CPython (RestrictedPython's
/// `INSPECT_ATTRIBUTES`, Frappe's unsafe-attribute set) plus `mro`.
const INTERNALS: &[&str] = &[
    "tb_frame",
    "tb_next",
    "f_back",
    "f_builtins",
    "f_code",
    "f_generator",
    "f_globals",
    "f_locals",
    "f_trace",
    "co_code",
    "gi_frame",
    "gi_code",
    "gi_yieldfrom",
    "cr_await",
    "cr_frame",
    "cr_code",
    "cr_origin",
    "ag_await",
    "ag_frame",
    "ag_code",
    "mro",
];

declare_rule! {
    /// ## What it does
    /// Refuses attributes that name interpreter internals — frames, code objects,
    /// generator and coroutine state (`gi_frame`, `f_globals`, `tb_frame`, `co_code`, …),
    /// `mro` — and `format_map`, which the sandbox does not provide.
    ///
    /// ## Why
    /// These attributes are the second half of every frame-walking escape
    /// (`g.gi_frame.f_back.f_globals`). serverscript has no frames to reach; refusing the
    /// names keeps a script from even appearing to try. `str.format_map` is not offered:
    /// `str.format(**mapping)` does the same through the safe formatter.
    ///
    /// ## Example
    /// ```python
    /// text = "{name}".format_map(row)
    /// ```
    /// Use instead:
    /// ```python
    /// text = "{name}".format(**row)
    /// ```
    pub static RULE = {
        code: "SS116",
        name: "introspection-attribute",
        severity: Error,
        summary: "an attribute naming interpreter internals (`gi_frame`, `f_globals`, …) or `format_map`",
        flags: [
            ex("f = '{}'.format_map\nf({})\n"),
            ex("try:\n    1/0\nexcept Exception as e:\n    t = e.tb_frame\n"),
            ex("x = frappe.flags.f_globals\n"),
        ],
        accepts: [ex("s = '{name}'.format(**{'name': 'x'})\nframe = frappe.form_dict.frame\n")],
    }
}

pub fn check(cx: &mut Checker, attr: &str, range: std::ops::Range<usize>) {
    if attr == "format_map" {
        let d = RULE
            .diag(range, "`format_map` is not available")
            .with_help("use `template.format(**mapping)`");
        cx.report(d);
    } else if INTERNALS.contains(&attr) {
        let d = RULE
            .diag(
                range,
                format!("attribute `{attr}` is not allowed: it names interpreter internals"),
            )
            .with_help("scripts have no frames, code objects or classes to inspect");
        cx.report(d);
    }
}
