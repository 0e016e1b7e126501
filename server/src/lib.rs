//! The site server: documents on SQLite, DocTypes as data, the document lifecycle with
//! one hook dispatch, users and sessions, and Frappe's v1 HTTP API.
//!
//! Map:
//! - [`site`]: a site folder (`site_config.json`, the database), creation, config reload.
//! - [`db`]: the SQLite pool, transactions, the schema that follows DocTypes.
//! - [`meta`]: DocType metadata (fields, naming, permissions) loaded from the database;
//!   the shipped DocTypes live in `server/doctypes/*.json`.
//! - [`model`]: documents — loading and storing, naming, validation, the lifecycle
//!   ([`model::lifecycle`]), list queries, permissions.
//! - [`tx`]: [`tx::SiteTx`], one request's transaction, user and messages: the handle
//!   every operation takes.
//! - [`auth`]: passwords (argon2), API keys, sessions — in tables no document API reads.
//! - [`scripts`]: Server Scripts — registry, compiled-code cache, DocType Event and API
//!   runs, and the [`scripts::host::SiteHost`] a running script calls into.
//! - [`error`]: the one error type, carrying a Frappe exception class and its messages.
//! - [`http`]: axum routes — `/api/resource`, `/api/method`, login, auth extractors, the
//!   Frappe response and error bodies.

pub mod auth;
pub mod db;
pub mod error;
pub mod http;
pub mod jobs;
pub mod meta;
pub mod model;
pub mod pyjson;
pub mod scheduler;
pub mod scripts;
pub mod site;
pub mod tx;

pub use error::{Error, Result};
pub use site::Site;
pub use tx::SiteTx;
