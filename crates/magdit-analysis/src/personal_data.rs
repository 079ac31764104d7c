//! Personal data in a text: phone numbers, e-mail and web addresses, BSNs, IBANs,
//! postcodes, street addresses, dates of birth and pupil numbers.
//!
//! Each kind has its own finder; identifiers whose format allows a checksum (BSN, IBAN)
//! are reported only when it holds, so that arbitrary numbers are not personal data.
//! Most kinds are numbers, so the text's digit runs are found once and the finders look
//! only there; regular expressions run only on the few places a cheap scan points to.

mod checksum;
mod dates;
mod location;
mod numbers;
mod phone;
mod web;

use crate::{Analysis, PersonalData, PersonalDataKind, Span};

/// Byte ranges in the text.
type Spans = Vec<(usize, usize)>;

/// Runs after `people::find`, whose names tell which dates are dates of birth.
pub(crate) fn find(text: &str, out: &mut Analysis) {
    let mut f = Found::default();
    // In order of confidence: of two overlapping findings the earlier kind wins (an
    // e-mail's domain is no separate URL, a pupil number no BSN).
    f.add(PersonalDataKind::Email, |v, _| web::emails(text, v));
    f.add(PersonalDataKind::Url, |v, _| web::urls(text, v));
    let runs = digit_runs(text);
    if !runs.is_empty() {
        f.add(PersonalDataKind::Iban, |v, blocked| {
            numbers::ibans(text, &runs, v, blocked)
        });
        f.add(PersonalDataKind::PupilNumber, |v, _| {
            numbers::pupil_numbers(text, v)
        });
        f.add(PersonalDataKind::Phone, |v, _| phone::find(text, &runs, v));
        f.add(PersonalDataKind::Bsn, |v, _| numbers::bsns(text, &runs, v));
        let names: Spans = out
            .people
            .iter()
            .map(|p| p.span)
            .chain(out.other_names.iter().copied())
            .map(|s| (s.start, s.end))
            .collect();
        f.add(PersonalDataKind::BirthDate, |v, _| {
            dates::births(text, &names, v)
        });
        f.add(PersonalDataKind::Postcode, |v, _| {
            location::postcodes(text, &runs, v)
        });
        f.add(PersonalDataKind::Address, |v, _| {
            location::addresses(text, &runs, v)
        });
    }
    f.data.sort_by_key(|d| d.span);
    out.personal_data.extend(f.data);
}

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
                || self
                    .blocked
                    .iter()
                    .any(|&(bs, be)| span.overlaps(&Span::new(bs, be)));
            if !taken {
                self.data.push(PersonalData { kind, span });
            }
        }
        self.blocked.extend(blocked);
    }
}

/// The maximal runs of ASCII digits.
fn digit_runs(text: &str) -> Spans {
    let b = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    runs
}

/// Whether the character before byte `i` is a letter or digit (of any script).
fn alnum_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Whether the character at byte `i` is a letter or digit (of any script).
fn alnum_at(text: &str, i: usize) -> bool {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .is_some_and(char::is_alphanumeric)
}

/// A number that continues past `[start, end)` through a decimal or thousands separator
/// ("€ 1.123.456.782", "12,50"), a slash or a hyphen ("2012-2013").
fn in_longer_number(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let sep = |c: u8| matches!(c, b'.' | b',' | b'-' | b'/' | b':');
    let before = start >= 2 && sep(b[start - 1]) && b[start - 2].is_ascii_digit();
    let after = b.len() > end + 1 && sep(b[end]) && b[end + 1].is_ascii_digit();
    before || after
}
