//! E-mail addresses and web addresses.

use regex::Regex;
use std::sync::LazyLock;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}(?-u:\b)",
    )
    .expect("valid e-mail pattern")
});

/// Addresses with a scheme or "www.", and bare domains under the top-level domains Dutch
/// posts link to. The list is closed on purpose: "klas.De" (a missing space) is no link.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?i:https?://|www\.)[^\s<>"]+
        | (?-u:\b)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*
          \.(?:nl|be|com|org|net|eu|de|info|edu|gov|io|app|school|online|site|shop|frl|amsterdam|uk|fr|NL|COM)
          (?-u:\b)(?:/[^\s<>"]*)?
        "#,
    )
    .expect("valid URL pattern")
});

pub(crate) fn emails(text: &str, out: &mut Vec<(usize, usize)>) {
    if !text.contains('@') {
        return;
    }
    out.extend(EMAIL.find_iter(text).map(|m| (m.start(), m.end())));
}

pub(crate) fn urls(text: &str, out: &mut Vec<(usize, usize)>) {
    if !text.contains('.') {
        return;
    }
    for m in URL.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        // The domain of an e-mail address, or the tail of a longer word.
        if before.is_some_and(|c| c == '@' || c == '.' || c.is_alphanumeric()) {
            continue;
        }
        let s = trim_trailing_punctuation(m.as_str());
        // ".de" is also the Dutch article after a missing space; trust it only with a path.
        if s.len() > 3 && s[s.len() - 3..].eq_ignore_ascii_case(".de") && !m.as_str().contains("www") {
            continue;
        }
        out.push((m.start(), m.start() + s.len()));
    }
}

/// "Kijk op www.school.nl." — the full stop ends the sentence, not the address; a closing
/// bracket belongs to the address only if it opened one.
fn trim_trailing_punctuation(s: &str) -> &str {
    let mut s = s;
    loop {
        let Some(last) = s.chars().next_back() else { return s };
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '’' | '”' | ']' | '}' => true,
            ')' => s.matches('(').count() < s.matches(')').count(),
            _ => false,
        };
        if !trim {
            return s;
        }
        s = &s[..s.len() - last.len_utf8()];
    }
}
