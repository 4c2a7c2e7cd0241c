//! Answers kept until the next change: the bytes of a query that asks only for what
//! [`kb_graphql::kept_until_next_change`] names, by everything they depend on — the
//! viewer's kind of reader, the language, the media type, the text, the operation and
//! the variables — at one position of the change log. The next request with the same
//! key gets the same bytes without running again; the first request after a change
//! finds nothing kept and starts afresh. An answer is kept only if no change was
//! applied while it was computed, so a kept answer is never older than its position.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use kb_domain::Language;
use kb_store::access::Reading;

/// How many bytes of answers one position keeps at most; past it, new answers are not
/// kept (the first ones asked for after a change stay).
const BUDGET: usize = 64 << 20;

/// Everything a kept answer depends on besides the change-log position.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    reading: Reading,
    lang: Language,
    media: &'static str,
    query: String,
    operation: Option<String>,
    /// The variables as JSON: the same values written in another order are another key.
    variables: String,
    /// The operation's name in its document, for the metrics.
    name: Option<String>,
}

impl Key {
    /// The operation's name in its document.
    pub(super) fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl Key {
    /// The key of `request` from a viewer of `reading` in `lang`, answered as `media`;
    /// `None` for a request whose answer is not kept.
    pub(super) fn of(
        request: &async_graphql::Request,
        reading: Reading,
        lang: Language,
        media: &'static str,
    ) -> Option<Key> {
        let kept = kb_graphql::kept_until_next_change(request)?;
        Some(Key {
            name: kept.operation,
            reading,
            lang,
            media,
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).ok()?,
        })
    }
}

/// The answers of one position of the change log.
#[derive(Default)]
pub(super) struct KeptAnswers {
    inner: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    position: i64,
    bytes: usize,
    answers: HashMap<Key, Bytes>,
}

impl KeptAnswers {
    /// The answer kept for `key` at `position`.
    pub(super) fn get(&self, position: i64, key: &Key) -> Option<Bytes> {
        let kept = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (kept.position == position)
            .then(|| kept.answers.get(key).cloned())
            .flatten()
    }

    /// Keeps `body`, computed from `before` to `after` (the positions read before and
    /// after running it), if no change was applied in between.
    pub(super) fn keep(&self, before: i64, after: i64, key: Key, body: Bytes) {
        if before != after {
            return;
        }
        let mut kept = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if kept.position > before {
            return;
        }
        if kept.position < before {
            *kept = Kept {
                position: before,
                ..Kept::default()
            };
        }
        if kept.bytes + body.len() > BUDGET {
            return;
        }
        kept.bytes += body.len();
        if let Some(old) = kept.answers.insert(key, body) {
            kept.bytes -= old.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(query: &str) -> Key {
        Key::of(
            &async_graphql::Request::new(query),
            Reading::Published,
            Language::Nl,
            "application/json",
        )
        .expect("a kept query")
    }

    #[test]
    fn an_answer_is_kept_for_its_key_at_its_position() {
        let kept = KeptAnswers::default();
        let k = key("{ analytics { __typename } }");
        kept.keep(3, 3, k.clone(), Bytes::from_static(b"a"));
        assert_eq!(kept.get(3, &k), Some(Bytes::from_static(b"a")));
        // Another position, another kind of reader, language or text: nothing.
        assert_eq!(kept.get(4, &k), None);
        let other = Key {
            reading: Reading::Editors,
            ..k.clone()
        };
        assert_eq!(kept.get(3, &other), None);
        let english = Key {
            lang: Language::En,
            ..k.clone()
        };
        assert_eq!(kept.get(3, &english), None);
        assert_eq!(
            kept.get(3, &key("{ __typename analytics { __typename } }")),
            None
        );
    }

    #[test]
    fn an_answer_computed_across_a_change_or_of_an_older_position_is_not_kept() {
        let kept = KeptAnswers::default();
        let k = key("{ analytics { __typename } }");
        kept.keep(3, 4, k.clone(), Bytes::from_static(b"stale"));
        assert_eq!(kept.get(3, &k), None);
        assert_eq!(kept.get(4, &k), None);
        kept.keep(5, 5, k.clone(), Bytes::from_static(b"new"));
        kept.keep(4, 4, k.clone(), Bytes::from_static(b"old"));
        assert_eq!(kept.get(5, &k), Some(Bytes::from_static(b"new")));
        assert_eq!(kept.get(4, &k), None);
    }

    #[test]
    fn past_the_budget_new_answers_are_not_kept() {
        let kept = KeptAnswers::default();
        let big = Bytes::from(vec![b'x'; BUDGET - 1]);
        kept.keep(1, 1, key("{ analytics { __typename } }"), big);
        let k = key("{ __typename analytics { __typename } }");
        kept.keep(1, 1, k.clone(), Bytes::from_static(b"ab"));
        assert_eq!(kept.get(1, &k), None);
        // A new position starts with the whole budget.
        kept.keep(2, 2, k.clone(), Bytes::from_static(b"ab"));
        assert_eq!(kept.get(2, &k), Some(Bytes::from_static(b"ab")));
    }

    #[test]
    fn other_queries_have_no_key() {
        let r = async_graphql::Request::new("{ me { role } }");
        assert!(Key::of(&r, Reading::Published, Language::Nl, "application/json").is_none());
    }
}
