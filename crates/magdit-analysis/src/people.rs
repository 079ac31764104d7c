//! Mentions of the given people, and names of people who are not among them.
//!
//! One tokenisation of the text serves both: the listed people are found through an
//! index over their names built once per list ([`PeopleIndex`]), the other names through
//! the compiled-in first-name list and the patterns of Dutch names.

mod index;
mod listed;
mod lists;
mod text;
mod unlisted;

use std::cell::Cell;

use crate::{Analysis, PersonMention, Span};
use text::Token;

pub use index::PeopleIndex;

thread_local! {
    /// The token buffer, reused from text to text.
    static TOKENS: Cell<Vec<Token>> = const { Cell::new(Vec::new()) };
}

/// Runs `f` on the tokens of `text` (in a buffer reused from call to call).
fn with_tokens<R>(text: &str, f: impl FnOnce(&[Token]) -> R) -> R {
    TOKENS.with(|cell| {
        let mut tokens = cell.take();
        text::tokenize(text, &mut tokens);
        let r = f(&tokens);
        cell.set(tokens);
        r
    })
}

pub(crate) fn find(text: &str, people: &[&PeopleIndex], actor: Option<usize>, out: &mut Analysis) {
    with_tokens(text, |tokens| find_in(text, tokens, people, actor, out));
}

fn find_in(text: &str, tokens: &[Token], people: &[&PeopleIndex], actor: Option<usize>, out: &mut Analysis) {
    if tokens.is_empty() {
        return;
    }
    let found = listed::find(text, tokens, people);
    // The actor's own name is not someone else's personal data: not a mention, and not an
    // unlisted name either.
    out.people.extend(
        found
            .iter()
            .filter(|f| Some(f.person) != actor)
            .map(|f| PersonMention {
                person: f.person,
                span: Span::new(f.start, f.end),
            }),
    );
    unlisted::find(text, tokens, &found, &mut out.other_names);
}
