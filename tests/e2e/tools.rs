//! What the tests need from the machine besides Rust: PostgreSQL's server binaries (see
//! `postgres`), a Python with the export readers, Node with the npm packages of
//! `tests/federation`, `tests/browser` and `tests/observatory`, and Debian's Chromium. Tests never install
//! any of it: one that finds its tool missing fails and names the command that installs
//! everything, `scripts/setup-tests.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// The command that installs what the tests need from the machine.
pub const SETUP: &str = "bash scripts/setup-tests.sh";

/// The root of the repository.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Fails the test that needs `what`, saying why it is missing and how to install it.
fn missing(what: &str, why: &str) -> ! {
    panic!("this test needs {what}: {why}\ninstall what the tests need with `{SETUP}`")
}

/// The Python that reads exports and feeds back and measures the maps' clusters:
/// `KB_TEST_PYTHON`, or the virtual environment `.venv-tests` at the root of the
/// repository holding the readers pinned in `tests/e2e/requirements.txt` (the setup
/// script keeps a copy of the pins it installed).
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("KB_TEST_PYTHON") {
        return p.into();
    }
    let root = root();
    let venv = root.join(".venv-tests");
    let python = venv.join("bin/python");
    let what = "Python with the pinned readers (pandas, networkx, rdflib, feedparser, \
                icalendar) and leidenalg in .venv-tests, or KB_TEST_PYTHON naming a Python \
                that has them";
    if !python.exists() {
        missing(what, "there is no .venv-tests/bin/python");
    }
    let pins = std::fs::read(root.join("tests/e2e/requirements.txt")).expect("requirements");
    if std::fs::read(venv.join("requirements.txt")).ok() != Some(pins) {
        missing(
            what,
            ".venv-tests holds other pins than tests/e2e/requirements.txt",
        );
    }
    python
}

/// `folder` (such as `tests/federation`), whose npm packages are installed, on a machine
/// with Node: every dependency its `package.json` names is in its `node_modules`.
pub fn node_packages(folder: &str) -> PathBuf {
    node();
    let dir = root().join(folder);
    let what = format!("the npm packages of {folder}");
    let manifest = std::fs::read(dir.join("package.json")).expect("package.json");
    let manifest: Value = serde_json::from_slice(&manifest).expect("package.json is JSON");
    let dependencies = manifest["dependencies"].as_object().expect("dependencies");
    for name in dependencies.keys() {
        let installed = format!("node_modules/{name}/package.json");
        if !dir.join(&installed).exists() {
            missing(&what, &format!("there is no {folder}/{installed}"));
        }
    }
    dir
}

/// `tests/observatory` with Mozilla's HTTP Observatory scanner installed, and the HSTS
/// preload list the scanner reads, which the setup script writes in place of the one the
/// package's install script would fetch from the internet.
pub fn observatory() -> PathBuf {
    let dir = node_packages("tests/observatory");
    let list = "node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json";
    if !dir.join(list).exists() {
        missing(
            "the HTTP Observatory's HSTS preload list",
            &format!("there is no tests/observatory/{list}"),
        );
    }
    dir
}

/// Node, on the `PATH`.
fn node() {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    let version = VERSION.get_or_init(|| {
        let out = Command::new("node")
            .arg("--version")
            .output()
            .map_err(|e| format!("node: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        } else {
            Err(format!("node --version: {}", out.status))
        }
    });
    if let Err(why) = version {
        missing("Node", why);
    }
}

/// Debian's Chromium, which the browser tests drive.
pub fn chromium() -> &'static str {
    const PATH: &str = "/usr/bin/chromium";
    if !Path::new(PATH).exists() {
        missing("Debian's Chromium", &format!("there is no {PATH}"));
    }
    PATH
}
