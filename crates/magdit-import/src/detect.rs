//! What kind of file this is: the delimiter, from the header line, and the format and the
//! meaning of each column, from the header's names.

use std::cmp::Reverse;
use std::collections::HashMap;

use crate::columns::{is_personal_number, normalize, Field};
use crate::error::ImportError;
use crate::formats::{Format, Spec};
use crate::parse::IgnoredColumn;
use crate::reason::Reason;

/// The delimiters magdit reads, in the order that wins a tie: `;` first, because Excel with
/// Dutch settings writes it.
const DELIMITERS: [u8; 3] = [b';', b'\t', b','];

/// The delimiter of `text`: the one an Excel `sep=` first line names, or else the one that
/// occurs most often outside quotes on the first non-blank line (the header).
pub(crate) fn delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    if let Some(&[named]) = header.strip_prefix("sep=").map(str::as_bytes) {
        if DELIMITERS.contains(&named) {
            return named;
        }
    }
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = DELIMITERS.iter().position(|d| *d == b) {
                counts[i] += 1;
            }
        }
    }
    // max_by_key keeps the last of equal maxima; Reverse(i) makes it the first.
    let best = (0..DELIMITERS.len()).max_by_key(|i| (counts[*i], Reverse(*i))).unwrap_or(0);
    DELIMITERS[best]
}

/// Whether a header record is Excel's `sep=;` line, which names the delimiter and is not the
/// header.
pub(crate) fn is_separator_line(record: &csv::StringRecord) -> bool {
    record.len() <= 2 && record.get(0).is_some_and(|f| f.trim().eq_ignore_ascii_case("sep="))
}

/// What each column of a file means in its format.
pub(crate) struct Layout {
    pub spec: &'static Spec,
    /// The header as written.
    pub headers: Vec<String>,
    /// The column of each field the file has.
    columns: HashMap<Field, usize>,
    /// The numbers N of the guardians with an id column (`Ouder/verzorger N id`), in order.
    pub guardians: Vec<u8>,
    pub ignored: Vec<IgnoredColumn>,
}

impl Layout {
    /// Reads `headers` in the format of `spec`.
    fn new(spec: &'static Spec, headers: &[String]) -> Layout {
        let mut columns: HashMap<Field, usize> = HashMap::new();
        let mut ignored = Vec::new();
        for (i, header) in headers.iter().enumerate() {
            let normalized = normalize(header);
            // Checked before the format's names, so no alias can ever let a BSN in.
            let reason = if is_personal_number(&normalized) {
                Reason::PersonalNumber
            } else {
                match spec.field(&normalized) {
                    Some(field) => match columns.get(&field) {
                        Some(&first) => Reason::DuplicateColumn { first: headers[first].clone() },
                        None => {
                            columns.insert(field, i);
                            continue;
                        }
                    },
                    None => Reason::UnknownColumn,
                }
            };
            ignored.push(IgnoredColumn { column: header.clone(), reason });
        }
        // A guardian's name without an id column cannot be linked on any line: one note on
        // the column rather than a rejection on every line.
        for n in 1..=9 {
            if let (Some(name), None) = (columns.get(&Field::GuardianName(n)), columns.get(&Field::GuardianId(n))) {
                ignored.push(IgnoredColumn { column: headers[*name].clone(), reason: Reason::NoGuardianIdColumn });
                columns.remove(&Field::GuardianName(n));
            }
        }
        let guardians = (1..=9).filter(|n| columns.contains_key(&Field::GuardianId(*n))).collect();
        Layout { spec, headers: headers.to_vec(), columns, guardians, ignored }
    }

    /// The column that holds `field`, if the file has one.
    pub fn index(&self, field: Field) -> Option<usize> {
        self.columns.get(&field).copied()
    }

    /// The header of the column that holds `field`, to name it in a rejection.
    pub fn header(&self, field: Field) -> Option<String> {
        self.index(field).and_then(|i| self.headers.get(i)).cloned()
    }

    /// Whether the file has the columns a roster of this format cannot do without: an id, a
    /// name (first and family name, or the whole name), and a role unless the format implies
    /// one.
    fn is_complete(&self) -> bool {
        let has = |f| self.columns.contains_key(&f);
        let named = (has(Field::CalledName) || has(Field::GivenName)) && has(Field::FamilyName) || has(Field::FullName);
        has(Field::ExternalId) && named && (has(Field::Role) || self.spec.default_role.is_some())
    }
}

/// The columns a format needs at least, by their first accepted names: what an error
/// message says was expected.
fn required_columns(spec: &Spec) -> Vec<&'static str> {
    let first_of = |fields: &[Field]| {
        spec.columns.iter().find(|(f, _)| fields.contains(f)).and_then(|(_, names)| names.first().copied())
    };
    let mut names = vec![first_of(&[Field::ExternalId])];
    if spec.name_of(Field::FullName).is_some() {
        names.push(spec.name_of(Field::FullName));
    } else {
        names.push(first_of(&[Field::CalledName, Field::GivenName]));
        names.push(spec.name_of(Field::FamilyName));
    }
    if spec.default_role.is_none() {
        names.push(spec.name_of(Field::Role));
    }
    names.into_iter().flatten().collect()
}

/// The format and layout of a file with `headers` (on line `line`): of the formats that have
/// every column they need, the one that recognises the most columns, so a Somtoday file with
/// a `Code` column is still Somtoday and not an employee list. `only` restricts the choice to
/// one format.
pub(crate) fn layout(headers: &[String], line: u64, only: Option<Format>) -> Result<Layout, ImportError> {
    let formats: Vec<Format> = match only {
        Some(format) => vec![format],
        None => Format::ALL.to_vec(),
    };
    formats
        .iter()
        .map(|f| Layout::new(f.spec(), headers))
        .enumerate()
        .filter(|(_, l)| l.is_complete())
        .max_by_key(|(i, l)| (l.columns.len(), Reverse(*i)))
        .map(|(_, l)| l)
        .ok_or_else(|| ImportError::NotARoster {
            line,
            // Enough to recognise the file by, not a wall of text if it is no CSV at all.
            found: headers.iter().take(20).map(|h| h.chars().take(40).collect()).collect(),
            expected: formats.iter().map(|f| (*f, required_columns(f.spec()))).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn delimiter_from_the_header_line() {
        assert_eq!(delimiter("Stamnr;Roepnaam;Achternaam\n1,2;a;b"), b';');
        assert_eq!(delimiter("sourcedId,givenName,familyName\n"), b',');
        assert_eq!(delimiter("\n\nA\tB\tC\n"), b'\t');
        // Delimiters inside quotes do not count.
        assert_eq!(delimiter("\"a;b;c\",d,e\n"), b',');
        assert_eq!(delimiter("sep=,\nA;B;C\n"), b',');
        assert_eq!(delimiter("A;B,C\n"), b';');
        assert_eq!(delimiter(""), b';');
    }

    #[test]
    fn the_format_that_recognises_most_columns_wins() {
        let l = layout(&headers(&["Leerlingnummer", "Roepnaam", "Voorvoegsel", "Achternaam", "Stamgroep"]), 1, None);
        assert_eq!(l.map(|l| l.spec.format).ok(), Some(Format::Somtoday));
        let l = layout(&headers(&["Leerlingnummer", "Roepnaam", "Achternaam", "Groep"]), 1, None);
        assert_eq!(l.map(|l| l.spec.format).ok(), Some(Format::ParnasSys));
        let l = layout(&headers(&["Code", "Leerlingnummer", "Roepnaam", "Achternaam", "Stamgroep"]), 1, None);
        assert_eq!(l.map(|l| l.spec.format).ok(), Some(Format::Somtoday));
    }

    #[test]
    fn ignored_columns_say_why() {
        let l = layout(&headers(&["Stamnr", "BSN", "Roepnaam", "Achternaam", "Klas", "Stamklas", "Mentor"]), 1, None)
            .ok()
            .unwrap();
        let reasons: Vec<(&str, &Reason)> = l.ignored.iter().map(|i| (i.column.as_str(), &i.reason)).collect();
        assert_eq!(
            reasons,
            vec![
                ("BSN", &Reason::PersonalNumber),
                ("Stamklas", &Reason::DuplicateColumn { first: "Klas".into() }),
                ("Mentor", &Reason::UnknownColumn),
            ]
        );
    }

    #[test]
    fn guardian_names_without_an_id_column_are_ignored() {
        let l = layout(
            &headers(&["Stamnr", "Roepnaam", "Achternaam", "Ouder/verzorger 1", "Ouder 2 naam", "Ouder 2 id"]),
            1,
            None,
        )
        .ok()
        .unwrap();
        assert_eq!(l.guardians, vec![2]);
        assert_eq!(
            l.ignored,
            vec![IgnoredColumn { column: "Ouder/verzorger 1".into(), reason: Reason::NoGuardianIdColumn }]
        );
    }

    #[test]
    fn a_non_roster_header_names_what_was_expected() {
        let Err(ImportError::NotARoster { line, found, expected }) = layout(&headers(&["Datum", "Bedrag"]), 2, None)
        else {
            panic!("expected NotARoster");
        };
        assert_eq!(line, 2);
        assert_eq!(found, headers(&["Datum", "Bedrag"]));
        assert_eq!(expected[0], (Format::Magister, vec!["Stamnr", "Roepnaam", "Achternaam"]));
        assert!(expected.contains(&(Format::OneRoster, vec!["sourcedId", "givenName", "familyName", "role"])));
        assert!(expected.contains(&(Format::Magdit, vec!["external_id", "name", "role"])));
    }

    #[test]
    fn a_forced_format_is_the_only_one_tried() {
        let h = headers(&["Leerlingnummer", "Roepnaam", "Achternaam", "Groep"]);
        assert_eq!(layout(&h, 1, Some(Format::Somtoday)).map(|l| l.spec.format).ok(), Some(Format::Somtoday));
        assert!(layout(&h, 1, Some(Format::Magister)).is_err());
    }
}
