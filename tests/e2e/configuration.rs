//! The layered configuration, through the real binary: flags over `KB_*` variables over
//! the configuration file over defaults; `kennisbank config` shows each setting's source.

use crate::support::free_port;

/// `kennisbank ARGS` in `dir` with only the given variables set.
fn kennisbank(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    crate::support::kennisbank()
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run kennisbank")
}

#[test]
fn flags_win_over_variables_over_the_file_over_defaults() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("kb.toml"),
        "bind = \"127.0.0.1:9999\"\nmax_depth = 9\nmax_aliases = 12\nrequest_timeout_secs = 2.5\n\
         database_url = \"postgres://kb:geheim@db.example/kb\"\nmetrics = false\n",
    )
    .expect("write");
    let out = kennisbank(
        dir.path(),
        &["--config", "kb.toml", "config", "--max-aliases", "7"],
        &[("KB_MAX_DEPTH", "11"), ("KB_MAX_BATCH", "4")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    for want in [
        "bind = \"127.0.0.1:9999\"  # file kb.toml",
        "max_depth = 11  # env KB_MAX_DEPTH",
        "max_aliases = 7  # flag",
        "max_batch = 4  # env KB_MAX_BATCH",
        "max_complexity = 20000  # default",
        "request_timeout_secs = 2.5  # file kb.toml",
        "metrics = false  # file kb.toml",
        // The password never shows.
        "database_url = \"postgres://kb:****@db.example/kb\"  # file kb.toml",
        "# index_dir is not set",
    ] {
        assert!(lines.contains(&want), "missing `{want}` in\n{text}");
    }
    assert!(!text.contains("geheim"));

    // Without --config, kennisbank.toml in the working directory is read; KB_CONFIG names
    // another file.
    std::fs::rename(
        dir.path().join("kb.toml"),
        dir.path().join("kennisbank.toml"),
    )
    .expect("rename");
    let text = String::from_utf8(kennisbank(dir.path(), &["config"], &[]).stdout).expect("UTF-8");
    assert!(
        text.contains("max_depth = 9  # file kennisbank.toml"),
        "{text}"
    );
    std::fs::write(dir.path().join("other.toml"), "max_depth = 5\n").expect("write");
    let text = String::from_utf8(
        kennisbank(dir.path(), &["config"], &[("KB_CONFIG", "other.toml")]).stdout,
    )
    .expect("UTF-8");
    assert!(text.contains("max_depth = 5  # file other.toml"), "{text}");
    assert!(text.contains("max_aliases = 30  # default"), "{text}");
}

#[test]
fn a_bad_configuration_file_is_refused_with_what_is_wrong() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, &str); 3] = [
        ("bnd = \"127.0.0.1:1\"\n", "unknown setting `bnd`"),
        (
            "max_depth = [1, 2]\n",
            "`max_depth` must be a string, number or boolean, not array",
        ),
        ("max_depth = \n", "not a configuration file"),
    ];
    for (content, message) in cases {
        std::fs::write(dir.path().join("bad.toml"), content).expect("write");
        let out = kennisbank(dir.path(), &["--config", "bad.toml", "config"], &[]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{content:?}: {err}");
    }
    // A value the flag does not take is refused by the flag's own parser.
    std::fs::write(dir.path().join("bad.toml"), "max_depth = \"deep\"\n").expect("write");
    let out = kennisbank(dir.path(), &["--config", "bad.toml", "config"], &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("max-depth"));
    // A named file that is missing is an error; the default one may be missing.
    let out = kennisbank(dir.path(), &["--config", "missing.toml", "config"], &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_listens_where_the_file_says() {
    // The process's TLS provider, which every HTTP client of the tests needs.
    crate::support::init_logging();
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    std::fs::write(
        dir.path().join("kennisbank.toml"),
        format!(
            "bind = \"127.0.0.1:{port}\"\n\
             database_url = \"sqlite://kb.db?mode=rwc\"\n\
             no_demo = true\n"
        ),
    )
    .expect("write");
    let mut child = tokio::process::Command::from(crate::support::kennisbank())
        .current_dir(dir.path())
        .kill_on_drop(true)
        .arg("serve")
        .spawn()
        .expect("serve");
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/graphql");
    let mut answer = None;
    for _ in 0..300 {
        if let Ok(r) = client
            .post(&url)
            .json(&serde_json::json!({ "query": "{ initiatives { totalCount } }" }))
            .send()
            .await
        {
            answer = Some(r.json::<serde_json::Value>().await.expect("JSON"));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = child.kill().await;
    let answer = answer.expect("the server answered on the port of the file");
    // `no_demo = true` in the file: an empty knowledge bank.
    assert_eq!(answer["data"]["initiatives"]["totalCount"], 0, "{answer}");
    assert!(dir.path().join("kb.db").exists());
}
