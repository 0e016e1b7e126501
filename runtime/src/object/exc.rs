//! Exceptions: the class hierarchy (CPython's builtins and Frappe's `frappe.exceptions`)
//! and exception instances. Scripts cannot define classes, so the hierarchy is this
//! fixed table; a class is a static immediate holding its index.

use std::cell::RefCell;

use crate::heap::{self, Kind, Payload};
use crate::object::tuple;
use crate::value::{StaticKind, Val, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Module {
    Builtins,
    Frappe,
    /// `json.decoder` (`JSONDecodeError`, a ValueError).
    Json,
}

pub struct ExcClass {
    pub name: &'static str,
    pub parent: Option<&'static str>,
    pub module: Module,
    /// HTTP status Frappe answers when this escapes a request (inherited when `None`).
    pub http_status: Option<u16>,
}

const fn b(name: &'static str, parent: Option<&'static str>) -> ExcClass {
    ExcClass {
        name,
        parent,
        module: Module::Builtins,
        http_status: None,
    }
}

const fn f(name: &'static str, parent: &'static str, http_status: Option<u16>) -> ExcClass {
    ExcClass {
        name,
        parent: Some(parent),
        module: Module::Frappe,
        http_status,
    }
}

/// Parents refer to builtin classes by name, or to Frappe classes as `frappe.Name`.
pub static CLASSES: &[ExcClass] = &[
    b("BaseException", None),
    b("GeneratorExit", Some("BaseException")),
    b("KeyboardInterrupt", Some("BaseException")),
    b("SystemExit", Some("BaseException")),
    b("Exception", Some("BaseException")),
    b("ArithmeticError", Some("Exception")),
    b("FloatingPointError", Some("ArithmeticError")),
    b("OverflowError", Some("ArithmeticError")),
    b("ZeroDivisionError", Some("ArithmeticError")),
    b("AssertionError", Some("Exception")),
    b("AttributeError", Some("Exception")),
    b("BufferError", Some("Exception")),
    b("EOFError", Some("Exception")),
    b("ImportError", Some("Exception")),
    b("ModuleNotFoundError", Some("ImportError")),
    b("LookupError", Some("Exception")),
    b("IndexError", Some("LookupError")),
    b("KeyError", Some("LookupError")),
    b("MemoryError", Some("Exception")),
    b("NameError", Some("Exception")),
    b("UnboundLocalError", Some("NameError")),
    b("OSError", Some("Exception")),
    b("FileNotFoundError", Some("OSError")),
    b("TimeoutError", Some("OSError")),
    b("ReferenceError", Some("Exception")),
    b("RuntimeError", Some("Exception")),
    b("NotImplementedError", Some("RuntimeError")),
    b("RecursionError", Some("RuntimeError")),
    b("StopIteration", Some("Exception")),
    b("SyntaxError", Some("Exception")),
    b("IndentationError", Some("SyntaxError")),
    b("TabError", Some("IndentationError")),
    b("SystemError", Some("Exception")),
    b("TypeError", Some("Exception")),
    b("ValueError", Some("Exception")),
    b("UnicodeError", Some("ValueError")),
    ExcClass {
        name: "JSONDecodeError",
        parent: Some("ValueError"),
        module: Module::Json,
        http_status: None,
    },
    b("UnicodeDecodeError", Some("UnicodeError")),
    b("UnicodeEncodeError", Some("UnicodeError")),
    b("UnicodeTranslateError", Some("UnicodeError")),
    b("Warning", Some("Exception")),
    b("BytesWarning", Some("Warning")),
    b("DeprecationWarning", Some("Warning")),
    b("FutureWarning", Some("Warning")),
    b("ImportWarning", Some("Warning")),
    b("PendingDeprecationWarning", Some("Warning")),
    b("RuntimeWarning", Some("Warning")),
    b("SyntaxWarning", Some("Warning")),
    b("UnicodeWarning", Some("Warning")),
    b("UserWarning", Some("Warning")),
    // Raised when a script exceeds its time budget. A BaseException, like
    // KeyboardInterrupt, so `except Exception:` does not swallow it; and the context
    // keeps raising it at every loop and call once the budget is spent.
    b("TimeLimitExceeded", Some("BaseException")),
    // werkzeug's NotFound, which Frappe re-exports
    ExcClass {
        name: "HTTPException",
        parent: Some("Exception"),
        module: Module::Frappe,
        http_status: None,
    },
    f("NotFound", "frappe.HTTPException", Some(404)),
    // frappe.exceptions
    f("SiteNotSpecifiedError", "Exception", None),
    f("ValidationError", "Exception", Some(417)),
    f("AuthenticationError", "Exception", Some(401)),
    f("SessionExpired", "Exception", Some(401)),
    f("PermissionError", "Exception", Some(403)),
    f("DoesNotExistError", "frappe.ValidationError", Some(404)),
    f("PageDoesNotExistError", "frappe.ValidationError", Some(404)),
    f("NameError", "Exception", Some(409)),
    f("OutgoingEmailError", "Exception", Some(501)),
    f("SessionStopped", "Exception", Some(503)),
    f("UnsupportedMediaType", "Exception", Some(415)),
    f("RequestToken", "Exception", Some(200)),
    f("Redirect", "Exception", Some(301)),
    f("CSRFTokenError", "Exception", Some(400)),
    f("TooManyRequestsError", "Exception", Some(429)),
    f("ImproperDBConfigurationError", "Exception", None),
    f("DuplicateEntryError", "frappe.NameError", None),
    f("DataError", "frappe.ValidationError", None),
    f("UnknownDomainError", "Exception", None),
    f("MappingMismatchError", "frappe.ValidationError", None),
    f("InvalidStatusError", "frappe.ValidationError", None),
    f("MandatoryError", "frappe.ValidationError", None),
    f("NonNegativeError", "frappe.ValidationError", None),
    f("InvalidSignatureError", "frappe.ValidationError", None),
    f(
        "RateLimitExceededError",
        "frappe.ValidationError",
        Some(429),
    ),
    f("CannotChangeConstantError", "frappe.ValidationError", None),
    f(
        "CharacterLengthExceededError",
        "frappe.ValidationError",
        None,
    ),
    f("UpdateAfterSubmitError", "frappe.ValidationError", None),
    f("LinkValidationError", "frappe.ValidationError", None),
    f("CancelledLinkError", "frappe.LinkValidationError", None),
    f("DocstatusTransitionError", "frappe.ValidationError", None),
    f("TimestampMismatchError", "frappe.ValidationError", None),
    f("EmptyTableError", "frappe.ValidationError", None),
    f("LinkExistsError", "frappe.ValidationError", None),
    f("InvalidEmailAddressError", "frappe.ValidationError", None),
    f("InvalidNameError", "frappe.ValidationError", None),
    f("InvalidPhoneNumberError", "frappe.ValidationError", None),
    f("TemplateNotFoundError", "frappe.ValidationError", None),
    f("UniqueValidationError", "frappe.ValidationError", None),
    f("AppNotInstalledError", "frappe.ValidationError", None),
    f("IncorrectSitePath", "frappe.NotFound", None),
    f("ImplicitCommitError", "frappe.ValidationError", None),
    f("RetryBackgroundJobError", "Exception", None),
    f("DocumentLockedError", "frappe.ValidationError", None),
    f("CircularLinkingError", "frappe.ValidationError", None),
    f("SecurityException", "Exception", None),
    f("InvalidColumnName", "frappe.ValidationError", None),
    f("IncompatibleApp", "frappe.ValidationError", None),
    f("InvalidDates", "frappe.ValidationError", None),
    f("DataTooLongException", "frappe.ValidationError", None),
    f("FileAlreadyAttachedException", "Exception", None),
    f("DocumentAlreadyRestored", "frappe.ValidationError", None),
    f("AttachmentLimitReached", "frappe.ValidationError", None),
    f("QueryTimeoutError", "Exception", None),
    f("QueryDeadlockError", "Exception", None),
    f("InReadOnlyMode", "frappe.ValidationError", Some(503)),
    f("SessionBootFailed", "frappe.ValidationError", Some(500)),
    f("PrintFormatError", "frappe.ValidationError", None),
    f("TooManyWritesError", "Exception", None),
    f("InvalidAuthorizationHeader", "frappe.CSRFTokenError", None),
    f("InvalidAuthorizationPrefix", "frappe.CSRFTokenError", None),
    f("InvalidAuthorizationToken", "frappe.CSRFTokenError", None),
    f("InvalidDatabaseFile", "frappe.ValidationError", None),
    f("ExecutableNotFound", "FileNotFoundError", None),
    f("InvalidRoundingMethod", "FileNotFoundError", None),
    f("InvalidRemoteException", "Exception", None),
    f("LinkExpired", "frappe.ValidationError", Some(410)),
    f("CommandFailedError", "Exception", None),
    f("DatabaseModificationError", "Exception", None),
    f("UrlSchemeNotSupported", "Exception", None),
    f("FrappeTypeError", "frappe.ValidationError", Some(417)),
    f(
        "ServerScriptNotEnabled",
        "frappe.PermissionError",
        Some(403),
    ),
];

/// Builtin names that are aliases of another class (`IOError is OSError`).
const ALIASES: &[(&str, &str)] = &[("IOError", "OSError"), ("EnvironmentError", "OSError")];

/// The class id of a builtin exception name (`KeyError`) or, with `frappe.`, of a Frappe
/// one (`frappe.ValidationError`).
pub fn class_id(qualified: &str) -> Option<u32> {
    let (module, name) = match qualified.strip_prefix("frappe.") {
        Some(n) => (Module::Frappe, n),
        None if qualified == "json.JSONDecodeError" => (Module::Json, "JSONDecodeError"),
        None => (
            Module::Builtins,
            ALIASES
                .iter()
                .find(|(a, _)| *a == qualified)
                .map(|(_, t)| *t)
                .unwrap_or(qualified),
        ),
    };
    CLASSES
        .iter()
        .position(|c| c.name == name && c.module == module)
        .map(|i| i as u32)
}

/// Well-known class ids, resolved once.
pub mod ids {
    use std::sync::LazyLock;

    macro_rules! ids {
        ($($ident:ident = $name:literal),* $(,)?) => {
            $(pub static $ident: LazyLock<u32> = LazyLock::new(|| super::class_id($name).expect($name));)*
        };
    }
    ids! {
        BASE_EXCEPTION = "BaseException", EXCEPTION = "Exception",
        TYPE_ERROR = "TypeError", VALUE_ERROR = "ValueError", KEY_ERROR = "KeyError",
        INDEX_ERROR = "IndexError", ZERO_DIVISION_ERROR = "ZeroDivisionError",
        OVERFLOW_ERROR = "OverflowError", ATTRIBUTE_ERROR = "AttributeError",
        NAME_ERROR = "NameError", UNBOUND_LOCAL_ERROR = "UnboundLocalError",
        MEMORY_ERROR = "MemoryError", RECURSION_ERROR = "RecursionError",
        RUNTIME_ERROR = "RuntimeError", STOP_ITERATION = "StopIteration",
        ASSERTION_ERROR = "AssertionError", IMPORT_ERROR = "ImportError",
        SYSTEM_ERROR = "SystemError", NOT_IMPLEMENTED_ERROR = "NotImplementedError",
        TIME_LIMIT_EXCEEDED = "TimeLimitExceeded", LOOKUP_ERROR = "LookupError",
        VALIDATION_ERROR = "frappe.ValidationError", PERMISSION_ERROR = "frappe.PermissionError",
        DOES_NOT_EXIST_ERROR = "frappe.DoesNotExistError",
    }
}

pub fn class(id: u32) -> &'static ExcClass {
    &CLASSES[id as usize]
}

fn parent_id(id: u32) -> Option<u32> {
    class(id)
        .parent
        .map(|p| class_id(p).expect("exception parent names resolve"))
}

/// Whether class `sub` is `sup` or derives from it.
pub fn is_subclass(mut sub: u32, sup: u32) -> bool {
    loop {
        if sub == sup {
            return true;
        }
        match parent_id(sub) {
            Some(p) => sub = p,
            None => return false,
        }
    }
}

/// The HTTP status Frappe answers for this class (inherited; 500 by default).
pub fn http_status(mut id: u32) -> u16 {
    loop {
        if let Some(s) = class(id).http_status {
            return s;
        }
        match parent_id(id) {
            Some(p) => id = p,
            None => return 500,
        }
    }
}

/// `frappe.exceptions.ValidationError` / `KeyError`: how tracebacks name the class.
pub fn qualified_name(id: u32) -> String {
    let c = class(id);
    match c.module {
        Module::Builtins => c.name.to_string(),
        Module::Frappe => format!("frappe.exceptions.{}", c.name),
        Module::Json => format!("json.decoder.{}", c.name),
    }
}

pub fn class_value(id: u32) -> Value {
    Value::new_static(StaticKind::ExcClass, id)
}

pub struct ExcObj {
    pub class: u32,
    /// The constructor arguments (a tuple).
    pub args: Val,
    pub cause: RefCell<Option<Val>>,
    /// Script lines the exception passed through, innermost first.
    pub lines: RefCell<Vec<u32>>,
    /// Title given to `frappe.throw(..., title=...)`.
    pub title: RefCell<Option<String>>,
}

impl Payload for ExcObj {
    const KIND: Kind = Kind::Exception;
}

pub fn new(class: u32, args: Vec<Val>) -> Val {
    heap::alloc(ExcObj {
        class,
        args: tuple::new(args),
        cause: RefCell::new(None),
        lines: RefCell::new(Vec::new()),
        title: RefCell::new(None),
    })
}

pub fn get(v: Value) -> Option<&'static ExcObj> {
    heap::get::<ExcObj>(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parent_resolves_and_the_tree_is_acyclic() {
        for (i, c) in CLASSES.iter().enumerate() {
            if let Some(p) = c.parent {
                assert!(class_id(p).is_some(), "{} has unknown parent {p}", c.name);
            }
            assert!(
                is_subclass(i as u32, *ids::BASE_EXCEPTION),
                "{} not under BaseException",
                c.name
            );
        }
    }

    #[test]
    fn hierarchy_and_statuses_follow_python_and_frappe() {
        let id = |n| class_id(n).unwrap();
        assert!(is_subclass(id("KeyError"), id("LookupError")));
        assert!(is_subclass(
            id("frappe.MandatoryError"),
            id("frappe.ValidationError")
        ));
        assert!(is_subclass(
            id("frappe.DuplicateEntryError"),
            id("frappe.NameError")
        ));
        assert!(!is_subclass(id("frappe.NameError"), id("NameError")));
        assert_eq!(class_id("IOError"), class_id("OSError"));
        assert_eq!(http_status(id("frappe.MandatoryError")), 417);
        assert_eq!(http_status(id("frappe.DoesNotExistError")), 404);
        assert_eq!(http_status(id("frappe.DuplicateEntryError")), 409);
        assert_eq!(http_status(id("frappe.ServerScriptNotEnabled")), 403);
        assert_eq!(http_status(id("ZeroDivisionError")), 500);
        assert!(!is_subclass(id("TimeLimitExceeded"), id("Exception")));
        assert_eq!(
            qualified_name(id("frappe.ValidationError")),
            "frappe.exceptions.ValidationError"
        );
    }
}
