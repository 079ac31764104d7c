//! The "mag dit?" check: a situation in, a verdict out, exactly as
//! `../shared/contract/check.md` describes. Pure: no I/O, no clocks, no globals that
//! change; an [`Engine`] is built once from validated protocols and is then read-only.

mod citation;
mod error;
mod evaluate;
mod roster;
mod sheet;
mod situation;
mod template;
mod text;
mod verdict;

pub use error::SituationError;
pub use roster::Roster;
pub use situation::{limits, Actor, Channel, ConsentRecord, Content, Counterpart, Device, Media, ParseContext, PersonEntry, ReplyTo, Setting, Situation};
pub use text::Text;
pub use verdict::{Facts, Finding, Mention, Verdict};

use magdit_protocol::{Lang, Protocol};

use evaluate::Compiled;

/// The protocols a check can name, each with its compiled analyser.
pub struct Engine {
    protocols: Vec<Compiled>,
}

impl Engine {
    /// An engine over `protocols`; a later protocol with the same id replaces an earlier one,
    /// so a school's own file can override a shipped one.
    pub fn new(protocols: impl IntoIterator<Item = Protocol>) -> Self {
        let mut engine = Engine { protocols: Vec::new() };
        for p in protocols {
            engine.add(p);
        }
        engine
    }

    /// The five shipped protocols.
    pub fn builtin() -> Self {
        Engine::new(magdit_protocol::builtin::protocols())
    }

    pub fn add(&mut self, protocol: Protocol) {
        self.protocols.retain(|c| c.protocol.meta.id != protocol.meta.id);
        self.protocols.push(Compiled::new(protocol));
    }

    pub fn protocols(&self) -> impl Iterator<Item = &Protocol> {
        self.protocols.iter().map(|c| &c.protocol)
    }

    pub fn protocol(&self, id: &str) -> Option<&Protocol> {
        self.protocols().find(|p| p.meta.id == id)
    }

    /// Check a situation. Fails only when it names a protocol this engine does not know.
    pub fn check(&self, situation: &Situation, lang: Lang) -> Result<Verdict, SituationError> {
        self.check_in(situation, None, lang)
    }

    /// Check a situation whose people include a school's `roster` (parse it with
    /// [`Situation::from_json_in`] and the same roster).
    pub fn check_in(&self, situation: &Situation, roster: Option<&Roster>, lang: Lang) -> Result<Verdict, SituationError> {
        let compiled = self.protocols.iter().find(|c| c.protocol.meta.id == situation.protocol).ok_or_else(|| {
            let known: Vec<&str> = self.protocols().map(|p| p.meta.id.as_str()).collect();
            SituationError::new("protocol", format!("unknown protocol `{}`; known protocols: {}", situation.protocol, known.join(", ")))
        })?;
        Ok(compiled.check(situation, roster, lang))
    }

    /// Parse and check one situation given as JSON.
    pub fn check_json(&self, json: &str, lang: Lang) -> Result<Verdict, SituationError> {
        self.check(&Situation::from_json(json)?, lang)
    }
}
