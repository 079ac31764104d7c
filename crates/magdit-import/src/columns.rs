//! Column names: what a column holds, matched however the export spells its header.
//!
//! Headers are compared in a normal form (lower case, accents folded, only letters and
//! digits), so `Geb. datum`, `geb.datum` and `GEBDATUM` are one name: exports differ in
//! capitals, spaces and punctuation, and hand-edited files differ more.

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    /// The person's id in the school's system: the key a re-import updates by.
    ExternalId,
    /// The name a person goes by (roepnaam, OneRoster's preferredGivenName); used before
    /// [`Field::GivenName`] when both are filled.
    CalledName,
    /// The official first name(s).
    GivenName,
    /// The tussenvoegsel ("van", "de", "van der").
    Prefix,
    FamilyName,
    /// The whole display name in one column (magdit's own export).
    FullName,
    DateOfBirth,
    /// Class or group (klas, groep, stamgroep).
    Group,
    Role,
    /// OneRoster's record status; `tobedeleted` rows are not imported.
    Status,
    /// A list of linked people's ids (OneRoster's agentSourcedIds, magdit's guardians): on a
    /// pupil their guardians, on a parent their children.
    Agents,
    /// The name of the pupil's guardian N, in exports that put the parents on the pupil's row.
    GuardianName(u8),
    /// The id of the pupil's guardian N.
    GuardianId(u8),
}

/// A header (or a role word) in normal form: lower case, common accents folded, everything
/// but letters and digits dropped.
pub(crate) fn normalize(name: &str) -> String {
    name.chars().flat_map(char::to_lowercase).map(fold_accent).filter(|c| c.is_alphanumeric()).collect()
}

/// The letter without its accent, for the accented letters Dutch (and Dutch names) use.
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// Whether a normalised header names a citizen service number (BSN) or a number that is one
/// or stands in for one (persoonsgebonden nummer, onderwijsnummer). Such a column is never
/// read: magdit has no lawful use for it (AVG data minimisation).
pub(crate) fn is_personal_number(normalized: &str) -> bool {
    ["bsn", "burgerservicenummer", "sofinummer", "sofinr", "persoonsgebondennummer", "onderwijsnummer"]
        .iter()
        .any(|word| normalized.contains(word))
        || normalized == "pgn"
}

/// Words that name a guardian in a header, longest first so `ouderverzorger` is not read
/// as `ouder` followed by something else.
const GUARDIAN_WORDS: &[&str] = &["ouderverzorger", "verzorger", "ouder", "guardian", "parent"];
const NAME_WORDS: &[&str] = &["naam", "name"];
const ID_WORDS: &[&str] = &["id", "nummer", "nr", "code"];

/// Reads a guardian column header in normal form: `Ouder/verzorger 1`, `Ouder/verzorger 1
/// naam` and `Naam ouder/verzorger 1` hold guardian 1's name; `Ouder/verzorger 1 id` (or
/// `nummer`, `nr`, `code`) and `Id ouder/verzorger 1` hold their id. `Ouder`, `Verzorger`,
/// `Guardian` and `Parent` may stand for `Ouder/verzorger`; the number is 1 to 9.
pub(crate) fn guardian_column(normalized: &str) -> Option<Field> {
    let at = normalized.find(|c: char| c.is_ascii_digit())?;
    let (before, rest) = normalized.split_at(at);
    let mut rest = rest.chars();
    let number = rest.next().and_then(|c| c.to_digit(10)).and_then(|n| u8::try_from(n).ok())?;
    let after = rest.as_str();
    if number == 0 || after.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // The kind word ("naam", "id") stands after the number, or before the guardian word.
    let (kind, word) = if after.is_empty() { split_kind(before) } else { (after, before) };
    if !GUARDIAN_WORDS.contains(&word) {
        return None;
    }
    if kind.is_empty() || NAME_WORDS.contains(&kind) {
        Some(Field::GuardianName(number))
    } else if ID_WORDS.contains(&kind) {
        Some(Field::GuardianId(number))
    } else {
        None
    }
}

/// Splits a leading kind word off `text` when what follows is a guardian word:
/// `naamouder` → (`naam`, `ouder`); otherwise (``, `text`).
fn split_kind(text: &str) -> (&str, &str) {
    NAME_WORDS
        .iter()
        .chain(ID_WORDS)
        .find_map(|kind| text.strip_prefix(kind).filter(|rest| GUARDIAN_WORDS.contains(rest)).map(|rest| (*kind, rest)))
        .unwrap_or(("", text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_normalise_across_case_space_punctuation_and_accents() {
        assert_eq!(normalize(" Geb. datum "), "gebdatum");
        assert_eq!(normalize("GEB.DATUM"), "gebdatum");
        assert_eq!(normalize("Tussenv."), "tussenv");
        assert_eq!(normalize("agentSourcedIds"), "agentsourcedids");
        assert_eq!(normalize("external_id"), "externalid");
        assert_eq!(normalize("Conciërge"), "concierge");
        assert_eq!(normalize("\u{feff}Stamnr"), "stamnr");
    }

    #[test]
    fn personal_numbers_are_recognised() {
        for name in
            ["BSN", "bsn leerling", "Burgerservicenummer", "Sofi-nummer", "PGN", "Onderwijsnummer", "BSN ouder 1"]
        {
            assert!(is_personal_number(&normalize(name)), "{name}");
        }
        assert!(!is_personal_number(&normalize("Stamnr")));
    }

    #[test]
    fn guardian_columns_in_their_spellings() {
        let read = |h: &str| guardian_column(&normalize(h));
        assert_eq!(read("Ouder/verzorger 1"), Some(Field::GuardianName(1)));
        assert_eq!(read("Ouder/verzorger 2 naam"), Some(Field::GuardianName(2)));
        assert_eq!(read("Naam ouder/verzorger 1"), Some(Field::GuardianName(1)));
        assert_eq!(read("Ouder/verzorger 1 id"), Some(Field::GuardianId(1)));
        assert_eq!(read("Ouder 2 nummer"), Some(Field::GuardianId(2)));
        assert_eq!(read("Id ouder 2"), Some(Field::GuardianId(2)));
        assert_eq!(read("Verzorger1Nr"), Some(Field::GuardianId(1)));
        assert_eq!(read("Ouder/verzorger 1 e-mail"), None);
        assert_eq!(read("Ouder/verzorger 10"), None);
        assert_eq!(read("Ouder/verzorger 0"), None);
        assert_eq!(read("Klas 1"), None);
        assert_eq!(read("Stamnr"), None);
    }
}
