//! What the documents of the index stand for: initiatives, events and organisations, each
//! searched on its own, in one index (one change-log position, one rebuild).

use kb_domain::{EventId, InitiativeId, NodeId, OrganisationId};

/// The kinds of documents the index holds. A search asks for one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocType {
    Initiative,
    Event,
    Organisation,
}

impl DocType {
    /// The type's number in the index: in its `type` field and the low bits of its key.
    pub(crate) const fn tag(self) -> u64 {
        match self {
            DocType::Initiative => 0,
            DocType::Event => 1,
            DocType::Organisation => 2,
        }
    }

    const fn from_tag(tag: i64) -> Option<Self> {
        match tag {
            0 => Some(DocType::Initiative),
            1 => Some(DocType::Event),
            2 => Some(DocType::Organisation),
            _ => None,
        }
    }
}

/// A document's identity: its type and its row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId {
    pub doc_type: DocType,
    pub id: i64,
}

/// How many low bits of a key hold the type.
const TAG_BITS: u32 = 2;

impl DocId {
    /// The document's key in the index, unique across types: the row id shifted left by
    /// two bits, the type's tag in those bits. Row ids are positive and far below 2⁶¹.
    pub(crate) const fn key(self) -> i64 {
        (self.id << TAG_BITS) | self.doc_type.tag() as i64
    }

    /// The identity a key stands for.
    pub(crate) const fn from_key(key: i64) -> Option<Self> {
        match DocType::from_tag(key & ((1 << TAG_BITS) - 1)) {
            Some(doc_type) => Some(Self {
                doc_type,
                id: key >> TAG_BITS,
            }),
            None => None,
        }
    }
}

/// A node id type whose rows the index holds as documents of one [`DocType`].
pub trait Subject:
    NodeId + Eq + Ord + std::hash::Hash + std::fmt::Debug + Send + Sync + 'static
{
    /// The documents of this type.
    const TYPE: DocType;
    /// The document's identity.
    fn doc_id(self) -> DocId {
        DocId {
            doc_type: Self::TYPE,
            id: self.row(),
        }
    }
}

macro_rules! subject {
    ($($id:ty => $type:expr),+ $(,)?) => {$(
        impl Subject for $id {
            const TYPE: DocType = $type;
        }

        impl From<$id> for DocId {
            fn from(id: $id) -> Self {
                id.doc_id()
            }
        }
    )+};
}

subject!(
    InitiativeId => DocType::Initiative,
    EventId => DocType::Event,
    OrganisationId => DocType::Organisation,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gives_back_its_type_and_id_and_keys_of_one_row_id_differ_by_type() {
        for id in [1, 2, 77, 1 << 40] {
            let ids = [
                InitiativeId(id).doc_id(),
                EventId(id).doc_id(),
                OrganisationId(id).doc_id(),
            ];
            for d in ids {
                assert_eq!(DocId::from_key(d.key()), Some(d));
            }
            assert_eq!(ids[0].key(), id * 4);
            assert_ne!(ids[0].key(), ids[1].key());
            assert_ne!(ids[1].key(), ids[2].key());
        }
        assert_eq!(DocId::from_key(3), None);
    }
}
