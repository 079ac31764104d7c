//! The fact sheet: every fact of the vocabulary, computed once per check from the
//! situation and the text analysis. Rules read it; they never see the raw situation.

use magdit_analysis::{AbuseKind, Analysis, StatementKind};
use magdit_protocol::{Action, ChannelKind, Consent, Fact, FactValue, MediaKind, MediaMaker, Permission, Relation, Role};

use crate::roster::People;
use crate::situation::{PersonEntry, Situation};

/// Who a consent condition is about: people recognisable in media or named in the text.
#[derive(Debug, Default)]
pub(crate) struct ConsentGroups {
    /// Indices into `people`, in order of first appearance.
    pub refused: Vec<usize>,
    pub unknown: Vec<usize>,
    /// Recognisable people whose identity is not given.
    pub unidentified: u32,
}

impl ConsentGroups {
    fn add(&mut self, idx: usize, consent: Consent) {
        let list = match consent {
            Consent::Refused => &mut self.refused,
            Consent::Unknown => &mut self.unknown,
            Consent::Given => return,
        };
        if !list.contains(&idx) {
            list.push(idx);
        }
    }
}

pub(crate) struct Sheet<'s> {
    s: &'s Situation,
    people: People<'s>,
    pub about_school: bool,
    confidential: bool,
    text_len: usize,
    media: ConsentGroups,
    school_media: ConsentGroups,
    pub names: ConsentGroups,
    names_people: bool,
    analysis: &'s Analysis,
    pub breach: bool,
}

impl<'s> Sheet<'s> {
    pub fn new(s: &'s Situation, people: People<'s>, analysis: &'s Analysis, actor: Option<usize>) -> Self {
        let mut media = ConsentGroups::default();
        let mut school_media = ConsentGroups::default();
        for m in s.content.media.iter().filter(|m| is_recording(m.kind)) {
            for id in &m.depicts {
                // `validate` guarantees every id is in `people`.
                let Some(idx) = people.position(id) else { continue };
                if Some(idx) == actor {
                    continue;
                }
                let consent = people.get(idx).social_media_consent();
                media.add(idx, consent);
                if m.school_situation == Some(true) {
                    school_media.add(idx, consent);
                }
            }
            let extra = m.unidentified_people.unwrap_or(0);
            media.unidentified += extra;
            if m.school_situation == Some(true) {
                school_media.unidentified += extra;
            }
        }
        let mut names = ConsentGroups::default();
        for mention in &analysis.people {
            names.add(mention.person, people.get(mention.person).social_media_consent());
        }
        let names_people = !analysis.people.is_empty();
        let confidential = s.content.confidential.unwrap_or(!analysis.confidential.is_empty());
        let text_len = s.content.text.as_deref().map_or(0, |t| t.chars().count());
        let about_school = s.content.about_school.unwrap_or_else(|| school_related(s, analysis));
        Sheet { s, people, about_school, confidential, text_len, media, school_media, names, names_people, analysis, breach: false }
    }

    /// People whose consent is refused / unknown, over media and text, in first-seen order.
    pub fn consent_people(&self) -> (Vec<&'s PersonEntry>, Vec<&'s PersonEntry>, u32) {
        let people = self.people;
        let mut refused: Vec<usize> = self.media.refused.clone();
        let mut unknown: Vec<usize> = self.media.unknown.clone();
        for &i in &self.names.refused {
            if !refused.contains(&i) {
                refused.push(i);
            }
        }
        for &i in &self.names.unknown {
            if !unknown.contains(&i) {
                unknown.push(i);
            }
        }
        (refused.iter().map(|&i| people.get(i)).collect(), unknown.iter().map(|&i| people.get(i)).collect(), self.media.unidentified)
    }

    fn has_abuse(&self, kinds: &[AbuseKind]) -> bool {
        self.analysis.abuse.iter().any(|a| kinds.contains(&a.kind))
    }

    fn says(&self, kind: StatementKind) -> bool {
        self.analysis.has_statement(kind)
    }

    pub fn value(&self, fact: Fact) -> FactValue<'s> {
        use FactValue::{Bool, Enum, Number, Text};
        let s = self.s;
        let c = &s.counterpart;
        match fact {
            Fact::ActorRole => Enum(s.actor.role.as_str()),
            Fact::ActorAge => Number(s.actor.age.map(f64::from)),
            Fact::Action => Enum(s.action.as_str()),
            Fact::DuringLesson => Bool(s.setting.during_lesson.unwrap_or(false)),
            Fact::AtWork => Bool(s.setting.at_work.unwrap_or(false)),
            Fact::OnPremises => Bool(s.setting.on_premises.unwrap_or(false)),
            Fact::Permission => Enum(s.setting.permission.map_or("none", Permission::as_str)),
            Fact::ChannelKind => Enum(s.channel.kind.map_or("unknown", ChannelKind::as_str)),
            Fact::ChannelName => Text(s.channel.name.as_deref().unwrap_or("")),
            Fact::ChannelAudience => Enum(s.channel.audience.map_or("unknown", |a| a.as_str())),
            Fact::OnSocialMedia => Bool(match s.channel.kind {
                Some(kind) => matches!(kind, ChannelKind::SocialMedia | ChannelKind::Messaging | ChannelKind::Blog),
                // Friend requests and group chats exist only on social media and chat apps.
                None => matches!(s.action, Action::UseSocialMedia | Action::Befriend | Action::JoinGroup),
            } || s.action == Action::UseSocialMedia),
            Fact::AboutSchool => Bool(self.about_school),
            Fact::OnBehalfOfSchool => Bool(s.content.on_behalf_of_school.unwrap_or(false) || self.says(StatementKind::OnBehalfOfSchool)),
            Fact::Confidential => Bool(self.confidential),
            Fact::Discussion => Bool(s.content.reply_to.is_some()),
            Fact::ReplyToRole => Enum(s.content.reply_to.as_ref().and_then(|r| r.role).map_or("unknown", Role::as_str)),
            Fact::CounterpartRole => Enum(c.role.map_or("unknown", Role::as_str)),
            Fact::CounterpartRelation => Enum(c.relation.unwrap_or(Relation::None).as_str()),
            Fact::YearsSinceLeft => Number(c.years_since_left),
            Fact::GroupHasPupils => Bool(c.members.contains(&Role::Pupil)),
            Fact::GroupHasParents => Bool(c.members.contains(&Role::Parent)),
            Fact::GroupWholeTeam => Bool(c.whole_team.unwrap_or(false)),
            Fact::Internal => Bool(is_internal(s)),
            Fact::DeviceKind => Enum(s.device.kind.map_or("unknown", |k| k.as_str())),
            Fact::DeviceReason => Enum(s.device.reason.map_or("none", |r| r.as_str())),
            Fact::MediaRecording => Bool(s.content.media.iter().any(|m| is_recording(m.kind))),
            Fact::MediaSchoolRecording => Bool(s.content.media.iter().any(|m| is_recording(m.kind) && m.school_situation == Some(true))),
            Fact::MediaShowsPeople => Bool(!self.media.refused.is_empty() || !self.media.unknown.is_empty() || self.media.unidentified > 0 || self.media_shows_consenting()),
            Fact::MediaConsentRefused => Bool(!self.media.refused.is_empty()),
            Fact::MediaConsentUnknown => Bool(!self.media.unknown.is_empty() || self.media.unidentified > 0),
            Fact::SchoolMediaConsentRefused => Bool(!self.school_media.refused.is_empty()),
            Fact::SchoolMediaConsentUnknown => Bool(!self.school_media.unknown.is_empty() || self.school_media.unidentified > 0),
            Fact::MediaOthersWork => Bool(s.content.media.iter().any(|m| m.maker == Some(MediaMaker::Other))),
            Fact::MediaMakerConsent => Enum(maker_consent(s)),
            Fact::TextNamesPeople => Bool(self.names_people),
            Fact::TextNamesConsentRefused => Bool(!self.names.refused.is_empty()),
            Fact::TextNamesConsentUnknown => Bool(!self.names.unknown.is_empty()),
            Fact::TextOtherNames => Bool(!self.analysis.other_names.is_empty()),
            Fact::TextPersonalData => Bool(self.analysis.personal_data.iter().any(|d| d.kind != magdit_analysis::PersonalDataKind::Url)),
            Fact::TextInsult => Bool(self.has_abuse(&[AbuseKind::Insult, AbuseKind::Slur, AbuseKind::DiseaseCurse])),
            Fact::TextThreat => Bool(self.has_abuse(&[AbuseKind::Threat])),
            Fact::TextSexual => Bool(self.has_abuse(&[AbuseKind::Sexual])),
            Fact::TextBullying => Bool(self.has_abuse(&[AbuseKind::Bullying])),
            Fact::TextHate => Bool(self.has_abuse(&[AbuseKind::Hate, AbuseKind::Slur])),
            Fact::TextAbusive => Bool(!self.analysis.abuse.is_empty()),
            Fact::TextOpinion => Bool(self.says(StatementKind::Opinion)),
            Fact::TextOpinionNotice => Bool(self.says(StatementKind::OpinionNotice)),
            Fact::TextPersonalTitle => Bool(self.says(StatementKind::PersonalTitle) || self.says(StatementKind::OpinionNotice)),
            Fact::TextOfficialDistance => Bool(self.says(StatementKind::OfficialDistance)),
            Fact::TextThirdPartyDisclaimer => Bool(self.says(StatementKind::ThirdPartyDisclaimer)),
            Fact::TextEmployeeStatement => Bool(self.says(StatementKind::EmployeeStatement)),
            Fact::TextSchoolConversation => Bool(self.says(StatementKind::SchoolConversation)),
            Fact::TextEducationTopic => Bool(self.says(StatementKind::EducationTopic)),
            Fact::TextLength => Number(Some(self.text_len as f64)),
            Fact::Breach => Bool(self.breach),
        }
    }

    /// Someone recognisable whose consent is given is still someone shown.
    fn media_shows_consenting(&self) -> bool {
        let actor = self.s.actor.id.as_deref();
        self.s.content.media.iter().filter(|m| is_recording(m.kind)).any(|m| m.depicts.iter().any(|id| Some(id.as_str()) != actor))
    }
}

fn is_recording(kind: MediaKind) -> bool {
    kind != MediaKind::Work
}

fn maker_consent(s: &Situation) -> &'static str {
    let others: Vec<Option<bool>> = s.content.media.iter().filter(|m| m.maker == Some(MediaMaker::Other)).map(|m| m.maker_consent).collect();
    if others.is_empty() {
        "not_applicable"
    } else if others.contains(&Some(false)) {
        "refused"
    } else if others.contains(&None) {
        "unknown"
    } else {
        "given"
    }
}

/// Only staff take part: an employee counterpart, an all-staff group, or the whole team.
fn is_internal(s: &Situation) -> bool {
    let staff = |r: &Role| matches!(r, Role::Employee | Role::Manager);
    let c = &s.counterpart;
    c.whole_team == Some(true)
        || (c.members.is_empty() && c.role.as_ref().is_some_and(staff))
        || (!c.members.is_empty() && c.members.iter().all(staff))
}

/// The contract's definition of school-related content, used where a protocol limits its
/// scope: the text mentions the school or names its people, or the act happens in a school
/// setting, shows a school situation, or involves someone in a school role.
fn school_related(s: &Situation, a: &Analysis) -> bool {
    let school_role = |r: &Role| *r != Role::Other;
    let setting = &s.setting;
    !a.school_names.is_empty()
        || a.has_statement(StatementKind::SchoolMention)
        || a.has_statement(StatementKind::SchoolConversation)
        || !a.people.is_empty()
        || setting.during_lesson == Some(true)
        || setting.at_work == Some(true)
        || setting.on_premises == Some(true)
        || s.content.media.iter().any(|m| m.school_situation == Some(true))
        || s.counterpart.role.as_ref().is_some_and(school_role)
        || s.counterpart.members.iter().any(school_role)
        || s.content.reply_to.as_ref().and_then(|r| r.role).is_some_and(|r| school_role(&r))
}
