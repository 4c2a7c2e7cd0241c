use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Pos, Request, ServerError, ServerResult, Variables};
use kb_domain::ErrorCode;
use lru::LruCache;

use crate::error::server_error;

/// How many selections merge into one field.
mod merge;
/// The same count on the text, before it is parsed, where it is cheaper.
mod merge_screen;
/// The linear pass over a query text and its parsed document.
mod walk;

use walk::{Shape, Walk, bracket_depth};

/// Ids in one `nodes(ids:)` field, as its resolver allows.
pub const MAX_NODE_IDS: usize = 100;

/// Limits on the shape of a query; exceeding one fails the request with
/// `LIMIT_EXCEEDED` before async-graphql validates or executes anything. The defaults
/// are documented in docs/operations.md (Limits).
///
/// Fragments count once per spread, as if written out where they are spread, but every
/// fragment is measured only once: the check is linear in the size of the document, so a
/// small document whose fragments spread each other many times is refused cheaply
/// instead of being expanded by async-graphql's validation, which walks every spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of fields (a root field is at depth 1).
    pub depth: usize,
    /// Largest cost of an operation. A field costs `1 + m × (the cost of its
    /// selections)`. The multiplier `m` is its `first` or `last` argument (literal or
    /// variable; the larger if both; negative values by their size), else the length of
    /// its `ids` list, else the default page size (20) when it selects `edges` or `nodes`
    /// (a connection), else 1; never less than 1, so a page of zero still pays for the
    /// selections that are validated under it. The cost is therefore at least the
    /// number of fields, which bounds every later walk over the query.
    pub complexity: usize,
    /// Deepest nesting of `{`, `(` and `[` in the query text (checked before parsing,
    /// against stack exhaustion), and of selection sets with a fragment spread counted as
    /// a level.
    pub recursive_depth: usize,
    /// Directives on one field.
    pub directives: usize,
    /// Aliased fields in one operation.
    pub aliases: usize,
    /// Selections of one response key in one selection set, fragments written out
    /// where they are spread: GraphQL merges them into one field, but validating them
    /// compares every pair. Counted on the text before it is parsed where the text shows
    /// them, and on the parsed document.
    pub merged_selections: usize,
    /// Fields at the root of one operation, counted with its fragments written out.
    pub root_fields: usize,
    /// Characters of a query text (comments and strings included), checked before it is
    /// parsed.
    pub query_chars: usize,
    /// Lexical tokens of a query text (names, punctuators, numbers, strings; not
    /// whitespace, commas or comments), counted before it is parsed, without building
    /// anything.
    pub query_tokens: usize,
    /// Representations in one `_entities` field.
    pub entities: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            depth: 12,
            complexity: 20_000,
            recursive_depth: 32,
            directives: 8,
            aliases: 30,
            merged_selections: 32,
            root_fields: 20,
            query_chars: 50_000,
            query_tokens: 10_000,
            entities: 100,
        }
    }
}

impl Limits {
    /// Checks every operation of a parsed document.
    pub fn check(&self, doc: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
        let mut walk = Walk::new(doc, variables, self.recursive_depth);
        for (_, op) in doc.operations.iter() {
            let set = &op.node.selection_set;
            let shape = walk.selection_set(set, 0)?;
            self.admit(&shape, set.pos)?;
            if let Some((key, pos)) = merge::over(&set.node, set.pos, doc, self.merged_selections) {
                return Err(self.repeated(key, pos));
            }
        }
        Ok(())
    }

    fn admit(&self, shape: &Shape, pos: Pos) -> ServerResult<()> {
        let checks = [
            (
                shape.fields,
                self.root_fields,
                "root fields in one operation",
            ),
            (shape.aliases, self.aliases, "aliases in one operation"),
            (shape.depth, self.depth, "levels of fields"),
            (shape.complexity, self.complexity, "units of complexity"),
            (shape.directives, self.directives, "directives on one field"),
            (
                shape.nesting,
                self.recursive_depth,
                "levels of selection sets",
            ),
            (
                shape.representations,
                self.entities,
                "representations in one `_entities` field",
            ),
            (shape.node_ids, MAX_NODE_IDS, "ids in one `nodes` field"),
        ];
        for (value, limit, what) in checks {
            if value > u64::try_from(limit).unwrap_or(u64::MAX) {
                return Err(exceeded(
                    format!("The query has more than {limit} {what}"),
                    pos,
                ));
            }
        }
        Ok(())
    }
}

impl Limits {
    /// The checks that are safe on any text before it is parsed, each one pass without
    /// building anything but counts: its length in characters, its number of tokens, how
    /// deeply its brackets nest, and how often one selection set repeats a key (where the
    /// text shows it without parsing; the rest is checked on the parsed document). Whoever parses a query outside the schema (the GET handler, to
    /// refuse mutations) runs this first.
    pub fn screen(&self, query: &str) -> ServerResult<()> {
        // A text of at most `query_chars` bytes has at most as many characters.
        if query.len() > self.query_chars && query.chars().count() > self.query_chars {
            return Err(exceeded(
                format!("The query has more than {} characters", self.query_chars),
                Pos::default(),
            ));
        }
        // One pass over the tokens counts them and the selections of each key; it stops
        // at a key over the limit, and the tokens after it are only counted.
        let mut tokens = crate::lexer::spanned(query).take(self.query_tokens.saturating_add(1));
        let mut read = 0;
        let counted = tokens.by_ref().inspect(|_| read += 1);
        let repeated = merge_screen::over(query, counted, self.merged_selections);
        if read + tokens.count() > self.query_tokens {
            return Err(exceeded(
                format!("The query has more than {} tokens", self.query_tokens),
                Pos::default(),
            ));
        }
        let nesting = bracket_depth(query);
        if nesting > self.recursive_depth {
            return Err(exceeded(
                format!(
                    "The query nests {nesting} levels of brackets; at most {} are allowed",
                    self.recursive_depth
                ),
                Pos::default(),
            ));
        }
        if let Some((key, pos)) = repeated {
            return Err(self.repeated(key, pos));
        }
        Ok(())
    }

    /// A selection set that selects `key` more times than the limit allows.
    fn repeated(&self, key: &str, pos: Pos) -> ServerError {
        exceeded(
            format!(
                "The query selects `{key}` more than {} times in one selection set",
                self.merged_selections
            ),
            pos,
        )
    }
}

fn exceeded(message: String, pos: Pos) -> ServerError {
    server_error(ErrorCode::LimitExceeded, message, Some(pos))
}

impl Limits {
    /// Screens a request's text and checks its document before async-graphql validates:
    /// its parse step checks recursion by walking every fragment spread where it is
    /// used, and its validation does the same. The document is kept in the request, so
    /// the query is parsed once, and in `parsed`, so a text seen before is not parsed
    /// (nor screened) again; the check, which depends on the variables, always runs.
    /// Returns the request with its document, and the document.
    pub(crate) fn prepare(
        &self,
        mut request: Request,
        parsed: &Parsed,
    ) -> ServerResult<(Request, Arc<ExecutableDocument>)> {
        let doc = match parsed.get(&request.query) {
            Some(doc) => doc,
            None => {
                self.screen(&request.query)?;
                let doc = Arc::new(async_graphql::parser::parse_query(&request.query)?);
                parsed.keep(&request.query, &doc);
                doc
            }
        };
        self.check(&doc, &request.variables)?;
        request.set_parsed_query(ExecutableDocument::clone(&doc));
        Ok((request, doc))
    }
}

/// Documents parsed recently, by their text: a client sends the same few queries again
/// and again, and parsing costs more than the rest of a small request's validation.
pub(crate) struct Parsed {
    kept: Mutex<LruCache<String, Arc<ExecutableDocument>>>,
}

impl Parsed {
    /// How many documents are kept.
    const KEPT: NonZeroUsize = NonZeroUsize::new(128).expect("non-zero");
    /// Longest text kept, in bytes: larger documents are rare and cost memory.
    const MAX_TEXT_BYTES: usize = 8 * 1024;

    /// The document kept for `text`.
    fn get(&self, text: &str) -> Option<Arc<ExecutableDocument>> {
        self.lock().get(text).cloned()
    }

    fn keep(&self, text: &str, doc: &Arc<ExecutableDocument>) {
        if text.len() <= Self::MAX_TEXT_BYTES {
            self.lock().put(text.to_owned(), doc.clone());
        }
    }

    fn lock(&self) -> MutexGuard<'_, LruCache<String, Arc<ExecutableDocument>>> {
        // The cache holds no invariant a panic elsewhere could break.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Parsed {
    fn default() -> Self {
        Parsed {
            kept: Mutex::new(LruCache::new(Self::KEPT)),
        }
    }
}
