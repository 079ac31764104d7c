//! Keyword lists matched on the original text (confidential matters, statements).
//!
//! One Aho–Corasick automaton, ASCII case-insensitive, over all spellings of a word
//! list ([`super::lexicon`] format). Matches must sit on word boundaries; an entry
//! ending in `*` may continue into a longer word ("ziekenhuis*" → "ziekenhuisopname"),
//! one starting with `*` may be the end of a longer word. An entry written in capitals
//! only (`ADD`, `OPP`) matches only in capitals.

use aho_corasick::{AhoCorasick, MatchKind};

use super::lexicon;

#[derive(Debug, Clone, Copy)]
struct Pat<K> {
    kind: K,
    open_start: bool,
    open_end: bool,
    case_sensitive: bool,
}

pub(crate) struct Keywords<K> {
    ac: AhoCorasick,
    pats: Vec<Pat<K>>,
    strings: Vec<String>,
}

/// One keyword match: kind, byte range in the original text (widened to the whole word
/// for open entries), and the matched entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KwMatch<'a, K> {
    pub kind: K,
    pub start: usize,
    pub end: usize,
    pub entry: &'a str,
}

impl<K: Copy + PartialEq> Keywords<K> {
    /// Builds from a word list; `kind_of` maps a section name to a kind (or `None` to skip).
    pub fn build(src: &'static str, kind_of: impl Fn(&str) -> Option<K>) -> Self {
        let mut pats = Vec::new();
        let mut strings = Vec::new();
        for e in lexicon::parse(src) {
            let Some(kind) = kind_of(e.section) else { continue };
            for f in &e.forms {
                let open_start = f.starts_with('*');
                let open_end = f.ends_with('*');
                let word = f.trim_matches('*').trim();
                if word.is_empty() {
                    continue;
                }
                let case_sensitive =
                    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase);
                let text = if case_sensitive { word.to_string() } else { word.to_lowercase() };
                strings.push(text);
                pats.push(Pat { kind, open_start, open_end, case_sensitive });
            }
        }
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&strings)
            .expect("keyword list forms a valid automaton");
        Keywords { ac, pats, strings }
    }

    /// All matches on word boundaries; of matches of one kind that overlap, only the
    /// longest (then first) is kept. Sorted by start.
    pub fn find<'s>(&'s self, text: &str, out: &mut Vec<KwMatch<'s, K>>) {
        out.clear();
        let bytes = text.as_bytes();
        for m in self.ac.find_overlapping_iter(text) {
            let p = self.pats[m.pattern().as_usize()];
            let (mut s, mut e) = (m.start(), m.end());
            if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
                continue;
            }
            let entry = &self.strings[m.pattern().as_usize()];
            if p.case_sensitive && &text[s..e] != entry {
                continue;
            }
            let before_ok = !word_char_before(text, s);
            let after_ok = !word_char_after(text, e);
            if !(before_ok || p.open_start) || !(after_ok || p.open_end) {
                continue;
            }
            if p.open_start {
                while s > 0 && word_char_before(text, s) {
                    s = prev_boundary(text, s);
                }
            }
            if p.open_end {
                while e < bytes.len() && word_char_after(text, e) {
                    e = next_boundary(text, e);
                }
            }
            out.push(KwMatch { kind: p.kind, start: s, end: e, entry });
        }
        out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        // drop matches of the same kind inside (or overlapping) an earlier, longer one
        let mut w = 0;
        for i in 0..out.len() {
            let m = out[i];
            if out[..w].iter().any(|k| k.kind == m.kind && k.start <= m.start && m.start < k.end) {
                continue;
            }
            out[w] = m;
            w += 1;
        }
        out.truncate(w);
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn word_char_before(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(|c| is_word_char(c) || c == '\'' && i >= 2 && text[..i - 1].chars().next_back().is_some_and(char::is_alphabetic))
}

fn word_char_after(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_some_and(is_word_char)
}

fn prev_boundary(text: &str, i: usize) -> usize {
    text[..i].char_indices().next_back().map_or(0, |(k, _)| k)
}

fn next_boundary(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(text.len(), |c| i + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_and_open_ends() {
        let k = Keywords::build("[a]\nziekenhuis*\nADD\nziek\n[b]\nop school\n", |s| match s {
            "a" => Some(1),
            "b" => Some(2),
            _ => None,
        });
        let mut out = Vec::new();
        let t = "Hij ligt in de ZIEKENHUISopname, add me. ADD! Ziekte. Op school.";
        k.find(t, &mut out);
        let got: Vec<(u8, &str)> = out.iter().map(|m| (m.kind, &t[m.start..m.end])).collect();
        assert_eq!(got, vec![(1, "ZIEKENHUISopname"), (1, "ADD"), (2, "Op school")]);
    }
}
