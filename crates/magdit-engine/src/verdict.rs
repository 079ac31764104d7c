//! The verdict: the output half of the check contract.

use compact_str::CompactString;
use serde::Serialize;

use magdit_analysis::{AbuseKind, Analysis, Span, StatementKind};
use magdit_protocol::Outcome;

use crate::text::Text;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Verdict {
    pub protocol: String,
    /// The most severe outcome among the findings; never `advice`.
    pub verdict: Outcome,
    pub findings: Vec<Finding>,
    pub facts: Facts,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    pub article: Text,
    pub outcome: Outcome,
    pub reason: Text,
    /// Verbatim from the adopted document.
    pub quote: Text,
    pub requires: Vec<Text>,
}

/// What the analysis established, with character offsets into `content.text`.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Facts {
    pub about_school: bool,
    /// False when the protocol limits itself to school-related acts and this is not one.
    pub in_scope: bool,
    pub people: Vec<Mention>,
    pub other_names: Vec<Mention>,
    pub personal_data: Vec<Mention>,
    pub confidential: Vec<Mention>,
    pub insults: Vec<Mention>,
    pub threats: Vec<Mention>,
    pub statements: Vec<Mention>,
    pub school_mentions: Vec<Mention>,
    /// The text says the post is a personal opinion or on personal title.
    pub disclaimer: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Mention {
    /// What was found: `person`, `name`, or a kind (`phone`, `insult`, `health`, …).
    pub kind: &'static str,
    /// For `person`: the id in `people`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<CompactString>,
    /// Most names and numbers fit in the string itself: no heap copy per mention.
    pub text: CompactString,
    /// Character offsets, end exclusive.
    pub start: usize,
    pub end: usize,
}

impl Facts {
    pub(crate) fn from_analysis(text: &str, a: &Analysis, people_ids: impl Fn(usize) -> CompactString, about_school: bool, in_scope: bool) -> Facts {
        let mut offsets = CharOffsets::new(text);
        let mut mention = |kind: &'static str, span: Span| {
            let (start, end) = offsets.chars(span);
            Mention { kind, person: None, text: CompactString::from(&text[span.start..span.end]), start, end }
        };
        let people = a.people.iter().map(|m| Mention { person: Some(people_ids(m.person)), ..mention("person", m.span) }).collect();
        let other_names = a.other_names.iter().map(|s| mention("name", *s)).collect();
        let personal_data = a.personal_data.iter().map(|d| mention(d.kind.as_str(), d.span)).collect();
        let confidential = a.confidential.iter().map(|d| mention(d.kind.as_str(), d.span)).collect();
        let insults = a.abuse.iter().filter(|x| x.kind != AbuseKind::Threat).map(|d| mention(d.kind.as_str(), d.span)).collect();
        let threats = a.abuse.iter().filter(|x| x.kind == AbuseKind::Threat).map(|d| mention(d.kind.as_str(), d.span)).collect();
        let statements = a.statements.iter().filter(|x| x.kind != StatementKind::SchoolMention).map(|d| mention(d.kind.as_str(), d.span)).collect();
        let mut school_mentions: Vec<Mention> = a.school_names.iter().map(|s| mention("school_name", *s)).collect();
        school_mentions.extend(a.statements.iter().filter(|x| x.kind == StatementKind::SchoolMention).map(|d| mention("school_life", d.span)));
        school_mentions.sort_by_key(|m| m.start);
        let disclaimer = a.has_statement(StatementKind::OpinionNotice) || a.has_statement(StatementKind::PersonalTitle);
        Facts { about_school, in_scope, people, other_names, personal_data, confidential, insults, threats, statements, school_mentions, disclaimer }
    }
}

/// Byte → character offsets, walking forward or back from the last one asked: spans come
/// in order within each kind, so converting all of them costs a few passes over the text
/// at most, and none for an ASCII text, where the two are the same.
struct CharOffsets<'t> {
    text: &'t str,
    ascii: bool,
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets { text, ascii: text.is_ascii(), byte: 0, chars: 0 }
    }

    fn at(&mut self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        if byte < self.byte {
            self.chars -= self.text[byte..self.byte].chars().count();
        } else {
            self.chars += self.text[self.byte..byte].chars().count();
        }
        self.byte = byte;
        self.chars
    }

    fn chars(&mut self, span: Span) -> (usize, usize) {
        let start = self.at(span.start);
        (start, self.at(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_in_any_order() {
        for text in ["Sanne en Daan", "Zoë's foto 🎉 met Ünal en Noël"] {
            let mut o = CharOffsets::new(text);
            let bytes: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            // forward, then back to the start, then jumping about
            let order = bytes.iter().chain(bytes.iter().rev()).chain(bytes.iter().step_by(3).rev()).chain(bytes.iter().step_by(2));
            for &b in order {
                assert_eq!(o.at(b), text[..b].chars().count(), "{text:?} at byte {b}");
            }
        }
    }
}
