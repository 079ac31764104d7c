//! The abuse word lists (`data/abuse/*.txt`) compiled into one automaton.
//!
//! Every list section is a category bit ([`cat`]). One Aho–Corasick automaton holds
//! every spelling of every entry, plus generated variants:
//!
//! * typo variants of content words (one letter dropped inside the word, or two
//!   neighbouring letters swapped: "vrowen", "afavl"), valid only as a whole word;
//! * collapsed-double variants ("loser" for "looser"), valid only where the
//!   normaliser collapsed a run of letters;
//! * phrases with one space removed ("doodaan"), valid only as a whole word (so only
//!   those with no space left: a three-word phrase less one space is never one word).

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::normalize::{fold_pattern, lexicon};

/// Category bits, one per list section.
pub(crate) mod cat {
    pub const INSULT: u64 = 1 << 0;
    pub const INSULT_ADJ: u64 = 1 << 1;
    pub const INSULT_CTX: u64 = 1 << 2;
    pub const INSULT_PRED: u64 = 1 << 3;
    pub const SLUR: u64 = 1 << 4;
    pub const SLUR_ADJ: u64 = 1 << 5;
    pub const SLUR_CTX: u64 = 1 << 6;
    pub const DPREFIX: u64 = 1 << 7;
    pub const KUTPREFIX: u64 = 1 << 8;
    pub const PERSON: u64 = 1 << 9;
    pub const CURSE: u64 = 1 << 10;
    pub const CURSE_WISH: u64 = 1 << 11;
    pub const GROUP: u64 = 1 << 12;
    pub const EMOTE: u64 = 1 << 13;
    pub const ATTR: u64 = 1 << 14;
    pub const HARM: u64 = 1 << 15;
    pub const PROFANE: u64 = 1 << 16;
    pub const POS: u64 = 1 << 17;
    pub const NEGATOR: u64 = 1 << 18;
    pub const NEUTRAL: u64 = 1 << 19;
    pub const ANTIHATE: u64 = 1 << 20;
    pub const THREAT: u64 = 1 << 21;
    pub const THREAT_END: u64 = 1 << 22;
    pub const TVERB: u64 = 1 << 23;
    pub const TSTEM: u64 = 1 << 24;
    pub const TPART: u64 = 1 << 25;
    pub const TPART_ADJ: u64 = 1 << 26;
    pub const DEATHWISH: u64 = 1 << 27;
    pub const TARGET: u64 = 1 << 28;
    pub const SEXUAL: u64 = 1 << 29;
    pub const SEXREQ: u64 = 1 << 30;
    pub const SEXIMP: u64 = 1 << 31;
    pub const BODY: u64 = 1 << 32;
    pub const MEDIA: u64 = 1 << 33;
    pub const SHARE: u64 = 1 << 34;
    pub const PRESSURE: u64 = 1 << 35;
    pub const BULLY: u64 = 1 << 36;
    pub const INCITE: u64 = 1 << 37;
    pub const INCITE_NEG: u64 = 1 << 38;
    pub const EXCLUDE: u64 = 1 << 39;
    pub const SOCIAL: u64 = 1 << 40;
    pub const COUNTER: u64 = 1 << 41;
    pub const SPEECH: u64 = 1 << 42;
    pub const SPEECH_BACK: u64 = 1 << 43;
    pub const CONDEMN: u64 = 1 << 44;

    /// Categories whose words also match with one typo, as a whole word.
    pub const FUZZY: u64 = INSULT
        | INSULT_ADJ
        | INSULT_CTX
        | CURSE
        | CURSE_WISH
        | SLUR
        | SLUR_ADJ
        | GROUP
        | EMOTE
        | ATTR
        | HARM
        | PROFANE
        | TVERB
        | DPREFIX;
    /// Categories that may be found inside a longer word (compounds, words written
    /// together); function words (speech, requests, incitement) may not.
    pub const SEGMENTABLE: u64 = INSULT
        | INSULT_ADJ
        | INSULT_CTX
        | SLUR
        | SLUR_ADJ
        | SLUR_CTX
        | DPREFIX
        | KUTPREFIX
        | PERSON
        | GROUP
        | EMOTE
        | ATTR
        | HARM
        | PROFANE
        | TVERB;
    /// Categories whose words are tried against masked tokens ("k*t", "k*nkerlijer").
    pub const MASKABLE: u64 =
        INSULT | INSULT_ADJ | INSULT_CTX | SLUR | SLUR_ADJ | SLUR_CTX | DPREFIX | KUTPREFIX | PERSON | GROUP;
}

const SOURCES: &[(&str, &str)] = &[
    ("insults.txt", include_str!("../../data/abuse/insults.txt")),
    ("slurs.txt", include_str!("../../data/abuse/slurs.txt")),
    ("disease.txt", include_str!("../../data/abuse/disease.txt")),
    ("groups.txt", include_str!("../../data/abuse/groups.txt")),
    ("derogation.txt", include_str!("../../data/abuse/derogation.txt")),
    ("threats.txt", include_str!("../../data/abuse/threats.txt")),
    ("sexual.txt", include_str!("../../data/abuse/sexual.txt")),
    ("bullying.txt", include_str!("../../data/abuse/bullying.txt")),
    ("context.txt", include_str!("../../data/abuse/context.txt")),
    ("exceptions.txt", include_str!("../../data/abuse/exceptions.txt")),
];

pub(crate) fn section_cat(section: &str) -> Option<u64> {
    use cat::*;
    Some(match section {
        "insult" => INSULT,
        "insult-adjectival" => INSULT_ADJ,
        "insult-context" => INSULT_CTX,
        "insult-predicate" => INSULT_PRED,
        "slur" => SLUR,
        "slur-adjectival" => SLUR_ADJ,
        "slur-context" => SLUR_CTX,
        "prefix" => DPREFIX,
        "kut-prefix" => KUTPREFIX,
        "person" => PERSON,
        "curse" => CURSE,
        "curse-wish" => CURSE_WISH,
        "group" => GROUP,
        "emotion" => EMOTE,
        "attribute" => ATTR,
        "harm" => HARM,
        "profanity" => PROFANE,
        "positive" => POS,
        "negator" => NEGATOR,
        "neutral" => NEUTRAL,
        "anti-hate" => ANTIHATE,
        "threat" => THREAT,
        "threat-at-end" => THREAT_END,
        "harm-verb" => TVERB,
        "harm-stem" => TSTEM,
        "harm-particle" => TPART,
        "harm-particle-adjacent" => TPART_ADJ,
        "death-wish" => DEATHWISH,
        "target" => TARGET,
        "sexual" => SEXUAL,
        "request" => SEXREQ,
        "request-imperative" => SEXIMP,
        "body" => BODY,
        "media" => MEDIA,
        "share" => SHARE,
        "pressure" => PRESSURE,
        "bullying" => BULLY,
        "incite" => INCITE,
        "incite-negative" => INCITE_NEG,
        "exclude" => EXCLUDE,
        "social" => SOCIAL,
        "counter" => COUNTER,
        "speech" => SPEECH,
        "speech-before" => SPEECH_BACK,
        "condemn" => CONDEMN,
        _ => return None,
    })
}

/// Keyword lists matched in the same automaton (see `confidential.rs`, `statements.rs`):
/// the sections of each list, in the order of their keyword bits.
pub(crate) const CONFIDENTIAL_SECTIONS: [&str; 7] =
    ["health", "care", "family", "discipline", "marks", "investigation", "marked"];
pub(crate) const STATEMENT_SECTIONS: [&str; 10] = [
    "opinion-notice",
    "personal-title",
    "on-behalf",
    "official-distance",
    "third-party",
    "employee",
    "opinion",
    "school-conversation",
    "education-topic",
    "school-mention",
];
/// Bit of the first statement section in [`Pat::kw`].
pub(crate) const STATEMENT_BIT0: u32 = CONFIDENTIAL_SECTIONS.len() as u32;

const KEYWORD_SOURCES: &[(&str, &[&str], u32)] = &[
    (include_str!("../../data/confidential.txt"), &CONFIDENTIAL_SECTIONS, 0),
    (include_str!("../../data/statements.txt"), &STATEMENT_SECTIONS, STATEMENT_BIT0),
];

/// What one automaton pattern stands for.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Pat {
    /// Categories of entries spelled exactly like this.
    pub exact: u64,
    /// Categories for which this is a one-typo variant (whole word only).
    pub fuzzy: u64,
    /// Categories for which this is a collapsed-double variant (needs a collapsed run).
    pub collapse: u64,
    /// Categories for which this is a phrase with a space removed (whole word only).
    pub nospace: u64,
    /// Keyword kinds (bit per section of [`CONFIDENTIAL_SECTIONS`], then
    /// [`STATEMENT_SECTIONS`]).
    pub kw: u32,
    /// Keyword kinds for which the entry may start inside a word (`*entry`).
    pub kw_open_start: u32,
    /// Keyword kinds for which the entry may continue into a longer word (`entry*`).
    pub kw_open_end: u32,
    /// Keyword kinds for which the entry counts only in capitals (`ADD`).
    pub kw_caps: u32,
}

pub(crate) struct Lex {
    /// The automaton every text is searched with first: quick to build.
    nfa: AhoCorasick,
    /// The same automaton as a DFA, filled in by a background thread (see [`LEX`]).
    dfa: OnceLock<AhoCorasick>,
    pub pats: Vec<Pat>,
    pub strings: Vec<String>,
    /// Sorted glue words (see context.txt).
    pub glue: Vec<String>,
    /// Sorted words never split into glue + word.
    pub split_exceptions: Vec<String>,
    /// Single-word exact entries tried against masked tokens, by length.
    pub maskable: Vec<Vec<(Vec<u8>, u64)>>,
    /// The prefixes among them ("kanker", "kut").
    pub mask_prefixes: Vec<(Vec<u8>, u64)>,
}

impl Lex {
    /// The automaton over all spellings, overlapping matches in [`MatchKind::Standard`]:
    /// the DFA once it is built, the NFA until then. Both report the same matches in the
    /// same order (a test holds them to it), so which one answers never shows.
    pub fn automaton(&self) -> &AhoCorasick {
        self.dfa.get().unwrap_or(&self.nfa)
    }

    #[cfg(test)]
    pub fn is_glue(&self, w: &[u8]) -> bool {
        self.glue.binary_search_by(|g| g.as_bytes().cmp(w)).is_ok()
    }
    pub fn is_split_exception(&self, w: &[u8]) -> bool {
        self.split_exceptions.binary_search_by(|g| g.as_bytes().cmp(w)).is_ok()
    }
}

/// The word lists, built at first use. A contiguous NFA (built in a few ms) serves at
/// once, so a cold `magdit check` stays fast; a DFA, which searches a text faster but
/// takes ~0.1 s and ~17 MB to build (BENCHMARKS.md), is made on a background thread and
/// takes over when ready, for the long runs (`check --jsonl`, the service). Where no
/// thread can be started the NFA serves throughout.
pub(crate) static LEX: LazyLock<Lex> = LazyLock::new(|| {
    let lex = build();
    let _ = std::thread::Builder::new().name("magdit-lexicon-dfa".into()).spawn(|| {
        let lex = &*LEX;
        // Only this thread sets it, once.
        let _ = lex.dfa.set(automaton(&lex.strings, AhoCorasickKind::DFA));
    });
    lex
});

fn automaton(strings: &[String], kind: AhoCorasickKind) -> AhoCorasick {
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(strings)
        .expect("word lists form a valid automaton")
}

fn is_word(p: &str) -> bool {
    p.bytes().all(|b| b.is_ascii_lowercase())
}

fn build() -> Lex {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut pats: Vec<Pat> = Vec::new();
    let mut strings: Vec<String> = Vec::new();
    let mut glue = Vec::new();
    let mut fuzzy_exceptions = Vec::new();
    let mut split_exceptions = Vec::new();

    let mut slot = |s: &str, index: &mut HashMap<String, usize>, pats: &mut Vec<Pat>| -> usize {
        if let Some(&i) = index.get(s) {
            return i;
        }
        let i = pats.len();
        pats.push(Pat::default());
        strings.push(s.to_string());
        index.insert(s.to_string(), i);
        i
    };

    // Pass 1: exact spellings.
    let mut fuzzy_src: Vec<(String, u64)> = Vec::new();
    let mut phrase_src: Vec<(String, u64)> = Vec::new();
    for (_, src) in SOURCES {
        for e in lexicon::parse(src) {
            let target: Option<&mut Vec<String>> = match e.section {
                "glue" => Some(&mut glue),
                "fuzzy-exceptions" => Some(&mut fuzzy_exceptions),
                "split-exceptions" => Some(&mut split_exceptions),
                _ => None,
            };
            if let Some(t) = target {
                t.extend(e.forms.iter().map(|f| fold_pattern(f)));
                continue;
            }
            let Some(c) = section_cat(e.section) else { continue };
            for f in &e.forms {
                let p = fold_pattern(f);
                if p.is_empty() {
                    continue;
                }
                let i = slot(&p, &mut index, &mut pats);
                pats[i].exact |= c;
                if c & cat::FUZZY != 0 && is_word(&p) && p.len() >= 4 {
                    fuzzy_src.push((p.clone(), c & cat::FUZZY));
                }
                if p.contains(' ') && p.split(' ').count() <= 3 {
                    phrase_src.push((p.clone(), c));
                }
            }
        }
    }
    fuzzy_exceptions.sort();
    split_exceptions.sort();
    glue.sort();

    // Pass 2: variants.
    let exact: Vec<String> = index.keys().cloned().collect();
    let exact_set: std::collections::HashSet<String> = exact.iter().cloned().collect();
    let mut add = |s: String, c: u64, which: u8, index: &mut HashMap<String, usize>, pats: &mut Vec<Pat>| {
        let i = slot(&s, index, pats);
        match which {
            0 => pats[i].fuzzy |= c,
            1 => pats[i].collapse |= c,
            _ => pats[i].nospace |= c,
        }
    };
    for (p, c) in &fuzzy_src {
        for v in typo_variants(p) {
            if v.len() >= 3 && !exact_set.contains(&v) && fuzzy_exceptions.binary_search(&v).is_err() {
                add(v, *c, 0, &mut index, &mut pats);
            }
        }
    }
    // No typo variants of whole phrases: they multiply the automaton (and the start-up
    // time past 50 ms) for a small gain in recall.
    for p in &exact {
        let c = pats[index[p]].exact & (cat::FUZZY | cat::SEGMENTABLE);
        if c == 0 || !is_word(p) {
            continue;
        }
        for v in collapse_variants(p) {
            if v.len() >= 3 {
                add(v, c, 1, &mut index, &mut pats);
            }
        }
    }
    for (p, c) in &phrase_src {
        for (k, _) in p.match_indices(' ') {
            let v = format!("{}{}", &p[..k], &p[k + 1..]);
            if !exact_set.contains(&v) && !v.contains(' ') {
                add(v, *c, 2, &mut index, &mut pats);
            }
        }
    }

    // Keyword lists (confidential matters, statements): exact spellings only.
    for (src, sections, bit0) in KEYWORD_SOURCES {
        for e in lexicon::parse(src) {
            let Some(k) = sections.iter().position(|s| *s == e.section) else { continue };
            let bit = 1u32 << (bit0 + k as u32);
            for f in &e.forms {
                let open_start = f.starts_with('*');
                let open_end = f.ends_with('*');
                let word = f.trim_matches('*').trim();
                let caps = word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase);
                let p = fold_pattern(word);
                if p.is_empty() {
                    continue;
                }
                let i = slot(&p, &mut index, &mut pats);
                pats[i].kw |= bit;
                if open_start {
                    pats[i].kw_open_start |= bit;
                }
                if open_end {
                    pats[i].kw_open_end |= bit;
                }
                if caps {
                    pats[i].kw_caps |= bit;
                }
            }
        }
    }

    let mut maskable: Vec<Vec<(Vec<u8>, u64)>> = Vec::new();
    let mut mask_prefixes = Vec::new();
    for (s, p) in strings.iter().zip(&pats) {
        if p.exact & cat::MASKABLE != 0 && is_word(s) {
            if maskable.len() <= s.len() {
                maskable.resize(s.len() + 1, Vec::new());
            }
            maskable[s.len()].push((s.as_bytes().to_vec(), p.exact));
            if p.exact & (cat::DPREFIX | cat::KUTPREFIX) != 0 {
                mask_prefixes.push((s.as_bytes().to_vec(), p.exact));
            }
        }
    }

    let nfa = automaton(&strings, AhoCorasickKind::ContiguousNFA);
    Lex { nfa, dfa: OnceLock::new(), pats, strings, glue, split_exceptions, maskable, mask_prefixes }
}

/// One letter dropped inside the word, or two neighbouring letters swapped.
pub(crate) fn typo_variants(p: &str) -> Vec<String> {
    let b = p.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    for i in 1..n.saturating_sub(1) {
        if b[i] == b[i - 1] {
            continue; // dropping one of a double letter is a collapse, not a typo
        }
        let mut v = b.to_vec();
        v.remove(i);
        out.push(String::from_utf8(v).unwrap_or_default());
    }
    for i in 0..n.saturating_sub(1) {
        if b[i] == b[i + 1] {
            continue;
        }
        let mut v = b.to_vec();
        v.swap(i, i + 1);
        out.push(String::from_utf8(v).unwrap_or_default());
    }
    out.sort();
    out.dedup();
    out.retain(|v| v != p);
    out
}

/// Every way of writing some of the double letters of `p` as one ("klootzak" → "klotzak").
pub(crate) fn collapse_variants(p: &str) -> Vec<String> {
    let b = p.as_bytes();
    let doubles: Vec<usize> =
        (0..b.len().saturating_sub(1)).filter(|&i| b[i].is_ascii_lowercase() && b[i] == b[i + 1]).collect();
    if doubles.is_empty() || doubles.len() > 3 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for mask in 1u32..(1 << doubles.len()) {
        let mut v = Vec::with_capacity(b.len());
        for (i, &ch) in b.iter().enumerate() {
            let drop = doubles.iter().enumerate().any(|(k, &d)| mask & (1 << k) != 0 && i == d + 1);
            if !drop {
                v.push(ch);
            }
        }
        out.push(String::from_utf8(v).unwrap_or_default());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_is_known() {
        for (file, src) in SOURCES {
            for e in lexicon::parse(src) {
                assert!(
                    section_cat(e.section).is_some()
                        || matches!(e.section, "glue" | "fuzzy-exceptions" | "split-exceptions"),
                    "{file}:{}: unknown section [{}]",
                    e.line,
                    e.section
                );
                for f in &e.forms {
                    let p = fold_pattern(f);
                    assert!(
                        p.bytes().all(|b| b.is_ascii_lowercase() || b == b' ' || b == b'\'' || b == b'-' || b.is_ascii_digit() || b == b'+'),
                        "{file}:{}: odd character in {p:?}",
                        e.line
                    );
                }
            }
        }
    }

    #[test]
    fn variants() {
        assert!(typo_variants("vrouwen").contains(&"vrowen".to_string()));
        assert!(typo_variants("afval").contains(&"afavl".to_string()));
        assert!(typo_variants("dood").contains(&"odod".to_string()));
        assert_eq!(collapse_variants("looser"), vec!["loser"]);
        assert_eq!(collapse_variants("klootzakken").len(), 3);
    }

    /// The DFA that takes over from the NFA must find exactly what the NFA finds, in the
    /// same order, or a verdict would depend on how long the process has run.
    #[test]
    fn dfa_finds_what_the_nfa_finds() {
        let l = &*LEX;
        let dfa = automaton(&l.strings, AhoCorasickKind::DFA);
        let mut texts: Vec<String> = vec![
            "jij bent echt een kankerlijer, ik sla je in elkaar als je dat nog eens zegt".into(),
            "k a n k e r  loooser  k^t  tyfushoer, stuur een naaktfoto of ik zet hem online".into(),
            "Het rapportgesprek over zijn ADHD en de schorsing is vertrouwelijk; niet doorvertellen!".into(),
        ];
        // Every spelling on its own and all of them run together, so each state is visited.
        texts.push(l.strings.join(" "));
        texts.push(l.strings.concat());
        for t in &texts {
            let found = |ac: &AhoCorasick| ac.find_overlapping_iter(t.as_bytes()).map(|m| (m.start(), m.end(), m.pattern())).collect::<Vec<_>>();
            assert_eq!(found(&l.nfa), found(&dfa), "on {:?}", &t[..t.len().min(80)]);
        }
    }

    #[test]
    fn builds() {
        let l = &*LEX;
        assert!(l.pats.len() > 1000);
        assert!(l.is_glue(b"een"));
    }
}
