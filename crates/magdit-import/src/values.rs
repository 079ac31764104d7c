//! Cell values: text, dates, roles, names and lists as the exports write them.

use magdit_store::Role;
use time::{Date, Month};

use crate::columns::normalize;

/// A cell's text: trimmed, with every run of whitespace (line breaks in a quoted cell too)
/// made one space, and without the `'` that [`crate::export`] puts before a leading `=`, `+`,
/// `-` or `@` to keep spreadsheets from running the cell as a formula.
pub(crate) fn clean(value: &str) -> String {
    let joined = value.split_whitespace().collect::<Vec<_>>().join(" ");
    match joined.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest.to_string(),
        _ => joined,
    }
}

/// The characters that make a spreadsheet read a cell as a formula.
pub(crate) const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// A date as `dd-mm-yyyy` or `d-m-yyyy` (with `-`, `/` or `.`) or `yyyy-mm-dd`. Two-digit
/// years are refused: `01-02-03` has no single reading.
pub(crate) fn parse_date(value: &str) -> Option<Date> {
    let separator = value.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = value.split(separator).collect();
    let [first, second, third] = parts[..] else { return None };
    if !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let (year, month, day) = match (first.len(), second.len(), third.len()) {
        (4, 1..=2, 1..=2) => (first, second, third),
        (1..=2, 1..=2, 4) => (third, second, first),
        _ => return None,
    };
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// The words a role column may hold, in normal form ([`normalize`]): magdit's own, Dutch
/// job titles, and OneRoster's roles. The README lists them.
const ROLE_WORDS: &[(Role, &[&str])] = &[
    (Role::Pupil, &["pupil", "leerling", "scholier", "student"]),
    (
        Role::Employee,
        &[
            "employee",
            "medewerker",
            "personeel",
            "personeelslid",
            "docent",
            "vakdocent",
            "leraar",
            "lerares",
            "leerkracht",
            "vakleerkracht",
            "mentor",
            "onderwijsassistent",
            "klassenassistent",
            "lerarenondersteuner",
            "internbegeleider",
            "ib",
            "iber",
            "zorgcoordinator",
            "remedialteacher",
            "concierge",
            "administratiefmedewerker",
            "administratie",
            "secretaresse",
            "stagiair",
            "stagiaire",
            "invaller",
            "ictcoordinator",
            "op",
            "oop",
            "teacher",
            "aide",
            "counselor",
            "proctor",
            "systemadministrator",
        ],
    ),
    (
        Role::Manager,
        &[
            "manager",
            "leidinggevende",
            "directie",
            "directeur",
            "directrice",
            "adjunctdirecteur",
            "locatiedirecteur",
            "locatieleider",
            "schoolleider",
            "teamleider",
            "afdelingsleider",
            "rector",
            "conrector",
            "bestuurder",
            "administrator",
            "districtadministrator",
            "siteadministrator",
            "principal",
        ],
    ),
    (Role::Parent, &["parent", "ouder", "verzorger", "ouderverzorger", "guardian", "relative"]),
    (Role::Volunteer, &["volunteer", "vrijwilliger", "hulpouder", "leesouder", "overblijfkracht"]),
];

/// The role a role cell names, in any case, spacing or punctuation.
pub(crate) fn parse_role(value: &str) -> Option<Role> {
    let word = normalize(value);
    ROLE_WORDS.iter().find(|(_, words)| words.contains(&word.as_str())).map(|(role, _)| *role)
}

/// A Dutch display name: "Roepnaam tussenvoegsel Achternaam", leaving out empty parts. The
/// tussenvoegsel is kept as the school's system writes it.
pub(crate) fn display_name(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

/// A list of ids in one cell, as OneRoster writes it: separated by commas.
pub(crate) fn split_list(value: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        if !ids.iter().any(|seen| seen == id) {
            ids.push(id.to_string());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_in_the_dutch_formats() {
        for text in ["05-03-2014", "5-3-2014", "05/03/2014", "5/3/2014", "05.03.2014", "2014-03-05", "2014-3-5"] {
            assert_eq!(parse_date(text), Some(date!(2014 - 03 - 05)), "{text}");
        }
        for text in [
            "31-02-2014",
            "05-13-2014",
            "05-03-14",
            "2014/03",
            "5-3-2014-1",
            "",
            "morgen",
            "05-03-2014 00:00",
            "-3-2014",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn roles_in_dutch_english_and_oneroster_words() {
        assert_eq!(parse_role("Leerling"), Some(Role::Pupil));
        assert_eq!(parse_role("student"), Some(Role::Pupil));
        assert_eq!(parse_role("Adjunct-directeur"), Some(Role::Manager));
        assert_eq!(parse_role("administrator"), Some(Role::Manager));
        assert_eq!(parse_role("Intern begeleider"), Some(Role::Employee));
        assert_eq!(parse_role("Conciërge"), Some(Role::Employee));
        assert_eq!(parse_role("Ouder/verzorger"), Some(Role::Parent));
        assert_eq!(parse_role("relative"), Some(Role::Parent));
        assert_eq!(parse_role("Vrijwilliger"), Some(Role::Volunteer));
        assert_eq!(parse_role("astronaut"), None);
        for role in Role::ALL {
            assert_eq!(parse_role(role.as_str()), Some(*role));
        }
    }

    #[test]
    fn role_words_are_in_normal_form_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (_, words) in ROLE_WORDS {
            for w in *words {
                assert_eq!(normalize(w), *w);
                assert!(seen.insert(*w), "{w} listed twice");
            }
        }
    }

    #[test]
    fn the_readme_lists_every_role_word() {
        let readme = include_str!("../README.md");
        for (_, words) in ROLE_WORDS {
            for w in *words {
                assert!(readme.contains(&format!("`{w}`")), "README lacks `{w}`");
            }
        }
    }

    #[test]
    fn names_join_their_filled_parts() {
        assert_eq!(display_name(&["Sanne", "van der", "Berg"]), "Sanne van der Berg");
        assert_eq!(display_name(&["Daan", "", "Jansen"]), "Daan Jansen");
    }

    #[test]
    fn cells_are_cleaned() {
        assert_eq!(clean("  Jan \r\n  de\tVries "), "Jan de Vries");
        assert_eq!(clean("'=1+1"), "=1+1");
        assert_eq!(clean("'t Hart"), "'t Hart");
    }

    #[test]
    fn lists_split_on_commas_without_repeats() {
        assert_eq!(split_list(" p1, p2,,p1 "), vec!["p1".to_string(), "p2".to_string()]);
        assert!(split_list("").is_empty());
    }
}
