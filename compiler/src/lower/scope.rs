//! Scope analysis for code generation.
//!
//! Pass 1 walks the script and records, for every scope (module, `def`, `lambda`,
//! comprehension), the names it binds and loads and its `global` declarations. Pass 2
//! decides where each name lives:
//! - a module-level name read or written by a function is a **global slot**; other
//!   module-level names stay in the module function's frame (registers);
//! - a function's local captured by an inner function is a **cell**; the inner function
//!   (and every function between them) receives it as a **free** variable;
//! - comprehensions are inlined into the function that contains them, but keep their own
//!   names: their loop variables get fresh slots in that function's frame.

use std::collections::{HashMap, HashSet};

use indexmap::IndexSet;
use rustpython_parser::ast::{self, Expr, Ranged, Stmt};
use serverscript_runtime::surface::{self, ScriptType};

use crate::names::normalize;

pub type ScopeId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Module,
    Function,
    Comprehension,
}

#[derive(Debug)]
pub struct Scope {
    pub kind: Kind,
    pub parent: Option<ScopeId>,
    /// The scope whose frame holds this scope's variables (itself unless a comprehension).
    pub frame: ScopeId,
    pub params: Vec<String>,
    pub bound: IndexSet<String>,
    pub used: IndexSet<String>,
    pub global_decls: HashSet<String>,
}

/// Where a name used in a scope lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A variable of a frame: (owning scope, name) — local, cell or free depending on
    /// which frame reads it.
    Frame(ScopeId, String),
    /// A module-level name (a global slot, or a module-frame local).
    Module(String),
    /// Provided by the sandbox (builtins, `frappe`, …).
    Sandbox(String),
    /// An implicit local of the script type (`doc`): always a global slot.
    Implicit(String),
    /// Bound nowhere: NameError at run time.
    Unbound(String),
}

#[derive(Debug)]
pub struct Scopes {
    pub scopes: Vec<Scope>,
    /// Scope of each scope-creating node, by its source range.
    pub by_range: HashMap<(u32, u32), ScopeId>,
    pub script_type: ScriptType,
    /// Module names that must be global slots.
    pub globals: IndexSet<String>,
    /// (owner scope, name) pairs captured by another frame: stored in cells.
    pub cells: HashSet<(ScopeId, String)>,
    /// Free variables of each frame, in order: (owner scope, name).
    pub free: HashMap<ScopeId, IndexSet<(ScopeId, String)>>,
}

pub fn range_key(node: &impl Ranged) -> (u32, u32) {
    let r = node.range();
    (r.start().into(), r.end().into())
}

impl Scopes {
    pub fn analyze(body: &[Stmt], script_type: ScriptType) -> Scopes {
        let mut s = Scopes {
            scopes: vec![Scope {
                kind: Kind::Module,
                parent: None,
                frame: 0,
                params: Vec::new(),
                bound: IndexSet::new(),
                used: IndexSet::new(),
                global_decls: HashSet::new(),
            }],
            by_range: HashMap::new(),
            script_type,
            globals: IndexSet::new(),
            cells: HashSet::new(),
            free: HashMap::new(),
        };
        let mut c = Collector {
            s: &mut s,
            scope: 0,
        };
        c.body(body);
        s.resolve_all();
        s
    }

    pub fn scope_of(&self, node: &impl Ranged) -> ScopeId {
        *self
            .by_range
            .get(&range_key(node))
            .expect("every scope node was collected")
    }

    /// Where `name`, used in scope `from`, lives.
    pub fn place(&self, from: ScopeId, name: &str) -> Place {
        let mut id = from;
        loop {
            let s = &self.scopes[id];
            if s.global_decls.contains(name) {
                return self.module_place(name);
            }
            if s.kind == Kind::Module {
                return self.module_place(name);
            }
            if s.bound.contains(name) {
                return Place::Frame(id, name.to_string());
            }
            id = s.parent.expect("non-module scopes have a parent");
        }
    }

    fn module_place(&self, name: &str) -> Place {
        if surface::implicit_locals(self.script_type).contains(&name) {
            return Place::Implicit(name.to_string());
        }
        if self.scopes[0].bound.contains(name) || self.any_global_decl(name) {
            return Place::Module(name.to_string());
        }
        if surface::resolve_global(name, self.script_type).is_some() {
            return Place::Sandbox(name.to_string());
        }
        Place::Unbound(name.to_string())
    }

    fn any_global_decl(&self, name: &str) -> bool {
        self.scopes
            .iter()
            .any(|s| s.global_decls.contains(name) && s.bound.contains(name))
    }

    fn resolve_all(&mut self) {
        for id in 0..self.scopes.len() {
            let names: Vec<String> = self.scopes[id]
                .used
                .iter()
                .chain(self.scopes[id].bound.iter())
                .cloned()
                .collect();
            let frame = self.scopes[id].frame;
            for name in names {
                match self.place(id, &name) {
                    Place::Module(n) => {
                        // a module name reached from a function's frame must be a global slot
                        if frame != 0 || self.scopes[id].global_decls.contains(&n) {
                            self.globals.insert(n);
                        }
                    }
                    Place::Frame(owner, n) => {
                        let owner_frame = self.scopes[owner].frame;
                        if owner_frame != frame {
                            self.cells.insert((owner, n.clone()));
                            // every frame from the user up to (not including) the owner's
                            // frame receives the cell as a free variable
                            let mut f = frame;
                            while f != owner_frame {
                                self.free.entry(f).or_default().insert((owner, n.clone()));
                                f = self.scopes[self.scopes[f].parent.expect("parent")].frame;
                            }
                        }
                    }
                    Place::Implicit(n) => {
                        self.globals.insert(n);
                    }
                    Place::Sandbox(_) | Place::Unbound(_) => {}
                }
            }
        }
        // functions writing a module name through `global` make it a global slot too
        for s in &self.scopes {
            for g in &s.global_decls {
                self.globals.insert(g.clone());
            }
        }
    }
}

struct Collector<'a> {
    s: &'a mut Scopes,
    scope: ScopeId,
}

impl Collector<'_> {
    fn new_scope(&mut self, kind: Kind, key: (u32, u32)) -> ScopeId {
        let frame = if kind == Kind::Comprehension {
            self.s.scopes[self.scope].frame
        } else {
            self.s.scopes.len()
        };
        self.s.scopes.push(Scope {
            kind,
            parent: Some(self.scope),
            frame,
            params: Vec::new(),
            bound: IndexSet::new(),
            used: IndexSet::new(),
            global_decls: HashSet::new(),
        });
        let id = self.s.scopes.len() - 1;
        self.s.by_range.insert(key, id);
        id
    }

    fn bind(&mut self, name: &str) {
        let n = normalize(name).into_owned();
        self.s.scopes[self.scope].bound.insert(n);
    }

    fn use_name(&mut self, name: &str) {
        let n = normalize(name).into_owned();
        self.s.scopes[self.scope].used.insert(n);
    }

    fn body(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn args(&mut self, args: &ast::Arguments) {
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            if let Some(d) = &a.default {
                self.expr(d);
            }
        }
    }

    fn params(&mut self, args: &ast::Arguments) {
        let names: Vec<String> = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
            .map(|a| normalize(a.def.arg.as_str()).into_owned())
            .chain(
                args.vararg
                    .iter()
                    .map(|a| normalize(a.arg.as_str()).into_owned()),
            )
            .chain(
                args.kwarg
                    .iter()
                    .map(|a| normalize(a.arg.as_str()).into_owned()),
            )
            .collect();
        for n in &names {
            self.bind(n);
        }
        self.s.scopes[self.scope].params = names;
    }

    fn in_scope(&mut self, kind: Kind, key: (u32, u32), f: impl FnOnce(&mut Self)) {
        let saved = self.scope;
        self.scope = self.new_scope(kind, key);
        f(self);
        self.scope = saved;
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                self.exprs(&f.decorator_list);
                self.args(&f.args);
                self.bind(f.name.as_str());
                self.in_scope(Kind::Function, range_key(stmt), |c| {
                    c.params(&f.args);
                    c.body(&f.body);
                });
            }
            Stmt::Return(r) => self.opt(r.value.as_deref()),
            Stmt::Delete(d) => d.targets.iter().for_each(|t| self.target(t)),
            Stmt::Assign(a) => {
                self.expr(&a.value);
                a.targets.iter().for_each(|t| self.target(t));
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.value);
                if let Expr::Name(n) = a.target.as_ref() {
                    self.use_name(n.id.as_str());
                }
                self.target(&a.target);
            }
            Stmt::For(f) => {
                self.expr(&f.iter);
                self.target(&f.target);
                self.body(&f.body);
                self.body(&f.orelse);
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                self.body(&w.body);
                self.body(&w.orelse);
            }
            Stmt::If(i) => {
                self.expr(&i.test);
                self.body(&i.body);
                self.body(&i.orelse);
            }
            Stmt::Raise(r) => {
                self.opt(r.exc.as_deref());
                self.opt(r.cause.as_deref());
            }
            Stmt::Try(t) => {
                self.body(&t.body);
                for ast::ExceptHandler::ExceptHandler(h) in &t.handlers {
                    self.opt(h.type_.as_deref());
                    if let Some(n) = &h.name {
                        self.bind(n.as_str());
                    }
                    self.body(&h.body);
                }
                self.body(&t.orelse);
                self.body(&t.finalbody);
            }
            Stmt::Assert(a) => {
                self.expr(&a.test);
                self.opt(a.msg.as_deref());
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let bound = match &alias.asname {
                        Some(a) => a.as_str(),
                        None => alias.name.as_str().split('.').next().unwrap_or(""),
                    };
                    self.bind(bound);
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    self.bind(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    let n = normalize(n.as_str()).into_owned();
                    self.s.scopes[self.scope].global_decls.insert(n);
                }
            }
            Stmt::Expr(e) => self.expr(&e.value),
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) | Stmt::Nonlocal(_) => {}
            // refused by policy before lowering runs
            Stmt::AsyncFunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::TypeAlias(_)
            | Stmt::AnnAssign(_)
            | Stmt::AsyncFor(_)
            | Stmt::With(_)
            | Stmt::AsyncWith(_)
            | Stmt::Match(_)
            | Stmt::TryStar(_) => {}
        }
    }

    fn target(&mut self, t: &Expr) {
        match t {
            Expr::Name(n) => self.bind(n.id.as_str()),
            Expr::Tuple(tu) => tu.elts.iter().for_each(|e| self.target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e)),
            Expr::Starred(s) => self.target(&s.value),
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            other => self.expr(other),
        }
    }

    fn opt(&mut self, e: Option<&Expr>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    fn exprs(&mut self, es: &[Expr]) {
        for e in es {
            self.expr(e);
        }
    }

    fn comprehension(&mut self, node: &Expr, generators: &[ast::Comprehension], results: &[&Expr]) {
        if let Some(first) = generators.first() {
            self.expr(&first.iter);
        }
        self.in_scope(Kind::Comprehension, range_key(node), |c| {
            for (i, g) in generators.iter().enumerate() {
                if i > 0 {
                    c.expr(&g.iter);
                }
                c.target(&g.target);
                c.exprs(&g.ifs);
            }
            for r in results {
                c.expr(r);
            }
        });
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::BoolOp(b) => self.exprs(&b.values),
            Expr::NamedExpr(n) => {
                self.expr(&n.value);
                if let Expr::Name(name) = n.target.as_ref() {
                    // `:=` binds in the nearest enclosing non-comprehension scope
                    let mut id = self.scope;
                    while self.s.scopes[id].kind == Kind::Comprehension {
                        id = self.s.scopes[id].parent.expect("parent");
                    }
                    let nn = normalize(name.id.as_str()).into_owned();
                    self.s.scopes[id].bound.insert(nn.clone());
                    self.s.scopes[self.scope].used.insert(nn);
                }
            }
            Expr::BinOp(b) => {
                self.expr(&b.left);
                self.expr(&b.right);
            }
            Expr::UnaryOp(u) => self.expr(&u.operand),
            Expr::Lambda(l) => {
                self.args(&l.args);
                self.in_scope(Kind::Function, range_key(e), |c| {
                    c.params(&l.args);
                    c.expr(&l.body);
                });
            }
            Expr::IfExp(i) => {
                self.expr(&i.test);
                self.expr(&i.body);
                self.expr(&i.orelse);
            }
            Expr::Dict(d) => {
                d.keys.iter().flatten().for_each(|k| self.expr(k));
                self.exprs(&d.values);
            }
            Expr::Set(s) => self.exprs(&s.elts),
            Expr::ListComp(c) => self.comprehension(e, &c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(e, &c.generators, &[&c.elt]),
            Expr::GeneratorExp(c) => self.comprehension(e, &c.generators, &[&c.elt]),
            Expr::DictComp(c) => self.comprehension(e, &c.generators, &[&c.key, &c.value]),
            Expr::Compare(c) => {
                self.expr(&c.left);
                self.exprs(&c.comparators);
            }
            Expr::Call(c) => {
                self.expr(&c.func);
                self.exprs(&c.args);
                c.keywords.iter().for_each(|k| self.expr(&k.value));
            }
            Expr::FormattedValue(f) => {
                self.expr(&f.value);
                self.opt(f.format_spec.as_deref());
            }
            Expr::JoinedStr(j) => self.exprs(&j.values),
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            Expr::Starred(s) => self.expr(&s.value),
            Expr::Name(n) => match n.ctx {
                ast::ExprContext::Load => self.use_name(n.id.as_str()),
                _ => self.bind(n.id.as_str()),
            },
            Expr::List(l) => self.exprs(&l.elts),
            Expr::Tuple(t) => self.exprs(&t.elts),
            Expr::Slice(s) => {
                self.opt(s.lower.as_deref());
                self.opt(s.upper.as_deref());
                self.opt(s.step.as_deref());
            }
            Expr::Constant(_) => {}
            // refused by policy before lowering runs
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) => {}
        }
    }
}
