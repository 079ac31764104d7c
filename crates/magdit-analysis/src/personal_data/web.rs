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
/// posts link to, in lower or upper case. The list is closed and the case strict on
/// purpose: "klas.De" or "klas.School" (a missing space) is no link.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        (?i:https?://|www\.)[^\s<>"]+
        | (?-u:\b)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*
          \.(?:nl|be|com|org|net|eu|de|info|edu|gov|io|app|school|online|site|shop|frl|amsterdam|uk|fr
             |NL|BE|COM|ORG|NET|EU|INFO)
          (?-u:\b)(?:/[^\s<>"]*)?
        "#,
    )
    .expect("valid URL pattern")
});

pub(crate) fn emails(text: &str, out: &mut Vec<(usize, usize)>) {
    for (from, chunk) in chunks_around(text, text.match_indices('@').map(|(i, _)| i)) {
        out.extend(
            EMAIL
                .find_iter(chunk)
                .map(|m| (from + m.start(), from + m.end())),
        );
    }
}

pub(crate) fn urls(text: &str, out: &mut Vec<(usize, usize)>) {
    for (from, chunk) in chunks_around(text, url_hints(text)) {
        // An e-mail address's domain is no separate web address.
        if chunk.contains('@') && !chunk.contains("://") && !chunk.contains("www.") {
            continue;
        }
        for m in URL.find_iter(chunk) {
            let start = from + m.start();
            let before = text[..start].chars().next_back();
            // The domain of an e-mail address, or the tail of a longer word.
            if before.is_some_and(|c| c == '@' || c == '.' || c.is_alphanumeric()) {
                continue;
            }
            let s = trim_trailing_punctuation(m.as_str());
            // ".de" is also the Dutch article after a missing space; trust it only with a path.
            if s.len() > 3
                && s[s.len() - 3..].eq_ignore_ascii_case(".de")
                && !m.as_str().contains("www")
            {
                continue;
            }
            out.push((start, start + s.len()));
        }
    }
}

/// Where a web address may be: "://", "www." or a dot before one of the top-level
/// domains the pattern knows. Cheap to find, and rare, so the pattern runs only there.
fn url_hints(text: &str) -> impl Iterator<Item = usize> + '_ {
    let b = text.as_bytes();
    text.match_indices('.')
        .map(|(i, _)| i)
        .filter(move |&i| {
            let after = &b[i + 1..];
            let tld_len = after.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            let www = i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"www");
            let tld = &after[..tld_len];
            // "klas.School begint": a missing space, not a domain; domains are written in one case.
            let one_case =
                tld.iter().all(u8::is_ascii_lowercase) || tld.iter().all(u8::is_ascii_uppercase);
            www || (one_case && TLDS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(tld)))
        })
        .chain(text.match_indices("://").map(|(i, _)| i))
}

const TLDS: &[&str] = &[
    "nl",
    "be",
    "com",
    "org",
    "net",
    "eu",
    "de",
    "info",
    "edu",
    "gov",
    "io",
    "app",
    "school",
    "online",
    "site",
    "shop",
    "frl",
    "amsterdam",
    "uk",
    "fr",
];

/// The whitespace-delimited chunks of `text` around the given byte offsets, each once,
/// with their start offsets.
fn chunks_around(text: &str, at: impl Iterator<Item = usize>) -> Vec<(usize, &str)> {
    let mut chunks: Vec<(usize, &str)> = Vec::new();
    for i in at {
        if chunks.last().is_some_and(|&(s, c)| i < s + c.len()) {
            continue;
        }
        let start = text[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(j, c)| j + c.len_utf8());
        let end = text[i..]
            .find(char::is_whitespace)
            .map_or(text.len(), |j| i + j);
        chunks.push((start, &text[start..end]));
    }
    chunks
}

/// "Kijk op www.school.nl." — the full stop ends the sentence, not the address; a closing
/// bracket belongs to the address only if it opened one.
fn trim_trailing_punctuation(s: &str) -> &str {
    let mut s = s;
    loop {
        let Some(last) = s.chars().next_back() else {
            return s;
        };
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
