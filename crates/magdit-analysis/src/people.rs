//! Mentions of the given people, and names of people who are not among them.
//!
//! One tokenisation of the text serves both: the listed people are matched through small
//! fingerprint sets built from the text's words (never an index over the people, which
//! may be a whole school and change per call), the other names through the compiled-in
//! first-name list and the patterns of Dutch names.

mod listed;
mod lists;
mod text;
mod unlisted;

use crate::{Analysis, Person, PersonMention, Span};

pub(crate) use listed::name_keys;

pub(crate) fn find(text: &str, people: &[Person<'_>], actor: Option<usize>, out: &mut Analysis) {
    let tokens = text::tokenize(text);
    if tokens.is_empty() {
        return;
    }
    let found = listed::find(text, &tokens, people);
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
    unlisted::find(text, &tokens, &found, &mut out.other_names);
}
