//! The export formats magdit reads, each as the header names it accepts per field. The README
//! lists the same names; when you add one here, add it there.

use crate::columns::{guardian_column, normalize, Field};
use crate::reason::Lang;
use magdit_store::Role;
use serde::Serialize;

/// Where a roster file comes from, as recognised from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Magister pupil export (secondary schools).
    Magister,
    /// ParnasSys pupil export (primary schools).
    ParnasSys,
    /// Somtoday pupil export (secondary schools).
    Somtoday,
    /// An employee list from any of these systems.
    Employees,
    /// OneRoster 1.2 `users.csv`.
    OneRoster,
    /// magdit's own export ([`crate::export`]).
    Magdit,
}

impl Format {
    /// Every format, in the order detection prefers them when two fit a header equally well.
    pub const ALL: &'static [Format] =
        &[Format::Magister, Format::ParnasSys, Format::Somtoday, Format::Employees, Format::OneRoster, Format::Magdit];

    /// The word for this format in JSON and in actor names (`import:magister`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Magister => "magister",
            Format::ParnasSys => "parnassys",
            Format::Somtoday => "somtoday",
            Format::Employees => "employees",
            Format::OneRoster => "oneroster",
            Format::Magdit => "magdit",
        }
    }

    pub(crate) fn spec(self) -> &'static Spec {
        match self {
            Format::Magister => &MAGISTER,
            Format::ParnasSys => &PARNASSYS,
            Format::Somtoday => &SOMTODAY,
            Format::Employees => &EMPLOYEES,
            Format::OneRoster => &ONEROSTER,
            Format::Magdit => &MAGDIT,
        }
    }
}

impl Format {
    /// The format's name in a message.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Format::Magister, _) => "Magister",
            (Format::ParnasSys, _) => "ParnasSys",
            (Format::Somtoday, _) => "Somtoday",
            (Format::Employees, Lang::Nl) => "personeelslijst",
            (Format::Employees, Lang::En) => "employee list",
            (Format::OneRoster, _) => "OneRoster users.csv",
            (Format::Magdit, _) => "magdit",
        }
    }
}

/// How one format names its columns.
pub(crate) struct Spec {
    pub format: Format,
    /// Everyone's role when the file has no role column or leaves a cell empty.
    pub default_role: Option<Role>,
    /// Whether the pupil's guardians stand on the pupil's row (`Ouder/verzorger 1`, …).
    pub guardian_columns: bool,
    /// The accepted header names per field. Within a name group the first field listed is the
    /// one an error message names as expected (so `Roepnaam` before `Voornamen`).
    pub columns: &'static [(Field, &'static [&'static str])],
}

impl Spec {
    /// The field a header (in normal form) holds in this format.
    pub fn field(&self, normalized: &str) -> Option<Field> {
        self.columns
            .iter()
            .find(|(_, names)| names.iter().any(|n| normalize(n) == normalized))
            .map(|(field, _)| *field)
            .or_else(|| if self.guardian_columns { guardian_column(normalized) } else { None })
    }

    /// The first accepted header name of `field`, if this format has the field.
    pub fn name_of(&self, field: Field) -> Option<&'static str> {
        self.columns.iter().find(|(f, _)| *f == field).and_then(|(_, names)| names.first().copied())
    }
}

// Columns several formats share, spelled once.
const CALLED: (Field, &[&str]) = (Field::CalledName, &["Roepnaam"]);
const GIVEN: (Field, &[&str]) = (Field::GivenName, &["Voornamen", "Voornaam"]);
const FAMILY: (Field, &[&str]) = (Field::FamilyName, &["Achternaam", "Geslachtsnaam"]);
const DATE_OF_BIRTH: (Field, &[&str]) = (Field::DateOfBirth, &["Geboortedatum", "Geb.datum"]);
/// ParnasSys and Somtoday call the tussenvoegsel a voorvoegsel; both names are accepted.
const PREFIX: (Field, &[&str]) = (Field::Prefix, &["Voorvoegsel", "Tussenvoegsel", "Tussenv.", "Voorv."]);
const PUPIL_NUMBER: (Field, &[&str]) = (Field::ExternalId, &["Leerlingnummer", "Leerlingnr", "Leerling-ID"]);

static MAGISTER: Spec = Spec {
    format: Format::Magister,
    default_role: Some(Role::Pupil),
    guardian_columns: true,
    columns: &[
        (Field::ExternalId, &["Stamnr", "Stamnummer"]),
        CALLED,
        GIVEN,
        (Field::Prefix, &["Tussenvoegsel", "Tussenv.", "Voorvoegsel"]),
        FAMILY,
        DATE_OF_BIRTH,
        (Field::Group, &["Klas", "Stamklas", "Basisklas"]),
    ],
};

static PARNASSYS: Spec = Spec {
    format: Format::ParnasSys,
    default_role: Some(Role::Pupil),
    guardian_columns: true,
    columns: &[PUPIL_NUMBER, CALLED, GIVEN, PREFIX, FAMILY, DATE_OF_BIRTH, (Field::Group, &["Groep", "Groepsnaam"])],
};

static SOMTODAY: Spec = Spec {
    format: Format::Somtoday,
    default_role: Some(Role::Pupil),
    guardian_columns: true,
    columns: &[PUPIL_NUMBER, CALLED, GIVEN, PREFIX, FAMILY, DATE_OF_BIRTH, (Field::Group, &["Stamgroep", "Klas"])],
};

static EMPLOYEES: Spec = Spec {
    format: Format::Employees,
    default_role: Some(Role::Employee),
    guardian_columns: false,
    // No date of birth: it is kept for pupils only, so an employee list's birth dates are
    // reported as an ignored column rather than read.
    columns: &[
        (
            Field::ExternalId,
            &["Personeelsnummer", "Personeelsnr", "Medewerkernummer", "Code", "Docentcode", "Afkorting"],
        ),
        CALLED,
        GIVEN,
        PREFIX,
        FAMILY,
        (Field::Role, &["Functie", "Rol"]),
    ],
};

static ONEROSTER: Spec = Spec {
    format: Format::OneRoster,
    default_role: None,
    guardian_columns: false,
    // `middleName` comes between the given and the family name, where a Dutch system puts
    // the tussenvoegsel. users.csv has no date of birth (that is demographics.csv) and no
    // class (enrollments.csv).
    columns: &[
        (Field::ExternalId, &["sourcedId"]),
        (Field::GivenName, &["givenName"]),
        (Field::CalledName, &["preferredGivenName"]),
        (Field::Prefix, &["middleName"]),
        (Field::FamilyName, &["familyName"]),
        (Field::Role, &["role"]),
        (Field::Status, &["status"]),
        (Field::Agents, &["agentSourcedIds"]),
    ],
};

static MAGDIT: Spec = Spec {
    format: Format::Magdit,
    default_role: None,
    guardian_columns: false,
    columns: &[
        (Field::ExternalId, &["external_id"]),
        (Field::FullName, &["name"]),
        (Field::Role, &["role"]),
        (Field::DateOfBirth, &["date_of_birth"]),
        (Field::Group, &["group"]),
        (Field::Agents, &["guardians"]),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_its_spec() {
        for f in Format::ALL {
            assert_eq!(f.spec().format, *f);
        }
    }

    #[test]
    fn no_format_lists_a_name_twice() {
        for f in Format::ALL {
            let mut seen = std::collections::HashSet::new();
            for (_, names) in f.spec().columns {
                for n in *names {
                    assert!(seen.insert(normalize(n)), "{}: `{n}` is listed twice", f.as_str());
                }
            }
        }
    }

    #[test]
    fn the_readme_lists_every_accepted_name() {
        let readme = include_str!("../README.md");
        for f in Format::ALL {
            for (_, names) in f.spec().columns {
                for n in *names {
                    assert!(readme.contains(&format!("`{n}`")), "README lacks `{n}` ({})", f.as_str());
                }
            }
        }
    }

    #[test]
    fn guardian_columns_only_where_the_format_has_them() {
        assert_eq!(Format::Somtoday.spec().field("ouderverzorger1"), Some(Field::GuardianName(1)));
        assert_eq!(Format::Employees.spec().field("ouderverzorger1"), None);
    }
}
