//! Evaluation: a situation against one protocol's articles, to findings and a verdict.

use magdit_analysis::{Analysis, Analyzer};
use magdit_protocol::{Article, Fact, Lang, Localized, Outcome, OutcomeRule, Protocol, Rule, Scope};

use crate::roster::{People, Roster};
use crate::sheet::Sheet;
use crate::situation::Situation;
use crate::template::Context;
use crate::verdict::{Facts, Finding, Verdict};

/// A protocol with its analyser (school names compiled once).
pub(crate) struct Compiled {
    pub protocol: Protocol,
    pub analyzer: Analyzer,
    /// The indices of the articles with a rule, each with whether it is evaluated after
    /// the verdict ([`Rule::after_verdict`]), worked out once.
    ruled: Vec<(usize, bool)>,
}

impl Compiled {
    pub fn new(protocol: Protocol) -> Self {
        let analyzer = Analyzer::new(&protocol.meta.school_names);
        let ruled = protocol.articles.iter().enumerate().filter_map(|(i, a)| Some((i, a.rule.as_ref()?.after_verdict()))).collect();
        Compiled { protocol, analyzer, ruled }
    }

    pub fn check(&self, s: &Situation, roster: Option<&Roster>, lang: Lang) -> Verdict {
        let text = s.content.text.as_deref().unwrap_or("");
        let people = People::new(&s.people, roster);
        let actor = s.actor.id.as_deref().and_then(|id| people.position(id));
        let analysis = if text.is_empty() {
            Analysis::default()
        } else {
            // Numbered like `people`: inline first, then the roster.
            let inline = s.people_index();
            match roster {
                Some(r) => self.analyzer.analyze(text, &[inline, r.people_index()], actor),
                None => self.analyzer.analyze(text, &[inline], actor),
            }
        };
        let mut sheet = Sheet::new(s, people, &analysis, actor);
        let meta = &self.protocol.meta;
        let in_scope = meta.scope == Scope::All || sheet.about_school;
        let (refused, unknown, unidentified) = sheet.consent_people();
        let ctx = Context { refused, unknown, unidentified, school: &meta.school, lang };

        let mut findings = Vec::new();
        if in_scope {
            let rules = self.ruled.iter().filter_map(|&(i, after)| {
                let article = &self.protocol.articles[i];
                article.rule.as_ref().map(|r| (article, r, after))
            });
            let applicable: Vec<(&Article, &Rule, bool)> = rules
                .filter(|(_, r, _)| r.binds_role(s.actor.role) && r.actions.contains(&s.action))
                .collect();
            for (article, rule, _) in applicable.iter().filter(|(_, _, after)| !after) {
                findings.extend(evaluate(article, rule, &sheet, &ctx));
            }
            sheet.breach = findings.iter().any(|f| f.outcome == Outcome::Forbidden);
            for (article, rule, _) in applicable.iter().filter(|(_, _, after)| *after) {
                findings.extend(evaluate(article, rule, &sheet, &ctx));
            }
        } else if let Some(article) = meta.scope_article.as_deref().and_then(|id| self.protocol.article(id)) {
            findings.push(out_of_scope(article, lang));
        }
        // Most severe first; advice last. Stable, so article order holds within a level.
        findings.sort_by_key(|f| (f.outcome == Outcome::Advice, std::cmp::Reverse(f.outcome.severity())));
        let verdict = findings.iter().map(|f| f.outcome).max_by_key(|o| o.severity()).filter(|o| *o != Outcome::Advice).unwrap_or(Outcome::Allowed);
        let verdict = if verdict.severity() == 0 { Outcome::Allowed } else { verdict };
        let facts = Facts::from_analysis(text, &analysis, |i| people.get(i).id.clone(), sheet.about_school, in_scope);
        Verdict { protocol: meta.id.clone(), verdict, findings, facts }
    }
}

/// The first outcome whose conditions hold decides. An outcome that is unknown because a
/// number is missing becomes a `conditional` finding that asks for it, instead of being
/// skipped.
fn evaluate(article: &Article, rule: &Rule, sheet: &Sheet<'_>, ctx: &Context<'_>) -> Option<Finding> {
    let value = |f: Fact| sheet.value(f);
    let applies = rule.when.eval(value);
    if applies == Some(false) {
        return None;
    }
    for o in &rule.outcomes {
        let truth = match (applies, o.when.eval(value)) {
            (_, Some(false)) => Some(false),
            (Some(true), t) => t,
            _ => None,
        };
        match truth {
            Some(false) => continue,
            Some(true) => return Some(finding(article, o, o.outcome, sheet, ctx, Vec::new())),
            None if o.outcome == Outcome::Advice => continue,
            None => {
                let mut missing = rule.when.unknown_facts(value);
                missing.extend(o.when.unknown_facts(value));
                missing.dedup();
                let asks = missing.iter().map(|f| match ctx.lang {
                    Lang::Nl => format!("Ga na {}.", f.label_nl()),
                    Lang::En => format!("Establish `{}`.", f.name()),
                }).collect();
                return Some(finding(article, o, Outcome::Conditional, sheet, ctx, asks));
            }
        }
    }
    None
}

fn finding(article: &Article, o: &OutcomeRule, outcome: Outcome, sheet: &Sheet<'_>, ctx: &Context<'_>, mut requires: Vec<String>) -> Finding {
    let value = |f: Fact| sheet.value(f);
    requires.extend(o.requires.iter().filter(|r| r.when.eval(value) != Some(false)).map(|r| ctx.fill(r.text.get(ctx.lang))));
    Finding {
        article: article.id.clone(),
        outcome,
        reason: ctx.fill(o.reason.get(ctx.lang)),
        quote: o.quote.clone().unwrap_or_else(|| article.text.clone()),
        requires,
    }
}

fn out_of_scope(article: &Article, lang: Lang) -> Finding {
    let reason = Localized {
        nl: "Dit valt buiten het protocol: het heeft geen relatie met school, werk of de schoolgemeenschap.".into(),
        en: Some("This is outside the protocol: it has no relation to school, work or the school community.".into()),
    };
    Finding { article: article.id.clone(), outcome: Outcome::Advice, reason: reason.get(lang).to_string(), quote: article.text.clone(), requires: Vec::new() }
}
