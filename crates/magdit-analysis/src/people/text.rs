//! Word tokens, and the case and accent folding the name matchers compare words by.

/// A run of alphanumeric characters in the analysed text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    /// The word's [`fold_hash`], which the name lists and people are keyed by.
    pub hash: u64,
    /// The [`fold_hash`] of the word without a possessive "s" ([`strip_possessive_s`]).
    pub stem: Option<u64>,
    pub flags: u8,
    /// Closed word classes (title, tussenvoegsel, pronoun), see [`super::lists::word_class`].
    pub class: u8,
}

/// First character upper case, the rest not all upper case ("Sanne", "McDonald", "A").
pub(crate) const TITLECASE: u8 = 1;
/// Every letter upper case and more than one letter ("DAAN", "AB").
pub(crate) const ALL_CAPS: u8 = 2;
/// Starts a sentence, a line or the text, so its capital says nothing.
pub(crate) const SENTENCE_START: u8 = 4;
/// Followed directly by a full stop ("A.", "dr.").
pub(crate) const DOT_AFTER: u8 = 8;

impl Token {
    pub fn str<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
    pub fn is(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
    pub fn has(&self, class: u8) -> bool {
        self.class & class != 0
    }
    /// The word's flags in the name lists ([`super::lists::hash_flags`]).
    pub fn list_flags(&self) -> u8 {
        super::lists::hash_flags(self.hash)
    }
    /// Upper-case initial, in either title case or all caps.
    pub fn capitalised(&self) -> bool {
        self.flags & (TITLECASE | ALL_CAPS) != 0
    }
}

/// Lower case without diacritics, for the letters Dutch, Turkish and Maghrebi names use.
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let cp = c as usize;
    if (0xC0..0x180).contains(&cp) && LATIN[cp - 0xC0] != 0 {
        return LATIN[cp - 0xC0] as char;
    }
    c.to_lowercase().next().unwrap_or(c)
}

/// The base letter of U+00C0..U+017F (Latin-1 Supplement and Latin Extended-A, which
/// cover Dutch, Turkish, French, German and Polish names), lower case; 0 for × and ÷.
static LATIN: [u8; 0xC0] = {
    let mut t = [0u8; 0xC0];
    let mut i = 0;
    while i < t.len() {
        t[i] = latin_base(0xC0 + i as u32);
        i += 1;
    }
    t
};

const fn latin_base(cp: u32) -> u8 {
    match cp {
        0xC0..=0xC6 | 0xE0..=0xE6 | 0x100..=0x105 => b'a',
        0xC7 | 0xE7 | 0x106..=0x10D => b'c',
        0xD0 | 0xF0 | 0x10E..=0x111 => b'd',
        0xC8..=0xCB | 0xE8..=0xEB | 0x112..=0x11B => b'e',
        0x11C..=0x123 => b'g',
        0x124..=0x127 => b'h',
        0xCC..=0xCF | 0xEC..=0xEF | 0x128..=0x133 => b'i',
        0x134..=0x135 => b'j',
        0x136..=0x138 => b'k',
        0x139..=0x142 => b'l',
        0xD1 | 0xF1 | 0x143..=0x14B => b'n',
        0xD2..=0xD6 | 0xD8 | 0xF2..=0xF6 | 0xF8 | 0x14C..=0x153 => b'o',
        0x154..=0x159 => b'r',
        0xDF | 0x15A..=0x161 | 0x17F => b's',
        0xDE | 0xFE | 0x162..=0x167 => b't',
        0xD9..=0xDC | 0xF9..=0xFC | 0x168..=0x173 => b'u',
        0x174..=0x175 => b'w',
        0xDD | 0xFD | 0xFF | 0x176..=0x178 => b'y',
        0x179..=0x17E => b'z',
        _ => 0,
    }
}

/// Letters and digits. Latin letters with diacritics (U+00C0–U+024F, which names use
/// most) are recognised without the Unicode table look-up, which costs more than the rest
/// of a fingerprint.
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{c0}'..='\u{24f}').contains(&c) {
        return c != '×' && c != '÷';
    }
    c.is_alphanumeric()
}

/// The character at byte `i` (a char boundary) and its length. Two-byte characters (all
/// Latin letters with diacritics) are decoded by hand, the rest by the standard library.
#[inline]
pub(crate) fn char_at(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes();
    let c0 = b[i];
    if c0 < 0x80 {
        return (c0 as char, 1);
    }
    if c0 & 0xE0 == 0xC0 {
        if let Some(&c1) = b.get(i + 1) {
            let v = (u32::from(c0 & 0x1F) << 6) | u32::from(c1 & 0x3F);
            return (char::from_u32(v).unwrap_or(' '), 2);
        }
    }
    s[i..]
        .chars()
        .next()
        .map_or((' ', 1), |c| (c, c.len_utf8()))
}

/// Case- and accent-insensitive equality.
pub(crate) fn fold_eq(a: &str, b: &str) -> bool {
    // The same bytes but for ASCII case fold the same; ASCII that differs otherwise does not.
    if a.len() == b.len() && a.eq_ignore_ascii_case(b) {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return false;
    }
    a.chars().map(fold).eq(b.chars().map(fold))
}

/// A small fast hash of the folded characters (FxHash's mixing step). Words that are
/// [`fold_eq`] have the same hash.
pub(crate) fn fold_hash(s: &str) -> u64 {
    let mut h: u64 = 0;
    if s.is_ascii() {
        for &b in s.as_bytes() {
            h = hash_step(h, b.to_ascii_lowercase().into());
        }
    } else {
        for c in s.chars() {
            h = hash_step(h, fold(c) as u32);
        }
    }
    h
}

#[inline]
fn hash_step(h: u64, folded: u32) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    (h.rotate_left(5) ^ u64::from(folded)).wrapping_mul(K)
}

/// [`fold_hash`] of `word`, and of its stem if it has a possessive "s"
/// ([`strip_possessive_s`]): the word's hash is the stem's one step further.
fn fold_hashes(word: &str) -> (u64, Option<u64>) {
    match strip_possessive_s(word) {
        Some(stem) => {
            let h = fold_hash(stem);
            (hash_step(h, u32::from(b's')), Some(h))
        }
        None => (fold_hash(word), None),
    }
}

/// If `word` is `name` plus a possessive "s" written without apostrophe ("Daans",
/// "Sannes"), the length of the name part. Dutch writes "Eva's", "Jo's" after a, i, o, u,
/// y, and nothing after s, x, z, so those endings take no bare "s".
pub(crate) fn strip_possessive_s(word: &str) -> Option<&str> {
    let stem = word.strip_suffix('s').or_else(|| word.strip_suffix('S'))?;
    let last = stem.chars().next_back()?;
    if stem.chars().count() < 2 || "aiouyszxAIOUYSZX".contains(last) {
        return None;
    }
    Some(stem)
}

/// Splits `text` into alphanumeric runs and marks their case and sentence position, into
/// `tokens` (cleared first).
pub(crate) fn tokenize(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let b = text.as_bytes();
    tokens.reserve(b.len() / 5 + 1);
    // Whether a sentence boundary was seen since the previous token.
    let mut boundary = true;
    let mut i = 0;
    while i < b.len() {
        let c0 = b[i];
        // Most of a text is ASCII: those bytes are whole characters, classified by table.
        if c0 < 0x80 {
            if BYTE_CLASS[usize::from(c0)] & ALNUM == 0 {
                boundary |= ends_sentence(char::from(c0));
                i += 1;
                continue;
            }
            let run = word_end(text, i + 1, hash_step(0, u32::from(c0 | 0x20)));
            let word = &text[i..run.end];
            let hashes = if run.rest & NON_ASCII == 0 {
                ascii_hashes(word, run.hash, run.before_last)
            } else {
                fold_hashes(word)
            };
            tokens.push(make_token(text, i, run.end, boundary, c0.is_ascii_uppercase(), run.rest, hashes));
            boundary = false;
            i = run.end;
            continue;
        }
        // Others are decoded (i stays on a char boundary, as it only ever advances by
        // whole characters).
        let (c, len) = char_at(text, i);
        if is_word_char(c) {
            let run = word_end(text, i + len, 0);
            let hashes = fold_hashes(&text[i..run.end]);
            tokens.push(make_token(text, i, run.end, boundary, c.is_uppercase(), run.rest, hashes));
            boundary = false;
            i = run.end;
            continue;
        }
        if ends_sentence(c) {
            boundary = true;
        }
        i += len;
    }
}

/// [`fold_hashes`] of an ASCII word from the hashes [`word_end`] computed on the way: of
/// the word, and of the word without its last byte (the stem, if that byte is a
/// possessive "s").
fn ascii_hashes(word: &str, hash: u64, before_last: u64) -> (u64, Option<u64>) {
    let w = word.as_bytes();
    let n = w.len();
    let possessive = n >= 3 && w[n - 1] | 0x20 == b's' && !b"aiouyszx".contains(&(w[n - 2] | 0x20));
    let hashes = (hash, possessive.then_some(before_last));
    debug_assert_eq!(hashes, fold_hashes(word), "{word}");
    hashes
}

/// Per byte: an ASCII letter or digit, upper case, lower case, or part of a longer
/// character.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if c.is_ascii_lowercase() {
            ALNUM | LOWER
        } else if c.is_ascii_digit() {
            ALNUM
        } else {
            0
        };
        i += 1;
    }
    t
};
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;
const NON_ASCII: u8 = 8;

/// An alphanumeric run of the text, from its second character on.
struct Run {
    end: usize,
    /// The union of the bytes' classes (which tells case and ASCII-ness without another
    /// pass).
    rest: u8,
    /// For an ASCII run: the [`fold_hash`] of the word, and of the word without its
    /// last byte.
    hash: u64,
    before_last: u64,
}

/// The alphanumeric run that continues at `i`; `hash` is the [`fold_hash`] of the word
/// so far.
fn word_end(text: &str, mut i: usize, mut hash: u64) -> Run {
    let b = text.as_bytes();
    let mut rest = 0;
    let mut before_last = 0;
    while i < b.len() {
        let class = BYTE_CLASS[b[i] as usize];
        if class & ALNUM != 0 {
            rest |= class;
            before_last = hash;
            // OR-ing 0x20 lower-cases letters and keeps digits.
            hash = hash_step(hash, u32::from(b[i] | 0x20));
            i += 1;
        } else if class & NON_ASCII == 0 {
            break;
        } else {
            match char_at(text, i) {
                (c, len) if is_word_char(c) => {
                    rest |= NON_ASCII;
                    i += len;
                }
                _ => break,
            }
        }
    }
    Run { end: i, rest, hash, before_last }
}

/// Characters after which a capital letter says nothing: full stops, line breaks, and
/// emoji or other symbols, which in posts often stand where a full stop would.
fn ends_sentence(c: char) -> bool {
    match c {
        '.' | '!' | '?' | '…' | '\n' | '\r' | '•' | '|' => true,
        _ => !c.is_ascii() && !c.is_whitespace() && !is_quote(c) && !matches!(c, '–' | '—' | '·'),
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '\'' | '"' | '‘' | '’' | '“' | '”' | '«' | '»' | '„')
}

fn make_token(
    text: &str,
    start: usize,
    end: usize,
    boundary: bool,
    first_upper: bool,
    rest: u8,
    (hash, stem): (u64, Option<u64>),
) -> Token {
    let word = &text[start..end];
    let mut flags = if !first_upper {
        0
    } else if rest & NON_ASCII != 0 {
        case_flags(word)
    } else if rest & UPPER != 0 && rest & LOWER == 0 {
        ALL_CAPS
    } else {
        TITLECASE
    };
    if boundary {
        flags |= SENTENCE_START;
    }
    if text.as_bytes().get(end) == Some(&b'.') {
        flags |= DOT_AFTER;
    }
    Token {
        start,
        end,
        hash,
        stem,
        flags,
        class: super::lists::word_class(word),
    }
}

/// Title case or all caps of a word with letters outside ASCII.
fn case_flags(word: &str) -> u8 {
    let mut chars = word.chars();
    let first = chars.next().is_some_and(char::is_uppercase);
    let (rest_upper, rest_lower) = (
        chars.clone().any(char::is_uppercase),
        chars.any(char::is_lowercase),
    );
    match (first, rest_upper && !rest_lower) {
        (false, _) => 0,
        (true, true) => ALL_CAPS,
        (true, false) => TITLECASE,
    }
}

/// What lies between two tokens may join the parts of one name: a few spaces, hyphens,
/// full stops or apostrophes ("J. de Vries", "Visser-de Jong", "in 't Veld").
pub(crate) fn joins_name(gap: &str) -> bool {
    !gap.is_empty()
        && gap.len() <= 4
        && gap
            .chars()
            .all(|c| matches!(c, ' ' | '\u{a0}' | '-' | '.' | '\'' | '’'))
}

/// Only spaces between two tokens (a name followed by its surname, not a new clause).
pub(crate) fn only_spaces(gap: &str) -> bool {
    !gap.is_empty() && gap.len() <= 3 && gap.chars().all(|c| c == ' ' || c == '\u{a0}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stem_hashes() {
        for word in ["Daans", "SANNES", "Zoës", "Jos", "Eva", "s", "Ünals"] {
            let stem = strip_possessive_s(word);
            assert_eq!(fold_hashes(word), (fold_hash(word), stem.map(fold_hash)), "{word}");
        }
    }

    #[test]
    fn possessive() {
        assert_eq!(strip_possessive_s("Daans"), Some("Daan"));
        assert_eq!(strip_possessive_s("Jos"), None);
        assert_eq!(strip_possessive_s("s"), None);
    }

    #[test]
    fn token_hashes() {
        let text = "Daans 3s abs JOS Sannes Zoës Ünals x1s Jo's ĳs Ab.";
        let mut t = Vec::new();
        tokenize(text, &mut t);
        for k in &t {
            assert_eq!((k.hash, k.stem), fold_hashes(k.str(text)), "{}", k.str(text));
        }
    }

    #[test]
    fn sentence_starts() {
        let mut t = Vec::new();
        tokenize("Wij zijn blij. Roos komt 🎉 Mark ook", &mut t);
        let starts: Vec<bool> = t.iter().map(|t| t.is(SENTENCE_START)).collect();
        assert_eq!(starts, [true, false, false, true, false, true, false]);
    }
}
