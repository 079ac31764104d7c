//! Why a row, a cell, a column or a guardian link was not taken: one closed set of reasons,
//! each with its message in Dutch (for the school's staff) and English (for logs and
//! support). Both texts sit side by side in one match so they cannot drift apart.

use magdit_store::Role;
use serde::Serialize;

/// The language of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Nl,
    En,
}

/// Why something in a roster file was not imported as it stands. Serialised with a `code`
/// (`bad_date`, …) and its details, for an API that renders its own text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// A required cell is empty.
    Missing,
    /// The cell has more characters than the roster keeps.
    TooLong {
        max: usize,
    },
    /// The cell holds a control character (other than line breaks and tabs, which become
    /// spaces).
    ControlCharacter,
    /// The date is not in a format magdit reads, or no such day exists.
    BadDate {
        value: String,
    },
    /// A date of birth before 1900 or after today.
    ImplausibleDate {
        value: String,
    },
    UnknownRole {
        value: String,
    },
    /// A date of birth on someone who is not a pupil: magdit keeps it for pupils only.
    DateOfBirthNotKept {
        role: Role,
    },
    /// The external id is already used by an earlier line.
    DuplicateId {
        id: String,
        first_line: u64,
    },
    /// The line has another number of fields than the header.
    FieldCount {
        found: usize,
        expected: usize,
    },
    /// OneRoster status `tobedeleted`.
    MarkedForDeletion,
    /// A guardian column has a name but no id to link it by.
    GuardianWithoutId,
    /// A guardian appears again with another name; the first one is kept.
    GuardianNameConflict {
        id: String,
        first_line: u64,
    },
    /// An ignored column: the format does not use it.
    UnknownColumn,
    /// An ignored column: an earlier column has the same meaning.
    DuplicateColumn {
        first: String,
    },
    /// An ignored column: it holds a BSN or a number like it, which magdit never keeps.
    PersonalNumber,
    /// An ignored column: a guardian's name without a column for their id.
    NoGuardianIdColumn,
    /// A guardian link names a guardian who is neither in the file nor on the roster.
    GuardianNotFound {
        id: String,
    },
    /// A guardian link names a pupil who is neither in the file nor on the roster.
    PupilNotFound {
        id: String,
    },
    /// The guardian of a link is not a parent.
    NotAParent {
        id: String,
        role: Role,
    },
    /// The child of a link is not a pupil.
    NotAPupil {
        id: String,
        role: Role,
    },
}

impl Reason {
    /// The message in Dutch.
    pub fn nl(&self) -> String {
        self.text(Lang::Nl)
    }

    /// The message in English.
    pub fn en(&self) -> String {
        self.text(Lang::En)
    }

    pub(crate) fn text(&self, lang: Lang) -> String {
        use Lang::{En, Nl};
        match (self, lang) {
            (Reason::Missing, Nl) => "is leeg maar verplicht".into(),
            (Reason::Missing, En) => "is empty but required".into(),
            (Reason::TooLong { max }, Nl) => format!("is langer dan {max} tekens"),
            (Reason::TooLong { max }, En) => format!("is longer than {max} characters"),
            (Reason::ControlCharacter, Nl) => "bevat een stuurteken".into(),
            (Reason::ControlCharacter, En) => "contains a control character".into(),
            (Reason::BadDate { value }, Nl) => {
                format!("‘{value}’ is geen geldige datum (gebruik dd-mm-jjjj of jjjj-mm-dd)")
            }
            (Reason::BadDate { value }, En) => format!("‘{value}’ is not a valid date (use dd-mm-yyyy or yyyy-mm-dd)"),
            (Reason::ImplausibleDate { value }, Nl) => {
                format!("‘{value}’ is geen aannemelijke geboortedatum (vóór 1900 of in de toekomst)")
            }
            (Reason::ImplausibleDate { value }, En) => {
                format!("‘{value}’ is not a plausible date of birth (before 1900 or in the future)")
            }
            (Reason::UnknownRole { value }, Nl) => format!(
                "‘{value}’ is geen bekende rol (bijvoorbeeld leerling, medewerker, leidinggevende, ouder of vrijwilliger)"
            ),
            (Reason::UnknownRole { value }, En) => {
                format!("‘{value}’ is not a known role (for example pupil, employee, manager, parent or volunteer)")
            }
            (Reason::DateOfBirthNotKept { role }, Nl) => {
                format!("een geboortedatum wordt alleen van leerlingen bewaard, niet van een {}", role_label(*role, Nl))
            }
            (Reason::DateOfBirthNotKept { role }, En) => {
                format!("a date of birth is kept for pupils only, not for a {}", role_label(*role, En))
            }
            (Reason::DuplicateId { id, first_line }, Nl) => format!("nummer ‘{id}’ staat al op regel {first_line}"),
            (Reason::DuplicateId { id, first_line }, En) => format!("id ‘{id}’ is already on line {first_line}"),
            (Reason::FieldCount { found, expected }, Nl) => format!(
                "de regel heeft {found} velden en de kopregel {expected} \
                 (staat er een los scheidingsteken of aanhalingsteken in een veld?)"
            ),
            (Reason::FieldCount { found, expected }, En) => format!(
                "the line has {found} fields and the header {expected} (a stray delimiter or quote in a field?)"
            ),
            (Reason::MarkedForDeletion, Nl) => "gemarkeerd als te verwijderen (status tobedeleted); niet ingelezen".into(),
            (Reason::MarkedForDeletion, En) => "marked for deletion (status tobedeleted); not imported".into(),
            (Reason::GuardianWithoutId, Nl) => {
                "de ouder/verzorger heeft een naam maar geen nummer en kan dus niet gekoppeld worden".into()
            }
            (Reason::GuardianWithoutId, En) => "the guardian has a name but no id, so cannot be linked".into(),
            (Reason::GuardianNameConflict { id, first_line }, Nl) => format!(
                "ouder/verzorger ‘{id}’ heeft hier een andere naam dan op regel {first_line}; \
                 de naam van regel {first_line} is gebruikt"
            ),
            (Reason::GuardianNameConflict { id, first_line }, En) => format!(
                "guardian ‘{id}’ has another name here than on line {first_line}; the name on line {first_line} is used"
            ),
            (Reason::UnknownColumn, Nl) => "deze kolom gebruikt magdit niet".into(),
            (Reason::UnknownColumn, En) => "magdit does not use this column".into(),
            (Reason::DuplicateColumn { first }, Nl) => {
                format!("betekent hetzelfde als de eerdere kolom ‘{first}’; alleen die wordt gebruikt")
            }
            (Reason::DuplicateColumn { first }, En) => {
                format!("means the same as the earlier column ‘{first}’; only that one is used")
            }
            (Reason::PersonalNumber, Nl) => {
                "een BSN (of een nummer dat ervoor in de plaats komt) bewaart magdit nooit; kolom overgeslagen".into()
            }
            (Reason::PersonalNumber, En) => {
                "magdit never keeps a citizen service number (BSN) or a number standing in for one; column skipped"
                    .into()
            }
            (Reason::NoGuardianIdColumn, Nl) => {
                "er is geen kolom met het nummer van deze ouder/verzorger (zoals ‘Ouder/verzorger 1 id’), \
                 dus koppelen kan niet; kolom overgeslagen"
                    .into()
            }
            (Reason::NoGuardianIdColumn, En) => {
                "there is no column with this guardian's id (such as ‘Ouder/verzorger 1 id’), so they cannot be \
                 linked; column skipped"
                    .into()
            }
            (Reason::GuardianNotFound { id }, Nl) => {
                format!("ouder/verzorger ‘{id}’ staat niet in dit bestand en ook nog niet in magdit")
            }
            (Reason::GuardianNotFound { id }, En) => format!("guardian ‘{id}’ is neither in this file nor in magdit"),
            (Reason::PupilNotFound { id }, Nl) => format!("leerling ‘{id}’ staat niet in dit bestand en ook nog niet in magdit"),
            (Reason::PupilNotFound { id }, En) => format!("pupil ‘{id}’ is neither in this file nor in magdit"),
            (Reason::NotAParent { id, role }, Nl) => {
                format!("‘{id}’ is een {}, geen ouder/verzorger, en kan niet als ouder gekoppeld worden", role_label(*role, Nl))
            }
            (Reason::NotAParent { id, role }, En) => {
                format!("‘{id}’ is a {}, not a parent, and cannot be linked as a guardian", role_label(*role, En))
            }
            (Reason::NotAPupil { id, role }, Nl) => format!("‘{id}’ is een {}, geen leerling", role_label(*role, Nl)),
            (Reason::NotAPupil { id, role }, En) => format!("‘{id}’ is a {}, not a pupil", role_label(*role, En)),
        }
    }
}

/// A role as a message names it.
fn role_label(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Pupil, Lang::Nl) => "leerling",
        (Role::Employee, Lang::Nl) => "medewerker",
        (Role::Manager, Lang::Nl) => "leidinggevende",
        (Role::Parent, Lang::Nl) => "ouder/verzorger",
        (Role::Volunteer, Lang::Nl) => "vrijwilliger",
        (role, Lang::En) => role.as_str(),
    }
}
