//! The situation a person describes: the input half of the check contract
//! (`../shared/contract/check.md`). Unknown fields are errors, so a typo never passes.

use magdit_analysis::PeopleIndex;
use serde::Deserialize;

use magdit_protocol::{Action, Audience, ChannelKind, Consent, DeviceKind, DeviceReason, MediaKind, MediaMaker, Permission, Relation, Role};

use crate::error::SituationError;
use crate::roster::Roster;

/// Limits on what one situation may hold; above them the check refuses with a message.
pub mod limits {
    /// `content.text`, in bytes.
    pub const TEXT_BYTES: usize = 1024 * 1024;
    /// Entries in `people` (a large school's roster).
    pub const PEOPLE: usize = 20_000;
    /// Items in `content.media`.
    pub const MEDIA: usize = 100;
    /// One situation document, in bytes.
    pub const SITUATION_BYTES: usize = 8 * 1024 * 1024;
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    /// Required in a situation file; the service fills in the school's protocol.
    #[serde(default)]
    pub protocol: String,
    pub actor: Actor,
    pub action: Action,
    #[serde(default)]
    pub setting: Setting,
    #[serde(default)]
    pub channel: Channel,
    #[serde(default)]
    pub content: Content,
    #[serde(default)]
    pub counterpart: Counterpart,
    #[serde(default)]
    pub device: Device,
    #[serde(default)]
    pub people: Vec<PersonEntry>,
    /// `people`'s names indexed for the text analysis, built at the first check and kept,
    /// so a situation checked again (or a benchmark) does not rebuild it.
    #[serde(skip)]
    people_index: std::sync::OnceLock<PeopleIndex>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub role: Role,
    pub age: Option<u32>,
    pub id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub during_lesson: Option<bool>,
    pub at_work: Option<bool>,
    pub on_premises: Option<bool>,
    pub permission: Option<Permission>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub kind: Option<ChannelKind>,
    pub name: Option<String>,
    pub audience: Option<Audience>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Content {
    pub text: Option<String>,
    pub about_school: Option<bool>,
    pub on_behalf_of_school: Option<bool>,
    pub confidential: Option<bool>,
    #[serde(default)]
    pub media: Vec<Media>,
    pub reply_to: Option<ReplyTo>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Media {
    pub kind: MediaKind,
    pub school_situation: Option<bool>,
    #[serde(default)]
    pub depicts: Vec<String>,
    pub unidentified_people: Option<u32>,
    pub maker: Option<MediaMaker>,
    pub maker_consent: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyTo {
    pub role: Option<Role>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counterpart {
    pub role: Option<Role>,
    pub relation: Option<Relation>,
    pub years_since_left: Option<f64>,
    #[serde(default)]
    pub members: Vec<Role>,
    pub whole_team: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub kind: Option<DeviceKind>,
    pub reason: Option<DeviceReason>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub id: String,
    pub name: String,
    pub role: Option<Role>,
    pub age: Option<u32>,
    #[serde(default)]
    pub consent: ConsentRecord,
}

/// Consent per purpose. Only `social_media` is read by the shipped rules; the other
/// purposes of the school's consent registry are accepted so a registry export fits.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    pub social_media: Option<Consent>,
    pub website: Option<Consent>,
    pub newsletter: Option<Consent>,
    pub school_guide: Option<Consent>,
    pub school_app: Option<Consent>,
}

impl PersonEntry {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        PersonEntry { id: id.into(), name: name.into(), role: None, age: None, consent: ConsentRecord::default() }
    }

    /// Absent consent is unknown: silence is not consent.
    pub fn social_media_consent(&self) -> Consent {
        self.consent.social_media.unwrap_or(Consent::Unknown)
    }
}

impl Situation {
    /// The names of `people`, indexed for the text analysis.
    pub(crate) fn people_index(&self) -> &PeopleIndex {
        self.people_index.get_or_init(|| self.people.iter().map(|p| &p.name).collect())
    }

    /// Parse one situation from JSON, naming the field and position of any error.
    pub fn from_json(json: &str) -> Result<Situation, SituationError> {
        Situation::from_json_in(json, &ParseContext::default())
    }

    /// Parse one situation in the service's context: `protocol` may be left out, and
    /// `actor.id` and `depicts` may name people of the roster (by id, other id or unique
    /// name); they are rewritten to the roster's ids.
    pub fn from_json_in(json: &str, ctx: &ParseContext<'_>) -> Result<Situation, SituationError> {
        if json.len() > limits::SITUATION_BYTES {
            return Err(SituationError::new("", format!("the situation has {} bytes; at most {} are accepted", json.len(), limits::SITUATION_BYTES)));
        }
        if json.trim().is_empty() {
            return Err(SituationError::new("", "the input is empty; expected a JSON object with at least `protocol`, `actor` and `action`"));
        }
        // Tracking the path to an error slows every valid situation down, so it is done
        // only when there is an error to report: the second reading fails the same way.
        let mut situation = match Situation::deserialize(&mut serde_json::Deserializer::from_str(json)) {
            Ok(situation) => situation,
            Err(_) => {
                let de = &mut serde_json::Deserializer::from_str(json);
                let e = serde_path_to_error::deserialize::<_, Situation>(de).err().expect("the same input fails again");
                let path = e.path().to_string();
                let inner = e.into_inner();
                let path = if path == "." { String::new() } else { path };
                return Err(SituationError::new(&path, crate::error::explain_json(&inner)).at(inner.line(), inner.column()));
            }
        };
        if situation.protocol.is_empty() {
            match ctx.protocol {
                Some(p) => situation.protocol = p.to_owned(),
                None => return Err(SituationError::new("protocol", "missing field `protocol`: name the school's protocol, e.g. `kc-de-marel`")),
            }
        }
        situation.validate_in(ctx.roster)?;
        Ok(situation)
    }

    /// Checks serde cannot express: size limits and references between fields, resolving
    /// references to people through `roster` as well.
    fn validate_in(&mut self, roster: Option<&Roster>) -> Result<(), SituationError> {
        if let Some(text) = &self.content.text {
            if text.len() > limits::TEXT_BYTES {
                return Err(SituationError::new("content.text", format!("the text has {} bytes; at most {} are analysed", text.len(), limits::TEXT_BYTES)));
            }
        }
        if self.people.len() > limits::PEOPLE {
            return Err(SituationError::new("people", format!("{} people given; at most {}", self.people.len(), limits::PEOPLE)));
        }
        if self.content.media.len() > limits::MEDIA {
            return Err(SituationError::new("content.media", format!("{} media items given; at most {}", self.content.media.len(), limits::MEDIA)));
        }
        let mut ids = std::collections::HashSet::with_capacity(self.people.len());
        for (i, p) in self.people.iter().enumerate() {
            if !ids.insert(p.id.as_str()) {
                return Err(SituationError::new(&format!("people[{i}].id"), format!("the id `{}` is used twice in `people`", p.id)));
            }
            if p.name.trim().is_empty() {
                return Err(SituationError::new(&format!("people[{i}].name"), "the name is empty"));
            }
        }
        // An inline id first, then the roster, which answers with its own id for the person.
        let resolve = |key: &str| -> Option<String> {
            if ids.contains(key) {
                return Some(key.to_owned());
            }
            roster.and_then(|r| r.resolve(key)).map(|p| p.id.clone())
        };
        let unknown = if roster.is_some() { "is not anyone in `people` or on the school's roster" } else { "is not the id of anyone in `people`" };
        if let Some(id) = &self.actor.id {
            let found = resolve(id).ok_or_else(|| SituationError::new("actor.id", format!("`{id}` {unknown}")))?;
            self.actor.id = Some(found);
        }
        for (m, media) in self.content.media.iter_mut().enumerate() {
            for (d, id) in media.depicts.iter_mut().enumerate() {
                let found = resolve(id).ok_or_else(|| {
                    SituationError::new(&format!("content.media[{m}].depicts[{d}]"), format!("`{id}` {unknown}; add them to `people` with their consent"))
                })?;
                *id = found;
            }
        }
        Ok(())
    }
}

/// What the service knows around a situation; a situation file has neither.
#[derive(Default, Clone, Copy)]
pub struct ParseContext<'a> {
    /// The protocol to use when the situation names none.
    pub protocol: Option<&'a str>,
    /// People the situation may refer to without listing them.
    pub roster: Option<&'a Roster>,
}
