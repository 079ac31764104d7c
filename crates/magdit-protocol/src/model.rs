//! A loaded, validated protocol. Built only by [`crate::load`], so every value in it is
//! known to be well-formed: rules name only known facts and values, quotes are verbatim.

use crate::condition::Conditions;
use crate::vocab::{Action, Outcome, Role, Scope};

#[derive(Debug, Clone, PartialEq)]
pub struct Protocol {
    pub meta: Meta,
    pub sections: Vec<Section>,
    pub articles: Vec<Article>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub school: String,
    pub board: Option<String>,
    pub version: Option<String>,
    pub adopted_by: Option<String>,
    pub adopted_on: Option<String>,
    pub gmr_consent_on: Option<String>,
    pub in_force_from: Option<String>,
    pub evaluation_interval_months: Option<u32>,
    pub scope: Scope,
    /// The article that limits the scope, cited when an act falls outside it.
    pub scope_article: Option<String>,
    pub school_names: Vec<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: String,
    pub section: String,
    /// Verbatim text of the adopted document.
    pub text: String,
    pub rule: Option<Rule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub binds: Vec<Role>,
    pub actions: Vec<Action>,
    pub when: Conditions,
    /// Ordered: the first outcome whose conditions hold decides.
    pub outcomes: Vec<OutcomeRule>,
}

impl Rule {
    /// Articles that speak about a breach found by others (sanctions, reporting) are
    /// evaluated after the other articles, and only give advice.
    pub fn after_verdict(&self) -> bool {
        self.when.iter().chain(self.outcomes.iter().flat_map(|o| o.when.iter()))
            .any(|c| c.fact == crate::Fact::Breach)
    }

    pub fn binds_role(&self, actor: Role) -> bool {
        self.binds.iter().any(|r| r.includes(actor))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRule {
    pub when: Conditions,
    pub outcome: Outcome,
    pub reason: Localized,
    /// A verbatim part of the article text; `None` quotes the whole article.
    pub quote: Option<String>,
    pub requires: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub text: Localized,
    pub when: Conditions,
}

/// A text for people: Dutch always, English where given.
#[derive(Debug, Clone, PartialEq)]
pub struct Localized {
    pub nl: String,
    pub en: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.en.as_deref().unwrap_or(&self.nl),
            Lang::Nl => &self.nl,
        }
    }
}

impl Protocol {
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }
}

/// The placeholders `reason` and `requires` texts may use; the engine fills them in.
pub const PLACEHOLDERS: &[&str] = &["refused", "unknown", "ask_consent", "school"];
