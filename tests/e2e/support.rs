//! The test harness: a real server on a free port over a real database — a fresh SQLite
//! file or a fresh PostgreSQL database per test, copied from a template that was
//! migrated and seeded once per run.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use kb_server::ServerConfig;
use kb_store::Store;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::postgres;

/// Tests are silent unless `TEST_LOG` holds a filter (`TEST_LOG=kb_store::sql=trace`).
/// It also makes rustls on ring the TLS provider of the tests' HTTP clients, as the
/// server's `main` does.
pub fn init_logging() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        kb_server::install_crypto();
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs an async set-up on its own runtime in its own thread, so that a template made
/// once outlives the runtime of the test that first asked for it.
fn blocking<T: Send + 'static>(f: impl std::future::Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(f)
    })
    .join()
    .expect("set-up thread")
}

/// The SQLite template: migrated, with the taxonomy and the demo data set. It lives in
/// a folder named after this process; folders of finished runs are removed.
fn sqlite_template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let tmp = std::env::temp_dir();
        if let Ok(entries) = std::fs::read_dir(&tmp) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix("kb-test-template-")
                    && !Path::new("/proc").join(pid).exists()
                {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = tmp.join(format!("kb-test-template-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("template dir");
        let path = dir.join("template.db");
        let _ = std::fs::remove_file(&path);
        let url = format!("sqlite://{}?mode=rwc", path.display());
        blocking(async move {
            let store = Store::connect(&url).await.expect("connect template");
            kb_server::prepare(&store, true)
                .await
                .expect("prepare template");
            store.checkpoint().await.expect("checkpoint");
            store.close().await.expect("close");
        });
        path
    })
}

/// The PostgreSQL template database, and the server it lives on.
fn postgres_template() -> &'static (String, String) {
    static TEMPLATE: OnceLock<(String, String)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let server = postgres::server_url();
        let name = unique("kb_template");
        let (s, n) = (server.clone(), name.clone());
        blocking(async move {
            postgres::create_database(&s, &n, None).await;
            let store = Store::connect(&format!("{s}/{n}"))
                .await
                .expect("connect template");
            kb_server::prepare(&store, true)
                .await
                .expect("prepare template");
            store.close().await.expect("close");
        });
        (server, name)
    })
}

/// The server configuration these `serve` flags give, defaults for the rest.
pub fn config(flags: &[&str]) -> ServerConfig {
    ServerConfig::from_flags(flags.iter().copied()).expect("configuration")
}

/// A running server over its own database.
pub struct TestApp {
    pub addr: SocketAddr,
    /// The database URL the server runs on.
    pub database_url: String,
    pub store: Store,
    pub db: Db,
    /// The server's read model.
    pub model: kb_readmodel::ReadModel,
    client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl TestApp {
    /// A server on `db` with the default configuration. A test asks for PostgreSQL only
    /// after `postgres::skipped` said no; it fails when PostgreSQL cannot start.
    pub async fn spawn(db: Db) -> TestApp {
        Self::spawn_with(db, config(&[])).await
    }

    pub async fn spawn_with(db: Db, config: ServerConfig) -> TestApp {
        init_logging();
        let (url, dir) = match db {
            Db::Sqlite => {
                let template = sqlite_template();
                let dir = tempfile::Builder::new()
                    .prefix("kb-test")
                    .tempdir()
                    .expect("temp dir");
                let path = dir.path().join("kb.db");
                std::fs::copy(template, &path).expect("copy template");
                (format!("sqlite://{}?mode=rwc", path.display()), Some(dir))
            }
            Db::Postgres => {
                let (server, template) = postgres_template();
                let name = unique("kb_test");
                postgres::create_database(server, &name, Some(template)).await;
                (format!("{server}/{name}"), None)
            }
        };
        let mut app = Self::spawn_on(&url, config).await;
        app._dir = dir;
        app
    }

    /// Another server over the database at `url` (which exists and is prepared).
    pub async fn spawn_on(url: &str, config: ServerConfig) -> TestApp {
        init_logging();
        let db = if url.starts_with("sqlite:") {
            Db::Sqlite
        } else {
            Db::Postgres
        };
        let url = url.to_owned();
        let store = Store::connect(&url).await.expect("connect");
        kb_server::prepare(&store, true).await.expect("prepare");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = oneshot::channel::<()>();
        let server_store = store.clone();
        let model = kb_readmodel::ReadModel::build(&store)
            .await
            .expect("read model");
        let server_model = model.clone();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            kb_server::serve_model(listener, server_store, server_model, config, shutdown)
                .await
                .expect("serve");
        });
        TestApp {
            addr,
            database_url: url,
            store,
            db,
            model,
            client: reqwest::Client::new(),
            stop: Some(stop),
            _dir: None,
        }
    }

    /// Lets the read model catch up with what a test wrote straight into the store (the
    /// API's own writes are seen at once; other writers within the follow interval).
    pub async fn caught_up(&self) {
        self.model.sync().await.expect("read model sync");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The secret of a new API key named `name` with `role`.
    pub async fn key(&self, role: kb_domain::Role, name: &str) -> String {
        self.store
            .create_api_key(&kb_store::Actor::cli(), name, role, None, None)
            .await
            .expect("key")
            .secret
    }

    /// The global id of the demo organisation `slug`, as mutations take it.
    pub async fn organisation_id(&self, slug: &str) -> String {
        let organisation = self
            .store
            .organisation_by_slug(kb_domain::Viewer::Editor, slug)
            .await
            .expect("lookup")
            .unwrap_or_else(|| panic!("no organisation {slug}"));
        kb_domain::GlobalId::new(kb_domain::NodeKind::Organisation, organisation.id.0).encode()
    }

    /// POSTs a query with variables and returns the whole JSON response.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.gql_with(query, variables, HeaderMap::new()).await
    }

    /// POSTs a query with an API key.
    pub async fn gql_as(&self, key: &str, query: &str, variables: Value) -> Value {
        let mut h = HeaderMap::new();
        h.insert(
            "authorization",
            HeaderValue::from_str(&format!("Bearer {key}")).expect("header"),
        );
        self.gql_with(query, variables, h).await
    }

    pub async fn gql_with(&self, query: &str, variables: Value, headers: HeaderMap) -> Value {
        let r = self
            .client
            .post(self.url("/graphql"))
            .headers(headers)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request");
        r.json().await.expect("JSON response")
    }

    /// The `data` of a query that must succeed.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let r = self.gql(query, variables).await;
        assert!(r.get("errors").is_none(), "unexpected errors: {r:#}");
        r["data"].clone()
    }

    /// The statements the store executed while running `query`, and its response.
    pub async fn count_statements(&self, query: &str, variables: Value) -> (u64, Value) {
        let before = self.store.statement_count();
        let r = self.gql(query, variables).await;
        (self.store.statement_count() - before, r)
    }

    /// The same with an API key.
    pub async fn count_statements_as(
        &self,
        key: &str,
        query: &str,
        variables: Value,
    ) -> (u64, Value) {
        let before = self.store.statement_count();
        let r = self.gql_as(key, query, variables).await;
        (self.store.statement_count() - before, r)
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// The `kennisbank` binary with an empty environment: it sees only what a test gives it,
/// never the `KB_*` variables of the shell the tests run in.
pub fn kennisbank() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kennisbank"));
    c.env_clear();
    c
}

/// `kennisbank serve` as a process of its own, on an empty SQLite database (taxonomy, no
/// demo data) in a folder of its own, on a free port: for what only a real process shows,
/// such as how it answers a signal and how it exits. What it logs is kept, not printed.
pub struct Served {
    pub addr: SocketAddr,
    child: tokio::process::Child,
    log: tokio::task::JoinHandle<String>,
    _dir: tempfile::TempDir,
}

impl Served {
    /// Starts `kennisbank serve` with `args` and `env` (logs as JSON) and waits until
    /// `/readyz` answers.
    pub async fn start(args: &[&str], env: &[(&str, &str)]) -> Served {
        use tokio::io::AsyncReadExt;
        init_logging();
        let dir = tempfile::tempdir().expect("temp dir");
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let mut child = tokio::process::Command::from(kennisbank())
            .current_dir(dir.path())
            .args(["--database-url", "sqlite://kb.db?mode=rwc", "--log-format"])
            .args(["json", "serve", "--no-demo", "--bind", &addr.to_string()])
            .args(args)
            .envs(env.iter().copied())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("serve");
        // Read all along, so that the server never waits for a full pipe.
        let mut stderr = child.stderr.take().expect("stderr");
        let log = tokio::spawn(async move {
            let mut log = String::new();
            let _ = stderr.read_to_string(&mut log).await;
            log
        });
        let client = reqwest::Client::new();
        for _ in 0..600 {
            let ready = client
                .get(format!("http://{addr}/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return Served {
                    addr,
                    child,
                    log,
                    _dir: dir,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                let log = log.await.unwrap_or_default();
                panic!("the server exited ({status}) before it was ready:\n{log}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the server was not ready within 30 s");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The server's working directory, which holds its database `kb.db`.
    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// Sends the server SIGTERM.
    #[allow(unsafe_code)]
    pub fn terminate(&self) {
        let pid = self.child.id().expect("a running server has an id");
        let pid = libc::pid_t::try_from(pid).expect("a process id");
        // SAFETY: kill(2) only sends a signal, here to the child this value owns (kept from
        // being reaped, so its id is not reused, until `exit` waits for it).
        let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(sent, 0, "SIGTERM: {}", std::io::Error::last_os_error());
    }

    /// Waits at most `limit` for the server to exit: its status and the log lines it wrote
    /// (JSON), which `TEST_LOG` also prints.
    pub async fn exit(
        mut self,
        limit: std::time::Duration,
    ) -> (std::process::ExitStatus, Vec<Value>) {
        let status = tokio::time::timeout(limit, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("the server did not exit within {limit:?}"))
            .expect("exit status");
        let log = self.log.await.expect("log");
        if std::env::var_os("TEST_LOG").is_some() {
            eprintln!("{log}");
        }
        let lines = log
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        (status, lines)
    }
}

/// The first error's `extensions.code`.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<none>")
}

/// A header map with one header.
pub fn header(name: &'static str, value: &'static str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(name, HeaderValue::from_static(value));
    h
}

/// Declares the two tests of a scenario, `NAME::sqlite` and `NAME::postgres`: each runs
/// `async fn NAME(app: TestApp)`, declared next to it, on a fresh server over that
/// database. The scenario is an ordinary function, so rustfmt formats it. Without
/// PostgreSQL the second test fails, unless `KB_TEST_SKIP_POSTGRES=1` (see `postgres`).
#[macro_export]
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::support::TestApp::spawn($crate::support::Db::Sqlite).await;
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::postgres::skipped(concat!(module_path!(), "::postgres")) {
                    return;
                }
                let app = $crate::support::TestApp::spawn($crate::support::Db::Postgres).await;
                super::$name(app).await;
            }
        }
    };
}

/// The value at a dotted path in a response (`"data.initiative.themes.0.code"`, where a
/// number indexes an array), or `Value::Null` where there is none, as indexing gives.
pub fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(value, |v, key| match key.parse::<usize>() {
            Ok(i) if v.is_array() => &v[i],
            _ => &v[key],
        })
}
