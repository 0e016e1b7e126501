//! The one error type of the server. Every failure — a missing document, a mandatory
//! field, a wrong password, a broken database — becomes an [`Error`] naming a Frappe
//! exception class (or a builtin one for internal failures); [`crate::http::response`]
//! turns it into Frappe's body and status in one place.
//!
//! Like `frappe.throw`, most errors carry a message shown to the user (it goes into
//! `_server_messages`); some, like Frappe's bare `raise frappe.PermissionError`, carry none.

use serde_json::{Map, Value};

use serverscript_runtime::object::exc;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A message for the user (`frappe.msgprint`), in the order Frappe writes its keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub message: String,
    pub title: Option<String>,
    pub indicator: Option<String>,
    /// Set on the message that belongs to a raised exception.
    pub raise_exception: bool,
}

impl Msg {
    pub fn new(message: impl Into<String>) -> Msg {
        Msg {
            message: message.into(),
            title: None,
            indicator: None,
            raise_exception: false,
        }
    }

    /// The message of `frappe.throw`: red, titled "Message" unless told otherwise.
    pub fn thrown(message: impl Into<String>, title: Option<String>) -> Msg {
        Msg {
            message: message.into(),
            title: Some(title.unwrap_or_else(|| "Message".into())),
            indicator: Some("red".into()),
            raise_exception: true,
        }
    }

    /// The JSON object Frappe stores in its message log.
    pub fn to_json(&self, exc_id: Option<&str>) -> Value {
        let mut m = Map::new();
        m.insert("message".into(), self.message.clone().into());
        if let Some(t) = &self.title {
            m.insert("title".into(), t.clone().into());
        }
        if let Some(i) = &self.indicator {
            m.insert("indicator".into(), i.clone().into());
        }
        if self.raise_exception {
            m.insert("raise_exception".into(), 1.into());
            if let Some(id) = exc_id {
                m.insert("__frappe_exc_id".into(), id.into());
            }
        }
        Value::Object(m)
    }
}

/// An error: boxed, so `Result`s stay one word wide on the happy path.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<ErrorData>);

impl std::ops::Deref for Error {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorData {
    /// A Frappe exception class (`ValidationError`) or a builtin (`ValueError`).
    pub exc_type: String,
    /// The exception's text: `frappe.exceptions.<exc_type>: <text>`; empty for a bare raise.
    pub text: String,
    /// Messages shown to the user (`_server_messages`).
    pub messages: Vec<Msg>,
    /// Keys Frappe had written into the response before failing (`message` of a failed
    /// login, `_error_message` of a document permission failure).
    pub response: Map<String, Value>,
    /// Whether the body carries the traceback keys (`exception`, `exc`).
    pub traceback: bool,
    /// `_exc_source`: `Server Script` when a script raised it.
    pub source: Option<String>,
    /// The traceback lines shown in `exc` (a script's, or our one-line summary).
    pub trace: Option<String>,
}

impl Error {
    /// `frappe.throw(message, exc)`: the exception carries the message and the user sees it.
    pub fn throw(exc_type: &str, message: impl Into<String>) -> Error {
        let message = message.into();
        Error(Box::new(ErrorData {
            exc_type: exc_type.into(),
            text: message.clone(),
            messages: vec![Msg::thrown(message, None)],
            response: Map::new(),
            traceback: true,
            source: None,
            trace: None,
        }))
    }

    /// `frappe.throw(message, exc, title=...)`.
    pub fn throw_titled(exc_type: &str, message: impl Into<String>, title: &str) -> Error {
        let mut e = Error::throw(exc_type, message);
        e.messages[0].title = Some(title.into());
        e
    }

    /// `raise frappe.<exc_type>(text)` without a message for the user.
    pub fn raise(exc_type: &str, text: impl Into<String>) -> Error {
        Error(Box::new(ErrorData {
            exc_type: exc_type.into(),
            text: text.into(),
            messages: Vec::new(),
            response: Map::new(),
            traceback: true,
            source: None,
            trace: None,
        }))
    }

    pub fn validation(message: impl Into<String>) -> Error {
        Error::throw("ValidationError", message)
    }

    pub fn permission(message: impl Into<String>) -> Error {
        Error::throw("PermissionError", message)
    }

    /// `frappe.throw(_("{0} {1} not found"), DoesNotExistError)`.
    pub fn not_found(doctype: &str, name: &str) -> Error {
        Error::throw("DoesNotExistError", format!("{doctype} {name} not found"))
    }

    /// A failure of ours (database, I/O): a 500 with the cause in the text.
    pub fn internal(what: impl std::fmt::Display) -> Error {
        Error::raise("Exception", what.to_string())
    }

    /// Adds a key Frappe writes into the response before it fails.
    pub fn with_response(mut self, key: &str, value: impl Into<Value>) -> Error {
        self.response.insert(key.into(), value.into());
        self
    }

    pub fn without_traceback(mut self) -> Error {
        self.traceback = false;
        self
    }

    /// The class id in the runtime's exception table (one table for scripts and server).
    fn class_id(&self) -> Option<u32> {
        exc::class_id(&format!("frappe.{}", self.exc_type))
            .or_else(|| exc::class_id(&self.exc_type))
    }

    /// The HTTP status Frappe answers with (the class's, inherited; 500 by default).
    pub fn status(&self) -> u16 {
        self.class_id().map(exc::http_status).unwrap_or(500)
    }

    /// Whether this error is, or derives from, the given class (`is_a("ValidationError")`).
    pub fn is_a(&self, exc_type: &str) -> bool {
        match (
            self.class_id(),
            exc::class_id(&format!("frappe.{exc_type}")).or_else(|| exc::class_id(exc_type)),
        ) {
            (Some(a), Some(b)) => exc::is_subclass(a, b),
            _ => self.exc_type == exc_type,
        }
    }

    /// The last traceback line: `frappe.exceptions.PermissionError: Not permitted`.
    pub fn exception_line(&self) -> String {
        let qualified = match self.class_id() {
            Some(id) => exc::qualified_name(id),
            None => self.exc_type.clone(),
        };
        if self.text.is_empty() {
            qualified
        } else {
            format!("{qualified}: {}", self.text)
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.exception_line())
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        if let rusqlite::Error::SqliteFailure(f, _) = &e
            && matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            )
        {
            return Error::raise("QueryDeadlockError", e.to_string());
        }
        Error::internal(format!("database error: {e}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::internal(format!("I/O error: {e}"))
    }
}

impl From<Error> for serverscript_runtime::host::HostError {
    fn from(e: Error) -> Self {
        let e = *e.0;
        let mut h = serverscript_runtime::host::HostError::new(
            e.exc_type,
            e.messages
                .first()
                .map(|m| m.message.clone())
                .unwrap_or(e.text),
        );
        h.title = e.messages.first().and_then(|m| m.title.clone());
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_runtime_class_table() {
        assert_eq!(Error::validation("x").status(), 417);
        assert_eq!(Error::not_found("ToDo", "x").status(), 404);
        assert_eq!(Error::throw("DuplicateEntryError", "x").status(), 409);
        assert_eq!(Error::throw("MandatoryError", "x").status(), 417);
        assert_eq!(Error::throw("AuthenticationError", "x").status(), 401);
        assert_eq!(Error::permission("x").status(), 403);
        assert_eq!(Error::throw("CSRFTokenError", "x").status(), 400);
        assert_eq!(Error::internal("boom").status(), 500);
        assert_eq!(Error::raise("ValueError", "x").status(), 500);
    }

    #[test]
    fn exception_lines_name_the_frappe_module() {
        assert_eq!(
            Error::raise("PermissionError", "").exception_line(),
            "frappe.exceptions.PermissionError"
        );
        assert_eq!(
            Error::validation("Not allowed").exception_line(),
            "frappe.exceptions.ValidationError: Not allowed"
        );
        assert!(Error::throw("MandatoryError", "x").is_a("ValidationError"));
        assert!(!Error::permission("x").is_a("ValidationError"));
    }
}
