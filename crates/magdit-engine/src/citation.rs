//! What a finding of an article says, made once per protocol: its id, its quotes, and its
//! reasons and requirements in each language.

use magdit_protocol::{Article, Lang, Localized};

use crate::template::Template;
use crate::text::Text;

pub(crate) struct Citation {
    pub id: Text,
    /// The article's whole text.
    pub quote: Text,
    /// Per outcome of the article's rule, in its order.
    pub outcomes: Vec<OutcomeTexts>,
}

pub(crate) struct OutcomeTexts {
    /// The part of the article this outcome cites, or the whole.
    pub quote: Text,
    pub reason: PerLang<Template>,
    /// Per requirement of the outcome, in its order.
    pub requires: Vec<PerLang<Template>>,
}

pub(crate) struct PerLang<T> {
    nl: T,
    en: T,
}

impl<T> PerLang<T> {
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

impl PerLang<Template> {
    fn new(text: &Localized, school: &str) -> Self {
        PerLang { nl: Template::new(text.get(Lang::Nl), school, Lang::Nl), en: Template::new(text.get(Lang::En), school, Lang::En) }
    }
}

impl Citation {
    pub fn new(a: &Article, school: &str) -> Self {
        let quote = Text::shared(&a.text);
        let outcomes = a
            .rule
            .iter()
            .flat_map(|r| &r.outcomes)
            .map(|o| OutcomeTexts {
                quote: o.quote.as_deref().map_or_else(|| quote.clone(), Text::shared),
                reason: PerLang::new(&o.reason, school),
                requires: o.requires.iter().map(|r| PerLang::new(&r.text, school)).collect(),
            })
            .collect();
        Citation { id: Text::shared(&a.id), quote, outcomes }
    }
}
