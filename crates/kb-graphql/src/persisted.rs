//! Persisted queries, before a request reaches the schema: Apollo's automatic persisted
//! queries (a client sends the sha256 of its query text in
//! `extensions.persistedQuery`; the text itself only once) for everyone, and trusted
//! documents for the API keys that have them (such a key runs its registered operations
//! and nothing else).
//!
//! The text is resolved here, so everything after — the limits, the GET handler's refusal
//! of mutations, the schema — sees a request with its full query text, whichever way it
//! came. The cache holds texts rather than parsed documents for the same reason.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use async_graphql::{Request, Value};
use kb_domain::{DomainError, ErrorCode};
use kb_store::{ApiKey, Store, StoreError};
use lru::LruCache;

use crate::documents::{operation, sha256_hex};

/// The message Apollo's clients recognise, besides the code, to send the text.
pub const NOT_FOUND_MESSAGE: &str = "PersistedQueryNotFound";

/// Automatic persisted queries: a bounded cache of query texts by their sha256, least
/// recently used first out; no cache (capacity 0) answers every hash alone with
/// `PERSISTED_QUERY_NOT_FOUND`, so clients keep sending texts.
pub struct PersistedQueries {
    cache: Option<Mutex<LruCache<String, Arc<str>>>>,
}

/// `extensions.persistedQuery` of a request: its hash, lower case.
fn persisted_hash(request: &Request) -> Result<Option<String>, DomainError> {
    let Some(value) = request.extensions.get("persistedQuery") else {
        return Ok(None);
    };
    let bad = |m: &str| DomainError::bad_input("extensions.persistedQuery", m);
    let Value::Object(fields) = value else {
        return Err(bad(
            "`persistedQuery` must be an object { version: 1, sha256Hash }",
        ));
    };
    match fields.get("version") {
        Some(Value::Number(n)) if n.as_i64() == Some(1) => {}
        _ => return Err(bad("only version 1 of persisted queries is supported")),
    }
    match fields.get("sha256Hash") {
        Some(Value::String(h)) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(Some(h.to_ascii_lowercase()))
        }
        _ => Err(bad("`sha256Hash` must be a sha256 in hex (64 digits)")),
    }
}

/// A store failure while looking up a document, as the client sees it.
fn store_refusal(e: StoreError) -> DomainError {
    match e {
        StoreError::Domain(d) => d,
        StoreError::Unavailable(e) => {
            tracing::warn!(error = %e, "database unavailable");
            DomainError::new(
                ErrorCode::Unavailable,
                "the database cannot be reached just now; try again shortly",
            )
        }
        other => {
            tracing::error!(error = %other, "trusted document look-up failed");
            DomainError::new(ErrorCode::Internal, "internal error")
        }
    }
}

fn not_allowed() -> DomainError {
    DomainError::new(
        ErrorCode::PersistedQueryNotAllowed,
        "this API key runs only its trusted documents, and this operation is not one of them",
    )
}

impl PersistedQueries {
    /// A cache of at most `capacity` texts.
    pub fn new(capacity: usize) -> Self {
        Self {
            cache: NonZeroUsize::new(capacity).map(|c| Mutex::new(LruCache::new(c))),
        }
    }

    fn cached(&self, hash: &str) -> Option<Arc<str>> {
        let cache = self.cache.as_ref()?;
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.get(hash).cloned()
    }

    fn keep(&self, hash: String, text: &str) {
        if let Some(cache) = &self.cache {
            let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
            cache.put(hash, Arc::from(text));
        }
    }

    /// Gives `request` its full query text and decides whether its key may run it.
    ///
    /// - A hash with a text registers the text, when the hash is the sha256 of exactly
    ///   that text (otherwise `BAD_USER_INPUT`).
    /// - A hash alone takes the text registered under it: the key's trusted document of
    ///   that hash, else the cache's; neither is `PERSISTED_QUERY_NOT_FOUND`.
    /// - A key with trusted documents runs only those: the canonical hash of the operation
    ///   the request runs must be one of them, else `PERSISTED_QUERY_NOT_ALLOWED`.
    ///
    /// `screen` is the limits' check of a text before parsing; a text that fails it is
    /// not kept (the schema refuses it with its code).
    pub async fn resolve(
        &self,
        store: &Store,
        key: Option<&ApiKey>,
        screen: impl Fn(&str) -> bool,
        request: &mut Request,
    ) -> Result<(), DomainError> {
        let hash = persisted_hash(request)?;
        let restricted = key.filter(|k| k.restricted());
        let mut keep = None;
        match hash {
            None => {}
            Some(hash) if !request.query.trim().is_empty() => {
                if sha256_hex(&request.query) != hash {
                    return Err(DomainError::bad_input(
                        "extensions.persistedQuery.sha256Hash",
                        "the sha256Hash is not the sha256 of the query text",
                    ));
                }
                keep = Some(hash);
            }
            Some(hash) => {
                if let Some(key) = restricted
                    && let Some(document) = store
                        .trusted_document(key, &hash)
                        .await
                        .map_err(store_refusal)?
                {
                    request.query = document;
                    return Ok(());
                }
                match self.cached(&hash) {
                    Some(text) => request.query = text.to_string(),
                    None => {
                        return Err(DomainError::new(
                            ErrorCode::PersistedQueryNotFound,
                            NOT_FOUND_MESSAGE,
                        ));
                    }
                }
            }
        }
        trusted(
            store,
            key,
            &request.query,
            request.operation_name.as_deref(),
        )
        .await?;
        if let Some(hash) = keep
            && screen(&request.query)
        {
            self.keep(hash, &request.query);
        }
        Ok(())
    }
}

/// Whether `key` may run the operation `operation_name` of the query text `query`: a
/// key without trusted documents (or no key) may run anything; a restricted one only an
/// operation whose canonical hash it has registered (`PERSISTED_QUERY_NOT_ALLOWED`
/// otherwise). For operations that do not come through [`PersistedQueries::resolve`],
/// such as those over a WebSocket.
pub async fn trusted(
    store: &Store,
    key: Option<&ApiKey>,
    query: &str,
    operation_name: Option<&str>,
) -> Result<(), DomainError> {
    let Some(key) = key.filter(|k| k.restricted()) else {
        return Ok(());
    };
    let Some(op) = operation(query, operation_name) else {
        return Err(not_allowed());
    };
    match store
        .trusted_document(key, &op.hash)
        .await
        .map_err(store_refusal)?
    {
        Some(_) => Ok(()),
        None => Err(not_allowed()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_extension(query: &str, pq: serde_json::Value) -> Request {
        let mut r = Request::new(query);
        r.extensions.insert(
            "persistedQuery".to_owned(),
            Value::from_json(pq).expect("value"),
        );
        r
    }

    #[test]
    fn the_extension_is_read_strictly() {
        let hash = sha256_hex("{__typename}");
        let ok = with_extension(
            "",
            serde_json::json!({ "version": 1, "sha256Hash": hash.to_uppercase() }),
        );
        assert_eq!(persisted_hash(&ok), Ok(Some(hash.clone())));
        for bad in [
            serde_json::json!({ "version": 2, "sha256Hash": hash }),
            serde_json::json!({ "version": 1, "sha256Hash": "abc" }),
            serde_json::json!({ "version": 1 }),
            serde_json::json!("x"),
        ] {
            let e = persisted_hash(&with_extension("", bad)).expect_err("refused");
            assert_eq!(e.code, ErrorCode::BadUserInput);
            assert_eq!(e.field.as_deref(), Some("extensions.persistedQuery"));
        }
        assert_eq!(persisted_hash(&Request::new("{ a }")), Ok(None));
    }

    #[test]
    fn the_cache_forgets_the_least_recently_used_text() {
        let pq = PersistedQueries::new(2);
        pq.keep("a".into(), "{ a }");
        pq.keep("b".into(), "{ b }");
        assert_eq!(pq.cached("a").as_deref(), Some("{ a }"));
        pq.keep("c".into(), "{ c }");
        assert_eq!(pq.cached("b"), None);
        assert_eq!(pq.cached("a").as_deref(), Some("{ a }"));
        assert_eq!(PersistedQueries::new(0).cached("a"), None);
    }
}
