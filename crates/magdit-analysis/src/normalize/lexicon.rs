//! The plain-text word lists in `data/`: parsing and expansion.
//!
//! Format (one entry a line):
//!
//! ```text
//! # a comment (also after an entry: "word  # why")
//! [section]
//! word
//! two words
//! walgelijk(|e)            one of the alternatives: "walgelijk", "walgelijke"
//! [heel|echt] erg          optional: "erg", "heel erg", "echt erg"
//! ziekenhuis*              (confidential/statements) also as the start of a longer word
//! ```
//!
//! `(…|…)` and `[…|…]` do not nest. An entry expands to every combination.

/// One line of a word list, expanded.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub section: &'static str,
    /// All spellings the line stands for, trimmed, inner whitespace made one space.
    pub forms: Vec<String>,
    /// 1-based line number, for messages.
    #[cfg_attr(not(test), allow(dead_code))]
    pub line: usize,
}

/// Parses a word list. Lines before the first `[section]` get the section `""`.
pub(crate) fn parse(src: &'static str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut section: &'static str = "";
    for (n, raw) in src.lines().enumerate() {
        let line = match raw.find('#') {
            Some(i) => &raw[..i],
            None => raw,
        }
        .trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') && !line[1..].contains('[') && !line.contains('|') {
            section = line[1..line.len() - 1].trim();
            continue;
        }
        out.push(Entry { section, forms: expand(line), line: n + 1 });
    }
    out
}

/// Expands `(a|b)` alternatives and `[a|b]` optional parts.
pub(crate) fn expand(line: &str) -> Vec<String> {
    // segments: each a list of options
    let mut segs: Vec<Vec<String>> = Vec::new();
    let mut lit = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | '[' => {
                let close = if c == '(' { ')' } else { ']' };
                if !lit.is_empty() {
                    segs.push(vec![std::mem::take(&mut lit)]);
                }
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == close {
                        break;
                    }
                    inner.push(d);
                }
                let mut opts: Vec<String> = inner.split('|').map(str::to_string).collect();
                if c == '[' {
                    opts.push(String::new());
                }
                segs.push(opts);
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        segs.push(vec![lit]);
    }
    let mut acc = vec![String::new()];
    for seg in &segs {
        let mut next = Vec::with_capacity(acc.len() * seg.len());
        for a in &acc {
            for o in seg {
                let mut s = a.clone();
                s.push_str(o);
                next.push(s);
            }
        }
        acc = next;
    }
    let mut forms: Vec<String> = acc
        .into_iter()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect();
    forms.dedup();
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands() {
        assert_eq!(expand("walgelijk(|e)"), vec!["walgelijk", "walgelijke"]);
        assert_eq!(expand("[heel|echt] erg"), vec!["heel erg", "echt erg", "erg"]);
        assert_eq!(
            expand("priv(é|e)[-]mening"),
            vec!["privé-mening", "privémening", "prive-mening", "privemening"]
        );
    }

    #[test]
    fn parses_sections_and_comments() {
        let e = parse("# head\n[a]\nx  # why\n\n[b]\ny(|s)\n");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].section, "a");
        assert_eq!(e[0].forms, vec!["x"]);
        assert_eq!(e[1].section, "b");
        assert_eq!(e[1].forms, vec!["y", "ys"]);
        assert_eq!(e[1].line, 6);
    }
}
