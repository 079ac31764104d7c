//! Personal data in a text: phone numbers, e-mail and web addresses, BSNs, IBANs,
//! postcodes, street addresses, dates of birth and pupil numbers.
//!
//! Each kind has its own finder; identifiers whose format allows a checksum (BSN, IBAN)
//! are reported only when it holds, so that arbitrary numbers are not personal data.

mod checksum;
mod dates;
mod location;
mod phone;
mod web;

use regex::Regex;
use std::sync::LazyLock;

use crate::{Analysis, PersonalData, PersonalDataKind, Span};

/// Runs after `people::find`, whose names tell which dates are dates of birth.
pub(crate) fn find(text: &str, out: &mut Analysis) {
    let mut found: Vec<PersonalData> = Vec::new();
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    // In order of confidence: of two overlapping findings the earlier kind wins (an
    // e-mail's domain is no separate URL, a pupil number no BSN).
    add(&mut found, PersonalDataKind::Email, |v| web::emails(text, v));
    add(&mut found, PersonalDataKind::Url, |v| web::urls(text, v));
    if has_digit {
        add(&mut found, PersonalDataKind::Iban, |v| ibans(text, v));
        add(&mut found, PersonalDataKind::PupilNumber, |v| pupil_numbers(text, v));
        add(&mut found, PersonalDataKind::Phone, |v| phone::find(text, v));
        add(&mut found, PersonalDataKind::Bsn, |v| bsns(text, v));
        let names: Vec<(usize, usize)> = out
            .people
            .iter()
            .map(|p| p.span)
            .chain(out.other_names.iter().copied())
            .map(|s| (s.start, s.end))
            .collect();
        add(&mut found, PersonalDataKind::BirthDate, |v| dates::births(text, &names, v));
        add(&mut found, PersonalDataKind::Postcode, |v| location::postcodes(text, v));
        add(&mut found, PersonalDataKind::Address, |v| location::addresses(text, v));
    }
    found.sort_by_key(|d| d.span);
    out.personal_data.extend(found);
}

fn add(found: &mut Vec<PersonalData>, kind: PersonalDataKind, finder: impl FnOnce(&mut Vec<(usize, usize)>)) {
    let mut spans = Vec::new();
    finder(&mut spans);
    for (s, e) in spans {
        let span = Span::new(s, e);
        if !found.iter().any(|d| d.span.overlaps(&span)) {
            found.push(PersonalData { kind, span });
        }
    }
}

/// Nine digits, or three groups of three separated by dots or spaces, that pass the
/// elfproef; eight digits only after the word BSN, as a random eight-digit number passes
/// the check one time in eleven.
static BSN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:\d{9}|\d{3}\.\d{3}\.\d{3}|\d{3} \d{3} \d{3}|\d{4}\.\d{2}\.\d{3}|\d{8})(?-u:\b)")
        .expect("valid BSN pattern")
});

static BSN_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)bsn|burgerservicenummer|sofinummer|sofi-nummer").expect("valid pattern"));

fn bsns(text: &str, out: &mut Vec<(usize, usize)>) {
    for m in BSN.find_iter(text) {
        let digits: Vec<u8> = m.as_str().bytes().filter(u8::is_ascii_digit).collect();
        if !checksum::is_bsn(&digits) || in_longer_number(text, m.start(), m.end()) {
            continue;
        }
        if digits.len() == 8 && !BSN_WORD.find_iter(&text[..m.start()]).any(|w| m.start() - w.end() <= 30) {
            continue;
        }
        out.push((m.start(), m.end()));
    }
}

/// "1.123.456.789" (an amount) holds "123.456.789", which is not a BSN.
fn in_longer_number(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let before = start >= 2 && matches!(b[start - 1], b'.' | b',' | b'-' | b'/') && b[start - 2].is_ascii_digit();
    let after = b.len() > end + 1 && matches!(b[end], b'.' | b',' | b'-' | b'/') && b[end + 1].is_ascii_digit();
    before || after
}

/// Country code, check digits, and a first group: the rest is read by [`iban_at`].
static IBAN_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)[a-z]{2}[0-9]{2} ?[a-z0-9]{4}").expect("valid IBAN pattern"));

fn ibans(text: &str, out: &mut Vec<(usize, usize)>) {
    let mut from = 0;
    while let Some(m) = IBAN_START.find_at(text, from) {
        match iban_at(text.as_bytes(), m.start()) {
            Some(end) => {
                out.push((m.start(), end));
                from = end;
            }
            None => from = m.start() + 1,
        }
        // find_at restarts at a byte offset; keep it on a char boundary.
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
}

/// Reads an IBAN written whole or in groups ("NL91 ABNA 0417 1643 00") from `start` and
/// returns its end when the length fits the country and the checksum holds.
fn iban_at(b: &[u8], start: usize) -> Option<usize> {
    let mut chars = Vec::with_capacity(34);
    let mut ends = Vec::with_capacity(34);
    let mut j = start;
    while j < b.len() && chars.len() < 34 {
        if b[j].is_ascii_alphanumeric() {
            chars.push(b[j]);
            j += 1;
            ends.push(j);
        } else if b[j] == b' ' && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric) {
            j += 1;
        } else {
            break;
        }
    }
    let bounded = |n: usize| !b.get(ends[n - 1]).is_some_and(u8::is_ascii_alphanumeric);
    match checksum::iban_length(&chars[..2]) {
        Some(n) => (chars.len() >= n && bounded(n) && checksum::is_iban(&chars[..n])).then(|| ends[n - 1]),
        None => (15..=chars.len()).rev().find(|&n| bounded(n) && checksum::is_iban(&chars[..n])).map(|n| ends[n - 1]),
    }
}

/// "leerlingnummer 123456", "lln. 123456", "leerlingnr: 123456": the number is the datum.
static PUPIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:leerling(?:en)?nummer|leerling-?nr|leerling-?id|studentnummer|studentnr|stamnummer|lln?r|lln)\.?\x20?(?:[:#=]\x20?)?\d{4,10}(?-u:\b)",
    )
    .expect("valid pupil-number pattern")
});

fn pupil_numbers(text: &str, out: &mut Vec<(usize, usize)>) {
    for m in PUPIL.find_iter(text) {
        let digits = m.as_str().bytes().rev().take_while(u8::is_ascii_digit).count();
        out.push((m.end() - digits, m.end()));
    }
}
