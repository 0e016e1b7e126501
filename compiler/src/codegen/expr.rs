//! Expressions. Each method pushes its result on the temporary stack.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, InstBuilder, types};
use serverscript_runtime::ops::arith::{BinOp, UnaryOp};
use serverscript_runtime::ops::compare::CmpOp;
use serverscript_runtime::value::Value;

use super::func::{Tr, Tv};
use crate::hir::{CmpKind, DictItem, Elt, Expr, ExprKind, FPart};

const I64: ir::Type = types::I64;
const I8: ir::Type = types::I8;

fn tagged(i: i64) -> u64 {
    ((i << 1) | 1) as u64
}

impl<'a> Tr<'a, '_> {
    pub fn expr(&mut self, e: &'a Expr) -> Tv {
        match &e.kind {
            ExprKind::None => {
                let v = self.iconst(Value::NONE.0);
                self.push(v, false)
            }
            ExprKind::True => {
                let v = self.iconst(Value::TRUE.0);
                self.push(v, false)
            }
            ExprKind::False => {
                let v = self.iconst(Value::FALSE.0);
                self.push(v, false)
            }
            ExprKind::Int(i) => {
                let v = self.iconst(tagged(*i));
                self.push(v, false)
            }
            ExprKind::Const(id) => {
                let v = self.konst(*id);
                self.push(v, false)
            }
            ExprKind::Static(bits) => {
                let v = self.iconst(*bits);
                self.push(v, false)
            }
            ExprKind::Surface(path) => {
                let p = self.konst(*path);
                let v = self.call("ss_surface", &[self.ctx, p]).expect("value");
                self.check_value(v);
                self.push(v, true)
            }
            ExprKind::Load(var, name) => self.load_var(*var, *name),
            ExprKind::Unary(op, x) => {
                self.expr(x);
                self.unary(*op)
            }
            ExprKind::Not(x) => {
                let flag = self.cond(x);
                let f = self.b.ins().bxor_imm_s(flag, 1);
                let v = self.bool_value(f);
                self.push(v, false)
            }
            ExprKind::Binary(op, l, r) => {
                self.expr(l);
                self.expr(r);
                let v = self.binary(*op, "ss_binary");
                self.push(v, true)
            }
            ExprKind::And(values) | ExprKind::Or(values) => {
                self.bool_op(values, matches!(e.kind, ExprKind::And(_)))
            }
            ExprKind::Compare(first, rest) => {
                let flag = self.compare_flag(first, rest);
                let v = self.bool_value(flag);
                self.push(v, false)
            }
            ExprKind::IfExp(test, a, b) => {
                let result = self.b.declare_var(I64);
                let flag = self.cond(test);
                let (then_b, else_b, done) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                self.b.ins().brif(flag, then_b, &[], else_b, &[]);
                for (block, branch) in [(then_b, a), (else_b, b)] {
                    self.b.switch_to_block(block);
                    let t = self.expr(branch);
                    self.pop();
                    let v = self.own(t);
                    self.b.def_var(result, v);
                    self.b.ins().jump(done, &[]);
                }
                self.b.switch_to_block(done);
                let v = self.b.use_var(result);
                self.push(v, true)
            }
            ExprKind::Call {
                func,
                args,
                kwargs,
                kwnames,
            } => self.call_expr(func, args, kwargs, *kwnames),
            ExprKind::MethodCall {
                obj,
                name,
                args,
                kwargs,
                kwnames,
            } => self.method_call(obj, *name, args, kwargs, *kwnames),
            ExprKind::Attr(obj, name) => {
                let o = self.expr(obj);
                let n = self.konst(*name);
                let v = self.call("ss_getattr", &[self.ctx, o.v, n]).expect("value");
                self.check_value(v);
                self.drop_top();
                self.push(v, true)
            }
            ExprKind::Subscript(obj, index) => {
                let o = self.expr(obj);
                let i = self.expr(index);
                let v = self
                    .call("ss_getitem", &[self.ctx, o.v, i.v])
                    .expect("value");
                self.check_value(v);
                self.drop_top();
                self.drop_top();
                self.push(v, true)
            }
            ExprKind::Slice(lo, hi, step) => {
                let mut parts = Vec::new();
                for p in [lo, hi, step] {
                    let t = match p {
                        Some(x) => self.expr(x),
                        None => {
                            let n = self.iconst(Value::NONE.0);
                            self.push(n, false)
                        }
                    };
                    parts.push(t.v);
                }
                let v = self
                    .call("ss_slice", &[self.ctx, parts[0], parts[1], parts[2]])
                    .expect("value");
                self.check_value(v);
                for _ in 0..3 {
                    self.drop_top();
                }
                self.push(v, true)
            }
            ExprKind::List(elts) => self.display(elts, "ss_build_list", false),
            ExprKind::Tuple(elts) => self.display(elts, "ss_build_tuple", true),
            ExprKind::Set(elts) => self.set_display(elts),
            ExprKind::Dict(items) => self.dict_display(items),
            ExprKind::Comp {
                kind,
                generators,
                elt,
                value,
                acc_slot,
            } => self.comprehension(*kind, generators, elt, value.as_deref(), *acc_slot),
            ExprKind::MakeFunction {
                func,
                defaults,
                kwdefaults,
                closure,
            } => {
                let mut vals = Vec::new();
                let mut temps = 0;
                for d in defaults {
                    vals.push(self.expr(d).v);
                    temps += 1;
                }
                for k in kwdefaults {
                    match k {
                        Some(d) => {
                            vals.push(self.expr(d).v);
                            temps += 1;
                        }
                        None => vals.push(self.iconst(0)),
                    }
                }
                let cells: Vec<ir::Value> = closure
                    .iter()
                    .map(|var| match var {
                        crate::hir::Var::Local(slot) => self.slot(*slot),
                        crate::hir::Var::Free(i) => {
                            let c = self.closure;
                            self.load(c, *i as i32 * 8)
                        }
                        crate::hir::Var::Global(_) => unreachable!("cells are never globals"),
                    })
                    .collect();
                let dptr = self.array(&vals);
                let cptr = self.array(&cells);
                let code = self.iconst(
                    self.codes as u64
                        + (*func as u64)
                            * std::mem::size_of::<serverscript_runtime::object::func::Code>()
                                as u64,
                );
                let nd = self.iconst(defaults.len() as u64);
                let nc = self.iconst(cells.len() as u64);
                let env = self.env;
                let v = self
                    .call(
                        "ss_make_function",
                        &[self.ctx, code, env, dptr, nd, cptr, nc],
                    )
                    .expect("value");
                self.check_value(v);
                for _ in 0..temps {
                    self.drop_top();
                }
                self.push(v, true)
            }
            ExprKind::FString(parts) => self.fstring(parts),
            ExprKind::Walrus(var, _name, value) => {
                let t = self.expr(value);
                self.pop();
                let v = self.own(t);
                self.incref(v);
                self.store_var(*var, v);
                self.push(v, true)
            }
        }
    }

    /// A Python bool value from a flag.
    pub fn bool_value(&mut self, flag: ir::Value) -> ir::Value {
        let t = self.iconst(Value::TRUE.0);
        let f = self.iconst(Value::FALSE.0);
        self.b.ins().select(flag, t, f)
    }

    /// Truthiness of a value as a flag (inline for bools, None and small ints).
    pub fn truthy(&mut self, v: ir::Value) -> ir::Value {
        if !self.fast {
            let r = self.call("ss_truthy", &[v]).expect("status");
            return self.b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
        }
        let result = self.b.declare_var(I8);
        let (int_b, other_b, call_b, done) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let is_int = self.b.ins().band_imm_s(v, 1);
        self.b.ins().brif(is_int, int_b, &[], other_b, &[]);
        // small int: tagged zero is 1
        self.b.switch_to_block(int_b);
        let nz = self.b.ins().icmp_imm_s(IntCC::NotEqual, v, 1);
        self.b.def_var(result, nz);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(other_b);
        let is_true = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, v, Value::TRUE.0 as i64);
        let is_false = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, v, Value::FALSE.0 as i64);
        let is_none = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, v, Value::NONE.0 as i64);
        let known = self.b.ins().bor(is_true, is_false);
        let known = self.b.ins().bor(known, is_none);
        self.b.def_var(result, is_true);
        self.b.ins().brif(known, done, &[], call_b, &[]);
        self.b.switch_to_block(call_b);
        let r = self.call("ss_truthy", &[v]).expect("status");
        let f = self.b.ins().icmp_imm_s(IntCC::NotEqual, r, 0);
        self.b.def_var(result, f);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        self.b.use_var(result)
    }

    /// A condition as a flag: comparisons and `not` without building bools.
    pub fn cond(&mut self, e: &'a Expr) -> ir::Value {
        match &e.kind {
            ExprKind::Compare(first, rest) => self.compare_flag(first, rest),
            ExprKind::Not(x) => {
                let f = self.cond(x);
                self.b.ins().bxor_imm_s(f, 1)
            }
            ExprKind::True => self.b.ins().iconst(I8, 1),
            ExprKind::False | ExprKind::None => self.b.ins().iconst(I8, 0),
            _ => {
                let t = self.expr(e);
                let f = self.truthy(t.v);
                self.drop_top();
                f
            }
        }
    }

    fn unary(&mut self, op: UnaryOp) -> Tv {
        let x = *self.temps.last().expect("operand");
        if !self.fast || op != UnaryOp::Neg {
            let op_c = self.i32const(op as u32);
            let r = self
                .call("ss_unary", &[self.ctx, op_c, x.v])
                .expect("value");
            self.check_value(r);
            self.drop_top();
            return self.push(r, true);
        }
        let result = self.b.declare_var(I64);
        let (fast, slow, done) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        // -(2a+1) + 2 = tagged(-a), unless a is the smallest inline int
        let is_int = self.b.ins().band_imm_s(x.v, 1);
        let min = self
            .b
            .ins()
            .icmp_imm_s(IntCC::Equal, x.v, tagged(Value::SMALL_MIN) as i64);
        let not_min = self.b.ins().bxor_imm_s(min, 1);
        let is_int8 = self.b.ins().icmp_imm_s(IntCC::NotEqual, is_int, 0);
        let ok = self.b.ins().band(is_int8, not_min);
        self.b.ins().brif(ok, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        let two = self.iconst(2);
        let r = self.b.ins().isub(two, x.v);
        self.b.def_var(result, r);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(slow);
        let op_c = self.i32const(op as u32);
        let r = self
            .call("ss_unary", &[self.ctx, op_c, x.v])
            .expect("value");
        self.check_value(r);
        self.b.def_var(result, r);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        let v = self.b.use_var(result);
        self.drop_top();
        self.push(v, true)
    }

    /// `a <op> b` with inline paths when both are small ints (`entry` is `ss_binary` or
    /// `ss_inplace`); consumes the two operands on top of the temporary stack. Only the
    /// slow path releases them: on the inline path both are ints, which own nothing.
    pub fn binary(&mut self, op: BinOp, entry: &'static str) -> ir::Value {
        let tb = *self.temps.last().expect("right operand");
        let ta = self.temps[self.temps.len() - 2];
        let (a, b) = (ta.v, tb.v);
        let inline = self.fast
            && matches!(
                op,
                BinOp::Add
                    | BinOp::Sub
                    | BinOp::Mul
                    | BinOp::Mod
                    | BinOp::FloorDiv
                    | BinOp::BitAnd
                    | BinOp::BitOr
                    | BinOp::BitXor
            );
        if !inline {
            // just the runtime call: no blocks to join
            let op_c = self.i32const(op as u32);
            let r = self.call(entry, &[self.ctx, op_c, a, b]).expect("value");
            self.check_value(r);
            self.release(tb);
            self.release(ta);
            self.pop();
            self.pop();
            return r;
        }
        let result = self.b.declare_var(I64);
        let (fast, slow, done) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        let both = self.b.ins().band(a, b);
        let both_int = self.b.ins().band_imm_s(both, 1);
        self.b.ins().brif(both_int, fast, &[], slow, &[]);
        self.b.switch_to_block(fast);
        self.int_fast(op, a, b, result, slow, done);
        self.b.switch_to_block(slow);
        let op_c = self.i32const(op as u32);
        let r = self.call(entry, &[self.ctx, op_c, a, b]).expect("value");
        self.check_value(r);
        self.release(tb);
        self.release(ta);
        self.b.def_var(result, r);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        self.pop();
        self.pop();
        self.b.use_var(result)
    }

    /// Inline arithmetic on tagged ints (x = 2a+1, y = 2b+1); jumps to `slow` on
    /// overflow or division by zero, else defines `result` and jumps to `done`.
    fn int_fast(
        &mut self,
        op: BinOp,
        x: ir::Value,
        y: ir::Value,
        result: cranelift_frontend::Variable,
        slow: ir::Block,
        done: ir::Block,
    ) {
        let (r, overflow) = match op {
            BinOp::Add => {
                let y1 = self.b.ins().iadd_imm_s(y, -1);
                let (r, of) = self.b.ins().sadd_overflow(x, y1);
                (r, Some(of))
            }
            BinOp::Sub => {
                let y1 = self.b.ins().iadd_imm_s(y, -1);
                let (r, of) = self.b.ins().ssub_overflow(x, y1);
                (r, Some(of))
            }
            BinOp::Mul => {
                let a = self.b.ins().sshr_imm_s(x, 1);
                let y1 = self.b.ins().iadd_imm_s(y, -1);
                let (p, of) = self.b.ins().smul_overflow(a, y1);
                let r = self.b.ins().iadd_imm_s(p, 1);
                (r, Some(of))
            }
            BinOp::BitAnd => (self.b.ins().band(x, y), None),
            BinOp::BitOr => (self.b.ins().bor(x, y), None),
            BinOp::BitXor => {
                let z = self.b.ins().bxor(x, y);
                (self.b.ins().bor_imm_s(z, 1), None)
            }
            BinOp::Mod | BinOp::FloorDiv => {
                // a zero divisor takes the slow path, which raises ZeroDivisionError
                let nonzero = self.b.create_block();
                let is_zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 1);
                self.b.ins().brif(is_zero, slow, &[], nonzero, &[]);
                self.b.switch_to_block(nonzero);
                let a = self.b.ins().sshr_imm_s(x, 1);
                let bb = self.b.ins().sshr_imm_s(y, 1);
                // both in [0, 2**32): a 32-bit unsigned divide, several times faster than a
                // 64-bit one on x86, and no flooring adjustment (what C compilers do too)
                let (narrow, wide) = (self.b.create_block(), self.b.create_block());
                let either = self.b.ins().bor(a, bb);
                let high = self.b.ins().ushr_imm_u(either, 32);
                self.b.ins().brif(high, wide, &[], narrow, &[]);
                self.b.switch_to_block(narrow);
                let a32 = self.b.ins().ireduce(types::I32, a);
                let b32 = self.b.ins().ireduce(types::I32, bb);
                let r32 = if op == BinOp::Mod {
                    self.b.ins().urem(a32, b32)
                } else {
                    self.b.ins().udiv(a32, b32)
                };
                let r64 = self.b.ins().uextend(I64, r32);
                let twice = self.b.ins().iadd(r64, r64);
                let tagged = self.b.ins().iadd_imm_s(twice, 1);
                self.b.def_var(result, tagged);
                self.b.ins().jump(done, &[]);
                self.b.switch_to_block(wide);
                // one hardware division per operation: `%` needs only the remainder,
                // `//` derives it from the quotient (a multiply is far cheaper than a
                // second divide). Operands are 63-bit, so MIN / -1 cannot overflow.
                let (q, rem) = if op == BinOp::Mod {
                    (None, self.b.ins().srem(a, bb))
                } else {
                    let q = self.b.ins().sdiv(a, bb);
                    let qb = self.b.ins().imul(q, bb);
                    (Some(q), self.b.ins().isub(a, qb))
                };
                // Python floors: adjust when the remainder's sign differs from the divisor's
                let rem_nz = self.b.ins().icmp_imm_s(IntCC::NotEqual, rem, 0);
                let signs = self.b.ins().bxor(rem, bb);
                let differ = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, signs, 0);
                let adjust = self.b.ins().band(rem_nz, differ);
                if op == BinOp::Mod {
                    let rb = self.b.ins().iadd(rem, bb);
                    let m = self.b.ins().select(adjust, rb, rem);
                    let two_m = self.b.ins().iadd(m, m);
                    (self.b.ins().iadd_imm_s(two_m, 1), None)
                } else {
                    let q = q.expect("quotient");
                    let q1 = self.b.ins().iadd_imm_s(q, -1);
                    let fq = self.b.ins().select(adjust, q1, q);
                    let (two_q, of) = self.b.ins().sadd_overflow(fq, fq);
                    (self.b.ins().iadd_imm_s(two_q, 1), Some(of))
                }
            }
            _ => unreachable!("only inline ops reach int_fast"),
        };
        self.b.def_var(result, r);
        match overflow {
            Some(of) => {
                self.b.ins().brif(of, slow, &[], done, &[]);
            }
            None => {
                self.b.ins().jump(done, &[]);
            }
        }
    }

    /// A comparison chain as a flag (`a < b < c` evaluates `b` once and stops early).
    pub fn compare_flag(&mut self, first: &'a Expr, rest: &'a [(CmpKind, Expr)]) -> ir::Value {
        let result = self.b.declare_var(I8);
        let done = self.b.create_block();
        self.expr(first);
        for (i, (kind, rhs)) in rest.iter().enumerate() {
            self.expr(rhs);
            let b = *self.temps.last().expect("rhs");
            let a = self.temps[self.temps.len() - 2];
            // the left operand is done; the right one becomes the next left, or is done
            // too in the last link
            let last = i + 1 == rest.len();
            let finished: &[Tv] = if last { &[b, a] } else { &[a] };
            let flag = self.compare_one(kind, a.v, b.v, finished);
            let right = self.pop();
            self.pop();
            if !last {
                self.temps.push(right);
            }
            self.b.def_var(result, flag);
            if i + 1 < rest.len() {
                let next = self.b.create_block();
                let stop = self.b.create_block();
                self.b.ins().brif(flag, next, &[], stop, &[]);
                // a false link ends the chain: release the pending operand
                self.b.switch_to_block(stop);
                let pending = *self.temps.last().expect("operand");
                self.release(pending);
                self.b.ins().jump(done, &[]);
                self.b.switch_to_block(next);
            }
        }
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        self.b.use_var(result)
    }

    /// One comparison as a flag; releases the `finished` operands (still on the
    /// temporary stack, so a failure unwinds them) — except on the small-int path,
    /// where there is nothing to release.
    fn compare_one(
        &mut self,
        kind: &CmpKind,
        a: ir::Value,
        b: ir::Value,
        finished: &[Tv],
    ) -> ir::Value {
        match kind {
            CmpKind::Is | CmpKind::IsNot => {
                let cc = if matches!(kind, CmpKind::Is) {
                    IntCC::Equal
                } else {
                    IntCC::NotEqual
                };
                let f = self.b.ins().icmp(cc, a, b);
                finished.iter().for_each(|t| self.release(*t));
                f
            }
            CmpKind::In | CmpKind::NotIn => {
                let s = self.call("ss_contains", &[self.ctx, b, a]).expect("status");
                self.check_status(s);
                finished.iter().for_each(|t| self.release(*t));
                let cc = if matches!(kind, CmpKind::In) {
                    IntCC::NotEqual
                } else {
                    IntCC::Equal
                };
                self.b.ins().icmp_imm_s(cc, s, 0)
            }
            CmpKind::Op(op) if !self.fast => {
                let op_c = self.i32const(*op as u32);
                let s = self
                    .call("ss_compare", &[self.ctx, op_c, a, b])
                    .expect("status");
                self.check_status(s);
                finished.iter().for_each(|t| self.release(*t));
                self.b.ins().icmp_imm_s(IntCC::NotEqual, s, 0)
            }
            CmpKind::Op(op) => {
                let result = self.b.declare_var(I8);
                let (fast, slow, done) = (
                    self.b.create_block(),
                    self.b.create_block(),
                    self.b.create_block(),
                );
                let both = self.b.ins().band(a, b);
                let both_int = self.b.ins().band_imm_s(both, 1);
                self.b.ins().brif(both_int, fast, &[], slow, &[]);
                // tagging preserves the order of ints
                self.b.switch_to_block(fast);
                let cc = match op {
                    CmpOp::Eq => IntCC::Equal,
                    CmpOp::Ne => IntCC::NotEqual,
                    CmpOp::Lt => IntCC::SignedLessThan,
                    CmpOp::Le => IntCC::SignedLessThanOrEqual,
                    CmpOp::Gt => IntCC::SignedGreaterThan,
                    CmpOp::Ge => IntCC::SignedGreaterThanOrEqual,
                };
                let f = self.b.ins().icmp(cc, a, b);
                self.b.def_var(result, f);
                self.b.ins().jump(done, &[]);
                self.b.switch_to_block(slow);
                let op_c = self.i32const(*op as u32);
                let s = self
                    .call("ss_compare", &[self.ctx, op_c, a, b])
                    .expect("status");
                self.check_status(s);
                finished.iter().for_each(|t| self.release(*t));
                let f = self.b.ins().icmp_imm_s(IntCC::NotEqual, s, 0);
                self.b.def_var(result, f);
                self.b.ins().jump(done, &[]);
                self.b.switch_to_block(done);
                self.b.use_var(result)
            }
        }
    }

    /// `a and b and c` / `a or b`: the first operand that decides, or the last.
    fn bool_op(&mut self, values: &'a [Expr], is_and: bool) -> Tv {
        let result = self.b.declare_var(I64);
        let done = self.b.create_block();
        for (i, v) in values.iter().enumerate() {
            let t = self.expr(v);
            self.pop();
            let owned = self.own(t);
            self.b.def_var(result, owned);
            if i + 1 < values.len() {
                let flag = self.truthy(owned);
                let next = self.b.create_block();
                let release = self.b.create_block();
                // `and` continues on a truthy operand, `or` on a falsy one
                if is_and {
                    self.b.ins().brif(flag, release, &[], done, &[]);
                } else {
                    self.b.ins().brif(flag, done, &[], release, &[]);
                }
                self.b.switch_to_block(release);
                self.decref(owned);
                self.b.ins().jump(next, &[]);
                self.b.switch_to_block(next);
            } else {
                self.b.ins().jump(done, &[]);
            }
        }
        self.b.switch_to_block(done);
        let v = self.b.use_var(result);
        self.push(v, true)
    }

    /// List and tuple displays.
    fn display(&mut self, elts: &'a [Elt], build: &'static str, tuple: bool) -> Tv {
        if elts.iter().all(|e| matches!(e, Elt::One(_))) {
            let mut vals = Vec::with_capacity(elts.len());
            for e in elts {
                if let Elt::One(x) = e {
                    vals.push(self.expr(x).v);
                }
            }
            let ptr = self.array(&vals);
            let n = self.iconst(vals.len() as u64);
            let v = self.call(build, &[self.ctx, ptr, n]).expect("value");
            self.check_value(v);
            for _ in 0..vals.len() {
                self.drop_top();
            }
            return self.push(v, true);
        }
        // with `*x`: build a list, then convert
        let zero = self.iconst(0);
        let l = self
            .call("ss_build_list", &[self.ctx, zero, zero])
            .expect("value");
        self.check_value(l);
        self.push(l, true);
        for e in elts {
            let (x, entry) = match e {
                Elt::One(x) => (x, "ss_list_append"),
                Elt::Star(x) => (x, "ss_list_extend"),
            };
            let t = self.expr(x);
            let s = self.call(entry, &[self.ctx, l, t.v]).expect("status");
            self.check_status(s);
            self.drop_top();
        }
        if tuple {
            let t = self
                .call("ss_list_to_tuple", &[self.ctx, l])
                .expect("value");
            self.check_value(t);
            self.drop_top();
            return self.push(t, true);
        }
        *self.temps.last().expect("list")
    }

    fn set_display(&mut self, elts: &'a [Elt]) -> Tv {
        let zero = self.iconst(0);
        let s = self
            .call("ss_build_set", &[self.ctx, zero, zero])
            .expect("value");
        self.check_value(s);
        self.push(s, true);
        for e in elts {
            let (x, entry) = match e {
                Elt::One(x) => (x, "ss_set_add"),
                Elt::Star(x) => (x, "ss_set_update"),
            };
            let t = self.expr(x);
            let st = self.call(entry, &[self.ctx, s, t.v]).expect("status");
            self.check_status(st);
            self.drop_top();
        }
        *self.temps.last().expect("set")
    }

    fn dict_display(&mut self, items: &'a [DictItem]) -> Tv {
        if items.iter().all(|i| matches!(i, DictItem::Pair(..))) {
            let mut vals = Vec::with_capacity(items.len() * 2);
            for item in items {
                if let DictItem::Pair(k, v) = item {
                    vals.push(self.expr(k).v);
                    vals.push(self.expr(v).v);
                }
            }
            let ptr = self.array(&vals);
            let n = self.iconst(items.len() as u64);
            let d = self
                .call("ss_build_dict", &[self.ctx, ptr, n])
                .expect("value");
            self.check_value(d);
            for _ in 0..vals.len() {
                self.drop_top();
            }
            return self.push(d, true);
        }
        let zero = self.iconst(0);
        let d = self
            .call("ss_build_dict", &[self.ctx, zero, zero])
            .expect("value");
        self.check_value(d);
        self.push(d, true);
        for item in items {
            match item {
                DictItem::Pair(k, v) => {
                    let kt = self.expr(k);
                    let vt = self.expr(v);
                    let s = self
                        .call("ss_dict_set", &[self.ctx, d, kt.v, vt.v])
                        .expect("status");
                    self.check_status(s);
                    self.drop_top();
                    self.drop_top();
                }
                DictItem::Spread(m) => {
                    let mt = self.expr(m);
                    let s = self
                        .call("ss_dict_update", &[self.ctx, d, mt.v])
                        .expect("status");
                    self.check_status(s);
                    self.drop_top();
                }
            }
        }
        *self.temps.last().expect("dict")
    }

    fn fstring(&mut self, parts: &'a [FPart]) -> Tv {
        let mut vals = Vec::with_capacity(parts.len());
        for p in parts {
            match p {
                FPart::Lit(id) => {
                    let v = self.konst(*id);
                    vals.push(self.push(v, false).v);
                }
                FPart::Value {
                    value,
                    conversion,
                    spec,
                } => {
                    let v = self.expr(value);
                    let s = match spec {
                        Some(sp) => self.expr(sp),
                        None => {
                            let z = self.iconst(0);
                            self.push(z, false)
                        }
                    };
                    let conv = self.i32const(*conversion);
                    let r = self
                        .call("ss_format_value", &[self.ctx, v.v, s.v, conv])
                        .expect("value");
                    self.check_value(r);
                    self.drop_top();
                    self.drop_top();
                    vals.push(self.push(r, true).v);
                }
            }
        }
        let ptr = self.array(&vals);
        let n = self.iconst(vals.len() as u64);
        let v = self
            .call("ss_build_string", &[self.ctx, ptr, n])
            .expect("value");
        self.check_value(v);
        for _ in 0..vals.len() {
            self.drop_top();
        }
        self.push(v, true)
    }
}
