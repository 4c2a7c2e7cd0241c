//! How many selections merge into one field. GraphQL merges the selections of one
//! response key in a selection set into one field (`{ code code }` answers one `code`),
//! but async-graphql's validation compares every pair of them (the rule that fields can
//! merge) and its executor resolves each: 8,000 repetitions of one field cost about a
//! tenth of a second of CPU in a query that passes every other limit. This pass counts
//! them, fragments written out where they are spread, before validation.
//!
//! It runs after the other limits have passed, so the fields it visits are bounded by the
//! complexity limit (a field costs at least one), and it stops at the first key over the
//! limit.

use std::collections::HashMap;

use async_graphql::Pos;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// How deeply fragments may spread one another before the count stops following them
/// (the walk has refused cycles already; this keeps the pass total on any document).
pub(super) const MAX_SPREAD_DEPTH: usize = 64;

/// The first response key selected more than `limit` times in one selection set at or
/// below `set`, with where that selection set begins.
pub(super) fn over<'a>(
    set: &'a SelectionSet,
    pos: Pos,
    doc: &'a ExecutableDocument,
    limit: usize,
) -> Option<(&'a str, Pos)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut below: Vec<(&SelectionSet, Pos)> = Vec::new();
    if let Some(key) = count(set, doc, &mut counts, &mut below, limit, 0) {
        return Some((key, pos));
    }
    below
        .into_iter()
        .find_map(|(set, pos)| over(set, pos, doc, limit))
}

/// Counts the response keys of `set` into `counts`, fragments written out, and gathers
/// the selection sets of its fields into `below`; the first key over `limit`, if any.
fn count<'a>(
    set: &'a SelectionSet,
    doc: &'a ExecutableDocument,
    counts: &mut HashMap<&'a str, usize>,
    below: &mut Vec<(&'a SelectionSet, Pos)>,
    limit: usize,
    depth: usize,
) -> Option<&'a str> {
    if depth > MAX_SPREAD_DEPTH {
        return None;
    }
    for item in &set.items {
        let inner = match &item.node {
            Selection::Field(field) => {
                let field = &field.node;
                let key = field
                    .alias
                    .as_ref()
                    .map_or(field.name.node.as_str(), |a| a.node.as_str());
                let n = counts.entry(key).or_default();
                *n += 1;
                if *n > limit {
                    return Some(key);
                }
                if !field.selection_set.node.items.is_empty() {
                    below.push((&field.selection_set.node, field.selection_set.pos));
                }
                continue;
            }
            Selection::FragmentSpread(spread) => {
                match doc.fragments.get(&spread.node.fragment_name.node) {
                    Some(fragment) => &fragment.node.selection_set.node,
                    None => continue,
                }
            }
            Selection::InlineFragment(inline) => &inline.node.selection_set.node,
        };
        if let Some(key) = count(inner, doc, counts, below, limit, depth + 1) {
            return Some(key);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_over(query: &str, limit: usize) -> Option<String> {
        let doc = async_graphql::parser::parse_query(query).expect("parses");
        let (_, op) = doc.operations.iter().next().expect("an operation");
        over(
            &op.node.selection_set.node,
            op.node.selection_set.pos,
            &doc,
            limit,
        )
        .map(|(key, _)| key.to_owned())
    }

    #[test]
    fn a_field_repeated_past_the_limit_is_found_at_any_depth() {
        let deep = format!("{{ a {{ b {{ {} }} }} }}", "c ".repeat(33));
        assert_eq!(first_over(&deep, 32), Some("c".to_owned()));
        let at_limit = format!("{{ a {{ b {{ {} }} }} }}", "c ".repeat(32));
        assert_eq!(first_over(&at_limit, 32), None);
    }

    #[test]
    fn fragments_count_where_they_are_spread_and_aliases_by_their_key() {
        let query = "{ a { ...F ...F ... on T { x } } } fragment F on T { x }";
        assert_eq!(first_over(query, 2), Some("x".to_owned()));
        assert_eq!(first_over(query, 3), None);
        assert_eq!(first_over("{ x: y x: z }", 1), Some("x".to_owned()));
        assert_eq!(first_over("{ y: x z: x }", 1), None);
    }

    #[test]
    fn the_same_key_in_different_selection_sets_is_counted_apart() {
        assert_eq!(first_over("{ a { id } b { id } c { id } }", 1), None);
    }
}
