use std::num::NonZeroUsize;
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Pos, Request, SchemaBuilder, ServerError, ServerResult, Variables};
use kb_domain::ErrorCode;
use lru::LruCache;

use crate::error::server_error;
use crate::hooks::Hooks;

/// The linear pass over a query text and its parsed document.
mod walk;

use walk::{Shape, Walk, bracket_depth};

/// Ids in one `nodes(ids:)` field, as its resolver allows.
pub const MAX_NODE_IDS: usize = 100;

/// Limits on the shape of a query; exceeding one fails the request with
/// `LIMIT_EXCEEDED` before async-graphql validates or executes anything. The README
/// documents the defaults.
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
            root_fields: 20,
            query_chars: 50_000,
            query_tokens: 10_000,
            entities: 100,
        }
    }
}

/// Adds the limits, the error codes and the measurements to a schema, as its one
/// extension (see `hooks`). Async-graphql's own recursion check stays as a backstop, set
/// above ours, which therefore fires first.
pub(crate) fn install<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    limits: Limits,
) -> SchemaBuilder<Q, M, S> {
    builder
        .limit_recursive_depth(limits.recursive_depth.saturating_mul(2).saturating_add(8))
        .extension(Hooks::new(limits))
}

impl Limits {
    /// Checks every operation of a parsed document.
    pub fn check(&self, doc: &ExecutableDocument, variables: &Variables) -> ServerResult<()> {
        let mut walk = Walk::new(doc, variables, self.recursive_depth);
        for (_, op) in doc.operations.iter() {
            let set = &op.node.selection_set;
            let shape = walk.selection_set(set, 0)?;
            self.admit(&shape, set.pos)?;
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
    /// building anything: its length in characters, its number of tokens, and how deeply
    /// its brackets nest. Whoever parses a query outside the schema (the GET handler, to
    /// refuse mutations) runs this first.
    pub fn screen(&self, query: &str) -> ServerResult<()> {
        // A text of at most `query_chars` bytes has at most as many characters.
        if query.len() > self.query_chars && query.chars().count() > self.query_chars {
            return Err(exceeded(
                format!("The query has more than {} characters", self.query_chars),
                Pos::default(),
            ));
        }
        if crate::lexer::more_tokens_than(query, self.query_tokens) {
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
        Ok(())
    }
}

fn exceeded(message: String, pos: Pos) -> ServerError {
    server_error(ErrorCode::LimitExceeded, message, Some(pos))
}

impl Limits {
    /// Screens a request's text and checks its document before async-graphql parses and
    /// validates: its parse step checks recursion by walking every fragment spread where
    /// it is used, and its validation does the same. The document is kept in the request,
    /// so the query is parsed once, and in `parsed`, so a text seen before is not parsed
    /// (nor screened) again; the check, which depends on the variables, always runs. A
    /// syntax error is left to async-graphql's parse step, which reports it.
    pub(crate) fn prepare(&self, mut request: Request, parsed: &Parsed) -> ServerResult<Request> {
        let doc = match parsed.get(&request.query) {
            Some(doc) => doc,
            None => {
                self.screen(&request.query)?;
                let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
                    return Ok(request);
                };
                parsed.keep(&request.query, &doc);
                doc
            }
        };
        self.check(&doc, &request.variables)?;
        request.set_parsed_query(doc);
        Ok(request)
    }
}

/// Documents parsed recently, by their text: a client sends the same few queries again
/// and again, and parsing costs more than the rest of a small request's validation.
pub(crate) struct Parsed {
    kept: Mutex<LruCache<String, ExecutableDocument>>,
}

impl Parsed {
    /// How many documents are kept.
    const KEPT: NonZeroUsize = NonZeroUsize::new(128).expect("non-zero");
    /// Longest text kept, in bytes: larger documents are rare and cost memory.
    const MAX_TEXT_BYTES: usize = 8 * 1024;

    fn get(&self, text: &str) -> Option<ExecutableDocument> {
        self.lock().get(text).cloned()
    }

    fn keep(&self, text: &str, doc: &ExecutableDocument) {
        if text.len() <= Self::MAX_TEXT_BYTES {
            self.lock().put(text.to_owned(), doc.clone());
        }
    }

    fn lock(&self) -> MutexGuard<'_, LruCache<String, ExecutableDocument>> {
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

/// The whole pipeline of a request's errors: limits, then the codes of each stage.
#[cfg(test)]
mod staged_codes {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, Value};
    use kb_domain::ErrorCode;

    use super::Limits;
    use crate::error::coded;

    struct Root;

    #[Object]
    impl Root {
        async fn ok(&self) -> i32 {
            1
        }
        async fn uncoded(&self) -> async_graphql::Result<i32> {
            Err("boom".into())
        }
        async fn missing(&self) -> async_graphql::Result<i32> {
            Err(coded(ErrorCode::NotFound, "no such thing", None))
        }
        async fn root(&self) -> Root {
            Root
        }
    }

    async fn first_error(query: &str, operation: Option<&str>) -> (String, String) {
        let schema = super::install(
            Schema::build(Root, EmptyMutation, EmptySubscription),
            Limits::default(),
        )
        .finish();
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = operation {
            request = request.operation_name(name);
        }
        let response = schema.execute(request).await;
        let err = response.errors.first().expect("an error");
        match err.extensions.as_ref().and_then(|e| e.get("code")) {
            Some(Value::String(code)) => (code.clone(), err.message.clone()),
            other => panic!("no code: {other:?} on {}", err.message),
        }
    }

    async fn first_code(query: &str, operation: Option<&str>) -> String {
        first_error(query, operation).await.0
    }

    #[tokio::test]
    async fn each_stage_gives_its_errors_a_code() {
        assert_eq!(first_code("{ ok", None).await, "BAD_USER_INPUT");
        assert_eq!(first_code("{ nope }", None).await, "BAD_USER_INPUT");
        assert_eq!(first_code("{ ok(x: 1) }", None).await, "BAD_USER_INPUT");
        assert_eq!(
            first_code("query A { ok } query B { ok }", None).await,
            "BAD_USER_INPUT"
        );
        assert_eq!(
            first_code("query A { ok }", Some("B")).await,
            "BAD_USER_INPUT"
        );
        assert_eq!(first_code("{ ok }", Some("B")).await, "BAD_USER_INPUT");
        assert_eq!(first_code("{ missing }", None).await, "NOT_FOUND");
        // An uncoded failure is INTERNAL, and its message (which may hold internals)
        // stays in the log.
        assert_eq!(
            first_error("{ uncoded }", None).await,
            ("INTERNAL".to_owned(), "internal error".to_owned())
        );
        let tokens = format!("{{ {} }}", "ok ".repeat(10_001));
        assert_eq!(
            first_error(&tokens, None).await,
            (
                "LIMIT_EXCEEDED".to_owned(),
                "The query has more than 10000 tokens".to_owned()
            )
        );
        let long = format!("{{ ok }} #{}", "é".repeat(50_000));
        assert_eq!(
            first_error(&long, None).await,
            (
                "LIMIT_EXCEEDED".to_owned(),
                "The query has more than 50000 characters".to_owned()
            )
        );
        // Characters, not bytes: 49,900 two-byte characters pass.
        let accented = format!("{{ ok }} #{}", "é".repeat(49_900));
        assert_eq!(
            first_code(&format!("{accented}\n{{ nope }}"), None).await,
            "BAD_USER_INPUT"
        );
        let deep = format!("{{ {} ok {} }}", "root { ".repeat(12), "}".repeat(12));
        assert_eq!(first_code(&deep, None).await, "LIMIT_EXCEEDED");
        let nested = format!(
            "{{ {} ok {} }}",
            "... on Root { ".repeat(40),
            "}".repeat(40)
        );
        assert_eq!(first_code(&nested, None).await, "LIMIT_EXCEEDED");
    }
}
