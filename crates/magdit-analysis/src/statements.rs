//! Statements and topics in a text: opinion notices, personal title, speaking on behalf
//! of the school, distance from official positions, third-party disclaimers, employee
//! statements, evident opinions, school conversations, education as a topic, and
//! generic mentions of school life (see [`StatementKind`]).
//!
//! Word list: `data/statements.txt`. Recognised in code: "zou/zouden … moeten"
//! (Opinion), "klas 3B", "uit 3B", "in 3B", "klas 2", "groep 8", "groep 7/8"
//! (SchoolMention). An opinion notice also counts as a personal-title statement.

use std::cell::RefCell;
use std::sync::LazyLock;

use crate::normalize::keywords::{Keywords, KwMatch};
use crate::normalize::words;
use crate::{Analysis, Span, Statement, StatementKind};

static KEYWORDS: LazyLock<Keywords<StatementKind>> = LazyLock::new(|| {
    Keywords::build(include_str!("../data/statements.txt"), |s| {
        Some(match s {
            "opinion-notice" => StatementKind::OpinionNotice,
            "personal-title" => StatementKind::PersonalTitle,
            "on-behalf" => StatementKind::OnBehalfOfSchool,
            "official-distance" => StatementKind::OfficialDistance,
            "third-party" => StatementKind::ThirdPartyDisclaimer,
            "employee" => StatementKind::EmployeeStatement,
            "opinion" => StatementKind::Opinion,
            "school-conversation" => StatementKind::SchoolConversation,
            "education-topic" => StatementKind::EducationTopic,
            "school-mention" => StatementKind::SchoolMention,
            _ => return None,
        })
    })
});

thread_local! {
    static MATCHES: RefCell<Vec<KwMatch<'static, StatementKind>>> = const { RefCell::new(Vec::new()) };
}

pub(crate) fn find(text: &str, out: &mut Analysis) {
    if text.is_empty() {
        return;
    }
    let first = out.statements.len();
    let kw: &'static Keywords<StatementKind> = &KEYWORDS;
    MATCHES.with(|cell| {
        let mut fresh = Vec::new();
        let mut guard = cell.try_borrow_mut();
        let ms = match guard.as_deref_mut() {
            Ok(v) => v,
            Err(_) => &mut fresh,
        };
        kw.find(text, ms);
        for m in ms.iter() {
            let span = Span::new(m.start, m.end);
            out.statements.push(Statement { kind: m.kind, span });
            if m.kind == StatementKind::OpinionNotice {
                out.statements.push(Statement { kind: StatementKind::PersonalTitle, span });
            }
        }
    });
    by_words(text, &mut out.statements);
    out.statements[first..].sort_by_key(|s| (s.span.start, s.span.end, s.kind as u8));
    out.statements.dedup();
}

/// Small word-sequence patterns: "zou … moeten", "klas 3B", "groep 8".
fn by_words(text: &str, out: &mut Vec<Statement>) {
    // a short ring of the previous words: (start, end, lowercase-ish tag)
    let mut prev: [(usize, usize, Tag); 2] = [(0, 0, Tag::Other); 2];
    let mut zou: Option<(usize, usize)> = None; // "zou" start, words since
    for (s, e) in words(text) {
        let w = &text[s..e];
        let tag = tag_of(w);
        // sentence end between the previous word and this one resets "zou"
        if let Some((zs, n)) = zou {
            let gap = &text[prev[1].1..s];
            if gap.contains(['.', '!', '?', '\n', ';']) || n > 10 {
                zou = None;
            } else if matches!(tag, Tag::Moeten) {
                out.push(Statement { kind: StatementKind::Opinion, span: Span::new(zs, e) });
                zou = None;
            } else {
                zou = Some((zs, n + 1));
            }
        }
        if matches!(tag, Tag::Zou) {
            zou = Some((s, 0));
        }
        let (ps, _, ptag) = prev[1];
        let adjacent = prev[1].1 <= s && text[prev[1].1..s].chars().all(|c| c == ' ' || c == '\u{a0}');
        if adjacent {
            match ptag {
                // "klas 3B", "uit 3B", "in 3B", "klas 2"
                Tag::Klas | Tag::UitIn if class_code(w, matches!(ptag, Tag::Klas)) => {
                    out.push(Statement { kind: StatementKind::SchoolMention, span: Span::new(ps, e) });
                }
                // "groep 8", "groep 7a", "groep 7/8", "groep acht"
                Tag::Groep if group_code(w) => {
                    let mut end = e;
                    let rest = &text[e..];
                    if let Some(r) = rest.strip_prefix('/').or_else(|| rest.strip_prefix('-')) {
                        if r.as_bytes().first().is_some_and(|b| (b'1'..=b'8').contains(b)) {
                            end = e + 2;
                        }
                    }
                    out.push(Statement { kind: StatementKind::SchoolMention, span: Span::new(ps, end) });
                }
                _ => {}
            }
        }
        prev[0] = prev[1];
        prev[1] = (s, e, tag);
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Tag {
    Other,
    Zou,
    Moeten,
    Klas,
    UitIn,
    Groep,
}

fn tag_of(w: &str) -> Tag {
    if w.len() > 7 {
        return Tag::Other;
    }
    let mut buf = [0u8; 7];
    for (d, b) in buf.iter_mut().zip(w.bytes()) {
        *d = b.to_ascii_lowercase();
    }
    match &buf[..w.len()] {
        b"zou" | b"zouden" => Tag::Zou,
        b"moeten" | b"moet" => Tag::Moeten,
        b"klas" => Tag::Klas,
        b"uit" | b"in" => Tag::UitIn,
        b"groep" => Tag::Groep,
        _ => Tag::Other,
    }
}

/// "3B", "2ha", "4" (only after "klas"), not "3D".
fn class_code(w: &str, after_klas: bool) -> bool {
    let b = w.as_bytes();
    if b.is_empty() || !(b'1'..=b'6').contains(&b[0]) {
        return false;
    }
    let rest = &b[1..];
    if rest.is_empty() {
        return after_klas;
    }
    rest.len() <= 2 && rest.iter().all(u8::is_ascii_alphabetic) && !(rest.len() == 1 && matches!(rest[0], b'd' | b'D' | b'k' | b'K'))
}

fn group_code(w: &str) -> bool {
    let b = w.as_bytes();
    (!b.is_empty() && (b'1'..=b'8').contains(&b[0]) && b.len() <= 2 && b[1..].iter().all(u8::is_ascii_alphabetic))
        || matches!(w.to_lowercase().as_str(), "twee" | "drie" | "vier" | "vijf" | "zes" | "zeven" | "acht")
}
