//! The verdict: the output half of the check contract.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use magdit_analysis::{AbuseKind, Analysis, Span, StatementKind};
use magdit_protocol::Outcome;

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
    pub article: String,
    pub outcome: Outcome,
    pub reason: String,
    /// Verbatim from the adopted document.
    pub quote: Quote,
    pub requires: Vec<String>,
}

/// The verbatim text a finding quotes: an article, or the part of it an outcome cites.
/// Made once per protocol and shared by every finding that cites it, with its JSON string
/// form ready: copying and escaping long article texts anew for every answer was about
/// 5 % of a `check --jsonl` line's work. Reads as a `str`; serialises as the JSON string.
#[derive(Clone)]
pub struct Quote(Arc<QuoteText>);

struct QuoteText {
    text: String,
    json: Box<RawValue>,
}

impl Quote {
    pub fn new(text: &str) -> Quote {
        let json = serde_json::to_string(text).and_then(RawValue::from_string).expect("a string serialises to a JSON string");
        Quote(Arc::new(QuoteText { text: text.to_string(), json }))
    }

    pub fn as_str(&self) -> &str {
        &self.0.text
    }
}

impl Deref for Quote {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Quote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Quote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Quote {
    fn eq(&self, other: &Quote) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for Quote {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.json.serialize(s)
    }
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
    pub person: Option<String>,
    pub text: String,
    /// Character offsets, end exclusive.
    pub start: usize,
    pub end: usize,
}

impl Facts {
    pub(crate) fn from_analysis(text: &str, a: &Analysis, people_ids: impl Fn(usize) -> String, about_school: bool, in_scope: bool) -> Facts {
        let mut offsets = CharOffsets::new(text);
        let mut mention = |kind: &'static str, span: Span| {
            let (start, end) = offsets.chars(span);
            Mention { kind, person: None, text: text[span.start..span.end].to_string(), start, end }
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

/// Byte → character offsets, walking forward: spans come mostly in order, so converting
/// all of them costs about one pass over the text.
struct CharOffsets<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> Self {
        CharOffsets { text, byte: 0, chars: 0 }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }

    fn chars(&mut self, span: Span) -> (usize, usize) {
        let start = self.at(span.start);
        (start, self.at(span.end))
    }
}
