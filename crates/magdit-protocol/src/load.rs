//! Reading a protocol file: TOML → raw structure (with source spans) → validated
//! [`Protocol`]. Every problem found is reported, each with its place in the file.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

use crate::condition::{Condition, Conditions};
use crate::diagnostic::{LoadError, Problem, Source};
use crate::model::*;
use crate::suggest::did_you_mean;
use crate::vocab::{Action, Outcome, Role, Scope};

/// The most a protocol file may hold; the largest shipped one is about 60 kB.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub protocol: RawMeta,
    #[serde(default)]
    pub section: Vec<RawSection>,
    #[serde(default)]
    pub article: Vec<RawArticle>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeta {
    pub id: Spanned<String>,
    pub title: String,
    pub school: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub board: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adopted_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adopted_on: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gmr_consent_on: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_force_from: Option<Spanned<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation_interval_months: Option<u32>,
    pub scope: Spanned<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_article: Option<Spanned<String>>,
    #[serde(default)]
    pub school_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: Spanned<String>,
    pub title: String,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawArticle {
    pub id: Spanned<String>,
    pub section: Spanned<String>,
    pub text: Spanned<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binds: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when_any: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcome: Vec<Spanned<RawOutcome>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOutcome {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when_any: Vec<Spanned<String>>,
    pub outcome: Spanned<String>,
    pub reason: Spanned<RawText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Spanned<RawRequirement>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawText {
    pub nl: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRequirement {
    pub nl: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Spanned<String>>,
}

/// Load and validate a protocol from the text of a file named `file` (for messages).
pub fn load(file: &str, text: &str) -> Result<Protocol, LoadError> {
    let source = Source::new(file, text);
    if text.len() > MAX_FILE_BYTES {
        let problem = source.problem(0..0, format!("the file has {} bytes; a protocol file may have at most {MAX_FILE_BYTES}", text.len()), "", None);
        return Err(source.error(vec![problem]));
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| source.error(vec![toml_problem(&source, &e)]))?;
    let mut v = Validator { source: &source, problems: Vec::new() };
    let protocol = v.protocol(raw);
    if v.problems.is_empty() {
        Ok(protocol)
    } else {
        Err(source.error(v.problems))
    }
}

fn toml_problem(source: &Source, e: &toml::de::Error) -> Problem {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().to_string();
    // serde names the unknown field and the expected ones in backticks; offer the closest.
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let help = match ticked.split_first() {
        Some((unknown, expected)) if message.starts_with("unknown") => {
            did_you_mean(unknown, expected.iter().copied())
                .or_else(|| Some(format!("expected one of: {}", expected.join(", "))))
        }
        _ => None,
    };
    source.problem(span, message, "here", help)
}

struct Validator<'a> {
    source: &'a Source,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn report(&mut self, span: std::ops::Range<usize>, message: impl Into<String>, label: &str, help: Option<String>) {
        self.problems.push(self.source.problem(span, message.into(), label, help));
    }

    fn protocol(&mut self, raw: RawFile) -> Protocol {
        let m = raw.protocol;
        if !m.id.get_ref().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || m.id.get_ref().is_empty() {
            self.report(m.id.span(), format!("protocol id `{}` must be lowercase letters, digits and dashes", m.id.get_ref()), "this id", None);
        }
        for date in [&m.adopted_on, &m.gmr_consent_on, &m.in_force_from].into_iter().flatten() {
            if !is_iso_date(date.get_ref()) {
                self.report(date.span(), format!("`{}` is not a date", date.get_ref()), "expected YYYY-MM-DD", None);
            }
        }
        let scope = self.named::<Scope>(&m.scope, "scope", Scope::parse, Scope::NAMES).unwrap_or(Scope::All);

        let mut section_ids = HashSet::new();
        let sections: Vec<Section> = raw.section.into_iter().map(|s| {
            if !section_ids.insert(s.id.get_ref().clone()) {
                self.report(s.id.span(), format!("duplicate section id `{}`", s.id.get_ref()), "defined before", None);
            }
            Section { id: s.id.into_inner(), title: s.title }
        }).collect();

        let mut article_ids = HashSet::new();
        let mut articles = Vec::new();
        for a in raw.article {
            if !article_ids.insert(a.id.get_ref().clone()) {
                self.report(a.id.span(), format!("duplicate article id `{}`", a.id.get_ref()), "defined before", None);
            }
            if !section_ids.contains(a.section.get_ref()) {
                let help = did_you_mean(a.section.get_ref(), section_ids.iter().map(String::as_str))
                    .or_else(|| Some("add a [[section]] with this id".into()));
                self.report(a.section.span(), format!("unknown section `{}`", a.section.get_ref()), "no such [[section]]", help);
            }
            articles.push(self.article(a));
        }

        let scope_article = m.scope_article.map(|s| {
            if !article_ids.contains(s.get_ref()) {
                let help = did_you_mean(s.get_ref(), article_ids.iter().map(String::as_str));
                self.report(s.span(), format!("scope_article `{}` is not an article of this file", s.get_ref()), "unknown article", help);
            }
            s.into_inner()
        });
        if scope == Scope::SchoolRelated && scope_article.is_none() {
            self.report(m.scope.span(), "a school_related scope needs `scope_article`", "scope", Some("name the article that limits the protocol to school-related acts".into()));
        }

        Protocol {
            meta: Meta {
                id: m.id.into_inner(),
                title: m.title,
                school: m.school,
                board: m.board,
                version: m.version,
                adopted_by: m.adopted_by,
                adopted_on: m.adopted_on.map(Spanned::into_inner),
                gmr_consent_on: m.gmr_consent_on.map(Spanned::into_inner),
                in_force_from: m.in_force_from.map(Spanned::into_inner),
                evaluation_interval_months: m.evaluation_interval_months,
                scope,
                scope_article,
                school_names: m.school_names,
                source: m.source,
            },
            sections,
            articles,
        }
    }

    fn article(&mut self, a: RawArticle) -> Article {
        let text = a.text.get_ref().trim().to_string();
        if text.is_empty() {
            self.report(a.text.span(), format!("article `{}` has no text", a.id.get_ref()), "empty", Some("copy the article's text verbatim from the adopted document".into()));
        }
        let has_rule = !(a.binds.is_empty() && a.actions.is_empty() && a.when.is_empty() && a.when_any.is_empty() && a.outcome.is_empty());
        let rule = has_rule.then(|| {
            if a.outcome.is_empty() {
                self.report(a.id.span(), format!("article `{}` has a rule but no [[article.outcome]]", a.id.get_ref()), "this article", Some("add an outcome, or remove binds/actions/when".into()));
            }
            if a.binds.is_empty() {
                self.report(a.id.span(), format!("the rule of article `{}` binds no one", a.id.get_ref()), "this article", Some(format!("add `binds = [..]` with roles from: {}", Role::NAMES.join(", "))));
            }
            if a.actions.is_empty() {
                self.report(a.id.span(), format!("the rule of article `{}` names no actions", a.id.get_ref()), "this article", Some(format!("add `actions = [..]` with actions from: {}", Action::NAMES.join(", "))));
            }
            let binds = a.binds.iter().filter_map(|r| self.named(r, "role", Role::parse, Role::NAMES)).collect();
            let actions = a.actions.iter().filter_map(|r| self.named(r, "action", Action::parse, Action::NAMES)).collect();
            let when = self.conditions(&a.when, &a.when_any);
            let outcomes: Vec<OutcomeRule> = a.outcome.iter().map(|o| self.outcome(o, &text)).collect();
            self.check_order(&a.outcome, &outcomes);
            let rule = Rule { binds, actions, when, outcomes };
            if rule.after_verdict() {
                for (raw, o) in a.outcome.iter().zip(&rule.outcomes) {
                    if o.outcome != Outcome::Advice {
                        self.report(raw.get_ref().outcome.span(), "an article that tests `breach` may only give advice", "not advice", Some("`breach` is known only after the other articles; use `outcome = \"advice\"`".into()));
                    }
                }
            }
            rule
        });
        Article { id: a.id.into_inner(), section: a.section.into_inner(), text, rule }
    }

    /// An outcome without conditions matches always: any outcome after it is dead.
    fn check_order(&mut self, raw: &[Spanned<RawOutcome>], outcomes: &[OutcomeRule]) {
        if let Some(i) = outcomes.iter().position(|o| o.when.is_empty()) {
            if let Some(dead) = raw.get(i + 1) {
                self.report(dead.span(), "this outcome can never be reached", "unreachable", Some("an earlier outcome has no `when` and always matches; move this one before it".into()));
            }
        }
    }

    fn outcome(&mut self, raw: &Spanned<RawOutcome>, article_text: &str) -> OutcomeRule {
        let o = raw.get_ref();
        let outcome = self.named(&o.outcome, "outcome", Outcome::parse, Outcome::NAMES).unwrap_or(Outcome::Advice);
        let when = self.conditions(&o.when, &o.when_any);
        let quote = o.quote.as_ref().map(|q| {
            let trimmed = q.get_ref().trim();
            if !article_text.contains(trimmed) {
                self.report(q.span(), "the quote is not a verbatim part of the article text", "not in the text", Some("copy the sentence exactly from the article's `text`".into()));
            }
            trimmed.to_string()
        });
        let reason = self.localized(&o.reason.get_ref().nl, &o.reason.get_ref().en, o.reason.span());
        let requires = o.requires.iter().map(|r| {
            let req = r.get_ref();
            Requirement { text: self.localized(&req.nl, &req.en, r.span()), when: self.conditions(&req.when, &[]) }
        }).collect();
        OutcomeRule { when, outcome, reason, quote, requires }
    }

    fn localized(&mut self, nl: &str, en: &Option<String>, span: std::ops::Range<usize>) -> Localized {
        if nl.trim().is_empty() {
            self.report(span.clone(), "the Dutch text (`nl`) is empty", "empty", None);
        }
        for text in std::iter::once(nl).chain(en.as_deref()) {
            for name in placeholders(text) {
                if !PLACEHOLDERS.contains(&name) {
                    let help = did_you_mean(name, PLACEHOLDERS.iter().copied())
                        .or_else(|| Some(format!("placeholders: {}", PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", "))));
                    self.report(span.clone(), format!("unknown placeholder `{{{name}}}`"), "in this text", help);
                }
            }
        }
        Localized { nl: nl.trim().to_string(), en: en.as_ref().map(|e| e.trim().to_string()) }
    }

    fn conditions(&mut self, all: &[Spanned<String>], any: &[Spanned<String>]) -> Conditions {
        Conditions {
            all: all.iter().filter_map(|c| self.condition(c)).collect(),
            any: any.iter().filter_map(|c| self.condition(c)).collect(),
        }
    }

    fn condition(&mut self, raw: &Spanned<String>) -> Option<Condition> {
        match Condition::parse(raw.get_ref()) {
            Ok(c) => Some(c),
            Err(e) => {
                // Point inside the string literal: skip its opening quote(s).
                let lit = raw.span();
                let quote_len = if self.source.text()[lit.start..].starts_with("\"\"\"") || self.source.text()[lit.start..].starts_with("'''") { 3 } else { 1 };
                let start = lit.start + quote_len + e.range.0;
                let end = (lit.start + quote_len + e.range.1).min(lit.end);
                self.report(start..end.max(start), e.message, "here", e.help);
                None
            }
        }
    }

    fn named<T>(&mut self, raw: &Spanned<String>, what: &str, parse: fn(&str) -> Option<T>, names: &[&str]) -> Option<T> {
        let found = parse(raw.get_ref());
        if found.is_none() {
            let help = did_you_mean(raw.get_ref(), names.iter().copied())
                .or_else(|| Some(format!("expected one of: {}", names.join(", "))));
            self.report(raw.span(), format!("unknown {what} `{}`", raw.get_ref()), &format!("not a known {what}"), help);
        }
        found
    }
}

fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name))
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(s[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u8>(), Ok(1..=31))
}
