//! Dates, and which of them are dates of birth.

use regex::Regex;
use std::sync::LazyLock;

/// Numeric dates day first or year first, and dates with a Dutch or English month name or
/// abbreviation; the year may be missing after a month name ("jarig op 12 maart").
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|march|may|june|july|august|october|jan|febr|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec)";
    let pattern = format!(
        r"(?xi)
        (?-u:\b)
        (?:
          \d{{1,2}} [-/.] \d{{1,2}} [-/.] (?:\d{{4}}|['`’]?\d{{2}})
        | \d{{1,2}} \x20 \d{{1,2}} \x20 \d{{4}}
        | \d{{4}} [-/.] \d{{1,2}} [-/.] \d{{1,2}}
        | \d{{4}} \x20 \d{{1,2}} \x20 \d{{1,2}}
        | \d{{1,2}} (?:\x20|\.|-\x20?)? {month} (?-u:\b) (?: (?:\.\x20|\x20|\.|-|,\x20|\.,\x20) (?:\d{{4}}|['`’]\d{{2}}) | \. )?
        | \d{{4}} (?:\x20|\.|-\x20?) {month} (?-u:\b) \.? (?:\x20|\.|-\x20?) \d{{1,2}}
        )
        (?-u:\b)
        "
    );
    Regex::new(&pattern).expect("valid date pattern")
});

/// Words after or before which a date is a date of birth.
static BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)geboren|geb\.|geboortedatum|geboortedag|jarig|verjaardag|verjaart|birthday|bday",
    )
    .expect("valid birth-context pattern")
});

/// All plausible dates in `text`, with or without a year.
pub(crate) fn all(text: &str, out: &mut Vec<(usize, usize)>) {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    for m in DATE.find_iter(text) {
        if is_plausible(m.as_str()) && !part_of_longer_number(text, m.start(), m.end()) {
            out.push((m.start(), m.end()));
        }
    }
}

/// Dates of birth: dates near a birth word, or right after a name ("Sanne (12-03-2012)").
/// Only the text around birth words and after names is searched for dates.
pub(crate) fn births(text: &str, names: &[(usize, usize)], out: &mut Vec<(usize, usize)>) {
    const BEFORE: usize = 40;
    const AFTER: usize = 30;
    let context: Vec<(usize, usize)> = BIRTH
        .find_iter(text)
        .map(|m| (m.start(), m.end()))
        .collect();
    let mut dates = Vec::new();
    for &(ks, ke) in &context {
        in_window(
            text,
            ks.saturating_sub(AFTER + 20),
            ke + BEFORE + 20,
            &mut dates,
        );
    }
    let b = text.as_bytes();
    for &(_, ne) in names {
        // A date right after a name starts within a few bytes: "Sanne (12-03-2012)".
        if b[ne.min(b.len())..(ne + 6).min(b.len())]
            .iter()
            .any(u8::is_ascii_digit)
        {
            in_window(text, ne, ne + 40, &mut dates);
        }
    }
    dates.sort_unstable();
    dates.dedup();
    for (s, e) in dates {
        let near_word = context.iter().any(|&(ks, ke)| {
            (ke <= s && s - ke <= BEFORE && same_sentence(&text[ke..s]))
                || (e <= ks && ks - e <= AFTER && same_sentence(&text[e..ks]))
        });
        let after_name = names.iter().any(|&(_, ne)| {
            ne <= s
                && text[ne..s].len() <= 4
                && text[ne..s]
                    .chars()
                    .all(|c| matches!(c, ' ' | ',' | '(' | ':' | '-' | '–'))
        });
        if (near_word || after_name) && out.last() != Some(&(s, e)) {
            out.push((s, e));
        }
    }
}

/// The dates in `text[from..to]` (widened to char boundaries), in text offsets. A date cut
/// by the window's edge is found from another window or not at all, which is fine: the
/// windows reach past the distances that count.
fn in_window(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let mut from = from.min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = to.min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    if !text.as_bytes()[from..to].iter().any(u8::is_ascii_digit) {
        return;
    }
    let mut found = Vec::new();
    all(&text[from..to], &mut found);
    out.extend(found.into_iter().map(|(s, e)| (from + s, from + e)));
}

fn same_sentence(between: &str) -> bool {
    !between.contains(['!', '?', '\n']) && !between.contains(". ")
}

/// "12-03-2012" inside "1-12-03-2012" or "12.03.20125" is no date.
fn part_of_longer_number(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let before = start >= 2
        && matches!(b[start - 1], b'-' | b'/' | b'.' | b',' | b':')
        && b[start - 2].is_ascii_digit();
    let after = b.len() > end + 1
        && matches!(b[end], b'-' | b'/' | b'.' | b',' | b':')
        && b[end + 1].is_ascii_digit();
    before || after
}

/// Day 1–31, month 1–12, a four-digit year between 1900 and 2100.
fn is_plausible(s: &str) -> bool {
    let numbers: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    let year_ok = |p: &str| p.len() != 4 || (1900..=2100).contains(&n(p));
    let day_ok = |p: &str| (1..=31).contains(&n(p));
    let month_ok = |p: &str| (1..=12).contains(&n(p));
    let has_month_name = s.bytes().any(|b| b.is_ascii_alphabetic());
    match (numbers.as_slice(), has_month_name) {
        ([d], true) => day_ok(d),
        ([a, b], true) if a.len() == 4 => year_ok(a) && day_ok(b),
        ([d, y], true) => day_ok(d) && year_ok(y),
        ([a, m, c], false) if a.len() == 4 => year_ok(a) && month_ok(m) && day_ok(c),
        ([d, m, y], false) => day_ok(d) && month_ok(m) && year_ok(y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    fn dates(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        super::all(text, &mut out);
        out.iter().map(|&(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn formats() {
        for d in [
            "12-03-2012",
            "12/03/2012",
            "12 maart 2012",
            "3 jan. 2011",
            "2012-03-12",
            "8.1.2022",
            "17 mei '11",
            "15.jan.1928",
            "12 maart",
        ] {
            assert_eq!(dates(&format!("op {d} was")), [d], "{d}");
        }
    }

    #[test]
    fn not_dates() {
        for t in [
            "12:30",
            "€ 12,50",
            "32-01-2018",
            "groep 8",
            "3B",
            "12 meisjes",
            "2018-01-32",
            "1-2-3",
        ] {
            assert!(dates(t).is_empty(), "{t}: {:?}", dates(t));
        }
    }
}
