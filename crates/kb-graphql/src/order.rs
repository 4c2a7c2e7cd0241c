//! Puts an answer's fields in the order of its selection set, as the GraphQL spec asks
//! ("ordered map … in the order of the fields in the selection set").
//!
//! async-graphql runs an object's fields concurrently and, since its 7.1 release, inserts
//! each into the answer as it finishes: plain fields at their first poll, fields behind a
//! data loader when their batch is done, and batches of different relations in any
//! order. Clients that compare or display answers rely on the order, so after execution
//! one pass over the answer restores it. The pass walks the answer and the selection sets
//! together and only moves entries of objects whose keys came out of order.
//!
//! Fields of fragments count where the fragment is spread, in order of first appearance
//! of each response key (the spec's CollectFields). Type conditions are not evaluated:
//! the answer does not say an object's type unless it asks for `__typename`. The order is
//! therefore the spec's except where two fragments on different types select the same
//! keys in different orders, which no query of the project's clients does.

use std::cell::OnceCell;

use async_graphql::Value;
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned};

/// How deeply fragments may spread one another before the walk stops following them.
/// Validation has refused cycles and the limits bound nesting well below this; the bound
/// only keeps the pass total on any document.
const MAX_SPREAD_DEPTH: usize = 64;

/// The operation of `doc` that a request named `name` runs, as async-graphql picks it.
pub(crate) fn operation<'a>(
    doc: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<(Option<&'a str>, &'a OperationDefinition)> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), None) => Some((None, &op.node)),
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .get_key_value(name)
            .map(|(name, op)| (Some(name.as_str()), &op.node)),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
            .iter()
            .next()
            .map(|(name, op)| (Some(name.as_str()), &op.node)),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Orders `data`, the answer of the operation `name` of `doc`, by its selection sets.
pub(crate) fn by_selection(data: &mut Value, doc: &ExecutableDocument, name: Option<&str>) {
    if let Some((_, op)) = operation(doc, name) {
        Plan::new(&[&op.selection_set.node], doc).apply(data);
    }
}

/// The response keys that one or more selection sets (several when one response key is
/// selected more than once; their sub-selections merge) give an object, each with the
/// plan of its value, made once for every item of a list.
struct Plan<'a> {
    doc: &'a ExecutableDocument,
    keys: Vec<(&'a str, Vec<&'a SelectionSet>)>,
    below: Vec<OnceCell<Plan<'a>>>,
    /// Whether no key selects fields below it: an object in order is then done.
    leaves: bool,
}

impl<'a> Plan<'a> {
    fn new(sets: &[&'a SelectionSet], doc: &'a ExecutableDocument) -> Self {
        let mut keys = Vec::new();
        for set in sets {
            collect(set, doc, &mut keys, 0);
        }
        let below = keys.iter().map(|_| OnceCell::new()).collect();
        let leaves = keys
            .iter()
            .all(|(_, sets)| sets.iter().all(|s| s.items.is_empty()));
        Plan {
            doc,
            keys,
            below,
            leaves,
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|(k, _)| *k == key)
    }

    fn apply(&self, value: &mut Value) {
        match value {
            Value::List(items) => {
                for item in items {
                    self.apply(item);
                }
            }
            Value::Object(map) => {
                if !self.in_order(map) {
                    let at = |k: &Name| self.position(k.as_str()).unwrap_or(usize::MAX);
                    map.sort_by(|a, _, b, _| at(a).cmp(&at(b)));
                }
                if self.leaves {
                    return;
                }
                // The keys now follow the plan, so one cursor finds each.
                let mut next = 0;
                for (key, value) in map.iter_mut() {
                    let Some(found) = self.keys[next..]
                        .iter()
                        .position(|(k, _)| *k == key.as_str())
                    else {
                        continue;
                    };
                    let at = next + found;
                    next = at + 1;
                    let sets = &self.keys[at].1;
                    if sets.iter().any(|s| !s.items.is_empty()) {
                        self.below[at]
                            .get_or_init(|| Plan::new(sets, self.doc))
                            .apply(value);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether the keys of `map` already follow the plan.
    fn in_order(&self, map: &IndexMap<Name, Value>) -> bool {
        let mut next = 0;
        for key in map.keys() {
            match self.keys[next..]
                .iter()
                .position(|(k, _)| *k == key.as_str())
            {
                Some(at) => next += at + 1,
                None => return false,
            }
        }
        true
    }
}

/// The response keys of `set` in order of first appearance, each with the selection sets
/// below it, fragments written out where they are spread.
fn collect<'a>(
    set: &'a SelectionSet,
    doc: &'a ExecutableDocument,
    keys: &mut Vec<(&'a str, Vec<&'a SelectionSet>)>,
    depth: usize,
) {
    if depth > MAX_SPREAD_DEPTH {
        return;
    }
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                let key = field
                    .alias
                    .as_ref()
                    .map_or(field.name.node.as_str(), |a: &Positioned<Name>| {
                        a.node.as_str()
                    });
                let sub = &field.selection_set.node;
                match keys.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, subsets)) => subsets.push(sub),
                    None => keys.push((key, vec![sub])),
                }
            }
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = doc.fragments.get(&spread.node.fragment_name.node) {
                    collect(&fragment.node.selection_set.node, doc, keys, depth + 1);
                }
            }
            Selection::InlineFragment(inline) => {
                collect(&inline.node.selection_set.node, doc, keys, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn ordered(query: &str, name: Option<&str>, data: serde_json::Value) -> String {
        let doc = parse_query(query).expect("a valid document");
        let mut value = Value::from_json(data).expect("json");
        by_selection(&mut value, &doc, name);
        // Serialised as it stands: the keys in the answer's own order.
        serde_json::to_string(&value).expect("json")
    }

    #[test]
    fn fields_that_finished_out_of_order_follow_the_selection_set() {
        let data = serde_json::json!({ "b": 2, "a": { "y": 1, "x": [{ "q": 1, "p": 2 }] } });
        assert_eq!(
            ordered("{ a { x { p q } y } b }", None, data),
            r#"{"a":{"x":[{"p":2,"q":1}],"y":1},"b":2}"#
        );
    }

    #[test]
    fn aliases_are_ordered_by_their_response_key() {
        let data = serde_json::json!({ "second": 2, "first": 1 });
        assert_eq!(
            ordered("{ first: n second: n }", None, data),
            r#"{"first":1,"second":2}"#
        );
    }

    #[test]
    fn fragment_fields_count_where_the_fragment_is_spread() {
        let query = "query Q { node { id ...F ... on T { c } a } } fragment F on T { b a }";
        let data = serde_json::json!({ "node": { "c": 3, "a": 1, "b": 2, "id": 0 } });
        assert_eq!(
            ordered(query, Some("Q"), data),
            r#"{"node":{"id":0,"b":2,"a":1,"c":3}}"#
        );
    }

    #[test]
    fn a_key_selected_twice_merges_its_selections_in_order() {
        let data = serde_json::json!({ "a": { "z": 1, "y": 2, "x": 3 } });
        assert_eq!(
            ordered("{ a { x } a { z y } }", None, data),
            r#"{"a":{"x":3,"z":1,"y":2}}"#
        );
    }

    #[test]
    fn the_named_operation_of_several_is_the_one_ordered() {
        let query = "query A { x y } query B { y x }";
        let data = serde_json::json!({ "x": 1, "y": 2 });
        assert_eq!(ordered(query, Some("B"), data.clone()), r#"{"y":2,"x":1}"#);
        assert_eq!(ordered(query, Some("A"), data.clone()), r#"{"x":1,"y":2}"#);
        // A name the document lacks leaves the answer as it is.
        assert_eq!(ordered(query, Some("C"), data), r#"{"x":1,"y":2}"#);
    }

    #[test]
    fn keys_the_document_does_not_select_go_last() {
        let data = serde_json::json!({ "extra": 0, "b": 2, "a": 1 });
        assert_eq!(ordered("{ a b }", None, data), r#"{"a":1,"b":2,"extra":0}"#);
    }
}
