//! The function translator: state and helpers shared by the per-construct modules
//! (`expr.rs`, `stmt.rs`, `call.rs`, `compr.rs`).
//!
//! Ownership rules of the generated code:
//! - Every variable (script local, cell, hidden iterator…) holds an owned reference or
//!   NULL; storing decrements the old value; the function's exits decrement them all.
//! - Evaluating an expression pushes its result on the *temporary stack*, owned, or
//!   borrowed when it is a plain local (nothing can rebind a local while an expression
//!   that reads it is evaluated — except `:=`, whose targets are always read owned).
//! - Every runtime call that can fail is followed by a check; the failure path releases
//!   the owned temporaries and jumps to the innermost handler, or to the function's
//!   error exit (which releases the variables and returns NULL). Nothing unwinds.

use std::collections::HashMap;

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{
    self, Block, FuncRef, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind, types,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Module};
use serverscript_runtime::ctx::{
    CTX_FUEL_OFFSET, CTX_LINE_OFFSET, MODULE_CONSTS_OFFSET, MODULE_GLOBALS_OFFSET,
};
use serverscript_runtime::heap::RC_OFFSET;
use serverscript_runtime::object::func::{Code, FUNC_CLOSURE_OFFSET, FUNC_MODULE_OFFSET};

use crate::hir::{self, Var};

const I64: ir::Type = types::I64;
const I32: ir::Type = types::I32;

/// A value on the temporary stack.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tv {
    pub v: ir::Value,
    pub owned: bool,
}

pub(crate) struct LoopCtx {
    pub continue_block: Block,
    pub break_block: Block,
    /// How many `finally` bodies enclose the loop (those opened inside it run on exit).
    pub finally_depth: usize,
}

pub(crate) struct Tr<'a, 'b> {
    pub b: FunctionBuilder<'b>,
    /// Aligned, non-trapping memory access (every address we compute is valid).
    pub mf: MemFlagsData,
    module: &'a mut JITModule,
    imports: &'a HashMap<&'static str, FuncId>,
    refs: HashMap<&'static str, FuncRef>,
    pub f: &'a hir::Function,
    /// The module's constants (method names are looked up at compile time).
    pub module_consts: &'a [hir::Const],
    pub codes: *const Code,
    pub ctx: ir::Value,
    pub func_obj: ir::Value,
    pub env: ir::Value,
    pub globals: ir::Value,
    pub consts: ir::Value,
    pub closure: ir::Value,
    pub locals: Vec<Variable>,
    pub retval: Variable,
    pub temps: Vec<Tv>,
    /// Where a pending exception goes: the innermost handler, or the error exit.
    pub unwind: Vec<Block>,
    pub loops: Vec<LoopCtx>,
    /// `finally` bodies enclosing the current statement, innermost last, each with the
    /// unwind target to use while running it.
    pub finally_stack: Vec<(&'a [hir::Stmt], Block)>,
    pub error_exit: Block,
    pub return_block: Block,
    pub line: u32,
    /// Variables assigned with `:=` in the current statement (always read owned).
    pub walrus_targets: Vec<Var>,
    /// Per local slot: whether the variable is bound on every path to the current
    /// point (definite assignment), so a read needs no UnboundLocalError check. Kept
    /// conservative by the statement translators (see `stmt.rs`).
    pub bound: Vec<bool>,
    /// Emit inline fast paths (small-int arithmetic and comparisons, refcounts,
    /// truthiness). Off for the quick first tier: fewer blocks, faster to compile.
    pub fast: bool,
    /// Quick tier: the locals live in this stack array instead of SSA variables (no
    /// phis to build, one call releases them all).
    frame: Option<ir::StackSlot>,
    /// Set when an optimizing translation grows past `OPTIMIZE_MAX_BLOCKS`: the rest of
    /// the function is skipped and it is translated again in the quick tier.
    pub oversized: bool,
}

#[allow(clippy::too_many_arguments)] // the JIT unit's parts and the function's
pub(crate) fn translate(
    module: &mut JITModule,
    imports: &HashMap<&'static str, FuncId>,
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
    f: &hir::Function,
    module_consts: &[hir::Const],
    codes: *const Code,
    fast: bool,
) -> Result<bool, String> {
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let params = b.block_params(entry).to_vec();
    let (ctx, func_obj, args) = (params[0], params[1], params[2]);
    let error_exit = b.create_block();
    let return_block = b.create_block();
    let locals: Vec<Variable> = (0..f.local_names.len())
        .map(|_| b.declare_var(I64))
        .collect();
    let retval = b.declare_var(I64);
    let mf = MemFlagsData::trusted();
    let frontend = module.target_config();
    let mut t = Tr {
        b,
        mf,
        module,
        imports,
        refs: HashMap::new(),
        f,
        module_consts,
        codes,
        ctx,
        func_obj,
        env: ctx,
        globals: ctx,
        consts: ctx,
        closure: ctx,
        locals,
        retval,
        temps: Vec::new(),
        unwind: vec![error_exit],
        loops: Vec::new(),
        finally_stack: Vec::new(),
        error_exit,
        return_block,
        line: f.line,
        walrus_targets: Vec::new(),
        bound: vec![false; f.local_names.len()],
        fast,
        frame: None,
        oversized: false,
    };
    t.prologue(args);
    t.stmts(&f.body);
    if t.oversized {
        // the caller retranslates in the quick tier (with a fresh builder context)
        return Ok(false);
    }
    // falling off the end returns None
    if !t.is_terminated() {
        let none = t.iconst(serverscript_runtime::Value::NONE.0);
        t.b.def_var(t.retval, none);
        t.b.ins().jump(t.return_block, &[]);
    }
    t.epilogue();
    t.b.seal_all_blocks();
    t.b.finalize(frontend);
    Ok(true)
}

impl<'a, 'b> Tr<'a, 'b> {
    // ------------------------------------------------------------------ basics

    pub fn iconst(&mut self, n: u64) -> ir::Value {
        self.b.ins().iconst(I64, n as i64)
    }

    pub fn i32const(&mut self, n: u32) -> ir::Value {
        self.b.ins().iconst(I32, n as i64)
    }

    /// Whether the current block already ends with a terminator (after `return`,
    /// `break`…); code after it goes into a fresh unreachable block.
    pub fn is_terminated(&self) -> bool {
        let Some(block) = self.b.current_block() else {
            return true;
        };
        match self.b.func.layout.last_inst(block) {
            Some(inst) => self.b.func.dfg.insts[inst].opcode().is_terminator(),
            None => false,
        }
    }

    /// Continues in a fresh block if the current one is terminated.
    pub fn ensure_open(&mut self) {
        if self.is_terminated() {
            let dead = self.b.create_block();
            self.b.switch_to_block(dead);
        }
    }

    fn import(&mut self, name: &'static str) -> FuncRef {
        if let Some(r) = self.refs.get(name) {
            return *r;
        }
        let id = self.imports[name];
        let r = self.module.declare_func_in_func(id, self.b.func);
        self.refs.insert(name, r);
        r
    }

    /// Calls a runtime entry point; returns its result (if any).
    pub fn call(&mut self, name: &'static str, args: &[ir::Value]) -> Option<ir::Value> {
        let r = self.import(name);
        let inst = self.b.ins().call(r, args);
        self.b.inst_results(inst).first().copied()
    }

    pub fn load(&mut self, addr: ir::Value, offset: i32) -> ir::Value {
        self.b.ins().load(I64, self.mf, addr, offset)
    }

    pub fn store(&mut self, v: ir::Value, addr: ir::Value, offset: i32) {
        self.b.ins().store(self.mf, v, addr, offset);
    }

    pub fn set_line(&mut self, line: u32) {
        self.line = line;
        let l = self.i32const(line);
        self.b.ins().store(self.mf, l, self.ctx, CTX_LINE_OFFSET);
    }

    /// A stack array holding `vals` (for calls taking a pointer and a count).
    pub fn array(&mut self, vals: &[ir::Value]) -> ir::Value {
        if vals.is_empty() {
            return self.iconst(0);
        }
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            (vals.len() * 8) as u32,
            3,
        ));
        for (i, v) in vals.iter().enumerate() {
            self.b.ins().stack_store(I64, *v, slot, (i * 8) as i32);
        }
        self.b.ins().stack_addr(I64, slot, 0)
    }

    /// An uninitialised stack array of `n` values and its address.
    pub fn out_array(&mut self, n: usize) -> (ir::StackSlot, ir::Value) {
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            (n.max(1) * 8) as u32,
            3,
        ));
        let addr = self.b.ins().stack_addr(I64, slot, 0);
        (slot, addr)
    }

    pub fn konst(&mut self, id: hir::ConstId) -> ir::Value {
        let consts = self.consts;
        self.load(consts, id as i32 * 8)
    }

    // ------------------------------------------------------------------ refcounts

    /// Increments the count of `v` if it is a heap pointer (inline).
    pub fn incref(&mut self, v: ir::Value) {
        if !self.fast {
            self.call("ss_incref", &[v]);
            return;
        }
        let is_ptr = self.is_ptr(v);
        let inc = self.b.create_block();
        let done = self.b.create_block();
        self.b.ins().brif(is_ptr, inc, &[], done, &[]);
        self.b.switch_to_block(inc);
        let rc = self.b.ins().load(I32, self.mf, v, RC_OFFSET);
        let rc1 = self.b.ins().iadd_imm_s(rc, 1);
        self.b.ins().store(self.mf, rc1, v, RC_OFFSET);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }

    /// Decrements the count of `v` if it is a heap pointer, freeing it at zero (inline
    /// fast path; the free is a runtime call).
    pub fn decref(&mut self, v: ir::Value) {
        if !self.fast {
            self.call("ss_decref", &[v]);
            return;
        }
        let is_ptr = self.is_ptr(v);
        self.decref_if(v, is_ptr);
    }

    /// `decref` for a value that cannot be NULL (a temporary): one tag test.
    fn decref_nonnull(&mut self, v: ir::Value) {
        if !self.fast {
            self.call("ss_decref", &[v]);
            return;
        }
        let tag = self.b.ins().band_imm_s(v, 7);
        let is_ptr = self.b.ins().icmp_imm_s(IntCC::Equal, tag, 0);
        self.decref_if(v, is_ptr);
    }

    fn decref_if(&mut self, v: ir::Value, is_ptr: ir::Value) {
        let dec = self.b.create_block();
        let free = self.b.create_block();
        let done = self.b.create_block();
        self.b.ins().brif(is_ptr, dec, &[], done, &[]);
        self.b.switch_to_block(dec);
        let rc = self.b.ins().load(I32, self.mf, v, RC_OFFSET);
        let rc1 = self.b.ins().iadd_imm_s(rc, -1);
        self.b.ins().store(self.mf, rc1, v, RC_OFFSET);
        self.b.ins().brif(rc1, done, &[], free, &[]);
        self.b.switch_to_block(free);
        self.call("ss_release", &[v]);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }

    /// `v` is a non-NULL heap pointer: low three bits clear and not zero.
    fn is_ptr(&mut self, v: ir::Value) -> ir::Value {
        let tag = self.b.ins().band_imm_s(v, 7);
        let tag_zero = self.b.ins().icmp_imm_s(IntCC::Equal, tag, 0);
        let nonnull = self.b.ins().icmp_imm_s(IntCC::NotEqual, v, 0);
        self.b.ins().band(tag_zero, nonnull)
    }

    /// Releases a temporary (never NULL: failed results are checked when produced).
    pub fn release(&mut self, t: Tv) {
        if t.owned {
            self.decref_nonnull(t.v);
        }
    }

    /// Makes a temporary owned (increments it if it was borrowed).
    pub fn own(&mut self, t: Tv) -> ir::Value {
        if !t.owned {
            self.incref(t.v);
        }
        t.v
    }

    // ------------------------------------------------------------------ temporaries

    pub fn push(&mut self, v: ir::Value, owned: bool) -> Tv {
        let t = Tv { v, owned };
        self.temps.push(t);
        t
    }

    pub fn pop(&mut self) -> Tv {
        self.temps.pop().expect("temporary stack underflow")
    }

    /// Pops and releases the top temporary.
    pub fn drop_top(&mut self) {
        let t = self.pop();
        self.release(t);
    }

    // ------------------------------------------------------------------ failure paths

    /// Releases the owned temporaries and jumps to the current unwind target (the
    /// current block must be a fresh failure block).
    pub fn unwind_here(&mut self) {
        // failure paths are cold: release through a call rather than inline code, which
        // keeps the function small (compile time grows with code size)
        for t in self.temps.clone().into_iter().rev() {
            if t.owned {
                self.call("ss_decref", &[t.v]);
            }
        }
        let target = *self.unwind.last().expect("unwind target");
        self.b.ins().jump(target, &[]);
    }

    /// Branches to a failure path when `cond` is true.
    fn fail_if(&mut self, cond: ir::Value, traceback: bool) {
        if !self.fast && !traceback && !self.temps.iter().any(|t| t.owned) {
            // quick tier: nothing to release, so branch straight to the handler (one
            // block less per call site; the optimized tier keeps the cold block for
            // code layout)
            let target = *self.unwind.last().expect("unwind target");
            let ok = self.b.create_block();
            self.b.ins().brif(cond, target, &[], ok, &[]);
            self.b.switch_to_block(ok);
            return;
        }
        let fail = self.b.create_block();
        let ok = self.b.create_block();
        self.b.set_cold_block(fail);
        self.b.ins().brif(cond, fail, &[], ok, &[]);
        self.b.switch_to_block(fail);
        if traceback {
            let line = self.i32const(self.line);
            self.call("ss_traceback", &[self.ctx, line]);
        }
        self.unwind_here();
        self.b.switch_to_block(ok);
    }

    /// A value result: NULL means an exception is pending.
    pub fn check_value(&mut self, v: ir::Value) {
        let is_null = self.b.ins().icmp_imm_s(IntCC::Equal, v, 0);
        self.fail_if(is_null, false);
    }

    /// A value result of a call that may run script code (records the line for the
    /// traceback, and restores the current line, which the callee changed).
    pub fn check_call_value(&mut self, v: ir::Value) {
        let is_null = self.b.ins().icmp_imm_s(IntCC::Equal, v, 0);
        self.fail_if(is_null, true);
        let line = self.i32const(self.line);
        self.b.ins().store(self.mf, line, self.ctx, CTX_LINE_OFFSET);
    }

    /// A status result: negative means an exception is pending.
    pub fn check_status(&mut self, s: ir::Value) {
        let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, s, 0);
        self.fail_if(neg, false);
    }

    /// Raises by calling an entry point that always returns NULL, then unwinds.
    pub fn raise_via(&mut self, name: &'static str, args: &[ir::Value]) {
        self.call(name, args);
        self.unwind_here();
        let dead = self.b.create_block();
        self.b.switch_to_block(dead);
    }

    /// Fuel check at a loop back-edge: decrement, and at zero ask the runtime (clock,
    /// memory); an exhausted budget raises like any other exception.
    pub fn fuel_check(&mut self) {
        let fuel = self.b.ins().load(I64, self.mf, self.ctx, CTX_FUEL_OFFSET);
        let fuel1 = self.b.ins().iadd_imm_s(fuel, -1);
        self.b
            .ins()
            .store(self.mf, fuel1, self.ctx, CTX_FUEL_OFFSET);
        let empty = self
            .b
            .ins()
            .icmp_imm_s(IntCC::SignedLessThanOrEqual, fuel1, 0);
        let slow = self.b.create_block();
        let done = self.b.create_block();
        self.b.set_cold_block(slow);
        self.b.ins().brif(empty, slow, &[], done, &[]);
        self.b.switch_to_block(slow);
        let s = self.call("ss_fuel", &[self.ctx]).expect("status");
        self.check_status(s);
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
    }

    // ------------------------------------------------------------------ variables

    pub fn is_cell(&self, slot: u32) -> bool {
        self.f.cell_locals[slot as usize]
    }

    /// Reads a variable; pushes it on the temporary stack.
    pub fn load_var(&mut self, var: Var, name: hir::ConstId) -> Tv {
        match var {
            Var::Local(slot) if self.is_cell(slot) => {
                let cell = self.get_local(slot as usize);
                let n = self.konst(name);
                let v = self
                    .call("ss_cell_get", &[self.ctx, cell, n])
                    .expect("value");
                self.check_value(v);
                self.push(v, true)
            }
            Var::Local(slot) => {
                let v = self.get_local(slot as usize);
                if !self.bound[slot as usize] {
                    // module-level names are globals to Python: NameError, not
                    // UnboundLocalError
                    let raise = if self.f.name == "<module>" {
                        "ss_name_error"
                    } else {
                        "ss_unbound_local"
                    };
                    self.check_bound(v, raise, name);
                }
                let owned = self.walrus_targets.contains(&var);
                if owned {
                    self.incref(v);
                }
                self.push(v, owned)
            }
            Var::Global(i) => {
                let g = self.globals;
                let v = self.load(g, i as i32 * 8);
                self.check_bound(v, "ss_name_error", name);
                self.incref(v);
                self.push(v, true)
            }
            Var::Free(i) => {
                let c = self.closure;
                let cell = self.load(c, i as i32 * 8);
                let n = self.konst(name);
                let v = self
                    .call("ss_cell_get", &[self.ctx, cell, n])
                    .expect("value");
                self.check_value(v);
                self.push(v, true)
            }
        }
    }

    fn check_bound(&mut self, v: ir::Value, raise: &'static str, name: hir::ConstId) {
        let is_null = self.b.ins().icmp_imm_s(IntCC::Equal, v, 0);
        let fail = self.b.create_block();
        let ok = self.b.create_block();
        self.b.set_cold_block(fail);
        self.b.ins().brif(is_null, fail, &[], ok, &[]);
        self.b.switch_to_block(fail);
        let n = self.konst(name);
        self.call(raise, &[self.ctx, n]);
        self.unwind_here();
        self.b.switch_to_block(ok);
    }

    /// Stores an owned value into a variable (consumes the reference).
    pub fn store_var(&mut self, var: Var, v: ir::Value) {
        match var {
            Var::Local(slot) if self.is_cell(slot) => {
                let cell = self.get_local(slot as usize);
                self.call("ss_cell_set", &[cell, v]);
                self.decref(v);
            }
            Var::Local(slot) => {
                let old = self.get_local(slot as usize);
                self.set_local(slot as usize, v);
                if self.bound[slot as usize] {
                    self.decref_nonnull(old);
                } else {
                    self.decref(old);
                }
                // a `:=` may sit in a branch that does not run: never counts as binding
                if !self.walrus_targets.contains(&var) {
                    self.bound[slot as usize] = true;
                }
            }
            Var::Global(i) => {
                let g = self.globals;
                let old = self.load(g, i as i32 * 8);
                self.store(v, g, i as i32 * 8);
                self.decref(old);
            }
            Var::Free(i) => {
                // nonlocal is refused, so inner functions never write free variables;
                // kept for completeness of the store rule
                let c = self.closure;
                let cell = self.load(c, i as i32 * 8);
                self.call("ss_cell_set", &[cell, v]);
                self.decref(v);
            }
        }
    }

    /// Unbinds a variable (`del x`, the end of `except … as e`).
    pub fn clear_var(&mut self, var: Var) {
        match var {
            Var::Local(slot) if self.is_cell(slot) => {
                let cell = self.get_local(slot as usize);
                let null = self.iconst(0);
                self.call("ss_cell_set", &[cell, null]);
            }
            _ => {
                let null = self.iconst(0);
                self.store_var(var, null);
                if let Var::Local(slot) = var {
                    self.bound[slot as usize] = false;
                }
            }
        }
    }

    /// Stores into a hidden slot (iterator, accumulator, caught exception).
    pub fn store_slot(&mut self, slot: u32, v: ir::Value) {
        self.store_var(Var::Local(slot), v);
    }

    pub fn slot(&mut self, slot: u32) -> ir::Value {
        self.get_local(slot as usize)
    }

    /// A local's current value (owned by the variable).
    pub fn get_local(&mut self, i: usize) -> ir::Value {
        match self.frame {
            Some(frame) => self.b.ins().stack_load(I64, I64, frame, (i * 8) as i32),
            None => self.b.use_var(self.locals[i]),
        }
    }

    /// Sets a local (the caller handles the old value's reference).
    pub fn set_local(&mut self, i: usize, v: ir::Value) {
        match self.frame {
            Some(frame) => {
                self.b.ins().stack_store(I64, v, frame, (i * 8) as i32);
            }
            None => self.b.def_var(self.locals[i], v),
        }
    }

    // ------------------------------------------------------------------ prologue, exits

    fn prologue(&mut self, args: ir::Value) {
        // depth limit and the function-entry fuel charge
        let s = self.call("ss_enter", &[self.ctx]).expect("status");
        let fail = self.b.create_block();
        let ok = self.b.create_block();
        let neg = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, s, 0);
        self.b.ins().brif(neg, fail, &[], ok, &[]);
        self.b.switch_to_block(fail);
        let null = self.iconst(0);
        self.b.ins().return_(&[null]);
        self.b.switch_to_block(ok);

        let fobj = self.func_obj;
        self.env = self.load(fobj, FUNC_MODULE_OFFSET);
        let env = self.env;
        self.globals = self.load(env, MODULE_GLOBALS_OFFSET);
        self.consts = self.load(env, MODULE_CONSTS_OFFSET);
        self.closure = self.load(fobj, FUNC_CLOSURE_OFFSET);
        let null = self.iconst(0);
        if !self.fast && !self.locals.is_empty() {
            self.frame = Some(self.b.create_sized_stack_slot(StackSlotData::new(
                StackSlotKind::ExplicitSlot,
                (self.locals.len() * 8) as u32,
                3,
            )));
        }
        for i in 0..self.locals.len() {
            self.set_local(i, null);
        }
        self.b.def_var(self.retval, null);
        let nparams = self.f.params.n_slots();
        for i in 0..self.locals.len() {
            if i < nparams {
                let v = self.load(args, i as i32 * 8);
                self.incref(v);
                if self.is_cell(i as u32) {
                    let cell = self.call("ss_cell_new", &[self.ctx]).expect("value");
                    self.set_local(i, cell);
                    self.call("ss_cell_set", &[cell, v]);
                    self.decref(v);
                } else {
                    self.set_local(i, v);
                    self.bound[i] = true;
                }
            } else if self.is_cell(i as u32) {
                let cell = self.call("ss_cell_new", &[self.ctx]).expect("value");
                self.set_local(i, cell);
            }
        }
    }

    /// The return and error exits: release every variable, leave the call.
    fn epilogue(&mut self) {
        self.b.switch_to_block(self.return_block);
        self.release_locals();
        self.call("ss_leave", &[self.ctx]);
        let r = self.b.use_var(self.retval);
        self.b.ins().return_(&[r]);

        self.b.switch_to_block(self.error_exit);
        self.b.set_cold_block(self.error_exit);
        self.release_locals();
        let r = self.b.use_var(self.retval);
        self.call("ss_decref", &[r]);
        self.call("ss_leave", &[self.ctx]);
        let null = self.iconst(0);
        self.b.ins().return_(&[null]);
    }

    fn release_locals(&mut self) {
        if let Some(frame) = self.frame {
            let p = self.b.ins().stack_addr(I64, frame, 0);
            let n = self.iconst(self.locals.len() as u64);
            self.call("ss_release_frame", &[p, n]);
            return;
        }
        for i in 0..self.locals.len() {
            let x = self.get_local(i);
            self.decref(x);
        }
    }
}
