//! The Kennisbank server: configuration, the axum router that serves the GraphQL API, the
//! website, the exports and the feeds, health checks and graceful shutdown. It only wires
//! the other crates together: no SQL, no GraphQL types, no domain rules live here, and
//! what goes in and out as files (exports, feeds, import and dump files) is `kb-exchange`'s,
//! which the routes and the commands only adapt to HTTP and to the command line.

// The schema's resolver futures nest deeper than the default limit of 128 allows the
// optimiser to lay out in a release build.
#![recursion_limit = "256"]

/// Entity tags and `304 Not Modified` for the exports, the feeds and GET queries.
mod caching;
/// Brotli or gzip for every text answer, as a layer of the router.
pub mod compression;
/// Configuration from flags and `KB_*` environment variables.
pub mod config;
/// The HTTP surface: `/graphql` (POST, GET, GraphiQL), `/healthz`, `/readyz`, the
/// `/export/…` downloads and the `/feeds/…`.
mod http;
/// Subscriptions over WebSocket.
mod live;
/// Mail over SMTP: sign-in links, in the person's language, plain text and HTML.
pub mod mail;
/// Keeping resident memory near the memory in use.
pub mod memory;
/// Prometheus metrics at `/metrics`.
pub mod metrics;
/// E-mail notifications of the moderation workflow: following the change log into the
/// outbox and sending what is due.
pub mod notify;
/// OpenID Connect providers and the relying party's side of signing in with them.
mod oidc;
/// The public address links are built from, the hosts the site answers, and the proxies
/// whose forwarded addresses count.
pub mod public;
/// Rate limits per key and per client address.
pub mod rate;
/// Graceful shutdown: the signals, the word to subscribers, the drain deadline.
pub mod shutdown;
/// Logs on stderr and the optional OpenTelemetry export of traces.
pub mod telemetry;

use std::net::SocketAddr;

use axum::serve::ListenerExt;
use kb_store::Store;
use tokio::net::TcpListener;

pub use config::ServerConfig;
pub use http::router;
use shutdown::{Connections, CountedListener, Shutdown};

/// Migrates the database and, when it is empty, loads the taxonomy and (unless
/// `demo` is false) the demo data set; loads the lexicon of search when it is empty.
#[tracing::instrument(skip(store))]
pub async fn prepare(store: &Store, demo: bool) -> anyhow::Result<()> {
    store.migrate().await?;
    store.optimize().await?;
    if !store.has_taxonomy().await? {
        store.seed_taxonomy().await?;
        tracing::info!("loaded the taxonomy");
        if demo {
            let s = store.seed_demo().await?;
            tracing::info!(
                initiatives = s.initiatives,
                organisations = s.organisations,
                events = s.events,
                "loaded the demo data set"
            );
        }
    }
    // The lexicon of search is reference data: loaded into a database made before it
    // existed too, with or without the demo data.
    let entries = store.seed_lexicon().await?;
    if entries > 0 {
        tracing::info!(entries, "loaded the lexicon of search");
    }
    Ok(())
}

/// Serves on `listener` until `shutdown` completes, then drains as [`serve_model`] says.
pub async fn serve(
    listener: TcpListener,
    store: Store,
    config: ServerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let model = read_model(&store, config.index_dir.as_deref()).await?;
    serve_model(listener, store, model, config, shutdown).await
}

/// Where the search index of `store` is kept: `index_dir`, or beside an SQLite file.
pub fn index_dir(store: &Store, index_dir: Option<&std::path::Path>) -> Option<std::path::PathBuf> {
    index_dir.map(ToOwned::to_owned).or_else(|| {
        store.sqlite_file().map(|f| {
            let mut name = f.into_os_string();
            name.push(".search");
            std::path::PathBuf::from(name)
        })
    })
}

/// The read model of `store`, with its search index on disk where it has a place.
pub async fn read_model(
    store: &Store,
    index_dir: Option<&std::path::Path>,
) -> anyhow::Result<kb_readmodel::ReadModel> {
    let model = match self::index_dir(store, index_dir) {
        Some(dir) => kb_readmodel::ReadModel::build_on_disk(store, &dir).await?,
        None => kb_readmodel::ReadModel::build(store).await?,
    };
    // Building read every initiative; what it needed only meanwhile goes back.
    memory::release_free();
    Ok(model)
}

/// Serves with a read model built by the caller (tests keep a handle on it, to let it
/// catch up with what they wrote straight into the store).
///
/// When `shutdown` completes the server stops accepting, closes every subscriber's
/// WebSocket with 1001 (Going Away) and lets the requests in flight finish, for at most
/// `config.shutdown_grace`: connections still open then are cut.
/// Makes rustls on ring the process's TLS provider, for every HTTPS client (reqwest is
/// built without a provider of its own, so it uses this one). Call it before making any
/// HTTP client; later calls do nothing.
pub fn install_crypto() {
    let _already = rustls::crypto::ring::default_provider().install_default();
}

pub async fn serve_model(
    listener: TcpListener,
    store: Store,
    model: kb_readmodel::ReadModel,
    config: ServerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    install_crypto();
    // Sign-in settings that cannot work stop the start, rather than a way to sign in
    // silently missing.
    oidc::OidcProvider::from_flags(
        &config.oidc_issuer,
        &config.oidc_client_id,
        &config.oidc_client_secret,
        &config.oidc_name,
        "",
    )
    .map_err(anyhow::Error::msg)?;
    let mailer = match &config.smtp_url {
        Some(url) => Some(mail::Mailer::new(url, &config.mail_from).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let follower = model.follow(config.follow_interval);
    let purger = tokio::spawn(purge_sign_ins(store.clone(), config.session_lifetime()));
    let bound = listener.local_addr()?;
    // Notifications go out only where mail can; the outbox's start is noted before the
    // first request is served.
    let notifier = match mailer {
        Some(mailer) => Some(
            notify::Notifier {
                store: store.clone(),
                mailer,
                origin: config.public_address(bound).origin().to_owned(),
                interval: config.notify_interval,
                backoff: kb_store::Backoff {
                    first: config.notify_retry,
                },
            }
            .start()
            .await,
        ),
        None => None,
    };
    match &config.public_url {
        Some(url) => tracing::info!(public_url = %url, "links point to the public URL"),
        None => tracing::warn!(
            public_url = %config.public_address(bound),
            "no --public-url: links point to the bound address, and the website answers only it and its loopback names"
        ),
    }
    let going_away = Shutdown::default();
    let app = router(store, model, &config, bound, going_away.clone());
    let connections = Connections::default();
    // axum gives handlers the client's address (`ConnectInfo<SocketAddr>`) from its own
    // listener and from any listener behind `tap_io`; there is nothing else to tap here.
    let listener = CountedListener::new(listener, connections.clone()).tap_io(|_| {});
    let begin = going_away.clone();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        begin.begin();
    });
    // The HTTP connections end when axum has finished with them; the WebSockets, which
    // have left axum, once their subscribers have been told to go.
    let drained = async {
        server.await?;
        connections.closed().await;
        anyhow::Ok(())
    };
    let deadline = async {
        going_away.begun().await;
        tokio::time::sleep(config.shutdown_grace).await;
    };
    tokio::select! {
        drained = drained => drained?,
        () = deadline => tracing::warn!(
            cut = connections.open(),
            grace = ?config.shutdown_grace,
            "connections still open at the drain deadline are cut"
        ),
    }
    follower.abort();
    purger.abort();
    if let Some(notifier) = notifier {
        notifier.abort();
    }
    Ok(())
}

/// Deletes sessions that ended by time, and lapsed sign-in links and attempts, a minute
/// after start (not amid the first requests) and every hour after, so nothing about a
/// sign-in is kept longer than it can be used.
async fn purge_sign_ins(store: Store, lifetime: kb_store::SessionLifetime) {
    let hour = std::time::Duration::from_secs(3600);
    let first = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut every = tokio::time::interval_at(first, hour);
    loop {
        every.tick().await;
        match (
            store.purge_sessions(lifetime).await,
            store.purge_sign_ins().await,
        ) {
            (Ok(sessions), Ok(sign_ins)) => {
                tracing::debug!(
                    sessions,
                    sign_ins,
                    "ended sessions and lapsed sign-ins deleted"
                );
            }
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "ended sessions or lapsed sign-ins could not be deleted");
            }
        }
    }
}
