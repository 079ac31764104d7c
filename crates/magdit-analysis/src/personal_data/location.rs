//! Postcodes and street addresses, found from the digit runs of the text.

use super::{alnum_at, alnum_before, in_longer_number, Spans};

/// Two-letter units that follow numbers and are not postcode letters ("1250mg").
const UNITS: &[&str] = &[
    "mg", "kg", "km", "cm", "mm", "ml", "cl", "dl", "gr", "kb", "mb", "gb", "tb", "px", "pt", "hz",
    "kw", "mw", "pk", "cc", "st", "ct", "nm", "dm", "ha", "eu", "uu", "ms",
];

/// "1234 AB", "1234AB", "1234ab" (not "1234 ab": a number and a word), with the place that
/// follows ("6211 AB Maastricht").
pub(crate) fn postcodes(text: &str, runs: &[(usize, usize)], out: &mut Spans) {
    let b = text.as_bytes();
    for &(s, e) in runs {
        if e - s != 4 || b[s] == b'0' || alnum_before(text, s) || in_longer_number(text, s, e) {
            continue;
        }
        let spaced = b.get(e) == Some(&b' ');
        let l = if spaced { e + 1 } else { e };
        let Some(letters) = b
            .get(l..l + 2)
            .filter(|l| l.iter().all(u8::is_ascii_alphabetic))
        else {
            continue;
        };
        let upper = letters.iter().all(u8::is_ascii_uppercase);
        // "SS", "SA" and "SD" are never issued.
        if alnum_at(text, l + 2)
            || (spaced && !upper)
            || UNITS
                .iter()
                .any(|u| u.as_bytes().eq_ignore_ascii_case(letters))
            || matches!(letters, b"SS" | b"SA" | b"SD")
        {
            continue;
        }
        out.push((s, with_place(text, l + 2)));
    }
}

/// "6211 AB Maastricht": a capitalised word after the postcode is the place.
fn with_place(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    let Some(word) = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(' ')) else {
        return end;
    };
    let len: usize = word
        .chars()
        .take_while(|&c| c.is_alphabetic() || c == '-' || c == '\'')
        .map(char::len_utf8)
        .sum();
    let place = word[..len].trim_end_matches(['-', '\'']);
    if place.chars().count() >= 2 && place.starts_with(char::is_uppercase) {
        end + (rest.len() - word.len()) + place.len()
    } else {
        end
    }
}

/// Words that end a street name. Abbreviations ("str.", "wg") as in address lists.
const STREET_ENDS: &[&str] = &[
    "straat",
    "weg",
    "laan",
    "plein",
    "gracht",
    "singel",
    "kade",
    "dijk",
    "dyk",
    "pad",
    "hof",
    "dreef",
    "steeg",
    "park",
    "markt",
    "baan",
    "dam",
    "wal",
    "haven",
    "plantsoen",
    "boulevard",
    "allee",
    "erf",
    "oord",
    "str",
    "wg",
    "pd",
    "stg",
    "plnts",
];

/// Street words that are addresses on their own ("Markt 12" in Maastricht).
const WHOLE_STREETS: &[&str] = &["Markt", "Plein", "Dam", "Postbus", "postbus"];

/// Cities named "-dam" would read as a street before a number ("Rotterdam 2").
const DAM_CITIES: &[&str] = &[
    "Amsterdam",
    "Rotterdam",
    "Schiedam",
    "Zaandam",
    "Edam",
    "Volendam",
    "Leerdam",
    "Monnickendam",
    "Appingedam",
    "Spaarndam",
    "Zuidam",
];

/// A capitalised street name with one of the street words, a space, and a house number
/// with an optional addition ("Kerkstraat 12a", "Van Goghstraat 3-II", "Kerkstr. 5 b");
/// and "Postbus 123".
pub(crate) fn addresses(text: &str, runs: &[(usize, usize)], out: &mut Spans) {
    let b = text.as_bytes();
    for &(s, e) in runs {
        if e - s > 5 || s < 3 || b[s - 1] != b' ' || in_longer_number(text, s, e) {
            continue;
        }
        let Some(street_start) = street_before(text, s - 1) else {
            continue;
        };
        let number = &text[s..e];
        // A year after a street word is more often a date ("Markt 2024").
        let year_like = number.len() == 4 && (number.starts_with("19") || number.starts_with("20"));
        if year_like || (number.len() > 4 && !text[street_start..].starts_with(['P', 'p'])) {
            continue;
        }
        if let Some(end) = with_addition(text, e) {
            out.push((street_start, end));
        }
    }
}

/// The start of a street name ending at byte `end` (its last letter, or an abbreviation's
/// full stop, just before `end`).
fn street_before(text: &str, end: usize) -> Option<usize> {
    let dotted = text[..end].ends_with('.');
    let word_end = if dotted { end - 1 } else { end };
    let start = text[..word_end]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphabetic() || c == '-' || c == '\'')
        .last()
        .map(|(i, _)| i)?;
    let word = &text[start..word_end];
    if !word.starts_with(char::is_uppercase)
        || alnum_before(text, start)
        || DAM_CITIES.contains(&word)
    {
        return None;
    }
    if WHOLE_STREETS.contains(&word) && !dotted {
        return Some(start);
    }
    let ends_with = |suffix: &str| {
        word.len() > suffix.len()
            && word.as_bytes()[word.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    let street = STREET_ENDS.iter().any(|s| ends_with(s));
    // Only abbreviations take a full stop ("Kerkstr."), and "str" needs one.
    let abbreviation = ["str", "wg", "pd", "stg", "plnts"]
        .iter()
        .any(|s| ends_with(s));
    (street && (dotted == abbreviation || (abbreviation && !ends_with("str")))).then_some(start)
}

/// The end of a house number ending at `e` with its addition: "12a", "12 a", "12-II",
/// "12 - 3". `None` when the number runs on into a word ("12ab") or a time or amount.
fn with_addition(text: &str, e: usize) -> Option<usize> {
    let b = text.as_bytes();
    let rest = &b[e..];
    let bounded = |i: usize| !alnum_at(text, i);
    match rest {
        [c, ..] if c.is_ascii_alphabetic() => (bounded(e + 1)).then_some(e + 1),
        [b':' | b',' | b'.' | b'%', d, ..] if d.is_ascii_digit() => None,
        _ if alnum_at(text, e) => None,
        _ => {
            for sep in [&b"-"[..], b" - ", b" -", b"- "] {
                if let Some(after) = rest.strip_prefix(sep) {
                    let roman = after
                        .iter()
                        .take_while(|c| matches!(c, b'I' | b'V' | b'X'))
                        .count();
                    let digits = after.iter().take_while(|c| c.is_ascii_digit()).count();
                    let n = if roman > 0 {
                        roman.min(4)
                    } else {
                        digits.min(3)
                    };
                    let end = e + sep.len() + n;
                    if n > 0 && bounded(end) {
                        return Some(end);
                    }
                }
            }
            match rest {
                [b' ', c, ..] if c.is_ascii_alphabetic() && bounded(e + 2) => Some(e + 2),
                _ => Some(e),
            }
        }
    }
}
