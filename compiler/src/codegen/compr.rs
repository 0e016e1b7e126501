//! Comprehensions, inlined into the enclosing function: each `for` clause is a loop over
//! a hidden iterator slot, the result is built in a hidden accumulator slot.
//!
//! Generator expressions are evaluated eagerly into a list and handed on as an iterator.
//! Results are the same as CPython's unless the consumer stops early *and* evaluating
//! the remaining items has side effects or fails (`any(f(x) for x in xs)` calls `f` on
//! every item) — a documented difference.

use cranelift_codegen::ir::InstBuilder;
use cranelift_codegen::ir::condcodes::IntCC;
use serverscript_runtime::abi::STOP;

use super::func::{Tr, Tv};
use crate::hir::{CompKind, Expr, Generator};

impl<'a> Tr<'a, '_> {
    pub fn comprehension(
        &mut self,
        kind: CompKind,
        gens: &'a [Generator],
        elt: &'a Expr,
        value: Option<&'a Expr>,
        acc_slot: u32,
    ) -> Tv {
        let zero = self.iconst(0);
        let build = match kind {
            CompKind::List | CompKind::Gen => "ss_build_list",
            CompKind::Set => "ss_build_set",
            CompKind::Dict => "ss_build_dict",
        };
        let acc = self.call(build, &[self.ctx, zero, zero]).expect("value");
        self.check_value(acc);
        self.store_slot(acc_slot, acc);
        // a comprehension's loops may run zero times: what they bind is not known
        // bound afterwards (its own variables are not visible afterwards anyway)
        let before = self.bound.clone();
        self.comp_loop(kind, gens, elt, value, acc_slot);
        self.bound = before;
        // move the result out of the accumulator slot
        let result = self.slot(acc_slot);
        let null = self.iconst(0);
        self.set_local(acc_slot as usize, null);
        if kind == CompKind::Gen {
            self.push(result, true);
            let it = self
                .call("ss_get_iter", &[self.ctx, result])
                .expect("value");
            self.check_value(it);
            self.drop_top();
            return self.push(it, true);
        }
        self.push(result, true)
    }

    fn comp_loop(
        &mut self,
        kind: CompKind,
        gens: &'a [Generator],
        elt: &'a Expr,
        value: Option<&'a Expr>,
        acc_slot: u32,
    ) {
        let Some((g, rest)) = gens.split_first() else {
            // innermost: add the element to the accumulator
            let acc = self.slot(acc_slot);
            match kind {
                CompKind::Dict => {
                    let k = self.expr(elt);
                    let v = self.expr(value.expect("dict comprehension value"));
                    let s = self
                        .call("ss_dict_set", &[self.ctx, acc, k.v, v.v])
                        .expect("status");
                    self.check_status(s);
                    self.drop_top();
                    self.drop_top();
                }
                _ => {
                    let x = self.expr(elt);
                    let entry = if kind == CompKind::Set {
                        "ss_set_add"
                    } else {
                        "ss_list_append"
                    };
                    let s = self.call(entry, &[self.ctx, acc, x.v]).expect("status");
                    self.check_status(s);
                    self.drop_top();
                }
            }
            return;
        };
        let src = self.expr(&g.iter);
        let it = self.call("ss_get_iter", &[self.ctx, src.v]).expect("value");
        self.check_value(it);
        self.drop_top();
        self.store_slot(g.iter_slot, it);
        let (header, body, latch, exit) = (
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
            self.b.create_block(),
        );
        self.b.ins().jump(header, &[]);
        self.b.switch_to_block(header);
        let it = self.slot(g.iter_slot);
        let item = self.call("ss_iter_next", &[self.ctx, it]).expect("value");
        self.check_call_value(item);
        let stop = self.b.ins().icmp_imm_s(IntCC::Equal, item, STOP.0 as i64);
        self.b.ins().brif(stop, exit, &[], body, &[]);
        self.b.switch_to_block(body);
        self.assign_target(&g.target, item);
        for cond in &g.ifs {
            let f = self.cond(cond);
            let pass = self.b.create_block();
            self.b.ins().brif(f, pass, &[], latch, &[]);
            self.b.switch_to_block(pass);
        }
        self.comp_loop(kind, rest, elt, value, acc_slot);
        self.b.ins().jump(latch, &[]);
        self.b.switch_to_block(latch);
        self.fuel_check();
        self.b.ins().jump(header, &[]);
        self.b.switch_to_block(exit);
        let null = self.iconst(0);
        self.store_slot(g.iter_slot, null);
    }
}
