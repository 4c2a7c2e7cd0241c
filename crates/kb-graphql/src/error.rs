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

impl From<DomainErr> for async_graphql::Error {
    fn from(DomainErr(e): DomainErr) -> Self {
        let mut err = coded(e.code, e.message, e.field.as_deref());
        if let (Some(v), Some(ext)) = (e.current_version, err.extensions.as_mut()) {
            ext.set("currentVersion", v);
        }
        if let (false, Some(ext)) = (e.problems.is_empty(), err.extensions.as_mut()) {
            let problems = e
                .problems
                .iter()
                .map(|p| {
                    let mut o = async_graphql::indexmap::IndexMap::new();
                    o.insert(
                        async_graphql::Name::new("field"),
                        Value::from(p.field.as_str()),
                    );
                    o.insert(
                        async_graphql::Name::new("message"),
                        Value::from(p.message.as_str()),
                    );
                    Value::Object(o)
                })
                .collect();
            ext.set("problems", Value::List(problems));
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
        StoreError::Unavailable(e) => {
            tracing::warn!(error = %e, "database unavailable");
            with_reason(
                coded(
                    ErrorCode::Unavailable,
                    "the database cannot be reached just now; nothing was written, try again shortly",
                    None,
                ),
                "DATABASE_UNREACHABLE",
            )
        }
        StoreError::StorageFull(e) => {
            tracing::error!(error = %e, "the database's disk is full: a write was refused");
            with_reason(
                coded(
                    ErrorCode::Unavailable,
                    "the database's disk is full; nothing was written, try again once the operators have made room",
                    None,
                ),
                "STORAGE_FULL",
            )
        }
        other => {
            tracing::error!(error = %other, "store failure");
            coded(ErrorCode::Internal, "internal error", None)
        }
    }
}

/// `err` with `extensions.reason`: why a service is unavailable, for clients and
/// operators to tell a full disk from a database that is down.
fn with_reason(mut err: async_graphql::Error, reason: &str) -> async_graphql::Error {
    if let Some(ext) = err.extensions.as_mut() {
        ext.set("reason", reason);
    }
    err
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

/// A GraphQL error raised outside a resolver, with its code.
pub(crate) fn server_error(
    code: ErrorCode,
    message: impl Into<String>,
    pos: Option<Pos>,
) -> ServerError {
    or_code(ServerError::new(message, pos), code)
}

/// `err` with `code` unless it has a code already: the code given where an error is
/// raised wins.
pub(crate) fn or_code(mut err: ServerError, code: ErrorCode) -> ServerError {
    give_code(&mut err, code);
    err
}

/// Gives `err` a code unless it has one; whether it had none.
fn give_code(err: &mut ServerError, code: ErrorCode) -> bool {
    let ext = err
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default);
    let missing = !matches!(ext.get("code"), Some(Value::String(_)));
    if missing {
        ext.set("code", code.as_str());
    }
    missing
}

/// Gives every error of a response a code where it arose. Errors raised by resolvers,
/// the limits and the pipeline carry theirs. An error without a code and without a path
/// was raised before execution, by async-graphql's parse or validation: it is the
/// client's, `BAD_USER_INPUT`. Suggestions ("Did you mean …?") in validation's messages
/// help whoever builds a client; to anyone else they read the schema out one typo at a
/// time, so only key holders (not `anonymous`) get them. An error still without a code is
/// a failure no resolver foresaw, `INTERNAL`: its message, which may hold internals, is
/// logged and replaced.
pub(crate) fn code_response(response: &mut Response, anonymous: bool) {
    for err in &mut response.errors {
        if err.path.is_empty() && !has_code(err) {
            if anonymous {
                without_suggestion(&mut err.message);
            }
            give_code(err, ErrorCode::BadUserInput);
        } else if give_code(err, ErrorCode::Internal) {
            tracing::error!(message = %err.message, path = ?err.path, "an error without a code");
            err.message = "internal error".to_owned();
        }
    }
}

fn has_code(err: &ServerError) -> bool {
    matches!(
        err.extensions.as_ref().and_then(|e| e.get("code")),
        Some(Value::String(_))
    )
}

/// Cuts the suggestion async-graphql's validation appends to a message (` Did you mean
/// "x"?`, always at the end).
fn without_suggestion(message: &mut String) {
    if let Some(at) = message.find(" Did you mean ") {
        message.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggestion_is_cut_from_the_message() {
        let mut m =
            "Unknown field \"titel\" on type \"Initiative\". Did you mean \"title\"?".to_owned();
        without_suggestion(&mut m);
        assert_eq!(m, "Unknown field \"titel\" on type \"Initiative\".");
    }

    #[test]
    fn a_code_given_where_the_error_arose_is_kept() {
        let err = server_error(ErrorCode::LimitExceeded, "too big", None);
        let err = or_code(err, ErrorCode::BadUserInput);
        assert_eq!(
            err.extensions.and_then(|e| e.get("code").cloned()),
            Some(Value::from("LIMIT_EXCEEDED"))
        );
    }
}
