use std::fmt;

/// Every error code a client can see, in one place. `docs/api.md` lists the same table.
///
/// Each code is stable and travels as `extensions.code` in GraphQL errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The input is malformed or breaks a rule; `extensions.field` names the field.
    BadUserInput,
    /// The object does not exist, or the viewer may not see it.
    NotFound,
    /// The credentials are missing where required, unknown, revoked or expired.
    Unauthenticated,
    /// The viewer is known but may not do this.
    Forbidden,
    /// The object changed since the client read it (stale version).
    Conflict,
    /// Too many requests for this key or address.
    RateLimited,
    /// The request exceeds a limit: depth, complexity, aliases, body size, page size.
    LimitExceeded,
    /// The request took longer than the server allows (`--request-timeout-secs`) and was
    /// abandoned. A write is one transaction: it happened entirely or not at all.
    Timeout,
    /// The database cannot be reached just now (stopped, restarting, out of connections);
    /// nothing was written. Retrying later is safe.
    Unavailable,
    /// Something failed inside the service; details are logged, never returned.
    Internal,
    /// An automatic persisted query names a hash this server does not know (yet): the
    /// client sends the query text with the hash once, and the hash alone after that.
    /// Apollo's clients look for this code and retry by themselves, so the response is an
    /// ordinary GraphQL response with status 200.
    PersistedQueryNotFound,
    /// The API key is restricted to its trusted documents (`kennisbank documents
    /// register`) and this operation is not one of them.
    PersistedQueryNotAllowed,
}

impl ErrorCode {
    /// All codes, in the order `docs/api.md` documents them.
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::BadUserInput,
        ErrorCode::NotFound,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::Conflict,
        ErrorCode::RateLimited,
        ErrorCode::LimitExceeded,
        ErrorCode::Timeout,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
        ErrorCode::PersistedQueryNotFound,
        ErrorCode::PersistedQueryNotAllowed,
    ];

    /// The SCREAMING_SNAKE code sent to clients.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::LimitExceeded => "LIMIT_EXCEEDED",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Unavailable => "UNAVAILABLE",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            ErrorCode::PersistedQueryNotAllowed => "PERSISTED_QUERY_NOT_ALLOWED",
        }
    }

    /// The HTTP status a plain (non-GraphQL) response with this code carries.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadUserInput => 400,
            ErrorCode::NotFound => 404,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::Conflict => 409,
            ErrorCode::RateLimited => 429,
            ErrorCode::LimitExceeded => 413,
            ErrorCode::Timeout => 504,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
            ErrorCode::PersistedQueryNotFound => 200,
            ErrorCode::PersistedQueryNotAllowed => 403,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error a client caused or may see, with its code and, for bad input, the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DomainError {
    pub code: ErrorCode,
    pub message: String,
    /// The input field at fault, for `BAD_USER_INPUT`.
    pub field: Option<String>,
    /// The version the object has now, for `CONFLICT`.
    pub current_version: Option<i32>,
    /// For `BAD_USER_INPUT` found in several fields at once: every field at fault with
    /// its message, in the order of the input (the first is also `field` and `message`),
    /// so a form can show them all together. Empty when one field is at fault.
    pub problems: Vec<Problem>,
}

/// One input field at fault and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// Collects the faults of several input fields, so that a client learns of all of them
/// in one answer rather than one per try.
#[derive(Debug, Default)]
pub struct Problems(Vec<DomainError>);

impl Problems {
    /// The value of `result`, or `None` after noting its error.
    pub fn check<T>(&mut self, result: Result<T, DomainError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    /// Notes an error.
    pub fn push(&mut self, error: DomainError) {
        self.0.push(error);
    }

    /// Whether a fault was noted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was noted; otherwise the first error, listing every bad field in
    /// its `problems` when there are several.
    pub fn finish(self) -> Result<(), DomainError> {
        let mut errors = self.0.into_iter();
        let Some(mut first) = errors.next() else {
            return Ok(());
        };
        let rest: Vec<DomainError> = errors.collect();
        if !rest.is_empty() {
            first.problems = std::iter::once(&first)
                .chain(rest.iter())
                .filter_map(|e| {
                    e.field.as_ref().map(|f| Problem {
                        field: f.clone(),
                        message: e.message.clone(),
                    })
                })
                .collect();
        }
        Err(first)
    }
}

impl DomainError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            current_version: None,
            problems: Vec::new(),
        }
    }

    /// A bad value in the named input field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: ErrorCode::BadUserInput,
            message: message.into(),
            field: Some(field.into()),
            current_version: None,
            problems: Vec::new(),
        }
    }

    /// The same error, naming the input field it concerns.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, format!("{} not found", what.into()))
    }

    /// The object changed since the client read it.
    pub fn conflict(current_version: i32) -> Self {
        Self {
            code: ErrorCode::Conflict,
            message: format!(
                "the object was changed meanwhile; its current version is {current_version}"
            ),
            field: Some("expectedVersion".into()),
            current_version: Some(current_version),
            problems: Vec::new(),
        }
    }

    pub fn limit(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::LimitExceeded, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_screaming_snake_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(s.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{s}");
            assert!(seen.insert(s));
        }
        assert_eq!(seen.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn the_docs_list_every_code_with_its_status() {
        let api = include_str!("../../../docs/api.md");
        for code in ErrorCode::ALL {
            let row = format!("| `{}` |", code.as_str());
            let line = api
                .lines()
                .find(|l| l.starts_with(&row))
                .unwrap_or_else(|| panic!("docs/api.md has no row for {code}"));
            assert!(
                line.trim_end()
                    .ends_with(&format!("| {} |", code.http_status())),
                "docs/api.md gives {code} another status: {line}"
            );
        }
    }

    #[test]
    fn problems_list_every_bad_field_in_order() {
        let mut p = Problems::default();
        assert_eq!(p.check::<i32>(Ok(3)), Some(3));
        assert!(p.is_empty());
        assert_eq!(Problems::default().finish(), Ok(()));
        p.check::<()>(Err(DomainError::bad_input("input.title", "too short")));
        let one = {
            let mut q = Problems::default();
            q.push(DomainError::bad_input("input.title", "too short"));
            q.finish().expect_err("bad")
        };
        assert_eq!(one.field.as_deref(), Some("input.title"));
        assert!(one.problems.is_empty());
        p.push(DomainError::bad_input("input.website", "not a URL"));
        let e = p.finish().expect_err("bad");
        assert_eq!(e.field.as_deref(), Some("input.title"));
        assert_eq!(e.message, "too short");
        let fields: Vec<(&str, &str)> = e
            .problems
            .iter()
            .map(|p| (p.field.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            fields,
            [("input.title", "too short"), ("input.website", "not a URL")]
        );
    }

    #[test]
    fn bad_input_names_the_field() {
        let e = DomainError::bad_input("first", "must be between 0 and 100");
        assert_eq!(e.code, ErrorCode::BadUserInput);
        assert_eq!(e.field.as_deref(), Some("first"));
    }
}
