//! The compiled-in name lists (see `data/README.md` for their sources) and the small
//! closed word classes of Dutch names: titles and tussenvoegsels.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::text::fold_hash;

/// The word is a first name from the list.
pub(crate) const FIRST_NAME: u8 = 1;
/// The word is also an everyday Dutch word ("Roos", "Lieve", "Elke").
pub(crate) const AMBIGUOUS: u8 = 2;
/// The word is a surname from the list.
pub(crate) const SURNAME: u8 = 4;

/// The keys are already [`fold_hash`] values, so hashing them again would only cost time.
#[derive(Default)]
pub(crate) struct PrehashedKey(u64);

impl Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type WordFlags = HashMap<u64, u8, BuildHasherDefault<PrehashedKey>>;

static WORDS: LazyLock<WordFlags> = LazyLock::new(|| {
    let mut map = WordFlags::default();
    let mut add = |list: &str, flag: u8| {
        for line in list.lines().map(str::trim) {
            if !line.is_empty() && !line.starts_with('#') {
                *map.entry(fold_hash(line)).or_default() |= flag;
            }
        }
    };
    add(include_str!("../../data/names/first_names.txt"), FIRST_NAME);
    add(include_str!("../../data/names/ambiguous.txt"), AMBIGUOUS);
    add(include_str!("../../data/names/surnames.txt"), SURNAME);
    map
});

/// The list flags of the word whose [`fold_hash`] is `hash` (so case and accents are
/// ignored), 0 when it is in no list.
pub(crate) fn hash_flags(hash: u64) -> u8 {
    WORDS.get(&hash).copied().unwrap_or(0)
}

/// A form of address or title before a name ("mevrouw", "dhr", "juf", "dr").
pub(crate) const TITLE: u8 = 1;
/// A tussenvoegsel ("de", "van", "der", "El").
pub(crate) const PARTICLE: u8 = 2;
/// A preposition that is a tussenvoegsel only before another ("in 't Veld").
pub(crate) const WEAK_PARTICLE: u8 = 4;
/// A tussenvoegsel hardly found outside names ("der", "den", "ter", "'t").
pub(crate) const STRONG_PARTICLE: u8 = 8;
/// A subject pronoun, which follows a verb that opens a question ("Ben je", "Mag ik").
pub(crate) const PRONOUN: u8 = 16;

/// The closed word classes of `word`, case-insensitively; computed once per token.
pub(crate) fn word_class(word: &str) -> u8 {
    let Some(key) = short_key(word) else {
        return if word.eq_ignore_ascii_case("professor") {
            TITLE
        } else {
            0
        };
    };
    let table = &*CLASSES;
    let mut slot = class_slot(key);
    loop {
        match table[slot] {
            (k, class) if k == key => return class,
            (0, _) => return 0,
            _ => slot = (slot + 1) % table.len(),
        }
    }
}

/// Up to eight ASCII letters or digits (a token), lower-cased, as one integer.
fn short_key(word: &str) -> Option<u64> {
    let b = word.as_bytes();
    if b.is_empty() || b.len() > 8 || !word.is_ascii() {
        return None;
    }
    // OR-ing 0x20 lower-cases letters and keeps digits.
    Some(
        b.iter()
            .enumerate()
            .fold(0, |k, (i, &c)| k | (u64::from(c | 0x20) << (8 * i))),
    )
}

fn class_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// The words of the closed classes in an open-addressing table of 256 slots (a quarter
/// full), keyed by [`short_key`]; a look-up is a multiplication and a comparison or two.
static CLASSES: LazyLock<[(u64, u8); 256]> = LazyLock::new(|| {
    let classes: &[(&[&str], u8)] = &[
        (
            &[
                "meneer", "mevrouw", "mevr", "mw", "mvr", "mvrw", "dhr", "hr", "mnr", "heer",
                "juf", "juffrouw", "meester", "mr", "mrs", "dr", "drs", "prof", "ir", "ing", "ds",
                "dominee", "zuster", "broeder", "dokter",
            ],
            TITLE,
        ),
        (
            &["der", "den", "ter", "ten", "t", "vd"],
            PARTICLE | STRONG_PARTICLE,
        ),
        (&["in", "op", "uit", "te", "aan"], PARTICLE | WEAK_PARTICLE),
        (&["het"], PARTICLE | PRONOUN),
        (
            &[
                "de", "van", "la", "le", "du", "da", "di", "del", "della", "des", "von", "el",
                "al", "d",
            ],
            PARTICLE,
        ),
        (
            &[
                "ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij", "jullie", "men",
            ],
            PRONOUN,
        ),
    ];
    let mut table = [(0u64, 0u8); 256];
    for &(words, class) in classes {
        for key in words.iter().filter_map(|w| short_key(w)) {
            let mut slot = class_slot(key);
            while table[slot].0 != 0 {
                slot = (slot + 1) % table.len();
            }
            table[slot] = (key, class);
        }
    }
    table
});

#[cfg(test)]
mod tests {
    use super::*;

    fn word_flags(word: &str) -> u8 {
        hash_flags(fold_hash(word))
    }

    #[test]
    fn lists_load() {
        assert_eq!(word_flags("Sanne") & FIRST_NAME, FIRST_NAME);
        assert_eq!(
            word_flags("ROOS") & (FIRST_NAME | AMBIGUOUS),
            FIRST_NAME | AMBIGUOUS
        );
        assert_eq!(word_flags("Visser") & SURNAME, SURNAME);
        assert_eq!(word_flags("olanzapine"), 0);
        assert!(word_flags("Büşra") & FIRST_NAME != 0);
        assert!(word_flags("Busra") & FIRST_NAME != 0);
    }

    #[test]
    fn classes() {
        assert_eq!(word_class("Mevrouw"), TITLE);
        assert_eq!(word_class("DER"), PARTICLE | STRONG_PARTICLE);
        assert_eq!(word_class("Sanne"), 0);
    }
}
