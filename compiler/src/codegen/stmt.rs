//! Statements and assignment targets.
//!
//! `finally` bodies are emitted inline on every path that leaves their `try`: normal
//! completion, an exception (taken into a hidden slot, re-raised after the body), and
//! each `return`, `break` or `continue` that crosses them.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, Block, InstBuilder};
use serverscript_runtime::abi::STOP;
use serverscript_runtime::value::Value;

use super::func::{LoopCtx, Tr};
use crate::hir::{
    Arg, DictItem, Elt, Expr, ExprKind, FPart, Handler, Kwarg, Stmt, StmtKind, Target, Var,
};

/// Variables assigned with `:=` anywhere in an expression.
fn walrus_targets(e: &Expr, out: &mut Vec<Var>) {
    let mut go = |x: &Expr| walrus_targets(x, out);
    match &e.kind {
        ExprKind::Walrus(v, _, x) => {
            out.push(*v);
            walrus_targets(x, out);
        }
        ExprKind::Unary(_, x) | ExprKind::Not(x) | ExprKind::Attr(x, _) => go(x),
        ExprKind::Binary(_, a, b) | ExprKind::Subscript(a, b) => {
            go(a);
            go(b);
        }
        ExprKind::And(xs) | ExprKind::Or(xs) => xs.iter().for_each(go),
        ExprKind::Compare(a, rest) => {
            go(a);
            rest.iter().for_each(|(_, x)| go(x));
        }
        ExprKind::IfExp(a, b, c) => {
            go(a);
            go(b);
            go(c);
        }
        ExprKind::Call {
            func, args, kwargs, ..
        } => {
            go(func);
            for a in args {
                match a {
                    Arg::Pos(x) | Arg::Star(x) => go(x),
                }
            }
            for k in kwargs {
                match k {
                    Kwarg::Named(_, x) | Kwarg::DoubleStar(x) => go(x),
                }
            }
        }
        ExprKind::MethodCall {
            obj, args, kwargs, ..
        } => {
            go(obj);
            args.iter().chain(kwargs).for_each(go);
        }
        ExprKind::Slice(a, b, c) => [a, b, c].into_iter().flatten().for_each(|x| go(x)),
        ExprKind::List(es) | ExprKind::Tuple(es) | ExprKind::Set(es) => {
            for e in es {
                match e {
                    Elt::One(x) | Elt::Star(x) => go(x),
                }
            }
        }
        ExprKind::Dict(items) => {
            for i in items {
                match i {
                    DictItem::Pair(k, v) => {
                        go(k);
                        go(v);
                    }
                    DictItem::Spread(x) => go(x),
                }
            }
        }
        ExprKind::Comp {
            generators,
            elt,
            value,
            ..
        } => {
            for g in generators {
                go(&g.iter);
                g.ifs.iter().for_each(&mut go);
            }
            go(elt);
            if let Some(v) = value {
                go(v);
            }
        }
        ExprKind::MakeFunction {
            defaults,
            kwdefaults,
            ..
        } => {
            defaults.iter().for_each(&mut go);
            kwdefaults.iter().flatten().for_each(go);
        }
        ExprKind::FString(parts) => {
            for p in parts {
                if let FPart::Value { value, spec, .. } = p {
                    go(value);
                    if let Some(s) = spec {
                        go(s);
                    }
                }
            }
        }
        _ => {}
    }
}

fn stmt_walrus(s: &Stmt) -> Vec<Var> {
    let mut out = Vec::new();
    match &s.kind {
        StmtKind::Expr(e) | StmtKind::Assign(_, e) | StmtKind::AugAssign(_, _, e) => {
            walrus_targets(e, &mut out)
        }
        StmtKind::If(e, ..) | StmtKind::While(e, ..) => walrus_targets(e, &mut out),
        StmtKind::For { iter, .. } => walrus_targets(iter, &mut out),
        StmtKind::Return(Some(e)) => walrus_targets(e, &mut out),
        _ => {}
    }
    out
}

impl<'a> Tr<'a, '_> {
    pub fn stmts(&mut self, body: &'a [Stmt]) {
        for s in body {
            if self.fast && self.b.func.dfg.num_blocks() > super::OPTIMIZE_MAX_BLOCKS {
                self.oversized = true;
            }
            if self.oversized {
                return;
            }
            self.ensure_open();
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &'a Stmt) {
        self.set_line(s.line);
        self.walrus_targets = stmt_walrus(s);
        debug_assert!(
            self.temps.is_empty(),
            "temporaries leaked across statements"
        );
        match &s.kind {
            StmtKind::Expr(e) => {
                self.expr(e);
                self.drop_top();
            }
            StmtKind::Assign(targets, value) => {
                let t = self.expr(value);
                self.pop();
                let v = self.own(t);
                for (i, target) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.incref(v);
                    }
                    self.assign_target(target, v);
                }
            }
            StmtKind::AugAssign(target, op, value) => self.aug_assign(target, *op, value),
            StmtKind::If(test, body, orelse) => {
                let flag = self.cond(test);
                let (then_b, else_b, end) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                self.b.ins().brif(flag, then_b, &[], else_b, &[]);
                let before = self.bound.clone();
                let mut ends = Vec::new();
                for (block, stmts) in [(then_b, body), (else_b, orelse)] {
                    self.bound.clone_from(&before);
                    self.b.switch_to_block(block);
                    self.stmts(stmts);
                    if !self.is_terminated() {
                        self.b.ins().jump(end, &[]);
                        ends.push(self.bound.clone());
                    }
                }
                self.bound = meet(&before, &ends);
                self.b.switch_to_block(end);
            }
            StmtKind::While(test, body, orelse) => {
                let (header, body_b, latch, else_b, end) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                self.b.ins().jump(header, &[]);
                self.b.switch_to_block(header);
                // the header is reached again from the body: only what the body cannot
                // unbind stays known bound
                self.forget(unbinds(std::slice::from_ref(s)));
                let head = self.bound.clone();
                self.walrus_targets = stmt_walrus(s);
                let flag = self.cond(test);
                self.b.ins().brif(flag, body_b, &[], else_b, &[]);
                self.b.switch_to_block(body_b);
                self.loop_body(body, latch, end);
                self.b.switch_to_block(latch);
                self.set_line(s.line);
                self.fuel_check();
                self.b.ins().jump(header, &[]);
                self.bound.clone_from(&head);
                self.b.switch_to_block(else_b);
                self.stmts(orelse);
                if !self.is_terminated() {
                    self.b.ins().jump(end, &[]);
                }
                // `end` is also reached by `break` from anywhere in the body
                self.bound = head;
                self.b.switch_to_block(end);
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                iter_slot,
            } => {
                let src = self.expr(iter);
                let it = self.call("ss_get_iter", &[self.ctx, src.v]).expect("value");
                self.check_value(it);
                self.drop_top();
                self.store_slot(*iter_slot, it);
                let (header, body_b, latch, else_b, end) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                self.b.ins().jump(header, &[]);
                self.b.switch_to_block(header);
                self.forget(unbinds(std::slice::from_ref(s)));
                let head = self.bound.clone();
                let it = self.slot(*iter_slot);
                let item = self.call("ss_iter_next", &[self.ctx, it]).expect("value");
                self.check_call_value(item);
                let stop = self.b.ins().icmp_imm_s(IntCC::Equal, item, STOP.0 as i64);
                self.b.ins().brif(stop, else_b, &[], body_b, &[]);
                self.b.switch_to_block(body_b);
                self.assign_target(target, item);
                self.loop_body(body, latch, end);
                self.b.switch_to_block(latch);
                self.set_line(s.line);
                self.fuel_check();
                self.b.ins().jump(header, &[]);
                self.bound.clone_from(&head);
                self.b.switch_to_block(else_b);
                self.stmts(orelse);
                if !self.is_terminated() {
                    self.b.ins().jump(end, &[]);
                }
                self.bound = head;
                self.b.switch_to_block(end);
                let null = self.iconst(0);
                self.store_slot(*iter_slot, null);
            }
            StmtKind::Break | StmtKind::Continue => {
                let (target, depth) = {
                    let l = self
                        .loops
                        .last()
                        .expect("break/continue inside a loop (SS008)");
                    let t = if matches!(s.kind, StmtKind::Break) {
                        l.break_block
                    } else {
                        l.continue_block
                    };
                    (t, l.finally_depth)
                };
                self.run_finallies(depth);
                self.b.ins().jump(target, &[]);
            }
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => {
                        let t = self.expr(e);
                        self.pop();
                        self.own(t)
                    }
                    None => self.iconst(Value::NONE.0),
                };
                let old = self.b.use_var(self.retval);
                self.b.def_var(self.retval, v);
                self.decref(old);
                self.run_finallies(0);
                self.b.ins().jump(self.return_block, &[]);
            }
            StmtKind::Raise {
                exc,
                cause,
                reraise_slot,
            } => match exc {
                None => {
                    let e = match reraise_slot {
                        Some(slot) => self.slot(*slot),
                        None => self.iconst(0),
                    };
                    self.raise_via("ss_reraise", &[self.ctx, e]);
                }
                Some(e) => {
                    let ev = self.expr(e);
                    let cv = match cause {
                        Some(c) => self.expr(c).v,
                        None => self.iconst(0),
                    };
                    self.raise_via("ss_raise", &[self.ctx, ev.v, cv]);
                    // the failure path released them; the (dead) continuation must not
                    self.temps.clear();
                }
            },
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
                finally_slot,
            } => {
                self.try_stmt(body, handlers, orelse, finalbody, *finally_slot);
            }
            StmtKind::Assert(test, msg) => {
                let flag = self.cond(test);
                let (ok, fail) = (self.b.create_block(), self.b.create_block());
                self.b.set_cold_block(fail);
                self.b.ins().brif(flag, ok, &[], fail, &[]);
                self.b.switch_to_block(fail);
                let m = match msg {
                    Some(m) => self.expr(m).v,
                    None => self.iconst(0),
                };
                self.raise_via("ss_assert_fail", &[self.ctx, m]);
                self.temps.clear();
                self.b.ins().jump(ok, &[]);
                self.b.switch_to_block(ok);
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete_target(t);
                }
            }
            StmtKind::Pass => {}
        }
    }

    fn loop_body(&mut self, body: &'a [Stmt], latch: Block, end: Block) {
        self.loops.push(LoopCtx {
            continue_block: latch,
            break_block: end,
            finally_depth: self.finally_stack.len(),
        });
        self.stmts(body);
        self.loops.pop();
        if !self.is_terminated() {
            self.b.ins().jump(latch, &[]);
        }
    }

    /// Runs the `finally` bodies opened above `depth`, innermost first.
    fn run_finallies(&mut self, depth: usize) {
        let saved = self.finally_stack.clone();
        for i in (depth..saved.len()).rev() {
            let (body, target) = saved[i];
            self.finally_stack.truncate(i);
            self.unwind.push(target);
            self.stmts(body);
            self.unwind.pop();
            self.ensure_open();
        }
        self.finally_stack = saved;
    }

    fn try_stmt(
        &mut self,
        body: &'a [Stmt],
        handlers: &'a [Handler],
        orelse: &'a [Stmt],
        finalbody: &'a [Stmt],
        finally_slot: u32,
    ) {
        let outer = *self.unwind.last().expect("unwind target");
        let has_finally = !finalbody.is_empty();
        let finally_exc = has_finally.then(|| self.b.create_block());
        // where exceptions escaping the handlers and the else clause go
        let escape = finally_exc.unwrap_or(outer);
        let normal_end = self.b.create_block();
        let after = self.b.create_block();
        if has_finally {
            self.finally_stack.push((finalbody, outer));
        }
        let dispatch = if handlers.is_empty() {
            escape
        } else {
            self.b.create_block()
        };

        // an exception can leave the body anywhere: handlers and the exceptional
        // `finally` start from what holds at entry minus what the statement unbinds
        let mut entry = self.bound.clone();
        for slot in unbinds_try(body, handlers, orelse, finalbody) {
            entry[slot as usize] = false;
        }
        let mut ends = Vec::new();
        self.unwind.push(dispatch);
        self.stmts(body);
        self.unwind.pop();
        if !self.is_terminated() {
            self.unwind.push(escape);
            self.stmts(orelse);
            self.unwind.pop();
            if !self.is_terminated() {
                self.b.ins().jump(normal_end, &[]);
                ends.push(self.bound.clone());
            }
        }

        if !handlers.is_empty() {
            self.b.switch_to_block(dispatch);
            for h in handlers {
                self.set_line(h.line);
                let matched = self.b.create_block();
                let next = self.b.create_block();
                match &h.class {
                    Some(cls) => {
                        self.unwind.push(escape);
                        let c = self.expr(cls);
                        let m = self.call("ss_exc_match", &[self.ctx, c.v]).expect("status");
                        self.check_status(m);
                        self.drop_top();
                        self.unwind.pop();
                        self.b.ins().brif(m, matched, &[], next, &[]);
                    }
                    None => {
                        self.b.ins().jump(matched, &[]);
                    }
                }
                self.b.switch_to_block(matched);
                self.bound.clone_from(&entry);
                let e = self.call("ss_exc_take", &[self.ctx]).expect("value");
                self.store_slot(h.exc_slot, e);
                if let Some((var, _)) = h.name {
                    self.incref(e);
                    self.store_var(var, e);
                }
                self.unwind.push(escape);
                self.stmts(&h.body);
                self.unwind.pop();
                if !self.is_terminated() {
                    // Python deletes `e` at the end of the handler
                    if let Some((var, _)) = h.name {
                        self.clear_var(var);
                    }
                    let null = self.iconst(0);
                    self.store_slot(h.exc_slot, null);
                    self.b.ins().jump(normal_end, &[]);
                    ends.push(self.bound.clone());
                }
                self.b.switch_to_block(next);
            }
            // no handler matched: the exception is still pending
            self.b.ins().jump(escape, &[]);
        }

        if has_finally {
            self.finally_stack.pop();
        }
        self.b.switch_to_block(normal_end);
        self.bound = meet(&entry, &ends);
        if has_finally {
            self.stmts(finalbody);
        }
        if !self.is_terminated() {
            self.b.ins().jump(after, &[]);
        }
        let after_state = self.bound.clone();

        if let Some(fe) = finally_exc {
            self.bound.clone_from(&entry);
            self.b.switch_to_block(fe);
            let e = self.call("ss_exc_take", &[self.ctx]).expect("value");
            self.store_slot(finally_slot, e);
            self.stmts(finalbody);
            if !self.is_terminated() {
                let e = self.slot(finally_slot);
                self.call("ss_reraise", &[self.ctx, e]);
                let null = self.iconst(0);
                self.store_slot(finally_slot, null);
                self.b.ins().jump(outer, &[]);
            }
        }
        self.bound = after_state;
        self.b.switch_to_block(after);
    }

    /// Marks `slots` as possibly unbound from here on.
    fn forget(&mut self, slots: Vec<u32>) {
        for slot in slots {
            self.bound[slot as usize] = false;
        }
    }

    /// Assigns an owned value to a target (consumes it).
    pub fn assign_target(&mut self, target: &'a Target, v: ir::Value) {
        match target {
            Target::Var(var, _) => self.store_var(*var, v),
            Target::Attr(obj, name) => {
                self.push(v, true);
                let o = self.expr(obj);
                let n = self.konst(*name);
                let s = self
                    .call("ss_setattr", &[self.ctx, o.v, n, v])
                    .expect("status");
                self.check_status(s);
                self.drop_top();
                self.drop_top();
            }
            Target::Subscript(obj, index) => {
                self.push(v, true);
                let o = self.expr(obj);
                let i = self.expr(index);
                let s = self
                    .call("ss_setitem", &[self.ctx, o.v, i.v, v])
                    .expect("status");
                self.check_status(s);
                self.drop_top();
                self.drop_top();
                self.drop_top();
            }
            Target::Unpack {
                before,
                star,
                after,
            } => {
                self.push(v, true);
                let n = before.len() + after.len() + star.is_some() as usize;
                let (slot, out) = self.out_array(n);
                let s = match star {
                    Some(_) => {
                        let nb = self.iconst(before.len() as u64);
                        let na = self.iconst(after.len() as u64);
                        self.call("ss_unpack_star", &[self.ctx, v, nb, na, out])
                            .expect("status")
                    }
                    None => {
                        let nn = self.iconst(n as u64);
                        self.call("ss_unpack", &[self.ctx, v, nn, out])
                            .expect("status")
                    }
                };
                self.check_status(s);
                self.drop_top();
                // every unpacked value is a temporary until its target takes it
                let base = self.temps.len();
                for i in 0..n {
                    let x = self.b.ins().stack_load(
                        cranelift_codegen::ir::types::I64,
                        cranelift_codegen::ir::types::I64,
                        slot,
                        (i * 8) as i32,
                    );
                    self.push(x, true);
                }
                let targets: Vec<&'a Target> = before
                    .iter()
                    .chain(star.as_deref())
                    .chain(after.iter())
                    .collect();
                for t in targets {
                    let x = self.temps.remove(base);
                    self.assign_target(t, x.v);
                }
            }
        }
    }

    fn aug_assign(
        &mut self,
        target: &'a Target,
        op: serverscript_runtime::ops::arith::BinOp,
        value: &'a Expr,
    ) {
        match target {
            Target::Var(var, name) => {
                self.load_var(*var, *name);
                self.expr(value);
                let r = self.binary(op, "ss_inplace");
                self.store_var(*var, r);
            }
            Target::Attr(obj, name) => {
                let o = self.expr(obj);
                let n = self.konst(*name);
                let cur = self.call("ss_getattr", &[self.ctx, o.v, n]).expect("value");
                self.check_value(cur);
                self.push(cur, true);
                self.expr(value);
                let r = self.binary(op, "ss_inplace");
                self.push(r, true);
                let s = self
                    .call("ss_setattr", &[self.ctx, o.v, n, r])
                    .expect("status");
                self.check_status(s);
                self.drop_top();
                self.drop_top();
            }
            Target::Subscript(obj, index) => {
                let o = self.expr(obj);
                let i = self.expr(index);
                let cur = self
                    .call("ss_getitem", &[self.ctx, o.v, i.v])
                    .expect("value");
                self.check_value(cur);
                self.push(cur, true);
                self.expr(value);
                let r = self.binary(op, "ss_inplace");
                self.push(r, true);
                let s = self
                    .call("ss_setitem", &[self.ctx, o.v, i.v, r])
                    .expect("status");
                self.check_status(s);
                self.drop_top();
                self.drop_top();
                self.drop_top();
            }
            Target::Unpack { .. } => unreachable!("refused by SS009"),
        }
    }

    fn delete_target(&mut self, target: &'a Target) {
        match target {
            Target::Var(var, name) => {
                // reading first raises NameError / UnboundLocalError for an unbound name
                self.load_var(*var, *name);
                self.drop_top();
                self.clear_var(*var);
            }
            Target::Attr(obj, name) => {
                let o = self.expr(obj);
                let n = self.konst(*name);
                let s = self
                    .call("ss_delattr", &[self.ctx, o.v, n])
                    .expect("status");
                self.check_status(s);
                self.drop_top();
            }
            Target::Subscript(obj, index) => {
                let o = self.expr(obj);
                let i = self.expr(index);
                let s = self
                    .call("ss_delitem", &[self.ctx, o.v, i.v])
                    .expect("status");
                self.check_status(s);
                self.drop_top();
                self.drop_top();
            }
            Target::Unpack {
                before,
                star,
                after,
            } => {
                for t in before.iter().chain(star.as_deref()).chain(after.iter()) {
                    self.delete_target(t);
                }
            }
        }
    }
}

/// The definite-assignment state where paths meet: bound only if bound on every path
/// that reaches the point (`ends`); with no such path the point is unreachable and
/// `fallback` is kept.
fn meet(fallback: &[bool], ends: &[Vec<bool>]) -> Vec<bool> {
    match ends.split_first() {
        None => fallback.to_vec(),
        Some((first, rest)) => first
            .iter()
            .enumerate()
            .map(|(i, b)| *b && rest.iter().all(|e| e[i]))
            .collect(),
    }
}

/// Local slots a statement list can unbind: `del x` and `except … as x` (Python deletes
/// `x` at the end of the handler), at any depth of nested statements.
fn unbinds(stmts: &[Stmt]) -> Vec<u32> {
    let mut out = Vec::new();
    collect_unbinds(stmts, &mut out);
    out
}

fn unbinds_try(body: &[Stmt], handlers: &[Handler], orelse: &[Stmt], fin: &[Stmt]) -> Vec<u32> {
    let mut out = Vec::new();
    for part in [body, orelse, fin] {
        collect_unbinds(part, &mut out);
    }
    for h in handlers {
        if let Some((Var::Local(slot), _)) = h.name {
            out.push(slot);
        }
        collect_unbinds(&h.body, &mut out);
    }
    out
}

fn collect_unbinds(stmts: &[Stmt], out: &mut Vec<u32>) {
    fn target(t: &Target, out: &mut Vec<u32>) {
        match t {
            Target::Var(Var::Local(slot), _) => out.push(*slot),
            Target::Unpack {
                before,
                star,
                after,
            } => {
                for t in before.iter().chain(star.as_deref()).chain(after.iter()) {
                    target(t, out);
                }
            }
            _ => {}
        }
    }
    for s in stmts {
        match &s.kind {
            StmtKind::Delete(targets) => targets.iter().for_each(|t| target(t, out)),
            StmtKind::If(_, a, b) | StmtKind::While(_, a, b) => {
                collect_unbinds(a, out);
                collect_unbinds(b, out);
            }
            StmtKind::For { body, orelse, .. } => {
                collect_unbinds(body, out);
                collect_unbinds(orelse, out);
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
                ..
            } => out.extend(unbinds_try(body, handlers, orelse, finalbody)),
            _ => {}
        }
    }
}
