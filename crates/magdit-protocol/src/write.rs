//! Writing a protocol back to its file format, so a school's edited or generated
//! protocol can be saved; `load(to_toml(p)) == p` is tested.

use serde_spanned::Spanned;

use crate::condition::Conditions;
use crate::load::{RawArticle, RawFile, RawMeta, RawOutcome, RawRequirement, RawSection, RawText};
use crate::model::{Localized, Protocol};

fn s<T>(v: T) -> Spanned<T> {
    Spanned::new(0..0, v)
}

fn strings(items: impl IntoIterator<Item = String>) -> Vec<Spanned<String>> {
    items.into_iter().map(s).collect()
}

fn text(l: &Localized) -> RawText {
    RawText { nl: l.nl.clone(), en: l.en.clone() }
}

fn conds(c: &Conditions) -> (Vec<Spanned<String>>, Vec<Spanned<String>>) {
    (strings(c.all.iter().map(|c| c.to_string())), strings(c.any.iter().map(|c| c.to_string())))
}

pub fn to_toml(p: &Protocol) -> String {
    let m = &p.meta;
    let raw = RawFile {
        protocol: RawMeta {
            id: s(m.id.clone()),
            title: m.title.clone(),
            school: m.school.clone(),
            board: m.board.clone(),
            version: m.version.clone(),
            adopted_by: m.adopted_by.clone(),
            adopted_on: m.adopted_on.clone().map(s),
            gmr_consent_on: m.gmr_consent_on.clone().map(s),
            in_force_from: m.in_force_from.clone().map(s),
            evaluation_interval_months: m.evaluation_interval_months,
            scope: s(m.scope.as_str().to_string()),
            scope_article: m.scope_article.clone().map(s),
            school_names: m.school_names.clone(),
            source: m.source.clone(),
        },
        section: p.sections.iter().map(|x| RawSection { id: s(x.id.clone()), title: x.title.clone() }).collect(),
        article: p.articles.iter().map(|a| {
            let rule = a.rule.as_ref();
            let (when, when_any) = rule.map(|r| conds(&r.when)).unwrap_or_default();
            RawArticle {
                id: s(a.id.clone()),
                section: s(a.section.clone()),
                text: s(a.text.clone()),
                binds: strings(rule.into_iter().flat_map(|r| r.binds.iter().map(|b| b.to_string()))),
                actions: strings(rule.into_iter().flat_map(|r| r.actions.iter().map(|b| b.to_string()))),
                when,
                when_any,
                outcome: rule.into_iter().flat_map(|r| &r.outcomes).map(|o| {
                    let (when, when_any) = conds(&o.when);
                    s(RawOutcome {
                        when,
                        when_any,
                        outcome: s(o.outcome.to_string()),
                        reason: s(text(&o.reason)),
                        quote: o.quote.clone().map(s),
                        requires: o.requires.iter().map(|r| s(RawRequirement {
                            nl: r.text.nl.clone(),
                            en: r.text.en.clone(),
                            when: conds(&r.when).0,
                        })).collect(),
                    })
                }).collect(),
            }
        }).collect(),
    };
    toml::to_string(&raw).expect("a protocol always serialises to TOML")
}
