//! The accept loop: HTTP/1.1 connections served by hyper with a header read timeout (a client
//! that trickles its headers is cut off) and a body read timeout (one that trickles its body
//! gets an error), WebSocket upgrades, the peer address for each request, and a graceful end:
//! on shutdown no new connection is taken and open ones finish their request in flight.
//!
//! `axum::serve` would do the rest but sets no timer, so hyper's header timeout never fires.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::pin::pin;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// How long clients may take.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub header: Duration,
    pub body: Duration,
}

/// Serves `router` on `listener` until `shutdown` completes, then waits (at most `drain`) for
/// the connections' requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    timeouts: Timeouts,
    shutdown: impl Future<Output = ()> + Send + 'static,
    drain: Duration,
) -> std::io::Result<()> {
    let router = router.layer(tower_http::timeout::RequestBodyTimeoutLayer::new(timeouts.body));
    let (stop_tx, stop_rx) = watch::channel(false);
    // Each connection holds a receiver; when all are gone, every connection has ended.
    let (open_tx, open_rx) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let svc = router.clone().map_request(move |req: axum::http::Request<Incoming>| {
            let mut req = req.map(axum::body::Body::new);
            req.extensions_mut().insert(ConnectInfo(peer));
            req
        });
        let svc = TowerToHyperService::new(svc);
        let mut stop = stop_rx.clone();
        let open = open_rx.clone();
        let header_timeout = timeouts.header;
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
            let mut conn = pin!(builder.serve_connection(TokioIo::new(stream), svc).with_upgrades());
            loop {
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(e) = result {
                            tracing::debug!(error = %e, "connection ended with an error");
                        }
                        break;
                    }
                    changed = stop.changed(), if !*stop.borrow() => {
                        if changed.is_ok() {
                            conn.as_mut().graceful_shutdown();
                        }
                    }
                }
            }
            drop(open);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(open_rx);
    // Wait for the connections, but not for ever (a socket's task ends by the shutdown signal
    // of its own; an idle keep-alive connection closes at once).
    let _ = tokio::time::timeout(drain, open_tx.closed()).await;
    Ok(())
}
