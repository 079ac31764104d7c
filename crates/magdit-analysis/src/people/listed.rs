//! Mentions of the given people.
//!
//! The people list can hold a whole school roster (a thousand names) and changes from
//! call to call, so nothing is built over it. Instead the text's few tokens go into two
//! small bit sets keyed by a four-character fingerprint of each word's start and end;
//! each person costs two fingerprint look-ups, and only the rare hits are compared in full.

use super::lists::{is_title, is_tussenvoegsel, is_weak_particle, word_flags, AMBIGUOUS, FIRST_NAME};
use super::text::{
    fold_eq, joins_name, only_spaces, prefix_key, strip_possessive_s, suffix_key, Token,
};
use crate::Person;

/// A mention found for `person`, before the actor's own are set aside.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub person: usize,
}

const BITS: u32 = 13;

/// A one-hash Bloom filter over fingerprints; 8,192 bits keep false hits near 1 % for a
/// post's hundred-odd fingerprints while it stays in the L1 cache.
struct Fingerprints([u64; 1 << (BITS - 6)]);

impl Fingerprints {
    fn slot(key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> (32 - BITS)) as usize
    }
    fn insert(&mut self, key: u32) {
        let s = Self::slot(key);
        self.0[s >> 6] |= 1 << (s & 63);
    }
    fn contains(&self, key: u32) -> bool {
        let s = Self::slot(key);
        self.0[s >> 6] & (1 << (s & 63)) != 0
    }
}

/// The alphanumeric parts of a person's name, as byte ranges into the name.
struct NameParts {
    parts: [(usize, usize); 8],
    len: usize,
}

impl NameParts {
    fn new(name: &str) -> Self {
        let mut parts = [(0, 0); 8];
        let mut len = 0;
        let mut start = None;
        for (i, c) in name.char_indices().chain(std::iter::once((name.len(), ' '))) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) if len < parts.len() => {
                    parts[len] = (s, i);
                    len += 1;
                    start = None;
                }
                (false, Some(_)) => start = None,
                _ => {}
            }
        }
        NameParts { parts, len }
    }

    fn all(&self) -> &[(usize, usize)] {
        &self.parts[..self.len]
    }

    /// Where the surname starts: at the first tussenvoegsel after the first name ("Mark |de
    /// Boer"), else at the last word, in both cases taking in a double name joined by a
    /// hyphen ("Anna |Visser-de Jong"). `None` for one-word names.
    fn surname_start(&self, name: &str) -> Option<usize> {
        if self.len < 2 {
            return None;
        }
        let parts = self.all();
        let mut s = (1..parts.len())
            .find(|&k| is_tussenvoegsel(&name[parts[k].0..parts[k].1]))
            .unwrap_or(parts.len() - 1);
        while s > 1 && name[parts[s - 1].1..parts[s].0].contains('-') {
            s -= 1;
        }
        Some(s)
    }
}

/// Finds the mentions of `people` (the actor's included) in the tokenised text; the result
/// is sorted by start and free of overlaps, the longest mention winning.
pub(crate) fn find(text: &str, tokens: &[Token], people: &[Person<'_>]) -> Vec<Found> {
    let candidates = candidates(text, tokens, people);
    let mut found = Vec::new();
    let mut lone = Vec::new();
    for &p in &candidates {
        let name = people[p].name;
        let parts = NameParts::new(name);
        if parts.len == 0 {
            continue;
        }
        full_name(text, tokens, name, &parts, p, &mut found);
        surname(text, tokens, name, &parts, p, &mut found);
        lone.clear();
        first_name(text, tokens, name, &parts, p, &mut lone);
        // Checked only on a hit: it compares with every other candidate.
        if !lone.is_empty() && first_name_is_unique(people, &candidates, p) {
            found.extend_from_slice(&lone);
        }
    }
    remove_overlaps(found)
}

/// The first word of a name, if it can stand alone as a first name (not an initial, not
/// "de" of a name given surname first).
fn first_word(name: &str) -> Option<&str> {
    let (s, e) = NameParts::new(name).parts[0];
    let first = &name[s..e];
    (first.chars().count() >= 2 && !is_tussenvoegsel(first) && !is_title(first)).then_some(first)
}

/// The people whose first or last word may be in the text.
fn candidates(text: &str, tokens: &[Token], people: &[Person<'_>]) -> Vec<usize> {
    let mut starts = Fingerprints([0; 1 << (BITS - 6)]);
    let mut ends = Fingerprints([0; 1 << (BITS - 6)]);
    for t in tokens {
        starts.insert(t.prefix);
        ends.insert(t.suffix);
        // "Daans" mentions Daan: the stem's fingerprints must be there too.
        if let Some(stem) = strip_possessive_s(t.str(text)) {
            starts.insert(prefix_key(stem));
            ends.insert(suffix_key(stem));
        }
    }
    people
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            !p.name.is_empty()
                && (starts.contains(prefix_key(p.name)) || ends.contains(suffix_key(p.name)))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Matches the name parts against consecutive tokens from `tokens[i]`; the last part may
/// carry a possessive "s". Returns the end of the matched name.
fn match_parts(text: &str, tokens: &[Token], i: usize, name: &str, parts: &[(usize, usize)]) -> Option<usize> {
    let mut end = 0;
    for (k, &(s, e)) in parts.iter().enumerate() {
        let t = tokens.get(i + k)?;
        if k > 0 && !joins_name(&text[tokens[i + k - 1].end..t.start]) {
            return None;
        }
        let (word, part) = (t.str(text), &name[s..e]);
        if fold_eq(word, part) {
            end = t.end;
        } else {
            let stem = strip_possessive_s(word).filter(|_| k + 1 == parts.len())?;
            if !fold_eq(stem, part) {
                return None;
            }
            end = t.start + stem.len();
        }
    }
    Some(end)
}

fn full_name(text: &str, tokens: &[Token], name: &str, parts: &NameParts, person: usize, found: &mut Vec<Found>) {
    if parts.len < 2 {
        return;
    }
    for i in 0..tokens.len() {
        if let Some(end) = match_parts(text, tokens, i, name, parts.all()) {
            found.push(Found { start: tokens[i].start, end, person });
        }
    }
}

/// "meneer De Boer", "mevrouw Van den Berg", "meester Jansen", or a surname with its
/// tussenvoegsel and a capital ("De Boer", "de Vries"): enough to name the person.
fn surname(text: &str, tokens: &[Token], name: &str, parts: &NameParts, person: usize, found: &mut Vec<Found>) {
    let Some(s) = parts.surname_start(name) else { return };
    let surname = &parts.all()[s..];
    let has_particle = is_tussenvoegsel(&name[surname[0].0..surname[0].1]);
    for i in 0..tokens.len() {
        let Some(end) = match_parts(text, tokens, i, name, surname) else { continue };
        let titled = i > 0
            && is_title(tokens[i - 1].str(text))
            && joins_name(&text[tokens[i - 1].end..tokens[i].start]);
        let last = &tokens[i + surname.len() - 1];
        if titled {
            found.push(Found { start: tokens[i - 1].start, end, person });
        } else if has_particle && last.capitalised() {
            found.push(Found { start: tokens[i].start, end, person });
        }
    }
}

/// A lone first name names a person only when no other listed person has it.
fn first_name_is_unique(people: &[Person<'_>], candidates: &[usize], p: usize) -> bool {
    let name = people[p].name;
    let Some(first) = first_word(name) else { return false };
    // Everyone sharing the first name shares its fingerprint, so is among the candidates.
    // The same full name twice is one person listed twice, not two people.
    !candidates.iter().any(|&q| {
        let other = people[q].name;
        q != p
            && first_word(other).is_some_and(|f| fold_eq(f, first))
            && !fold_eq(other.trim(), name.trim())
    })
}

fn first_name(text: &str, tokens: &[Token], name: &str, parts: &NameParts, person: usize, found: &mut Vec<Found>) {
    let Some(first) = first_word(name) else { return };
    let ambiguous = word_flags(first) & AMBIGUOUS != 0;
    for (i, t) in tokens.iter().enumerate() {
        let Some(end) = match_parts(text, tokens, i, name, &parts.parts[..1]) else { continue };
        // "de roos" is a flower; "Roos" may be the pupil.
        if ambiguous && !t.capitalised() {
            continue;
        }
        if followed_by_other_surname(text, tokens, i) {
            continue;
        }
        found.push(Found { start: t.start, end, person });
    }
}

/// "Sanne Bakker" is not the listed Sanne de Vries: a first name directly followed by a
/// capitalised word that is not itself a first name ("Sanne Daan en Noor") belongs to
/// someone else. (The person's own surname is matched as a longer full-name mention.)
fn followed_by_other_surname(text: &str, tokens: &[Token], i: usize) -> bool {
    let Some(next) = tokens.get(i + 1) else { return false };
    let gap = &text[tokens[i].end..next.start];
    let next_word = next.str(text);
    (only_spaces(gap) && next.capitalised() && word_flags(next_word) & FIRST_NAME == 0)
        || (only_spaces(gap)
            && is_tussenvoegsel(next_word)
            && !is_weak_particle(next_word)
            && tokens.get(i + 2).is_some_and(Token::capitalised))
}

/// Sorts by start and keeps, of overlapping mentions, the longest; the same span for two
/// people (two entries with one name) is kept for both.
fn remove_overlaps(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end), f.person));
    found.dedup_by_key(|f| (f.start, f.end, f.person));
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        match kept.last() {
            Some(k) if (k.start, k.end) == (f.start, f.end) => kept.push(f),
            Some(k) if f.start < k.end => {}
            _ => kept.push(f),
        }
    }
    kept
}
