//! Lowering of statements and assignment targets.

use rustpython_parser::ast::{self, Expr, Stmt};

use super::Lowerer;
use super::expr::binop;
use crate::hir::{self, Arg, ExprKind, Handler, StmtKind, Target};
use crate::names::normalize;

impl Lowerer<'_> {
    pub(crate) fn stmts(&mut self, body: &[Stmt]) -> Vec<hir::Stmt> {
        let mut out = Vec::with_capacity(body.len());
        for s in body {
            if let Some(st) = self.stmt(s) {
                out.push(st);
            }
        }
        out
    }

    pub(crate) fn target(&mut self, t: &Expr) -> Target {
        match t {
            Expr::Name(n) => {
                let var = self.store_var(n.id.as_str());
                let name = self.str_const(&normalize(n.id.as_str()));
                Target::Var(var, name)
            }
            Expr::Attribute(a) => {
                let obj = self.expr(&a.value);
                Target::Attr(obj, self.str_const(&normalize(a.attr.as_str())))
            }
            Expr::Subscript(s) => Target::Subscript(self.expr(&s.value), self.expr(&s.slice)),
            Expr::Tuple(_) | Expr::List(_) => {
                let elts = match t {
                    Expr::Tuple(tu) => &tu.elts,
                    Expr::List(l) => &l.elts,
                    _ => unreachable!(),
                };
                let mut before = Vec::new();
                let mut star = None;
                let mut after = Vec::new();
                for e in elts {
                    match e {
                        Expr::Starred(s) => star = Some(Box::new(self.target(&s.value))),
                        other if star.is_none() => before.push(self.target(other)),
                        other => after.push(self.target(other)),
                    }
                }
                Target::Unpack {
                    before,
                    star,
                    after,
                }
            }
            Expr::Starred(s) => self.target(&s.value),
            _ => unreachable!("invalid targets are refused by SS009 before lowering"),
        }
    }

    /// The slot of the innermost `except` handler's exception (for a bare `raise`).
    fn current_handler(&self) -> Option<u32> {
        self.handler_stack.last().copied()
    }

    fn stmt(&mut self, s: &Stmt) -> Option<hir::Stmt> {
        let line = self.line(s);
        let kind = match s {
            Stmt::FunctionDef(f) => {
                let decorators: Vec<hir::Expr> =
                    f.decorator_list.iter().map(|d| self.expr(d)).collect();
                let (defaults, kwdefaults) = self.defaults(&f.args);
                let body = &f.body;
                let (func, closure) =
                    self.function(s, f.name.as_str(), &f.args, |lw| lw.stmts(body));
                let mut value = hir::Expr {
                    kind: ExprKind::MakeFunction {
                        func,
                        defaults,
                        kwdefaults,
                        closure,
                    },
                    line,
                };
                for d in decorators.into_iter().rev() {
                    value = hir::Expr {
                        kind: ExprKind::Call {
                            func: Box::new(d),
                            args: vec![Arg::Pos(value)],
                            kwargs: vec![],
                            kwnames: None,
                        },
                        line,
                    };
                }
                let var = self.store_var(f.name.as_str());
                let name = self.str_const(&normalize(f.name.as_str()));
                StmtKind::Assign(vec![Target::Var(var, name)], value)
            }
            Stmt::Return(r) => StmtKind::Return(r.value.as_deref().map(|v| self.expr(v))),
            Stmt::Delete(d) => StmtKind::Delete(d.targets.iter().map(|t| self.target(t)).collect()),
            Stmt::Assign(a) => {
                let value = self.expr(&a.value);
                let targets = a.targets.iter().map(|t| self.target(t)).collect();
                StmtKind::Assign(targets, value)
            }
            Stmt::AugAssign(a) => {
                let value = self.expr(&a.value);
                let target = self.target(&a.target);
                StmtKind::AugAssign(target, binop(&a.op), value)
            }
            Stmt::For(f) => {
                let iter = self.expr(&f.iter);
                let iter_slot = self.hidden_slot("iter");
                let target = self.target(&f.target);
                let body = self.stmts(&f.body);
                let orelse = self.stmts(&f.orelse);
                StmtKind::For {
                    target,
                    iter,
                    body,
                    orelse,
                    iter_slot,
                }
            }
            Stmt::While(w) => StmtKind::While(
                self.expr(&w.test),
                self.stmts(&w.body),
                self.stmts(&w.orelse),
            ),
            Stmt::If(i) => StmtKind::If(
                self.expr(&i.test),
                self.stmts(&i.body),
                self.stmts(&i.orelse),
            ),
            Stmt::Raise(r) => StmtKind::Raise {
                exc: r.exc.as_deref().map(|e| self.expr(e)),
                cause: r.cause.as_deref().map(|c| self.expr(c)),
                reraise_slot: if r.exc.is_none() {
                    self.current_handler()
                } else {
                    None
                },
            },
            Stmt::Try(t) => {
                let body = self.stmts(&t.body);
                let mut handlers = Vec::with_capacity(t.handlers.len());
                for ast::ExceptHandler::ExceptHandler(h) in &t.handlers {
                    let class = h.type_.as_deref().map(|c| self.expr(c));
                    let name = h.name.as_ref().map(|n| {
                        let var = self.store_var(n.as_str());
                        (var, self.str_const(&normalize(n.as_str())))
                    });
                    let exc_slot = self.hidden_slot("exception");
                    self.handler_stack.push(exc_slot);
                    let hbody = self.stmts(&h.body);
                    self.handler_stack.pop();
                    handlers.push(Handler {
                        class,
                        name,
                        exc_slot,
                        body: hbody,
                        line: self.line(h),
                    });
                }
                let orelse = self.stmts(&t.orelse);
                let finalbody = self.stmts(&t.finalbody);
                let finally_slot = self.hidden_slot("finally");
                StmtKind::Try {
                    body,
                    handlers,
                    orelse,
                    finalbody,
                    finally_slot,
                }
            }
            Stmt::Assert(a) => {
                StmtKind::Assert(self.expr(&a.test), a.msg.as_deref().map(|m| self.expr(m)))
            }
            Stmt::Import(i) => {
                let mut targets = Vec::new();
                for alias in &i.names {
                    let module = normalize(alias.name.as_str()).into_owned();
                    let (bound, path) = match &alias.asname {
                        Some(a) => (a.as_str().to_string(), module.clone()),
                        None => {
                            let first = module.split('.').next().unwrap_or("").to_string();
                            (first.clone(), first)
                        }
                    };
                    targets.push((bound, path));
                }
                return Some(self.imports(targets, line));
            }
            Stmt::ImportFrom(i) => {
                let module = i
                    .module
                    .as_ref()
                    .map(|m| normalize(m.as_str()).into_owned())
                    .unwrap_or_default();
                let targets = i
                    .names
                    .iter()
                    .map(|a| {
                        let bound = a.asname.as_ref().unwrap_or(&a.name).as_str().to_string();
                        (bound, format!("{module}.{}", normalize(a.name.as_str())))
                    })
                    .collect();
                return Some(self.imports(targets, line));
            }
            Stmt::Global(_) => return None,
            Stmt::Expr(e) => StmtKind::Expr(self.expr(&e.value)),
            Stmt::Pass(_) => StmtKind::Pass,
            Stmt::Break(_) => StmtKind::Break,
            Stmt::Continue(_) => StmtKind::Continue,
            Stmt::Nonlocal(_)
            | Stmt::AsyncFunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::TypeAlias(_)
            | Stmt::AnnAssign(_)
            | Stmt::AsyncFor(_)
            | Stmt::With(_)
            | Stmt::AsyncWith(_)
            | Stmt::Match(_)
            | Stmt::TryStar(_) => unreachable!("refused by policy before lowering"),
        };
        Some(hir::Stmt { kind, line })
    }

    /// `import x` / `from x import y`: binds each name to the sandbox object it names.
    fn imports(&mut self, targets: Vec<(String, String)>, line: u32) -> hir::Stmt {
        let mut stmts = Vec::new();
        for (bound, path) in targets {
            let value = hir::Expr {
                kind: self.sandbox(&path),
                line,
            };
            let var = self.store_var(&bound);
            let name = self.str_const(&normalize(&bound));
            stmts.push(hir::Stmt {
                kind: StmtKind::Assign(vec![Target::Var(var, name)], value),
                line,
            });
        }
        // several bindings from one statement: an `if True:` block holds them
        hir::Stmt {
            kind: StmtKind::If(
                hir::Expr {
                    kind: ExprKind::True,
                    line,
                },
                stmts,
                Vec::new(),
            ),
            line,
        }
    }
}
