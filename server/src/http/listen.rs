//! The listener: accepts TCP connections and serves HTTP/1.1 on each with hyper, with
//! what `axum::serve` leaves out —
//! - a time limit for reading a request's headers (`http_header_timeout`, seconds,
//!   default 30): a client that trickles a header (slowloris) is disconnected;
//! - a cap on open connections (`http_max_connections`, default 1000): past it, new
//!   connections wait in the kernel's backlog until one closes;
//! - the peer address of every request, as axum's `ConnectInfo<SocketAddr>`;
//! - graceful shutdown: once `shutdown` resolves no connection is accepted, idle ones
//!   close and requests in flight finish.
//!
//! Both keys are read when the server starts.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::site::Site;

/// How long a client may take to send a request's headers, by default.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections at most, by default.
pub const MAX_CONNECTIONS: usize = 1000;

/// The listener's settings, from the site config.
#[derive(Debug, Clone, Copy)]
pub struct ListenLimits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

impl ListenLimits {
    pub fn from_site(site: &Site) -> ListenLimits {
        ListenLimits {
            header_timeout: site.seconds("http_header_timeout", HEADER_TIMEOUT),
            max_connections: site
                .config("http_max_connections")
                .and_then(|v| v.as_u64())
                .filter(|n| *n > 0)
                .map(|n| n.min(1 << 20) as usize)
                .unwrap_or(MAX_CONNECTIONS),
        }
    }
}

/// Serves `service` on `listener` until `shutdown` resolves, then waits for the open
/// connections to finish their requests.
pub async fn serve<S>(
    listener: tokio::net::TcpListener,
    service: S,
    limits: ListenLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    S: tower::Service<
            axum::http::Request<Body>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(s) => s,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // out of file descriptors and the like: pause rather than spin
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = service.clone();
        let hyper_service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let mut req = req.map(Body::new);
            req.extensions_mut().insert(ConnectInfo(peer));
            service.clone().oneshot(req)
        });
        let conn = http.serve_connection(TokioIo::new(stream), hyper_service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The peer address axum handlers see (`None` outside [`serve`], e.g. in unit tests).
pub fn peer_of(extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| *a)
}
