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
    let mut f = Found::default();
    // In order of confidence: of two overlapping findings the earlier kind wins (an
    // e-mail's domain is no separate URL, a pupil number no BSN).
    f.add(PersonalDataKind::Email, |v, _| web::emails(text, v));
    f.add(PersonalDataKind::Url, |v, _| web::urls(text, v));
    if text.bytes().any(|b| b.is_ascii_digit()) {
        f.add(PersonalDataKind::Iban, |v, blocked| ibans(text, v, blocked));
        f.add(PersonalDataKind::PupilNumber, |v, _| pupil_numbers(text, v));
        f.add(PersonalDataKind::Phone, |v, _| phone::find(text, v));
        f.add(PersonalDataKind::Bsn, |v, _| bsns(text, v));
        let names: Vec<(usize, usize)> = out
            .people
            .iter()
            .map(|p| p.span)
            .chain(out.other_names.iter().copied())
            .map(|s| (s.start, s.end))
            .collect();
        f.add(PersonalDataKind::BirthDate, |v, _| dates::births(text, &names, v));
        f.add(PersonalDataKind::Postcode, |v, _| location::postcodes(text, v));
        f.add(PersonalDataKind::Address, |v, _| location::addresses(text, v));
    }
    f.data.sort_by_key(|d| d.span);
    out.personal_data.extend(f.data);
}

type Spans = Vec<(usize, usize)>;

#[derive(Default)]
struct Found {
    data: Vec<PersonalData>,
    /// Text that is no datum itself but whose digits are no other datum either: an IBAN
    /// with a wrong checksum holds no phone number.
    blocked: Spans,
}

impl Found {
    /// Runs `finder`, which pushes spans of `kind` (and may block text for later kinds),
    /// and keeps the spans that overlap nothing found or blocked before.
    fn add(&mut self, kind: PersonalDataKind, finder: impl FnOnce(&mut Spans, &mut Spans)) {
        let mut spans = Vec::new();
        let mut blocked = Vec::new();
        finder(&mut spans, &mut blocked);
        for (s, e) in spans {
            let span = Span::new(s, e);
            let taken = self.data.iter().any(|d| d.span.overlaps(&span))
                || self.blocked.iter().any(|&(bs, be)| span.overlaps(&Span::new(bs, be)));
            if !taken {
                self.data.push(PersonalData { kind, span });
            }
        }
        self.blocked.extend(blocked);
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

fn bsns(text: &str, out: &mut Spans) {
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

/// Valid IBANs go to `out`; IBAN-shaped text with a wrong checksum to `blocked`.
fn ibans(text: &str, out: &mut Spans, blocked: &mut Spans) {
    let mut from = 0;
    while let Some(m) = IBAN_START.find_at(text, from) {
        match iban_at(text.as_bytes(), m.start()) {
            Ok(end) => {
                out.push((m.start(), end));
                from = end;
            }
            Err(end) => {
                blocked.push((m.start(), end));
                from = m.start() + 1;
            }
        }
        // find_at restarts at a byte offset; keep it on a char boundary.
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
}

/// Reads an IBAN written whole or in groups ("NL91 ABNA 0417 1643 00") from `start` and
/// returns its end when the length fits the country and the checksum holds, else `Err`
/// with the end of the IBAN-shaped text.
fn iban_at(b: &[u8], start: usize) -> Result<usize, usize> {
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
    let valid = match checksum::iban_length(&chars[..2]) {
        Some(n) => (chars.len() >= n && bounded(n) && checksum::is_iban(&chars[..n])).then_some(n),
        None => (15..=chars.len()).rev().find(|&n| bounded(n) && checksum::is_iban(&chars[..n])),
    };
    valid.map(|n| ends[n - 1]).ok_or(ends[ends.len() - 1])
}

/// "leerlingnummer 123456", "lln. 123456", "leerlingnr: 123456": the number is the datum.
static PUPIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:leerling(?:en)?nummer|leerling-?nr|leerling-?id|studentnummer|studentnr|stamnummer|lln?r|lln)\.?\x20?(?:[:#=]\x20?)?\d{4,10}(?-u:\b)",
    )
    .expect("valid pupil-number pattern")
});

fn pupil_numbers(text: &str, out: &mut Spans) {
    for m in PUPIL.find_iter(text) {
        let digits = m.as_str().bytes().rev().take_while(u8::is_ascii_digit).count();
        out.push((m.end() - digits, m.end()));
    }
}
