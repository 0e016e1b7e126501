//! The serverscript runtime: what compiled scripts call into.
//!
//! - [`value`]: the 64-bit tagged value; [`heap`]: refcounted objects in a per-thread
//!   run heap (iterative frees, accounting, end-of-run sweep); [`object`]: one module per
//!   kind of object.
//! - [`ctx`]: the invocation context — pending exception, limits, debug log, messages,
//!   `frappe.response`/`flags`/`form_dict`.
//! - [`ops`]: Python semantics of operators, subscripts, attributes, iteration, calls;
//!   [`methods`]: methods of builtin values; [`format`]: string formatting.
//! - [`builtins`]: builtin functions, types and namespaces — one table entry each.
//! - [`abi`]: the `extern "C"` entry points compiled code calls, listed in one table.
//! - [`surface`]: every name a script can reach (read by the compiler).
//! - [`settings`]: the site's system settings (time zone, formats, URL).
//! - [`host`]: the site a script runs in (documents, queries, mail…), implemented by the
//!   server.

pub mod abi;
pub mod builtins;
pub mod ctx;
pub mod format;
pub mod heap;
pub mod host;
pub mod methods;
pub mod object;
pub mod ops;
pub mod settings;
pub mod surface;
pub mod value;

pub use ctx::{Ctx, Limits, PyResult, Raised};
pub use value::{Val, Value};
