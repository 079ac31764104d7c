//! Identifiers made of digits: BSNs, IBANs and pupil numbers.

use regex::Regex;
use std::sync::LazyLock;

use super::{alnum_at, alnum_before, checksum, in_longer_number, Spans};

/// Nine digits, or three groups of three separated by dots or spaces (or 4.2.3), that
/// pass the elfproef; eight digits only after the word BSN, as a random eight-digit
/// number passes the check one time in eleven.
pub(crate) fn bsns(text: &str, runs: &[(usize, usize)], out: &mut Spans) {
    let b = text.as_bytes();
    for (k, &(s, e)) in runs.iter().enumerate() {
        let end = match e - s {
            8 | 9 => e,
            3 | 4 => match grouped(b, runs, k) {
                Some(end) => end,
                None => continue,
            },
            _ => continue,
        };
        if alnum_before(text, s) || alnum_at(text, end) || in_longer_number(text, s, end) {
            continue;
        }
        let digits: Vec<u8> = b[s..end]
            .iter()
            .copied()
            .filter(u8::is_ascii_digit)
            .collect();
        if !checksum::is_bsn(&digits) || (digits.len() == 8 && !after_bsn_word(text, s)) {
            continue;
        }
        out.push((s, end));
    }
}

/// "123.456.782", "123 456 782", "1234.56.782": the end of the grouped number starting
/// with run `k`.
fn grouped(b: &[u8], runs: &[(usize, usize)], k: usize) -> Option<usize> {
    let [r0, r1, r2] = [runs[k], *runs.get(k + 1)?, *runs.get(k + 2)?];
    let lens = [r0.1 - r0.0, r1.1 - r1.0, r2.1 - r2.0];
    let sep = b[r0.1];
    let ok = matches!(lens, [3, 3, 3] | [4, 2, 3])
        && matches!(sep, b'.' | b' ')
        && r1.0 == r0.1 + 1
        && r2.0 == r1.1 + 1
        && b[r1.1] == sep;
    ok.then_some(r2.1)
}

static BSN_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)bsn|burgerservicenummer|sofinummer|sofi-nummer").expect("valid pattern")
});

fn after_bsn_word(text: &str, start: usize) -> bool {
    let from = start.saturating_sub(30);
    let from = (from..start)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(start);
    BSN_WORD.is_match(&text[from..start])
}

/// Valid IBANs go to `out`; IBAN-shaped text with a wrong checksum to `blocked`.
/// Candidates are digit runs right after two letters that start a word ("NL91…").
pub(crate) fn ibans(text: &str, runs: &[(usize, usize)], out: &mut Spans, blocked: &mut Spans) {
    let b = text.as_bytes();
    let mut done = 0;
    for &(s, e) in runs {
        let start = s.wrapping_sub(2);
        if s < 2
            || start < done
            || e - s < 2
            || !b[start..s].iter().all(u8::is_ascii_alphabetic)
            || alnum_before(text, start)
        {
            continue;
        }
        match iban_at(b, start) {
            Some(Ok(end)) => {
                out.push((start, end));
                done = end;
            }
            Some(Err(end)) => blocked.push((start, end)),
            None => {}
        }
    }
}

/// Reads an IBAN written whole or in groups ("NL91 ABNA 0417 1643 00") from `start`:
/// `Ok(end)` when the length fits the country and the checksum holds, `Err(end)` for
/// IBAN-shaped text, `None` for text too short to be one.
fn iban_at(b: &[u8], start: usize) -> Option<Result<usize, usize>> {
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
    // Check digits and at least a bank code's worth of characters.
    if chars.len() < 12 || !chars[2..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let bounded = |n: usize| !b.get(ends[n - 1]).is_some_and(u8::is_ascii_alphanumeric);
    let valid = match checksum::iban_length(&chars[..2]) {
        Some(n) => (chars.len() >= n && bounded(n) && checksum::is_iban(&chars[..n])).then_some(n),
        None => (15..=chars.len())
            .rev()
            .find(|&n| bounded(n) && checksum::is_iban(&chars[..n])),
    };
    Some(valid.map(|n| ends[n - 1]).ok_or(ends[ends.len() - 1]))
}

/// "leerlingnummer 123456", "lln. 123456", "leerlingnr: 123456": the number is the datum.
static PUPIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:leerling(?:en)?nummer|leerling-?nr|leerling-?id|studentnummer|studentnr|stamnummer|lln?r|lln)\.?\x20?(?:[:#=]\x20?)?\d{4,10}(?-u:\b)",
    )
    .expect("valid pupil-number pattern")
});

pub(crate) fn pupil_numbers(text: &str, out: &mut Spans) {
    for m in PUPIL.find_iter(text) {
        let digits = m
            .as_str()
            .bytes()
            .rev()
            .take_while(u8::is_ascii_digit)
            .count();
        out.push((m.end() - digits, m.end()));
    }
}
