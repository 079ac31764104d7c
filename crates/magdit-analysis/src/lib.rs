//! Dutch text analysis: finds in a post or message what the protocol rules depend on.
//!
//! The [`Analyzer`] is built once (automata and word lists are compiled at construction)
//! and then analyses many texts; [`Analyzer::analyze`] is one pass over the text per
//! analyser, with no per-call automaton building. All spans are **byte** offsets into the
//! analysed text; [`Span::char_range`] converts them for output.
//!
//! No I/O: word lists are compiled into the binary from `data/`.

mod span;
pub use span::Span;

mod people;
pub use people::PeopleIndex;
mod personal_data;
mod confidential;
mod abuse;
mod statements;
mod normalize;

use serde::Serialize;

/// A mention of one of the given people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonMention {
    /// The person's number over the lists given to [`Analyzer::analyze`] (in order).
    pub person: usize,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalDataKind {
    Phone,
    Email,
    Url,
    Bsn,
    Iban,
    Postcode,
    Address,
    BirthDate,
    PupilNumber,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonalData {
    pub kind: PersonalDataKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfidentialKind {
    /// Health, diagnoses, medication.
    Health,
    /// Care (zorg): zorgdossier, zorgoverleg, begeleiding, jeugdzorg.
    Care,
    /// Family circumstances: divorce, custody, death, home situation.
    Family,
    /// Discipline: schorsing, verwijdering (not everyday classroom measures like strafwerk).
    Discipline,
    /// Marks, reports, test results, level advice.
    Marks,
    /// Investigations, police, reports of abuse (melding, Veilig Thuis).
    Investigation,
    /// Explicitly marked: "vertrouwelijk", "geheim", "niet doorvertellen".
    Marked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confidential {
    pub kind: ConfidentialKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AbuseKind {
    /// Insult aimed at a person ("sukkel", "loser").
    Insult,
    /// Slur aimed at a group or a person as member of a group.
    Slur,
    /// Disease-based swearing aimed at a person ("kankerlijer", "tyfushoer").
    DiseaseCurse,
    /// Direct or conditional threat ("ik sla je in elkaar", "als je ... dan ...").
    Threat,
    /// Sexual coercion or sexting ("stuur een naaktfoto").
    Sexual,
    /// Incitement to bully or exclude ("niemand mag met hem praten").
    Bullying,
    /// Derogation of or hatred for a group ("ik haat ...", dehumanisation).
    Hate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Abuse {
    pub kind: AbuseKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// "dit is mijn persoonlijke mening", "privémening".
    OpinionNotice,
    /// "op persoonlijke titel", "privé".
    PersonalTitle,
    /// Published on behalf of the school: "namens de school", "namens het team".
    OnBehalfOfSchool,
    /// "staat los van de officiële standpunten van …".
    OfficialDistance,
    /// "niet verantwoordelijk voor de inhoud, reacties en uitlatingen van derden".
    ThirdPartyDisclaimer,
    /// "ik werk bij", "als docent van", "medewerker van".
    EmployeeStatement,
    /// An evident opinion: "ik vind", "naar mijn mening", "mijns inziens".
    Opinion,
    /// Discussion of a school conversation: rapportgesprek, oudergesprek.
    SchoolConversation,
    /// Education as a topic: onderwijs, leerlingen, lesgeven, didactiek.
    EducationTopic,
    /// A generic mention of school life: "onze school", "mijn klas", "groep 8", "de les".
    SchoolMention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

/// Everything the analysis found in one text. Each list is ordered by span start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Analysis {
    pub people: Vec<PersonMention>,
    /// Names (from the first-name list, or capitalised name patterns) of people not in `people`.
    pub other_names: Vec<Span>,
    pub personal_data: Vec<PersonalData>,
    pub confidential: Vec<Confidential>,
    pub abuse: Vec<Abuse>,
    pub statements: Vec<Statement>,
    /// Mentions of this school by one of its names or aliases.
    pub school_names: Vec<Span>,
}

impl Analysis {
    pub fn has_statement(&self, kind: StatementKind) -> bool {
        self.statements.iter().any(|s| s.kind == kind)
    }
    pub fn has_abuse(&self, kind: AbuseKind) -> bool {
        self.abuse.iter().any(|a| a.kind == kind)
    }
}

/// The analysers, built once. `school_names` are the names and aliases of the school
/// whose protocol applies ("VMBO Maastricht", "LVO"); matched case-insensitively on word
/// boundaries.
pub struct Analyzer {
    school: aho_corasick::AhoCorasick,
}

impl Analyzer {
    pub fn new(school_names: &[String]) -> Self {
        let school = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(school_names)
            .expect("school names form a valid automaton");
        Analyzer { school }
    }

    /// Analyse `text`. `people` are the lists of persons to look for, numbered over the
    /// lists in order; `actor` is the number of the person writing, whose own name is not
    /// someone else's personal data.
    pub fn analyze(&self, text: &str, people: &[&PeopleIndex], actor: Option<usize>) -> Analysis {
        let mut out = Analysis::default();
        people::find(text, people, actor, &mut out);
        personal_data::find(text, &mut out);
        confidential::find(text, &mut out);
        abuse::find(text, &mut out);
        statements::find(text, &mut out);
        for m in self.school.find_iter(text) {
            if span::is_word_bounded(text, m.start(), m.end()) {
                out.school_names.push(Span::new(m.start(), m.end()));
            }
        }
        out
    }
}

/// The snake_case name of each kind, as it appears in JSON output.
macro_rules! kind_names {
    ($($ty:ident { $($variant:ident => $name:literal),+ })+) => {$(
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
        }
    )+};
}

kind_names! {
    PersonalDataKind { Phone => "phone", Email => "email", Url => "url", Bsn => "bsn", Iban => "iban", Postcode => "postcode", Address => "address", BirthDate => "birth_date", PupilNumber => "pupil_number" }
    ConfidentialKind { Health => "health", Care => "care", Family => "family", Discipline => "discipline", Marks => "marks", Investigation => "investigation", Marked => "marked" }
    AbuseKind { Insult => "insult", Slur => "slur", DiseaseCurse => "disease_curse", Threat => "threat", Sexual => "sexual", Bullying => "bullying", Hate => "hate" }
    StatementKind { OpinionNotice => "opinion_notice", PersonalTitle => "personal_title", OnBehalfOfSchool => "on_behalf_of_school", OfficialDistance => "official_distance", ThirdPartyDisclaimer => "third_party_disclaimer", EmployeeStatement => "employee_statement", Opinion => "opinion", SchoolConversation => "school_conversation", EducationTopic => "education_topic", SchoolMention => "school_mention" }
}
