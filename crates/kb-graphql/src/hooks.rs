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
use async_graphql::{Request, Response, ServerError, ServerResult, ValidationResult, Variables};

use crate::error::RequestCodes;
use crate::limits::{Limits, Parsed};
use crate::observe::Observed;

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
