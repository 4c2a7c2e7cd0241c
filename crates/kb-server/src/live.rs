//! Subscriptions over WebSocket at `/graphql`: the graphql-transport-ws protocol (and
//! the older graphql-ws one), authenticated like any request, at most
//! `--max-subscriptions-per-key` open at once per key or, without one, per client address.
//! When the server shuts down every socket is closed with 1001 (Going Away), so that
//! subscribers reconnect elsewhere instead of holding the drain open.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use async_graphql::futures_util::stream::{self, BoxStream};
use async_graphql::futures_util::{SinkExt, StreamExt};
use async_graphql::http::{WebSocket as GraphQLWebSocket, WebSocketProtocols, WsMessage};
use async_graphql::{Data, ErrorExtensionValues, Executor, Request, Response, ServerError};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::http::HeaderMap;
use axum::response::Response as HttpResponse;
use kb_domain::ErrorCode;
use kb_graphql::RequestContext;
use kb_store::{Store, StoreError};

use crate::shutdown::Shutdown;

/// The reason of the close frame subscribers get at shutdown.
const GOING_AWAY: &str = "server shutting down";

/// How long a socket closed at shutdown waits for the client's close frame in answer.
const CLOSE_ANSWER: std::time::Duration = std::time::Duration::from_secs(1);

/// Who a bound on open subscriptions counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Holder {
    Key(kb_domain::ApiKeyId),
    Address(IpAddr),
}

/// What the subscriptions of every connection share: the slots per holder, and the
/// shutdown at which their sockets are closed.
#[derive(Debug, Clone)]
pub(crate) struct Subscriptions {
    slots: Arc<Slots>,
    shutdown: Shutdown,
}

impl Subscriptions {
    pub(crate) fn new(per_holder: usize, shutdown: Shutdown) -> Self {
        Self {
            slots: Slots::new(per_holder),
            shutdown,
        }
    }
}

/// The subscriptions open per holder, at most `per_holder` each.
#[derive(Debug)]
struct Slots {
    per_holder: usize,
    open: Mutex<HashMap<Holder, usize>>,
}

/// One open subscription; its slot is given back when it is dropped.
struct Slot {
    slots: Arc<Slots>,
    holder: Holder,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.holder) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.holder);
            }
        }
    }
}

impl Slots {
    fn new(per_holder: usize) -> Arc<Self> {
        Arc::new(Self {
            per_holder,
            open: Mutex::default(),
        })
    }

    fn take(self: &Arc<Self>, holder: Holder) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(holder).or_default();
        if *n >= self.per_holder {
            return None;
        }
        *n += 1;
        Some(Slot {
            slots: self.clone(),
            holder,
        })
    }
}

/// What each operation of one connection runs with.
#[derive(Clone)]
struct Live {
    schema: kb_graphql::KbSchema,
    store: Store,
    slots: Arc<Slots>,
    address: IpAddr,
    /// From the upgrade request's `Authorization` header, or anonymous; a key in the
    /// `connection_init` payload replaces it.
    context: Arc<RequestContext>,
}

impl Live {
    /// The connection's context: the one `connection_init` authenticated, else the
    /// upgrade request's.
    fn context(&self, session: Option<&Arc<Data>>) -> RequestContext {
        session
            .and_then(|d| d.get(&std::any::TypeId::of::<Arc<RequestContext>>()))
            .and_then(|v| v.downcast_ref::<Arc<RequestContext>>())
            .unwrap_or(&self.context)
            .as_ref()
            .clone()
    }
}

fn coded_response(code: ErrorCode, message: String) -> Response {
    let mut e = ServerError::new(message, None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code.as_str());
    e.extensions = Some(ext);
    Response::from_errors(vec![e])
}

impl Executor for Live {
    async fn execute(&self, request: Request) -> Response {
        let ctx = self.context(None);
        if let Err(e) = trusted(&self.store, &ctx, &request).await {
            return coded_response(e.code, e.message);
        }
        kb_graphql::execute_one(&self.schema, &self.store, ctx, request).await
    }

    fn execute_stream(
        &self,
        request: Request,
        session: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let ctx = self.context(session.as_ref());
        // A key restricted to trusted documents runs only those here too.
        if ctx.key.as_ref().is_some_and(|k| k.restricted()) {
            let live = self.clone();
            return stream::once(async move {
                match trusted(&live.store, &ctx, &request).await {
                    Ok(()) => live.stream(ctx, request, session),
                    Err(e) => {
                        stream::once(async move { coded_response(e.code, e.message) }).boxed()
                    }
                }
            })
            .flatten()
            .boxed();
        }
        self.stream(ctx, request, session)
    }
}

/// Whether the connection's key may run this operation (see
/// [`kb_graphql::persisted::trusted`]).
async fn trusted(
    store: &Store,
    ctx: &RequestContext,
    request: &Request,
) -> Result<(), kb_domain::DomainError> {
    kb_graphql::persisted::trusted(
        store,
        ctx.key.as_ref(),
        &request.query,
        request.operation_name.as_deref(),
    )
    .await
}

impl Live {
    /// Runs a subscription in one of the holder's slots.
    fn stream(
        &self,
        ctx: RequestContext,
        request: Request,
        session: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let holder = match &ctx.key {
            Some(k) => Holder::Key(k.id),
            None => Holder::Address(self.address),
        };
        let Some(slot) = self.slots.take(holder) else {
            let message = format!(
                "at most {} subscriptions may be open at once per key (or per address without one)",
                self.slots.per_holder
            );
            return stream::once(async move { coded_response(ErrorCode::LimitExceeded, message) })
                .boxed();
        };
        kb_graphql::execute_stream(&self.schema, &self.store, ctx, request, session)
            .map(move |r| {
                // The slot is held as long as the stream runs.
                let _held = &slot;
                r
            })
            .boxed()
    }
}

/// The protocol the client asked for in `Sec-WebSocket-Protocol`, of those served.
pub(crate) fn protocol(headers: &HeaderMap) -> Option<WebSocketProtocols> {
    headers
        .get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())?
        .split(',')
        .find_map(|p| p.trim().parse().ok())
}

/// Upgrades to a WebSocket that serves GraphQL over `protocol` for `context`.
pub(crate) fn upgrade(
    upgrade: WebSocketUpgrade,
    protocol: WebSocketProtocols,
    schema: kb_graphql::KbSchema,
    store: Store,
    subscriptions: &Subscriptions,
    address: IpAddr,
    context: RequestContext,
) -> HttpResponse {
    let live = Live {
        schema,
        store,
        slots: subscriptions.slots.clone(),
        address,
        context: Arc::new(context),
    };
    let shutdown = subscriptions.shutdown.clone();
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(socket, live, protocol, shutdown))
}

/// The key in a `connection_init` payload: `{"Authorization": "Bearer …"}` (any case of
/// the name), or none.
fn payload_secret(payload: &serde_json::Value) -> Option<Result<String, String>> {
    let value = payload
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))?
        .1;
    Some(
        value
            .as_str()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|s| s.trim().to_owned())
            .ok_or_else(|| "use \"Authorization\": \"Bearer <API key>\"".to_owned()),
    )
}

/// Serves GraphQL on `socket` until either side closes it, or until `shutdown` begins:
/// then the socket is closed with 1001 (Going Away).
async fn serve(socket: WebSocket, live: Live, protocol: WebSocketProtocols, shutdown: Shutdown) {
    let (mut sink, source) = socket.split();
    let input = source
        .take_while(|m| std::future::ready(m.is_ok()))
        .filter_map(|m| {
            std::future::ready(match m {
                Ok(Message::Text(t)) => Some(t.as_bytes().to_vec()),
                Ok(Message::Binary(b)) => Some(b.to_vec()),
                _ => None,
            })
        });
    let store = live.store.clone();
    let lang = live.context.lang;
    // The close code of a refused `connection_init`: 4403 for credentials (as the
    // protocol asks), 1011 when the database cannot be reached.
    let refused = Arc::new(std::sync::atomic::AtomicU16::new(0));
    let refusal = refused.clone();
    let mut messages = GraphQLWebSocket::new(live, input, protocol).on_connection_init(
        move |payload| async move {
            let mut data = Data::default();
            let refuse = |code: u16, message: String| {
                refusal.store(code, std::sync::atomic::Ordering::Release);
                Err(async_graphql::Error::new(message))
            };
            match payload_secret(&payload) {
                None => {}
                Some(Err(m)) => return refuse(4403, m),
                Some(Ok(secret)) => match store.authenticate(&secret).await {
                    Ok(key) => data.insert(Arc::new(RequestContext::new(Some(key), lang))),
                    Err(StoreError::Domain(e)) => return refuse(4403, e.message),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot authenticate a subscriber");
                        return refuse(
                            1011,
                            "the database cannot be reached just now; try again shortly".into(),
                        );
                    }
                },
            }
            Ok(data)
        },
    );
    let going_away = shutdown.begun();
    tokio::pin!(going_away);
    loop {
        let message = tokio::select! {
            message = messages.next() => message,
            () = &mut going_away => {
                let frame = CloseFrame {
                    code: close_code::AWAY,
                    reason: GOING_AWAY.into(),
                };
                if sink.send(Message::Close(Some(frame))).await.is_ok() {
                    // The client answers with a close frame, after which the stream of
                    // messages ends; one that does not answer is not waited for long.
                    let answered = async { while messages.next().await.is_some() {} };
                    let _ = tokio::time::timeout(CLOSE_ANSWER, answered).await;
                }
                break;
            }
        };
        let Some(message) = message else {
            break;
        };
        let sent = match message {
            WsMessage::Text(text) => sink.send(Message::Text(text.into())).await,
            WsMessage::Close(code, reason) => {
                let code = match refused.load(std::sync::atomic::Ordering::Acquire) {
                    0 => code,
                    ours => ours,
                };
                let frame = CloseFrame {
                    code,
                    reason: reason.into(),
                };
                let _ = sink.send(Message::Close(Some(frame))).await;
                break;
            }
        };
        if sent.is_err() {
            break;
        }
    }
}
