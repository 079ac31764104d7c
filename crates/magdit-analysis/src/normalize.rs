//! Text normalisation shared by the analysers (case folding, leetspeak, spacing).
//!
//! [`Norm`] is a normalised, pure-ASCII view of a text with a map back to the byte
//! offsets of the original. It is what the abuse matcher runs its automaton over:
//!
//! * lowercase, accents folded (`é` → `e`, `ĳ` → `ij`), curly quotes made straight,
//!   whitespace runs made one space (a newline stays a newline);
//! * leetspeak inside words: `0→o 1→i 3→e 4→a 5→s 7→t @→a $→s €→e`, only in a run that
//!   has two letters or more, so "groep 8", "3B" and "een 3 voor" stay as they are;
//! * masked letters (`*`, `#`, `_` after a letter) become the wildcard `^` ("k*t");
//! * single letters separated by one space, dot or dash are joined when three or more
//!   follow each other ("k a n k e r", "k.u.t");
//! * runs of three or more identical letters collapse to one ("loooser", "kankerrrr").
//!
//! Every byte of the view remembers which source character it came from and what was
//! done to it ([`F_LEET`], [`F_MASK`], [`F_JOIN`], [`F_COLLAPSE`], [`F_FOLD`]).

pub(crate) mod keywords;
pub(crate) mod lexicon;

use crate::Span;

/// The byte came from a leetspeak digit or symbol.
pub(crate) const F_LEET: u8 = 1;
/// The byte is a wildcard [`WILD`] for a masked letter.
pub(crate) const F_MASK: u8 = 2;
/// The byte is a single letter joined to its neighbours ("k a n k e r").
pub(crate) const F_JOIN: u8 = 4;
/// The byte stands for a run of three or more identical letters.
pub(crate) const F_COLLAPSE: u8 = 8;
/// The byte came from a folded non-ASCII letter (`ë`, `é`).
pub(crate) const F_FOLD: u8 = 16;

/// Internal marker for `€` before it is known whether it is leetspeak.
const EURO: u8 = 0x01;
/// The wildcard byte standing for a masked letter ("k*t" → "k^t"); a `^` in the
/// source becomes a space.
pub(crate) const WILD: u8 = b'^';

/// A normalised view of a text. Reusable: [`Norm::build`] clears and refills it.
#[derive(Default, Debug)]
pub(crate) struct Norm {
    /// Pure ASCII: `a-z`, digits, `^` (wildcard), `~` (some other letter), `'`, `"`,
    /// `' '`, `'\n'` and ASCII punctuation.
    pub text: Vec<u8>,
    /// For each byte of `text`: the start of its source character in the original.
    start: Vec<u32>,
    /// For each byte of `text`: the end of its (last) source character in the original.
    end: Vec<u32>,
    /// For each byte of `text`: `F_*` flags.
    pub flags: Vec<u8>,
}

#[inline]
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == WILD || b == b'~'
}

/// Folds one lowercase character to ASCII, if it is a Latin letter with a diacritic.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => "a",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' => "e",
        'í' | 'ì' | 'î' | 'ï' | 'ī' => "i",
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => "o",
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => "u",
        'ý' | 'ÿ' => "y",
        'ç' | 'č' | 'ć' => "c",
        'ñ' | 'ń' => "n",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ß' => "ss",
        'ĳ' => "ij",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

/// Maps a non-ASCII character that is not a letter to an ASCII stand-in.
fn punct(c: char) -> u8 {
    match c {
        '‘' | '’' | '‚' | '′' | '`' | '´' => b'\'',
        '“' | '”' | '„' | '«' | '»' | '″' | '‟' => b'"',
        '–' | '—' | '‐' | '‑' | '‒' | '−' => b'-',
        '…' => b'.',
        '€' => EURO,
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => b' ',
        '\u{2028}' | '\u{2029}' | '\u{85}' => b'\n',
        '¿' => b'?',
        '¡' => b'!',
        _ => b' ',
    }
}

impl Norm {
    /// Normalises `src` into `self` (clearing what was there).
    pub fn build(&mut self, src: &str) {
        self.text.clear();
        self.start.clear();
        self.end.clear();
        self.flags.clear();
        self.text.reserve(src.len());
        self.start.reserve(src.len());
        self.end.reserve(src.len());
        self.flags.reserve(src.len());
        self.pass_chars(src);
        self.pass_leet_mask();
        self.pass_join_spaced();
        self.pass_collapse();
    }

    #[inline]
    fn push(&mut self, b: u8, s: usize, e: usize, f: u8) {
        self.text.push(b);
        self.start.push(s as u32);
        self.end.push(e as u32);
        self.flags.push(f);
    }

    /// Pass 1: characters to ASCII, whitespace runs to one space.
    fn pass_chars(&mut self, src: &str) {
        for (i, c) in src.char_indices() {
            let e = i + c.len_utf8();
            if c.is_ascii() {
                let b = c as u8;
                match b {
                    b'\n' => {
                        if self.text.last() == Some(&b' ') {
                            *self.text.last_mut().unwrap() = b'\n';
                        } else if self.text.last() != Some(&b'\n') {
                            self.push(b'\n', i, e, 0);
                        }
                    }
                    b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                        if !matches!(self.text.last(), Some(b' ' | b'\n')) {
                            self.push(b' ', i, e, 0);
                        }
                    }
                    0..=0x1f | 0x7f => {
                        if !matches!(self.text.last(), Some(b' ' | b'\n')) {
                            self.push(b' ', i, e, 0);
                        }
                    }
                    b'^' => self.push(b' ', i, e, 0), // `^` is reserved for the wildcard
                    _ => self.push(b.to_ascii_lowercase(), i, e, 0),
                }
                continue;
            }
            let mut pushed = false;
            for lc in c.to_lowercase() {
                if let Some(f) = fold(lc) {
                    for b in f.bytes() {
                        self.push(b, i, e, F_FOLD);
                    }
                } else if lc.is_ascii() {
                    self.push(lc as u8, i, e, 0);
                } else if lc.is_alphanumeric() {
                    self.push(b'~', i, e, 0);
                } else {
                    let b = punct(lc);
                    if b == b' ' || b == b'\n' {
                        if b == b'\n' && self.text.last() == Some(&b' ') {
                            *self.text.last_mut().unwrap() = b'\n';
                        } else if !matches!(self.text.last(), Some(b' ' | b'\n')) {
                            self.push(b, i, e, 0);
                        }
                    } else {
                        self.push(b, i, e, 0);
                    }
                }
                pushed = true;
            }
            debug_assert!(pushed);
        }
    }

    /// Pass 2: leetspeak and masked letters, decided per run of non-space bytes.
    fn pass_leet_mask(&mut self) {
        let n = self.text.len();
        let mut i = 0;
        while i < n {
            if !is_run_byte(self.text[i]) {
                i += 1;
                continue;
            }
            let s = i;
            while i < n && is_run_byte(self.text[i]) {
                i += 1;
            }
            let run = s..i;
            let letters = self.text[run.clone()].iter().filter(|b| b.is_ascii_lowercase()).count();
            let leet_ok = letters >= 2
                || (letters == 1 && {
                    // a digit between two letters-or-leet ("h4t") — one letter is enough
                    let t = &self.text[run.clone()];
                    t.len() >= 3 && t.first().is_some_and(|b| b.is_ascii_lowercase())
                });
            for j in run.clone() {
                let b = self.text[j];
                let prev_letter = j > s && (self.text[j - 1].is_ascii_lowercase() || self.text[j - 1] == WILD);
                match b {
                    b'0' | b'1' | b'3' | b'4' | b'5' | b'7' | b'@' | b'$' | EURO if leet_ok => {
                        self.text[j] = match b {
                            b'0' => b'o',
                            b'1' => b'i',
                            b'3' | EURO => b'e',
                            b'4' | b'@' => b'a',
                            b'5' | b'$' => b's',
                            _ => b't',
                        };
                        self.flags[j] |= F_LEET;
                    }
                    b'*' | b'#' | b'_'
                        if prev_letter
                            && self.text.get(j + 1).is_some_and(|&nb| {
                                nb.is_ascii_lowercase() || matches!(nb, b'*' | b'#' | b'_')
                            }) =>
                    {
                        self.text[j] = WILD;
                        self.flags[j] |= F_MASK;
                    }
                    EURO => self.text[j] = b' ',
                    _ => {}
                }
            }
        }
    }

    /// Pass 3: join three or more single letters separated by one space, dot or dash.
    fn pass_join_spaced(&mut self) {
        let n = self.text.len();
        if n < 5 {
            return;
        }
        let mut keep = vec![true; 0];
        let mut any = false;
        let mut i = 0;
        while i < n {
            // a single-letter token starts at i?
            if !self.single_letter_at(i) {
                i += 1;
                continue;
            }
            // extend the chain: letter sep letter sep letter ...
            let mut j = i;
            let mut count = 1;
            while j + 2 < n
                && matches!(self.text[j + 1], b' ' | b'.' | b'-')
                && self.single_letter_at(j + 2)
            {
                j += 2;
                count += 1;
            }
            if count >= 3 {
                if !any {
                    keep = vec![true; n];
                    any = true;
                }
                let mut k = i;
                while k < j {
                    keep[k + 1] = false;
                    self.flags[k] |= F_JOIN;
                    k += 2;
                }
                self.flags[j] |= F_JOIN;
            }
            i = j + 1;
        }
        if any {
            self.compact(|idx, _| keep[idx]);
        }
    }

    /// True when `text[i]` is a letter standing alone between non-word bytes.
    fn single_letter_at(&self, i: usize) -> bool {
        let b = self.text[i];
        (b.is_ascii_lowercase() || b == WILD)
            && (i == 0 || !is_word_byte(self.text[i - 1]) && self.text[i - 1] != b'\'')
            && self.text.get(i + 1).is_none_or(|&nb| !is_word_byte(nb) && nb != b'\'')
    }

    /// Pass 4: runs of three or more identical letters become one.
    fn pass_collapse(&mut self) {
        let n = self.text.len();
        let mut any = false;
        let mut i = 0;
        while i + 2 < n {
            let b = self.text[i];
            if b.is_ascii_lowercase() && self.text[i + 1] == b && self.text[i + 2] == b {
                let mut j = i + 3;
                while j < n && self.text[j] == b {
                    j += 1;
                }
                if self.flags[i..j].iter().all(|f| f & F_FOLD == 0) {
                    any = true;
                    break;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        if !any {
            return;
        }
        let mut keep = vec![true; n];
        let mut i = 0;
        while i + 2 < n {
            let b = self.text[i];
            if b.is_ascii_lowercase() && self.text[i + 1] == b && self.text[i + 2] == b {
                let mut j = i + 3;
                while j < n && self.text[j] == b {
                    j += 1;
                }
                if self.flags[i..j].iter().all(|f| f & F_FOLD == 0) {
                    self.flags[i] |= F_COLLAPSE;
                    self.end[i] = self.end[j - 1];
                    for k in keep.iter_mut().take(j).skip(i + 1) {
                        *k = false;
                    }
                }
                i = j;
            } else {
                i += 1;
            }
        }
        self.compact(|idx, _| keep[idx]);
    }

    fn compact(&mut self, mut keep: impl FnMut(usize, u8) -> bool) {
        let mut w = 0;
        for r in 0..self.text.len() {
            if keep(r, self.text[r]) {
                self.text[w] = self.text[r];
                self.start[w] = self.start[r];
                self.end[w] = self.end[r];
                self.flags[w] = self.flags[r];
                w += 1;
            }
        }
        self.text.truncate(w);
        self.start.truncate(w);
        self.end.truncate(w);
        self.flags.truncate(w);
    }

    /// The original byte span of the normalised byte range `[s, e)` (`s < e`).
    pub fn span(&self, s: usize, e: usize) -> Span {
        debug_assert!(s < e && e <= self.text.len());
        Span::new(self.start[s] as usize, self.end[e - 1] as usize)
    }

    /// The original byte offset where normalised byte `i` starts.
    pub fn orig_start(&self, i: usize) -> usize {
        self.start[i] as usize
    }

    /// Any of `flag` set on a byte of `[s, e)`.
    pub fn any_flag(&self, s: usize, e: usize, flag: u8) -> bool {
        self.flags[s..e].iter().any(|f| f & flag != 0)
    }

    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        // Only ASCII bytes are ever pushed.
        std::str::from_utf8(&self.text).unwrap_or("")
    }
}

/// Words of a text: maximal runs of letters and digits, as byte ranges.
pub(crate) fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut it = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = it.peek() {
            if c.is_alphanumeric() {
                break;
            }
            it.next();
        }
        let (s, c) = it.next()?;
        let mut e = s + c.len_utf8();
        while let Some(&(i, c)) = it.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            e = i + c.len_utf8();
            it.next();
        }
        Some((s, e))
    })
}

/// Bytes that belong to a run checked for leetspeak and masking.
#[inline]
fn is_run_byte(b: u8) -> bool {
    is_word_byte(b) || matches!(b, b'@' | b'$' | b'*' | b'#' | b'_' | EURO)
}

/// Folds a word-list entry the way [`Norm`] folds text (lowercase, accents, quotes,
/// whitespace) — without leetspeak, joining or collapsing.
pub(crate) fn fold_pattern(s: &str) -> String {
    let mut n = Norm::default();
    n.pass_chars(s);
    let t: Vec<u8> = n.text.iter().map(|&b| if b == EURO { b' ' } else { b }).collect();
    let s = String::from_utf8(t).unwrap_or_default();
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        let mut n = Norm::default();
        n.build(s);
        n.as_str().to_string()
    }

    #[test]
    fn basics() {
        assert_eq!(norm("Hé  Daan,\r\n  Wat  ÉÉN dag!"), "he daan,\nwat een dag!");
        assert_eq!(norm("k a n k e r lijer"), "kanker lijer");
        assert_eq!(norm("k.u.t"), "kut");
        assert_eq!(norm("kankerrrr loooser"), "kanker loser");
        assert_eq!(norm("h44t d00d t33f ku7"), "haat dood teef kut");
        assert_eq!(norm("groep 8 en 3B, een 3 voor"), "groep 8 en 3b, een 3 voor");
        assert_eq!(norm("k*t k*nker t#fus #sportdag *zucht*"), "k^t k^nker t^fus #sportdag *zucht*");
        assert_eq!(norm("“quote” ‘x’ zo’n"), "\"quote\" 'x' zo'n");
        assert_eq!(norm("Ideeën zeeën"), "ideeen zeeen");
        assert_eq!(norm("wat? ja ^^"), "wat? ja ");
        assert_eq!(norm(""), "");
        assert_eq!(norm("😀 sukkel 😀"), " sukkel ");
    }

    #[test]
    fn spans_map_back() {
        let src = "Jij k*nkerrr lijer, ë!";
        let mut n = Norm::default();
        n.build(src);
        let t = n.as_str();
        let p = t.find("k^nker").unwrap();
        let sp = n.span(p, p + 6);
        assert_eq!(&src[sp.start..sp.end], "k*nkerrr");
        let e = t.find('e').unwrap();
        let sp = n.span(e, e + 1);
        assert_eq!(&src[sp.start..sp.end], "ë");
    }
}
