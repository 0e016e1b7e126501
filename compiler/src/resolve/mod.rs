//! Name resolution with Python's scoping rules.
//!
//! The checker records every binding (assignment, parameter, import, `def`, loop target,
//! `except … as`) into the scope it belongs to while it walks the script, and every name
//! load for later. Once the walk is over, each load resolves in the usual Python order:
//! the scope's own bindings, enclosing function scopes, module globals, then the sandbox
//! (implicit locals such as `doc`, sandbox globals such as `frappe`, builtins).
//!
//! Unlike Frappe (issue frappe#21815) functions always see module-level names, in every
//! script type: DocType Event scripts are compiled like API scripts.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serverscript_runtime::surface::{self, GlobalName, ScriptType};

pub type ScopeId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Function,
    Lambda,
    Comprehension,
    /// Refused by policy (SS106); still scoped so the rest of the script checks sanely.
    Class,
}

#[derive(Clone, Debug, Default)]
pub struct Binding {
    /// The sandbox path this name is bound to when *every* binding of it is an import of
    /// that path (`from frappe.utils import flt` → `frappe.utils.flt`).
    pub import_of: Option<String>,
    /// Whether some binding is not an import (then `import_of` is ignored).
    pub reassigned: bool,
    pub is_parameter: bool,
}

#[derive(Clone, Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    pub bindings: HashMap<String, Binding>,
    /// Names declared `global` in this scope.
    pub global_decls: HashSet<String>,
    /// Names this scope has loaded or bound so far, in source order (for SS010).
    pub seen: HashSet<String>,
}

impl Scope {
    fn new(kind: ScopeKind, parent: Option<ScopeId>) -> Self {
        Scope {
            kind,
            parent,
            bindings: HashMap::new(),
            global_decls: HashSet::new(),
            seen: HashSet::new(),
        }
    }
}

/// What a name refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// A local of a function, lambda or comprehension scope (possibly an enclosing one).
    Local(ScopeId),
    /// A module-level variable of the script.
    Module,
    /// An import of a sandbox path that is never rebound.
    Import(String),
    /// Provided by the sandbox: builtin, sandbox global or implicit local.
    Surface(GlobalName),
    /// Bound nowhere: NameError at run time.
    Unresolved,
}

#[derive(Clone, Debug)]
pub struct ScopeTree {
    pub scopes: Vec<Scope>,
    pub script_type: ScriptType,
}

pub const MODULE: ScopeId = 0;

impl ScopeTree {
    pub fn new(script_type: ScriptType) -> Self {
        ScopeTree {
            scopes: vec![Scope::new(ScopeKind::Module, None)],
            script_type,
        }
    }

    pub fn push(&mut self, kind: ScopeKind, parent: ScopeId) -> ScopeId {
        self.scopes.push(Scope::new(kind, Some(parent)));
        self.scopes.len() - 1
    }

    pub fn kind(&self, id: ScopeId) -> ScopeKind {
        self.scopes[id].kind
    }

    pub fn parent(&self, id: ScopeId) -> Option<ScopeId> {
        self.scopes[id].parent
    }

    /// The scope a binding made in `id` lands in: `global` declarations send it to the
    /// module.
    fn binding_scope(&self, id: ScopeId, name: &str) -> ScopeId {
        if self.scopes[id].global_decls.contains(name) {
            MODULE
        } else {
            id
        }
    }

    /// Records a binding of `name` in scope `id`; `import_of` is the sandbox path for
    /// import bindings.
    pub fn bind(&mut self, id: ScopeId, name: &str, import_of: Option<String>) {
        self.scopes[id].seen.insert(name.to_string());
        let target = self.binding_scope(id, name);
        let b = self.scopes[target]
            .bindings
            .entry(name.to_string())
            .or_default();
        match import_of {
            Some(path)
                if !b.reassigned
                    && (b.import_of.is_none() || b.import_of.as_deref() == Some(&path)) =>
            {
                b.import_of = Some(path);
            }
            _ => {
                b.reassigned = true;
                b.import_of = None;
            }
        }
    }

    pub fn bind_parameter(&mut self, id: ScopeId, name: &str) {
        self.bind(id, name, None);
        if let Some(b) = self.scopes[id].bindings.get_mut(name) {
            b.is_parameter = true;
        }
    }

    /// Records a load of `name` in scope `id` (for the `global` ordering rule).
    pub fn mark_seen(&mut self, id: ScopeId, name: &str) {
        self.scopes[id].seen.insert(name.to_string());
    }

    /// The nearest scope that is not a comprehension (where `:=` binds).
    pub fn walrus_scope(&self, mut id: ScopeId) -> ScopeId {
        while self.scopes[id].kind == ScopeKind::Comprehension {
            id = self.scopes[id].parent.unwrap_or(MODULE);
        }
        id
    }

    /// The nearest enclosing scope that is a function or lambda, if any.
    pub fn enclosing_function(&self, mut id: ScopeId) -> Option<ScopeId> {
        loop {
            match self.scopes[id].kind {
                ScopeKind::Function | ScopeKind::Lambda => return Some(id),
                ScopeKind::Module | ScopeKind::Class => return None,
                ScopeKind::Comprehension => id = self.scopes[id].parent?,
            }
        }
    }

    /// Resolves a load of `name` made in scope `from`.
    pub fn resolve(&self, from: ScopeId, name: &str) -> Resolution {
        let mut id = from;
        let mut innermost = true;
        loop {
            let scope = &self.scopes[id];
            if scope.global_decls.contains(name) {
                return self.resolve_module(name);
            }
            match scope.kind {
                ScopeKind::Module => return self.resolve_module(name),
                // class bodies are not visible from functions nested in them
                ScopeKind::Class if !innermost => {}
                _ => {
                    if let Some(b) = scope.bindings.get(name) {
                        return match &b.import_of {
                            Some(path) if !b.reassigned => Resolution::Import(path.clone()),
                            _ => Resolution::Local(id),
                        };
                    }
                }
            }
            innermost = false;
            id = scope.parent.unwrap_or(MODULE);
        }
    }

    fn resolve_module(&self, name: &str) -> Resolution {
        if let Some(b) = self.scopes[MODULE].bindings.get(name) {
            return match &b.import_of {
                Some(path) if !b.reassigned => Resolution::Import(path.clone()),
                _ => Resolution::Module,
            };
        }
        match surface::resolve_global(name, self.script_type) {
            Some(g) => Resolution::Surface(g),
            None => Resolution::Unresolved,
        }
    }

    /// The sandbox path a name refers to when it is a sandbox object (`frappe`, an import
    /// alias of `frappe.db`, …).
    pub fn surface_path(&self, from: ScopeId, name: &str) -> Option<String> {
        match self.resolve(from, name) {
            Resolution::Import(path) => Some(path),
            Resolution::Surface(GlobalName::Sandbox(_)) => Some(name.to_string()),
            _ => None,
        }
    }
}

/// A name load recorded during the walk, resolved when the walk is over.
#[derive(Clone, Debug)]
pub struct NameRef {
    pub scope: ScopeId,
    pub name: String,
    pub range: Range<usize>,
}

/// An attribute chain rooted at a name (`frappe.db.commit`), recorded for member checks.
#[derive(Clone, Debug)]
pub struct AttrRef {
    pub scope: ScopeId,
    pub root: String,
    /// Attribute names after the root, outermost last.
    pub attrs: Vec<String>,
    /// Range of the whole chain expression.
    pub range: Range<usize>,
    /// Range of the last attribute name.
    pub attr_range: Range<usize>,
    /// Whether the chain is called (`frappe.x()` vs `frappe.x`).
    pub called: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_see_module_names_and_sandbox() {
        let mut t = ScopeTree::new(ScriptType::DocEvent);
        t.bind(MODULE, "total", None);
        let f = t.push(ScopeKind::Function, MODULE);
        assert_eq!(t.resolve(f, "total"), Resolution::Module);
        assert_eq!(
            t.resolve(f, "doc"),
            Resolution::Surface(GlobalName::Implicit)
        );
        assert_eq!(t.resolve(f, "nope"), Resolution::Unresolved);
    }

    #[test]
    fn global_declarations_bind_in_the_module() {
        let mut t = ScopeTree::new(ScriptType::Api);
        let f = t.push(ScopeKind::Function, MODULE);
        t.scopes[f].global_decls.insert("counter".into());
        t.bind(f, "counter", None);
        assert_eq!(t.resolve(MODULE, "counter"), Resolution::Module);
        assert_eq!(t.resolve(f, "counter"), Resolution::Module);
    }

    #[test]
    fn imports_resolve_to_sandbox_paths_until_rebound() {
        let mut t = ScopeTree::new(ScriptType::Api);
        t.bind(MODULE, "flt", Some("frappe.utils.flt".into()));
        assert_eq!(
            t.resolve(MODULE, "flt"),
            Resolution::Import("frappe.utils.flt".into())
        );
        t.bind(MODULE, "flt", None);
        assert_eq!(t.resolve(MODULE, "flt"), Resolution::Module);
    }

    #[test]
    fn class_bodies_are_invisible_to_nested_functions() {
        let mut t = ScopeTree::new(ScriptType::Api);
        let c = t.push(ScopeKind::Class, MODULE);
        t.bind(c, "x", None);
        let f = t.push(ScopeKind::Function, c);
        assert_eq!(t.resolve(c, "x"), Resolution::Local(c));
        assert_eq!(t.resolve(f, "x"), Resolution::Unresolved);
    }
}
