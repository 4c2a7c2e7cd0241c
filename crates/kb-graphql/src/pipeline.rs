//! The pipeline every request runs through, around async-graphql's executor: it
//! measures the operation (`observe`), applies the limits (`limits`), gives every error
//! its code (`error`) and puts the answer's fields in the order of the selection set
//! (`order`), in that order from the outside in, in one place.
//!
//! None of these concerns looks at fields, so none is a schema extension: async-graphql
//! sends every field and list item through every extension (a boxed future each and a
//! look-up of its type; a page of search results with its facets resolves several
//! hundred), while a schema without extensions resolves fields directly. With
//! `--resolver-spans`, the tracing extension still wraps every field.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{
    Data, ObjectType, Request, Response, Schema, SchemaBuilder, ServerError, SubscriptionType,
};
use kb_domain::ErrorCode;

use crate::error::{code_response, or_code};
use crate::limits::{Limits, Parsed};
use crate::observe;
use crate::order;

/// Sets async-graphql's own recursion check as a backstop above ours, which therefore
/// fires first.
pub(crate) fn install<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    limits: Limits,
) -> SchemaBuilder<Q, M, S> {
    builder.limit_recursive_depth(limits.recursive_depth.saturating_mul(2).saturating_add(8))
}

/// The limits and the documents parsed recently, shared by every request of a schema.
pub(crate) struct Pipeline {
    limits: Limits,
    parsed: Parsed,
}

/// A request ready for the executor, with its document and the operation it runs.
struct Prepared {
    request: Request,
    doc: Arc<ExecutableDocument>,
    operation: Option<String>,
    /// Whether the operation is a mutation, which may write.
    mutation: bool,
}

/// A request's answer, and whether it ran a mutation: the instance's read model then
/// catches up before the answer goes out, so the client reads its own writes.
pub(crate) struct Ran {
    pub(crate) response: Response,
    pub(crate) mutation: bool,
}

impl Pipeline {
    pub(crate) fn new(limits: Limits) -> Self {
        Pipeline {
            limits,
            parsed: Parsed::default(),
        }
    }

    /// Screens, parses (or takes a kept document), checks the limits and picks the
    /// operation. Every error is coded; a syntax error is the client's.
    fn prepare(&self, request: Request) -> Result<Prepared, ServerError> {
        let (request, doc) = self
            .limits
            .prepare(request, &self.parsed)
            .map_err(|e| or_code(e, ErrorCode::BadUserInput))?;
        let (operation, mutation) = match order::operation(&doc, request.operation_name.as_deref())
        {
            Some((name, op)) => (name.map(str::to_owned), op.ty == OperationType::Mutation),
            None => return Err(unknown_operation(request.operation_name.as_deref())),
        };
        Ok(Prepared {
            request,
            doc,
            operation,
            mutation,
        })
    }

    /// Runs one request: `anonymous` when it carries no key (validation's suggestions
    /// are then cut from its messages).
    pub(crate) async fn run<Q, M, S>(
        &self,
        schema: &Schema<Q, M, S>,
        request: Request,
        anonymous: bool,
    ) -> Ran
    where
        Q: ObjectType + 'static,
        M: ObjectType + 'static,
        S: SubscriptionType + 'static,
    {
        let started = Instant::now();
        let mut name = request.operation_name.clone();
        let mut mutation = false;
        let work = async {
            match self.prepare(request) {
                Ok(prepared) => {
                    name = prepared.operation.clone();
                    mutation = prepared.mutation;
                    let mut response = schema.execute(prepared.request).await;
                    order::by_selection(&mut response.data, &prepared.doc, name.as_deref());
                    response
                }
                Err(e) => Response::from_errors(vec![e]),
            }
        };
        let (mut response, statements) = kb_store::counting_statements(work).await;
        code_response(&mut response, anonymous);
        observe::record(name.as_deref(), started, statements, &response);
        Ran { response, mutation }
    }

    /// Runs an operation over a socket (a subscription, or a query or mutation sent
    /// there): each answer of its stream coded and ordered like a request's, and whether
    /// the operation is a mutation.
    pub(crate) fn run_stream<Q, M, S>(
        &self,
        schema: &Schema<Q, M, S>,
        request: Request,
        session: Arc<Data>,
        anonymous: bool,
    ) -> (BoxStream<'static, Response>, bool)
    where
        Q: ObjectType + 'static,
        M: ObjectType + 'static,
        S: SubscriptionType + 'static,
    {
        let prepared = match self.prepare(request) {
            Ok(prepared) => prepared,
            Err(e) => {
                let mut response = Response::from_errors(vec![e]);
                code_response(&mut response, anonymous);
                return (stream::once(async move { response }).boxed(), false);
            }
        };
        let (doc, name) = (prepared.doc, prepared.operation);
        let stream = schema
            .execute_stream_with_session_data(prepared.request, session)
            .map(move |mut response| {
                order::by_selection(&mut response.data, &doc, name.as_deref());
                code_response(&mut response, anonymous);
                response
            })
            .boxed();
        (stream, prepared.mutation)
    }
}

/// A request naming an operation its document lacks, or naming none of several.
fn unknown_operation(name: Option<&str>) -> ServerError {
    let message = match name {
        Some(name) => format!("Unknown operation named \"{name}\""),
        None => "Operation name required in request.".to_owned(),
    };
    crate::error::server_error(ErrorCode::BadUserInput, message, None)
}

/// The whole pipeline of a request's errors: limits, then the codes of each stage.
#[cfg(test)]
mod staged_codes {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, Value};
    use kb_domain::ErrorCode;

    use super::Pipeline;
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
        let limits = Limits::default();
        let schema = super::install(
            Schema::build(Root, EmptyMutation, EmptySubscription),
            limits,
        )
        .finish();
        let mut request = async_graphql::Request::new(query);
        if let Some(name) = operation {
            request = request.operation_name(name);
        }
        let response = Pipeline::new(limits)
            .run(&schema, request, true)
            .await
            .response;
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
        let pipeline = Pipeline::new(limits);
        let query = "query Q($n: Int) { items(first: $n) { ok } }";
        let run = |n: i32| {
            let request = async_graphql::Request::new(query).variables(
                async_graphql::Variables::from_json(serde_json::json!({ "n": n })),
            );
            async { pipeline.run(&schema, request, true).await.response }
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
        // 8,000 repetitions of one field pass the tokens and complexity limits, and are
        // refused before validation compares every pair of them.
        let repeated = format!("{{ root {{ {} }} }}", "ok ".repeat(8_000));
        assert_eq!(
            first_error(&repeated, None).await,
            (
                "LIMIT_EXCEEDED".to_owned(),
                "The query selects `ok` more than 32 times in one selection set".to_owned()
            )
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
