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

/// How many bytes of answers one position keeps at most; past it, the half used least
/// recently goes, so the answers asked for most stay however many others pass through.
const BUDGET: usize = 64 << 20;

/// The largest answer kept: an eighth of the budget.
const LARGEST: usize = BUDGET / 8;

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

/// What a kept answer weighs against the budget.
pub(super) trait Weighed: Clone {
    /// About how many bytes it holds.
    fn weight(&self) -> usize;
}

/// The bytes of an answer as sent over HTTP.
impl Weighed for Bytes {
    fn weight(&self) -> usize {
        self.len()
    }
}

/// The data of an answer run in process for the website: its length as JSON.
impl Weighed for async_graphql::Value {
    fn weight(&self) -> usize {
        serde_json::to_vec(self).map_or(usize::MAX, |v| v.len())
    }
}

/// The answers of one position of the change log.
pub(super) struct KeptAnswers<V = Bytes> {
    inner: Mutex<Kept<V>>,
}

impl<V> Default for KeptAnswers<V> {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Kept::default()),
        }
    }
}

struct Kept<V> {
    position: i64,
    bytes: usize,
    /// Counts uses: an answer's `used` is the count at its last use.
    uses: u64,
    answers: HashMap<Key, Answer<V>>,
}

impl<V> Default for Kept<V> {
    fn default() -> Self {
        Self {
            position: 0,
            bytes: 0,
            uses: 0,
            answers: HashMap::new(),
        }
    }
}

struct Answer<V> {
    body: V,
    weight: usize,
    used: u64,
}

impl<V> Kept<V> {
    /// Lets go of the half of the answers used least recently.
    fn forget_older_half(&mut self) {
        let mut used: Vec<u64> = self.answers.values().map(|a| a.used).collect();
        used.sort_unstable();
        let Some(&cut) = used.get(used.len() / 2) else {
            return;
        };
        let before = self.answers.len();
        self.answers.retain(|_, a| a.used >= cut);
        if self.answers.len() == before {
            self.answers.clear();
        }
        self.bytes = self.answers.values().map(|a| a.weight).sum();
    }
}

impl<V: Weighed> KeptAnswers<V> {
    /// The answer kept for `key` at `position`.
    pub(super) fn get(&self, position: i64, key: &Key) -> Option<V> {
        let mut kept = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if kept.position != position {
            return None;
        }
        kept.uses += 1;
        let now = kept.uses;
        let answer = kept.answers.get_mut(key)?;
        answer.used = now;
        Some(answer.body.clone())
    }

    /// Keeps `body`, computed from `before` to `after` (the positions read before and
    /// after running it), if no change was applied in between.
    pub(super) fn keep(&self, before: i64, after: i64, key: Key, body: V) {
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
        let weight = body.weight();
        if weight > LARGEST {
            return;
        }
        kept.uses += 1;
        kept.bytes += weight;
        let used = kept.uses;
        let answer = Answer { body, weight, used };
        if let Some(old) = kept.answers.insert(key, answer) {
            kept.bytes -= old.weight;
        }
        while kept.bytes > BUDGET {
            kept.forget_older_half();
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
        let kept: KeptAnswers = KeptAnswers::default();
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
        let kept: KeptAnswers = KeptAnswers::default();
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
    fn past_the_budget_the_answers_used_least_recently_go() {
        let kept: KeptAnswers = KeptAnswers::default();
        let text = |i: usize| format!("{{ a{i}: analytics {{ __typename }} }}");
        // Sixteen answers of a sixteenth of the budget each fill it.
        let each = BUDGET / 16;
        for i in 0..16 {
            kept.keep(1, 1, key(&text(i)), Bytes::from(vec![b'x'; each]));
        }
        // The first eight are asked for again; then one more answer overflows it.
        for i in 0..8 {
            assert!(kept.get(1, &key(&text(i))).is_some(), "{i}");
        }
        kept.keep(1, 1, key(&text(16)), Bytes::from(vec![b'x'; each]));
        let held: Vec<usize> = (0..17)
            .filter(|&i| kept.get(1, &key(&text(i))).is_some())
            .collect();
        // The half used least recently went: those not asked for again.
        assert_eq!(held, vec![0, 1, 2, 3, 4, 5, 6, 7, 16]);
        // An answer larger than an eighth of the budget is not kept at all.
        let big = key(&text(99));
        kept.keep(1, 1, big.clone(), Bytes::from(vec![b'x'; LARGEST + 1]));
        assert_eq!(kept.get(1, &big), None);
    }

    #[test]
    fn other_queries_have_no_key() {
        let r = async_graphql::Request::new("{ me { role } }");
        assert!(Key::of(&r, Reading::Published, Language::Nl, "application/json").is_none());
    }
}
