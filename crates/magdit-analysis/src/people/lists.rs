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

/// Lower-cases a short ASCII word into `buf`; `None` for long or non-ASCII words, which
/// are never titles or tussenvoegsels.
fn lower<'b>(word: &str, buf: &'b mut [u8; 12]) -> Option<&'b [u8]> {
    let b = word.as_bytes();
    if b.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    Some(&buf[..b.len()])
}

/// Forms of address and academic titles that precede a surname ("mevrouw Jansen",
/// "dhr. De Groot", "juf Sanne", "Prof. Dr. Visser").
pub(crate) fn is_title(word: &str) -> bool {
    let mut buf = [0; 12];
    matches!(
        lower(word, &mut buf),
        Some(
            b"meneer" | b"mevrouw" | b"mevr" | b"mw" | b"mvr" | b"mvrw" | b"dhr" | b"hr" | b"mnr"
                | b"heer" | b"juf" | b"juffrouw" | b"meester" | b"mr" | b"mrs" | b"dr" | b"drs"
                | b"prof" | b"professor" | b"ir" | b"ing" | b"ds" | b"dominee" | b"zuster"
                | b"broeder"
        )
    )
}

/// Particles that precede a surname ("de", "van der", "in 't", "El" in "El Amrani").
pub(crate) fn is_tussenvoegsel(word: &str) -> bool {
    let mut buf = [0; 12];
    matches!(
        lower(word, &mut buf),
        Some(
            b"de" | b"der" | b"den" | b"van" | b"het" | b"t" | b"te" | b"ter" | b"ten" | b"in"
                | b"op" | b"aan" | b"la" | b"le" | b"du" | b"da" | b"di" | b"del" | b"della" | b"des"
                | b"von" | b"vd" | b"uit" | b"el" | b"al" | b"d"
        )
    )
}

/// Subject pronouns, which follow a verb that opens a question ("Ben je", "Mag ik").
pub(crate) fn is_subject_pronoun(word: &str) -> bool {
    let mut buf = [0; 12];
    matches!(
        lower(word, &mut buf),
        Some(b"ik" | b"je" | b"jij" | b"u" | b"hij" | b"zij" | b"ze" | b"het" | b"we" | b"wij" | b"jullie" | b"men")
    )
}

/// Prepositions that are tussenvoegsels only before another one ("in 't Veld").
pub(crate) fn is_weak_particle(word: &str) -> bool {
    let mut buf = [0; 12];
    matches!(lower(word, &mut buf), Some(b"in" | b"op" | b"uit" | b"te" | b"aan"))
}

/// Tussenvoegsels that hardly occur outside names ("der", "den", "ter"), so that "van der"
/// plus any capitalised word is a surname, unlike "van de" ("van de Jumbo").
pub(crate) fn is_strong_tussenvoegsel(word: &str) -> bool {
    let mut buf = [0; 12];
    matches!(lower(word, &mut buf), Some(b"der" | b"den" | b"ter" | b"ten" | b"t" | b"vd"))
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
}
