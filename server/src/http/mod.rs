//! HTTP: Frappe's v1 API on axum.
//!
//! - [`request`]: form_dict and cookies; [`auth`]: who is asking;
//! - [`response`]: success and error bodies (one place);
//! - [`resource`]: `/api/resource/<DocType>` and `/api/resource/<DocType>/<name>`;
//! - [`method`]: `/api/method/<name>` and `cmd=` on any path, with the table of methods;
//! - [`listen`]: connections (header timeout, connection cap, peer address);
//!   [`limits`]: what reading and parsing a body may cost; [`proxy`]: the client's
//!   address behind `trusted_proxies`.
//!
//! axum only parses, authenticates and routes: the work of a request runs on a blocking
//! thread in one transaction ([`run`]), committed on success for POST/PUT/DELETE/PATCH
//! and rolled back otherwise (§5.4).

pub mod auth;
pub mod limits;
pub mod listen;
pub mod method;
pub mod proxy;
pub mod request;
pub mod resource;
pub mod response;
pub mod upload;
pub mod writer;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use tower::Layer;
use tower_http::normalize_path::NormalizePathLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use self::auth::Identity;
use self::request::Req;
use self::response::Reply;
use crate::error::Result;
use crate::site::Site;
use crate::tx::SiteTx;

/// Largest request body axum's own extractors read (ours: [`limits`]).
pub const MAX_BODY: usize = 25 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub site: Arc<Site>,
    /// Where write requests run, one after another.
    pub writer: Arc<writer::WriteQueue>,
    /// The memory the request bodies in flight may take together ([`limits`]).
    pub bodies: Arc<limits::Budget>,
}

/// The API routes with their middleware.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        // liveness probe, and the ceiling the HTTP benchmark compares `ping` with: no
        // form_dict, no session, no transaction
        .route("/_health", get(|| async { "ok" }))
        .route("/api/method/{*method}", any(method::handle))
        .route("/api/v1/method/{*method}", any(method::handle))
        .route(
            "/api/resource/{doctype}",
            get(resource::list).post(resource::create),
        )
        .route(
            "/api/v1/resource/{doctype}",
            get(resource::list).post(resource::create),
        )
        .route(
            "/api/resource/{doctype}/{*name}",
            get(resource::read_doc)
                .put(resource::update)
                .delete(resource::delete),
        )
        .route(
            "/api/v1/resource/{doctype}/{*name}",
            get(resource::read_doc)
                .put(resource::update)
                .delete(resource::delete),
        )
        .fallback(fallback)
        .with_state(state);
    api.layer(middleware::from_fn(options))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// `OPTIONS` is answered with an empty 200 (CORS preflight), as Frappe does.
async fn options(req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        return StatusCode::OK.into_response();
    }
    next.run(req).await
}

/// Any other path: `cmd=` dispatches a method (the legacy RPC); anything else is 404.
async fn fallback(State(state): State<AppState>, req: Req) -> Response {
    if let Some(cmd) = req.arg("cmd").filter(|c| !c.is_empty()) {
        return method::dispatch(state, req, cmd).await;
    }
    let err = crate::error::Error::raise("DoesNotExistError", format!("Not found: {}", req.path));
    response::error(
        &err,
        &[],
        response::wants_json(&req.path, req.header("accept"), is_xhr(&req)),
        &[],
    )
}

fn is_xhr(req: &Req) -> bool {
    req.header("x-requested-with")
        .is_some_and(|v| v.eq_ignore_ascii_case("XMLHttpRequest"))
}

/// Every handler takes its request as a [`Req`]: the body is read and the form_dict
/// built within the site's body limits ([`limits`]), and the client's address found
/// ([`proxy`]); a body that cannot be read or is refused is answered at once, in
/// Frappe's error shape.
impl axum::extract::FromRequest<AppState> for Req {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> std::result::Result<Req, Response> {
        let (parts, body) = req.into_parts();
        let path = parts.uri.path().to_string();
        let accept = parts
            .headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let json = response::wants_json(&path, accept.as_deref(), false);
        let refuse = |r: limits::Refusal| response::refusal(r.status, r.exc_type, &r.message, json);
        let site = &state.site;
        site.refresh_config();
        let body_limits = limits::BodyLimits::from_site(site);
        let client = proxy::client_addr(
            listen::peer_of(&parts.extensions),
            &parts.headers,
            &proxy::trusted_proxies(site),
        );
        let content_length = parts
            .headers
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let mut permit = limits::BodyPermit::new(state.bodies.clone(), body_limits.budget);
        let bytes = limits::read_body(body, content_length, &body_limits, &mut permit)
            .await
            .map_err(refuse)?;
        let received = request::Received {
            method: parts.method,
            path,
            query: parts.uri.query().map(str::to_string),
            headers: parts.headers,
            body: bytes,
            client,
        };
        Req::read(received, &body_limits, permit)
            .await
            .map_err(|e| match e {
                request::ReadError::Refused(r) => refuse(r),
                request::ReadError::Invalid(e) => response::error(&e, &[], json, &[]),
            })
    }
}

/// When a write request takes the site's write lock.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// Before its work starts, on the writer thread (REST writes: short, and they all
    /// write).
    Upfront,
    /// When its work first writes (`SiteTx::write_lock`), on a blocking thread: a method
    /// call may be a script that computes for seconds without writing, and must not keep
    /// other writers waiting meanwhile.
    OnDemand,
}

/// Runs one request's work: authenticate, run `op` in a transaction on a blocking
/// thread, commit or roll back, answer in Frappe's shape. Write requests take the write
/// lock before `op`.
pub(crate) async fn run<F>(state: AppState, req: Req, op: F) -> Response
where
    F: FnOnce(&mut SiteTx<'_>, &Req, &Identity) -> Result<Reply> + Send + 'static,
{
    run_with(state, req, Lock::Upfront, op).await
}

/// [`run`] with the choice of when the write lock is taken.
pub(crate) async fn run_with<F>(state: AppState, req: Req, lock: Lock, op: F) -> Response
where
    F: FnOnce(&mut SiteTx<'_>, &Req, &Identity) -> Result<Reply> + Send + 'static,
{
    let upfront = req.is_write() && lock == Lock::Upfront;
    let writer = state.writer.clone();
    let work = move || {
        let json = response::wants_json(&req.path, req.header("accept"), is_xhr(&req));
        let site = state.site.clone();
        if let Some(refused) = maintenance(&site, json) {
            return refused;
        }
        // the maintenance check just re-read a changed config: no second `stat`
        let mut tx = match SiteTx::new(&site, "Guest", upfront) {
            Ok(tx) => tx,
            Err(e) => return response::error(&e, &[], json, &[]),
        };
        tx.request = Some(req.info.clone());
        let outcome = self::auth::authenticate(&tx, &req).and_then(|identity| {
            tx.user = identity.user.clone();
            op(&mut tx, &req, &identity)
        });
        match outcome {
            Ok(reply) => {
                let done = if req.is_write() || reply.commit {
                    tx.commit()
                } else {
                    tx.rollback()
                };
                match done {
                    Ok(()) => response::success(reply, &tx.messages),
                    Err(e) => response::error(&e, &[], json, &[]),
                }
            }
            Err(e) => {
                let _ = tx.rollback();
                response::error(&e, &tx.messages, json, &[])
            }
        }
    };
    let done = if upfront {
        writer.run(work).await
    } else {
        tokio::task::spawn_blocking(work).await.ok()
    };
    done.unwrap_or_else(|| {
        tracing::error!("a request's worker failed");
        let err = crate::error::Error::internal("the request's worker failed");
        response::error(&err, &[], true, &[])
    })
}

/// bench's maintenance mode: every request is refused (503) until it is switched off.
pub(crate) fn maintenance(site: &Site, json: bool) -> Option<Response> {
    site.refresh_config();
    if crate::site::truthy(site.config("maintenance_mode").as_ref()) {
        let e = crate::error::Error::raise("SessionStopped", "Session Stopped");
        return Some(response::error(&e, &[], json, &[]));
    }
    None
}

/// Serves the site until `shutdown` resolves; requests in flight finish first (the
/// listener's limits: [`listen`]).
pub async fn serve(
    site: Arc<Site>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    crate::jobs::start(&site)?;
    crate::scheduler::start(&site)?;
    let limits = listen::ListenLimits::from_site(&site);
    let app = router(AppState {
        site,
        writer: Arc::new(writer::WriteQueue::start()?),
        bodies: Arc::default(),
    });
    let app = NormalizePathLayer::trim_trailing_slash().layer(app);
    listen::serve(listener, app, limits, shutdown).await
}
