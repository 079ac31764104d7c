//! Statements and topics in a text: opinion notices, personal title, speaking on behalf
//! of the school, distance from official positions, third-party disclaimers, employee
//! statements, evident opinions, school conversations, education as a topic, and
//! generic mentions of school life (see [`StatementKind`]).
//!
//! Word list: `data/statements.txt`. Recognised in code: "zou/zouden … moeten"
//! (Opinion), "klas 3B", "uit 3B", "in 3B", "klas 2", "groep 8", "groep 7/8"
//! (SchoolMention). An opinion notice also counts as a personal-title statement.

use crate::abuse::{keyword_matches, lexicon::{STATEMENT_BIT0, STATEMENT_SECTIONS}};
use crate::{Analysis, Span, Statement, StatementKind};

/// In the order of [`STATEMENT_SECTIONS`].
const KINDS: [StatementKind; 10] = [
    StatementKind::OpinionNotice,
    StatementKind::PersonalTitle,
    StatementKind::OnBehalfOfSchool,
    StatementKind::OfficialDistance,
    StatementKind::ThirdPartyDisclaimer,
    StatementKind::EmployeeStatement,
    StatementKind::Opinion,
    StatementKind::SchoolConversation,
    StatementKind::EducationTopic,
    StatementKind::SchoolMention,
];

pub(crate) fn find(text: &str, out: &mut Analysis) {
    if text.is_empty() {
        return;
    }
    let first = out.statements.len();
    keyword_matches(text, STATEMENT_BIT0, STATEMENT_SECTIONS.len() as u32, |k, span, _| {
        let kind = KINDS[k];
        out.statements.push(Statement { kind, span });
        if kind == StatementKind::OpinionNotice {
            out.statements.push(Statement { kind: StatementKind::PersonalTitle, span });
        }
    });
    by_words(text, &mut out.statements);
    out.statements[first..].sort_by_key(|s| (s.span.start, s.span.end, s.kind as u8));
    out.statements.dedup();
}

/// Small word-sequence patterns: "zou … moeten", "klas 3B", "groep 8".
fn by_words(text: &str, out: &mut Vec<Statement>) {
    crate::abuse::with_prepared(text, |sc| {
        let norm = &sc.norm;
        let mut zou: Option<(usize, u32)> = None; // token of "zou", its sentence
        let mut ptag = Tag::Other;
        for k in 0..sc.toks.len() {
            let t = sc.toks[k];
            let tag = tag_of(sc.tok_bytes(k));
            let prev_tag = std::mem::replace(&mut ptag, tag);
            if let Some((z, sent)) = zou {
                if sent != t.sent || k - z > 10 {
                    zou = None;
                } else if tag == Tag::Moeten {
                    let s = norm.span(sc.toks[z].s as usize, t.e as usize);
                    out.push(Statement { kind: StatementKind::Opinion, span: s });
                    zou = None;
                }
            }
            if tag == Tag::Zou {
                zou = Some((k, t.sent));
            }
            if k == 0 {
                continue;
            }
            let p = sc.toks[k - 1];
            let ptag = prev_tag;
            if !matches!(ptag, Tag::Klas | Tag::UitIn | Tag::Groep) || norm.text[p.e as usize..t.s as usize] != *b" " {
                continue;
            }
            // the original spelling: the view turns "3ha" into leetspeak
            let orig = norm.span(t.s as usize, t.e as usize);
            let word = &text[orig.start..orig.end];
            let start = norm.span(p.s as usize, p.e as usize).start;
            match ptag {
                // "klas 3B", "uit 3B", "in 3B", "klas 2"
                Tag::Klas | Tag::UitIn if class_code(word, ptag == Tag::Klas) => {
                    out.push(Statement { kind: StatementKind::SchoolMention, span: Span::new(start, orig.end) });
                }
                // "groep 8", "groep 7a", "groep 7/8", "groep acht"
                Tag::Groep if group_code(word) => {
                    let mut end = orig.end;
                    let rest = &text[end..];
                    if let Some(r) = rest.strip_prefix('/').or_else(|| rest.strip_prefix('-')) {
                        if r.as_bytes().first().is_some_and(|b| (b'1'..=b'8').contains(b))
                            && !r.as_bytes().get(1).is_some_and(u8::is_ascii_alphanumeric)
                        {
                            end += 2;
                        }
                    }
                    out.push(Statement { kind: StatementKind::SchoolMention, span: Span::new(start, end) });
                }
                _ => {}
            }
        }
    });
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

fn tag_of(w: &[u8]) -> Tag {
    if !(2..=6).contains(&w.len()) || !matches!(w[0], b'z' | b'm' | b'k' | b'u' | b'i' | b'g') {
        return Tag::Other;
    }
    match w {
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
