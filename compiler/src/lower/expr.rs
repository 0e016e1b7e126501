//! Lowering of expressions.

use num_traits::ToPrimitive;
use rustpython_parser::ast::{self, Constant, Expr};
use serverscript_runtime::ops::arith::{BinOp, UnaryOp};
use serverscript_runtime::ops::compare::CmpOp;
use serverscript_runtime::value::{StaticKind, Value};

use super::{Lowerer, NameValue};
use crate::hir::{
    self, Arg, CmpKind, CompKind, Const, DictItem, Elt, ExprKind, FPart, Generator, Kwarg,
};
use crate::names::normalize;

pub(crate) fn binop(op: &ast::Operator) -> BinOp {
    match op {
        ast::Operator::Add => BinOp::Add,
        ast::Operator::Sub => BinOp::Sub,
        ast::Operator::Mult => BinOp::Mul,
        ast::Operator::MatMult => BinOp::MatMul,
        ast::Operator::Div => BinOp::TrueDiv,
        ast::Operator::Mod => BinOp::Mod,
        ast::Operator::Pow => BinOp::Pow,
        ast::Operator::LShift => BinOp::LShift,
        ast::Operator::RShift => BinOp::RShift,
        ast::Operator::BitOr => BinOp::BitOr,
        ast::Operator::BitXor => BinOp::BitXor,
        ast::Operator::BitAnd => BinOp::BitAnd,
        ast::Operator::FloorDiv => BinOp::FloorDiv,
    }
}

impl Lowerer<'_> {
    fn mk(&self, kind: ExprKind, line: u32) -> hir::Expr {
        hir::Expr { kind, line }
    }

    pub(crate) fn boxed(&mut self, e: &Expr) -> Box<hir::Expr> {
        Box::new(self.expr(e))
    }

    /// The dotted sandbox path of a namespace expression (`frappe`, `frappe.db`), when
    /// the root name is the sandbox's and not a variable of the script.
    fn namespace_path(&mut self, e: &Expr) -> Option<String> {
        match e {
            Expr::Name(n) => match self.name(n.id.as_str()) {
                NameValue::Expr(ExprKind::Static(bits)) => {
                    let v = Value(bits);
                    v.static_id(StaticKind::Namespace)
                        .map(|id| serverscript_runtime::builtins::namespace_name(id).to_string())
                }
                _ => None,
            },
            Expr::Attribute(a) => {
                let parent = self.namespace_path(&a.value)?;
                let path = format!("{parent}.{}", normalize(a.attr.as_str()));
                serverscript_runtime::builtins::namespace_id(&path).map(|_| path)
            }
            _ => None,
        }
    }

    /// `ns.attr` bound at compile time when the runtime has it as a static value.
    fn static_member(&mut self, a: &ast::ExprAttribute) -> Option<ExprKind> {
        let parent = self.namespace_path(&a.value)?;
        let path = format!("{parent}.{}", normalize(a.attr.as_str()));
        match self.sandbox(&path) {
            k @ ExprKind::Static(_) => {
                // frappe.db.commit & co. do not exist in DocType Event scripts
                if !serverscript_runtime::surface::available_in(&path, self.scopes.script_type) {
                    return None;
                }
                Some(k)
            }
            _ => None,
        }
    }

    pub(crate) fn expr(&mut self, e: &Expr) -> hir::Expr {
        let line = self.line(e);
        let kind = match e {
            Expr::Constant(c) => self.constant(&c.value),
            Expr::Name(n) => match self.name(n.id.as_str()) {
                NameValue::Var(v) => {
                    let name = self.str_const(&normalize(n.id.as_str()));
                    ExprKind::Load(v, name)
                }
                NameValue::Expr(k) => k,
            },
            Expr::Attribute(a) => match self.static_member(a) {
                Some(k) => k,
                None => {
                    let obj = self.boxed(&a.value);
                    let name = self.str_const(&normalize(a.attr.as_str()));
                    ExprKind::Attr(obj, name)
                }
            },
            Expr::BinOp(b) => {
                ExprKind::Binary(binop(&b.op), self.boxed(&b.left), self.boxed(&b.right))
            }
            Expr::UnaryOp(u) => {
                let operand = self.boxed(&u.operand);
                match u.op {
                    ast::UnaryOp::Not => ExprKind::Not(operand),
                    ast::UnaryOp::USub => ExprKind::Unary(UnaryOp::Neg, operand),
                    ast::UnaryOp::UAdd => ExprKind::Unary(UnaryOp::Pos, operand),
                    ast::UnaryOp::Invert => ExprKind::Unary(UnaryOp::Invert, operand),
                }
            }
            Expr::BoolOp(b) => {
                let values = b.values.iter().map(|v| self.expr(v)).collect();
                match b.op {
                    ast::BoolOp::And => ExprKind::And(values),
                    ast::BoolOp::Or => ExprKind::Or(values),
                }
            }
            Expr::Compare(c) => {
                let left = self.boxed(&c.left);
                let rest = c
                    .ops
                    .iter()
                    .zip(&c.comparators)
                    .map(|(op, rhs)| {
                        let k = match op {
                            ast::CmpOp::Eq => CmpKind::Op(CmpOp::Eq),
                            ast::CmpOp::NotEq => CmpKind::Op(CmpOp::Ne),
                            ast::CmpOp::Lt => CmpKind::Op(CmpOp::Lt),
                            ast::CmpOp::LtE => CmpKind::Op(CmpOp::Le),
                            ast::CmpOp::Gt => CmpKind::Op(CmpOp::Gt),
                            ast::CmpOp::GtE => CmpKind::Op(CmpOp::Ge),
                            ast::CmpOp::In => CmpKind::In,
                            ast::CmpOp::NotIn => CmpKind::NotIn,
                            ast::CmpOp::Is => CmpKind::Is,
                            ast::CmpOp::IsNot => CmpKind::IsNot,
                        };
                        (k, self.expr(rhs))
                    })
                    .collect();
                ExprKind::Compare(left, rest)
            }
            Expr::IfExp(i) => ExprKind::IfExp(
                self.boxed(&i.test),
                self.boxed(&i.body),
                self.boxed(&i.orelse),
            ),
            Expr::Call(c) => self.call(c),
            Expr::Subscript(s) => ExprKind::Subscript(self.boxed(&s.value), self.boxed(&s.slice)),
            Expr::Slice(s) => ExprKind::Slice(
                s.lower.as_deref().map(|x| self.boxed(x)),
                s.upper.as_deref().map(|x| self.boxed(x)),
                s.step.as_deref().map(|x| self.boxed(x)),
            ),
            Expr::List(l) => ExprKind::List(self.elts(&l.elts)),
            Expr::Tuple(t) => ExprKind::Tuple(self.elts(&t.elts)),
            Expr::Set(s) => ExprKind::Set(self.elts(&s.elts)),
            Expr::Dict(d) => ExprKind::Dict(
                d.keys
                    .iter()
                    .zip(&d.values)
                    .map(|(k, v)| match k {
                        Some(k) => DictItem::Pair(self.expr(k), self.expr(v)),
                        None => DictItem::Spread(self.expr(v)),
                    })
                    .collect(),
            ),
            Expr::ListComp(c) => self.comprehension(e, CompKind::List, &c.generators, &c.elt, None),
            Expr::SetComp(c) => self.comprehension(e, CompKind::Set, &c.generators, &c.elt, None),
            Expr::GeneratorExp(c) => {
                self.comprehension(e, CompKind::Gen, &c.generators, &c.elt, None)
            }
            Expr::DictComp(c) => {
                self.comprehension(e, CompKind::Dict, &c.generators, &c.key, Some(&c.value))
            }
            Expr::Lambda(l) => {
                let (defaults, kwdefaults) = self.defaults(&l.args);
                let body = &l.body;
                let (func, closure) = self.function(e, "<lambda>", &l.args, |lw| {
                    let value = lw.expr(body);
                    let line = value.line;
                    vec![hir::Stmt {
                        kind: hir::StmtKind::Return(Some(value)),
                        line,
                    }]
                });
                ExprKind::MakeFunction {
                    func,
                    defaults,
                    kwdefaults,
                    closure,
                }
            }
            Expr::JoinedStr(j) => ExprKind::FString(self.fstring_parts(&j.values)),
            Expr::FormattedValue(_) => {
                ExprKind::FString(self.fstring_parts(std::slice::from_ref(e)))
            }
            Expr::NamedExpr(n) => {
                let value = self.boxed(&n.value);
                match n.target.as_ref() {
                    Expr::Name(name) => {
                        let var = self.store_var(name.id.as_str());
                        let c = self.str_const(&normalize(name.id.as_str()));
                        ExprKind::Walrus(var, c, value)
                    }
                    _ => unreachable!("the parser only allows names as := targets"),
                }
            }
            Expr::Starred(s) => {
                // only reachable inside displays and calls, which handle it; elsewhere the
                // checker refused the script (SS009)
                return self.expr(&s.value);
            }
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => {
                unreachable!("refused by policy before lowering")
            }
        };
        self.mk(kind, line)
    }

    fn constant(&mut self, c: &Constant) -> ExprKind {
        match c {
            Constant::None => ExprKind::None,
            Constant::Bool(true) => ExprKind::True,
            Constant::Bool(false) => ExprKind::False,
            Constant::Str(s) => ExprKind::Const(self.str_const(s)),
            Constant::Int(i) => match i.to_i64().filter(|x| Value::small_int(*x).is_some()) {
                Some(x) => ExprKind::Int(x),
                None => ExprKind::Const(self.konst(Const::Int(i.clone()))),
            },
            Constant::Float(f) => ExprKind::Const(self.konst(Const::Float(*f))),
            Constant::Tuple(items) => {
                let elts = items
                    .iter()
                    .map(|c| {
                        Elt::One(hir::Expr {
                            kind: self.constant(c),
                            line: 0,
                        })
                    })
                    .collect();
                ExprKind::Tuple(elts)
            }
            Constant::Bytes(_) => ExprKind::Surface(self.str_const("bytes")),
            Constant::Complex { .. } => ExprKind::Surface(self.str_const("complex")),
            Constant::Ellipsis => ExprKind::Surface(self.str_const("Ellipsis")),
        }
    }

    fn elts(&mut self, elts: &[Expr]) -> Vec<Elt> {
        elts.iter()
            .map(|e| match e {
                Expr::Starred(s) => Elt::Star(self.expr(&s.value)),
                other => Elt::One(self.expr(other)),
            })
            .collect()
    }

    pub(crate) fn defaults(
        &mut self,
        args: &ast::Arguments,
    ) -> (Vec<hir::Expr>, Vec<Option<hir::Expr>>) {
        let defaults = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .filter_map(|a| a.default.as_deref())
            .map(|d| self.expr(d))
            .collect();
        let kwdefaults = args
            .kwonlyargs
            .iter()
            .map(|a| a.default.as_deref().map(|d| self.expr(d)))
            .collect();
        (defaults, kwdefaults)
    }

    fn call(&mut self, c: &ast::ExprCall) -> ExprKind {
        let has_star = c.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || c.keywords.iter().any(|k| k.arg.is_none());
        if let Expr::Attribute(a) = c.func.as_ref()
            && !has_star
            && self.static_member(a).is_none()
        {
            let obj = self.boxed(&a.value);
            let name = self.str_const(&normalize(a.attr.as_str()));
            let args = c.args.iter().map(|x| self.expr(x)).collect();
            let names: Vec<String> = c
                .keywords
                .iter()
                .map(|k| normalize(k.arg.as_ref().expect("no ** here").as_str()).into_owned())
                .collect();
            let kwargs = c.keywords.iter().map(|k| self.expr(&k.value)).collect();
            let kwnames = (!names.is_empty()).then(|| self.konst(Const::Names(names)));
            return ExprKind::MethodCall {
                obj,
                name,
                args,
                kwargs,
                kwnames,
            };
        }
        let func = self.boxed(&c.func);
        let args = c
            .args
            .iter()
            .map(|a| match a {
                Expr::Starred(s) => Arg::Star(self.expr(&s.value)),
                other => Arg::Pos(self.expr(other)),
            })
            .collect();
        let kwargs: Vec<Kwarg> = c
            .keywords
            .iter()
            .map(|k| match &k.arg {
                Some(name) => {
                    let n = self.str_const(&normalize(name.as_str()));
                    Kwarg::Named(n, self.expr(&k.value))
                }
                None => Kwarg::DoubleStar(self.expr(&k.value)),
            })
            .collect();
        let kwnames = if has_star || kwargs.is_empty() {
            None
        } else {
            let names = c
                .keywords
                .iter()
                .map(|k| normalize(k.arg.as_ref().expect("named").as_str()).into_owned())
                .collect();
            Some(self.konst(Const::Names(names)))
        };
        ExprKind::Call {
            func,
            args,
            kwargs,
            kwnames,
        }
    }

    fn comprehension(
        &mut self,
        node: &Expr,
        kind: CompKind,
        generators: &[ast::Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
    ) -> ExprKind {
        let scope = self.scope_of(node);
        // the first iterable is evaluated in the enclosing scope
        let first_iter = self.expr(&generators[0].iter);
        let acc_slot = self.hidden_slot("comprehension");
        self.in_comprehension(scope, |lw| {
            let mut gens = Vec::with_capacity(generators.len());
            let mut first = Some(first_iter);
            for g in generators {
                let iter = match first.take() {
                    Some(it) => it,
                    None => lw.expr(&g.iter),
                };
                let target = lw.target(&g.target);
                let ifs = g.ifs.iter().map(|c| lw.expr(c)).collect();
                let iter_slot = lw.hidden_slot("iter");
                gens.push(Generator {
                    target,
                    iter,
                    ifs,
                    iter_slot,
                });
            }
            let elt = lw.boxed(elt);
            let value = value.map(|v| lw.boxed(v));
            ExprKind::Comp {
                kind,
                generators: gens,
                elt,
                value,
                acc_slot,
            }
        })
    }

    fn fstring_parts(&mut self, values: &[Expr]) -> Vec<FPart> {
        let mut parts = Vec::new();
        for v in values {
            match v {
                Expr::Constant(c) => {
                    if let Constant::Str(s) = &c.value
                        && !s.is_empty()
                    {
                        parts.push(FPart::Lit(self.str_const(s)));
                    }
                }
                Expr::FormattedValue(f) => {
                    let conversion = match f.conversion {
                        ast::ConversionFlag::Str => 1,
                        ast::ConversionFlag::Repr => 2,
                        ast::ConversionFlag::Ascii => 3,
                        _ => 0,
                    };
                    let value = self.expr(&f.value);
                    let spec = f.format_spec.as_deref().map(|s| self.boxed(s));
                    parts.push(FPart::Value {
                        value,
                        conversion,
                        spec,
                    });
                }
                Expr::JoinedStr(j) => parts.extend(self.fstring_parts(&j.values)),
                other => {
                    let value = self.expr(other);
                    parts.push(FPart::Value {
                        value,
                        conversion: 0,
                        spec: None,
                    });
                }
            }
        }
        parts
    }
}
