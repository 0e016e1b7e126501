//! The sandbox surface: every name a server script can reach, as data.
//!
//! The compiler resolves names and imports against this table at compile time (unknown
//! names become warnings, refused imports become errors); the runtime binds each entry to
//! an implementation. Sources: Frappe's `get_safe_globals()` as summarised in
//! `shared/reference/frappe-behaviour.md` §3–§4, plus the few additions DESIGN.md makes on
//! purpose (safe `getattr`/`hasattr`, `map`/`filter`/`reversed`…).
//!
//! Adding a name is one line in one of the tables below.

use std::fmt;

/// The four kinds of Server Script. Which names exist depends on it (`doc` only in
/// DocType Event scripts; `frappe.db.commit` absent there, as in Frappe).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScriptType {
    DocEvent,
    Api,
    Scheduler,
    PermissionQuery,
}

impl ScriptType {
    pub const ALL: [ScriptType; 4] = [
        ScriptType::DocEvent,
        ScriptType::Api,
        ScriptType::Scheduler,
        ScriptType::PermissionQuery,
    ];

    /// The CLI spelling (`--type doc-event`).
    pub fn cli_name(self) -> &'static str {
        match self {
            ScriptType::DocEvent => "doc-event",
            ScriptType::Api => "api",
            ScriptType::Scheduler => "scheduler",
            ScriptType::PermissionQuery => "permission-query",
        }
    }

    /// Frappe's `script_type` label.
    pub fn frappe_label(self) -> &'static str {
        match self {
            ScriptType::DocEvent => "DocType Event",
            ScriptType::Api => "API",
            ScriptType::Scheduler => "Scheduler Event",
            ScriptType::PermissionQuery => "Permission Query",
        }
    }

    /// Accepts the CLI spelling, Frappe's label, and the short forms used in the shared
    /// workloads and hostile corpus (`doc_event`, `api`, …).
    pub fn parse(s: &str) -> Option<ScriptType> {
        let norm: String = s
            .trim()
            .chars()
            .map(|c| {
                if c == '_' || c == ' ' {
                    '-'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        match norm.as_str() {
            "doc-event" | "doctype-event" | "docevent" => Some(ScriptType::DocEvent),
            "api" => Some(ScriptType::Api),
            "scheduler" | "scheduler-event" => Some(ScriptType::Scheduler),
            "permission-query" | "permission" => Some(ScriptType::PermissionQuery),
            _ => None,
        }
    }
}

impl fmt::Display for ScriptType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

/// What a name in the surface is, which decides how attribute access on it resolves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A namespace with a fixed member list (`frappe`, `frappe.db`, `json`): an unknown
    /// member is an `AttributeError` when called (Frappe's NamespaceDict behaviour).
    Namespace,
    /// A `_dict` with known members (`frappe.utils`, `frappe.session`): an unknown member
    /// reads as `None`.
    Record,
    /// Request/response data with arbitrary keys (`frappe.form_dict`, `frappe.flags`).
    Data,
    Function,
    /// A class that can be called or used with `isinstance` (`_dict`, `dict`).
    Class,
    /// An exception class (`frappe.ValidationError`, `KeyError`).
    Exception,
    /// A plain value (`frappe.user`, `frappe.date_format`).
    Value,
}

impl Kind {
    /// Whether attribute access on a value of this kind is checked against the table.
    pub fn has_fixed_members(self) -> bool {
        matches!(self, Kind::Namespace | Kind::Record)
    }
}

/// Python builtins a script may call. Frappe offers fewer (no `getattr`, `map`, …); we
/// offer these on purpose because they are safe over our value model.
#[rustfmt::skip]
pub const BUILTIN_FUNCTIONS: &[&str] = &[
    "abs", "all", "any", "ascii", "bin", "bool", "callable", "chr", "dict", "divmod",
    "enumerate", "filter", "float", "format", "frozenset", "getattr", "hasattr", "hash", "hex",
    "int", "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "next",
    "oct", "ord", "pow", "print", "range", "repr", "reversed", "round", "set", "slice",
    "sorted", "str", "sum", "tuple", "zip",
];

/// Builtin constants.
pub const BUILTIN_CONSTANTS: &[&str] = &["None", "True", "False", "Ellipsis"];

/// Builtin exception classes (RestrictedPython's `safe_builtins` set, which Frappe uses).
#[rustfmt::skip]
pub const BUILTIN_EXCEPTIONS: &[&str] = &[
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BufferError",
    "BytesWarning", "DeprecationWarning", "EOFError", "EnvironmentError", "Exception",
    "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError", "ImportError",
    "ImportWarning", "IndentationError", "IndexError", "KeyError", "KeyboardInterrupt",
    "LookupError", "MemoryError", "NameError", "NotImplementedError", "OSError",
    "OverflowError", "PendingDeprecationWarning", "RecursionError", "ReferenceError",
    "RuntimeError", "RuntimeWarning", "StopIteration", "SyntaxError", "SyntaxWarning",
    "SystemError", "SystemExit", "TabError", "TimeoutError", "TypeError",
    "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError",
    "UnicodeTranslateError", "UnicodeWarning", "UserWarning", "ValueError", "Warning",
    "ZeroDivisionError",
];

/// Python builtins that exist in CPython but are refused at compile time (policy rule
/// SS105): each one either executes code, reaches the interpreter, or walks the object
/// graph. The reason is shown in the diagnostic.
pub const FORBIDDEN_BUILTINS: &[(&str, &str)] = &[
    ("eval", "it executes a string as code"),
    ("exec", "it executes a string as code"),
    ("compile", "it turns a string into code"),
    ("open", "server scripts have no file system access"),
    ("input", "server scripts have no console"),
    ("breakpoint", "server scripts have no debugger"),
    (
        "globals",
        "it exposes the script's namespace as a mutable dict",
    ),
    (
        "locals",
        "it exposes the script's namespace as a mutable dict",
    ),
    ("vars", "it exposes an object's internal namespace"),
    ("setattr", "it writes attributes by computed name"),
    ("delattr", "it deletes attributes by computed name"),
    (
        "type",
        "it returns class objects, the start of every introspection escape",
    ),
    ("__import__", "it imports arbitrary modules"),
    ("memoryview", "it exposes raw memory buffers"),
    ("super", "classes are not part of the script language"),
    ("object", "classes are not part of the script language"),
];

/// Help text for a refused builtin: what to write instead.
pub fn forbidden_builtin_help(name: &str) -> &'static str {
    match name {
        "type" => {
            "use `isinstance(value, str)` (or `int`, `float`, `list`, `dict`, …) to test a type"
        }
        "setattr" => {
            "assign the attribute directly (`doc.status = value`) or use `doc.set(fieldname, value)`"
        }
        "delattr" => "set the field to None (`doc.set(fieldname, None)`)",
        "eval" | "exec" | "compile" => {
            "write the logic directly in the script; to reuse code, call another API script with `run_script(name)`"
        }
        "globals" | "locals" | "vars" => {
            "refer to variables by name; use a dict if you need a computed key"
        }
        "open" => {
            "store data in documents (`frappe.get_doc`, `frappe.db.set_value`) instead of files"
        }
        "input" | "breakpoint" => "use `print(...)`; its output appears in the debug log",
        _ => "remove this call; it has no equivalent in server scripts",
    }
}

/// Globals every script sees besides the builtins (Frappe's `get_safe_globals()` top level).
pub const SANDBOX_GLOBALS: &[(&str, Kind)] = &[
    ("frappe", Kind::Namespace),
    ("json", Kind::Namespace),
    ("_dict", Kind::Class),
    ("_", Kind::Function),
    ("as_json", Kind::Function),
    ("log", Kind::Function),
    ("args", Kind::Data),
    ("style", Kind::Record),
    ("scrub", Kind::Function),
    ("guess_mimetype", Kind::Function),
    ("html2text", Kind::Function),
    ("dev_server", Kind::Value),
    ("run_script", Kind::Function),
    ("is_job_queued", Kind::Function),
];

/// Names bound only in some script types (Frappe passes them as locals).
pub fn implicit_locals(script_type: ScriptType) -> &'static [&'static str] {
    match script_type {
        ScriptType::DocEvent => &["doc"],
        ScriptType::PermissionQuery => &["user", "conditions"],
        ScriptType::Api | ScriptType::Scheduler => &[],
    }
}

/// Every implicit local of any script type, with the types that have it (for help texts).
pub fn implicit_local_owner(name: &str) -> Option<ScriptType> {
    ScriptType::ALL
        .into_iter()
        .find(|t| implicit_locals(*t).contains(&name))
}

/// Members of the namespaces and records reachable from the sandbox globals, as dotted
/// paths. Exception classes are listed separately in [`FRAPPE_EXCEPTIONS`].
pub const MEMBERS: &[(&str, Kind)] = &[
    // --- frappe: request / session context
    ("frappe.form_dict", Kind::Data),
    ("frappe.request", Kind::Data),
    ("frappe.response", Kind::Data),
    ("frappe.flags", Kind::Data),
    ("frappe.session", Kind::Record),
    ("frappe.session.user", Kind::Value),
    ("frappe.session.csrf_token", Kind::Value),
    ("frappe.user", Kind::Value),
    ("frappe.full_name", Kind::Value),
    ("frappe.lang", Kind::Value),
    ("frappe.socketio_port", Kind::Value),
    ("frappe.date_format", Kind::Value),
    ("frappe.time_format", Kind::Value),
    ("frappe.number_format", Kind::Value),
    ("frappe._dict", Kind::Class),
    ("frappe._", Kind::Function),
    // --- frappe: documents
    ("frappe.get_doc", Kind::Function),
    ("frappe.new_doc", Kind::Function),
    ("frappe.get_last_doc", Kind::Function),
    ("frappe.get_cached_doc", Kind::Function),
    ("frappe.get_mapped_doc", Kind::Function),
    ("frappe.copy_doc", Kind::Function),
    ("frappe.get_meta", Kind::Function),
    ("frappe.rename_doc", Kind::Function),
    ("frappe.delete_doc", Kind::Function),
    ("frappe.get_list", Kind::Function),
    ("frappe.get_all", Kind::Function),
    ("frappe.get_system_settings", Kind::Function),
    ("frappe.get_roles", Kind::Function),
    ("frappe.has_permission", Kind::Function),
    // --- frappe: messages, errors, logging
    ("frappe.msgprint", Kind::Function),
    ("frappe.throw", Kind::Function),
    ("frappe.errprint", Kind::Function),
    ("frappe.log", Kind::Function),
    ("frappe.log_error", Kind::Function),
    ("frappe.bold", Kind::Function),
    // --- frappe: formatting, templates, misc
    ("frappe.format", Kind::Function),
    ("frappe.format_value", Kind::Function),
    ("frappe.format_date", Kind::Function),
    ("frappe.render_template", Kind::Function),
    ("frappe.get_url", Kind::Function),
    ("frappe.get_fullname", Kind::Function),
    ("frappe.get_gravatar", Kind::Function),
    ("frappe.sanitize_html", Kind::Function),
    ("frappe.get_hooks", Kind::Function),
    ("frappe.as_json", Kind::Function),
    ("frappe.parse_json", Kind::Function),
    ("frappe.generate_hash", Kind::Function),
    // --- frappe: email, print, HTTP, jobs
    ("frappe.sendmail", Kind::Function),
    ("frappe.get_print", Kind::Function),
    ("frappe.attach_print", Kind::Function),
    ("frappe.make_get_request", Kind::Function),
    ("frappe.make_post_request", Kind::Function),
    ("frappe.make_put_request", Kind::Function),
    ("frappe.make_patch_request", Kind::Function),
    ("frappe.make_delete_request", Kind::Function),
    ("frappe.enqueue", Kind::Function),
    ("frappe.call", Kind::Function),
    // --- frappe.website
    ("frappe.website", Kind::Namespace),
    ("frappe.website.abs_url", Kind::Function),
    ("frappe.website.extract_title", Kind::Function),
    ("frappe.website.get_boot_data", Kind::Function),
    ("frappe.website.get_home_page", Kind::Function),
    // --- frappe.db
    ("frappe.db", Kind::Namespace),
    ("frappe.db.get_list", Kind::Function),
    ("frappe.db.get_all", Kind::Function),
    ("frappe.db.get_value", Kind::Function),
    ("frappe.db.set_value", Kind::Function),
    ("frappe.db.get_single_value", Kind::Function),
    ("frappe.db.get_default", Kind::Function),
    ("frappe.db.exists", Kind::Function),
    ("frappe.db.count", Kind::Function),
    ("frappe.db.escape", Kind::Function),
    ("frappe.db.sql", Kind::Function),
    ("frappe.db.commit", Kind::Function),
    ("frappe.db.rollback", Kind::Function),
    ("frappe.db.add_index", Kind::Function),
    ("frappe.db.after_commit", Kind::Data),
    ("frappe.db.before_commit", Kind::Data),
    ("frappe.db.after_rollback", Kind::Data),
    ("frappe.db.before_rollback", Kind::Data),
    // --- frappe.qb (query builder; reads only)
    ("frappe.qb", Kind::Data),
    // --- frappe.utils (a `_dict`: unknown names read as None)
    ("frappe.utils", Kind::Record),
    // --- json
    ("json.loads", Kind::Function),
    ("json.dumps", Kind::Function),
    // --- style
    ("style.border_color", Kind::Value),
];

/// `frappe.utils` members: the date/number/text helpers of `frappe/utils/data.py`
/// (develop 2025), plus `parse_json`, `sha256_hash`, `orjson_dumps` (develop, late 2025).
#[rustfmt::skip]
pub const FRAPPE_UTILS: &[&str] = &[
    "DATE_FORMAT", "TIME_FORMAT", "DATETIME_FORMAT", "is_invalid_date_string", "getdate",
    "get_datetime", "to_timedelta", "get_timedelta", "add_to_date", "add_days", "add_months",
    "add_years", "date_diff", "month_diff", "time_diff", "time_diff_in_seconds",
    "time_diff_in_hours", "now_datetime", "get_timestamp", "get_eta", "get_system_timezone",
    "convert_utc_to_system_timezone", "now", "nowdate", "today", "nowtime", "get_first_day",
    "get_quarter_start", "get_quarter_ending", "get_first_day_of_week", "get_year_start",
    "get_year_ending", "get_last_day_of_week", "get_last_day", "get_time",
    "get_datetime_in_timezone", "get_datetime_str", "get_date_str", "get_time_str",
    "get_user_date_format", "get_user_time_format", "format_date", "format_time",
    "format_datetime", "format_duration", "get_weekdays", "get_weekday",
    "get_timespan_date_range", "global_date_format", "has_common", "flt", "cint", "floor",
    "ceil", "cstr", "rounded", "remainder", "safe_div",
    "round_based_on_smallest_currency_fraction", "encode", "parse_val", "fmt_money",
    "get_number_format_info", "money_in_words", "in_words", "is_html", "is_image",
    "get_thumbnail_base64_for_image", "image_to_base64", "pdf_to_base64", "strip_html",
    "escape_html", "pretty_date", "comma_or", "comma_and", "comma_sep", "new_line_sep",
    "filter_strip_join", "add_trackers_to_url", "parse_and_map_trackers_from_url",
    "map_trackers", "get_url", "get_host_name_from_request", "url_contains_port",
    "get_host_name", "get_link_to_form", "get_link_to_report", "get_absolute_url",
    "get_url_to_form", "get_url_to_list", "get_url_to_report", "get_url_to_report_with_filters",
    "evaluate_filters", "compare", "get_filter", "make_filter_tuple", "make_filter_dict",
    "sanitize_column", "scrub_urls", "expand_relative_urls", "quoted", "quote_urls", "unique",
    "strip", "to_markdown", "md_to_html", "markdown", "is_subset", "generate_hash",
    "formatdate", "get_user_info_for_avatar", "get_abbr", "get_month", "sha256_hash",
    "parse_json", "orjson_dumps",
];

/// Exception classes exposed as `frappe.<Name>` (every class of `frappe.exceptions`), with
/// the HTTP status Frappe answers when one escapes a request. `None` = inherits: 417 for
/// ValidationError subclasses, else 500.
pub const FRAPPE_EXCEPTIONS: &[(&str, Option<u16>)] = &[
    ("SiteNotSpecifiedError", None),
    ("DatabaseModificationError", None),
    ("UrlSchemeNotSupported", None),
    ("ValidationError", Some(417)),
    ("FrappeTypeError", Some(417)),
    ("AuthenticationError", Some(401)),
    ("SessionExpired", Some(401)),
    ("PermissionError", Some(403)),
    ("DoesNotExistError", Some(404)),
    ("PageDoesNotExistError", Some(404)),
    ("NameError", Some(409)),
    ("OutgoingEmailError", Some(501)),
    ("SessionStopped", Some(503)),
    ("UnsupportedMediaType", Some(415)),
    ("RequestToken", Some(200)),
    ("Redirect", Some(301)),
    ("CSRFTokenError", Some(400)),
    ("TooManyRequestsError", Some(429)),
    ("ImproperDBConfigurationError", None),
    ("DuplicateEntryError", Some(409)),
    ("DataError", None),
    ("UnknownDomainError", None),
    ("MappingMismatchError", None),
    ("InvalidStatusError", None),
    ("MandatoryError", None),
    ("NonNegativeError", None),
    ("InvalidSignatureError", None),
    ("RateLimitExceededError", Some(429)),
    ("CannotChangeConstantError", None),
    ("CharacterLengthExceededError", None),
    ("UpdateAfterSubmitError", None),
    ("LinkValidationError", None),
    ("CancelledLinkError", None),
    ("DocstatusTransitionError", None),
    ("TimestampMismatchError", None),
    ("EmptyTableError", None),
    ("LinkExistsError", None),
    ("InvalidEmailAddressError", None),
    ("InvalidNameError", None),
    ("InvalidPhoneNumberError", None),
    ("TemplateNotFoundError", None),
    ("UniqueValidationError", None),
    ("AppNotInstalledError", None),
    ("IncorrectSitePath", None),
    ("ImplicitCommitError", None),
    ("RetryBackgroundJobError", None),
    ("DocumentLockedError", None),
    ("CircularLinkingError", None),
    ("SecurityException", None),
    ("InvalidColumnName", None),
    ("IncompatibleApp", None),
    ("InvalidDates", None),
    ("DataTooLongException", None),
    ("FileAlreadyAttachedException", None),
    ("DocumentAlreadyRestored", None),
    ("AttachmentLimitReached", None),
    ("QueryTimeoutError", None),
    ("QueryDeadlockError", None),
    ("InReadOnlyMode", Some(503)),
    ("SessionBootFailed", Some(500)),
    ("PrintFormatError", None),
    ("TooManyWritesError", None),
    ("InvalidAuthorizationHeader", Some(400)),
    ("InvalidAuthorizationPrefix", Some(400)),
    ("InvalidAuthorizationToken", Some(400)),
    ("InvalidDatabaseFile", None),
    ("ExecutableNotFound", None),
    ("InvalidRoundingMethod", None),
    ("InvalidRemoteException", None),
    ("LinkExpired", Some(410)),
    ("CommandFailedError", None),
    ("NotFound", Some(404)),
    ("ServerScriptNotEnabled", Some(403)),
    ("TimeLimitExceeded", None),
];

/// `frappe.db` members that DocType Event scripts do not have (Frappe pops them so an
/// event hook cannot commit half of the surrounding operation).
pub const DOC_EVENT_REMOVED: &[&str] = &[
    "frappe.db.commit",
    "frappe.db.rollback",
    "frappe.db.add_index",
];

/// Modules a script may `import`: each simply binds the object the sandbox already provides.
pub const IMPORTABLE_MODULES: &[&str] = &["frappe", "frappe.utils", "frappe.db", "json"];

/// Looks up a dotted path (`frappe.db.get_value`, `json`, `frappe.ValidationError`).
pub fn lookup(path: &str) -> Option<Kind> {
    if let Some((_, kind)) = SANDBOX_GLOBALS.iter().find(|(n, _)| *n == path) {
        return Some(*kind);
    }
    if let Some((_, kind)) = MEMBERS.iter().find(|(n, _)| *n == path) {
        return Some(*kind);
    }
    if let Some(name) = path.strip_prefix("frappe.utils.") {
        return FRAPPE_UTILS.contains(&name).then_some(Kind::Function);
    }
    if let Some(name) = path.strip_prefix("frappe.")
        && FRAPPE_EXCEPTIONS.iter().any(|(n, _)| *n == name)
    {
        return Some(Kind::Exception);
    }
    None
}

/// Whether `path` exists for a script of this type (`frappe.db.commit` does not in
/// DocType Event scripts).
pub fn available_in(path: &str, script_type: ScriptType) -> bool {
    !(script_type == ScriptType::DocEvent && DOC_EVENT_REMOVED.contains(&path))
}

/// What a bare name refers to when the script does not bind it itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobalName {
    Builtin,
    Sandbox(Kind),
    Implicit,
}

/// Resolves a free name for a script type: builtin, sandbox global or implicit local.
pub fn resolve_global(name: &str, script_type: ScriptType) -> Option<GlobalName> {
    if implicit_locals(script_type).contains(&name) {
        return Some(GlobalName::Implicit);
    }
    if let Some((_, kind)) = SANDBOX_GLOBALS.iter().find(|(n, _)| *n == name) {
        return Some(GlobalName::Sandbox(*kind));
    }
    if BUILTIN_FUNCTIONS.contains(&name)
        || BUILTIN_CONSTANTS.contains(&name)
        || BUILTIN_EXCEPTIONS.contains(&name)
    {
        return Some(GlobalName::Builtin);
    }
    None
}

/// Member names of a namespace or record (`frappe` → `db`, `get_doc`, …), for "did you
/// mean" suggestions.
pub fn members_of(path: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let prefix_len = path.len() + 1;
    for (name, _) in MEMBERS {
        if name.len() > prefix_len
            && name.starts_with(path)
            && name.as_bytes()[path.len()] == b'.'
            && !name[prefix_len..].contains('.')
        {
            out.push(&name[prefix_len..]);
        }
    }
    if path == "frappe.utils" {
        out.extend_from_slice(FRAPPE_UTILS);
    }
    if path == "frappe" {
        out.extend(FRAPPE_EXCEPTIONS.iter().map(|(n, _)| *n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_type_parses_cli_frappe_and_workload_spellings() {
        assert_eq!(ScriptType::parse("doc-event"), Some(ScriptType::DocEvent));
        assert_eq!(
            ScriptType::parse("DocType Event"),
            Some(ScriptType::DocEvent)
        );
        assert_eq!(ScriptType::parse("doc_event"), Some(ScriptType::DocEvent));
        assert_eq!(
            ScriptType::parse("Permission Query"),
            Some(ScriptType::PermissionQuery)
        );
        assert_eq!(
            ScriptType::parse("Scheduler Event"),
            Some(ScriptType::Scheduler)
        );
        assert_eq!(ScriptType::parse("API"), Some(ScriptType::Api));
        assert_eq!(ScriptType::parse("report"), None);
    }

    #[test]
    fn lookup_finds_members_utils_and_exceptions() {
        assert_eq!(lookup("frappe"), Some(Kind::Namespace));
        assert_eq!(lookup("frappe.db.get_value"), Some(Kind::Function));
        assert_eq!(lookup("frappe.utils.flt"), Some(Kind::Function));
        assert_eq!(lookup("frappe.ValidationError"), Some(Kind::Exception));
        assert_eq!(lookup("frappe.utils.os"), None);
        assert_eq!(lookup("frappe.method_that_doesnt_exist"), None);
    }

    #[test]
    fn commit_is_absent_only_in_doc_event_scripts() {
        assert!(!available_in("frappe.db.commit", ScriptType::DocEvent));
        assert!(available_in("frappe.db.commit", ScriptType::Api));
        assert!(available_in("frappe.db.get_value", ScriptType::DocEvent));
    }

    #[test]
    fn implicit_locals_depend_on_script_type() {
        assert_eq!(
            resolve_global("doc", ScriptType::DocEvent),
            Some(GlobalName::Implicit)
        );
        assert_eq!(resolve_global("doc", ScriptType::Api), None);
        assert_eq!(
            resolve_global("conditions", ScriptType::PermissionQuery),
            Some(GlobalName::Implicit)
        );
        assert_eq!(
            resolve_global("len", ScriptType::Api),
            Some(GlobalName::Builtin)
        );
        assert_eq!(resolve_global("eval", ScriptType::Api), None);
    }

    #[test]
    fn members_of_lists_direct_children_only() {
        let db = members_of("frappe.db");
        assert!(db.contains(&"get_value"));
        assert!(!db.iter().any(|m| m.contains('.')));
        assert!(members_of("frappe").contains(&"db"));
        assert!(!members_of("frappe").contains(&"session.user"));
    }
}
