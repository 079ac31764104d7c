//! Mentions of the given people.
//!
//! The people come indexed by the words of their names ([`PeopleIndex`], built once per
//! list). Each word of the text (and its stem without a possessive "s") looks up the people
//! whose name it may be part of, and only those are compared in full, where their name
//! would start.

use std::ops::Range;

use super::index::{NameRef, PeopleIndex, FIRST, FIRST_ALONE, FIRST_AMBIGUOUS, SURNAME_PARTICLE};
use super::lists::{FIRST_NAME, PARTICLE, TITLE, WEAK_PARTICLE};
use super::text::{fold_eq, joins_name, only_spaces, strip_possessive_s, Token};

/// A mention found for `person`, before the actor's own are set aside.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub person: usize,
}

/// The buffers of [`find`], kept from text to text so a search allocates nothing once
/// they have grown to fit.
#[derive(Default)]
pub(crate) struct Buffers {
    /// The mentions found, after [`find`].
    pub found: Vec<Found>,
    lone: Vec<Lone>,
    lone_ok: Vec<u8>,
}

/// Finds the mentions of `people` (the actor's included; numbered over the lists in order)
/// in the tokenised text, into `buf.found`: sorted by start and free of overlaps, the
/// longest mention winning.
pub(crate) fn find(text: &str, tokens: &[Token], people: &[&PeopleIndex], buf: &mut Buffers) {
    let Buffers { found, lone, lone_ok } = buf;
    found.clear();
    lone.clear();
    if people.iter().all(|p| p.is_empty()) {
        return;
    }
    let mut lone_ok = LoneTokens::new(lone_ok, tokens.len());
    for (j, t) in tokens.iter().enumerate() {
        let word = t.str(text);
        // "Daans" mentions Daan: the stem is looked up too.
        let stem = t.stem.and_then(|h| Some((strip_possessive_s(word)?, h)));
        let forms = [(word, t.hash, false)].into_iter().chain(stem.map(|(s, h)| (s, h, true)));
        for (form, hash, is_stem) in forms {
            let key = Key { token: j, end: t.start + form.len(), stem: is_stem };
            let mut offset = 0;
            for list in people {
                for e in list.entries(form, hash) {
                    let name = list.name(e.person as usize);
                    let first = if e.role == FIRST { 0 } else { name.surname_start() };
                    // Where the mention would start: as many words before as the key is
                    // into the name.
                    let Some(i) = j.checked_sub(usize::from(e.part) - first) else { continue };
                    let m = Matcher { text, tokens, name, person: offset + e.person as usize, key: usize::from(e.part), known: key };
                    if e.role == FIRST {
                        m.full_name_or_first_name(i, &mut lone_ok, found, lone);
                    } else {
                        m.surname(i, found);
                    }
                }
                offset += list.len();
            }
        }
    }
    keep_unique_first_names(people, lone, found);
    remove_overlaps(found);
}

/// Per token, whether a first name there may stand alone (see
/// [`Matcher::followed_by_other_surname`]); people who share a first name ask about the
/// same tokens, so each is worked out once.
struct LoneTokens<'b>(&'b mut Vec<u8>);

impl<'b> LoneTokens<'b> {
    const UNKNOWN: u8 = 2;

    fn new(buf: &'b mut Vec<u8>, tokens: usize) -> Self {
        buf.clear();
        buf.resize(tokens, Self::UNKNOWN);
        LoneTokens(buf)
    }

    fn get(&mut self, i: usize, compute: impl FnOnce() -> bool) -> bool {
        if self.0[i] == Self::UNKNOWN {
            self.0[i] = u8::from(compute());
        }
        self.0[i] == 1
    }
}

/// One person's name matched against the text, around a token that is known to equal
/// one part of it.
struct Matcher<'a> {
    text: &'a str,
    tokens: &'a [Token],
    name: NameRef<'a>,
    person: usize,
    /// The part of the name that the token `known` equals.
    key: usize,
    known: Key,
}

/// A token found equal to a part of a name, as a whole word or as its stem.
#[derive(Clone, Copy)]
struct Key {
    token: usize,
    /// Where the equal text ends.
    end: usize,
    /// Equal without its possessive "s", which only a name's last word may carry.
    stem: bool,
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

    /// Matches the name's parts `parts` against consecutive tokens from `tokens[i]`; the
    /// last part may carry a possessive "s". Returns the end of the matched name.
    fn match_parts(&self, i: usize, parts: Range<usize>) -> Option<usize> {
        let (text, tokens) = (self.text, self.tokens);
        let last = parts.end - 1;
        let mut end = 0;
        for (n, k) in parts.enumerate() {
            let t = tokens.get(i + n)?;
            let (hash, may_stem) = (self.name.hash(k), k == last);
            // Equal words have equal hashes: only where those match are the words compared.
            if t.hash != hash && !(may_stem && t.stem == Some(hash)) {
                return None;
            }
            if n > 0 && !joins_name(&text[tokens[i + n - 1].end..t.start]) {
                return None;
            }
            if k == self.key {
                debug_assert_eq!(i + n, self.known.token);
                if self.known.stem && !may_stem {
                    return None;
                }
                end = self.known.end;
                continue;
            }
            let (word, part) = (t.str(text), self.name.part(k));
            if t.hash == hash && fold_eq(word, part) {
                end = t.end;
            } else {
                let stem = strip_possessive_s(word).filter(|_| may_stem)?;
                if !fold_eq(stem, part) {
                    return None;
                }
                end = t.start + stem.len();
            }
        }
        Some(end)
    }

    /// At token `i`, which may be the first word: the full name, in any case, or the
    /// first name alone where it stands alone.
    fn full_name_or_first_name(
        &self,
        i: usize,
        lone_ok: &mut LoneTokens<'_>,
        found: &mut Vec<Found>,
        lone: &mut Vec<Lone>,
    ) {
        let shape = self.name.shape();
        let len = self.name.len();
        if len >= 2 {
            if let Some(end) = self.match_parts(i, 0..len) {
                found.push(self.found(self.tokens[i].start, end));
                return;
            }
        }
        if shape & FIRST_ALONE == 0 {
            return;
        }
        let Some(end) = self.match_parts(i, 0..1) else {
            return;
        };
        let t = &self.tokens[i];
        // "de roos" is a flower; "Roos" may be the pupil.
        if !t.capitalised() && shape & FIRST_AMBIGUOUS != 0 {
            return;
        }
        if lone_ok.get(i, || !self.followed_by_other_surname(i)) {
            lone.push(Lone {
                token: i,
                found: self.found(t.start, end),
            });
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
        (next.capitalised() && next.list_flags() & FIRST_NAME == 0)
            || (next.has(PARTICLE)
                && !next.has(WEAK_PARTICLE)
                && tokens.get(i + 2).is_some_and(Token::capitalised))
    }

    /// At token `i`, which may start the surname: "meneer De Boer", "mevrouw Van den
    /// Berg", "meester Jansen", or a surname with its tussenvoegsel and a capital ("De
    /// Boer", "de Vries"): enough to name the person.
    fn surname(&self, i: usize, found: &mut Vec<Found>) {
        let surname = self.name.surname_start()..self.name.len();
        let has_particle = self.name.shape() & SURNAME_PARTICLE != 0;
        let tokens = self.tokens;
        let Some(end) = self.match_parts(i, surname.clone()) else {
            return;
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

/// A lone first name names a person only when no other listed person has it: every
/// person with that first name claims the same word, so a word claimed by two different
/// names is dropped. The same full name twice is one person listed twice.
fn keep_unique_first_names(people: &[&PeopleIndex], lone: &mut [Lone], found: &mut Vec<Found>) {
    let name = |mut p: usize| {
        for list in people {
            match p.checked_sub(list.len()) {
                Some(rest) => p = rest,
                None => return list.name(p).text().trim(),
            }
        }
        unreachable!("a person of the lists")
    };
    lone.sort_by_key(|l| l.token);
    for group in lone.chunk_by(|a, b| a.token == b.token) {
        let first = name(group[0].found.person);
        if group.iter().all(|l| fold_eq(name(l.found.person), first)) {
            found.extend(group.iter().map(|l| l.found));
        }
    }
}

/// Sorts by start and keeps, of overlapping mentions, the longest; the same span for two
/// people (two entries with one name) is kept for both.
fn remove_overlaps(found: &mut Vec<Found>) {
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end), f.person));
    found.dedup_by_key(|f| (f.start, f.end, f.person));
    // Compacted in place: `found[..kept]` holds what is kept so far.
    let mut kept = 0usize;
    for r in 0..found.len() {
        let f = found[r];
        let keep = match kept.checked_sub(1).map(|k| found[k]) {
            Some(k) if (k.start, k.end) == (f.start, f.end) => true,
            Some(k) => f.start >= k.end,
            None => true,
        };
        if keep {
            found[kept] = f;
            kept += 1;
        }
    }
    found.truncate(kept);
}
