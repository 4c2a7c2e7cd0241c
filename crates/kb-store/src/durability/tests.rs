//! A store on a file system that fills up: what it acknowledged is what a fresh
//! connection finds, writes fail with [`StoreError::StorageFull`] while the disk is
//! full, and succeed again on the same pool once there is room.

use std::process::Command;
use std::str::FromStr;

use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::sqlx::{ConnectOptions as _, Row as _};
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::{Store, StoreError};

/// A tmpfs of its own, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts `size` (`1m`) on a new folder; `None` where this process may not mount (it
    /// must run as root, as CI does).
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk { dir })
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

    fn url(&self) -> String {
        format!("sqlite://{}/kb.db?mode=rwc", self.dir.path().display())
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

/// One write: a transaction of two rows of 60 kB, as a mutation writes its row and its
/// revision. Whether it was acknowledged, or the error it failed with.
async fn write(store: &Store) -> Result<(), StoreError> {
    let txn = store.db.begin().await?;
    for _ in 0..2 {
        txn.execute_unprepared("INSERT INTO filler (b) VALUES (randomblob(60000))")
            .await?;
    }
    crate::durability::commit(txn).await?;
    Ok(())
}

/// How many rows a connection of its own (outside the store's pool) finds, and whether
/// it can write.
async fn seen_from_outside(url: &str) -> (i64, bool) {
    let mut conn = SqliteConnectOptions::from_str(url)
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let rows: i64 = sea_orm::sqlx::query("SELECT COUNT(*) FROM filler")
        .fetch_one(&mut conn)
        .await
        .expect("count")
        .get(0);
    let writable = sea_orm::sqlx::query("DELETE FROM filler WHERE id < 0")
        .execute(&mut conn)
        .await
        .is_ok();
    (rows, writable)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_and_loses_none_it_acknowledged() {
    let Some(disk) = SmallDisk::mount("1m") else {
        eprintln!("skipped: mounting a small tmpfs needs root");
        return;
    };
    let url = disk.url();
    let store = Store::connect(&url).await.expect("connect");
    store
        .db
        .execute_unprepared("CREATE TABLE filler (id INTEGER PRIMARY KEY, b BLOB NOT NULL)")
        .await
        .expect("table");

    let (mut acknowledged, mut full, mut other) = (0, 0, Vec::new());
    for _ in 0..60 {
        match write(&store).await {
            Ok(()) => acknowledged += 2,
            Err(StoreError::StorageFull(_)) => full += 1,
            Err(e) => other.push(e.to_string()),
        }
    }
    assert!(
        full >= 30,
        "{full} writes refused for a full disk, {acknowledged} rows acknowledged, other errors: {other:?}"
    );
    assert_eq!(other, Vec::<String>::new(), "only storage-full errors");
    assert!(acknowledged >= 2, "{acknowledged} rows acknowledged");
    // Every acknowledged row is in the file, no other; and nothing holds the write lock.
    assert_eq!(seen_from_outside(&url).await, (acknowledged, true));

    // Room again: the same pool writes, without a restart.
    disk.resize("16m");
    for _ in 0..5 {
        write(&store).await.expect("a write once there is room");
        acknowledged += 2;
    }
    assert_eq!(seen_from_outside(&url).await, (acknowledged, true));
    let check: String = {
        let mut conn = SqliteConnectOptions::from_str(&url)
            .expect("url")
            .connect()
            .await
            .expect("connect");
        sea_orm::sqlx::query("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .expect("check")
            .get(0)
    };
    assert_eq!(check, "ok");
}
