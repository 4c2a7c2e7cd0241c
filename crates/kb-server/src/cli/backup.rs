//! `kennisbank backup`.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use clap::Args;
use kb_server::config::BackupRetention;
use kb_store::Store;

/// The options of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file, or a folder to write `kennisbank-YYYYMMDDTHHMMSSZ.db` into (older
    /// backups there are deleted after the retention period).
    path: std::path::PathBuf,
    #[command(flatten)]
    retention: BackupRetention,
}

/// The start and end of a backup's name in a folder; the time between them.
const PREFIX: &str = "kennisbank-";
const SUFFIX: &str = ".db";
const TIME: &str = "%Y%m%dT%H%M%SZ";

/// Copies the SQLite database into a new file; refuses when there is no database file,
/// rather than create an empty one to copy. Into a folder, the copy is named by the time
/// and the backups there older than the retention period are deleted once it is made.
pub async fn run(database_url: &str, args: BackupArgs) -> anyhow::Result<()> {
    let BackupArgs { path, retention } = args;
    if let Some(file) = kb_store::sqlite_file(database_url)
        && !file.exists()
    {
        anyhow::bail!("there is no database at {}", file.display());
    }
    let now = Utc::now();
    let folder = path.is_dir().then(|| path.clone());
    let target = match &folder {
        Some(dir) => dir.join(name_at(now)),
        None => path,
    };
    let store = Store::connect(database_url).await?;
    store.backup_sqlite(&target).await?;
    eprintln!("Copied the database into {}.", target.display());
    if let Some(dir) = folder {
        let names: Vec<String> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        for old in expired(&names, now, retention.backup_retention_days) {
            std::fs::remove_file(dir.join(&old))?;
            eprintln!(
                "Deleted {old}, older than {} days.",
                retention.backup_retention_days
            );
        }
    }
    Ok(())
}

/// The name of a backup made at `at`.
fn name_at(at: DateTime<Utc>) -> String {
    format!("{PREFIX}{}{SUFFIX}", at.format(TIME))
}

/// The time in a backup's name, for names of that pattern only.
fn time_of(name: &str) -> Option<DateTime<Utc>> {
    let time = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(time, TIME)
        .ok()
        .map(|t| t.and_utc())
}

/// The backups among `names` made more than `days` days before `now`, oldest first.
/// Files of any other name are never among them.
fn expired(names: &[String], now: DateTime<Utc>, days: u32) -> Vec<String> {
    let limit = now - TimeDelta::days(i64::from(days));
    let mut old: Vec<(DateTime<Utc>, &String)> = names
        .iter()
        .filter_map(|n| Some((time_of(n)?, n)))
        .filter(|(t, _)| *t < limit)
        .collect();
    old.sort();
    old.into_iter().map(|(_, n)| n.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_backup_is_named_by_its_time_in_utc() {
        let t = at("2026-12-06T19:05:03Z");
        assert_eq!(name_at(t), "kennisbank-20261206T190503Z.db");
        assert_eq!(time_of(&name_at(t)), Some(t));
    }

    #[test]
    fn backups_older_than_the_retention_period_expire_and_other_files_stay() {
        let names: Vec<String> = [
            "kennisbank-20261106T190000Z.db",
            "kennisbank-20261105T120000Z.db",
            "kennisbank-20261106T190504Z.db",
            "kennisbank-20261206T190503Z.db",
            "kennisbank-20200101T000000Z.db.keep",
            "notes.txt",
            "kennisbank-yesterday.db",
        ]
        .map(String::from)
        .to_vec();
        let now = at("2026-12-06T19:05:03Z");
        assert_eq!(
            expired(&names, now, 30),
            vec![
                "kennisbank-20261105T120000Z.db".to_owned(),
                "kennisbank-20261106T190000Z.db".to_owned(),
            ]
        );
        assert_eq!(
            expired(&names, now, 1),
            vec![
                "kennisbank-20261105T120000Z.db".to_owned(),
                "kennisbank-20261106T190000Z.db".to_owned(),
                "kennisbank-20261106T190504Z.db".to_owned(),
            ]
        );
    }
}
