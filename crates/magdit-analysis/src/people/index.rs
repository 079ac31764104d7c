//! The listed people, indexed once by the words of their names.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::lists::{PrehashedKey, AMBIGUOUS, PARTICLE, TITLE};
use super::text::{fold_eq, Token};

/// People to look for in texts, each name taken apart once: its words, what kind of name
/// it is, and an index from words of the name to the people, so a text's word finds the
/// few people it may belong to without a pass over everyone. Build it once per list (a
/// school's roster is indexed when it is loaded) and search many texts with it.
#[derive(Debug, Clone, Default)]
pub struct PeopleIndex {
    /// All names, one after the other.
    text: String,
    names: Vec<Name>,
    /// [`fold_hash`](super::text::fold_hash) of a word → 1 + the first of the `words` with that hash.
    by_hash: HashMap<u64, u32, BuildHasherDefault<PrehashedKey>>,
    /// The distinct words (up to case and accents) the people are indexed by.
    words: Vec<Word>,
    entries: Vec<Entry>,
}

/// A word the people are indexed by, with the people whose mentions need it.
#[derive(Debug, Clone)]
struct Word {
    /// Its spelling: part `part` of person `person`'s name.
    person: u32,
    part: u8,
    /// 1 + the next word with the same hash, 0 at the end.
    same_hash: u32,
    /// 1 + the first of its entries, 0 if none.
    entries: u32,
}

/// One way a word of the text may name a person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub person: u32,
    /// [`FIRST`] (the name from its first word) or [`SURNAME`].
    pub role: u8,
    /// Which part of the name the indexed word is.
    pub part: u8,
    /// 1 + the next entry of the word, 0 at its end.
    next: u32,
}

/// A mention from the name's first word: the full name, or the first name alone.
pub(crate) const FIRST: u8 = 1;
/// A mention of the surname ("meneer Jansen", "de Vries").
pub(crate) const SURNAME: u8 = 2;

impl PeopleIndex {
    pub fn with_capacity(people: usize) -> Self {
        PeopleIndex {
            text: String::with_capacity(people * 16),
            names: Vec::with_capacity(people),
            by_hash: HashMap::with_capacity_and_hasher(people, Default::default()),
            words: Vec::with_capacity(people),
            entries: Vec::with_capacity(people * 2),
        }
    }

    /// Adds the next person (numbered from 0 in the order added). Each kind of mention is
    /// indexed by a word it cannot do without: the first word where the first name may
    /// stand alone, else the last word (a surname's "Vries" rather than its "de", which
    /// would bring up every "de" of the text).
    pub fn push(&mut self, name: &str) {
        let person = self.names.len() as u32;
        let start = self.text.len();
        self.text.push_str(name);
        let n = super::with_tokens(name, |tokens| Name::new(&self.text, start, tokens));
        let (len, shape, surname) = (n.len, n.shape, n.surname_start);
        self.names.push(n);
        let last = len.saturating_sub(1);
        if shape & FIRST_ALONE != 0 {
            self.add(Entry { person, role: FIRST, part: 0, next: 0 });
        } else if len >= 2 {
            self.add(Entry { person, role: FIRST, part: last, next: 0 });
        }
        if surname != 0 {
            self.add(Entry { person, role: SURNAME, part: last, next: 0 });
        }
    }

    /// Indexes `entry` under its part of the name, the same word as an earlier one if
    /// the two are equal up to case and accents.
    fn add(&mut self, mut entry: Entry) {
        let name = self.name(entry.person as usize);
        let (hash, spelling) = (name.hash(usize::from(entry.part)), name.part(usize::from(entry.part)));
        let head = self.by_hash.get(&hash).copied().unwrap_or(0);
        let w = match self.word(head, spelling) {
            Some(w) => w,
            None => {
                self.words.push(Word { person: entry.person, part: entry.part, same_hash: head, entries: 0 });
                self.by_hash.insert(hash, self.words.len() as u32);
                self.words.len() - 1
            }
        };
        entry.next = self.words[w].entries;
        self.entries.push(entry);
        self.words[w].entries = self.entries.len() as u32;
    }

    /// Of the words from `head` on (a chain of one hash), the one equal to `word`.
    fn word(&self, mut head: u32, word: &str) -> Option<usize> {
        while let Some(w) = head.checked_sub(1) {
            let x = &self.words[w as usize];
            let spelling = self.name(x.person as usize).part(usize::from(x.part));
            // Most names share their spelling exactly.
            if word == spelling || fold_eq(word, spelling) {
                return Some(w as usize);
            }
            head = x.same_hash;
        }
        None
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub(crate) fn name(&self, person: usize) -> NameRef<'_> {
        NameRef { text: &self.text, name: &self.names[person] }
    }

    /// The entries of the people whose indexed word is `word` up to case and accents
    /// (`hash` is its [`fold_hash`](super::text::fold_hash)).
    pub(crate) fn entries(&self, word: &str, hash: u64) -> impl Iterator<Item = Entry> + '_ {
        let head = self.by_hash.get(&hash).copied().unwrap_or(0);
        let mut next = self.word(head, word).map_or(0, |w| self.words[w].entries);
        std::iter::from_fn(move || {
            let entry = self.entries[next.checked_sub(1)? as usize];
            next = entry.next;
            Some(entry)
        })
    }
}

impl<S: AsRef<str>> FromIterator<S> for PeopleIndex {
    fn from_iter<I: IntoIterator<Item = S>>(names: I) -> Self {
        let names = names.into_iter();
        let mut index = PeopleIndex::with_capacity(names.size_hint().0);
        for name in names {
            index.push(name.as_ref());
        }
        index
    }
}

/// A person's name taken apart: its alphanumeric parts and its shape.
#[derive(Debug, Clone)]
struct Name {
    /// Where the name is in the index's `text`.
    span: (u32, u32),
    /// The parts as byte ranges into the index's `text` (at most eight).
    parts: [(u32, u32); 8],
    /// The [`fold_hash`](super::text::fold_hash) of each part.
    hashes: [u64; 8],
    len: u8,
    /// Index of the surname's first part; 0 for a one-word name.
    surname_start: u8,
    /// What kind of name it is ([`FIRST_ALONE`], …).
    shape: u8,
}

// The bits of `Name::shape`.

/// The first word can stand alone as a first name (not an initial, not "de" of a name
/// given surname first, not a title).
pub(crate) const FIRST_ALONE: u8 = 1;
/// The first word is also an everyday Dutch word ("Roos").
pub(crate) const FIRST_AMBIGUOUS: u8 = 2;
/// The surname starts with a tussenvoegsel ("de Boer").
pub(crate) const SURNAME_PARTICLE: u8 = 4;

impl Name {
    /// The name that is `text[start..]`, whose words are `tokens` (the same words as in
    /// a text, by the same tokeniser); offsets are relative to `start`.
    fn new(text: &str, start: usize, tokens: &[Token]) -> Self {
        let mut n = Name {
            span: (start as u32, text.len() as u32),
            parts: [(0, 0); 8],
            hashes: [0; 8],
            len: 0,
            surname_start: 0,
            shape: 0,
        };
        // The first eight words.
        let words = &tokens[..tokens.len().min(n.parts.len())];
        for (k, t) in words.iter().enumerate() {
            n.parts[k] = ((start + t.start) as u32, (start + t.end) as u32);
            n.hashes[k] = t.hash;
        }
        n.len = words.len() as u8;
        let Some(first) = words.first() else { return n };
        if text[start..][first.start..first.end].chars().count() >= 2 && !first.has(PARTICLE | TITLE) {
            n.shape |= FIRST_ALONE;
        }
        if first.list_flags() & AMBIGUOUS != 0 {
            n.shape |= FIRST_AMBIGUOUS;
        }
        let len = words.len();
        if len >= 2 {
            // At the first tussenvoegsel after the first name ("Mark |de Boer"), else at the
            // last word, in both cases taking in a double name joined by a hyphen ("Anna
            // |Visser-de Jong").
            let mut s = (1..len).find(|&k| words[k].has(PARTICLE)).unwrap_or(len - 1);
            while s > 1 && text[n.parts[s - 1].1 as usize..n.parts[s].0 as usize].contains('-') {
                s -= 1;
            }
            if words[s].has(PARTICLE) {
                n.shape |= SURNAME_PARTICLE;
            }
            n.surname_start = s as u8;
        }
        n
    }
}

/// A name of the index, with the text it refers into.
#[derive(Clone, Copy)]
pub(crate) struct NameRef<'a> {
    text: &'a str,
    name: &'a Name,
}

impl<'a> NameRef<'a> {
    /// The whole name.
    pub fn text(&self) -> &'a str {
        &self.text[self.name.span.0 as usize..self.name.span.1 as usize]
    }

    pub fn part(&self, k: usize) -> &'a str {
        let (s, e) = self.name.parts[k];
        &self.text[s as usize..e as usize]
    }

    pub fn hash(&self, k: usize) -> u64 {
        self.name.hashes[k]
    }

    /// The number of parts.
    pub fn len(&self) -> usize {
        usize::from(self.name.len)
    }

    pub fn surname_start(&self) -> usize {
        usize::from(self.name.surname_start)
    }

    pub fn shape(&self) -> u8 {
        self.name.shape
    }
}
