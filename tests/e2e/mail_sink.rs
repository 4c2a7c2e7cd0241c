//! A real SMTP server for the tests (aiosmtpd, `smtp_sink.py`): it keeps each message it
//! receives as a JSON file the tests read (recipients, subject, the plain-text and HTML
//! parts).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::free_port;
use crate::tools;

/// The SMTP server of one test, and the folder its messages land in.
pub struct Sink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sink {
    /// Starts a sink on a free port.
    pub fn start() -> Sink {
        Self::start_on(free_port())
    }

    /// Starts a sink on `port` (a test that lets a server find no mail server first
    /// starts it there later).
    pub fn start_on(port: u16) -> Sink {
        use std::io::BufRead;
        let dir = tempfile::tempdir().expect("mail folder");
        let mut child = Command::new(tools::python())
            .arg(tools::root().join("tests/e2e/smtp_sink.py"))
            .arg(port.to_string())
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP sink");
        let out = child.stdout.take().expect("stdout");
        let mut line = String::new();
        std::io::BufReader::new(out)
            .read_line(&mut line)
            .expect("the sink's first line");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        Sink { child, port, dir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, in order of arrival.
    pub fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .expect("mail folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).expect("message")).expect("JSON"))
            .collect()
    }

    /// Waits for the `n`th message (1-based) to arrive.
    pub async fn message(&self, n: usize) -> Value {
        self.message_within(n, Duration::from_secs(10)).await
    }

    /// Waits at most `limit` for the `n`th message (1-based) to arrive.
    pub async fn message_within(&self, n: usize, limit: Duration) -> Value {
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Some(m) = self.messages().get(n - 1) {
                return m.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("message {n} did not arrive within {limit:?}");
    }
}

/// Two tests of a scenario that brings its own mail server and server: `NAME::sqlite` and
/// `NAME::postgres`, each running `NAME(db)`.
#[macro_export]
macro_rules! with_mail {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::Db::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::postgres::skipped(concat!(module_path!(), "::postgres")) {
                    return;
                }
                super::$name($crate::support::Db::Postgres).await;
            }
        }
    };
}
