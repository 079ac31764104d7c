//! `export`: a roster as CSV in magdit's own columns, which [`crate::parse`] reads back.

use magdit_store::{Person, PersonId, Role, SchoolId, Store};
use std::collections::HashMap;

use crate::roster;
use crate::values::FORMULA_STARTS;

/// A guardian–pupil link, by the people's roster ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardianLink {
    pub guardian: PersonId,
    pub pupil: PersonId,
}

/// magdit's columns, in the order written.
const HEADER: [&str; 6] = ["external_id", "name", "role", "date_of_birth", "group", "guardians"];

/// `people` as CSV: UTF-8 with a byte order mark, `;` between fields and `\r\n` line ends, so
/// Excel with Dutch settings opens it in columns with the accents intact. Columns:
/// `external_id`, `name`, `role` (magdit's words), `date_of_birth` (`yyyy-mm-dd`), `group`,
/// and `guardians` (a pupil's guardians' external ids, sorted, separated by commas). A link
/// whose guardian is not among `people` is left out, since the file could not name them.
///
/// A cell starting with `=`, `+`, `-` or `@` gets a leading `'`, so a spreadsheet shows it as
/// text instead of running it as a formula; [`crate::parse`] takes the `'` off again.
pub fn export(people: &[Person], guardians: &[GuardianLink]) -> Vec<u8> {
    let external: HashMap<PersonId, &str> = people.iter().map(|p| (p.id, p.external_id.as_str())).collect();
    let mut guardians_of: HashMap<PersonId, Vec<&str>> = HashMap::new();
    for link in guardians {
        if let Some(guardian) = external.get(&link.guardian) {
            guardians_of.entry(link.pupil).or_default().push(guardian);
        }
    }
    for ids in guardians_of.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let written = write(&mut out, people, &guardians_of);
    // csv fails only on I/O errors and on records of unequal length; a Vec has no I/O errors
    // and every record here has six fields.
    debug_assert!(written.is_ok(), "{written:?}");
    out
}

fn write(out: &mut Vec<u8>, people: &[Person], guardians_of: &HashMap<PersonId, Vec<&str>>) -> csv::Result<()> {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(out);
    writer.write_record(HEADER)?;
    for p in people {
        let guardians = match guardians_of.get(&p.id) {
            Some(ids) if p.role == Role::Pupil => as_text(&ids.join(",")),
            _ => String::new(),
        };
        let date_of_birth =
            p.date_of_birth.map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()));
        writer.write_record([
            as_text(&p.external_id),
            as_text(&p.name),
            p.role.as_str().to_string(),
            date_of_birth.unwrap_or_default(),
            as_text(p.group.as_deref().unwrap_or_default()),
            guardians,
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// The cell as a spreadsheet must show it: as text, never as a formula.
fn as_text(value: &str) -> String {
    if value.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// The whole roster of `school` as [`export`] writes it, with each pupil's guardians.
pub async fn export_school(store: &Store, school: SchoolId) -> magdit_store::Result<Vec<u8>> {
    let people = roster::everyone(store, school).await?;
    // One query per pupil: the store has no bulk read of links, and an export is rare.
    let mut links = Vec::new();
    for pupil in people.iter().filter(|p| p.role == Role::Pupil) {
        for guardian in store.guardians(school, pupil.id).await? {
            links.push(GuardianLink { guardian: guardian.id, pupil: pupil.id });
        }
    }
    Ok(export(&people, &links))
}
