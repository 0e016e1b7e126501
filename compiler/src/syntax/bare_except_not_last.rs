use rustpython_parser::ast;

use crate::checker::{Checker, span};
use crate::rule::{declare_rule, ex};

declare_rule! {
    /// ## What it does
    /// Refuses a bare `except:` that is followed by other `except` clauses.
    ///
    /// ## Why
    /// CPython refuses it ("default 'except:' must be last"): the clauses after it could
    /// never run.
    ///
    /// ## Example
    /// ```python
    /// try:
    ///     frappe.get_doc("ToDo", name)
    /// except:
    ///     pass
    /// except frappe.DoesNotExistError:
    ///     pass
    /// ```
    pub static RULE = {
        code: "SS011",
        name: "bare-except-not-last",
        severity: Error,
        summary: "a bare `except:` is not the last handler",
        flags: [ex("try:\n    x = 1\nexcept:\n    pass\nexcept ValueError:\n    pass\n")],
        accepts: [ex("try:\n    x = 1\nexcept ValueError:\n    pass\nexcept:\n    pass\n")],
    }
}

pub fn check(cx: &mut Checker, handlers: &[ast::ExceptHandler]) {
    let n = handlers.len();
    for (i, ast::ExceptHandler::ExceptHandler(h)) in handlers.iter().enumerate() {
        if h.type_.is_none() && i + 1 < n {
            let r = span(h);
            let d = RULE
                .diag(r.start..r.start + 6, "default 'except:' must be last")
                .with_help("move the bare `except:` after the specific handlers");
            cx.report(d);
        }
    }
}
