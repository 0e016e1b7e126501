//! Lowering: the checked syntax tree → [`hir`](crate::hir). Names become slots, cells,
//! globals or static sandbox values (`frappe.utils.flt` is bound here, at compile time);
//! constants are interned; comprehensions are flattened into their function.

pub mod scope;

mod expr;
mod stmt;

use std::collections::HashMap;

use indexmap::{IndexMap, IndexSet};
use rustpython_parser::ast::{self, Ranged, Stmt};
use serverscript_runtime::builtins;
use serverscript_runtime::object::exc;
use serverscript_runtime::object::func::Params;
use serverscript_runtime::surface::{self, ScriptType};
use serverscript_runtime::value::{StaticKind, Value};

use crate::hir::{self, Const, ConstId, ExprKind, FuncId, Var};
use crate::names::normalize;
use crate::source::SourceFile;
use scope::{Place, ScopeId, Scopes};

/// Lowers a module that passed `check` with no errors.
pub fn lower(source: &SourceFile, body: &[Stmt], script_type: ScriptType) -> hir::Module {
    let scopes = Scopes::analyze(body, script_type);
    let mut l = Lowerer {
        source,
        globals: IndexSet::new(),
        consts: Vec::new(),
        const_index: HashMap::new(),
        functions: Vec::new(),
        frames: Vec::new(),
        hidden: 0,
        handler_stack: Vec::new(),
        scopes,
    };
    for g in l.scopes.globals.clone() {
        l.global_slot(&g);
    }
    let implicit: Vec<(String, u32)> = surface::implicit_locals(script_type)
        .iter()
        .map(|n| (n.to_string(), l.global_slot(n)))
        .collect();
    l.functions.push(None);
    l.frames.push(Frame::new(0, 0));
    let stmts = l.stmts(body);
    let frame = l.frames.pop().expect("module frame");
    l.functions[0] = Some(frame.finish("<module>".into(), 1, Params::default(), stmts));
    hir::Module {
        functions: l
            .functions
            .into_iter()
            .map(|f| f.expect("every function lowered"))
            .collect(),
        consts: l.consts,
        global_names: l.globals.into_iter().collect(),
        implicit_globals: implicit,
    }
}

/// What a name read in an expression becomes.
pub(crate) enum NameValue {
    Var(Var),
    Expr(ExprKind),
}

struct Frame {
    /// The scope owning this frame.
    scope: ScopeId,
    /// The scope being lowered (a comprehension inside the frame, or the frame itself).
    current: ScopeId,
    slots: IndexMap<(ScopeId, String), u32>,
    names: Vec<String>,
    cells: Vec<bool>,
    free: IndexSet<(ScopeId, String)>,
}

impl Frame {
    fn new(scope: ScopeId, _func: FuncId) -> Frame {
        Frame {
            scope,
            current: scope,
            slots: IndexMap::new(),
            names: Vec::new(),
            cells: Vec::new(),
            free: IndexSet::new(),
        }
    }

    fn finish(
        self,
        name: String,
        line: u32,
        params: Params,
        body: Vec<hir::Stmt>,
    ) -> hir::Function {
        hir::Function {
            name,
            line,
            params,
            local_names: self.names,
            cell_locals: self.cells,
            free_names: self.free.into_iter().map(|(_, n)| n).collect(),
            body,
        }
    }
}

#[derive(Hash, PartialEq, Eq)]
enum ConstKey {
    Str(String),
    Int(String),
    Float(u64),
    Names(Vec<String>),
}

pub(crate) struct Lowerer<'a> {
    source: &'a SourceFile,
    scopes: Scopes,
    globals: IndexSet<String>,
    consts: Vec<Const>,
    const_index: HashMap<ConstKey, ConstId>,
    functions: Vec<Option<hir::Function>>,
    frames: Vec<Frame>,
    hidden: usize,
    /// Exception slots of the `except` handlers being lowered (innermost last).
    handler_stack: Vec<u32>,
}

impl Lowerer<'_> {
    pub(crate) fn line(&self, node: &impl Ranged) -> u32 {
        self.source.line_col(usize::from(node.range().start())).line as u32
    }

    pub(crate) fn konst(&mut self, c: Const) -> ConstId {
        let key = match &c {
            Const::Str(s) => ConstKey::Str(s.clone()),
            Const::Int(i) => ConstKey::Int(i.to_string()),
            Const::Float(f) => ConstKey::Float(f.to_bits()),
            Const::Names(n) => ConstKey::Names(n.clone()),
        };
        if let Some(id) = self.const_index.get(&key) {
            return *id;
        }
        let id = self.consts.len() as ConstId;
        self.consts.push(c);
        self.const_index.insert(key, id);
        id
    }

    pub(crate) fn str_const(&mut self, s: &str) -> ConstId {
        self.konst(Const::Str(s.to_string()))
    }

    fn global_slot(&mut self, name: &str) -> u32 {
        self.globals.insert_full(name.to_string()).0 as u32
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a frame")
    }

    fn slot(&mut self, owner: ScopeId, name: &str) -> u32 {
        let cell = self.scopes.cells.contains(&(owner, name.to_string()));
        let f = self.frame();
        if let Some(&slot) = f.slots.get(&(owner, name.to_string())) {
            return slot;
        }
        let slot = f.names.len() as u32;
        f.slots.insert((owner, name.to_string()), slot);
        f.names.push(name.to_string());
        f.cells.push(cell);
        slot
    }

    /// A hidden local (iterator, accumulator, caught exception).
    pub(crate) fn hidden_slot(&mut self, what: &str) -> u32 {
        self.hidden += 1;
        let key = usize::MAX - self.hidden;
        let f = self.frame();
        let next = f.names.len() as u32;
        f.slots.insert((key, what.to_string()), next);
        f.names.push(format!("<{what}>"));
        f.cells.push(false);
        next
    }

    /// Runs `f` with `scope` (a comprehension of the current frame) as the current scope.
    pub(crate) fn in_comprehension<T>(
        &mut self,
        scope: ScopeId,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let saved = std::mem::replace(&mut self.frame().current, scope);
        let r = f(self);
        self.frame().current = saved;
        r
    }

    pub(crate) fn scope_of(&self, node: &impl Ranged) -> ScopeId {
        self.scopes.scope_of(node)
    }

    /// The variable a name refers to in the current scope (for stores and loads).
    pub(crate) fn name(&mut self, raw: &str) -> NameValue {
        let name = normalize(raw).into_owned();
        let current = self.frame().current;
        let frame_scope = self.frame().scope;
        match self.scopes.place(current, &name) {
            Place::Frame(owner, n) => {
                if self.scopes.scopes[owner].frame == frame_scope {
                    NameValue::Var(Var::Local(self.slot(owner, &n)))
                } else {
                    let i = self.frame().free.insert_full((owner, n)).0;
                    NameValue::Var(Var::Free(i as u32))
                }
            }
            Place::Module(n) => {
                if frame_scope == 0 && !self.scopes.globals.contains(&n) {
                    NameValue::Var(Var::Local(self.slot(0, &n)))
                } else {
                    NameValue::Var(Var::Global(self.global_slot(&n)))
                }
            }
            Place::Implicit(n) => NameValue::Var(Var::Global(self.global_slot(&n))),
            Place::Sandbox(n) => NameValue::Expr(self.sandbox(&n)),
            // never bound: a global slot that stays empty, so reading it raises NameError
            Place::Unbound(n) => NameValue::Var(Var::Global(self.global_slot(&n))),
        }
    }

    /// A variable to assign: names always resolve to variables when stored.
    pub(crate) fn store_var(&mut self, raw: &str) -> Var {
        match self.name(raw) {
            NameValue::Var(v) => v,
            // a sandbox name being assigned becomes a local of the scope (Python rebinding)
            NameValue::Expr(_) => {
                let name = normalize(raw).into_owned();
                let current = self.frame().current;
                Var::Local(self.slot(current, &name))
            }
        }
    }

    /// What a sandbox path is at run time: a static immediate when the runtime has it,
    /// else a context lookup (`frappe.response`) or a run-time error.
    pub(crate) fn sandbox(&mut self, path: &str) -> ExprKind {
        if let Some(v) = builtins::builtin_value(path).or_else(|| builtins::namespace_value(path)) {
            return ExprKind::Static(v.0);
        }
        if path == "_dict" || path == "frappe._dict" {
            return ExprKind::Static(builtins::type_value("_dict").expect("_dict").0);
        }
        if let Some(v) = builtins::type_value(path) {
            return ExprKind::Static(v.0);
        }
        if let Some(id) = exc::class_id(path)
            && !path.starts_with("frappe.")
        {
            return ExprKind::Static(Value::new_static(StaticKind::ExcClass, id).0);
        }
        if let Some(name) = path.strip_prefix("frappe.")
            && let Some(id) = exc::class_id(&format!("frappe.{name}"))
        {
            return ExprKind::Static(Value::new_static(StaticKind::ExcClass, id).0);
        }
        match path {
            "None" => ExprKind::None,
            "True" => ExprKind::True,
            "False" => ExprKind::False,
            "Ellipsis" => ExprKind::Surface(self.str_const("Ellipsis")),
            _ => ExprKind::Surface(self.str_const(path)),
        }
    }

    /// Lowers a `def` or `lambda` body into a new function; returns its id and the
    /// closure cells the current frame must pass.
    pub(crate) fn function(
        &mut self,
        node: &impl Ranged,
        name: &str,
        args: &ast::Arguments,
        body: impl FnOnce(&mut Self) -> Vec<hir::Stmt>,
    ) -> (FuncId, Vec<Var>) {
        let scope = self.scope_of(node);
        let id = self.functions.len() as FuncId;
        self.functions.push(None);
        let line = self.line(node);
        self.frames.push(Frame::new(scope, id));
        // parameters take the first slots, in order
        let params_list = self.scopes.scopes[scope].params.clone();
        for p in &params_list {
            self.slot(scope, p);
        }
        let stmts = body(self);
        let frame = self.frames.pop().expect("function frame");
        let free: Vec<(ScopeId, String)> = frame.free.iter().cloned().collect();
        let params = Params {
            names: params_list.iter().map(|n| n.as_str().into()).collect(),
            n_posonly: args.posonlyargs.len(),
            n_positional: args.posonlyargs.len() + args.args.len(),
            n_kwonly: args.kwonlyargs.len(),
            varargs: args.vararg.is_some(),
            varkw: args.kwarg.is_some(),
        };
        self.functions[id as usize] =
            Some(frame.finish(normalize(name).into_owned(), line, params, stmts));
        // the cells this frame hands to the new function
        let frame_scope = self.frame().scope;
        let closure = free
            .into_iter()
            .map(|(owner, n)| {
                if self.scopes.scopes[owner].frame == frame_scope {
                    Var::Local(self.slot(owner, &n))
                } else {
                    Var::Free(self.frame().free.insert_full((owner, n)).0 as u32)
                }
            })
            .collect();
        (id, closure)
    }
}
