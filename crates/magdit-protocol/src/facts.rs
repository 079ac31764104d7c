//! The facts rule conditions may test. The list is closed: a protocol file naming any
//! other fact does not load, so a rule can never meet a fact the engine cannot supply.

/// What kind of value a fact has, and so which tests a condition may apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    Bool,
    /// One of a closed set of names.
    Enum(&'static [&'static str]),
    /// A number that may be missing (then comparisons are unknown).
    Number,
    /// Free text, compared case-insensitively.
    Text,
}

/// The value of a fact in one situation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FactValue<'a> {
    Bool(bool),
    Enum(&'static str),
    Number(Option<f64>),
    Text(&'a str),
}

const ROLES_OR_UNKNOWN: &[&str] =
    &["employee", "manager", "pupil", "parent", "volunteer", "other", "unknown"];

macro_rules! facts {
    ($($variant:ident => $name:literal, $kind:expr, $label:literal;)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Fact { $($variant),+ }

        impl Fact {
            pub const ALL: &'static [Fact] = &[$(Fact::$variant),+];
            pub fn name(self) -> &'static str { match self { $(Fact::$variant => $name),+ } }
            pub fn kind(self) -> FactKind { match self { $(Fact::$variant => $kind),+ } }
            /// What to establish when the fact is missing, in Dutch.
            pub fn label_nl(self) -> &'static str { match self { $(Fact::$variant => $label),+ } }
            pub fn parse(s: &str) -> Option<Fact> {
                match s { $($name => Some(Fact::$variant),)+ _ => None }
            }
        }
    };
}

use FactKind::{Bool, Number, Text};

facts! {
    ActorRole => "actor.role", FactKind::Enum(&["employee", "manager", "pupil", "parent", "volunteer", "other"]), "je rol";
    ActorAge => "actor.age", Number, "hoe oud je bent";
    Action => "action", FactKind::Enum(&["post", "share", "message", "befriend", "join_group", "use_social_media", "use_device"]), "wat je gaat doen";
    DuringLesson => "during_lesson", Bool, "of het tijdens de les is";
    AtWork => "at_work", Bool, "of het in een werksituatie is";
    OnPremises => "on_premises", Bool, "of het op het schoolterrein is";
    Permission => "permission", FactKind::Enum(&["teacher", "school_management", "none"]), "of er toestemming is";
    ChannelKind => "channel.kind", FactKind::Enum(&["social_media", "messaging", "email", "school_app", "phone", "blog", "unknown"]), "via welk soort kanaal";
    ChannelName => "channel.name", Text, "via welk kanaal";
    ChannelAudience => "channel.audience", FactKind::Enum(&["public", "group", "private", "unknown"]), "voor wie het zichtbaar is";
    OnSocialMedia => "on_social_media", Bool, "of het op sociale media is";
    AboutSchool => "about_school", Bool, "of het met school te maken heeft";
    OnBehalfOfSchool => "on_behalf_of_school", Bool, "of het namens de school is";
    Confidential => "confidential", Bool, "of het vertrouwelijk is";
    Discussion => "discussion", Bool, "of het een reactie in een discussie is";
    ReplyToRole => "reply_to.role", FactKind::Enum(ROLES_OR_UNKNOWN), "op wie je reageert";
    CounterpartRole => "counterpart.role", FactKind::Enum(ROLES_OR_UNKNOWN), "wie de ander is";
    CounterpartRelation => "counterpart.relation", FactKind::Enum(&["none", "pre_existing", "former_pupil"]), "welke band je met de ander hebt";
    YearsSinceLeft => "counterpart.years_since_left", Number, "hoeveel jaar de oud-leerling van school is";
    GroupHasPupils => "group.has_pupils", Bool, "of er leerlingen in de groep zitten";
    GroupHasParents => "group.has_parents", Bool, "of er ouders in de groep zitten";
    GroupWholeTeam => "group.whole_team", Bool, "of de groep het hele team is";
    Internal => "internal", Bool, "of alleen collega's het ontvangen";
    DeviceKind => "device.kind", FactKind::Enum(&["phone", "smartwatch", "tablet", "laptop", "other", "unknown"]), "welk apparaat";
    DeviceReason => "device.reason", FactKind::Enum(&["medical", "assignment", "none"]), "waarvoor je het apparaat gebruikt";
    MediaRecording => "media.recording", Bool, "of er beeld of geluid bij zit";
    MediaSchoolRecording => "media.school_recording", Bool, "of het beeld in een schoolsituatie is gemaakt";
    MediaShowsPeople => "media.shows_people", Bool, "wie er herkenbaar in beeld is";
    MediaConsentRefused => "media.consent_refused", Bool, "of iemand in beeld toestemming weigerde";
    MediaConsentUnknown => "media.consent_unknown", Bool, "of iedereen in beeld toestemming gaf";
    SchoolMediaConsentRefused => "school_media.consent_refused", Bool, "of iemand in beeld toestemming weigerde";
    SchoolMediaConsentUnknown => "school_media.consent_unknown", Bool, "of iedereen in beeld toestemming gaf";
    MediaOthersWork => "media.others_work", Bool, "of het werk van een ander is";
    MediaMakerConsent => "media.maker_consent", FactKind::Enum(&["given", "refused", "unknown", "not_applicable"]), "of de maker toestemming gaf";
    TextNamesPeople => "text.names_people", Bool, "wie er in de tekst genoemd wordt";
    TextNamesConsentRefused => "text.names_consent_refused", Bool, "of iemand die je noemt toestemming weigerde";
    TextNamesConsentUnknown => "text.names_consent_unknown", Bool, "of iedereen die je noemt toestemming gaf";
    TextOtherNames => "text.other_names", Bool, "of je andere mensen bij naam noemt";
    TextPersonalData => "text.personal_data", Bool, "of er persoonsgegevens in de tekst staan";
    TextInsult => "text.insult", Bool, "of er beledigingen in de tekst staan";
    TextThreat => "text.threat", Bool, "of er bedreigingen in de tekst staan";
    TextSexual => "text.sexual", Bool, "of er seksueel grensoverschrijdende taal in staat";
    TextBullying => "text.bullying", Bool, "of de tekst tot pesten aanzet";
    TextHate => "text.hate", Bool, "of de tekst groepen kleineert";
    TextAbusive => "text.abusive", Bool, "of de tekst kwetsend is";
    TextOpinion => "text.opinion", Bool, "of het een persoonlijke mening is";
    TextOpinionNotice => "text.opinion_notice", Bool, "of je vermeldt dat het je persoonlijke mening is";
    TextPersonalTitle => "text.personal_title", Bool, "of je vermeldt dat het op persoonlijke titel is";
    TextOfficialDistance => "text.official_distance", Bool, "of je vermeldt dat het los staat van de officiële standpunten";
    TextThirdPartyDisclaimer => "text.third_party_disclaimer", Bool, "of je vermeldt dat je niet verantwoordelijk bent voor reacties van derden";
    TextEmployeeStatement => "text.employee_statement", Bool, "of je vermeldt dat je medewerker bent";
    TextSchoolConversation => "text.school_conversation", Bool, "of het over een gesprek op school gaat";
    TextEducationTopic => "text.education_topic", Bool, "of het over onderwijs gaat";
    TextLength => "text.length", Number, "hoe lang de tekst is";
    Breach => "breach", Bool, "of een ander artikel het verbiedt";
}

impl Fact {
    /// The names a condition may compare this fact with, for enumerated facts.
    pub fn values(self) -> &'static [&'static str] {
        match self.kind() {
            FactKind::Enum(values) => values,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_parses_back_from_its_name() {
        for fact in Fact::ALL {
            assert_eq!(Fact::parse(fact.name()), Some(*fact));
        }
    }

    #[test]
    fn fact_names_are_unique() {
        let mut names: Vec<_> = Fact::ALL.iter().map(|f| f.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Fact::ALL.len());
    }
}
