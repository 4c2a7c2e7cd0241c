//! Which operations answer alike until the next change: queries that ask only for
//! `analytics` (and `__typename`). Their fields compute from the read model within what
//! the viewer's kind of reader sees, in the request's language, so the same text with the
//! same variables gets the same answer from every viewer of that kind until the read
//! model applies its next change; a server may keep the answer that long.

use async_graphql::parser::types::{OperationType, Selection};

/// The root fields whose answers depend only on the viewer's kind of reader, the
/// language, the read model's position and the arguments.
const KEPT_ROOT_FIELDS: &[&str] = &["analytics", "__typename"];

/// An operation whose answer may be kept until the next change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The operation's name in its document, for the metrics.
    pub operation: Option<String>,
}

/// The operation `request` runs if it is a query of kept root fields only. A document
/// that does not parse, names no operation it holds, or selects a root field through a
/// fragment is not (the executor answers it as always).
pub fn kept_until_next_change(request: &async_graphql::Request) -> Option<Kept> {
    // Most documents do not name the field at all: they are not parsed a second time.
    if !request.query.contains("analytics") {
        return None;
    }
    let doc = async_graphql::parser::parse_query(&request.query).ok()?;
    let mut chosen =
        doc.operations
            .iter()
            .filter(|(name, _)| match (&request.operation_name, name) {
                (Some(wanted), Some(n)) => wanted.as_str() == n.as_str(),
                (None, _) => true,
                (Some(_), None) => false,
            });
    let (Some((name, op)), None) = (chosen.next(), chosen.next()) else {
        return None;
    };
    let kept = op.node.ty == OperationType::Query
        && op.node.directives.is_empty()
        && !op.node.selection_set.node.items.is_empty()
        && op
            .node
            .selection_set
            .node
            .items
            .iter()
            .all(|s| match &s.node {
                Selection::Field(f) => {
                    KEPT_ROOT_FIELDS.contains(&f.node.name.node.as_str())
                        && f.node.directives.is_empty()
                }
                _ => false,
            });
    kept.then(|| Kept {
        operation: name.map(|n| n.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(query: &str, operation: Option<&str>) -> bool {
        let mut r = async_graphql::Request::new(query);
        if let Some(o) = operation {
            r = r.operation_name(o);
        }
        kept_until_next_change(&r).is_some()
    }

    #[test]
    fn queries_of_analytics_alone_are_kept() {
        assert!(kept(
            "{ analytics { trend(dimension: THEME) { year } } }",
            None
        ));
        assert!(kept(
            "query T($d: Dimension!) { __typename a: analytics { trend(dimension: $d) { year } } }",
            None
        ));
        assert!(kept(
            "query A { analytics { __typename } } query B { me { role } }",
            Some("A")
        ));
    }

    #[test]
    fn the_operation_is_named_as_its_document_names_it() {
        let r = async_graphql::Request::new("query Table { analytics { __typename } }");
        assert_eq!(
            kept_until_next_change(&r).and_then(|k| k.operation),
            Some("Table".to_owned())
        );
        let r = async_graphql::Request::new("{ analytics { __typename } }");
        assert_eq!(kept_until_next_change(&r), Some(Kept { operation: None }));
    }

    #[test]
    fn anything_else_is_not() {
        // Another root field beside it, or alone.
        assert!(!kept("{ analytics { __typename } me { role } }", None));
        assert!(!kept("{ initiatives { totalCount } }", None));
        // Mutations and subscriptions.
        assert!(!kept("mutation { analytics }", None));
        assert!(!kept("subscription { analytics }", None));
        // Root fields through fragments, and directives that could change them.
        assert!(!kept(
            "{ ...F } fragment F on Query { analytics { __typename } }",
            None
        ));
        assert!(!kept(
            "{ analytics @include(if: true) { __typename } }",
            None
        ));
        // An operation that is not named, or not there; two without a name; no text.
        assert!(!kept(
            "query A { analytics { __typename } } query B { me { role } }",
            Some("B")
        ));
        assert!(!kept("query A { analytics { __typename } }", Some("C")));
        assert!(!kept(
            "query A { analytics { __typename } } query B { analytics { __typename } }",
            None
        ));
        assert!(!kept("{ analytics {", None));
    }
}
