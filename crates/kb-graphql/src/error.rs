use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextRequest};
use async_graphql::{ErrorExtensionValues, Pos, Response, ServerError, Value};
use kb_domain::{DomainError, ErrorCode};
use kb_store::StoreError;
use std::sync::Arc;

/// A GraphQL error carrying `extensions.code` (and `extensions.field` for bad input).
pub(crate) fn coded(
    code: ErrorCode,
    message: impl Into<String>,
    field: Option<&str>,
) -> async_graphql::Error {
    let mut e = async_graphql::Error::new(message);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code.as_str());
    if let Some(f) = field {
        ext.set("field", f);
    }
    e.extensions = Some(ext);
    e
}

/// A GraphQL error raised outside a resolver, with its code.
pub(crate) fn server_error(
    code: ErrorCode,
    message: impl Into<String>,
    pos: Option<Pos>,
) -> ServerError {
    let mut err = ServerError::new(message, pos);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code.as_str());
    err.extensions = Some(ext);
    err
}

impl From<DomainErr> for async_graphql::Error {
    fn from(DomainErr(e): DomainErr) -> Self {
        let mut err = coded(e.code, e.message, e.field.as_deref());
        if let (Some(v), Some(ext)) = (e.current_version, err.extensions.as_mut()) {
            ext.set("currentVersion", v);
        }
        err
    }
}

/// Wrapper so that `?` turns a domain error into a coded GraphQL error.
pub(crate) struct DomainErr(pub DomainError);

/// Maps a store error: domain errors keep their code; anything else is logged with its
/// cause and returned as `INTERNAL` without internals.
pub(crate) fn store_error(e: StoreError) -> async_graphql::Error {
    match e {
        StoreError::Domain(d) => DomainErr(d).into(),
        other => {
            tracing::error!(error = %other, "store failure");
            coded(ErrorCode::Internal, "internal error", None)
        }
    }
}

/// Maps a shared loader error (loaders share one error between many fields).
pub(crate) fn loader_error(e: Arc<async_graphql::Error>) -> async_graphql::Error {
    (*e).clone()
}

pub(crate) trait StoreResultExt<T> {
    /// The result with a coded GraphQL error.
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> StoreResultExt<T> for Result<T, StoreError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(store_error)
    }
}

impl<T> StoreResultExt<T> for Result<T, DomainError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| DomainErr(e).into())
    }
}

/// Gives every error of a response a code. Errors raised by resolvers already have one;
/// errors of async-graphql itself (syntax, validation, limits) are classified here.
#[derive(Debug, Clone, Copy, Default)]
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

/// The code of an error async-graphql raised before execution, by its message.
fn classify(message: &str) -> ErrorCode {
    const LIMITS: [&str; 6] = [
        "nested too deep",
        "too complex",
        "recursion depth",
        "number of directives",
        "too many aliases",
        "too many root fields",
    ];
    let m = message.to_ascii_lowercase();
    if LIMITS.iter().any(|l| m.contains(l)) {
        ErrorCode::LimitExceeded
    } else {
        ErrorCode::BadUserInput
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for err in &mut response.errors {
            let ext = err
                .extensions
                .get_or_insert_with(ErrorExtensionValues::default);
            if !ext
                .get("code")
                .is_some_and(|v| matches!(v, Value::String(_)))
            {
                ext.set("code", classify(&err.message).as_str());
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_messages_are_limit_exceeded() {
        assert_eq!(
            classify("Query is nested too deep."),
            ErrorCode::LimitExceeded
        );
        assert_eq!(classify("Query is too complex."), ErrorCode::LimitExceeded);
        assert_eq!(
            classify("The recursion depth of the query cannot be greater than `32`"),
            ErrorCode::LimitExceeded
        );
        assert_eq!(
            classify("Unknown field \"x\" on type \"Query\"."),
            ErrorCode::BadUserInput
        );
    }
}
