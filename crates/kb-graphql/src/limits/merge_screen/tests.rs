//! The count before parsing against the count after parsing: exact cases for each kind of
//! token that may hold a name, and generated documents, none of which the count before
//! parsing may refuse unless the count after parsing does too.

use async_graphql::{Value, Variables};

use super::*;
use crate::limits::Limits;

type Found = Option<(String, (usize, usize))>;

/// What this pass finds: the key, and the line and column of its selection set.
fn screened(text: &str, limit: usize) -> Found {
    over(text, crate::lexer::spanned(text), limit)
        .map(|(key, pos)| (key.to_owned(), (pos.line, pos.column)))
}

/// What the check on the parsed document finds, over every operation.
fn parsed(text: &str, limit: usize) -> Found {
    let doc = async_graphql::parser::parse_query(text).expect("parses");
    doc.operations
        .iter()
        .find_map(|(_, op)| {
            let set = &op.node.selection_set;
            super::super::merge::over(&set.node, set.pos, &doc, limit)
        })
        .map(|(key, pos)| (key.to_owned(), (pos.line, pos.column)))
}

fn found(key: &str, line: usize, column: usize) -> Found {
    Some((key.to_owned(), (line, column)))
}

#[test]
fn a_field_repeated_8000_times_is_refused_before_parsing_as_after() {
    let text = format!("{{ themes {{ {}}} }}", "code ".repeat(8_000));
    let limits = Limits::default();
    let before = limits.screen(&text).expect_err("refused before parsing");
    let doc = async_graphql::parser::parse_query(&text).expect("parses");
    let after = limits
        .check(&doc, &Variables::default())
        .expect_err("refused after parsing");
    assert_eq!(
        before.message,
        "The query selects `code` more than 32 times in one selection set"
    );
    assert_eq!(
        before.locations,
        vec![Pos {
            line: 1,
            column: 10
        }]
    );
    let code = before.extensions.as_ref().and_then(|e| e.get("code"));
    assert_eq!(code, Some(&Value::String("LIMIT_EXCEEDED".to_owned())));
    assert_eq!(before, after);
}

#[test]
fn the_token_limit_is_counted_in_the_same_pass_and_comes_first() {
    // `{ themes {`, 33 × `code`, `} }`: 38 tokens, the 33rd `code` the 36th.
    let text = format!("{{ themes {{ {}}} }}", "code ".repeat(33));
    let message = |query_tokens| {
        let limits = Limits {
            query_tokens,
            ..Limits::default()
        };
        limits.screen(&text).map_err(|e| e.message)
    };
    assert_eq!(
        message(37),
        Err("The query has more than 37 tokens".to_owned())
    );
    assert_eq!(
        message(38),
        Err("The query selects `code` more than 32 times in one selection set".to_owned())
    );
}

#[test]
fn a_key_at_the_limit_passes_and_one_more_is_refused() {
    let at_limit = format!("{{ themes {{ {}}} }}", "code ".repeat(32));
    assert_eq!(screened(&at_limit, 32), None);
    assert!(Limits::default().screen(&at_limit).is_ok());
    let over_limit = format!("{{ themes {{ {}}} }}", "code ".repeat(33));
    assert_eq!(screened(&over_limit, 32), found("code", 1, 10));
    assert_eq!(parsed(&over_limit, 32), found("code", 1, 10));
}

#[test]
fn the_same_key_in_different_selection_sets_is_counted_apart() {
    assert_eq!(screened("{ a { id } b { id } c { id } }", 1), None);
    assert_eq!(screened("{ id a { id b { id } } id2: id }", 1), None);
    // Back in the outer set after an inner one closes.
    assert_eq!(screened("{ id a { id } id }", 1), found("id", 1, 1));
    assert_eq!(parsed("{ id a { id } id }", 1), found("id", 1, 1));
}

#[test]
fn names_in_arguments_and_input_objects_are_not_keys() {
    let text = "{ x(a: {x: 1, y: {x: 2}}, b: [x, {x: x}]) { x(x: {x: x}) } y }";
    assert_eq!(screened(text, 1), None);
    assert_eq!(parsed(text, 1), None);
    // After the arguments, the next name is a selection again.
    let text = "{ a(o: {b: 1, b: 2}) b b }";
    assert_eq!(screened(text, 1), found("b", 1, 1));
    assert_eq!(parsed(text, 1), found("b", 1, 1));
}

#[test]
fn names_in_strings_block_strings_and_comments_are_not_keys() {
    let text = "{ a(s: \"{ a a } a\", t: \"\"\" } { a \\\"\"\" a \"\"\") # a a }\n b }";
    assert_eq!(screened(text, 1), None);
    assert_eq!(parsed(text, 1), None);
    // A brace in a comment closes nothing: both `a` are in the root set.
    let text = "{ b { c } # }\n a a }";
    assert_eq!(screened(text, 1), found("a", 1, 1));
    assert_eq!(parsed(text, 1), found("a", 1, 1));
}

#[test]
fn aliased_selections_are_left_to_the_parsed_check_and_the_names_behind_them_are_not_keys() {
    assert_eq!(screened("{ x: a y: a z: a a }", 1), None);
    assert_eq!(screened("{ a b: a }", 1), None);
    // Two selections of `a` by alias: the parsed check counts them (and the alias
    // limit, lower by default, refuses such a query first).
    assert_eq!(screened("{ a: x a: y }", 1), None);
    assert_eq!(parsed("{ a: x a: y }", 1), found("a", 1, 1));
    assert_eq!(screened("{ a a: b c: a a }", 1), found("a", 1, 1));
    assert_eq!(parsed("{ a a: b c: a a }", 1), found("a", 1, 1));
    let flood: String = (0..3_000).map(|i| format!("a{i}: code ")).collect();
    assert_eq!(screened(&format!("{{ themes {{ {flood}}} }}"), 32), None);
}

#[test]
fn directives_and_variable_definitions_are_not_keys() {
    let text = "query Q($a: Boolean = true, $b: In = {a: 1, a: [a]}) @d(a: {a: 1}) {
      a @include(if: $a) @d(a: {a: a}) b @skip(if: false) @a @a
    }";
    assert_eq!(screened(text, 1), None);
    assert_eq!(parsed(text, 1), None);
    // Directives do not split a key's selections: they still merge.
    let text = "{ a @include(if: true) a @skip(if: false) }";
    assert_eq!(screened(text, 1), found("a", 1, 1));
    assert_eq!(parsed(text, 1), found("a", 1, 1));
}

#[test]
fn inline_fragments_count_into_the_set_around_them() {
    let text = "{ a { x ... on T { x } ... @include(if: true) { x } ... { x } } }";
    assert_eq!(screened(text, 3), found("x", 1, 5));
    assert_eq!(parsed(text, 3), found("x", 1, 5));
    assert_eq!(screened(text, 4), None);
    // The type after `on` is not a key, nor `on`.
    assert_eq!(screened("{ ... on T { on } T }", 1), None);
}

#[test]
fn a_fragment_counts_where_an_operation_spreads_it() {
    let after = "{ a { ...F } }\nfragment F on T { x x x }";
    assert_eq!(screened(after, 2), found("x", 1, 5));
    assert_eq!(parsed(after, 2), found("x", 1, 5));
    let before = "fragment F on T { x x x }\nquery { a { ...F } }";
    assert_eq!(screened(before, 2), found("x", 2, 11));
    assert_eq!(parsed(before, 2), found("x", 2, 11));
    // A set inside the fragment is where it is written.
    let nested = "{ a { ...F } }\nfragment F on T { b { y y y } }";
    assert_eq!(screened(nested, 2), found("y", 2, 21));
    assert_eq!(parsed(nested, 2), found("y", 2, 21));
    // A spread's name is not a key.
    assert_eq!(screened("{ ...x x } fragment x on T { y }", 1), None);
}

#[test]
fn what_only_the_parsed_document_shows_is_left_to_its_check() {
    // A fragment no operation spreads: the text is refused for it, but not for this.
    let unused = "{ a } fragment F on T { x x x }";
    assert_eq!((screened(unused, 2), parsed(unused, 2)), (None, None));
    // A fragment spread only by another fragment, and spreads that add up.
    let chained = "{ ...G } fragment G on T { ...F } fragment F on T { x x x }";
    assert_eq!(screened(chained, 2), None);
    assert_eq!(parsed(chained, 2), found("x", 1, 1));
    let spreads = "{ a { ...F ...F x } } fragment F on T { x }";
    assert_eq!(screened(spreads, 2), None);
    assert_eq!(parsed(spreads, 2), found("x", 1, 5));
}

#[test]
fn on_after_a_spread_is_a_type_condition_only_before_whitespace_and_a_name() {
    assert_eq!(screened("{ ... on T { x x } }", 1), found("x", 1, 1));
    assert_eq!(screened("{ ...on,T { x x } }", 1), found("x", 1, 1));
    // With a comment in between, the parser reads a spread of a fragment named `on`
    // and a field `T`: the pass does not guess.
    let text = "{ ...on # c\n T { x x } } fragment on on Query { y }";
    assert_eq!(parsed(text, 1), found("x", 2, 4));
    assert_eq!(screened(text, 1), None);
}

#[test]
fn keywords_are_keys_inside_a_selection_set() {
    let text = "{ query fragment on on }";
    assert_eq!(screened(text, 1), found("on", 1, 1));
    assert_eq!(parsed(text, 1), found("on", 1, 1));
}

#[test]
fn every_operation_is_counted() {
    let text = "query A { a } query B { b b } subscription C { c }";
    assert_eq!(screened(text, 1), found("b", 1, 23));
    assert_eq!(parsed(text, 1), found("b", 1, 23));
}

#[test]
fn positions_are_counted_in_characters_as_the_parser_counts_them() {
    let text = "# é\r\nquery Q($s: String = \"ü\") {\r\n  x(s: \"ö\") { y\ty } }";
    assert_eq!(screened(text, 1), found("y", 3, 13));
    assert_eq!(parsed(text, 1), found("y", 3, 13));
}

#[test]
fn a_token_out_of_place_or_nesting_past_what_merge_follows_gives_no_verdict() {
    assert_eq!(screened("{ a $ a a }", 1), None);
    assert_eq!(screened("{ a: : a a }", 1), None);
    assert_eq!(screened("{ a(x: 1] a a }", 1), None);
    assert_eq!(screened("{ ...F { a a } }", 1), None);
    assert_eq!(screened("{ ... on T a a }", 1), None);
    assert_eq!(screened("type T { a a }", 1), None);
    let nest = |levels: usize| {
        format!(
            "{{ {} a a {} }}",
            "b { ".repeat(levels - 1),
            "}".repeat(levels - 1)
        )
    };
    assert_eq!(
        screened(&nest(MAX_NESTING), 1),
        found("a", 1, 4 * MAX_NESTING - 3)
    );
    assert_eq!(screened(&nest(MAX_NESTING + 1), 1), None);
}

/// Documents of a few names, fields with and without aliases, arguments holding
/// input objects and strings, directives, comments, inline fragments and spreads,
/// from a fixed seed.
struct Documents(u64);

impl Documents {
    fn below(&mut self, n: u64) -> u64 {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick(&mut self, options: &[&'static str]) -> &'static str {
        options[self.below(options.len() as u64) as usize]
    }

    fn set(&mut self, depth: usize, spreads: &[&'static str], out: &mut String) {
        out.push('{');
        for _ in 0..=self.below(4) {
            if self.below(6) == 0 {
                out.push_str(self.pick(&[" # a b } {\n", " #\r\n"]));
            }
            match self.below(8) {
                0 if !spreads.is_empty() => {
                    out.push_str(" ...");
                    out.push_str(self.pick(spreads));
                }
                1 if depth > 0 => {
                    let head = ["... on T", "...", "... @include(if: true)", "...on,T"];
                    out.push(' ');
                    out.push_str(self.pick(&head));
                    out.push(' ');
                    self.set(depth - 1, spreads, out);
                }
                _ => {
                    out.push_str(self.pick(&["", "", "", "", " a:", " c :"]));
                    out.push_str(self.pick(&[" a", " b", " c"]));
                    out.push_str(self.pick(&[
                        "",
                        "",
                        "(o: {a: 1, b: [a, {b: \"a\"}]})",
                        "(s: \"\"\" a { \"\"\", t: \"} a\")",
                    ]));
                    out.push_str(self.pick(&["", "", " @skip(if: false)", " @d(a: {a: a})"]));
                    if depth > 0 && self.below(3) == 0 {
                        out.push(' ');
                        self.set(depth - 1, spreads, out);
                    }
                }
            }
        }
        out.push_str(" }");
    }

    fn document(&mut self) -> String {
        let mut out = String::from(self.pick(&["", "query Q($v: I = {a: 1}) @d(a: {a: 1}) "]));
        self.set(3, &["F", "G"], &mut out);
        out.push_str("\nfragment F on T ");
        self.set(2, &["G"], &mut out);
        out.push_str("\nfragment G on T @d(a: [a]) ");
        self.set(2, &[], &mut out);
        out
    }
}

#[test]
fn no_document_the_parsed_check_admits_is_refused_before_parsing() {
    let mut documents = Documents(0x9e37_79b9_7f4a_7c15);
    let (mut refused, mut same) = (0, 0);
    for _ in 0..3_000 {
        let text = documents.document();
        for limit in 1..=3 {
            let (before, after) = (screened(&text, limit), parsed(&text, limit));
            assert!(before.is_none() || after.is_some(), "{text}");
            if before.is_some() {
                refused += 1;
                same += usize::from(before == after);
            }
        }
    }
    // The documents exercise the pass: many are refused before parsing, and many of
    // those with the key and place the parsed check names (where several keys are
    // over the limit, the two may name different ones).
    assert!(refused > 1_000, "{refused}");
    assert!(same * 3 > refused, "{same} of {refused}");
}
