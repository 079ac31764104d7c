//! Evaluation: a situation against one protocol's articles, to findings and a verdict.

use compact_str::CompactString;
use magdit_analysis::{Analysis, Analyzer};
use magdit_protocol::{Fact, Lang, Outcome, OutcomeRule, Protocol, Rule, Scope};

use crate::citation::Citation;
use crate::roster::{People, Roster};
use crate::sheet::Sheet;
use crate::situation::Situation;
use crate::template::Context;
use crate::text::Text;
use crate::verdict::{Facts, Finding, Verdict};

/// A protocol with its analyser (school names compiled once).
pub(crate) struct Compiled {
    pub protocol: Protocol,
    pub analyzer: Analyzer,
    /// The indices of the articles with a rule, each with whether it is evaluated after
    /// the verdict ([`Rule::after_verdict`]), worked out once.
    ruled: Vec<(usize, bool)>,
    /// What a finding cites and says, per article (like `protocol.articles`).
    citations: Vec<Citation>,
}

impl Compiled {
    pub fn new(protocol: Protocol) -> Self {
        let analyzer = Analyzer::new(&protocol.meta.school_names);
        let ruled = protocol.articles.iter().enumerate().filter_map(|(i, a)| Some((i, a.rule.as_ref()?.after_verdict()))).collect();
        let citations = protocol.articles.iter().map(|a| Citation::new(a, &protocol.meta.school)).collect();
        Compiled { protocol, analyzer, ruled, citations }
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

        let mut findings = Vec::with_capacity(8);
        if in_scope {
            // The rules binding this actor and act, those before the verdict or those after.
            let applicable = |after: bool| {
                self.ruled.iter().filter(move |r| r.1 == after).filter_map(|&(i, _)| {
                    let rule = self.protocol.articles[i].rule.as_ref()?;
                    (rule.binds_role(s.actor.role) && rule.actions.contains(&s.action)).then_some((&self.citations[i], rule))
                })
            };
            for (cited, rule) in applicable(false) {
                findings.extend(evaluate(cited, rule, &sheet, &ctx));
            }
            sheet.breach = findings.iter().any(|f| f.outcome == Outcome::Forbidden);
            for (cited, rule) in applicable(true) {
                findings.extend(evaluate(cited, rule, &sheet, &ctx));
            }
        } else if let Some(i) = meta.scope_article.as_deref().and_then(|id| self.protocol.articles.iter().position(|a| a.id == id)) {
            findings.push(out_of_scope(&self.citations[i], lang));
        }
        // Most severe first; advice last. Stable, so article order holds within a level.
        findings.sort_by_key(|f| (f.outcome == Outcome::Advice, std::cmp::Reverse(f.outcome.severity())));
        let verdict = findings.iter().map(|f| f.outcome).max_by_key(|o| o.severity()).filter(|o| *o != Outcome::Advice).unwrap_or(Outcome::Allowed);
        let verdict = if verdict.severity() == 0 { Outcome::Allowed } else { verdict };
        let facts = Facts::from_analysis(text, &analysis, |i| CompactString::from(people.get(i).id.as_str()), sheet.about_school, in_scope);
        Verdict { protocol: meta.id.clone(), verdict, findings, facts }
    }
}

/// The first outcome whose conditions hold decides. An outcome that is unknown because a
/// number is missing becomes a `conditional` finding that asks for it, instead of being
/// skipped.
fn evaluate(cited: &Citation, rule: &Rule, sheet: &Sheet<'_>, ctx: &Context<'_>) -> Option<Finding> {
    let value = |f: Fact| sheet.value(f);
    let applies = rule.when.eval(value);
    if applies == Some(false) {
        return None;
    }
    for (k, o) in rule.outcomes.iter().enumerate() {
        let truth = match (applies, o.when.eval(value)) {
            (_, Some(false)) => Some(false),
            (Some(true), t) => t,
            _ => None,
        };
        match truth {
            Some(false) => continue,
            Some(true) => return Some(finding(cited, (k, o), o.outcome, sheet, ctx, Vec::new())),
            None if o.outcome == Outcome::Advice => continue,
            None => {
                let mut missing = rule.when.unknown_facts(value);
                missing.extend(o.when.unknown_facts(value));
                missing.dedup();
                let asks = missing.iter().map(|f| match ctx.lang {
                    Lang::Nl => format!("Ga na {}.", f.label_nl()),
                    Lang::En => format!("Establish `{}`.", f.name()),
                }).map(Text::from).collect();
                return Some(finding(cited, (k, o), Outcome::Conditional, sheet, ctx, asks));
            }
        }
    }
    None
}

/// The finding of `o`, outcome `k` of the cited article's rule (`outcome` is what it comes to).
fn finding(cited: &Citation, (k, o): (usize, &OutcomeRule), outcome: Outcome, sheet: &Sheet<'_>, ctx: &Context<'_>, mut requires: Vec<Text>) -> Finding {
    let texts = &cited.outcomes[k];
    let value = |f: Fact| sheet.value(f);
    let met = o.requires.iter().zip(&texts.requires).filter(|(r, _)| r.when.eval(value) != Some(false));
    requires.extend(met.map(|(_, text)| text.get(ctx.lang).render(ctx)));
    Finding { article: cited.id.clone(), outcome, reason: texts.reason.get(ctx.lang).render(ctx), quote: texts.quote.clone(), requires }
}

fn out_of_scope(cited: &Citation, lang: Lang) -> Finding {
    let reason = match lang {
        Lang::Nl => "Dit valt buiten het protocol: het heeft geen relatie met school, werk of de schoolgemeenschap.",
        Lang::En => "This is outside the protocol: it has no relation to school, work or the school community.",
    };
    Finding { article: cited.id.clone(), outcome: Outcome::Advice, reason: Text::from(reason.to_string()), quote: cited.quote.clone(), requires: Vec::new() }
}
