//! The checker: one walk over the parsed script that keeps track of scopes, loops and
//! nesting depth, and calls each rule (in `syntax/` and `policy/`) at the nodes it
//! concerns. Name loads and attribute chains are recorded and resolved when the walk is
//! over, because Python decides whether a name is local by looking at the whole function.
//!
//! The match over statements and expressions has no catch-all arm: a parser upgrade that
//! adds syntax fails to compile here until someone decides what the sandbox does with it
//! (RestrictedPython's fail-closed rule).

use std::ops::Range;

use rustpython_parser::ast::{self, Expr, Ranged, Stmt};
use serverscript_runtime::surface::ScriptType;

use crate::names::normalize;
use crate::policy::{
    annotated_assignment, async_syntax, class_definition, except_star, forbidden_builtin,
    generator_syntax, import_forbidden, introspection_attribute, match_statement,
    nonlocal_statement, private_attribute, private_attribute_by_name, private_name, reserved_name,
    type_parameters, undefined_name, unknown_member, with_statement,
};
use crate::resolve::{AttrRef, MODULE, NameRef, Resolution, ScopeId, ScopeKind, ScopeTree};
use crate::syntax::{
    bare_except_not_last, function_too_large, global_declaration, invalid_target,
    loop_control_outside_loop, nesting_too_deep, return_outside_function,
};
use crate::{Diagnostic, SourceFile};

pub struct Checker<'a> {
    pub source: &'a SourceFile,
    pub script_type: ScriptType,
    pub diagnostics: Vec<Diagnostic>,
    pub scopes: ScopeTree,
    pub scope: ScopeId,
    depth: usize,
    depth_reported: bool,
    /// Nodes of each function body being visited (the module body first): (count,
    /// where it starts, already reported).
    bodies: Vec<(usize, usize, bool)>,
    /// Nodes of the whole script.
    nodes: usize,
    /// Loops enclosing the current statement inside the current function body.
    pub loop_depth: usize,
    name_refs: Vec<NameRef>,
    attr_refs: Vec<AttrRef>,
}

pub fn span(node: &impl Ranged) -> Range<usize> {
    let r = node.range();
    usize::from(r.start())..usize::from(r.end())
}

impl<'a> Checker<'a> {
    pub fn new(source: &'a SourceFile, script_type: ScriptType) -> Self {
        Checker {
            source,
            script_type,
            diagnostics: Vec::new(),
            scopes: ScopeTree::new(script_type),
            scope: MODULE,
            depth: 0,
            depth_reported: false,
            bodies: vec![(0, 0, false)],
            nodes: 0,
            loop_depth: 0,
            name_refs: Vec::new(),
            attr_refs: Vec::new(),
        }
    }

    /// Checks a module body and returns the diagnostics in source order.
    pub fn check_module(mut self, body: &[Stmt]) -> (Vec<Diagnostic>, ScopeTree) {
        self.visit_body(body);
        self.resolve_references();
        let mut diags = self.diagnostics;
        diags.sort_by(|a, b| {
            (a.range.start, a.code, a.range.end).cmp(&(b.range.start, b.code, b.range.end))
        });
        diags.dedup();
        (diags, self.scopes)
    }

    pub fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// The byte range of identifier `name` inside `within`, searched after `after` (a
    /// keyword such as `def`); falls back to the whole range. The AST does not keep ranges
    /// for every identifier.
    pub fn ident_range(&self, within: Range<usize>, after: &str, name: &str) -> Range<usize> {
        let text = &self.source.text[within.clone()];
        let from = if after.is_empty() {
            Some(0)
        } else {
            text.find(after).map(|i| i + after.len())
        };
        if let Some(from) = from
            && let Some(i) = text[from..].find(name)
        {
            let start = within.start + from + i;
            return start..start + name.len();
        }
        within
    }

    fn enter(&mut self, range: Range<usize>) -> bool {
        self.count_node(range.start);
        self.depth += 1;
        if self.depth > nesting_too_deep::MAX_AST_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                self.report(nesting_too_deep::ast(range));
            }
            self.depth -= 1;
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Counts a statement or expression against its function body and the script (code
    /// generation time grows faster than a body's size: see SS012).
    fn count_node(&mut self, at: usize) {
        self.nodes += 1;
        if self.nodes == function_too_large::MAX_SCRIPT_NODES + 1 {
            let range = self.source.char_range(at);
            self.report(function_too_large::script(range));
        }
        let (count, start, reported) = self.bodies.last_mut().expect("the module body");
        *count += 1;
        if *count > function_too_large::MAX_FUNCTION_NODES && !*reported {
            *reported = true;
            let (start, top) = (*start, self.bodies.len() == 1);
            let what = if top {
                "the script's top level"
            } else {
                "this function"
            };
            let range = self.source.char_range(start);
            self.report(function_too_large::function(range, what));
        }
    }

    /// Visits a `def` or `lambda` body, counted apart from the body around it.
    fn in_function_body(&mut self, start: usize, f: impl FnOnce(&mut Self)) {
        self.bodies.push((0, start, false));
        f(self);
        self.bodies.pop();
    }

    // ---------------------------------------------------------------- statements

    pub fn visit_body(&mut self, body: &[Stmt]) {
        for stmt in body {
            self.visit_stmt(stmt);
        }
    }

    fn visit_loop_body(&mut self, body: &[Stmt], orelse: &[Stmt]) {
        self.loop_depth += 1;
        self.visit_body(body);
        self.loop_depth -= 1;
        self.visit_body(orelse);
    }

    fn visit_stmt(&mut self, stmt: &Stmt) {
        let range = span(stmt);
        if !self.enter(range.clone()) {
            return;
        }
        match stmt {
            Stmt::FunctionDef(f) => {
                self.visit_def(
                    &f.name,
                    &f.args,
                    &f.body,
                    &f.decorator_list,
                    f.returns.as_deref(),
                    &f.type_params,
                    range,
                );
            }
            Stmt::AsyncFunctionDef(f) => {
                async_syntax::report(self, range.start..range.start + 5, "async def");
                self.visit_def(
                    &f.name,
                    &f.args,
                    &f.body,
                    &f.decorator_list,
                    f.returns.as_deref(),
                    &f.type_params,
                    range,
                );
            }
            Stmt::ClassDef(c) => {
                class_definition::report(self, c, range.clone());
                if !c.type_params.is_empty() {
                    type_parameters::report(self, range.clone());
                }
                self.visit_exprs(&c.decorator_list);
                self.visit_elts(&c.bases);
                for kw in &c.keywords {
                    self.visit_expr(&kw.value);
                }
                let name = normalize(c.name.as_str()).into_owned();
                let name_range = self.ident_range(range, "class", c.name.as_str());
                private_name::check(self, &name, name_range, "class name");
                self.scopes.bind(self.scope, &name, None);
                self.in_scope(ScopeKind::Class, |cx| {
                    let saved = std::mem::take(&mut cx.loop_depth);
                    cx.visit_body(&c.body);
                    cx.loop_depth = saved;
                });
            }
            Stmt::Return(r) => {
                return_outside_function::check(self, range);
                self.visit_opt(r.value.as_deref());
            }
            Stmt::Delete(d) => {
                for target in &d.targets {
                    invalid_target::check_delete(self, target);
                    self.visit_target(target);
                }
            }
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                for target in &a.targets {
                    invalid_target::check_assign(self, target);
                    self.visit_target(target);
                }
            }
            Stmt::TypeAlias(t) => {
                type_parameters::report(self, range);
                self.visit_expr(&t.value);
                self.visit_target(&t.name);
            }
            Stmt::AugAssign(a) => {
                invalid_target::check_augmented(self, &a.target);
                self.visit_expr(&a.value);
                // `x += 1` reads x, then binds it
                if let Expr::Name(n) = a.target.as_ref() {
                    self.load_name(n.id.as_str(), span(n));
                }
                self.visit_target(&a.target);
            }
            Stmt::AnnAssign(a) => {
                annotated_assignment::report(self, range);
                self.visit_expr(&a.annotation);
                self.visit_opt(a.value.as_deref());
                self.visit_target(&a.target);
            }
            Stmt::For(f) => {
                self.visit_expr(&f.iter);
                invalid_target::check_assign(self, &f.target);
                self.visit_target(&f.target);
                self.visit_loop_body(&f.body, &f.orelse);
            }
            Stmt::AsyncFor(f) => {
                async_syntax::report(self, range.start..range.start + 5, "async for");
                self.visit_expr(&f.iter);
                self.visit_target(&f.target);
                self.visit_loop_body(&f.body, &f.orelse);
            }
            Stmt::While(w) => {
                self.visit_expr(&w.test);
                self.visit_loop_body(&w.body, &w.orelse);
            }
            Stmt::If(i) => {
                self.visit_expr(&i.test);
                self.visit_body(&i.body);
                self.visit_body(&i.orelse);
            }
            Stmt::With(w) => {
                with_statement::report(self, range.start..range.start + 4);
                self.visit_with_items(&w.items);
                self.visit_body(&w.body);
            }
            Stmt::AsyncWith(w) => {
                async_syntax::report(self, range.start..range.start + 5, "async with");
                self.visit_with_items(&w.items);
                self.visit_body(&w.body);
            }
            Stmt::Match(m) => {
                match_statement::report(self, range.start..range.start + 5);
                self.visit_expr(&m.subject);
                for case in &m.cases {
                    self.visit_opt(case.guard.as_deref());
                    self.visit_body(&case.body);
                }
            }
            Stmt::Raise(r) => {
                self.visit_opt(r.exc.as_deref());
                self.visit_opt(r.cause.as_deref());
            }
            Stmt::Try(t) => self.visit_try(&t.body, &t.handlers, &t.orelse, &t.finalbody),
            Stmt::TryStar(t) => {
                except_star::report(self, &t.handlers, range);
                self.visit_try(&t.body, &t.handlers, &t.orelse, &t.finalbody);
            }
            Stmt::Assert(a) => {
                self.visit_expr(&a.test);
                self.visit_opt(a.msg.as_deref());
            }
            Stmt::Import(i) => {
                import_forbidden::check_import(self, i);
                for alias in &i.names {
                    let module = alias.name.as_str();
                    let (bound, path) = match &alias.asname {
                        Some(asname) => (asname.as_str(), module.to_string()),
                        None => {
                            let first = module.split('.').next().unwrap_or(module);
                            (first, first.to_string())
                        }
                    };
                    self.bind_import(bound, &path, span(alias));
                }
            }
            Stmt::ImportFrom(i) => {
                import_forbidden::check_import_from(self, i, range);
                let module = i.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                for alias in &i.names {
                    if alias.name.as_str() == "*" {
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    let path = format!("{module}.{}", alias.name.as_str());
                    self.bind_import(bound, &path, span(alias));
                }
            }
            Stmt::Global(g) => {
                for name in &g.names {
                    let name = normalize(name.as_str()).into_owned();
                    let name_range = self.ident_range(range.clone(), "global", &name);
                    private_name::check(self, &name, name_range.clone(), "global name");
                    global_declaration::check(self, &name, name_range);
                    self.scopes.scopes[self.scope].global_decls.insert(name);
                }
            }
            Stmt::Nonlocal(_) => nonlocal_statement::report(self, range),
            Stmt::Expr(e) => self.visit_expr(&e.value),
            Stmt::Pass(_) => {}
            Stmt::Break(_) => loop_control_outside_loop::check(self, "break", range),
            Stmt::Continue(_) => loop_control_outside_loop::check(self, "continue", range),
        }
        self.leave();
    }

    fn bind_import(&mut self, bound: &str, path: &str, range: Range<usize>) {
        let bound = normalize(bound).into_owned();
        private_name::check(self, &bound, range.clone(), "imported name");
        reserved_name::check(self, &bound, range);
        let path = normalize(path).into_owned();
        self.scopes.bind(self.scope, &bound, Some(path));
    }

    fn visit_try(
        &mut self,
        body: &[Stmt],
        handlers: &[ast::ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) {
        self.visit_body(body);
        bare_except_not_last::check(self, handlers);
        for ast::ExceptHandler::ExceptHandler(h) in handlers {
            self.visit_opt(h.type_.as_deref());
            if let Some(name) = &h.name {
                let n = normalize(name.as_str()).into_owned();
                let r = self.ident_range(span(h), " as ", name.as_str());
                private_name::check(self, &n, r.clone(), "exception name");
                reserved_name::check(self, &n, r);
                self.scopes.bind(self.scope, &n, None);
            }
            self.visit_body(&h.body);
        }
        self.visit_body(orelse);
        self.visit_body(finalbody);
    }

    fn visit_with_items(&mut self, items: &[ast::WithItem]) {
        for item in items {
            self.visit_expr(&item.context_expr);
            if let Some(vars) = &item.optional_vars {
                invalid_target::check_assign(self, vars);
                self.visit_target(vars);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn visit_def(
        &mut self,
        name: &ast::Identifier,
        args: &ast::Arguments,
        body: &[Stmt],
        decorators: &[Expr],
        returns: Option<&Expr>,
        type_params: &[ast::TypeParam],
        range: Range<usize>,
    ) {
        if !type_params.is_empty() {
            let head = self
                .source
                .line_range(self.source.line_col(range.start).line);
            type_parameters::report(self, range.start..head.end.max(range.start));
        }
        self.visit_exprs(decorators);
        self.visit_argument_defaults(args);
        self.visit_opt(returns);
        let fname = normalize(name.as_str()).into_owned();
        let name_range = self.ident_range(range.clone(), "def", name.as_str());
        private_name::check(self, &fname, name_range.clone(), "function name");
        reserved_name::check(self, &fname, name_range);
        self.scopes.bind(self.scope, &fname, None);
        self.in_function_body(range.start, |cx| {
            cx.in_scope(ScopeKind::Function, |cx| {
                cx.bind_parameters(args);
                let saved = std::mem::take(&mut cx.loop_depth);
                cx.visit_body(body);
                cx.loop_depth = saved;
            })
        });
    }

    /// Defaults and annotations are evaluated in the enclosing scope.
    fn visit_argument_defaults(&mut self, args: &ast::Arguments) {
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            self.visit_opt(a.default.as_deref());
            self.visit_opt(a.def.annotation.as_deref());
        }
        for a in args.vararg.iter().chain(&args.kwarg) {
            self.visit_opt(a.annotation.as_deref());
        }
    }

    fn bind_parameters(&mut self, args: &ast::Arguments) {
        let all = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
            .map(|a| &a.def)
            .chain(args.vararg.as_deref())
            .chain(args.kwarg.as_deref());
        for arg in all {
            let name = normalize(arg.arg.as_str()).into_owned();
            let r = span(arg);
            let r = r.start..r.start + arg.arg.as_str().len();
            private_name::check(self, &name, r.clone(), "parameter");
            reserved_name::check(self, &name, r);
            self.scopes.bind_parameter(self.scope, &name);
        }
    }

    fn in_scope(&mut self, kind: ScopeKind, f: impl FnOnce(&mut Self)) {
        let parent = self.scope;
        self.scope = self.scopes.push(kind, parent);
        f(self);
        self.scope = parent;
    }

    // ---------------------------------------------------------------- expressions

    fn visit_opt(&mut self, expr: Option<&Expr>) {
        if let Some(e) = expr {
            self.visit_expr(e);
        }
    }

    fn visit_exprs(&mut self, exprs: &[Expr]) {
        for e in exprs {
            self.visit_expr(e);
        }
    }

    /// Elements of displays and call arguments, where `*x` is allowed.
    fn visit_elts(&mut self, exprs: &[Expr]) {
        for e in exprs {
            match e {
                Expr::Starred(s) => self.visit_expr(&s.value),
                other => self.visit_expr(other),
            }
        }
    }

    /// Assignment, `for`, `del` and `as` targets (validity is checked by SS009 first).
    fn visit_target(&mut self, target: &Expr) {
        match target {
            Expr::Starred(s) => self.visit_target(&s.value),
            Expr::Tuple(t) => {
                for e in &t.elts {
                    self.visit_target(e);
                }
            }
            Expr::List(l) => {
                for e in &l.elts {
                    self.visit_target(e);
                }
            }
            other => self.visit_expr(other),
        }
    }

    fn load_name(&mut self, raw: &str, range: Range<usize>) {
        let name = normalize(raw).into_owned();
        self.scopes.mark_seen(self.scope, &name);
        self.name_refs.push(NameRef {
            scope: self.scope,
            name,
            range,
        });
    }

    fn visit_expr(&mut self, expr: &Expr) {
        let range = span(expr);
        if !self.enter(range.clone()) {
            return;
        }
        match expr {
            Expr::BoolOp(b) => self.visit_exprs(&b.values),
            Expr::NamedExpr(n) => {
                self.visit_expr(&n.value);
                if let Expr::Name(name) = n.target.as_ref() {
                    let id = normalize(name.id.as_str()).into_owned();
                    private_name::check(self, &id, span(name), "variable name");
                    reserved_name::check(self, &id, span(name));
                    let target_scope = self.scopes.walrus_scope(self.scope);
                    self.scopes.bind(target_scope, &id, None);
                } else {
                    self.visit_target(&n.target);
                }
            }
            Expr::BinOp(b) => {
                self.visit_expr(&b.left);
                self.visit_expr(&b.right);
            }
            Expr::UnaryOp(u) => self.visit_expr(&u.operand),
            Expr::Lambda(l) => {
                self.visit_argument_defaults(&l.args);
                self.in_function_body(range.start, |cx| {
                    cx.in_scope(ScopeKind::Lambda, |cx| {
                        cx.bind_parameters(&l.args);
                        cx.visit_expr(&l.body);
                    })
                });
            }
            Expr::IfExp(i) => {
                self.visit_expr(&i.test);
                self.visit_expr(&i.body);
                self.visit_expr(&i.orelse);
            }
            Expr::Dict(d) => {
                for k in d.keys.iter().flatten() {
                    self.visit_expr(k);
                }
                self.visit_exprs(&d.values);
            }
            Expr::Set(s) => self.visit_elts(&s.elts),
            Expr::ListComp(c) => self.visit_comprehension(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.visit_comprehension(&c.generators, &[&c.elt]),
            Expr::GeneratorExp(c) => self.visit_comprehension(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => self.visit_comprehension(&c.generators, &[&c.key, &c.value]),
            Expr::Await(a) => {
                async_syntax::report(self, range.start..range.start + 5, "await");
                self.visit_expr(&a.value);
            }
            Expr::Yield(y) => {
                generator_syntax::report(self, range.clone(), "yield");
                self.visit_opt(y.value.as_deref());
            }
            Expr::YieldFrom(y) => {
                generator_syntax::report(self, range.clone(), "yield from");
                self.visit_expr(&y.value);
            }
            Expr::Compare(c) => {
                self.visit_expr(&c.left);
                self.visit_exprs(&c.comparators);
            }
            Expr::Call(c) => {
                private_attribute_by_name::check_call(self, c);
                match c.func.as_ref() {
                    Expr::Attribute(a) => {
                        let r = span(c.func.as_ref());
                        if self.enter(r.clone()) {
                            self.visit_attribute(a, r, true);
                            self.leave();
                        }
                    }
                    other => self.visit_expr(other),
                }
                self.visit_elts(&c.args);
                for kw in &c.keywords {
                    if let Some(arg) = &kw.arg {
                        let name = normalize(arg.as_str()).into_owned();
                        let r = span(kw);
                        private_name::check(
                            self,
                            &name,
                            r.start..r.start + arg.as_str().len(),
                            "keyword argument",
                        );
                    }
                    self.visit_expr(&kw.value);
                }
            }
            Expr::FormattedValue(f) => {
                self.visit_expr(&f.value);
                self.visit_opt(f.format_spec.as_deref());
            }
            Expr::JoinedStr(j) => self.visit_exprs(&j.values),
            Expr::Constant(_) => {}
            Expr::Attribute(a) => self.visit_attribute(a, range.clone(), false),
            Expr::Subscript(s) => {
                self.visit_expr(&s.value);
                self.visit_expr(&s.slice);
            }
            Expr::Starred(s) => {
                invalid_target::starred_misplaced(self, range.clone());
                self.visit_expr(&s.value);
            }
            Expr::Name(n) => {
                let id = normalize(n.id.as_str()).into_owned();
                private_name::check(self, &id, range.clone(), "name");
                match n.ctx {
                    ast::ExprContext::Load => self.load_name(n.id.as_str(), range.clone()),
                    ast::ExprContext::Store => {
                        reserved_name::check(self, &id, range.clone());
                        self.scopes.bind(self.scope, &id, None);
                    }
                    ast::ExprContext::Del => self.scopes.bind(self.scope, &id, None),
                }
            }
            Expr::List(l) => self.visit_elts(&l.elts),
            Expr::Tuple(t) => self.visit_elts(&t.elts),
            Expr::Slice(s) => {
                self.visit_opt(s.lower.as_deref());
                self.visit_opt(s.upper.as_deref());
                self.visit_opt(s.step.as_deref());
            }
        }
        self.leave();
    }

    fn visit_attribute(&mut self, a: &ast::ExprAttribute, range: Range<usize>, called: bool) {
        let raw = a.attr.as_str();
        let attr = normalize(raw).into_owned();
        let attr_range = range.end.saturating_sub(raw.len()).max(range.start)..range.end;
        private_attribute::check(self, &attr, attr_range.clone());
        introspection_attribute::check(self, &attr, attr_range.clone());
        if matches!(a.ctx, ast::ExprContext::Load)
            && let Some((root, mut attrs)) = attribute_chain(&a.value)
        {
            attrs.push(attr);
            self.attr_refs.push(AttrRef {
                scope: self.scope,
                root,
                attrs,
                range,
                attr_range,
                called,
            });
        }
        self.visit_expr(&a.value);
    }

    fn visit_comprehension(&mut self, generators: &[ast::Comprehension], results: &[&Expr]) {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.in_scope(ScopeKind::Comprehension, |cx| {
            for (i, g) in generators.iter().enumerate() {
                if g.is_async {
                    let r = span(&g.target);
                    async_syntax::report(cx, r, "async for");
                }
                if i > 0 {
                    cx.visit_expr(&g.iter);
                }
                invalid_target::check_assign(cx, &g.target);
                cx.visit_target(&g.target);
                cx.visit_exprs(&g.ifs);
            }
            for e in results {
                cx.visit_expr(e);
            }
        });
    }

    // ---------------------------------------------------------------- resolution

    fn resolve_references(&mut self) {
        for r in std::mem::take(&mut self.name_refs) {
            if crate::names::is_private(&r.name) {
                continue; // already refused by SS102
            }
            if self.scopes.resolve(r.scope, &r.name) == Resolution::Unresolved {
                if forbidden_builtin::is_forbidden(&r.name) {
                    forbidden_builtin::report(self, &r.name, r.range);
                } else {
                    undefined_name::report(self, &r.name, r.range);
                }
            }
        }
        for a in std::mem::take(&mut self.attr_refs) {
            unknown_member::check(self, &a);
        }
    }
}

/// Longest attribute chain worth resolving against the sandbox (`frappe.db.get_value` is 3).
const MAX_CHAIN: usize = 16;

/// `frappe.db.get_value` → (`frappe`, [`db`, `get_value`]) when the chain is rooted at a
/// plain name; `None` for chains rooted at calls, subscripts, literals, or longer than
/// any sandbox path.
fn attribute_chain(mut expr: &Expr) -> Option<(String, Vec<String>)> {
    let mut attrs = Vec::new();
    loop {
        match expr {
            Expr::Name(n) => {
                attrs.reverse();
                return Some((normalize(n.id.as_str()).into_owned(), attrs));
            }
            Expr::Attribute(a) if attrs.len() < MAX_CHAIN => {
                attrs.push(normalize(a.attr.as_str()).into_owned());
                expr = &a.value;
            }
            _ => return None,
        }
    }
}
