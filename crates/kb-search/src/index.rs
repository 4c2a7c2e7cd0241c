//! The index itself: where it lives, how documents come and go, and the change-log
//! position committed with them.

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError};

use crate::analysis::{self, Analyzers};
use crate::automata::Automata;
use crate::error::SearchError;
use crate::lexicon::Lexicon;
use crate::recent::RecentHits;
use crate::schema::{self, Fields};
use crate::{SearchDoc, Subject, lock};

/// The folder inside the caller's directory that holds the index. Its number changes
/// whenever the schema or the analysis does, so a new build starts a new index (and
/// removes the old one) instead of reading terms analysed another way.
const INDEX_FOLDER: &str = "tantivy-v6";
/// The prefix of [`INDEX_FOLDER`]'s names, old and new.
const INDEX_FOLDER_PREFIX: &str = "tantivy-v";
/// Memory the writer buffers before it writes a segment; tantivy's minimum is 15 MB.
const WRITER_MEMORY: usize = 50_000_000;

/// The full-text index of initiatives, events and organisations. Cheap to clone; clones share the index. Reads
/// run in parallel; writes are serialised behind one writer.
///
/// Changes ([`upsert`](Self::upsert), [`delete`](Self::delete), [`clear`](Self::clear))
/// become visible to searches at the next [`commit`](Self::commit), which records the
/// change-log position they bring the index to. After a restart, [`watermark`](Self::watermark)
/// says where to resume; changes not committed before a crash are simply read again.
///
/// Every method blocks (disk, merging threads); call it from `spawn_blocking` in async code.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) reader: IndexReader,
    index: Index,
    /// The writer; `None` after a failure dropped it (its threads may have died with a
    /// full disk), until the next change opens a new one on the last commit.
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    pub(crate) fields: Fields,
    pub(crate) analyzers: Analyzers,
    pub(crate) automata: Automata,
    pub(crate) recent: RecentHits,
    /// The lexicon searches use, with its generation: each [`SearchIndex::set_lexicon`]
    /// makes a new one, and hits kept for another generation are never answered.
    lexicon: RwLock<(u64, Arc<Lexicon>)>,
    watermark: Mutex<Option<i64>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("documents", &self.len())
            .field("watermark", &self.watermark())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// An empty index in memory, for tests and for instances that rebuild on start.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    /// The index kept in `dir` (in a folder of its own inside it), created if there is
    /// none. An index written with another schema, by an incompatible tantivy, or
    /// unreadable, is removed and started afresh: its [`watermark`](Self::watermark) is
    /// then `None`, and the caller rebuilds it from the store.
    #[tracing::instrument]
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        remove_old_folders(dir)?;
        let path = dir.join(INDEX_FOLDER);
        std::fs::create_dir_all(&path)?;
        let (schema, fields) = schema::schema();
        let index = if !path.join("meta.json").exists() {
            Index::create_in_dir(&path, schema)?
        } else {
            match Index::open_in_dir(&path) {
                Ok(index) if index.schema() == schema => index,
                Ok(_) => {
                    tracing::warn!(path = %path.display(), "the search index has another schema; rebuilding it");
                    recreate(&path, schema)?
                }
                Err(
                    e @ (TantivyError::IncompatibleIndex(_)
                    | TantivyError::DataCorruption(_)
                    | TantivyError::SchemaError(_)
                    | TantivyError::OpenReadError(_)),
                ) => {
                    tracing::warn!(path = %path.display(), error = %e, "the search index cannot be read; rebuilding it");
                    recreate(&path, schema)?
                }
                Err(e) => return Err(e.into()),
            }
        };
        Self::with_index(index, fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        analysis::register(index.tokenizers());
        let watermark = index
            .load_metas()?
            .payload
            .and_then(|p| p.parse::<i64>().ok());
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            inner: Arc::new(Inner {
                reader,
                index,
                writer: Mutex::new(Some(writer)),
                fields,
                analyzers: Analyzers::new(),
                automata: Automata::default(),
                recent: RecentHits::default(),
                lexicon: RwLock::new((0, Arc::new(Lexicon::default()))),
                watermark: Mutex::new(watermark),
            }),
        })
    }

    /// The change-log position committed with the index's last commit; `None` for a new
    /// (or rebuilt) index, which needs every initiative.
    pub fn watermark(&self) -> Option<i64> {
        *lock(&self.inner.watermark)
    }

    /// Adds `docs`, replacing any document with the same identity. Visible after
    /// [`commit`](Self::commit).
    pub fn upsert(&self, docs: Vec<SearchDoc>) -> Result<(), SearchError> {
        let mut analyzers = self.inner.analyzers.clone();
        let fields = &self.inner.fields;
        let mut guard = lock(&self.inner.writer);
        let writer = self.writer(&mut guard)?;
        for doc in &docs {
            writer.delete_term(fields.key_term(doc.id));
            writer.add_document(schema::document(fields, &mut analyzers, doc))?;
        }
        Ok(())
    }

    /// Removes the documents of `ids`; unknown ids are ignored. Visible after [`commit`](Self::commit).
    pub fn delete<S: Subject>(&self, ids: &[S]) -> Result<(), SearchError> {
        let mut guard = lock(&self.inner.writer);
        let writer = self.writer(&mut guard)?;
        for &id in ids {
            writer.delete_term(self.inner.fields.key_term(id.doc_id()));
        }
        Ok(())
    }

    /// Removes every document, as of the next [`commit`](Self::commit); documents added
    /// after this call stay. So a rebuild (`clear`, `upsert` everything, `commit`) swaps
    /// the old content for the new at once, and searches never see an empty index.
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut guard = lock(&self.inner.writer);
        self.writer(&mut guard)?.delete_all_documents()?;
        Ok(())
    }

    /// Commits every change since the last commit together with `watermark`, the
    /// change-log position they bring the index to, and reloads the searcher so the next
    /// search sees them.
    pub fn commit(&self, watermark: i64) -> Result<(), SearchError> {
        let mut guard = lock(&self.inner.writer);
        let writer = self.writer(&mut guard)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&watermark.to_string());
        prepared.commit()?;
        self.inner.reader.reload()?;
        *lock(&self.inner.watermark) = Some(watermark);
        tracing::debug!(watermark, documents = self.len(), "search index committed");
        Ok(())
    }

    /// Drops every change since the last commit with the writer that holds them: after a
    /// failed write or commit (a full disk, which may also have ended the writer's
    /// threads), the next change opens a new writer on the index's last commit, and the
    /// caller writes the dropped changes again.
    pub fn rollback(&self) {
        let writer = lock(&self.inner.writer).take();
        drop(writer);
    }

    /// The writer in `guard`, opened on the last commit if a failure dropped it.
    fn writer<'g>(
        &self,
        guard: &'g mut Option<IndexWriter<TantivyDocument>>,
    ) -> Result<&'g mut IndexWriter<TantivyDocument>, SearchError> {
        if guard.is_none() {
            *guard = Some(self.inner.index.writer_with_num_threads(1, WRITER_MEMORY)?);
            tracing::info!("search index writer opened again");
        }
        guard
            .as_mut()
            .ok_or_else(|| SearchError::from(TantivyError::InternalError("no index writer".into())))
    }

    /// Searches from now on use `lexicon` (the index starts with an empty one); the hits
    /// kept of earlier searches are dropped, since their words may mean more or less now.
    pub fn set_lexicon(&self, lexicon: Lexicon) {
        {
            let mut current = self
                .inner
                .lexicon
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *current = (current.0 + 1, Arc::new(lexicon));
        }
        self.inner.recent.clear();
    }

    /// The lexicon searches use now, with its generation.
    pub(crate) fn lexicon(&self) -> (u64, Arc<Lexicon>) {
        let current = self
            .inner
            .lexicon
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (current.0, Arc::clone(&current.1))
    }

    /// The lexicon searches use now: for "did you mean" and other readers of its
    /// equivalents.
    pub fn current_lexicon(&self) -> Arc<Lexicon> {
        self.lexicon().1
    }

    /// How many documents the committed index holds.
    pub fn len(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Whether the committed index holds no document.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An empty index at `path`, after removing what was there, unless another process
/// writes to it.
/// The documents of `postings` that `segment` has not deleted, in order. Deleted
/// documents stay in the postings until their segment is merged.
pub(crate) fn live_docs<'a>(
    postings: &'a mut tantivy::postings::SegmentPostings,
    segment: &'a tantivy::SegmentReader,
) -> impl Iterator<Item = tantivy::DocId> + 'a {
    use tantivy::{DocSet, TERMINATED};
    let alive = segment.alive_bitset();
    let mut doc = postings.doc();
    std::iter::from_fn(move || {
        while doc != TERMINATED {
            let at = doc;
            doc = postings.advance();
            if alive.is_none_or(|a| a.is_alive(at)) {
                return Some(at);
            }
        }
        None
    })
}

fn recreate(path: &Path, schema: tantivy::schema::Schema) -> Result<Index, SearchError> {
    if in_use(path)? {
        return Err(TantivyError::LockFailure(
            LockError::LockBusy,
            Some(format!("{} is in use; not rebuilding it", path.display())),
        )
        .into());
    }
    std::fs::remove_dir_all(path)?;
    std::fs::create_dir_all(path)?;
    Ok(Index::create_in_dir(path, schema)?)
}

/// Removes the index folders of other schema versions from `dir`, leaving all else.
fn remove_old_folders(dir: &Path) -> Result<(), SearchError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let old = name.starts_with(INDEX_FOLDER_PREFIX)
            && name[INDEX_FOLDER_PREFIX.len()..]
                .bytes()
                .all(|b| b.is_ascii_digit())
            && name != INDEX_FOLDER;
        if !old || !entry.file_type()?.is_dir() {
            continue;
        }
        if in_use(&entry.path())? {
            tracing::info!(folder = %name, "a search index of another version is in use; leaving it");
        } else {
            tracing::info!(folder = %name, "removing a search index of another version");
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// Whether a process holds the writer lock of the index at `path`: a removal would pull
/// the index from under it (an instance of another version during a rolling deploy).
fn in_use(path: &Path) -> Result<bool, SearchError> {
    let directory = MmapDirectory::open(path)?;
    match directory.acquire_lock(&INDEX_WRITER_LOCK) {
        Ok(_released_on_drop) => Ok(false),
        Err(LockError::LockBusy) => Ok(true),
        Err(e) => Err(TantivyError::LockFailure(e, None).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{docs, ids, index};
    use kb_domain::InitiativeId;

    fn doc(id: i64, title: &str) -> SearchDoc {
        SearchDoc {
            title_en: None,
            summary_en: None,
            id: InitiativeId(id).into(),
            languages: vec!["nl".into()],
            title: title.into(),
            summary: String::new(),
            body: None,
            organisations: vec![],
            labels: vec![],
        }
    }

    #[test]
    fn the_index_can_be_shared_between_threads() {
        fn shared<T: Clone + Send + Sync + 'static>() {}
        shared::<SearchIndex>();
    }

    #[test]
    fn an_upsert_replaces_the_document_with_the_same_id() {
        let index = index();
        assert_eq!(ids(&index, "buddyprogramma"), vec![1]);
        index
            .upsert(vec![doc(1, "Maatjesproject voor eerstejaars")])
            .expect("upsert");
        // Not visible before the commit.
        assert_eq!(ids(&index, "buddyprogramma"), vec![1]);
        index.commit(11).expect("commit");
        assert_eq!(ids(&index, "buddyprogramma"), Vec::<i64>::new());
        assert_eq!(ids(&index, "maatjesproject"), vec![1]);
        assert_eq!(index.len(), 10);
    }

    #[test]
    fn the_last_of_two_upserts_of_one_id_in_a_batch_wins() {
        let index = SearchIndex::in_memory().expect("index");
        index
            .upsert(vec![doc(1, "Eerste versie"), doc(1, "Tweede versie")])
            .expect("upsert");
        index.commit(1).expect("commit");
        assert_eq!(index.len(), 1);
        assert_eq!(ids(&index, "versie"), vec![1]);
        assert_eq!(ids(&index, "tweede"), vec![1]);
        assert_eq!(ids(&index, "eerste"), Vec::<i64>::new());
    }

    #[test]
    fn a_delete_removes_the_document_at_the_commit() {
        let index = index();
        index
            .delete(&[InitiativeId(10), InitiativeId(99)])
            .expect("delete");
        assert_eq!(ids(&index, "mindfulness"), vec![10, 8]);
        index.commit(12).expect("commit");
        assert_eq!(ids(&index, "mindfulness"), vec![8]);
        assert_eq!(index.len(), 9);
    }

    #[test]
    fn clear_swaps_the_content_at_the_commit() {
        let index = index();
        index.clear().expect("clear");
        index.upsert(vec![doc(42, "Nieuw begin")]).expect("upsert");
        assert_eq!(index.len(), 10);
        index.commit(20).expect("commit");
        assert_eq!(index.len(), 1);
        assert_eq!(ids(&index, "nieuw"), vec![42]);
        assert_eq!(ids(&index, "mindfulness"), Vec::<i64>::new());
    }

    #[test]
    fn a_new_index_has_no_watermark_and_a_commit_sets_it() {
        let index = SearchIndex::in_memory().expect("index");
        assert_eq!(index.watermark(), None);
        assert!(index.is_empty());
        index.commit(7).expect("commit");
        assert_eq!(index.watermark(), Some(7));
    }

    #[test]
    fn the_watermark_and_documents_survive_reopening_an_index_on_disk() {
        let dir = tempfile::tempdir().expect("temp dir");
        {
            let index = SearchIndex::open_or_create(dir.path()).expect("create");
            assert_eq!(index.watermark(), None);
            index.upsert(docs()).expect("upsert");
            index.commit(41).expect("commit");
            // Uncommitted changes are lost with the process; the watermark says so.
            index.delete(&[InitiativeId(1)]).expect("delete");
        }
        let index = SearchIndex::open_or_create(dir.path()).expect("reopen");
        assert_eq!(index.watermark(), Some(41));
        assert_eq!(index.len(), 10);
        assert_eq!(ids(&index, "mindfulness"), vec![10, 8]);
        assert_eq!(ids(&index, "buddyprogramma"), vec![1]);
    }

    #[test]
    fn an_index_with_another_schema_is_rebuilt_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(INDEX_FOLDER);
        std::fs::create_dir_all(&path).expect("folder");
        let mut builder = tantivy::schema::Schema::builder();
        builder.add_text_field("title", tantivy::schema::TEXT);
        let old = Index::create_in_dir(&path, builder.build()).expect("old index");
        let mut writer: IndexWriter<TantivyDocument> = old
            .writer_with_num_threads(1, WRITER_MEMORY)
            .expect("writer");
        let mut prepared = writer.prepare_commit().expect("prepare");
        prepared.set_payload("5");
        prepared.commit().expect("commit");
        drop(writer);

        let index = SearchIndex::open_or_create(dir.path()).expect("rebuilt");
        assert_eq!(index.watermark(), None);
        assert_eq!(index.len(), 0);
        index.upsert(docs()).expect("upsert");
        index.commit(1).expect("commit");
        assert_eq!(ids(&index, "mindfulness"), vec![10, 8]);
    }

    #[test]
    fn an_unreadable_index_is_rebuilt_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(INDEX_FOLDER);
        std::fs::create_dir_all(&path).expect("folder");
        std::fs::write(path.join("meta.json"), "{ not json").expect("meta");
        let index = SearchIndex::open_or_create(dir.path()).expect("rebuilt");
        assert_eq!(index.watermark(), None);
        assert_eq!(index.len(), 0);
    }

    #[test]
    fn folders_of_older_index_versions_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("tantivy-v0")).expect("old");
        std::fs::create_dir_all(dir.path().join("tantivy-vendor")).expect("other");
        std::fs::write(dir.path().join("notes.txt"), "keep").expect("file");
        SearchIndex::open_or_create(dir.path()).expect("create");
        assert!(!dir.path().join("tantivy-v0").exists());
        assert!(dir.path().join("tantivy-vendor").exists());
        assert!(dir.path().join("notes.txt").exists());
        assert!(dir.path().join(INDEX_FOLDER).join("meta.json").exists());
    }

    #[test]
    fn an_index_in_use_is_neither_rebuilt_nor_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        // An instance of another version writes to its folder, and one with another
        // schema to this version's folder.
        let writing = |path: &Path| {
            std::fs::create_dir_all(path).expect("folder");
            let mut builder = tantivy::schema::Schema::builder();
            builder.add_text_field("title", tantivy::schema::TEXT);
            let index = Index::create_in_dir(path, builder.build()).expect("index");
            let writer: IndexWriter<TantivyDocument> = index
                .writer_with_num_threads(1, WRITER_MEMORY)
                .expect("writer");
            writer
        };
        let old = dir.path().join("tantivy-v0");
        let path = dir.path().join(INDEX_FOLDER);
        let writers = (writing(&old), writing(&path));
        match SearchIndex::open_or_create(dir.path()) {
            Err(SearchError::Index(TantivyError::LockFailure(LockError::LockBusy, _))) => {}
            other => panic!("expected a busy lock, got {other:?}"),
        }
        assert!(path.join("meta.json").exists());
        assert!(old.join("meta.json").exists());
        drop(writers);
        let index = SearchIndex::open_or_create(dir.path()).expect("rebuilt once released");
        assert_eq!(index.watermark(), None);
        assert!(!old.exists());
    }

    #[test]
    fn a_second_writer_on_the_same_directory_is_an_index_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let _first = SearchIndex::open_or_create(dir.path()).expect("first");
        match SearchIndex::open_or_create(dir.path()) {
            Err(SearchError::Index(TantivyError::LockFailure(..))) => {}
            other => panic!("expected a lock failure, got {other:?}"),
        }
    }
}
