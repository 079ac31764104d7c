//! Filling the placeholders of reasons and requirements with the people concerned.

use magdit_protocol::Lang;

use crate::situation::PersonEntry;

pub(crate) struct Context<'a> {
    pub refused: Vec<&'a PersonEntry>,
    pub unknown: Vec<&'a PersonEntry>,
    pub unidentified: u32,
    pub school: &'a str,
    pub lang: Lang,
}

impl Context<'_> {
    pub fn fill(&self, template: &str) -> String {
        if !template.contains('{') {
            return template.to_string();
        }
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    out.push_str(&self.placeholder(&after[..close]));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn placeholder(&self, name: &str) -> String {
        match name {
            "refused" => self.list(self.refused.iter().map(|p| p.name.clone()).collect()),
            "unknown" => {
                let mut items: Vec<String> = self.unknown.iter().map(|p| p.name.clone()).collect();
                items.extend(self.unidentified_phrase());
                self.list(items)
            }
            "ask_consent" => {
                let mut items: Vec<String> = self.unknown.iter().map(|p| self.whom_to_ask(p)).collect();
                items.extend(self.unidentified_phrase());
                self.list(items)
            }
            "school" => self.school.to_string(),
            // The loader admits only the names above.
            other => format!("{{{other}}}"),
        }
    }

    fn unidentified_phrase(&self) -> Option<String> {
        match (self.unidentified, self.lang) {
            (0, _) => None,
            (1, Lang::Nl) => Some("de andere herkenbare persoon".into()),
            (n, Lang::Nl) => Some(format!("de {n} andere herkenbare personen")),
            (1, Lang::En) => Some("the other recognisable person".into()),
            (n, Lang::En) => Some(format!("the {n} other recognisable people")),
        }
    }

    /// Under 16 the parents decide about a pupil's images (AVG art. 8, UAVG art. 5).
    fn whom_to_ask(&self, p: &PersonEntry) -> String {
        let minor = match p.age {
            Some(age) => age < 16,
            None => p.role == Some(magdit_protocol::Role::Pupil),
        };
        match (minor, self.lang) {
            (true, Lang::Nl) => format!("de ouders/verzorgers van {}", p.name),
            (true, Lang::En) => format!("the parents/guardians of {}", p.name),
            (false, _) => p.name.clone(),
        }
    }

    fn list(&self, items: Vec<String>) -> String {
        let and = match self.lang {
            Lang::Nl => " en ",
            Lang::En => " and ",
        };
        match items.len() {
            0 => match self.lang {
                Lang::Nl => "de betrokkenen".into(),
                Lang::En => "the people concerned".into(),
            },
            1 => items.into_iter().next().unwrap_or_default(),
            n => format!("{}{and}{}", items[..n - 1].join(", "), items[n - 1]),
        }
    }
}
