//! The WebSocket endpoints (`/api/v1/ws` for operators, `/widget/v1/ws` for visitors) and the
//! one loop that serves both. Protocol: `docs/protocol.md`.
//!
//! What stays true:
//! - Each socket is one task. Its outgoing backlog is its bus subscription, which is bounded:
//!   a socket that falls behind gets `resync` instead of silently missing events.
//! - `ack` is sent after the store call returned, i.e. after commit.
//! - Sends and resumes run concurrently with event delivery (they are futures owned by the
//!   socket task, not detached tasks), so a slow commit does not stall live events.
//! - Small buffers: an idle socket costs a few KB (see docs/bench.md).

use crate::error::{ApiError, ErrorCode};
use crate::extract::{
    OperatorAuth, QueryParams, SESSION_COOKIE, cookie, is_own_origin, origin_header, widget_own_origin,
};
use crate::state::HttpState;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use frontline_core::auth::{self, OperatorActor};
use frontline_core::bus::{RecvError, Topic};
use frontline_core::views::{Event, MessageView, VisitorView, WidgetDialogView};
use frontline_core::widget::{self, VisitorActor, WidgetOrigin};
use frontline_core::{CoreError, audience, conversation, dialogs};
use frontline_domain::{ChannelId, DialogId};
use futures_util::stream::FuturesUnordered;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

pub const PROTOCOL_VERSION: u32 = 1;
const PING_EVERY: Duration = Duration::from_secs(20);
/// Every socket's pings fall on one grid of this step, so the pings of many idle sockets are due
/// together and a worker thread wakes once for a few dozen of them rather than once for each
/// (docs/bench.md, "Idle sockets' pings on one grid").
const PING_GRID: Duration = Duration::from_millis(100);
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// At most this many frames wait in a socket's buffer for one write (see `serve`).
const FLUSH_AFTER: usize = 32;
/// A resume answers at most this many messages; beyond it the client is told to resync.
const RESUME_MAX: usize = 5000;

/// Who is on the other end. An operator's socket keeps its session token: his rights are
/// checked again when they change (`access.changed`), every ping period (expiry), and before
/// each send.
#[derive(Clone)]
enum Peer {
    Operator(OperatorActor, Arc<str>),
    Visitor(Box<VisitorActor>),
}

/// The close code of a socket whose session ended (logout, expiry, deactivation).
const CLOSE_SESSION_ENDED: u16 = 4001;
/// A visitor's socket closed because he was blocked (after a `visitor_blocked` error frame).
const CLOSE_VISITOR_BLOCKED: u16 = 4003;
/// A visitor's socket closed because its workspace was suspended (after a
/// `workspace_suspended` error frame).
const CLOSE_WORKSPACE_SUSPENDED: u16 = 4004;

fn configure(ws: WebSocketUpgrade) -> WebSocketUpgrade {
    // tungstenite zero-fills its whole read buffer, so its size is resident per socket; chat
    // frames are small, and a larger frame is simply read in several chunks.
    ws.read_buffer_size(1024)
        .write_buffer_size(4 * 1024)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(64 * 1024)
        .max_frame_size(64 * 1024)
}

/// `GET /api/v1/ws`: the console's socket. Only pages of this Frontline may open it: a
/// browser always sends `Origin` on a socket's handshake, so one without it is refused too.
pub async fn operator_ws(State(s): State<HttpState>, mut parts: Parts) -> Response {
    if !origin_header(&parts.headers).is_some_and(|o| is_own_origin(&parts.headers, &s.config, o)) {
        return ApiError::from(CoreError::OriginNotAllowed).into_response();
    }
    let actor = match OperatorAuth::from_request_parts(&mut parts, &s).await {
        Ok(OperatorAuth(a)) => a,
        Err(e) => return e.into_response(),
    };
    let token: Arc<str> = cookie(&parts.headers, SESSION_COOKIE).unwrap_or_default().into();
    let ws = match WebSocketUpgrade::from_request_parts(&mut parts, &s).await {
        Ok(ws) => ws,
        Err(e) => return e.into_response(),
    };
    let conn = Box::new(Conn { s, peer: Peer::Operator(actor, token) });
    configure(ws).on_upgrade(move |socket| serve(conn, Box::new(socket)))
}

#[derive(Deserialize)]
pub struct WidgetWsQuery {
    token: Option<String>,
}

/// `GET /widget/v1/ws`: the visitor's socket. The token comes in the socket's first frame,
/// `{"type":"auth","token":"…"}`, so it is in no URL a proxy logs; `?token=` is still taken
/// from widgets loaded before this changed. A browser always sends `Origin` on the handshake:
/// one without it is refused, and it must be allowed for the visitor's site.
pub async fn widget_ws(
    State(s): State<HttpState>,
    QueryParams(q): QueryParams<WidgetWsQuery>,
    mut parts: Parts,
) -> Response {
    let Some(header) = origin_header(&parts.headers).map(str::to_owned) else {
        return ApiError::from(CoreError::OriginNotAllowed).into_response();
    };
    let own = widget_own_origin(&parts.headers, &s.config);
    let admitted = match q.token.filter(|t| !t.is_empty()) {
        Some(token) => match admit_visitor(&s, &token, &header, own.as_deref()).await {
            Ok(admitted) => Some(admitted),
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let ws = match WebSocketUpgrade::from_request_parts(&mut parts, &s).await {
        Ok(ws) => ws,
        Err(e) => return e.into_response(),
    };
    let start = Box::new(WidgetStart { s, header, own, admitted });
    configure(ws).on_upgrade(move |socket| widget_session(start, Box::new(socket)))
}

/// What a widget socket starts from: the handshake's findings, and the visitor when his token
/// came in the URL.
struct WidgetStart {
    s: HttpState,
    header: String,
    own: Option<String>,
    admitted: Option<(Box<VisitorActor>, frontline_core::limits::SocketSlot)>,
}

/// A widget socket's life: its first-frame sign-in (unless the URL had the token), then
/// [`serve`], holding the visitor's place among his sockets until the end.
async fn widget_session(mut start: Box<WidgetStart>, mut socket: Box<WebSocket>) {
    let (actor, slot) = match start.admitted.take() {
        Some(a) => a,
        None => match first_frame_auth(&start.s, &mut socket, &start.header, start.own.as_deref()).await {
            Some(a) => a,
            None => return,
        },
    };
    // The start is moved into this block so that its allocation (and the origin strings) is
    // freed here: a box moved out of in place is freed only when its binding goes out of scope,
    // which for an async fn's argument is the end of the socket's life (~400 bytes a socket,
    // docs/bench.md, "What a widget socket kept after its sign-in").
    let conn = {
        let start = start;
        let WidgetStart { s, .. } = *start;
        Box::new(Conn { s, peer: Peer::Visitor(actor) })
    };
    serve(conn, socket).await;
    drop(slot);
}

/// A visitor's token checked: his session, his site's origins, and a free place among his
/// sockets (held while the socket lives).
async fn admit_visitor(
    s: &HttpState,
    token: &str,
    origin: &str,
    own: Option<&str>,
) -> Result<(Box<VisitorActor>, frontline_core::limits::SocketSlot), ApiError> {
    let actor = Box::new(widget::authenticate(&s.app, token).await?);
    widget::check_origin(&actor.site, &WidgetOrigin { header: Some(origin), own, page: None })?;
    let slot = s.app.limiter.open_socket(&s.app.config.limits, &actor.visitor.id.0.to_string())?;
    Ok((actor, slot))
}

/// How long a new widget socket may take to send its `auth` frame.
const AUTH_WITHIN: Duration = Duration::from_secs(10);

/// Reads the socket's first frame, `{"type":"auth","token":"…"}`, and admits the visitor; a
/// refusal is an `error` frame, then Close (4001 for a token, 1008 for anything else).
async fn first_frame_auth(
    s: &HttpState,
    socket: &mut WebSocket,
    origin: &str,
    own: Option<&str>,
) -> Option<(Box<VisitorActor>, frontline_core::limits::SocketSlot)> {
    #[derive(Deserialize)]
    struct Auth {
        r#type: String,
        token: String,
    }
    let first = tokio::time::timeout(AUTH_WITHIN, socket.recv()).await;
    let refusal = match first {
        Ok(Some(Ok(Message::Text(text)))) => match serde_json::from_str::<Auth>(&text) {
            Ok(a) if a.r#type == "auth" && !a.token.is_empty() => match admit_visitor(s, &a.token, origin, own).await {
                Ok(admitted) => return Some(admitted),
                Err(e) => e,
            },
            _ => ApiError::new(ErrorCode::BadFrame, "The first frame must be {\"type\":\"auth\",\"token\":…}."),
        },
        // Gone, or silent too long.
        Ok(None) | Ok(Some(Err(_))) => return None,
        Ok(Some(Ok(_))) | Err(_) => {
            ApiError::new(ErrorCode::BadFrame, "The first frame must be {\"type\":\"auth\",\"token\":…}.")
        }
    };
    let code = if refusal.code == ErrorCode::Unauthenticated { CLOSE_SESSION_ENDED } else { 1008 };
    let _ = socket.send(Message::Text(error_frame(None, refusal).into())).await;
    let close = CloseFrame { code, reason: Utf8Bytes::from_static("not admitted") };
    let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(close)))).await;
    None
}

/// Frames a client may send.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Send {
        client_id: String,
        #[serde(default)]
        body: String,
        dialog_id: Option<String>,
        #[serde(default)]
        internal: bool,
        #[serde(default)]
        attachments: Vec<frontline_domain::AttachmentId>,
        /// Visitors: the proactive message he answers.
        #[serde(default)]
        trigger_id: Option<uuid::Uuid>,
        /// Operators: why he sends past a quality-guard block that allows it.
        #[serde(default)]
        guard_override: Option<String>,
    },
    Resume {
        after_seq: i64,
        dialog_id: Option<String>,
    },
    Typing {
        dialog_id: Option<String>,
    },
    Read {
        seq: i64,
        dialog_id: Option<String>,
    },
    Ping,
}

type Pending = Pin<Box<dyn Future<Output = Vec<String>> + Send>>;

/// Runs a socket's operation as a task of its own and answers its frames. The socket's loop
/// polls `pending` only between its other awaits, and some of those (a session recheck, the
/// hello) need a database connection themselves: an operation polled by the loop alone could
/// hold a connection mid-query while its loop waits for one, and with enough sockets doing so
/// every connection of the pool is held by work nobody polls (PostgreSQL: the server then
/// answers `unavailable` until restarted). As a task, it always runs to its end, however the
/// socket fares.
fn detached(op: Pending) -> Pending {
    let task = tokio::spawn(op);
    Box::pin(async move {
        task.await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "ws: an operation's task failed");
            vec![error_frame(None, ApiError::new(ErrorCode::Internal, "Internal error."))]
        })
    })
}

/// Decrements a socket gauge when the socket ends, however it ends.
struct SocketGauge<'a>(&'a std::sync::atomic::AtomicI64);

impl Drop for SocketGauge<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn error_frame(client_id: Option<&str>, e: ApiError) -> String {
    json!({ "type": "error", "client_id": client_id, "code": e.code, "message": e.message, "details": e.details })
        .to_string()
}

/// What a check of an operator's session found.
enum Recheck {
    /// Still signed in: his rights as they are now.
    Now(OperatorActor, Option<HashSet<ChannelId>>),
    /// The session is over: the socket closes.
    Ended,
    /// The store did not answer: keep what the socket has and try again later.
    Unknown,
}

async fn recheck(s: &HttpState, token: &str) -> Recheck {
    let actor = match auth::authenticate(&s.app, token).await {
        Ok(a) => a,
        // A suspended workspace's sessions stop at once: the console signs in again and is told.
        Err(CoreError::Unauthenticated | CoreError::WorkspaceSuspended) => return Recheck::Ended,
        Err(e) => {
            tracing::warn!(error = %e, "ws: cannot check the session");
            return Recheck::Unknown;
        }
    };
    match frontline_core::reads::visible_channels(&s.app, &actor).await {
        Ok(v) => Recheck::Now(actor, v),
        Err(e) => {
            tracing::warn!(error = %e, "ws: cannot read the operator's channels");
            Recheck::Unknown
        }
    }
}

/// What a socket's task keeps for its whole life, in one allocation of its own. Passed by value,
/// an async fn's arguments are held twice in its future (as arguments and as locals), and so is
/// whatever the closures around it captured: the state and the peer went three times into each
/// socket's task (docs/bench.md, "What a socket's task holds").
struct Conn {
    s: HttpState,
    peer: Peer,
}

async fn serve(mut conn: Box<Conn>, socket: Box<WebSocket>) {
    let Conn { s, peer } = &mut *conn;
    let s = &*s;
    // Split at once, so the socket itself is not one of the future's fields.
    let (mut tx, mut rx) = (*socket).split();
    let metrics = s.app.metrics.clone();
    let gauge = match &peer {
        Peer::Operator(..) => &metrics.ws_operator_sockets,
        Peer::Visitor(_) => &metrics.ws_visitor_sockets,
    };
    gauge.fetch_add(1, Ordering::Relaxed);
    let _gauge = SocketGauge(gauge);

    let topic = match &peer {
        Peer::Operator(a, _) => Topic::Workspace(a.workspace()),
        Peer::Visitor(a) => Topic::Visitor(a.visitor.id),
    };
    let mut sub = s.app.bus.subscribe(topic);
    // An operator's socket keeps him online (the scheduler's heartbeat) while it lives.
    let _presence = match &peer {
        Peer::Operator(a, _) => {
            let guard = s.app.sockets.opened(a.workspace(), a.operator.id);
            if let Err(e) = s.app.store.touch_operators(&[a.operator.id], s.app.clock.now()).await {
                tracing::warn!(error = %e, "ws: presence heartbeat failed");
            }
            Some(guard)
        }
        Peer::Visitor(_) => None,
    };
    // Which channels' events this socket may see (operators of some channels only). Read at
    // connect and again whenever his rights change (`access.changed`).
    let mut visible = match &peer {
        Peer::Operator(a, _) => match frontline_core::reads::visible_channels(&s.app, a).await {
            Ok(v) => v,
            Err(e) => {
                tracing::error!(error = %e, "ws: cannot read the operator's channels");
                return;
            }
        },
        Peer::Visitor(_) => None,
    };
    let hello = match hello(s, peer).await {
        Ok(h) => h,
        Err(e) => error_frame(None, e.into()),
    };
    if send_text(&mut tx, hello).await.is_err() {
        return;
    }
    let mut pending: FuturesUnordered<Pending> = FuturesUnordered::new();
    let mut ping = tokio::time::interval_at(first_ping(tokio::time::Instant::now()), PING_EVERY);
    let mut shutdown = s.shutdown.clone();
    // Frames written to the socket's buffer since its last flush. Frames that are ready together
    // (a group commit's events, an ack and its echo) go out in one write: the flush waits until
    // nothing else is ready, or until `FLUSH_AFTER` frames are waiting.
    let mut unflushed = 0_usize;
    loop {
        let out: Vec<Utf8Bytes> = tokio::select! {
            incoming = rx.next() => match incoming {
                Some(Ok(Message::Text(text))) => match on_frame(s, peer, &text) {
                    Ok(Some(fut)) => { pending.push(detached(fut)); continue; }
                    Ok(None) => vec![json!({"type": "pong"}).to_string().into()],
                    Err(frame) => vec![frame.into()],
                },
                Some(Ok(Message::Binary(_))) => {
                    vec![error_frame(None, ApiError::new(ErrorCode::BadFrame, "Frames are JSON text.")).into()]
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(Message::Close(_))) => {
                    // The library queued the echo of the client's Close; flushing sends it, so
                    // the client sees its own code (1000), not 1006.
                    let _ = tokio::time::timeout(SEND_TIMEOUT, tx.flush()).await;
                    break;
                }
                Some(Err(e)) => {
                    if let Some(close) = close_for(&e) {
                        let _ = tokio::time::timeout(SEND_TIMEOUT, tx.send(Message::Close(Some(close)))).await;
                    }
                    break;
                }
                None => break,
            },
            event = sub.recv() => match event {
                Ok(delivery) => match &peer {
                    Peer::Operator(a, token) => match &delivery.event {
                        Event::AccessChanged { operator_id } if operator_id.is_none_or(|o| o == a.operator.id.0) => {
                            match recheck(s, token).await {
                                Recheck::Now(actor, channels) => {
                                    let token = token.clone();
                                    *peer = Peer::Operator(actor, token);
                                    visible = channels;
                                    // The console reloads its lists: what he may no longer see goes.
                                    vec![json!({"type": "resync", "reason": "access_changed"}).to_string().into()]
                                }
                                Recheck::Ended => {
                                    refuse_and_close(&mut tx, CoreError::Unauthenticated, CLOSE_SESSION_ENDED, "session ended").await;
                                    break;
                                }
                                Recheck::Unknown => continue,
                            }
                        }
                        Event::AccessChanged { .. } => continue,
                        _ if !audience::for_operator(&delivery, a.operator.id, visible.as_ref()) => continue,
                        event => {
                            // A rename on another node: this node's views name him anew.
                            if let Event::OperatorUpdated { operator } = event {
                                let id = frontline_domain::OperatorId(operator.id);
                                frontline_core::reads::remember_name(&s.app, id, &operator.display_name);
                            }
                            // Encoded once for all the workspace's operators' sockets.
                            match delivery.operator_frame().map(|b| Utf8Bytes::try_from(b.clone())) {
                                Some(Ok(frame)) => vec![frame],
                                _ => continue,
                            }
                        }
                    },
                    Peer::Visitor(_) if matches!(delivery.event, Event::VisitorBlocked { .. }) => {
                        refuse_and_close(&mut tx, CoreError::VisitorBlocked, CLOSE_VISITOR_BLOCKED, "blocked").await;
                        break;
                    }
                    Peer::Visitor(_) => match audience::visitor_frame(&delivery.event) {
                        Some(frame) => vec![frame.into()],
                        None => continue,
                    },
                },
                Err(RecvError::Lagged(missed)) => {
                    metrics.ws_resyncs.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(ws.missed = missed, "ws: socket fell behind; resync");
                    vec![json!({"type": "resync", "reason": "lagged"}).to_string().into()]
                }
                // The node was cut off from NATS: events of other nodes may be missing.
                Err(RecvError::Reconnected) => {
                    metrics.ws_resyncs.fetch_add(1, Ordering::Relaxed);
                    vec![json!({"type": "resync", "reason": "bus_reconnected"}).to_string().into()]
                }
                Err(RecvError::Closed) => break,
            },
            Some(frames) = pending.next(), if !pending.is_empty() => frames.into_iter().map(Utf8Bytes::from).collect(),
            _ = ping.tick() => {
                // A session expires without any event: each ping period asks again.
                if let Peer::Operator(_, token) = &peer
                    && matches!(recheck(s, token).await, Recheck::Ended)
                {
                    refuse_and_close(&mut tx, CoreError::Unauthenticated, CLOSE_SESSION_ENDED, "session ended").await;
                    break;
                }
                // So does a visitor's socket about his workspace's suspension (read once a few
                // seconds per node, whatever the number of sockets).
                if let Peer::Visitor(a) = &peer
                    && matches!(frontline_core::reads::suspended_lately(&s.app, a.visitor.workspace_id).await, Ok(true))
                {
                    refuse_and_close(&mut tx, CoreError::WorkspaceSuspended, CLOSE_WORKSPACE_SUSPENDED, "suspended").await;
                    break;
                }
                if tokio::time::timeout(SEND_TIMEOUT, tx.send(Message::Ping(Default::default()))).await.map_or(true, |r| r.is_err()) {
                    break;
                }
                continue;
            }
            _ = shutdown.changed() => {
                let close = CloseFrame { code: 1001, reason: Utf8Bytes::from_static("server shutting down") };
                let _ = tokio::time::timeout(SEND_TIMEOUT, tx.send(Message::Close(Some(close)))).await;
                break;
            }
            // Ready only once the task has yielded: every other branch had its chance first.
            _ = tokio::task::yield_now(), if unflushed > 0 => {
                if !matches!(tokio::time::timeout(SEND_TIMEOUT, tx.flush()).await, Ok(Ok(()))) {
                    break;
                }
                unflushed = 0;
                continue;
            }
        };
        let mut failed = false;
        for frame in out {
            if !matches!(tokio::time::timeout(SEND_TIMEOUT, tx.feed(Message::Text(frame))).await, Ok(Ok(()))) {
                failed = true;
                break;
            }
            unflushed += 1;
        }
        if !failed && unflushed >= FLUSH_AFTER {
            failed = !matches!(tokio::time::timeout(SEND_TIMEOUT, tx.flush()).await, Ok(Ok(())));
            unflushed = 0;
        }
        if failed {
            break;
        }
    }
    // Let in-flight sends finish: their messages are committed either way; the acks have
    // nowhere to go, and the client will resume.
    while pending.next().await.is_some() {}
}

/// The Close a read error deserves: 1009 for a frame over the limit, 1007 for text that is not
/// UTF-8, 1002 for a protocol violation; `None` when the connection itself is gone.
fn close_for(e: &axum::Error) -> Option<CloseFrame> {
    use std::error::Error as _;
    use tungstenite::error::{CapacityError, Error as WsError};
    let inner = e.source()?.downcast_ref::<WsError>()?;
    let (code, reason) = match inner {
        WsError::Capacity(CapacityError::MessageTooLong { .. }) => (1009, "frame over 64 KiB"),
        WsError::Capacity(_) => (1009, "too large"),
        WsError::Utf8(_) => (1007, "text is not UTF-8"),
        WsError::Protocol(_) => (1002, "protocol error"),
        _ => return None,
    };
    Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) })
}

/// Tells the console its session is over (an `unauthenticated` error, then Close 4001), so it
/// shows the sign-in form instead of reconnecting.
/// The socket's end for a reason the client must hear: the refusal as an error frame, then a
/// close with its code (the session ended, the visitor blocked, the workspace suspended).
async fn refuse_and_close<S>(tx: &mut S, error: CoreError, code: u16, reason: &'static str)
where
    S: futures_util::Sink<Message> + Unpin,
{
    let _ = send_text(tx, error_frame(None, error.into())).await;
    let close = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
    let _ = tokio::time::timeout(SEND_TIMEOUT, tx.send(Message::Close(Some(close)))).await;
}

/// A socket's first ping: `PING_EVERY` after it opened, moved on to the next step of the
/// process's ping grid.
fn first_ping(now: tokio::time::Instant) -> tokio::time::Instant {
    static GRID: std::sync::OnceLock<tokio::time::Instant> = std::sync::OnceLock::new();
    let origin = *GRID.get_or_init(|| now);
    let first = now + PING_EVERY;
    let Some(since) = first.checked_duration_since(origin) else { return first };
    let step = PING_GRID.as_nanos();
    match since.as_nanos() % step {
        0 => first,
        off => first + Duration::from_nanos((step - off) as u64),
    }
}

async fn send_text<S>(tx: &mut S, frame: String) -> Result<(), ()>
where
    S: futures_util::Sink<Message> + Unpin,
{
    match tokio::time::timeout(SEND_TIMEOUT, tx.send(Message::Text(frame.into()))).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(()),
    }
}

async fn hello(s: &HttpState, peer: &Peer) -> Result<String, CoreError> {
    Ok(match peer {
        Peer::Operator(..) => json!({ "type": "hello", "protocol": PROTOCOL_VERSION }).to_string(),
        Peer::Visitor(a) => {
            let dialog = frontline_core::reads::current_dialog(&s.app, a).await?;
            json!({
                "type": "hello",
                "protocol": PROTOCOL_VERSION,
                "visitor": VisitorView::from(&a.visitor),
                "dialog": dialog.as_ref().map(WidgetDialogView::from),
            })
            .to_string()
        }
    })
}

/// Reads a client's text frame: the frame, or the refusal with the frame's `client_id` when it
/// had one. Pure, so it can be fuzzed (`fuzz/`): no input makes it panic.
pub fn parse_frame(text: &str) -> Result<ClientFrame, (Option<String>, ApiError)> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|_| (None, ApiError::new(ErrorCode::BadFrame, "Not JSON.")))?;
    let kind = value.get("type").and_then(|t| t.as_str()).unwrap_or_default();
    if !matches!(kind, "send" | "resume" | "ping" | "typing" | "read") {
        let shown: String = kind.chars().take(40).collect();
        return Err((None, ApiError::new(ErrorCode::UnknownFrame, format!("Unknown frame type {shown:?}."))));
    }
    let client_id = value.get("client_id").and_then(|c| c.as_str()).map(|c| c.chars().take(64).collect::<String>());
    let frame = crate::extract::from_value::<ClientFrame>(value).map_err(|e| (client_id.clone(), e))?;
    Ok(frame)
}

/// Reads one client frame: `Ok(None)` for a ping, `Ok(Some(work))` for a send or resume, or
/// `Err(error frame)`.
fn on_frame(s: &HttpState, peer: &Peer, text: &str) -> Result<Option<Pending>, String> {
    let frame = parse_frame(text).map_err(|(client_id, e)| error_frame(client_id.as_deref(), e))?;
    let s = s.clone();
    Ok(match (frame, peer) {
        (ClientFrame::Ping, _) => None,
        (ClientFrame::Send { client_id, internal: true, .. }, Peer::Visitor(_)) => {
            return Err(error_frame(
                Some(&client_id),
                ApiError::field("internal", "internal: visitors cannot write notes"),
            ));
        }
        (ClientFrame::Send { client_id, body, attachments, trigger_id, .. }, Peer::Visitor(a)) => {
            let a = a.clone();
            Some(Box::pin(async move {
                let r = widget::post_with(&s.app, &a, &client_id, &body, &attachments, trigger_id).await;
                vec![ack(&client_id, r)]
            }))
        }
        (
            ClientFrame::Send { client_id, body, dialog_id, internal, attachments, guard_override, .. },
            Peer::Operator(_, token),
        ) => {
            let token = token.clone();
            Some(Box::pin(async move {
                if let Err(e) = crate::console::check_override(guard_override.as_deref()) {
                    return vec![error_frame(Some(&client_id), e)];
                }
                let compose = dialogs::Compose {
                    client_id: &client_id,
                    body: &body,
                    internal,
                    attachments: &attachments,
                    guard_override: guard_override.as_deref(),
                };
                // Rights as they are now, like a REST call: a send after logout is refused even
                // before the socket has heard of it.
                let r = match (auth::authenticate(&s.app, &token).await, parse_dialog(dialog_id.as_deref())) {
                    (Ok(a), Ok(id)) => dialogs::write(&s.app, &a, id, &compose).await,
                    (Err(e), _) | (_, Err(e)) => Err(e),
                };
                vec![ack(&client_id, r)]
            }))
        }
        // Typing and read marks answer nothing; a refusal (a dialog he cannot see) is an error frame.
        (ClientFrame::Typing { dialog_id }, peer) => {
            let peer = peer.clone();
            Some(Box::pin(async move {
                let r = match &peer {
                    Peer::Operator(a, _) => match parse_dialog(dialog_id.as_deref()) {
                        Ok(id) => conversation::operator_typing(&s.app, a, id).await,
                        Err(e) => Err(e),
                    },
                    Peer::Visitor(a) => conversation::visitor_typing(&s.app, a).await,
                };
                r.err().map(|e| error_frame(None, e.into())).into_iter().collect()
            }))
        }
        (ClientFrame::Read { seq, dialog_id }, peer) => {
            let peer = peer.clone();
            Some(Box::pin(async move {
                let r = match &peer {
                    Peer::Operator(a, _) => match parse_dialog(dialog_id.as_deref()) {
                        Ok(id) => dialogs::mark_read(&s.app, a, id, seq).await.map(|_| ()),
                        Err(e) => Err(e),
                    },
                    Peer::Visitor(a) => conversation::visitor_read(&s.app, a, seq).await,
                };
                r.err().map(|e| error_frame(None, e.into())).into_iter().collect()
            }))
        }
        (ClientFrame::Resume { after_seq, dialog_id }, peer) => {
            let peer_dialog: Result<Option<DialogId>, CoreError> = match peer {
                Peer::Operator(..) => parse_dialog(dialog_id.as_deref()).map(Some),
                Peer::Visitor(_) => Ok(None),
            };
            let visitor = match peer {
                Peer::Visitor(a) => Some((**a).clone()),
                Peer::Operator(..) => None,
            };
            let operator = match peer {
                Peer::Operator(a, _) => Some(a.clone()),
                Peer::Visitor(_) => None,
            };
            Some(Box::pin(async move {
                match resume(&s, operator, visitor, peer_dialog, after_seq).await {
                    Ok(frames) => frames,
                    Err(e) => vec![error_frame(None, e.into())],
                }
            }))
        }
    })
}

fn parse_dialog(raw: Option<&str>) -> Result<DialogId, CoreError> {
    raw.and_then(|r| r.parse().ok()).ok_or(CoreError::DialogNotFound)
}

fn ack(client_id: &str, r: Result<frontline_store::Posted, CoreError>) -> String {
    /// Written straight to text (no `serde_json::Value` on the way: one ack per message).
    #[derive(serde::Serialize)]
    struct Ack<'a> {
        r#type: &'static str,
        client_id: &'a str,
        duplicate: bool,
        message: MessageView,
    }
    match r {
        Ok(p) => serde_json::to_string(&Ack {
            r#type: "ack",
            client_id,
            duplicate: p.duplicate,
            message: MessageView::from(&p.message),
        })
        .unwrap_or_else(|e| error_frame(Some(client_id), ApiError::new(ErrorCode::Internal, e.to_string()))),
        Err(e) => error_frame(Some(client_id), e.into()),
    }
}

/// Everything after `after_seq` in one dialog, then `resumed`.
async fn resume(
    s: &HttpState,
    operator: Option<OperatorActor>,
    visitor: Option<VisitorActor>,
    dialog: Result<Option<DialogId>, CoreError>,
    after_seq: i64,
) -> Result<Vec<String>, CoreError> {
    let dialog = dialog?;
    let mut frames = Vec::new();
    let mut after = after_seq.max(0);
    let mut resumed_dialog = dialog;
    loop {
        let page = match (&operator, &visitor, dialog) {
            (Some(op), _, Some(id)) => dialogs::messages(&s.app, op, id, after, 500).await?,
            (_, Some(v), _) => {
                let (d, msgs) = widget::history(&s.app, v, after, 500).await?;
                resumed_dialog = d.map(|d| d.id);
                msgs
            }
            _ => return Err(CoreError::DialogNotFound),
        };
        let n = page.len();
        for m in &page {
            after = m.seq;
            frames.push(
                serde_json::to_string(&Event::MessageCreated { message: MessageView::from(m) }).unwrap_or_default(),
            );
        }
        if n < 500 {
            break;
        }
        if frames.len() >= RESUME_MAX {
            frames.push(json!({"type": "resync", "reason": "too_far_behind"}).to_string());
            return Ok(frames);
        }
    }
    frames.push(json!({"type": "resumed", "dialog_id": resumed_dialog.map(|d| d.0), "last_seq": after}).to_string());
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pings_fall_on_one_grid_a_period_after_the_socket_opened() {
        let start = tokio::time::Instant::now();
        let firsts: Vec<_> = [0_u64, 1, 37, 99, 100, 101, 12_345]
            .iter()
            .map(|ms| {
                let now = start + Duration::from_millis(*ms);
                let first = first_ping(now);
                assert!(first >= now + PING_EVERY, "{ms} ms: the first ping came early");
                assert!(first < now + PING_EVERY + PING_GRID, "{ms} ms: the first ping came a step late");
                first
            })
            .collect();
        for first in &firsts {
            let apart = first.duration_since(firsts[0]).as_nanos();
            assert_eq!(apart % PING_GRID.as_nanos(), 0, "pings off the grid: {apart} ns apart");
        }
        // A clock behind the grid's origin (a test's paused clock) still gets its ping a period on.
        let early = start.checked_sub(Duration::from_secs(3600)).unwrap_or(start);
        assert!(first_ping(early) >= early + PING_EVERY);
    }
}
