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

/// The buffers of one search, reused from text to text.
#[derive(Default)]
struct Buffers {
    tokens: Vec<Token>,
    listed: listed::Buffers,
}

thread_local! {
    static BUFFERS: Cell<Buffers> = Cell::default();
}

/// Runs `f` on the tokens of `text` and the name search's buffers, all reused from call
/// to call.
fn with_buffers<R>(text: &str, f: impl FnOnce(&[Token], &mut listed::Buffers) -> R) -> R {
    BUFFERS.with(|cell| {
        // Taken out while in use: a nested call starts with empty buffers instead of failing.
        let mut buf = cell.take();
        text::tokenize(text, &mut buf.tokens);
        let r = f(&buf.tokens, &mut buf.listed);
        cell.set(buf);
        r
    })
}

/// Runs `f` on the tokens of `text`.
fn with_tokens<R>(text: &str, f: impl FnOnce(&[Token]) -> R) -> R {
    with_buffers(text, |tokens, _| f(tokens))
}

pub(crate) fn find(text: &str, people: &[&PeopleIndex], actor: Option<usize>, out: &mut Analysis) {
    with_buffers(text, |tokens, buf| find_in(text, tokens, people, actor, buf, out));
}

fn find_in(text: &str, tokens: &[Token], people: &[&PeopleIndex], actor: Option<usize>, buf: &mut listed::Buffers, out: &mut Analysis) {
    if tokens.is_empty() {
        return;
    }
    listed::find(text, tokens, people, buf);
    let found = &buf.found;
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
    unlisted::find(text, tokens, found, &mut out.other_names);
}
