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

/// The list flags of `word` (case and accents ignored), 0 when it is in no list.
pub(crate) fn word_flags(word: &str) -> u8 {
    WORDS.get(&fold_hash(word)).copied().unwrap_or(0)
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
    let b = word.as_bytes();
    if b.len() > 9 || !word.is_ascii() {
        return 0;
    }
    let mut buf = [0u8; 9];
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    match &buf[..b.len()] {
        b"meneer" | b"mevrouw" | b"mevr" | b"mw" | b"mvr" | b"mvrw" | b"dhr" | b"hr" | b"mnr"
        | b"heer" | b"juf" | b"juffrouw" | b"meester" | b"mr" | b"mrs" | b"dr" | b"drs"
        | b"prof" | b"professor" | b"ir" | b"ing" | b"ds" | b"dominee" | b"zuster"
        | b"broeder" => TITLE,
        b"der" | b"den" | b"ter" | b"ten" | b"t" | b"vd" => PARTICLE | STRONG_PARTICLE,
        b"in" | b"op" | b"uit" | b"te" | b"aan" => PARTICLE | WEAK_PARTICLE,
        b"het" => PARTICLE | PRONOUN,
        b"de" | b"van" | b"la" | b"le" | b"du" | b"da" | b"di" | b"del" | b"della" | b"des"
        | b"von" | b"el" | b"al" | b"d" => PARTICLE,
        b"ik" | b"je" | b"jij" | b"u" | b"hij" | b"zij" | b"ze" | b"we" | b"wij" | b"jullie"
        | b"men" => PRONOUN,
        _ => 0,
    }
}

/// Forms of address and academic titles that precede a surname ("mevrouw Jansen",
/// "dhr. De Groot", "juf Sanne", "Prof. Dr. Visser").
pub(crate) fn is_title(word: &str) -> bool {
    word_class(word) & TITLE != 0
}

/// Particles that precede a surname ("de", "van der", "in 't", "El" in "El Amrani").
pub(crate) fn is_tussenvoegsel(word: &str) -> bool {
    word_class(word) & PARTICLE != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load() {
        assert_eq!(word_flags("Sanne") & FIRST_NAME, FIRST_NAME);
        assert_eq!(word_flags("ROOS") & (FIRST_NAME | AMBIGUOUS), FIRST_NAME | AMBIGUOUS);
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
