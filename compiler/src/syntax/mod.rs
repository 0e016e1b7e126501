//! `SS0xx`: errors CPython itself reports before running a script — syntax errors, and
//! the compile-time checks CPython makes after parsing (`return` outside a function,
//! `break` outside a loop, assignment to a literal…) — plus the input limits that keep the
//! compiler fast on hostile input. One rule per file.

pub mod bare_except_not_last;
pub mod function_too_large;
pub mod global_declaration;
pub mod integer_literal_too_long;
pub mod invalid_encoding;
pub mod invalid_target;
pub mod loop_control_outside_loop;
pub mod nesting_too_deep;
pub mod null_byte;
pub mod return_outside_function;
pub mod source_too_large;
pub mod syntax_error;
