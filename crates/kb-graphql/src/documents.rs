//! Operations in their canonical form, the identity of a trusted document: an operation's
//! tokens followed by those of every fragment it spreads (directly or through other
//! fragments) in the order of their names, separated by one space each. Whitespace,
//! commas, comments, and where fragments stand in the file therefore do not matter; the
//! sha256 of that text, in lower-case hex, is the document's hash.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use crate::lexer::tokens;

/// One operation in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalOperation {
    /// The operation's name; `None` for an anonymous one.
    pub name: Option<String>,
    /// The canonical text: a GraphQL document holding the operation and its fragments.
    pub text: String,
    /// The sha256 of `text`, lower-case hex.
    pub hash: String,
}

/// The sha256 of a text, in lower-case hex, as Apollo's persisted queries name texts.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A top-level definition of a document, by its tokens.
struct Definition<'a> {
    fragment: bool,
    name: Option<&'a str>,
    tokens: Vec<&'a str>,
    /// The fragments it spreads.
    spreads: Vec<&'a str>,
}

fn is_name(token: &str) -> bool {
    token
        .as_bytes()
        .first()
        .is_some_and(|b| *b == b'_' || b.is_ascii_alphabetic())
}

/// The definitions of a document, split where a new one starts at the top level: an
/// operation keyword, `fragment` or a bare `{`, once the previous definition's selection
/// set has closed. `None` for a text that holds tokens outside any definition.
fn definitions(text: &str) -> Option<Vec<Definition<'_>>> {
    let mut defs: Vec<Definition<'_>> = Vec::new();
    let (mut depth, mut complete, mut previous) = (0usize, true, "");
    for token in tokens(text) {
        if depth == 0
            && complete
            && matches!(
                token,
                "query" | "mutation" | "subscription" | "fragment" | "{"
            )
        {
            defs.push(Definition {
                fragment: token == "fragment",
                name: None,
                tokens: Vec::new(),
                spreads: Vec::new(),
            });
            complete = false;
        }
        let def = defs.last_mut()?;
        if def.tokens.len() == 1 && def.tokens[0] != "{" && is_name(token) {
            def.name = Some(token);
        }
        if previous == "..." && is_name(token) && token != "on" {
            def.spreads.push(token);
        }
        match token {
            "{" | "(" | "[" => depth += 1,
            "}" | ")" | "]" => {
                depth = depth.saturating_sub(1);
                complete = depth == 0 && token == "}";
            }
            _ => {}
        }
        def.tokens.push(token);
        previous = token;
    }
    Some(defs)
}

/// The canonical form of the operation at `index` of `defs`.
fn canonical(defs: &[Definition<'_>], index: usize) -> Option<CanonicalOperation> {
    let op = defs.get(index)?;
    let fragments: BTreeMap<&str, &Definition<'_>> = defs
        .iter()
        .filter(|d| d.fragment)
        .filter_map(|d| Some((d.name?, d)))
        .rev()
        .collect();
    let mut used = BTreeSet::new();
    let mut pending: Vec<&str> = op.spreads.clone();
    while let Some(name) = pending.pop() {
        if used.insert(name)
            && let Some(f) = fragments.get(name)
        {
            pending.extend(f.spreads.iter().copied());
        }
    }
    let mut text = op.tokens.join(" ");
    for name in used {
        if let Some(f) = fragments.get(name) {
            text.push(' ');
            text.push_str(&f.tokens.join(" "));
        }
    }
    Some(CanonicalOperation {
        name: op.name.map(str::to_owned),
        hash: sha256_hex(&text),
        text,
    })
}

/// Every operation of a document in canonical form, in the order of the document.
pub fn operations(text: &str) -> Vec<CanonicalOperation> {
    let Some(defs) = definitions(text) else {
        return Vec::new();
    };
    (0..defs.len())
        .filter(|&i| !defs[i].fragment)
        .filter_map(|i| canonical(&defs, i))
        .collect()
}

/// The operation a request runs, in canonical form: the one named `name`, or the only
/// operation of the text when the request names none.
pub fn operation(text: &str, name: Option<&str>) -> Option<CanonicalOperation> {
    let defs = definitions(text)?;
    let mut ops = (0..defs.len()).filter(|&i| !defs[i].fragment);
    let index = match name {
        Some(name) => ops.find(|&i| defs[i].name == Some(name))?,
        None => {
            let first = ops.next()?;
            if ops.next().is_some() {
                return None;
            }
            first
        }
    };
    canonical(&defs, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "
        # The initiative page.
        query Page($slug: String) { initiative(slug: $slug) { ...Card themes { ...Label } } }
        fragment Label on Theme { code, label }
        query Themes { themes { ...Label } }
        fragment Card on Initiative { title ...Org }
        fragment Org on Initiative { organisations { role } }
        fragment Unused on Theme { code }
    ";

    #[test]
    fn each_operation_carries_the_fragments_it_spreads_sorted_by_name() {
        let ops = operations(FILE);
        let texts: Vec<(Option<&str>, &str)> = ops
            .iter()
            .map(|o| (o.name.as_deref(), o.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                (
                    Some("Page"),
                    "query Page ( $ slug : String ) { initiative ( slug : $ slug ) { ... Card themes { ... Label } } } \
                     fragment Card on Initiative { title ... Org } \
                     fragment Label on Theme { code label } \
                     fragment Org on Initiative { organisations { role } }"
                ),
                (
                    Some("Themes"),
                    "query Themes { themes { ... Label } } fragment Label on Theme { code label }"
                ),
            ]
        );
        assert_eq!(ops[1].hash, sha256_hex(&ops[1].text));
        assert_eq!(ops[1].hash.len(), 64);
    }

    #[test]
    fn layout_comments_and_fragment_order_do_not_change_the_hash() {
        let sent = "fragment Label on Theme {\n  code\n  label\n}\n\nquery Themes {\n  themes { ...Label } # all eight\n}\n";
        let registered = &operations(FILE)[1];
        assert_eq!(
            operation(sent, None).map(|o| o.hash),
            Some(registered.hash.clone())
        );
        assert_eq!(
            operation(FILE, Some("Themes")).map(|o| o.hash),
            Some(registered.hash.clone())
        );
        // A changed selection is another document.
        assert_ne!(
            operation("query Themes { themes { code } }", None).map(|o| o.hash),
            Some(registered.hash.clone())
        );
    }

    #[test]
    fn an_unnamed_choice_among_several_operations_is_none() {
        assert_eq!(operation(FILE, None), None);
        assert_eq!(operation(FILE, Some("Nope")), None);
        assert_eq!(
            operation("{ themes { code } }", None).map(|o| o.name),
            Some(None)
        );
        assert_eq!(operation("themes { code }", None), None);
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(
            sha256_hex("{__typename}"),
            "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"
        );
    }
}
