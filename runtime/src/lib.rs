//! The serverscript runtime: what compiled scripts call into.
//!
//! Today this crate holds the *surface*: the table of every name a script can reach
//! (builtins, sandbox globals, the `frappe` namespace tree). The compiler reads it to
//! resolve names and imports at compile time; the value model, builtins and the frappe
//! API implementations join it as the JIT lands.

pub mod surface;
