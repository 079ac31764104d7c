//! Filling the placeholders of reasons and requirements with the people concerned.

use std::fmt::Write;

use magdit_protocol::Lang;

use crate::situation::PersonEntry;
use crate::text::Text;

/// A reason or requirement of a protocol, ready for checks: filled once when it names
/// nobody (only `{school}`, the same for every check), else filled per check.
pub(crate) enum Template {
    Fixed(Text),
    PerCheck(String),
}

/// The placeholders whose value depends on the check's people.
const PER_CHECK: &[&str] = &["{refused}", "{unknown}", "{ask_consent}"];

impl Template {
    pub fn new(template: &str, school: &str, lang: Lang) -> Template {
        if PER_CHECK.iter().any(|p| template.contains(p)) {
            Template::PerCheck(template.to_string())
        } else {
            let ctx = Context { refused: Vec::new(), unknown: Vec::new(), unidentified: 0, school, lang };
            Template::Fixed(Text::shared(&ctx.fill(template)))
        }
    }

    pub fn render(&self, ctx: &Context<'_>) -> Text {
        match self {
            Template::Fixed(text) => text.clone(),
            Template::PerCheck(template) => Text::from(ctx.fill(template)),
        }
    }
}

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
                    self.placeholder(&after[..close], &mut out);
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

    /// Writes the value of placeholder `name` to `out`.
    fn placeholder(&self, name: &str, out: &mut String) {
        let unknown = self.unknown.len();
        let unidentified = usize::from(self.unidentified > 0);
        match name {
            "refused" => self.list(out, self.refused.len(), |out, k| out.push_str(&self.refused[k].name)),
            "unknown" => self.list(out, unknown + unidentified, |out, k| match self.unknown.get(k) {
                Some(p) => out.push_str(&p.name),
                None => self.unidentified_phrase(out),
            }),
            "ask_consent" => self.list(out, unknown + unidentified, |out, k| match self.unknown.get(k) {
                Some(p) => self.whom_to_ask(p, out),
                None => self.unidentified_phrase(out),
            }),
            "school" => out.push_str(self.school),
            // The loader admits only the names above.
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
    }

    /// The other recognisable people (when there are any).
    fn unidentified_phrase(&self, out: &mut String) {
        match (self.unidentified, self.lang) {
            (0, _) => {}
            (1, Lang::Nl) => out.push_str("de andere herkenbare persoon"),
            (n, Lang::Nl) => {
                let _ = write!(out, "de {n} andere herkenbare personen");
            }
            (1, Lang::En) => out.push_str("the other recognisable person"),
            (n, Lang::En) => {
                let _ = write!(out, "the {n} other recognisable people");
            }
        }
    }

    /// Under 16 the parents decide about a pupil's images (AVG art. 8, UAVG art. 5).
    fn whom_to_ask(&self, p: &PersonEntry, out: &mut String) {
        let minor = match p.age {
            Some(age) => age < 16,
            None => p.role == Some(magdit_protocol::Role::Pupil),
        };
        match (minor, self.lang) {
            (true, Lang::Nl) => out.push_str("de ouders/verzorgers van "),
            (true, Lang::En) => out.push_str("the parents/guardians of "),
            (false, _) => {}
        }
        out.push_str(&p.name);
    }

    /// Writes `n` items ("a, b en c"), each written by `item`.
    fn list(&self, out: &mut String, n: usize, mut item: impl FnMut(&mut String, usize)) {
        let and = match self.lang {
            Lang::Nl => " en ",
            Lang::En => " and ",
        };
        if n == 0 {
            out.push_str(match self.lang {
                Lang::Nl => "de betrokkenen",
                Lang::En => "the people concerned",
            });
        }
        for k in 0..n {
            if k > 0 {
                out.push_str(if k + 1 == n { and } else { ", " });
            }
            item(out, k);
        }
    }
}
