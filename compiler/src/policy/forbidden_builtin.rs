use serverscript_runtime::surface::{FORBIDDEN_BUILTINS, forbidden_builtin_help};

use crate::checker::Checker;
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses every use of the Python builtins that execute code or reach the
    /// interpreter: `eval`, `exec`, `compile`, `open`, `input`, `breakpoint`, `globals`,
    /// `locals`, `vars`, `setattr`, `delattr`, `type`, `__import__`, `memoryview`, `super`
    /// and `object` — called or merely referenced (`e = eval`, `[eval][0]`). Names are
    /// NFKC-normalised, so `𝐞𝐯𝐚𝐥` is `eval`. A variable of the script that happens to be
    /// called `type` or `input` is fine.
    ///
    /// ## Why
    /// Each is either a way to run a string as code, a door to the file system or console,
    /// or the start of an introspection escape (`type(x).__subclasses__()`).
    ///
    /// ## Example
    /// ```python
    /// if type(value) == str:
    ///     ...
    /// ```
    /// Use instead:
    /// ```python
    /// if isinstance(value, str):
    ///     ...
    /// ```
    pub static RULE = {
        code: "SS105",
        name: "forbidden-builtin",
        severity: Error,
        summary: "a builtin that executes code or reaches the interpreter (`eval`, `type`, …)",
        flags: [
            ex("eval('1+1')\n"),
            ex("exec('x=1')\n"),
            ex("open('/etc/passwd').read()\n"),
            ex("g = globals()\n"),
            ex("setattr(frappe.flags, 'x', 1)\n"),
            ex("e = eval\ne('1')\n"),
            ex("fn = [eval][0]\n"),
            ex("𝐞𝐯𝐚𝐥('1')\n"),
            ex("t = type(1)\n"),
        ],
        accepts: [
            ex("ok = isinstance(1, int)\n"),
            ex("type = frappe.form_dict.type\nprint(type)\n"),
            ex("def f(input):\n    return input\n"),
        ],
    }
}

pub fn is_forbidden(name: &str) -> bool {
    FORBIDDEN_BUILTINS.iter().any(|(n, _)| *n == name)
}

pub fn report(cx: &mut Checker, name: &str, range: std::ops::Range<usize>) {
    let why = FORBIDDEN_BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, why)| *why)
        .unwrap_or("it is not available");
    let d = RULE
        .diag(range, format!("`{name}` is not allowed: {why}"))
        .with_help(forbidden_builtin_help(name));
    cx.report(d);
}
