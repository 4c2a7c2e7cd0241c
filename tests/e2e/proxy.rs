//! A reverse proxy in front of the server, as a deployment puts one there: it ends TLS on
//! one port, takes plain HTTP on another, and forwards every request to the server with
//! `X-Forwarded-Proto` (the scheme the client used) and `X-Forwarded-For` (the client's
//! address). The server, told to trust the proxy's address, sends what came over plain
//! HTTP to HTTPS. The certificate is for `localhost`, self-signed and made for the run;
//! clients trust it through the PEM file the proxy writes (Node: `NODE_EXTRA_CA_CERTS`).
//!
//! The proxy is an axum router whose one handler forwards with reqwest; the TLS port is
//! an axum [`Listener`] that hands over connections after their rustls handshake.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::serve::{IncomingStream, Listener};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::rustls::pki_types::PrivatePkcs8KeyDer;
use tokio_rustls::rustls::{ServerConfig, crypto::ring};
use tokio_rustls::{TlsAcceptor, server::TlsStream};

/// The proxy's two ports, bound on the loopback network and not answering yet: the
/// server to forward to is started once it knows the HTTPS port of its public URL.
pub struct Listening {
    /// The TLS port, where `https://localhost:PORT` reaches.
    pub https: SocketAddr,
    /// The plain-HTTP port, a deployment's port 80.
    pub http: SocketAddr,
    tls: TlsListener,
    plain: TcpListener,
    /// The certificate's folder, holding `localhost.pem`.
    dir: tempfile::TempDir,
}

/// The proxy, forwarding; it stops when dropped.
pub struct Proxy {
    /// The plain-HTTP port.
    pub http: SocketAddr,
    /// The certificate as PEM, for clients to trust.
    pub certificate: PathBuf,
    _dir: tempfile::TempDir,
    tasks: [JoinHandle<()>; 2],
}

impl Drop for Proxy {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl Listening {
    /// Makes the certificate and binds both ports.
    pub async fn bind() -> Listening {
        let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
            .expect("a certificate for localhost");
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("localhost.pem"), made.cert.pem()).expect("write PEM");
        let key = PrivatePkcs8KeyDer::from(made.signing_key.serialize_der());
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![made.cert.der().clone()], key.into())
            .expect("TLS configuration");
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        let tcp = TcpListener::bind(loopback).await.expect("bind TLS port");
        let plain = TcpListener::bind(loopback).await.expect("bind HTTP port");
        Listening {
            https: tcp.local_addr().expect("address"),
            http: plain.local_addr().expect("address"),
            tls: TlsListener {
                tcp,
                acceptor: TlsAcceptor::from(Arc::new(config)),
            },
            plain,
            dir,
        }
    }

    /// Starts forwarding to the server at `backend`.
    pub fn forward_to(self, backend: SocketAddr) -> Proxy {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .expect("client");
        let router = |scheme| {
            Router::new()
                .fallback(forward)
                .with_state(Arc::new(Forward {
                    client: client.clone(),
                    backend,
                    scheme,
                }))
                .into_make_service_with_connect_info::<Peer>()
        };
        let (secure, insecure) = (router("https"), router("http"));
        let Listening {
            http,
            tls,
            plain,
            dir,
            ..
        } = self;
        let tls = tokio::spawn(async move {
            let _ = axum::serve(tls, secure).await;
        });
        let plain = tokio::spawn(async move {
            let _ = axum::serve(plain, insecure).await;
        });
        Proxy {
            http,
            certificate: dir.path().join("localhost.pem"),
            _dir: dir,
            tasks: [tls, plain],
        }
    }
}

/// Where the proxy forwards to, and the scheme its port speaks.
struct Forward {
    client: reqwest::Client,
    backend: SocketAddr,
    scheme: &'static str,
}

/// The address a connection came from.
#[derive(Debug, Clone, Copy)]
struct Peer(IpAddr);

impl Connected<IncomingStream<'_, TlsListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        Peer(stream.remote_addr().ip())
    }
}

impl Connected<IncomingStream<'_, TcpListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, TcpListener>) -> Self {
        Peer(stream.remote_addr().ip())
    }
}

/// Headers of one connection, which a proxy does not pass on.
const HOP_BY_HOP: [header::HeaderName; 5] = [
    header::CONNECTION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

fn without_hop_by_hop(mut headers: HeaderMap) -> HeaderMap {
    for name in HOP_BY_HOP {
        headers.remove(name);
    }
    headers.remove("keep-alive");
    headers
}

/// Forwards one request, `Host` as the client sent it, and returns the server's answer
/// as it is (redirects included, bodies not decoded).
async fn forward(
    State(to): State<Arc<Forward>>,
    ConnectInfo(Peer(peer)): ConnectInfo<Peer>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut headers = without_hop_by_hop(parts.headers);
    // The scheme is the proxy's to say, whatever the client claimed; addresses append.
    headers.insert("x-forwarded-proto", HeaderValue::from_static(to.scheme));
    let forwarded_for = match headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(earlier) => format!("{earlier}, {peer}"),
        None => peer.to_string(),
    };
    headers.insert(
        "x-forwarded-for",
        HeaderValue::from_str(&forwarded_for).expect("addresses are a header value"),
    );
    let Ok(body) = axum::body::to_bytes(body, 16 << 20).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let answer = to
        .client
        .request(parts.method, format!("http://{}{path}", to.backend))
        .headers(headers)
        .body(body)
        .send()
        .await;
    let Ok(answer) = answer else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let status = answer.status();
    let headers = without_hop_by_hop(answer.headers().clone());
    let Ok(body) = answer.bytes().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

/// The TLS port: connections after a completed handshake.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (tcp, peer) = Listener::accept(&mut self.tcp).await;
            // Handshakes run one at a time, so one that stalls may hold the others only
            // briefly; a client that refuses the certificate is simply gone.
            let handshake = self.acceptor.accept(tcp);
            if let Ok(Ok(tls)) = tokio::time::timeout(Duration::from_secs(5), handshake).await {
                return (tls, peer);
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}
