//! How many selections merge into one field, counted on the query text before it is
//! parsed. The count on the parsed document (`merge`) is exact, but a text that repeats
//! one field thousands of times costs more to parse than everything else done with it:
//! 8,000 repetitions of a field (40 KB, under the token limit) keep async-graphql's
//! parser busy for several milliseconds, to be refused afterwards. This pass reads the
//! tokens once and follows the grammar of selection sets just far enough to tell which
//! names are response keys, and in which selection set.
//!
//! It only refuses what `merge` refuses too: it counts no more selections of a key in a
//! set than `merge` does. Inline fragments count into the set around them, as there.
//! A fragment spread adds nothing where it is spread; a fragment's own selections are
//! counted where it is defined and held against the text only when an operation spreads
//! it (`merge` then counts them in that operation's set, and more). Aliased selections
//! are not counted: repeating a key by aliases takes as many aliases, which the alias
//! limit refuses first by default. On a token the
//! grammar does not allow where it stands, or nesting deeper than `merge` follows
//! fragments, the pass gives no verdict and leaves the decision to the parser and `merge`.
//!
//! Two differences remain, both on texts that are refused either way: when several keys
//! are over the limit, this pass names the first in the text, which need not be the
//! first `merge` finds; and a text refused here could have been refused later for
//! something else (a syntax error further on, another limit), as with the other checks
//! on the text.

use std::collections::HashMap;
use std::ops::ControlFlow::{self, Break, Continue};

use async_graphql::Pos;

use super::merge::MAX_SPREAD_DEPTH;

/// Deepest nesting of brackets the pass follows. `merge` follows fragments and inline
/// fragments `MAX_SPREAD_DEPTH` levels deep in one selection set; a spread, and an inline
/// fragment inside the fragment it spreads, each lie less than half of that deep here, so
/// every selection counted here is counted there.
const MAX_NESTING: usize = MAX_SPREAD_DEPTH / 2;

/// The first response key selected more than `limit` times in one selection set of
/// `text`, with where that selection set begins (as the parser gives positions); `None`
/// when no key is, or when the pass cannot tell. `tokens` are the text's, with their
/// offsets ([`crate::lexer::spanned`]): the caller counts them as they go by, and the
/// pass stops reading them at its verdict.
pub(super) fn over<'a>(
    text: &'a str,
    tokens: impl Iterator<Item = (usize, &'a str)>,
    limit: usize,
) -> Option<(&'a str, Pos)> {
    let mut pass = Pass::new(text, limit);
    for (at, token) in tokens {
        match pass.step(at, token) {
            Continue(()) => {}
            Break(Some((key, set))) => return Some((key, position(text, set))),
            Break(None) => return None,
        }
    }
    let (key, set) = pass.finish()?;
    Some((key, position(text, set)))
}

/// What the pass is in: a selection set, or a value.
enum Frame<'a> {
    /// A selection set, or an inline fragment's.
    Set(Set<'a>),
    /// Brackets in arguments, directives' arguments or variable definitions (where `{`
    /// is an input object, not a selection set), closed by this byte.
    Value(u8),
}

/// An open selection set.
#[derive(Clone, Copy)]
struct Set<'a> {
    /// The set its selections count into: its own, or for an inline fragment the one
    /// around it.
    id: usize,
    /// Where that set's `{` stands, in bytes.
    at: usize,
    /// Where in a selection the pass stands.
    state: Sel,
    /// What a `{` here would open.
    opens: Opens,
    /// The name that began the selection the pass is in, its response key unless `:`
    /// follows.
    key: &'a str,
}

/// Where in a selection the pass stands, within a selection set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sel {
    /// Where a selection may begin, or the set close.
    Between,
    /// After a field's first name: its response key, counted unless `:` follows.
    Key,
    /// After `:` or `@`: a field's or a directive's name, not a key.
    Name,
    /// After a field's, a directive's or a fragment's name, or a type condition.
    Named,
    /// After arguments.
    Argued,
    /// After `...`.
    Spread,
    /// After `... on`: the type's name.
    Type,
}

/// What a `{` after a selection opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opens {
    /// The field's selection set, a set of its own.
    Field,
    /// An inline fragment's selections, which count into the set around it.
    Inline,
    /// Nothing: a fragment spread takes no selection set.
    Nothing,
}

/// Where the pass stands between definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Doc {
    /// Before a definition.
    Start,
    /// In an operation's header: its name, variables and directives.
    Operation,
    /// After `fragment`: the fragment's name.
    FragmentName,
    /// In a fragment's header: its type condition and directives.
    Fragment,
}

/// A key over the limit in a fragment's definition, held until the end: it counts when
/// an operation spreads the fragment.
struct Held<'a> {
    fragment: &'a str,
    key: &'a str,
    /// Where the selection set holding the key begins.
    at: usize,
    /// Whether that set is the fragment's own, whose selections count where the fragment
    /// is spread.
    top: bool,
}

/// The state of one pass over a text. A step breaks with a key over the limit and where
/// its set begins, or with nothing when the pass cannot tell.
struct Pass<'a> {
    text: &'a str,
    limit: usize,
    stack: Vec<Frame<'a>>,
    doc: Doc,
    /// The fragment being defined; `None` in an operation.
    fragment: Option<&'a str>,
    /// The id of that fragment's own selection set.
    top: usize,
    /// Whether a key of that fragment is held already.
    held_this: bool,
    next_id: usize,
    /// Selections of each key in each set. With std's hasher on purpose (SipHash, keyed
    /// per process): the keys are the client's, and with a faster hash and no secret a
    /// client could choose keys that collide. An entry per name at most, so a text
    /// within the token limit costs a fraction of a millisecond here.
    counts: HashMap<(usize, &'a str), usize>,
    /// Fragments spread in operations, with where the first set that spreads each begins.
    spread: HashMap<&'a str, usize>,
    held: Vec<Held<'a>>,
}

type Step<'a> = ControlFlow<Option<(&'a str, usize)>>;

impl<'a> Pass<'a> {
    fn new(text: &'a str, limit: usize) -> Self {
        Pass {
            text,
            limit,
            stack: Vec::new(),
            doc: Doc::Start,
            fragment: None,
            top: 0,
            held_this: false,
            next_id: 0,
            // About one key in 16 bytes of text: an alias flood needs no rehashing.
            counts: HashMap::with_capacity(text.len() / 16),
            spread: HashMap::new(),
            held: Vec::new(),
        }
    }

    fn step(&mut self, at: usize, token: &'a str) -> Step<'a> {
        match self.stack.last() {
            None => self.definition(at, token),
            Some(&Frame::Value(close)) => self.value(token, close),
            Some(&Frame::Set(set)) => self.selection(at, token, set),
        }
    }

    /// A token between definitions or in a definition's header.
    fn definition(&mut self, at: usize, token: &'a str) -> Step<'a> {
        match (self.doc, kind(token)) {
            (Doc::Start | Doc::Operation, b'{') => {
                self.fragment = None;
                self.open(at, None)
            }
            (Doc::Fragment, b'{') => {
                self.top = self.next_id;
                self.held_this = false;
                self.open(at, None)
            }
            (Doc::Start, NAME) => {
                self.doc = match token {
                    "query" | "mutation" | "subscription" => Doc::Operation,
                    "fragment" => Doc::FragmentName,
                    _ => return Break(None),
                };
                Continue(())
            }
            (Doc::FragmentName, NAME) => {
                self.fragment = Some(token);
                self.doc = Doc::Fragment;
                Continue(())
            }
            (Doc::Operation | Doc::Fragment, b'(') => self.push(Frame::Value(b')')),
            (Doc::Operation | Doc::Fragment, NAME | b'@') => Continue(()),
            _ => Break(None),
        }
    }

    /// A token inside brackets of a value: only the brackets matter.
    fn value(&mut self, token: &'a str, close: u8) -> Step<'a> {
        let kind = kind(token);
        match kind {
            b'(' => self.push(Frame::Value(b')')),
            b'[' => self.push(Frame::Value(b']')),
            b'{' => self.push(Frame::Value(b'}')),
            b')' | b']' | b'}' if kind == close => {
                self.stack.pop();
                // Only arguments open a value inside a selection set.
                self.set_state(Sel::Argued, None)
            }
            b')' | b']' | b'}' => Break(None),
            _ => Continue(()),
        }
    }

    /// A token inside a selection set.
    fn selection(&mut self, at: usize, token: &'a str, set: Set<'a>) -> Step<'a> {
        use Sel::*;
        let Set {
            id,
            at: set_at,
            opens,
            ..
        } = set;
        let kind = kind(token);
        let mut state = set.state;
        if state == Key {
            // An aliased selection is left to the check on the parsed document: repeating
            // one key by aliases takes as many aliases, which their own limit counts (30
            // by default, under this one), and counting them would hash every key of an
            // alias flood.
            if kind == b':' {
                return self.set_state(Name, None);
            }
            self.count(id, set_at, set.key)?;
            state = Named;
        }
        // After an inline fragment's type condition or directives, only its selection set.
        let ended = state == Between || opens != Opens::Inline;
        match (state, kind) {
            (Name | Type, NAME) => self.set_state(Named, None),
            (Name | Type, _) => Break(None),
            (Spread, NAME) if token == "on" => {
                if type_condition_follows(self.text, at) {
                    self.set_state(Type, Some(Opens::Inline))
                } else {
                    Break(None)
                }
            }
            (Spread, NAME) => {
                if self.fragment.is_none() {
                    self.spread.entry(token).or_insert(set_at);
                }
                self.set_state(Named, Some(Opens::Nothing))
            }
            (Spread, b'@') => self.set_state(Name, Some(Opens::Inline)),
            (Spread, b'{') => self.open(at, Some((id, set_at))),
            (Spread, _) => Break(None),
            (Named, b'(') => self.push(Frame::Value(b')')),
            (Named | Argued, b'@') => self.set_state(Name, None),
            (Named | Argued, b'{') => match opens {
                Opens::Field => self.open(at, None),
                Opens::Inline => self.open(at, Some((id, set_at))),
                Opens::Nothing => Break(None),
            },
            (Between | Named | Argued, NAME) if ended => {
                if let Some(Frame::Set(set)) = self.stack.last_mut() {
                    set.key = token;
                }
                self.set_state(Key, Some(Opens::Field))
            }
            (Between | Named | Argued, SPREAD) if ended => self.set_state(Spread, None),
            (Between | Named | Argued, b'}') if ended => self.close(),
            _ => Break(None),
        }
    }

    /// Opens a selection set at `at`; `within` is the set an inline fragment's
    /// selections count into, with where it begins.
    fn open(&mut self, at: usize, within: Option<(usize, usize)>) -> Step<'a> {
        let (id, at) = match within {
            Some(set) => set,
            None => {
                // One id per `{` of the text: no overflow.
                let id = self.next_id;
                self.next_id += 1;
                (id, at)
            }
        };
        self.push(Frame::Set(Set {
            id,
            at,
            state: Sel::Between,
            opens: Opens::Nothing,
            key: "",
        }))
    }

    /// Closes the innermost selection set; the selection around it is complete.
    fn close(&mut self) -> Step<'a> {
        self.stack.pop();
        if self.stack.is_empty() {
            self.doc = Doc::Start;
            return Continue(());
        }
        self.set_state(Sel::Between, None)
    }

    fn push(&mut self, frame: Frame<'a>) -> Step<'a> {
        if self.stack.len() >= MAX_NESTING {
            return Break(None);
        }
        self.stack.push(frame);
        Continue(())
    }

    /// Sets the state of the innermost frame, if it is a selection set, and what a `{`
    /// there opens when `opens` is given.
    fn set_state(&mut self, state: Sel, opens: Option<Opens>) -> Step<'a> {
        if let Some(Frame::Set(set)) = self.stack.last_mut() {
            set.state = state;
            if let Some(opens) = opens {
                set.opens = opens;
            }
        }
        Continue(())
    }

    /// Counts one selection of `key` in set `id`, which begins at `at`.
    fn count(&mut self, id: usize, at: usize, key: &'a str) -> Step<'a> {
        let n = self.counts.entry((id, key)).or_insert(0);
        *n += 1;
        if *n <= self.limit {
            return Continue(());
        }
        match self.fragment {
            None => Break(Some((key, at))),
            Some(fragment) => {
                if !self.held_this {
                    self.held_this = true;
                    self.held.push(Held {
                        fragment,
                        key,
                        at,
                        top: id == self.top,
                    });
                }
                Continue(())
            }
        }
    }

    /// After the last token: the first key held in a fragment that an operation spreads,
    /// if the text ended where a definition may.
    fn finish(self) -> Option<(&'a str, usize)> {
        if !self.stack.is_empty() || self.doc != Doc::Start {
            return None;
        }
        self.held.iter().find_map(|held| {
            let spread_at = *self.spread.get(held.fragment)?;
            Some((held.key, if held.top { spread_at } else { held.at }))
        })
    }
}

/// What the grammar of selection sets needs to know of a token, from its first bytes:
/// [`NAME`], [`SPREAD`], a one-byte punctuator as itself, or 0 (numbers, strings, a
/// character the grammar does not know).
fn kind(token: &str) -> u8 {
    match token.as_bytes() {
        [b'_' | b'a'..=b'z' | b'A'..=b'Z', ..] => NAME,
        b"..." => SPREAD,
        [b @ (b'{' | b'}' | b'(' | b')' | b'[' | b']' | b':' | b'@')] => *b,
        _ => 0,
    }
}

/// The kind of a name.
const NAME: u8 = b'a';
/// The kind of `...`.
const SPREAD: u8 = b'.';

/// Whether the `on` at `at` begins a type condition: async-graphql's grammar wants
/// whitespace (no comment) between `on` and the type's name; otherwise `on` is the name
/// of a fragment spread.
fn type_condition_follows(text: &str, at: usize) -> bool {
    let rest = text.get(at + 2..).unwrap_or_default();
    let name = rest.trim_start_matches([' ', ',', '\t', '\r', '\n', '\u{feff}']);
    name.len() < rest.len() && kind(name) == NAME
}

/// The line and column of byte `at`, counted as async-graphql's parser counts them (in
/// characters; `\r` returns to the first column, `\n` starts a line).
fn position(text: &str, at: usize) -> Pos {
    let (mut line, mut column) = (1, 1);
    for c in text.get(..at).unwrap_or(text).chars() {
        match c {
            '\r' => column = 1,
            '\n' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
    }
    Pos { line, column }
}

#[cfg(test)]
mod tests;
