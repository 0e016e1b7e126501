//! Calls: plain calls (`f(a, k=v)`), method calls (`obj.m(a)`, no bound method built),
//! and calls with `*args` / `**kwargs` unpacking.

use serverscript_runtime::value::Value;

use super::func::{Tr, Tv};
use crate::hir::{self, Arg, ConstId, Expr, Kwarg};

impl<'a> Tr<'a, '_> {
    fn kwnames(&mut self, kwnames: Option<ConstId>) -> cranelift_codegen::ir::Value {
        match kwnames {
            Some(id) => self.konst(id),
            None => self.iconst(Value::NONE.0),
        }
    }

    pub fn call_expr(
        &mut self,
        func: &'a Expr,
        args: &'a [Arg],
        kwargs: &'a [Kwarg],
        kwnames: Option<ConstId>,
    ) -> Tv {
        let f = self.expr(func);
        let unpacking = args.iter().any(|a| matches!(a, Arg::Star(_)))
            || kwargs.iter().any(|k| matches!(k, Kwarg::DoubleStar(_)));
        if !unpacking {
            let mut vals = Vec::with_capacity(args.len() + kwargs.len());
            for a in args {
                if let Arg::Pos(x) = a {
                    vals.push(self.expr(x).v);
                }
            }
            for k in kwargs {
                if let Kwarg::Named(_, x) = k {
                    vals.push(self.expr(x).v);
                }
            }
            let ptr = self.array(&vals);
            let n = self.iconst(vals.len() as u64);
            let names = self.kwnames(kwnames);
            let v = self
                .call("ss_call", &[self.ctx, f.v, ptr, n, names])
                .expect("value");
            self.check_call_value(v);
            for _ in 0..=vals.len() {
                self.drop_top();
            }
            return self.push(v, true);
        }
        // f(*a, **k): a tuple of positional arguments and a dict of keyword arguments
        let zero = self.iconst(0);
        let l = self
            .call("ss_build_list", &[self.ctx, zero, zero])
            .expect("value");
        self.check_value(l);
        self.push(l, true);
        for a in args {
            let (x, entry) = match a {
                Arg::Pos(x) => (x, "ss_list_append"),
                Arg::Star(x) => (x, "ss_list_extend"),
            };
            let t = self.expr(x);
            let s = self.call(entry, &[self.ctx, l, t.v]).expect("status");
            self.check_status(s);
            self.drop_top();
        }
        let t = self
            .call("ss_list_to_tuple", &[self.ctx, l])
            .expect("value");
        self.check_value(t);
        self.drop_top();
        self.push(t, true);
        let d = self
            .call("ss_build_dict", &[self.ctx, zero, zero])
            .expect("value");
        self.check_value(d);
        self.push(d, true);
        for k in kwargs {
            match k {
                Kwarg::Named(name, x) => {
                    let n = self.konst(*name);
                    let xv = self.expr(x);
                    let s = self
                        .call("ss_dict_set", &[self.ctx, d, n, xv.v])
                        .expect("status");
                    self.check_status(s);
                    self.drop_top();
                }
                Kwarg::DoubleStar(x) => {
                    let xv = self.expr(x);
                    let s = self
                        .call("ss_dict_update", &[self.ctx, d, xv.v])
                        .expect("status");
                    self.check_status(s);
                    self.drop_top();
                }
            }
        }
        let v = self
            .call("ss_call_ex", &[self.ctx, f.v, t, d])
            .expect("value");
        self.check_call_value(v);
        self.drop_top();
        self.drop_top();
        self.drop_top();
        self.push(v, true)
    }

    pub fn method_call(
        &mut self,
        obj: &'a Expr,
        name: ConstId,
        args: &'a [Expr],
        kwargs: &'a [Expr],
        kwnames: Option<ConstId>,
    ) -> Tv {
        let o = self.expr(obj);
        let mut vals = Vec::with_capacity(args.len() + kwargs.len());
        for x in args.iter().chain(kwargs) {
            vals.push(self.expr(x).v);
        }
        let ptr = self.array(&vals);
        let n = self.iconst(vals.len() as u64);
        let names = self.kwnames(kwnames);
        let m = self.konst(name);
        // which receiver kinds have a method of this name, decided now rather than by
        // a lookup on every call
        let kinds = match &self.module_consts[name as usize] {
            hir::Const::Str(s) => serverscript_runtime::methods::kinds_with_method(s),
            _ => 0,
        };
        // and, for a site with positional arguments only, its direct entry (bits 16..32)
        let fast = match (&self.module_consts[name as usize], kwargs.is_empty()) {
            (hir::Const::Str(s), true) => {
                serverscript_runtime::methods::fast::fast_id(s, args.len())
            }
            _ => 0,
        };
        let kinds = self.iconst(kinds as u64 | (fast as u64) << 16);
        let v = self
            .call("ss_call_method", &[self.ctx, o.v, m, ptr, n, names, kinds])
            .expect("value");
        self.check_call_value(v);
        for _ in 0..=vals.len() {
            self.drop_top();
        }
        self.push(v, true)
    }
}
