//! Checksums that tell identifiers from arbitrary numbers.

/// The BSN "elfproef": 9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11. Eight-digit numbers
/// are old BSNs with the leading zero dropped. All zeros is not a number anyone has.
pub(crate) fn is_bsn(digits: &[u8]) -> bool {
    let padded: Vec<u32> = match digits.len() {
        8 => std::iter::once(0)
            .chain(digits.iter().map(|d| u32::from(d - b'0')))
            .collect(),
        9 => digits.iter().map(|d| u32::from(d - b'0')).collect(),
        _ => return false,
    };
    if padded.iter().all(|&d| d == 0) {
        return false;
    }
    let weighted: i64 = padded[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&d, w)| i64::from(d * w))
        .sum();
    (weighted - i64::from(padded[8])) % 11 == 0
}

/// ISO 13616 check: move the first four characters to the end, read letters as 10–35,
/// and the number must leave 1 when divided by 97. `chars` are ASCII alphanumerics.
pub(crate) fn is_iban(chars: &[u8]) -> bool {
    if !(15..=34).contains(&chars.len()) {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in chars[4..].iter().chain(&chars[..4]) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'a'..=b'z' => u32::from(c - b'a') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// IBAN length by country, for the countries pupils' families bank in most; others are
/// accepted at any length the checksum confirms.
pub(crate) fn iban_length(country: &[u8]) -> Option<usize> {
    let upper = [
        country[0].to_ascii_uppercase(),
        country[1].to_ascii_uppercase(),
    ];
    Some(match &upper {
        b"NO" => 15,
        b"BE" => 16,
        b"NL" | b"DK" | b"FI" | b"FO" | b"GL" => 18,
        b"SI" => 19,
        b"LU" | b"AT" | b"LT" | b"EE" => 20,
        b"CH" | b"HR" | b"LV" | b"LI" => 21,
        b"DE" | b"GB" | b"IE" | b"BG" => 22,
        b"AE" | b"GI" | b"IL" => 23,
        b"ES" | b"SE" | b"CZ" | b"RO" | b"SK" | b"SA" | b"TN" | b"AD" => 24,
        b"PT" => 25,
        b"TR" | b"IS" => 26,
        b"FR" | b"IT" | b"GR" | b"MC" | b"SM" => 27,
        b"PL" | b"HU" | b"CY" | b"LB" | b"MA" => 28,
        b"EG" => 29,
        b"JO" => 30,
        b"MT" => 31,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsn() {
        assert!(is_bsn(b"111222333"));
        assert!(is_bsn(b"123456782"));
        assert!(!is_bsn(b"123456789"));
        assert!(!is_bsn(b"000000000"));
    }

    #[test]
    fn iban() {
        assert!(is_iban(b"NL91ABNA0417164300"));
        assert!(!is_iban(b"NL91ABNA0417164301"));
        assert!(is_iban(b"DE89370400440532013000"));
        assert!(is_iban(b"BE68539007547034"));
    }
}
