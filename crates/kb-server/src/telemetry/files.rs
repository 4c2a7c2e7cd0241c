//! Log files by day in a folder (`--log-dir`): `kennisbank-YYYY-MM-DD.log` (UTC), a new
//! one each day, and those older than `--log-retention-days` deleted when a day begins
//! and at start-up. So the period the privacy page states is the one the server keeps
//! its own files for; logs on stderr are kept by whatever collects them.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{NaiveDate, TimeDelta, Utc};
use tracing_subscriber::fmt::MakeWriter;

/// The start and end of a log file's name; the day between them.
const PREFIX: &str = "kennisbank-";
const SUFFIX: &str = ".log";
const DAY: &str = "%Y-%m-%d";

/// The log files in one folder, kept for a number of days.
#[derive(Debug)]
pub struct LogFiles {
    dir: PathBuf,
    keep_days: u32,
    /// Today's file, and its day.
    current: Mutex<(NaiveDate, File)>,
}

impl LogFiles {
    /// Opens today's file in `dir` (made if missing) and deletes the expired ones.
    pub fn open(dir: &Path, keep_days: u32) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let today = Utc::now().date_naive();
        let file = open_day(dir, today)?;
        prune(dir, today, keep_days);
        Ok(LogFiles {
            dir: dir.to_owned(),
            keep_days,
            current: Mutex::new((today, file)),
        })
    }

    /// Appends one formatted log record to the file of the day, beginning a new file
    /// (and deleting the expired ones) when the day has changed.
    fn append(&self, record: &[u8]) {
        let today = Utc::now().date_naive();
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.0 != today
            && let Ok(file) = open_day(&self.dir, today)
        {
            *current = (today, file);
            prune(&self.dir, today, self.keep_days);
        }
        // A log line that cannot be written has nowhere else to be reported; the same
        // line still goes to stderr.
        let _ = current.1.write_all(record);
    }
}

/// The file of `day` in `dir`, opened for appending.
fn open_day(dir: &Path, day: NaiveDate) -> std::io::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(name_of(day)))
}

/// The name of the log file of `day`.
fn name_of(day: NaiveDate) -> String {
    format!("{PREFIX}{}{SUFFIX}", day.format(DAY))
}

/// Deletes the expired log files in `dir`.
fn prune(dir: &Path, today: NaiveDate, keep_days: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    for name in expired(&names, today, keep_days) {
        let _ = std::fs::remove_file(dir.join(name));
    }
}

/// The log files among `names` whose day is more than `keep_days` days before `today`.
/// Files of any other name are never among them.
fn expired(names: &[String], today: NaiveDate, keep_days: u32) -> Vec<String> {
    let limit = today - TimeDelta::days(i64::from(keep_days));
    let mut old: Vec<String> = names
        .iter()
        .filter(|n| {
            n.strip_prefix(PREFIX)
                .and_then(|rest| rest.strip_suffix(SUFFIX))
                .and_then(|day| NaiveDate::parse_from_str(day, DAY).ok())
                .is_some_and(|day| day < limit)
        })
        .cloned()
        .collect();
    old.sort();
    old
}

/// One log record on its way to the file: gathered, then written whole when dropped,
/// so records of concurrent threads never interleave.
pub struct Record<'a> {
    files: &'a LogFiles,
    bytes: Vec<u8>,
}

impl Write for Record<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Record<'_> {
    fn drop(&mut self) {
        if !self.bytes.is_empty() {
            self.files.append(&self.bytes);
        }
    }
}

impl<'a> MakeWriter<'a> for LogFiles {
    type Writer = Record<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Record {
            files: self,
            bytes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, DAY).expect("day")
    }

    #[test]
    fn log_files_older_than_the_retention_period_expire_and_other_files_stay() {
        let names: Vec<String> = [
            "kennisbank-2026-11-21.log",
            "kennisbank-2026-11-22.log",
            "kennisbank-2026-12-06.log",
            "kennisbank-2026-11-01.log.gz",
            "other-2020-01-01.log",
            "kennisbank-2026-11-20.log",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            expired(&names, day("2026-12-06"), 14),
            vec![
                "kennisbank-2026-11-20.log".to_owned(),
                "kennisbank-2026-11-21.log".to_owned(),
            ]
        );
        assert_eq!(name_of(day("2026-12-06")), "kennisbank-2026-12-06.log");
    }

    #[test]
    fn records_go_whole_into_the_file_of_the_day_and_expired_files_go() {
        let dir = tempfile::tempdir().expect("dir");
        let old = dir.path().join("kennisbank-2000-01-01.log");
        std::fs::write(&old, "old\n").expect("write");
        let files = LogFiles::open(dir.path(), 14).expect("open");
        assert!(!old.exists());
        {
            let mut record = files.make_writer();
            record.write_all(b"{\"a\":").expect("write");
            record.write_all(b"1}\n").expect("write");
        }
        let today = dir.path().join(name_of(Utc::now().date_naive()));
        assert_eq!(std::fs::read_to_string(today).expect("read"), "{\"a\":1}\n");
    }
}
