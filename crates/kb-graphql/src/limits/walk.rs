//! The one linear pass over a query: how deeply its brackets nest (before parsing), and
//! what its selections add up to with every fragment measured once.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{Pos, Positioned, ServerResult, Value, Variables};
use kb_domain::{DEFAULT_PAGE_SIZE, ErrorCode};

use super::exceeded;
use crate::error::server_error;

/// The deepest nesting of `{`, `(` and `[` in a query text, outside strings and comments.
/// One pass without recursion, so it runs safely before the parser, which recurses once
/// per level.
pub(super) fn bracket_depth(query: &str) -> usize {
    let text = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < text.len() {
        match text[i] {
            b'#' => {
                while i < text.len() && text[i] != b'\n' && text[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if text[i..].starts_with(b"\"\"\"") => {
                i += 3;
                // Only `\"""` is an escape inside a block string.
                while i < text.len() && !text[i..].starts_with(b"\"\"\"") {
                    i += if text[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
                continue;
            }
            b'"' => {
                i += 1;
                while i < text.len() && text[i] != b'"' && text[i] != b'\n' {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// What a selection set adds up to with its fragments written out. Counts saturate: a
/// document of a few kilobytes can describe more fields than a `u64` holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Shape {
    /// Fields at this level, fragments written out: an operation's root fields.
    pub(super) fields: u64,
    pub(super) aliases: u64,
    /// Deepest nesting of fields.
    pub(super) depth: u64,
    /// Deepest nesting of selection sets below this one, a fragment spread being a level
    /// as async-graphql counts them.
    pub(super) nesting: u64,
    pub(super) complexity: u64,
    /// Most directives on one field.
    pub(super) directives: u64,
    /// Whether this level selects `edges` or `nodes`, which makes its field a connection.
    pub(super) connection: bool,
    /// Most representations in one `_entities` field.
    pub(super) representations: u64,
    /// Most ids in one `nodes(ids:)` field.
    pub(super) node_ids: u64,
}

impl Shape {
    /// This selection set and a sibling selection.
    fn and(self, other: Shape) -> Shape {
        Shape {
            fields: self.fields.saturating_add(other.fields),
            aliases: self.aliases.saturating_add(other.aliases),
            depth: self.depth.max(other.depth),
            nesting: self.nesting.max(other.nesting),
            complexity: self.complexity.saturating_add(other.complexity),
            directives: self.directives.max(other.directives),
            connection: self.connection || other.connection,
            representations: self.representations.max(other.representations),
            node_ids: self.node_ids.max(other.node_ids),
        }
    }

    /// This selection set one level down, inside a fragment.
    fn nested(self) -> Shape {
        Shape {
            nesting: self.nesting.saturating_add(1),
            ..self
        }
    }
}

/// One pass over a document. Each fragment is measured once, the first time it is
/// spread, and remembered; `visiting` holds the fragments being measured, so that a
/// cycle ends the walk instead of recursing.
pub(super) struct Walk<'a> {
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    max_nesting: usize,
    /// The default values of variables, by name, from every operation.
    defaults: HashMap<&'a str, Vec<&'a Value>>,
    fragments: HashMap<&'a str, Shape>,
    visiting: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    pub(super) fn new(
        doc: &'a ExecutableDocument,
        variables: &'a Variables,
        max_nesting: usize,
    ) -> Self {
        let mut defaults: HashMap<&str, Vec<&Value>> = HashMap::new();
        for (_, op) in doc.operations.iter() {
            for var in &op.node.variable_definitions {
                if let Some(value) = &var.node.default_value {
                    defaults
                        .entry(var.node.name.node.as_str())
                        .or_default()
                        .push(&value.node);
                }
            }
        }
        Walk {
            doc,
            variables,
            max_nesting,
            defaults,
            fragments: HashMap::new(),
            visiting: HashSet::new(),
        }
    }

    /// The shape of a selection set `level` selection sets below its operation. Fails as
    /// soon as the level is over the limit, so the walk never recurses deeper than that.
    pub(super) fn selection_set(
        &mut self,
        set: &'a Positioned<SelectionSet>,
        level: usize,
    ) -> ServerResult<Shape> {
        if level > self.max_nesting {
            return Err(exceeded(
                format!(
                    "The query has more than {} levels of selection sets",
                    self.max_nesting
                ),
                set.pos,
            ));
        }
        let mut shape = Shape::default();
        for item in &set.node.items {
            let part = match &item.node {
                Selection::Field(f) => self.field(&f.node, level)?,
                Selection::InlineFragment(f) => self
                    .selection_set(&f.node.selection_set, level + 1)?
                    .nested(),
                Selection::FragmentSpread(s) => {
                    self.spread(&s.node.fragment_name.node, s.pos, level)?
                }
            };
            shape = shape.and(part);
        }
        Ok(shape)
    }

    fn field(&mut self, field: &'a Field, level: usize) -> ServerResult<Shape> {
        let name = field.name.node.as_str();
        let own = Shape {
            fields: 1,
            aliases: u64::from(field.alias.is_some()),
            depth: 1,
            nesting: 0,
            complexity: 1,
            directives: field.directives.len() as u64,
            connection: matches!(name, "edges" | "nodes"),
            representations: if name == "_entities" {
                self.argument(field, "representations", list_length)
                    .unwrap_or(0)
            } else {
                0
            },
            node_ids: if name == "nodes" {
                self.argument(field, "ids", list_length).unwrap_or(0)
            } else {
                0
            },
        };
        if field.selection_set.node.items.is_empty() {
            return Ok(own);
        }
        let inner = self.selection_set(&field.selection_set, level + 1)?;
        Ok(Shape {
            aliases: own.aliases.saturating_add(inner.aliases),
            depth: inner.depth.saturating_add(1),
            nesting: inner.nesting.saturating_add(1),
            complexity: self
                .multiplier(field, &inner)
                .saturating_mul(inner.complexity)
                .saturating_add(1),
            directives: own.directives.max(inner.directives),
            representations: own.representations.max(inner.representations),
            node_ids: own.node_ids.max(inner.node_ids),
            ..own
        })
    }

    fn spread(&mut self, name: &'a str, pos: Pos, level: usize) -> ServerResult<Shape> {
        if let Some(shape) = self.fragments.get(name) {
            return Ok(shape.nested());
        }
        // An unknown fragment is left to async-graphql's KnownFragmentNames rule.
        let Some(fragment) = self.doc.fragments.get(name) else {
            return Ok(Shape::default().nested());
        };
        if !self.visiting.insert(name) {
            return Err(server_error(
                ErrorCode::BadUserInput,
                format!("Cannot spread fragment \"{name}\" within itself"),
                Some(pos),
            ));
        }
        let shape = self.selection_set(&fragment.node.selection_set, level + 1)?;
        self.visiting.remove(name);
        self.fragments.insert(name, shape);
        Ok(shape.nested())
    }

    /// How many times a field's selections are resolved, by the rule on
    /// [`Limits::complexity`].
    fn multiplier(&self, field: &Field, inner: &Shape) -> u64 {
        let page = ["first", "last"]
            .into_iter()
            .filter_map(|name| self.argument(field, name, integer))
            .max();
        let ids = || {
            self.argument(field, "ids", list_length)
                .or_else(|| self.argument(field, "representations", list_length))
        };
        let default = if inner.connection {
            DEFAULT_PAGE_SIZE
        } else {
            1
        };
        page.or_else(ids).unwrap_or(default).max(1)
    }

    /// What `measure` makes of a field's argument. A variable is looked up in the
    /// request's variables without copying it (a list there may be large and used many
    /// times); one the request leaves out takes the largest default any operation gives
    /// it, so the operation that runs is never measured low.
    fn argument(
        &self,
        field: &Field,
        name: &str,
        measure: fn(&Value) -> Option<u64>,
    ) -> Option<u64> {
        let mut variable = None;
        let literal = field
            .get_argument(name)?
            .node
            .clone()
            .into_const_with(|var| {
                variable = Some(var);
                Ok::<_, ()>(Value::Null)
            })
            .ok()?;
        match (literal, variable) {
            (Value::Null, Some(var)) => match self.variables.get(&var) {
                Some(value) => measure(value),
                None => self
                    .defaults
                    .get(var.as_str())?
                    .iter()
                    .filter_map(|value| measure(value))
                    .max(),
            },
            (literal, _) => measure(&literal),
        }
    }
}

/// An integer by its size; anything else is no page size.
fn integer(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_i64().map(i64::unsigned_abs)),
        _ => None,
    }
}

fn list_length(value: &Value) -> Option<u64> {
    match value {
        Value::List(items) => Some(items.len() as u64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::ServerError;

    use super::super::Limits;
    use std::time::{Duration, Instant};

    use super::*;

    fn shape_of(query: &str, variables: Variables) -> Shape {
        let doc = async_graphql::parser::parse_query(query).expect("query parses");
        let mut walk = Walk::new(&doc, &variables, 1000);
        // The first operation by name, as operations are kept unordered.
        let (_, op) = doc
            .operations
            .iter()
            .min_by_key(|(name, _)| name.map(|n| n.to_string()))
            .expect("an operation");
        walk.selection_set(&op.node.selection_set, 0)
            .expect("walks")
    }

    fn code(err: &ServerError) -> Option<Value> {
        err.extensions.as_ref()?.get("code").cloned()
    }

    fn check(query: &str) -> ServerResult<()> {
        let doc = async_graphql::parser::parse_query(query).expect("query parses");
        Limits::default().check(&doc, &Variables::default())
    }

    /// `levels` fragments, each spreading the next `spreads` times; the last selects
    /// `leaf`.
    fn fan_out(levels: usize, spreads: usize, leaf: &str) -> String {
        let mut q = String::from("query { ...F0 }\n");
        for i in 0..levels {
            let next = format!("...F{} ", i + 1).repeat(spreads);
            q.push_str(&format!("fragment F{i} on Query {{ {next}}}\n"));
        }
        q.push_str(&format!("fragment F{levels} on Query {{ {leaf} }}\n"));
        q
    }

    #[test]
    fn a_small_document_is_measured_exactly() {
        let s = shape_of(
            "{ a: themes { code } topics @include(if: true) @skip(if: false) { x: code y: label } }",
            Variables::default(),
        );
        assert_eq!(s.fields, 2);
        assert_eq!(s.aliases, 3);
        assert_eq!(s.depth, 2);
        assert_eq!(s.nesting, 1);
        // Each list field: 1 + 1 × its children.
        assert_eq!(s.complexity, (1 + 1) + (1 + 2));
        assert_eq!(s.directives, 2);
    }

    #[test]
    fn pages_multiply_the_cost_of_their_selections() {
        let vars = Variables::from_json(serde_json::json!({ "n": 7, "ids": ["a", "b", "c"] }));
        let s = shape_of(
            "query($n: Int) { a: initiatives(first: 10) { nodes { title } }
               b: initiatives(last: -5) { totalCount }
               c: initiatives(first: $n) { nodes { title } }
               d: initiatives { edges { node { title } } }
               e: initiatives(first: 0) { nodes { title } }
               nodes(ids: $ids) { id }
               f: nodes(ids: [\"x\"]) { id } }",
            vars,
        );
        let expected = (1 + 10 * (1 + 1))
            + (1 + 5)
            + (1 + 7 * (1 + 1))
            + (1 + 20 * (1 + (1 + 1)))
            + (1 + (1 + 1))
            + (1 + 3)
            + (1 + 1);
        assert_eq!(s.complexity, expected);
    }

    #[test]
    fn entities_and_node_ids_are_counted_and_multiply_their_selections() {
        let reps: Vec<serde_json::Value> = (0..150)
            .map(|i| serde_json::json!({ "__typename": "Initiative", "id": i.to_string() }))
            .collect();
        let vars = Variables::from_json(serde_json::json!({ "r": reps }));
        let s = shape_of(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on Initiative { title slug } }
               nodes(ids: [\"a\", \"b\", \"c\"]) { id } }",
            vars,
        );
        assert_eq!(s.representations, 150);
        assert_eq!(s.node_ids, 3);
        assert_eq!(s.complexity, (1 + 150 * 2) + (1 + 3));
        let err = check(
            "{ _entities(representations: [{__typename: \"Theme\", id: \"1\"}]) { __typename } nodes(ids: [] ) { id } }",
        );
        assert!(err.is_ok());
        let many = format!(
            "{{ _entities(representations: [{}]) {{ __typename }} }}",
            "{__typename: \"Theme\", id: \"1\"} ".repeat(101)
        );
        let err = check(&many).expect_err("refused");
        assert_eq!(code(&err), Some(Value::from("LIMIT_EXCEEDED")));
        assert_eq!(
            err.message,
            "The query has more than 100 representations in one `_entities` field"
        );
        let ids = format!("{{ nodes(ids: [{}]) {{ id }} }}", "\"a\" ".repeat(101));
        let err = check(&ids).expect_err("refused");
        assert_eq!(
            err.message,
            "The query has more than 100 ids in one `nodes` field"
        );
    }

    #[test]
    fn a_variable_left_out_takes_its_largest_default() {
        let q =
            "query A($n: Int = 3, $ids: [ID!] = [\"a\", \"b\"]) { ...F nodes(ids: $ids) { id } }
                 query B($n: Int = -50) { ...F }
                 fragment F on Query { initiatives(first: $n) { totalCount } }";
        assert_eq!(
            shape_of(q, Variables::default()).complexity,
            (1 + 50) + (1 + 2)
        );
        let given = Variables::from_json(serde_json::json!({ "n": 4 }));
        assert_eq!(shape_of(q, given).complexity, (1 + 4) + (1 + 2));
    }

    #[test]
    fn a_fragment_is_counted_at_each_spread() {
        let s = shape_of(
            "{ ...F ...F themes { ... on Theme { ...G } } }
             fragment F on Query { x: themes { code } }
             fragment G on Theme { y: code }",
            Variables::default(),
        );
        assert_eq!(s.fields, 3);
        assert_eq!(s.aliases, 3);
        assert_eq!(s.depth, 2);
        // themes → inline fragment → G.
        assert_eq!(s.nesting, 3);
        assert_eq!(s.complexity, 2 + 2 + 2);
    }

    #[test]
    fn a_fragment_fan_out_is_counted_once_per_fragment() {
        let s = shape_of(&fan_out(12, 4, "a: __typename"), Variables::default());
        assert_eq!(s.fields, 4u64.pow(12));
        assert_eq!(s.aliases, 4u64.pow(12));
        assert_eq!(s.complexity, 4u64.pow(12));
        assert_eq!(s.nesting, 13);
    }

    #[test]
    fn counts_saturate_instead_of_overflowing() {
        let s = shape_of(&fan_out(40, 4, "a: __typename"), Variables::default());
        assert_eq!(s.fields, u64::MAX);
        assert_eq!(s.aliases, u64::MAX);
        let s = shape_of(
            "{ a(first: 9223372036854775807) { b(first: -9223372036854775808) { c(first: 9223372036854775807) { d } } } }",
            Variables::default(),
        );
        assert_eq!(s.complexity, u64::MAX);
    }

    #[test]
    fn a_fan_out_document_is_refused_quickly() {
        for leaf in ["__typename", "a: __typename b: __typename"] {
            for levels in [12, 16, 30] {
                let q = fan_out(levels, 4, leaf);
                let started = Instant::now();
                let err = check(&q).expect_err("refused");
                assert!(
                    started.elapsed() < Duration::from_secs(1),
                    "{levels} levels took {:?}",
                    started.elapsed()
                );
                assert_eq!(
                    code(&err),
                    Some(Value::from("LIMIT_EXCEEDED")),
                    "{}",
                    err.message
                );
            }
        }
    }

    #[test]
    fn a_document_at_the_body_limit_is_checked_in_milliseconds() {
        let body_limit = 256 * 1024;
        let flat = format!("{{ {} }}", "themes { code } ".repeat(body_limit / 16 - 1));
        let spreads = format!(
            "{{ ...F }} fragment F on Query {{ themes {{ {} }} }}",
            "...G ".repeat(body_limit / 5 - 20)
        ) + " fragment G on Theme { code }";
        for q in [flat, spreads] {
            let doc = async_graphql::parser::parse_query(&q).expect("query parses");
            let started = Instant::now();
            let err = Limits::default()
                .check(&doc, &Variables::default())
                .expect_err("refused");
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "took {:?}",
                started.elapsed()
            );
            assert_eq!(code(&err), Some(Value::from("LIMIT_EXCEEDED")));
        }
    }

    #[test]
    fn a_fragment_cycle_is_bad_input_not_a_hang() {
        let err = check("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
            .expect_err("refused");
        assert_eq!(code(&err), Some(Value::from("BAD_USER_INPUT")));
    }

    #[test]
    fn each_limit_is_limit_exceeded() {
        let roots = format!("{{ {} }}", "themes { code } ".repeat(21));
        let aliases = format!(
            "{{ {} }}",
            (0..31)
                .map(|i| format!("a{i}: __typename "))
                .collect::<String>()
        );
        let deep = format!("{{ {} x {} }}", "a { ".repeat(12), "}".repeat(12));
        let dirs = format!(
            "{{ themes {} {{ code }} }}",
            "@include(if: true) ".repeat(9)
        );
        let costly =
            "{ a(first: 100) { nodes { b(first: 100) { nodes { c(first: 2) { x } } } } } }";
        let fragments = format!(
            "{{ ...F0 }} {} fragment F40 on Query {{ x }}",
            (0..40)
                .map(|i| format!("fragment F{i} on Query {{ ...F{} }} ", i + 1))
                .collect::<String>()
        );
        for q in [&roots, &aliases, &deep, &dirs, costly, &fragments] {
            let err = check(q).expect_err(q);
            assert_eq!(
                code(&err),
                Some(Value::from("LIMIT_EXCEEDED")),
                "{q}: {}",
                err.message
            );
        }
        assert!(check("{ a(first: 100) { nodes { b(first: 98) { nodes { x } } } } }").is_ok());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_nest() {
        assert_eq!(bracket_depth("{ a(b: [1, {c: 2}]) { d } }"), 4);
        assert_eq!(bracket_depth("{ a(s: \"{{{[[[\\\"(((\") # {{{{\n }"), 2);
        assert_eq!(bracket_depth("{ a(s: \"\"\" {{{ \\\"\"\" {{{ \"\"\") }"), 2);
        assert_eq!(bracket_depth("{ a(s: \"unterminated {{{"), 2);
        assert_eq!(bracket_depth(&"{".repeat(100_000)), 100_000);
    }
}
