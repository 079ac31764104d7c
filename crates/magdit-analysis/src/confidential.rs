//! Confidential matters: health, care, family, discipline, marks, investigations, and
//! text explicitly marked confidential (see [`ConfidentialKind`]).
//!
//! Word list: `data/confidential.txt` (plain text, readable by a privacy officer). Grades
//! written as numbers ("een 3 voor wiskunde", "een 5,5 gehaald") are recognised here.

use crate::abuse::{keyword_matches, lexicon::CONFIDENTIAL_SECTIONS};
use crate::normalize::words;
use crate::{Analysis, Confidential, ConfidentialKind, Span};

/// In the order of [`CONFIDENTIAL_SECTIONS`].
const KINDS: [ConfidentialKind; 7] = [
    ConfidentialKind::Health,
    ConfidentialKind::Care,
    ConfidentialKind::Family,
    ConfidentialKind::Discipline,
    ConfidentialKind::Marks,
    ConfidentialKind::Investigation,
    ConfidentialKind::Marked,
];

pub(crate) fn find(text: &str, out: &mut Analysis) {
    if text.is_empty() {
        return;
    }
    let first = out.confidential.len();
    keyword_matches(text, 0, CONFIDENTIAL_SECTIONS.len() as u32, |k, span, entry| {
        if keep(text, span, entry) {
            out.confidential.push(Confidential { kind: KINDS[k], span });
        }
    });
    grades(text, &mut out.confidential);
    out.confidential[first..].sort_by_key(|c| (c.span.start, c.span.end, c.kind as u8));
    out.confidential.dedup();
}

/// Guards against everyday uses of some words.
fn keep(text: &str, span: Span, entry: &str) -> bool {
    let next = next_word(text, span.end);
    let prev = prev_word(text, span.start);
    match entry {
        // "ziek goed", "ziek leuk": slang intensifier
        "ziek" => !next.is_some_and(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "goed" | "leuk" | "mooi" | "vet" | "gaaf" | "lekker" | "hard" | "grappig" | "cool" | "nice" | "chill" | "veel" | "mooie" | "leuke" | "vette" | "gave" | "lekkere"
            )
        }),
        // "krijg de kanker", "kanker op": a curse, not a diagnosis (abuse reports it)
        "kanker" => {
            let p = prev.map(str::to_lowercase);
            let n = next.map(str::to_lowercase);
            !(matches!(p.as_deref(), Some("krijg" | "jij" | "vuile" | "kk"))
                || matches!(n.as_deref(), Some("op" | "krijgen" | "krijgt" | "lijer" | "lijers" | "hoer" | "mongool" | "homo" | "jood" | "joden"))
                || p.as_deref() == Some("de") && prev_word(text, prev_start(text, span.start)).is_some_and(|w| w.eq_ignore_ascii_case("krijg")))
        }
        // "afval scheiden", "gescheiden afval"
        "scheiden" | "gescheiden" | "scheiding" => {
            let near = |w: Option<&str>| {
                w.is_some_and(|w| matches!(w.to_lowercase().as_str(), "afval" | "plastic" | "papier" | "glas" | "gft" | "vuilnis" | "restafval"))
            };
            !(near(prev) || near(next))
        }
        _ => true,
    }
}

fn next_word(text: &str, i: usize) -> Option<&str> {
    words(&text[i..]).next().map(|(s, e)| &text[i + s..i + e])
}

fn prev_word(text: &str, i: usize) -> Option<&str> {
    let before = &text[..i];
    let trimmed = before.trim_end_matches(|c: char| !c.is_alphanumeric());
    let start = trimmed.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |k| k + trimmed[k..].chars().next().map_or(1, char::len_utf8));
    (start < trimmed.len()).then(|| &trimmed[start..])
}

fn prev_start(text: &str, i: usize) -> usize {
    let before = &text[..i];
    let trimmed = before.trim_end_matches(|c: char| !c.is_alphanumeric());
    trimmed.rfind(|c: char| !c.is_alphanumeric()).map_or(0, |k| k + trimmed[k..].chars().next().map_or(1, char::len_utf8))
}

/// "een 3 voor", "een 5,5 gehaald", "een 8 gekregen": a grade.
fn grades(text: &str, out: &mut Vec<Confidential>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b',' || b[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let whole: u32 = text[s..i].parse().unwrap_or(99);
        let mut e = i;
        if e + 1 < b.len() && (b[e] == b',' || b[e] == b'.') && b[e + 1].is_ascii_digit() {
            e += 2;
            while e < b.len() && b[e].is_ascii_digit() {
                e += 1;
            }
        }
        i = e;
        if !(1..=10).contains(&whole) || e < b.len() && b[e].is_ascii_alphanumeric() {
            continue;
        }
        let Some(prev) = prev_word(text, s) else { continue };
        let prev_l = prev.to_lowercase();
        if !matches!(prev_l.as_str(), "een" | "cijfer" | "gemiddeld" | "gemiddelde" | "rapportcijfer" | "score") {
            continue;
        }
        let Some((ns, ne)) = words(&text[e..]).next() else { continue };
        let next = text[e + ns..e + ne].to_lowercase();
        let graded = matches!(
            next.as_str(),
            "voor" | "gehaald" | "gekregen" | "gescoord" | "behaald" | "op" | "gemiddeld" | "staan" | "staat" | "voldoende" | "onvoldoende"
        );
        // "een 3 voor 1 actie"
        let after_voor = words(&text[e + ne..]).next().map(|(a, z)| &text[e + ne + a..e + ne + z]);
        if !graded || next == "voor" && after_voor.is_some_and(|w| w.bytes().all(|c| c.is_ascii_digit())) {
            continue;
        }
        let start = prev_start(text, s);
        out.push(Confidential { kind: ConfidentialKind::Marks, span: Span::new(start, e + ne) });
    }
}
