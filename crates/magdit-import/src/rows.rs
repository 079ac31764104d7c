//! One line of a roster file read into a person, or rejected with the column and the reason.

use csv::StringRecord;
use magdit_store::{PersonInput, Role};
use time::Date;

use crate::columns::Field;
use crate::detect::Layout;
use crate::parse::Rejected;
use crate::reason::Reason;
use crate::values::{clean, display_name, parse_date, parse_role, split_list};

// The store's limits (magdit-store's roster.rs), checked here so that one bad row is rejected
// on its own instead of failing the store's all-or-nothing upsert of the whole file.
const MAX_ID: usize = 100;
const MAX_NAME: usize = 200;
const MAX_GROUP: usize = 50;

/// What one line holds.
pub(crate) struct Line {
    pub person: PersonInput,
    /// The ids in the file's list column (OneRoster's agentSourcedIds, magdit's guardians).
    pub agents: Vec<String>,
    /// The guardians in `Ouder/verzorger N` columns, or why one could not be read.
    pub guardians: Vec<Result<GuardianCell, Rejected>>,
}

/// A guardian named on a pupil's line.
pub(crate) struct GuardianCell {
    pub id: String,
    /// Absent when the file has only the id: then the guardian must be elsewhere in the file
    /// or on the roster already.
    pub name: Option<String>,
    /// The headers of the id and name columns, to name them in a rejection.
    pub id_column: Option<String>,
    pub name_column: Option<String>,
}

/// Reads line `line` of the file; `Ok(None)` for a line with only empty cells (spreadsheets
/// leave such lines below the data).
pub(crate) fn read(layout: &Layout, record: &StringRecord, line: u64, today: Date) -> Result<Option<Line>, Rejected> {
    if record.iter().all(|cell| cell.trim().is_empty()) {
        return Ok(None);
    }
    let cells = Cells { layout, record, line };
    if record.len() != layout.headers.len() {
        return Err(cells.reject(None, Reason::FieldCount { found: record.len(), expected: layout.headers.len() }));
    }
    if cells.get(Field::Status).eq_ignore_ascii_case("tobedeleted") {
        return Err(cells.reject(Some(Field::Status), Reason::MarkedForDeletion));
    }
    let external_id = cells.text(Field::ExternalId, MAX_ID)?.ok_or_else(|| cells.missing(Field::ExternalId))?;
    let role = cells.role()?;
    let name = cells.name()?;
    let date_of_birth = cells.date_of_birth(role, today)?;
    let group = cells.text(Field::Group, MAX_GROUP)?;
    let agents = split_list(&cells.get(Field::Agents));
    let guardians = layout.guardians.iter().filter_map(|n| cells.guardian(*n)).collect();
    Ok(Some(Line { person: PersonInput { external_id, name, role, date_of_birth, group }, agents, guardians }))
}

/// The cells of one line, by field.
struct Cells<'a> {
    layout: &'a Layout,
    record: &'a StringRecord,
    line: u64,
}

impl Cells<'_> {
    /// The cleaned cell of `field`; empty when the file has no such column.
    fn get(&self, field: Field) -> String {
        self.layout.index(field).and_then(|i| self.record.get(i)).map(clean).unwrap_or_default()
    }

    fn reject(&self, field: Option<Field>, reason: Reason) -> Rejected {
        Rejected { line: self.line, column: field.and_then(|f| self.layout.header(f)), reason }
    }

    fn missing(&self, field: Field) -> Rejected {
        self.reject(Some(field), Reason::Missing)
    }

    /// The cell of `field` as text the roster keeps, or None when empty.
    fn text(&self, field: Field, max: usize) -> Result<Option<String>, Rejected> {
        checked_text(self.get(field), max).map_err(|reason| self.reject(Some(field), reason))
    }

    /// The role column's role, or the format's role when the file has no role column or
    /// leaves the cell empty.
    fn role(&self) -> Result<Role, Rejected> {
        let value = self.get(Field::Role);
        if value.is_empty() {
            return self.layout.spec.default_role.ok_or_else(|| self.missing(Field::Role));
        }
        parse_role(&value).ok_or_else(|| self.reject(Some(Field::Role), Reason::UnknownRole { value }))
    }

    /// The display name: the roepnaam (or else the first names), tussenvoegsel and family
    /// name, or the one name column.
    fn name(&self) -> Result<String, Rejected> {
        if self.layout.index(Field::FamilyName).is_none() {
            return self.text(Field::FullName, MAX_NAME)?.ok_or_else(|| self.missing(Field::FullName));
        }
        let called = self.text(Field::CalledName, MAX_NAME)?;
        let given = self.text(Field::GivenName, MAX_NAME)?;
        let prefix = self.text(Field::Prefix, MAX_NAME)?;
        let family = self.text(Field::FamilyName, MAX_NAME)?;
        let first_column =
            if self.layout.index(Field::CalledName).is_some() { Field::CalledName } else { Field::GivenName };
        let first = called.or(given).ok_or_else(|| self.missing(first_column))?;
        let family = family.ok_or_else(|| self.missing(Field::FamilyName))?;
        let name = display_name(&[&first, prefix.as_deref().unwrap_or_default(), &family]);
        if name.chars().count() > MAX_NAME {
            return Err(self.reject(Some(Field::FamilyName), Reason::TooLong { max: MAX_NAME }));
        }
        Ok(name)
    }

    /// The date of birth, kept for pupils only.
    fn date_of_birth(&self, role: Role, today: Date) -> Result<Option<Date>, Rejected> {
        let value = self.get(Field::DateOfBirth);
        if value.is_empty() {
            return Ok(None);
        }
        let reject = |reason| Err(self.reject(Some(Field::DateOfBirth), reason));
        match parse_date(&value) {
            None => reject(Reason::BadDate { value }),
            // The store refuses these too, and would then refuse the whole file.
            Some(date) if date > today || date.year() < 1900 => reject(Reason::ImplausibleDate { value }),
            Some(_) if role != Role::Pupil => reject(Reason::DateOfBirthNotKept { role }),
            Some(date) => Ok(Some(date)),
        }
    }

    /// Guardian `n`'s cells, or None when both are empty.
    fn guardian(&self, n: u8) -> Option<Result<GuardianCell, Rejected>> {
        let id_field = Field::GuardianId(n);
        let name_field = Field::GuardianName(n);
        let id = self.text(id_field, MAX_ID);
        let name = self.text(name_field, MAX_NAME);
        match (id, name) {
            (Err(rejected), _) | (_, Err(rejected)) => Some(Err(rejected)),
            (Ok(None), Ok(None)) => None,
            (Ok(None), Ok(Some(_))) => Some(Err(self.reject(Some(name_field), Reason::GuardianWithoutId))),
            (Ok(Some(id)), Ok(name)) => Some(Ok(GuardianCell {
                id,
                name,
                id_column: self.layout.header(id_field),
                name_column: self.layout.header(name_field),
            })),
        }
    }
}

/// `value` (already cleaned) as text the roster keeps: None when empty, refused when too long
/// or holding a control character.
fn checked_text(value: String, max: usize) -> Result<Option<String>, Reason> {
    if value.is_empty() {
        Ok(None)
    } else if value.chars().any(char::is_control) {
        Err(Reason::ControlCharacter)
    } else if value.chars().count() > max {
        Err(Reason::TooLong { max })
    } else {
        Ok(Some(value))
    }
}
