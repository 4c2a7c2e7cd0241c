//! The change log as its followers read it: where its head stands, and the changes after
//! a position, in the order they were committed.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::change_log;
use crate::{Result, Store};

/// One row of the change log: what changed, in commit order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub entity_type: String,
    pub entity_id: i64,
}

impl Store {
    /// The highest change-log sequence number, for followers of the log.
    pub async fn change_log_head(&self) -> Result<i64> {
        let row = change_log::Entity::find()
            .order_by_desc(change_log::Column::Seq)
            .one(&self.db)
            .await?;
        Ok(row.map_or(0, |r| r.seq))
    }

    /// Up to `limit` changes after `seq`, oldest first. Change-log rows become visible in
    /// the order of their sequence numbers (writers are ordered on PostgreSQL, single on
    /// SQLite), so a follower that remembers the last one it saw misses none.
    pub async fn changes_since(&self, seq: i64, limit: u64) -> Result<Vec<Change>> {
        let found: Vec<(i64, String, i64)> = change_log::Entity::find()
            .select_only()
            .columns([
                change_log::Column::Seq,
                change_log::Column::EntityType,
                change_log::Column::EntityId,
            ])
            .filter(change_log::Column::Seq.gt(seq))
            .order_by_asc(change_log::Column::Seq)
            .limit(limit)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(found
            .into_iter()
            .map(|(seq, entity_type, entity_id)| Change {
                seq,
                entity_type,
                entity_id,
            })
            .collect())
    }
}
