//! Mentions of the given people.
//!
//! The people list can hold a whole school roster (a thousand names) and changes from
//! call to call, so nothing is built over it; each person brings the fingerprints of their
//! name ([`crate::NameKeys`]), computed once by the caller. Instead the text's few words go into two
//! small bit sets keyed by a four-character fingerprint of each word's start and end;
//! each person costs two fingerprint look-ups, and only the rare hits are compared in full,
//! at the positions a small index over the text's words gives.

use super::lists::{
    is_title, is_tussenvoegsel, word_flags, AMBIGUOUS, FIRST_NAME, PARTICLE, TITLE, WEAK_PARTICLE,
};
use super::text::{
    fold_eq, is_word_char, joins_name, only_spaces, prefix_key, strip_possessive_s, suffix_key,
    Token,
};
use crate::Person;

/// A mention found for `person`, before the actor's own are set aside.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub person: usize,
}

/// Finds the mentions of `people` (the actor's included) in the tokenised text; the result
/// is sorted by start and free of overlaps, the longest mention winning.
pub(crate) fn find(text: &str, tokens: &[Token], people: &[Person<'_>]) -> Vec<Found> {
    if people.is_empty() {
        return Vec::new();
    }
    let index = WordIndex::new(text, tokens);
    let mut found = Vec::new();
    let mut lone = Vec::new();
    for (p, person) in people.iter().enumerate() {
        if person.name.is_empty() || !index.may_contain(person.keys) {
            continue;
        }
        let m = Matcher {
            text,
            tokens,
            name: person.name,
            parts: NameParts::new(person.name),
            person: p,
        };
        m.full_name_or_first_name(&index, &mut found, &mut lone);
        m.surname(&index, &mut found);
    }
    keep_unique_first_names(people, lone, &mut found);
    remove_overlaps(found)
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

/// The text's words by the fingerprint of their start, and the fingerprint sets.
struct WordIndex {
    starts: Fingerprints,
    ends: Fingerprints,
    /// Open hashing: `heads[slot]` is 1 + the first entry of the slot's chain, 0 if none.
    heads: Vec<u32>,
    /// (start fingerprint, token index, 1 + next entry in the chain or 0).
    entries: Vec<(u32, u32, u32)>,
}

impl WordIndex {
    fn new(text: &str, tokens: &[Token]) -> Self {
        let slots = (tokens.len() * 2).next_power_of_two().max(64);
        let mut index = WordIndex {
            starts: Fingerprints([0; 1 << (BITS - 6)]),
            ends: Fingerprints([0; 1 << (BITS - 6)]),
            heads: vec![0; slots],
            entries: Vec::with_capacity(tokens.len() + 8),
        };
        for (i, t) in tokens.iter().enumerate() {
            index.insert(t.prefix, i);
            index.ends.insert(t.suffix);
            // "Daans" mentions Daan: the stem's fingerprints must be there too.
            if let Some(stem) = strip_possessive_s(t.str(text)) {
                let key = prefix_key(stem);
                if key != t.prefix {
                    index.insert(key, i);
                }
                index.ends.insert(suffix_key(stem));
            }
        }
        index
    }

    fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> 16) as usize & (self.heads.len() - 1)
    }

    fn insert(&mut self, key: u32, token: usize) {
        self.starts.insert(key);
        let slot = self.slot(key);
        self.entries.push((key, token as u32, self.heads[slot]));
        self.heads[slot] = self.entries.len() as u32;
    }

    /// Whether the name's first or last word may be among the text's words.
    fn may_contain(&self, keys: crate::NameKeys) -> bool {
        self.starts.contains(keys.prefix) || self.ends.contains(keys.suffix)
    }

    /// The indices of the words that start like `word`.
    fn words_like(&self, word: &str) -> impl Iterator<Item = usize> + '_ {
        let key = prefix_key(word);
        let mut next = self.heads[self.slot(key)];
        std::iter::from_fn(move || {
            while next != 0 {
                let (k, token, n) = self.entries[next as usize - 1];
                next = n;
                if k == key {
                    return Some(token as usize);
                }
            }
            None
        })
    }
}

/// The alphanumeric parts of a person's name, as byte ranges into the name.
struct NameParts {
    parts: [(usize, usize); 8],
    len: usize,
}

impl NameParts {
    fn new(name: &str) -> Self {
        let mut np = NameParts {
            parts: [(0, 0); 8],
            len: 0,
        };
        let mut start = None;
        let push = |np: &mut NameParts, s: usize, e: usize| {
            if np.len < np.parts.len() {
                np.parts[np.len] = (s, e);
                np.len += 1;
            }
        };
        for (i, c) in name.char_indices() {
            match (is_word_char(c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    push(&mut np, s, i);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            push(&mut np, s, name.len());
        }
        np
    }

    fn all(&self) -> &[(usize, usize)] {
        &self.parts[..self.len]
    }
}

/// One person's name matched against the text.
struct Matcher<'a> {
    text: &'a str,
    tokens: &'a [Token],
    name: &'a str,
    parts: NameParts,
    person: usize,
}

/// A lone first name, kept only if no one else with that first name claims the word.
struct Lone {
    token: usize,
    found: Found,
}

impl Matcher<'_> {
    fn part(&self, k: usize) -> &str {
        let (s, e) = self.parts.parts[k];
        &self.name[s..e]
    }

    fn found(&self, start: usize, end: usize) -> Found {
        Found {
            start,
            end,
            person: self.person,
        }
    }

    /// Where the surname starts: at the first tussenvoegsel after the first name ("Mark |de
    /// Boer"), else at the last word, in both cases taking in a double name joined by a
    /// hyphen ("Anna |Visser-de Jong"). `None` for one-word names.
    fn surname_start(&self) -> Option<usize> {
        let n = self.parts.len;
        if n < 2 {
            return None;
        }
        let mut s = (1..n)
            .find(|&k| is_tussenvoegsel(self.part(k)))
            .unwrap_or(n - 1);
        while s > 1 && self.name[self.parts.parts[s - 1].1..self.parts.parts[s].0].contains('-') {
            s -= 1;
        }
        Some(s)
    }

    /// The first word, if it can stand alone as a first name (not an initial, not "de" of
    /// a name given surname first).
    fn first_name(&self) -> Option<&str> {
        let first = self.part(0);
        let ok = first.chars().count() >= 2 && !is_tussenvoegsel(first) && !is_title(first);
        ok.then_some(first)
    }

    /// Matches the name parts against consecutive tokens from `tokens[i]`; the last part
    /// may carry a possessive "s". Returns the end of the matched name.
    fn match_parts(&self, i: usize, parts: &[(usize, usize)]) -> Option<usize> {
        let (text, tokens) = (self.text, self.tokens);
        let mut end = 0;
        for (k, &(s, e)) in parts.iter().enumerate() {
            let t = tokens.get(i + k)?;
            if k > 0 && !joins_name(&text[tokens[i + k - 1].end..t.start]) {
                return None;
            }
            let (word, part) = (t.str(text), &self.name[s..e]);
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

    /// The full name anywhere, in any case; the first name alone where it stands alone.
    fn full_name_or_first_name(
        &self,
        index: &WordIndex,
        found: &mut Vec<Found>,
        lone: &mut Vec<Lone>,
    ) {
        if self.parts.len == 0 {
            return;
        }
        let lone_name = self.first_name();
        for i in index.words_like(self.part(0)) {
            if self.parts.len >= 2 {
                if let Some(end) = self.match_parts(i, self.parts.all()) {
                    found.push(self.found(self.tokens[i].start, end));
                    continue;
                }
            }
            let Some(first) = lone_name else { continue };
            let Some(end) = self.match_parts(i, &self.parts.parts[..1]) else {
                continue;
            };
            let t = &self.tokens[i];
            // "de roos" is a flower; "Roos" may be the pupil.
            if !t.capitalised() && word_flags(first) & AMBIGUOUS != 0 {
                continue;
            }
            if !self.followed_by_other_surname(i) {
                lone.push(Lone {
                    token: i,
                    found: self.found(t.start, end),
                });
            }
        }
    }

    /// "Sanne Bakker" is not the listed Sanne de Vries: a first name directly followed by a
    /// capitalised word that is not itself a first name ("Sanne Daan en Noor") belongs to
    /// someone else. (The person's own surname is matched as a longer full-name mention.)
    fn followed_by_other_surname(&self, i: usize) -> bool {
        let (text, tokens) = (self.text, self.tokens);
        let Some(next) = tokens.get(i + 1) else {
            return false;
        };
        if !only_spaces(&text[tokens[i].end..next.start]) {
            return false;
        }
        (next.capitalised() && word_flags(next.str(text)) & FIRST_NAME == 0)
            || (next.has(PARTICLE)
                && !next.has(WEAK_PARTICLE)
                && tokens.get(i + 2).is_some_and(Token::capitalised))
    }

    /// "meneer De Boer", "mevrouw Van den Berg", "meester Jansen", or a surname with its
    /// tussenvoegsel and a capital ("De Boer", "de Vries"): enough to name the person.
    fn surname(&self, index: &WordIndex, found: &mut Vec<Found>) {
        let Some(s) = self.surname_start() else {
            return;
        };
        let surname = &self.parts.all()[s..];
        let has_particle = is_tussenvoegsel(self.part(s));
        let tokens = self.tokens;
        for i in index.words_like(self.part(s)) {
            let Some(end) = self.match_parts(i, surname) else {
                continue;
            };
            let titled = i > 0
                && tokens[i - 1].has(TITLE)
                && joins_name(&self.text[tokens[i - 1].end..tokens[i].start]);
            if titled {
                found.push(self.found(tokens[i - 1].start, end));
            } else if has_particle && tokens[i + surname.len() - 1].capitalised() {
                found.push(self.found(tokens[i].start, end));
            }
        }
    }
}

/// A lone first name names a person only when no other listed person has it: every
/// person with that first name claims the same word, so a word claimed by two different
/// names is dropped. The same full name twice is one person listed twice.
fn keep_unique_first_names(people: &[Person<'_>], mut lone: Vec<Lone>, found: &mut Vec<Found>) {
    lone.sort_by_key(|l| l.token);
    for group in lone.chunk_by(|a, b| a.token == b.token) {
        let name = people[group[0].found.person].name.trim();
        if group
            .iter()
            .all(|l| fold_eq(people[l.found.person].name.trim(), name))
        {
            found.extend(group.iter().map(|l| l.found));
        }
    }
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
