//! The schema's one extension: every request passes through it once. It measures the
//! operation (`observe`), applies the limits (`limits`) and gives every error its code
//! (`error`), in that order from the outside in, here in one place rather than in the
//! order extensions happen to be registered.
//!
//! None of these concerns looks at fields, so the extension says so (`resolves_fields`,
//! a hook of the patched async-graphql in `vendor/`): fields then resolve without any
//! extension machinery, instead of each paying a boxed future per extension and a look-up
//! of its type (a page of search results with its facets resolves several hundred).
//! With `--resolver-spans`, the tracing extension still wraps every field.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextPrepareRequest,
    NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    Request, Response, SchemaBuilder, ServerError, ServerResult, ValidationResult, Variables,
};

use crate::error::RequestCodes;
use crate::limits::{Limits, Parsed};
use crate::observe::Observed;

/// Adds the limits, the error codes and the measurements to a schema, as its one
/// extension. Async-graphql's own recursion check stays as a backstop, set
/// above ours, which therefore fires first.
pub(crate) fn install<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    limits: Limits,
) -> SchemaBuilder<Q, M, S> {
    builder
        .limit_recursive_depth(limits.recursive_depth.saturating_mul(2).saturating_add(8))
        .extension(Hooks::new(limits))
}

/// Creates each request's [`RequestHooks`]; the parsed documents are shared.
pub(crate) struct Hooks {
    limits: Limits,
    parsed: Arc<Parsed>,
}

impl Hooks {
    pub(crate) fn new(limits: Limits) -> Self {
        Hooks {
            limits,
            parsed: Arc::default(),
        }
    }
}

impl ExtensionFactory for Hooks {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(RequestHooks {
            limits: self.limits,
            parsed: self.parsed.clone(),
            observed: Observed::default(),
            codes: RequestCodes::default(),
        })
    }
}

/// One request's state for each concern.
struct RequestHooks {
    limits: Limits,
    parsed: Arc<Parsed>,
    observed: Observed,
    codes: RequestCodes,
}

#[async_graphql::async_trait::async_trait]
impl Extension for RequestHooks {
    fn resolves_fields(&self) -> bool {
        false
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let (mut response, statements) = kb_store::counting_statements(next.run(ctx)).await;
        self.codes.response(&mut response);
        self.observed.record(started, statements, &response);
        response
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        self.observed.set_name(request.operation_name.as_deref());
        let prepared = match next.run(ctx, request).await {
            Ok(request) => self.limits.prepare(request, &self.parsed),
            Err(e) => Err(e),
        };
        self.codes.prepared(prepared)
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        self.codes.parsed(next.run(ctx, query, variables).await)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let anonymous = ctx
            .data_opt::<Arc<crate::RequestContext>>()
            .is_none_or(|r| r.key.is_none());
        self.codes.validated(anonymous, next.run(ctx).await)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        self.observed.set_name(operation_name);
        next.run(ctx, operation_name).await
    }
}

/// The whole pipeline of a request's errors: limits, then the codes of each stage.
#[cfg(test)]
mod staged_codes {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, Value};
    use kb_domain::ErrorCode;

    use crate::error::coded;
    use crate::limits::Limits;

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
        async fn items(&self, first: Option<i32>) -> Vec<Root> {
            (0..first.unwrap_or(0).clamp(0, 3)).map(|_| Root).collect()
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
    async fn a_document_parsed_before_is_still_checked_with_each_requests_variables() {
        let limits = Limits {
            complexity: 50,
            ..Limits::default()
        };
        let schema = super::install(
            Schema::build(Root, EmptyMutation, EmptySubscription),
            limits,
        )
        .finish();
        let query = "query Q($n: Int) { items(first: $n) { ok } }";
        let run = |n: i32| {
            let request = async_graphql::Request::new(query).variables(
                async_graphql::Variables::from_json(serde_json::json!({ "n": n })),
            );
            schema.execute(request)
        };
        let code = |r: &async_graphql::Response| {
            r.errors
                .first()
                .and_then(|e| e.extensions.as_ref())
                .and_then(|x| x.get("code"))
                .cloned()
        };
        // Cost 1 + 2 × 1: allowed, and the parsed document is kept.
        let small = run(2).await;
        assert!(small.errors.is_empty(), "{:?}", small.errors);
        assert_eq!(
            small.data.into_json().expect("json"),
            serde_json::json!({ "items": [{ "ok": 1 }, { "ok": 1 }] })
        );
        // The same text with a page of 1,000 costs 1,001: refused though it is kept.
        let large = run(1000).await;
        assert_eq!(code(&large), Some(Value::String("LIMIT_EXCEEDED".into())));
        assert!(large.data == Value::Null);
        // And allowed again with a small page.
        assert!(run(1).await.errors.is_empty());
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
