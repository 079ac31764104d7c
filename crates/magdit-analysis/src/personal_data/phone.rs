//! Telephone numbers, scanned by hand: the digit count decides, and regular expressions
//! count digits across separators badly.

/// The national number of a Dutch phone number has ten digits; service numbers (0800,
/// 0900) have eight or eleven; foreign numbers eight to twelve after the country code.
const NATIONAL: usize = 10;

/// Finds the phone numbers in `text`, as byte ranges. A number starts at a digit run
/// beginning with 0, or at the "+" or "(" just before a run.
pub(crate) fn find(text: &str, runs: &[(usize, usize)], out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut done = 0;
    for &(s, _) in runs {
        let start = if s > 0 && matches!(b[s - 1], b'+' | b'(') {
            s - 1
        } else {
            s
        };
        if start < done || !matches!(b[start], b'+' | b'(' | b'0') || glued_before(b, start) {
            continue;
        }
        if let Some(end) = scan(b, start) {
            out.push((start, end));
            done = end;
        }
    }
}

/// A number glued to a word or to a longer number ("A0612", "1,06", "12.0612").
fn glued_before(b: &[u8], i: usize) -> bool {
    let Some(&p) = i.checked_sub(1).map(|j| &b[j]) else {
        return false;
    };
    p.is_ascii_alphanumeric()
        || p == b'+'
        || ((p == b',' || p == b'.') && i >= 2 && b[i - 2].is_ascii_digit())
}

/// The digits of a candidate number, grouped as written.
struct Groups {
    digits: [u8; 16],
    count: usize,
    /// Lengths of the first three digit groups and the separators between them, to tell
    /// a date (12-03-2012) from a number.
    lens: [usize; 3],
    seps: [u8; 2],
    groups: usize,
}

impl Groups {
    fn push_group(&mut self, group: &[u8], sep: u8) {
        if self.groups < 3 {
            self.lens[self.groups] = group.len();
        }
        if (1..3).contains(&self.groups) {
            self.seps[self.groups - 1] = sep;
        }
        self.groups += 1;
        for &d in group {
            if self.count < self.digits.len() {
                self.digits[self.count] = d;
            }
            self.count += 1;
        }
    }
    fn looks_like_date(&self) -> bool {
        self.groups >= 3
            && self.lens[0] <= 2
            && self.lens[1] <= 2
            && (self.lens[2] == 4 || self.lens[2] == 2 && self.groups == 3)
            && self.seps.iter().all(|s| matches!(s, b'-' | b'/' | b'.'))
    }
}

/// Scans a number starting at `i` and returns its end when it is a phone number.
fn scan(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    let mut international = None;
    // Country code: "+31", "0031", then an optional "(0)" that is not dialled.
    if b[j] == b'+' || b[j..].starts_with(b"00") {
        j += if b[j] == b'+' { 1 } else { 2 };
        let cc = b
            .get(j..j + 2)
            .filter(|d| d.iter().all(u8::is_ascii_digit))?;
        international = Some([cc[0], cc[1]]);
        j += 2;
        let k = if matches!(b.get(j), Some(b' ' | b'-')) {
            j + 1
        } else {
            j
        };
        if b[k..].starts_with(b"(0)") {
            j = k + 3;
        }
    }
    let dutch = !matches!(international, Some(cc) if &cc != b"31");
    // Without the leading zero the national digits number one fewer.
    let mut groups = Groups {
        digits: [0; 16],
        count: 0,
        lens: [0; 3],
        seps: [0; 2],
        groups: 0,
    };
    if international == Some(*b"31") {
        groups.push_group(b"0", b' ');
        groups.groups = 0;
    }
    let max = if !dutch { 13 } else { 11 };
    let mut end = None;
    let mut sep = b' ';
    loop {
        let k = match (end, international) {
            (None, None) => skip_open_paren(b, j),
            _ => skip_separators(b, j),
        };
        let len = b[k..].iter().take_while(|d| d.is_ascii_digit()).count();
        if len == 0 || groups.count + len > max {
            break;
        }
        groups.push_group(&b[k..k + len], sep);
        j = k + len;
        end = Some(j);
        if b.get(j) == Some(&b')') {
            j += 1;
        }
        sep = b.get(j).copied().unwrap_or(b' ');
        if dutch && groups.count >= NATIONAL && !is_service(&groups.digits) {
            break;
        }
    }
    let end = end?;
    if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric())
        || (matches!(b.get(end), Some(b':' | b','))
            && b.get(end + 1).is_some_and(u8::is_ascii_digit))
        || groups.looks_like_date()
    {
        return None;
    }
    let n = groups.count;
    let ok = match international {
        Some(cc) if &cc != b"31" => (8..=12).contains(&n),
        _ if is_service(&groups.digits) => matches!(n, 8 | 10 | 11),
        _ => n == NATIONAL && groups.digits[0] == b'0' && groups.digits[1] != b'0',
    };
    ok.then_some(end)
}

/// 0800 (free) and 0900 (paid) numbers, which may have 8 or 11 digits.
fn is_service(d: &[u8]) -> bool {
    d.starts_with(b"0800") || d.starts_with(b"090")
}

/// Between digit groups: one space, hyphen, dot or slash, or " - ", or parentheses
/// around an area code.
fn skip_separators(b: &[u8], j: usize) -> usize {
    let rest = &b[j.min(b.len())..];
    for sep in [
        &b" - "[..],
        b" / ",
        b" (",
        b") ",
        b" ",
        b"-",
        b".",
        b"/",
        b"(",
        b")",
    ] {
        if rest.starts_with(sep) {
            return j + sep.len();
        }
    }
    j
}

fn skip_open_paren(b: &[u8], j: usize) -> usize {
    if b.get(j) == Some(&b'(') {
        j + 1
    } else {
        j
    }
}

#[cfg(test)]
mod tests {
    fn phones(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        super::find(text, &super::super::digit_runs(text), &mut out);
        out.iter().map(|&(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn not_phones() {
        for t in [
            "12-03-2012",
            "12:30",
            "€ 12,50",
            "5348573857385",
            "NL91ABNA0417164300",
            "2012",
            "01-02-2012 10:00",
        ] {
            assert!(phones(t).is_empty(), "{t}: {:?}", phones(t));
        }
    }
}
