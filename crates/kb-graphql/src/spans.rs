//! Resolver spans (`--resolver-spans`): async-graphql's tracing extension, except that
//! the `parse` span does not carry the query text. async-graphql records the document
//! with its variables written in as the span's `source`, which an OTLP export sends to the
//! collector whole: a search for a person's name or e-mail address, or any value a
//! client sends, would then be kept in the traces. The operation's shape is still there
//! in the `field` spans (`path`, `parent_type`, `return_type`).

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextRequest,
    NextResolve, NextSubscribe, NextValidation, ResolveInfo,
};
use async_graphql::futures_util::stream::BoxStream;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Value, Variables};
use tracing::Instrument;

/// Every resolver in a span of its own, and the request's phases in theirs; no query
/// text in any of them.
pub(crate) struct ResolverSpans;

impl ExtensionFactory for ResolverSpans {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Spans {
            inner: async_graphql::extensions::Tracing.create(),
        })
    }
}

/// async-graphql's tracing extension, whose every hook but `parse_query` is used as is.
struct Spans {
    inner: Arc<dyn Extension>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Spans {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        self.inner.request(ctx, next).await
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        self.inner.subscribe(ctx, stream, next)
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let span = tracing::info_span!(target: "async_graphql::graphql", "parse");
        next.run(ctx, query, variables).instrument(span).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        self.inner.validation(ctx, next).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        self.inner.execute(ctx, operation_name, next).await
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        self.inner.resolve(ctx, info, next).await
    }
}
