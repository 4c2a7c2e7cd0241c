use thiserror::Error;

/// Everything that can go wrong in the index. Only [`SearchError::BadInput`] is the
/// caller's fault and may be shown to a client (as `BAD_USER_INPUT` with its field);
/// every other variant is an internal error, to be logged and answered as `INTERNAL`.
#[derive(Debug, Error)]
pub enum SearchError {
    /// The user's text cannot be searched (empty, too long, too many words). `field` is
    /// the argument it came from: `query` for searches and snippets, `prefix` for
    /// suggestions. Maps to `BAD_USER_INPUT`.
    #[error("{field}: {message}")]
    BadInput {
        /// The argument the text came from.
        field: &'static str,
        /// What is wrong with it, in words a client can show.
        message: String,
    },
    /// The index failed: a corrupt or unreadable file, a lock held by another process,
    /// a failed commit. Maps to `INTERNAL`.
    #[error("the search index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index directory could not be prepared. Maps to `INTERNAL`.
    #[error("the search index directory failed: {0}")]
    Io(#[from] std::io::Error),
}

impl SearchError {
    /// A [`SearchError::BadInput`] on `field`.
    pub(crate) fn bad_input(field: &'static str, message: impl Into<String>) -> Self {
        SearchError::BadInput {
            field,
            message: message.into(),
        }
    }

    /// Whether the caller caused the error, so it answers `BAD_USER_INPUT`.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, SearchError::BadInput { .. })
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for SearchError {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        SearchError::Index(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_names_its_field_in_the_message() {
        let e = SearchError::bad_input("query", "the query is empty");
        assert_eq!(e.to_string(), "query: the query is empty");
        assert!(e.is_bad_input());
    }

    #[test]
    fn an_index_failure_is_not_bad_input() {
        let e = SearchError::from(tantivy::TantivyError::InvalidArgument("x".into()));
        assert!(!e.is_bad_input());
    }
}
