//! Storage faults under the real binary: the SQLite database's disk filling up, the
//! search index's disk filling up while the database has room, and PostgreSQL stopped in
//! the middle of a burst of writes and then paused with SIGSTOP. In each, every request
//! answers with a code within the request time, the server stays up and serves reads,
//! writes succeed again in the same process once the fault is gone, and after a restart
//! every write the server acknowledged is there.
//!
//! The small disks are tmpfs mounts, which need root (as CI runs); where the test process
//! cannot mount, those tests say so and return.
#![allow(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kb_domain::{NodeId, Role, Viewer};
use serde_json::{Value, json};

/// The request time the servers here run with.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How much longer than the request time an answer may take to arrive (a loaded machine).
const MARGIN: Duration = Duration::from_secs(3);

/// A tmpfs of its own, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `size` (`12m`); `None`, said on the terminal, where this process
    /// may not mount (it must run as root, as CI does).
    fn mount(size: &str, test: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "{test}: skipped, this process cannot mount a tmpfs (run the tests as root)"
            );
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Gives the file system `size`, keeping what is on it.
    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.dir.path())
            .status()
            .expect("mount");
        assert!(status.success(), "remount");
    }

    /// Fills what room is left with a file, until the file system refuses more.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.dir.path().join("ballast");
        let mut file = std::fs::File::create(&path).expect("ballast");
        let block = vec![0x5au8; 64 * 1024];
        while file.write_all(&block).and_then(|()| file.flush()).is_ok() {}
        let small = [0x5au8; 512];
        while file.write_all(&small).and_then(|()| file.flush()).is_ok() {}
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// `kennisbank serve` on `url` (seeded with the demo data) with its index in `index`, a
/// short request time and a quick follower, as a child process; its log goes to a file
/// shown when a test fails.
struct Server {
    child: tokio::process::Child,
    base: String,
    log: PathBuf,
}

impl Server {
    async fn start(url: &str, index: &Path, log: &Path) -> Server {
        // The process's TLS provider, which every HTTP client of the tests needs.
        crate::support::init_logging();
        let port = crate::support::free_port();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("log file");
        let child = tokio::process::Command::from(crate::support::kennisbank())
            .args(["--database-url", url, "serve", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--index-dir")
            .arg(index)
            .args([
                "--request-timeout-secs",
                &REQUEST_TIMEOUT.as_secs().to_string(),
            ])
            .args(["--follow-interval-secs", "0.5"])
            .env("KB_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(file)
            .kill_on_drop(true)
            .spawn()
            .expect("serve");
        let base = format!("http://127.0.0.1:{port}");
        let server = Server {
            child,
            base,
            log: log.to_owned(),
        };
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client
                .get(server.url("/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server did not get ready:\n{}", server.log_tail());
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Kills the server with SIGKILL: nothing it had not committed may be relied on.
    async fn kill(mut self) {
        self.child.start_kill().expect("SIGKILL");
        self.child.wait().await.expect("killed");
    }

    /// Whether the server still runs.
    fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// A GraphQL request, with the key if one is given: the JSON answer.
    async fn gql(&self, key: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = reqwest::Client::new().post(self.url("/graphql"));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        request
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON")
    }

    /// `/readyz`: its status and text.
    async fn ready(&self) -> (u16, String) {
        let r = reqwest::get(self.url("/readyz")).await.expect("readyz");
        (r.status().as_u16(), r.text().await.expect("text"))
    }
}

/// An editor's key and the id of the organisation that leads the initiatives written.
async fn editor(url: &str) -> (String, String) {
    let store = kb_store::Store::connect(url).await.expect("connect");
    let key = store
        .create_api_key(&kb_store::Actor::cli(), "faults", Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let lead = store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("query")
        .expect("organisation")
        .id
        .global()
        .encode();
    store.close().await.expect("close");
    (key, lead)
}

const CREATE: &str =
    "mutation($i: InitiativeInput!) { createInitiative(input: $i) { initiative { id title } } }";

/// A body of about `words` × 9 bytes that compresses poorly (no file system or index
/// gets it cheaply), different for each `seed`.
fn body(seed: u64, words: usize) -> String {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut text = String::with_capacity(words * 9);
    for _ in 0..words {
        for _ in 0..8 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push(char::from(b'a' + ((x >> 33) % 26) as u8));
        }
        text.push(' ');
    }
    text
}

/// How one write ended.
#[derive(Debug, Clone)]
enum Outcome {
    /// Acknowledged, with the new initiative's id and title.
    Written(String, String),
    /// Refused with an error code and its reason, if it has one.
    Refused(String, Option<String>, u16),
}

/// Creates one initiative titled `title`; how it ended, and how long the answer took.
async fn create(
    client: &reqwest::Client,
    server: &str,
    key: &str,
    lead: &str,
    title: &str,
    words: usize,
    seed: u64,
) -> (Outcome, Duration) {
    let vars = json!({
        "i": {
            "title": title, "summary": "Geschreven tijdens een storingsproef.",
            "body": body(seed, words),
            "kind": "TOOL", "themes": ["support"], "topics": ["resilience"],
            "organisations": [{ "organisation": lead, "role": "LEAD" }],
        },
    });
    let started = Instant::now();
    let r = client
        .post(format!("{server}/graphql"))
        .bearer_auth(key)
        .json(&json!({ "query": CREATE, "variables": vars }))
        .send()
        .await
        .expect("the server answers every request");
    let status = r.status().as_u16();
    let body: Value = r.json().await.expect("a JSON answer");
    let took = started.elapsed();
    let outcome = match body["data"]["createInitiative"]["initiative"]["id"].as_str() {
        Some(id) => Outcome::Written(id.to_owned(), title.to_owned()),
        None => Outcome::Refused(
            crate::support::error_code(&body).to_owned(),
            body["errors"][0]["extensions"]["reason"]
                .as_str()
                .map(str::to_owned),
            status,
        ),
    };
    (outcome, took)
}

/// After a restart: every acknowledged initiative is there with its title.
async fn all_there(server: &Server, key: &str, written: &[(String, String)]) {
    let ids: Vec<&String> = written.iter().map(|(id, _)| id).collect();
    let r = server
        .gql(
            Some(key),
            "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Initiative { id title } } }",
            json!({ "ids": ids }),
        )
        .await;
    let nodes = r["data"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(nodes.len(), written.len());
    let missing: Vec<&String> = nodes
        .iter()
        .zip(written)
        .filter(|(node, (id, title))| node["id"] != id.as_str() || node["title"] != title.as_str())
        .map(|(_, (_, title))| title)
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged writes are missing after a restart: {missing:?}",
        missing.len(),
        written.len()
    );
}

/// How many of the drafts the editor's search finds for `word`.
async fn found(server: &Server, key: &str, word: &str) -> u64 {
    let r = server
        .gql(
            Some(key),
            "query($q: String!) { search(query: $q, filter: { statuses: [DRAFT] }) { totalCount } }",
            json!({ "q": word }),
        )
        .await;
    r["data"]["search"]["totalCount"]
        .as_u64()
        .unwrap_or_else(|| panic!("{r}"))
}

/// A read that needs the database and the read model: the published initiatives.
async fn reads(server: &Server) -> u64 {
    let r = server
        .gql(
            None,
            "{ initiatives(first: 3) { totalCount nodes { title } } }",
            json!({}),
        )
        .await;
    r["data"]["initiatives"]["totalCount"]
        .as_u64()
        .unwrap_or_else(|| panic!("a read failed: {r}"))
}

/// `PRAGMA integrity_check` of an SQLite database.
async fn integrity(url: &str) -> String {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let db = Database::connect(url).await.expect("open");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .expect("check")
        .expect("row");
    row.try_get_by_index::<String>(0).expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sqlite_disk_refuses_writes_with_a_code_and_loses_none_it_acknowledged() {
    let test =
        "faults::a_full_sqlite_disk_refuses_writes_with_a_code_and_loses_none_it_acknowledged";
    let Some(disk) = SmallDisk::mount("12m", test) else {
        return;
    };
    let logs = tempfile::tempdir().expect("temp dir");
    let log = logs.path().join("server.log");
    // The database and the search index on the same small disk, as on a small machine.
    let url = format!("sqlite://{}/kb.db?mode=rwc", disk.path().display());
    let index = disk.path().join("index");
    let mut server = Server::start(&url, &index, &log).await;
    let (key, lead) = editor(&url).await;
    let published = reads(&server).await;
    let client = reqwest::Client::new();

    // Initiatives of about 45 kB until the disk has refused ten of them.
    let (mut written, mut refused) = (Vec::new(), 0);
    let mut n = 0;
    while refused < 10 {
        n += 1;
        assert!(n < 400, "the disk did not fill:\n{}", server.log_tail());
        let title = format!("Schijfvol {n}");
        let (outcome, took) = create(&client, &server.base, &key, &lead, &title, 5_000, n).await;
        assert!(took < REQUEST_TIMEOUT + MARGIN, "{title} took {took:?}");
        match outcome {
            Outcome::Written(id, title) => written.push((id, title)),
            Outcome::Refused(code, reason, status) => {
                // A GraphQL answer (200) with the code and its reason.
                assert_eq!(
                    (code.as_str(), reason.as_deref(), status),
                    ("UNAVAILABLE", Some("STORAGE_FULL"), 200),
                    "{title}:\n{}",
                    server.log_tail()
                );
                refused += 1;
            }
        }
    }
    assert!(
        written.len() >= 5,
        "{} written before the disk was full",
        written.len()
    );
    // Reads go on; readiness stays, and says writes are refused.
    assert_eq!(reads(&server).await, published);
    let (status, text) = server.ready().await;
    assert_eq!(status, 200);
    assert!(text.contains("storage full"), "{text}");
    assert!(server.running());

    // Room again: writes succeed in the same process, and the index catches up.
    disk.resize("64m");
    for i in 0..3 {
        let title = format!("Schijfvol weer ruimte {i}");
        match create(&client, &server.base, &key, &lead, &title, 5_000, 1_000 + i)
            .await
            .0
        {
            Outcome::Written(id, title) => written.push((id, title)),
            refused => panic!(
                "{title} refused with room again: {refused:?}\n{}",
                server.log_tail()
            ),
        }
    }
    let expected = written.len() as u64;
    let mut caught_up = false;
    for _ in 0..240 {
        let (_, text) = server.ready().await;
        if found(&server, &key, "schijfvol").await == expected && text == "ready" {
            caught_up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        caught_up,
        "search finds {} of {expected}; readyz: {:?}",
        found(&server, &key, "schijfvol").await,
        server.ready().await
    );

    // After a restart every acknowledged write is there, in a sound file.
    server.kill().await;
    let server = Server::start(&url, &index, &log).await;
    all_there(&server, &key, &written).await;
    assert_eq!(found(&server, &key, "schijfvol").await, expected);
    server.kill().await;
    assert_eq!(integrity(&url).await, "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_index_disk_never_fails_a_write_and_the_index_catches_up() {
    let test = "faults::a_full_index_disk_never_fails_a_write_and_the_index_catches_up";
    let Some(disk) = SmallDisk::mount("64m", test) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("server.log");
    // The database has room; the index lives on the small disk.
    let url = format!("sqlite://{}/kb.db?mode=rwc", dir.path().display());
    let index = disk.path().join("index");
    let server = Server::start(&url, &index, &log).await;
    let (key, lead) = editor(&url).await;
    let client = reqwest::Client::new();
    let ballast = disk.fill();

    let mut written = Vec::new();
    for n in 0..12 {
        let title = format!("Indexvol {n}");
        let (outcome, took) = create(&client, &server.base, &key, &lead, &title, 5_000, n).await;
        assert!(took < REQUEST_TIMEOUT + MARGIN, "{title} took {took:?}");
        match outcome {
            Outcome::Written(id, title) => written.push((id, title)),
            refused => panic!("{title} refused: {refused:?}\n{}", server.log_tail()),
        }
    }
    // The lists show them (the read model follows the store); the index lags, and
    // readiness says so.
    let r = server
        .gql(
            Some(&key),
            "{ initiatives(filter: { statuses: [DRAFT] }) { totalCount } }",
            json!({}),
        )
        .await;
    let drafts = r["data"]["initiatives"]["totalCount"]
        .as_u64()
        .expect("count");
    assert!(drafts >= 12, "{r}");
    let (status, text) = server.ready().await;
    assert_eq!(status, 200);
    assert!(text.contains("search index behind"), "{text}");
    assert_eq!(found(&server, &key, "indexvol").await, 0);

    // Room again: the follower catches the index up by itself.
    std::fs::remove_file(&ballast).expect("free the disk");
    let mut caught_up = false;
    for _ in 0..240 {
        if found(&server, &key, "indexvol").await == 12 && server.ready().await.1 == "ready" {
            caught_up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        caught_up,
        "the index did not catch up:\n{}",
        server.log_tail()
    );
    server.kill().await;
    let server = Server::start(&url, &index, &log).await;
    all_there(&server, &key, &written).await;
    assert_eq!(found(&server, &key, "indexvol").await, 12);
    server.kill().await;
    assert_eq!(integrity(&url).await, "ok");
}

/// Writers that create initiatives until told to stop, noting every outcome and the
/// longest wait for an answer.
struct Burst {
    stop: Arc<AtomicBool>,
    outcomes: Arc<Mutex<Vec<(Outcome, Duration)>>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Burst {
    fn start(base: &str, key: &str, lead: &str, writers: u64) -> Burst {
        let stop = Arc::new(AtomicBool::new(false));
        let outcomes: Arc<Mutex<Vec<(Outcome, Duration)>>> = Arc::default();
        let tasks = (0..writers)
            .map(|w| {
                let (base, key, lead) = (base.to_owned(), key.to_owned(), lead.to_owned());
                let (stop, outcomes) = (stop.clone(), outcomes.clone());
                tokio::spawn(async move {
                    let client = reqwest::Client::new();
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        i += 1;
                        let title = format!("Storingsproef {w}-{i}");
                        let o = create(&client, &base, &key, &lead, &title, 50, i).await;
                        outcomes.lock().expect("lock").push(o);
                    }
                })
            })
            .collect();
        Burst {
            stop,
            outcomes,
            tasks,
        }
    }

    fn written(&self) -> usize {
        self.outcomes
            .lock()
            .expect("lock")
            .iter()
            .filter(|(o, _)| matches!(o, Outcome::Written(..)))
            .count()
    }

    /// Waits until `n` more writes than now were acknowledged (at most a minute).
    async fn until_more_written(&self, n: usize) {
        let target = self.written() + n;
        let started = Instant::now();
        while self.written() < target {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "writes did not resume: {:?}",
                self.outcomes.lock().expect("lock").last()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn finish(self) -> Vec<(Outcome, Duration)> {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            t.await.expect("writer");
        }
        Arc::try_unwrap(self.outcomes)
            .map(|m| m.into_inner().expect("lock"))
            .unwrap_or_else(|a| a.lock().expect("lock").clone())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_and_paused_under_writes_loses_none_it_acknowledged() {
    if crate::postgres::skipped(
        "faults::postgres_stopped_and_paused_under_writes_loses_none_it_acknowledged",
    ) {
        return;
    }
    let cluster = Arc::new(
        crate::postgres::Cluster::create().unwrap_or_else(|why| crate::postgres::unavailable(&why)),
    );
    crate::postgres::create_database(&cluster.url(), "kb_faults", None).await;
    let url = format!("{}/kb_faults", cluster.url());
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("server.log");
    let index = dir.path().join("index");
    let mut server = Server::start(&url, &index, &log).await;
    let (key, lead) = editor(&url).await;
    let burst = Burst::start(&server.base, &key, &lead, 4);

    // Stopped (fast shutdown: its sessions are cut) in the middle of the burst, and
    // started again two seconds later.
    burst.until_more_written(20).await;
    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop())
        .await
        .expect("stop");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.start())
        .await
        .expect("start")
        .expect("started");
    burst.until_more_written(20).await;

    // Every process of the server paused for 20 s, as a machine that hangs, then resumed.
    cluster.signal_all(libc::SIGSTOP);
    tokio::time::sleep(Duration::from_secs(20)).await;
    let (status, _) = server.ready().await;
    cluster.signal_all(libc::SIGCONT);
    assert_eq!(status, 503, "readiness while the database hangs");
    burst.until_more_written(20).await;
    let outcomes = burst.finish().await;
    assert!(server.running());

    // Every answer came within the request time, with a success or a code that says
    // nothing was written or that the request was abandoned.
    let mut refused: std::collections::BTreeMap<String, usize> = Default::default();
    let mut written = Vec::new();
    for (outcome, took) in &outcomes {
        assert!(*took < REQUEST_TIMEOUT + MARGIN, "an answer took {took:?}");
        match outcome {
            Outcome::Written(id, title) => written.push((id.clone(), title.clone())),
            Outcome::Refused(code, _, status) => {
                assert!(
                    // 503 when the key could not be looked up, 200 (a GraphQL answer)
                    // when the mutation could not be written, 504 when abandoned.
                    matches!(
                        (code.as_str(), status),
                        ("UNAVAILABLE", 503 | 200) | ("TIMEOUT", 504)
                    ),
                    "refused with {code} ({status}):\n{}",
                    server.log_tail()
                );
                *refused.entry(code.clone()).or_default() += 1;
            }
        }
    }
    assert!(written.len() >= 60, "{} written", written.len());
    assert!(
        refused.values().sum::<usize>() >= 1,
        "the faults refused no write: {refused:?}"
    );
    server.kill().await;
    let server = Server::start(&url, &index, &log).await;
    all_there(&server, &key, &written).await;
    server.kill().await;
}
