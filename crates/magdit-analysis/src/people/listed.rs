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
    char_at, fold_eq, is_word_char, joins_name, only_spaces, prefix_key, strip_possessive_s, suffix_key,
    Token,
};
use crate::{NameKeys, Person};

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
    let mut lone_ok = LoneTokens::new(tokens.len());
    let mut found = Vec::new();
    let mut lone = Vec::new();
    for (p, person) in people.iter().enumerate() {
        if person.name.is_empty() || !index.may_contain(person.keys) || !index.has_start(person.keys) {
            continue;
        }
        let m = Matcher {
            text,
            tokens,
            name: person.name,
            keys: person.keys,
            parts: NameParts::new(person.name),
            person: p,
        };
        m.full_name_or_first_name(&index, &mut lone_ok, &mut found, &mut lone);
        m.surname(&index, &mut found);
    }
    keep_unique_first_names(people, lone, &mut found);
    remove_overlaps(found)
}

/// The fingerprints and shape of a name, once per person (see [`NameKeys`]).
pub(crate) fn name_keys(name: &str) -> NameKeys {
    let parts = NameParts::new(name);
    let part = |k: usize| &name[parts.parts[k].0..parts.parts[k].1];
    let mut shape = 0;
    let mut surname_start = 0;
    let mut surname = 0;
    if parts.len > 0 {
        shape |= HAS_WORDS;
        let first = part(0);
        if first.chars().count() >= 2 && !is_tussenvoegsel(first) && !is_title(first) {
            shape |= FIRST_ALONE;
        }
        if word_flags(first) & AMBIGUOUS != 0 {
            shape |= FIRST_AMBIGUOUS;
        }
    }
    if parts.len >= 2 {
        // At the first tussenvoegsel after the first name ("Mark |de Boer"), else at the
        // last word, in both cases taking in a double name joined by a hyphen ("Anna
        // |Visser-de Jong").
        let n = parts.len;
        let mut s = (1..n).find(|&k| is_tussenvoegsel(part(k))).unwrap_or(n - 1);
        while s > 1 && name[parts.parts[s - 1].1..parts.parts[s].0].contains('-') {
            s -= 1;
        }
        if is_tussenvoegsel(part(s)) {
            shape |= SURNAME_PARTICLE;
        }
        surname_start = s as u8;
        surname = prefix_key(part(s));
    }
    NameKeys { prefix: prefix_key(name), suffix: suffix_key(name), surname, surname_start, shape }
}

// The bits of `NameKeys::shape`.

/// The name has at least one word.
const HAS_WORDS: u8 = 1;
/// The first word can stand alone as a first name (not an initial, not "de" of a name
/// given surname first, not a title).
const FIRST_ALONE: u8 = 2;
/// The first word is also an everyday Dutch word ("Roos").
const FIRST_AMBIGUOUS: u8 = 4;
/// The surname starts with a tussenvoegsel ("de Boer").
const SURNAME_PARTICLE: u8 = 8;

/// Per token, whether a first name there may stand alone (see
/// [`Matcher::followed_by_other_surname`]); people who share a first name ask about the
/// same tokens, so each is worked out once.
struct LoneTokens(Vec<u8>);

impl LoneTokens {
    const UNKNOWN: u8 = 2;

    fn new(tokens: usize) -> Self {
        LoneTokens(vec![Self::UNKNOWN; tokens])
    }

    fn get(&mut self, i: usize, compute: impl FnOnce() -> bool) -> bool {
        if self.0[i] == Self::UNKNOWN {
            self.0[i] = u8::from(compute());
        }
        self.0[i] == 1
    }
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
    fn may_contain(&self, keys: NameKeys) -> bool {
        self.starts.contains(keys.prefix) || self.ends.contains(keys.suffix)
    }

    /// Whether a word starts like the name's first word or its surname: the fingerprint
    /// sets only say "maybe", and the name's parts are worth reading only then.
    fn has_start(&self, keys: NameKeys) -> bool {
        self.words_like(keys.prefix).next().is_some()
            || keys.surname_start != 0 && self.words_like(keys.surname).next().is_some()
    }

    /// The indices of the words whose start has the fingerprint `key`.
    fn words_like(&self, key: u32) -> impl Iterator<Item = usize> + '_ {
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
        let b = name.as_bytes();
        // Whether the character at `i` is a letter or digit, and its length; ASCII bytes
        // are whole characters, the rest is decoded.
        let at = |i: usize| {
            if b[i] < 0x80 {
                (b[i].is_ascii_alphanumeric(), 1)
            } else {
                let (c, len) = char_at(name, i);
                (is_word_char(c), len)
            }
        };
        let mut i = 0;
        while np.len < np.parts.len() {
            while i < b.len() && !at(i).0 {
                i += at(i).1;
            }
            if i == b.len() {
                break;
            }
            let start = i;
            while i < b.len() && at(i).0 {
                i += at(i).1;
            }
            np.parts[np.len] = (start, i);
            np.len += 1;
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
    keys: NameKeys,
    parts: NameParts,
    person: usize,
}

/// A lone first name, kept only if no one else with that first name claims the word.
struct Lone {
    token: usize,
    found: Found,
}

impl Matcher<'_> {
    fn found(&self, start: usize, end: usize) -> Found {
        Found {
            start,
            end,
            person: self.person,
        }
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
        lone_ok: &mut LoneTokens,
        found: &mut Vec<Found>,
        lone: &mut Vec<Lone>,
    ) {
        let shape = self.keys.shape;
        if shape & HAS_WORDS == 0 {
            return;
        }
        for i in index.words_like(self.keys.prefix) {
            if self.parts.len >= 2 {
                if let Some(end) = self.match_parts(i, self.parts.all()) {
                    found.push(self.found(self.tokens[i].start, end));
                    continue;
                }
            }
            if shape & FIRST_ALONE == 0 {
                continue;
            }
            let Some(end) = self.match_parts(i, &self.parts.parts[..1]) else {
                continue;
            };
            let t = &self.tokens[i];
            // "de roos" is a flower; "Roos" may be the pupil.
            if !t.capitalised() && shape & FIRST_AMBIGUOUS != 0 {
                continue;
            }
            if lone_ok.get(i, || !self.followed_by_other_surname(i)) {
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
        let s = usize::from(self.keys.surname_start);
        if s == 0 {
            return;
        }
        let surname = &self.parts.all()[s..];
        let has_particle = self.keys.shape & SURNAME_PARTICLE != 0;
        let tokens = self.tokens;
        for i in index.words_like(self.keys.surname) {
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
