//! The resolved program the code generator consumes: every name already a local slot, a
//! cell, a global slot or a static sandbox value; constants interned; comprehensions
//! flattened into their function; each node tagged with its script line.

use num_bigint::BigInt;
use serverscript_runtime::object::func::Params;
use serverscript_runtime::ops::arith::{BinOp, UnaryOp};
use serverscript_runtime::ops::compare::CmpOp;

pub type ConstId = u32;
pub type FuncId = u32;

#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Str(String),
    Int(BigInt),
    Float(f64),
    /// A tuple of strings (keyword-argument names of a call).
    Names(Vec<String>),
}

#[derive(Debug)]
pub struct Module {
    /// `functions[0]` is the module body.
    pub functions: Vec<Function>,
    pub consts: Vec<Const>,
    /// Module-level names that functions read or write (`global` slots).
    pub global_names: Vec<String>,
    /// Implicit locals the runner binds before the body runs (`doc`, `user`…), by slot.
    pub implicit_globals: Vec<(String, u32)>,
}

#[derive(Debug)]
pub struct Function {
    pub name: String,
    pub line: u32,
    pub params: Params,
    /// Names of the local slots (parameters first, then locals, then hidden temporaries).
    pub local_names: Vec<String>,
    /// Which local slots hold a cell (captured by an inner function).
    pub cell_locals: Vec<bool>,
    /// Names of the closure cells this function receives, by index.
    pub free_names: Vec<String>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    Local(u32),
    Free(u32),
    Global(u32),
}

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub line: u32,
}

#[derive(Debug)]
pub enum CmpKind {
    Op(CmpOp),
    In,
    NotIn,
    Is,
    IsNot,
}

#[derive(Debug)]
pub enum Arg {
    Pos(Expr),
    Star(Expr),
}

#[derive(Debug)]
pub enum Kwarg {
    /// `name=value` (the name as a string constant).
    Named(ConstId, Expr),
    DoubleStar(Expr),
}

#[derive(Debug)]
pub enum Elt {
    One(Expr),
    Star(Expr),
}

#[derive(Debug)]
pub enum DictItem {
    Pair(Expr, Expr),
    Spread(Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompKind {
    List,
    Set,
    Dict,
    /// A generator expression, evaluated eagerly into a list iterator (see `compr.rs`).
    Gen,
}

#[derive(Debug)]
pub struct Generator {
    pub target: Target,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    /// Hidden local holding the iterator.
    pub iter_slot: u32,
}

#[derive(Debug)]
pub enum FPart {
    Lit(ConstId),
    Value {
        value: Expr,
        conversion: u32,
        spec: Option<Box<Expr>>,
    },
}

#[derive(Debug)]
pub enum ExprKind {
    None,
    True,
    False,
    /// A small int literal.
    Int(i64),
    Const(ConstId),
    /// A static immediate (builtin function, type, exception class, namespace).
    Static(u64),
    /// A sandbox value that needs the context (`frappe.response`) — path constant.
    Surface(ConstId),
    /// Load of a variable; the constant is its name, for NameError messages.
    Load(Var, ConstId),
    Unary(UnaryOp, Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Compare(Box<Expr>, Vec<(CmpKind, Expr)>),
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `kwnames` (a `Names` constant) is set when there is no `*`/`**` argument: the
    /// keyword values then follow the positional ones.
    Call {
        func: Box<Expr>,
        args: Vec<Arg>,
        kwargs: Vec<Kwarg>,
        kwnames: Option<ConstId>,
    },
    /// `obj.name(...)` without star arguments: no bound-method object is built.
    MethodCall {
        obj: Box<Expr>,
        name: ConstId,
        args: Vec<Expr>,
        kwargs: Vec<Expr>,
        kwnames: Option<ConstId>,
    },
    Attr(Box<Expr>, ConstId),
    Subscript(Box<Expr>, Box<Expr>),
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    List(Vec<Elt>),
    Tuple(Vec<Elt>),
    Set(Vec<Elt>),
    Dict(Vec<DictItem>),
    Comp {
        kind: CompKind,
        generators: Vec<Generator>,
        elt: Box<Expr>,
        /// The value of a dict comprehension.
        value: Option<Box<Expr>>,
        /// Hidden local holding the result being built.
        acc_slot: u32,
    },
    /// `def` or `lambda`: builds a function object.
    MakeFunction {
        func: FuncId,
        defaults: Vec<Expr>,
        kwdefaults: Vec<Option<Expr>>,
        closure: Vec<Var>,
    },
    FString(Vec<FPart>),
    Walrus(Var, ConstId, Box<Expr>),
}

#[derive(Debug)]
pub enum Target {
    Var(Var, ConstId),
    Attr(Expr, ConstId),
    Subscript(Expr, Expr),
    /// `a, *b, c = …`
    Unpack {
        before: Vec<Target>,
        star: Option<Box<Target>>,
        after: Vec<Target>,
    },
}

#[derive(Debug)]
pub struct Handler {
    /// The class (or tuple of classes) to match; `None` for a bare `except:`.
    pub class: Option<Expr>,
    /// `as name`.
    pub name: Option<(Var, ConstId)>,
    /// Hidden local holding the caught exception (for a bare `raise`).
    pub exc_slot: u32,
    pub body: Vec<Stmt>,
    pub line: u32,
}

#[derive(Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub line: u32,
}

#[derive(Debug)]
pub enum StmtKind {
    Expr(Expr),
    Assign(Vec<Target>, Expr),
    AugAssign(Target, BinOp, Expr),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    For {
        target: Target,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        iter_slot: u32,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    /// `raise exc from cause`; a bare `raise` re-raises the handler's exception slot.
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
        reraise_slot: Option<u32>,
    },
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
        finally_slot: u32,
    },
    Assert(Expr, Option<Expr>),
    Delete(Vec<Target>),
    Pass,
}
