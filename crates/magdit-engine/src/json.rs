//! The verdict as compact JSON, byte for byte what `serde_json::to_writer` makes of it, for
//! callers that write many verdicts (`magdit check --jsonl`). serde_json escapes a string
//! one byte at a time; the texts of a verdict (quotes, reasons) are long and rarely need
//! escaping, so here eight bytes are tested at once. The tests hold the two writers equal.

use crate::verdict::{Facts, Finding, Mention, Verdict};

impl Verdict {
    /// Appends the verdict to `out` as one line of compact JSON (no newline).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"protocol\":");
        string(out, &self.protocol);
        out.extend_from_slice(b",\"verdict\":");
        string(out, self.verdict.as_str());
        out.extend_from_slice(b",\"findings\":");
        list(out, &self.findings, finding);
        out.extend_from_slice(b",\"facts\":");
        facts(out, &self.facts);
        out.push(b'}');
    }
}

fn finding(out: &mut Vec<u8>, f: &Finding) {
    out.extend_from_slice(b"{\"article\":");
    string(out, &f.article);
    out.extend_from_slice(b",\"outcome\":");
    string(out, f.outcome.as_str());
    out.extend_from_slice(b",\"reason\":");
    string(out, &f.reason);
    out.extend_from_slice(b",\"quote\":");
    string(out, &f.quote);
    out.extend_from_slice(b",\"requires\":");
    list(out, &f.requires, |out, r| string(out, r));
    out.push(b'}');
}

fn facts(out: &mut Vec<u8>, f: &Facts) {
    out.extend_from_slice(b"{\"about_school\":");
    boolean(out, f.about_school);
    out.extend_from_slice(b",\"in_scope\":");
    boolean(out, f.in_scope);
    for (name, mentions) in [
        (&b",\"people\":"[..], &f.people),
        (b",\"other_names\":", &f.other_names),
        (b",\"personal_data\":", &f.personal_data),
        (b",\"confidential\":", &f.confidential),
        (b",\"insults\":", &f.insults),
        (b",\"threats\":", &f.threats),
        (b",\"statements\":", &f.statements),
        (b",\"school_mentions\":", &f.school_mentions),
    ] {
        out.extend_from_slice(name);
        list(out, mentions, mention);
    }
    out.extend_from_slice(b",\"disclaimer\":");
    boolean(out, f.disclaimer);
    out.push(b'}');
}

fn mention(out: &mut Vec<u8>, m: &Mention) {
    out.extend_from_slice(b"{\"kind\":");
    string(out, &m.kind);
    if let Some(person) = &m.person {
        out.extend_from_slice(b",\"person\":");
        string(out, person);
    }
    out.extend_from_slice(b",\"text\":");
    string(out, &m.text);
    out.extend_from_slice(b",\"start\":");
    number(out, m.start);
    out.extend_from_slice(b",\"end\":");
    number(out, m.end);
    out.push(b'}');
}

fn list<T>(out: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
    out.push(b']');
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

fn number(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `x` is below 0x20, a quote or a backslash.
#[inline]
fn any_to_escape(x: u64) -> bool {
    let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let control = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
    (control | zero_in(x ^ (ONES * u64::from(b'"'))) | zero_in(x ^ (ONES * u64::from(b'\\')))) != 0
}

/// A JSON string, escaped as serde_json escapes: `\"`, `\\`, `\b \t \n \f \r`, other
/// control characters as `\u00xx`; everything else (DEL and non-ASCII too) as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    out.reserve(b.len() + 2);
    out.push(b'"');
    let mut plain = 0; // start of the bytes not yet copied
    let mut i = 0;
    while i < b.len() {
        if let Some(chunk) = b.get(i..i + 8) {
            let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !any_to_escape(x) {
                i += 8;
                continue;
            }
        }
        let c = b[i];
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            0..=0x1f => &[b'\\', b'u', b'0', b'0', HEX[usize::from(c >> 4)], HEX[usize::from(c & 0xf)]],
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&b[plain..i]);
        out.extend_from_slice(escape);
        i += 1;
        plain = i;
    }
    out.extend_from_slice(&b[plain..]);
    out.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;
    use magdit_protocol::Outcome;

    fn mention(kind: &str, person: Option<&str>, text: &str, start: usize) -> Mention {
        Mention { kind: kind.into(), person: person.map(Into::into), text: text.into(), start, end: start + 12_345_678 }
    }

    #[test]
    fn same_bytes_as_serde_json() {
        let odd: String = (0u8..0x80).map(char::from).chain("é€😀\u{7f}\u{2028}".chars()).collect();
        let verdict = Verdict {
            protocol: "kc-de-marel".into(),
            verdict: Outcome::Conditional,
            findings: vec![
                Finding {
                    article: "4.2".into(),
                    outcome: Outcome::Forbidden,
                    reason: format!("Een \"citaat\" en een \\ backslash, {odd}"),
                    quote: odd.repeat(3),
                    requires: vec!["één".into(), String::new(), "\n\t\r".into()],
                },
                Finding { article: String::new(), outcome: Outcome::Advice, reason: "x".into(), quote: "12345678\"".into(), requires: vec![] },
            ],
            facts: Facts {
                about_school: true,
                in_scope: false,
                people: vec![mention("person", Some("p\"1"), "Sanne", 0), mention("person", Some(""), "", 9)],
                other_names: vec![mention("name", None, &odd, 18_446_744)],
                insults: vec![mention("insult", None, "kneus", 7), mention("slur", None, "\u{1}", 10)],
                disclaimer: true,
                ..Facts::default()
            },
        };
        let mut ours = Vec::new();
        verdict.write_json(&mut ours);
        assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&verdict).unwrap());
        let mut empty = Vec::new();
        let none = Verdict { protocol: String::new(), verdict: Outcome::Allowed, findings: vec![], facts: Facts::default() };
        none.write_json(&mut empty);
        assert_eq!(String::from_utf8(empty).unwrap(), serde_json::to_string(&none).unwrap());
    }

    #[test]
    fn numbers() {
        for n in [0, 7, 10, 99, 100, 1_000_000, usize::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }
}
