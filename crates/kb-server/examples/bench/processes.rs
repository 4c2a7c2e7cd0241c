//! The processes a benchmark runs: a throwaway PostgreSQL cluster, the `kennisbank`
//! binary (seeding, serving) and PostGraphile. Each is stopped when its handle drops, so
//! an interrupted run leaves nothing behind; all listen on 127.0.0.1 only.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

/// A port that was free a moment ago.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Runs `command` to its end; an error with its stderr when it fails.
fn run(command: &mut Command) -> anyhow::Result<()> {
    let out = command
        .output()
        .with_context(|| format!("cannot run {command:?}"))?;
    anyhow::ensure!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// A running process, killed (and waited for) when dropped.
#[derive(Debug)]
pub struct Running {
    child: Child,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops it with SIGTERM (a graceful shutdown) and waits for it to exit.
    pub fn stop(mut self) -> anyhow::Result<()> {
        run(Command::new("kill").args(["-TERM", &self.pid().to_string()]))?;
        self.child.wait()?;
        Ok(())
    }

    /// Its resident memory now, in MiB (`VmRSS` of `/proc`).
    pub fn rss_mib(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib / 1024.0)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `GET url` answers 2xx (or POSTing `body`, when given); the time it took.
pub async fn wait_ready(
    client: &reqwest::Client,
    url: &str,
    body: Option<&serde_json::Value>,
    started: Instant,
) -> anyhow::Result<Duration> {
    while started.elapsed() < Duration::from_secs(600) {
        let request = match body {
            Some(b) => client.post(url).json(b),
            None => client.get(url),
        };
        if request.send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    anyhow::bail!("{url} did not get ready within 10 minutes")
}

/// The `kennisbank` binary to benchmark.
#[derive(Debug, Clone)]
pub struct Kennisbank {
    pub bin: PathBuf,
}

impl Kennisbank {
    /// `seed --synthetic n --rng-seed 1` into the database at `url`; the time it took.
    pub fn seed(&self, url: &str, n: usize) -> anyhow::Result<Duration> {
        let started = Instant::now();
        run(Command::new(&self.bin)
            .env("KB_LOG", "warn")
            .args(["--database-url", url, "seed", "--synthetic"])
            .arg(n.to_string())
            .args(["--rng-seed", "1"]))?;
        Ok(started.elapsed())
    }

    /// `serve --no-demo` on `url` and `port`, its index in `index_dir`.
    pub fn serve(&self, url: &str, port: u16, index_dir: &Path) -> anyhow::Result<Running> {
        let child = Command::new(&self.bin)
            .env("KB_LOG", "warn")
            .args(["--database-url", url, "serve", "--no-demo", "--bind"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--index-dir")
            .arg(index_dir)
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", self.bin.display()))?;
        Ok(Running { child })
    }
}

/// A throwaway PostgreSQL cluster in a folder of its own, on a free port, run as the
/// `postgres` user when we are root (PostgreSQL refuses to run as root); stopped and
/// removed when dropped.
#[derive(Debug)]
pub struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    as_postgres: bool,
    pub port: u16,
}

impl Postgres {
    /// initdb, then start, with `fsync` off (the data is generated again at every run).
    pub fn start() -> anyhow::Result<Self> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .context("no PostgreSQL server in /usr/lib/postgresql")?
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|p| p.join("initdb").exists())
            .max()
            .context("no initdb in /usr/lib/postgresql/*/bin")?;
        let dir = tempfile::Builder::new().prefix("kb-bench-pg").tempdir()?;
        let as_postgres = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if as_postgres {
            run(Command::new("chown").arg("postgres").arg(dir.path()))?;
        }
        let port = free_port()?;
        let pg = Self {
            bin,
            dir,
            as_postgres,
            port,
        };
        let data = pg.dir.path().join("data");
        pg.run_as(&format!(
            "'{}' -D '{}' -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null",
            pg.bin.join("initdb").display(),
            data.display()
        ))?;
        pg.run_as(&format!(
            "'{}' -D '{}' -o \"-p {port} -k '{}' -c fsync=off -c listen_addresses=127.0.0.1\" -l '{}' -w start >/dev/null",
            pg.bin.join("pg_ctl").display(),
            data.display(),
            pg.dir.path().display(),
            pg.dir.path().join("pg.log").display()
        ))?;
        Ok(pg)
    }

    fn run_as(&self, script: &str) -> anyhow::Result<()> {
        if self.as_postgres {
            run(Command::new("su").args(["postgres", "-s", "/bin/sh", "-c", script]))
        } else {
            run(Command::new("sh").args(["-c", script]))
        }
    }

    /// A new empty database; its URL.
    pub fn create_database(&self, name: &str) -> anyhow::Result<String> {
        self.run_as(&format!(
            "'{}' -q -h 127.0.0.1 -p {} -U postgres -c 'CREATE DATABASE {name}' >/dev/null",
            self.bin.join("psql").display(),
            self.port
        ))?;
        Ok(format!(
            "postgres://postgres@127.0.0.1:{}/{name}",
            self.port
        ))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.run_as(&format!(
            "'{}' -D '{}' -m immediate stop >/dev/null",
            self.bin.join("pg_ctl").display(),
            self.dir.path().join("data").display()
        ));
    }
}

/// PostGraphile v5 from the pinned `bench/postgraphile` (installed there with `npm ci` on
/// first use), run with the Node 22 that the npm package `node` brings.
#[derive(Debug, Clone)]
pub struct PostGraphile {
    dir: PathBuf,
}

impl PostGraphile {
    pub fn install(dir: &Path) -> anyhow::Result<Self> {
        let peer = Self {
            dir: dir.to_owned(),
        };
        if !peer.node().exists() || !peer.cli().exists() {
            eprintln!("installing PostGraphile into {} (npm ci)", dir.display());
            run(Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(dir))?;
        }
        anyhow::ensure!(peer.node().exists(), "no {}", peer.node().display());
        Ok(peer)
    }

    fn node(&self) -> PathBuf {
        self.dir.join("node_modules/node/bin/node")
    }

    fn cli(&self) -> PathBuf {
        self.dir.join("node_modules/postgraphile/dist/cli-run.js")
    }

    /// The `postgraphile` version installed.
    pub fn version(&self) -> String {
        std::fs::read_to_string(self.dir.join("node_modules/postgraphile/package.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|v| v["version"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "?".to_owned())
    }

    /// Serves the `public` schema of `url` on `port` with the amber preset.
    pub fn serve(&self, url: &str, port: u16, log: &Path) -> anyhow::Result<Running> {
        let log = std::fs::File::create(log)?;
        let child = Command::new(self.node())
            .env("GRAPHILE_ENV", "production")
            .arg(self.cli())
            .args(["-c", url, "-s", "public", "-p"])
            .arg(port.to_string())
            .args(["-n", "127.0.0.1", "-P", "postgraphile/presets/amber"])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("cannot start PostGraphile")?;
        Ok(Running { child })
    }
}
