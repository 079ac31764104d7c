//! Postcodes and street addresses.

use regex::Regex;
use std::sync::LazyLock;

static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[1-9][0-9]{3} ?[A-Za-z]{2}(?-u:\b)").expect("valid postcode pattern")
});

/// A street name ending in one of the common street words, then a house number with an
/// optional addition ("12a", "12 a", "12-II", "12-3"); or a PO box.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:
          \p{Lu}[\p{L}'-]*?
          (?:straat|str\.|weg|wg|laan|plein|gracht|singel|kade|dijk|dyk|pad|pd|hof|dreef|steeg
            |stg|park|markt|baan|dam|wal|haven|plantsoen|boulevard|allee|plnts|erf|oord)
          | Markt | Plein | Dam
        )
        \x20
        \d{1,5}
        (?: [a-zA-Z](?-u:\b) | (?-u:\b)(?: \x20?-\x20?(?:[IVX]{1,4}|\d{1,3})(?-u:\b) | \x20[a-zA-Z](?-u:\b) )? )
        | [Pp]ostbus\x20\d{1,5}
        ",
    )
    .expect("valid address pattern")
});

/// Units that follow numbers as two letters and are not postcode letters ("1250mg").
const UNITS: &[&str] = &[
    "mg", "kg", "km", "cm", "mm", "ml", "cl", "dl", "gr", "kb", "mb", "gb", "tb", "px", "pt",
    "hz", "kw", "mw", "pk", "cc", "st", "ct", "nm", "dm", "ha", "eu", "uu", "ms", "fps",
];

/// Cities named "-dam" would read as a street before a number ("Rotterdam 2").
const DAM_CITIES: &[&str] = &[
    "Amsterdam", "Rotterdam", "Schiedam", "Zaandam", "Edam", "Volendam", "Leerdam",
    "Monnickendam", "Appingedam", "Spaarndam", "Zuidam",
];

pub(crate) fn postcodes(text: &str, out: &mut Vec<(usize, usize)>) {
    for m in POSTCODE.find_iter(text) {
        let s = m.as_str();
        let letters = &s[s.len() - 2..];
        let spaced = s.as_bytes()[4] == b' ';
        // "1234 ab" is a number and a word; "SS", "SA", "SD" are never issued.
        if (spaced && !letters.bytes().all(|b| b.is_ascii_uppercase()))
            || UNITS.iter().any(|u| u.eq_ignore_ascii_case(letters))
            || matches!(letters, "SS" | "SA" | "SD")
            || preceded_by_number(text, m.start())
        {
            continue;
        }
        out.push((m.start(), with_place(text, m.end())));
    }
}

/// Part of a longer number ("€ 1.2345 AB" never, but "12.3456 ab" would be).
fn preceded_by_number(text: &str, start: usize) -> bool {
    let b = text.as_bytes();
    start >= 2 && matches!(b[start - 1], b'.' | b',' | b'-' | b'/') && b[start - 2].is_ascii_digit()
}

/// "6211 AB Maastricht": a capitalised word after the postcode is the place.
fn with_place(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    let Some(word) = rest.strip_prefix(' ').or_else(|| rest.strip_prefix("  ")) else { return end };
    let len: usize = word
        .char_indices()
        .take_while(|&(_, c)| c.is_alphabetic() || c == '-' || c == '\'')
        .map(|(_, c)| c.len_utf8())
        .sum();
    let place = word[..len].trim_end_matches(['-', '\'']);
    if place.chars().count() >= 2 && place.starts_with(char::is_uppercase) {
        end + (rest.len() - word.len()) + place.len()
    } else {
        end
    }
}

pub(crate) fn addresses(text: &str, out: &mut Vec<(usize, usize)>) {
    for m in ADDRESS.find_iter(text) {
        let s = m.as_str();
        let street_end = s.find(' ').unwrap_or(s.len());
        let street = &s[..street_end];
        let number: String = s[street_end..].chars().skip(1).take_while(char::is_ascii_digit).collect();
        let after = &text[m.end()..];
        let glued = text[..m.start()].chars().next_back().is_some_and(char::is_alphanumeric);
        // A year after a street word is more often a date ("Markt 2024"); a time or an
        // amount is not a house number.
        let year_like = number.len() == 4 && (number.starts_with("19") || number.starts_with("20"));
        let continues = after.starts_with([':', ',', '.', '%']) && after[1..].starts_with(|c: char| c.is_ascii_digit());
        if glued || year_like || continues || DAM_CITIES.contains(&street) {
            continue;
        }
        out.push((m.start(), m.end()));
    }
}
