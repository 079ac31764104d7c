//! `apply`: a parsed roster into the store, as a dry run or for real, with a report per row.

use magdit_store::{Actor, Apply, Outcome, Person, PersonId, PersonInput, Role, SchoolId, Store, Upserted};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

use crate::formats::Format;
use crate::parse::{AbsentColumns, ParsedRoster, Rejected};
use crate::reason::Reason;
use crate::roster;

/// What an import did, or in a dry run would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub format: Format,
    /// Whether this was a preview that wrote nothing.
    pub dry_run: bool,
    /// One entry per person in the file, in file order.
    pub rows: Vec<RowReport>,
    /// The lines parsing rejected, for the same screen.
    pub rejected: Vec<Rejected>,
}

impl ImportReport {
    /// How many people were created, updated or left unchanged.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == outcome).count()
    }

    /// How many guardian links were made.
    pub fn links_added(&self) -> usize {
        self.rows.iter().map(|r| r.links_added.len()).sum()
    }
}

/// What happened to one person of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowReport {
    pub line: u64,
    pub external_id: String,
    pub outcome: Outcome,
    /// For an update, the fields it changed: `name`, `role`, `date_of_birth`, `group`.
    pub changed: Vec<&'static str>,
    /// The guardian links made for this row: the external ids of the pupil's guardians (or
    /// of the parent's children).
    pub links_added: Vec<String>,
    /// The links of this row that could not be made.
    pub link_problems: Vec<LinkProblem>,
}

/// A guardian link that could not be made. Not fatal: the rest of the import goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkProblem {
    /// The external id of the person at the other end of the link.
    pub other: String,
    pub reason: Reason,
}

/// Creates or updates the people of `parsed` in `school` (all in one transaction: a failure
/// imports nobody) and links the guardians, then reports per row. People are matched by
/// external id, so importing the same file again changes nothing; nobody is ever deleted,
/// no link removed, and a column the file lacks ([`crate::AbsentColumns`]) keeps its value.
///
/// With [`Apply::DryRun`] nothing is written: the store reports the people and rolls back,
/// and each link is checked against the roster and reported as it would be made.
///
/// Links are made after the people, one transaction each (the store's `link_guardian`): if
/// the import stops half-way through the links, running it again completes them. A link to
/// a guardian or pupil in neither the file nor the roster, or between people of the wrong
/// roles, is reported on its row. Errors are the store's (the database failing), never a
/// row's.
pub async fn apply(
    store: &Store,
    school: SchoolId,
    parsed: &ParsedRoster,
    mode: Apply,
    actor: &Actor,
) -> magdit_store::Result<ImportReport> {
    let roster: HashMap<String, Person> =
        roster::everyone(store, school).await?.into_iter().map(|p| (p.external_id.clone(), p)).collect();
    let inputs: Vec<PersonInput> = parsed
        .people
        .iter()
        .map(|row| keep_absent(&row.person, parsed.absent, roster.get(&row.person.external_id)))
        .collect();
    let upserted = store.upsert_people(school, &inputs, actor, mode).await?;

    // Who a link may name: the roster as it was, updated by the file.
    let mut known: HashMap<&str, Known> = roster.values().map(|p| (p.external_id.as_str(), Known::from(p))).collect();
    for up in &upserted {
        known.insert(
            up.person.external_id.as_str(),
            Known { new: up.outcome == Outcome::Created, ..Known::from(&up.person) },
        );
    }
    let mut links = Links { store, school, mode, actor, known, guardians: HashMap::new() };

    let mut rows = Vec::with_capacity(upserted.len());
    for (row, up) in parsed.people.iter().zip(&upserted) {
        let id = &row.person.external_id;
        let mut report = RowReport {
            line: row.line,
            external_id: id.clone(),
            outcome: up.outcome,
            changed: changed_fields(up),
            links_added: Vec::new(),
            link_problems: Vec::new(),
        };
        let pairs = row.guardians.iter().map(|g| (g, id, g)).chain(row.children.iter().map(|c| (id, c, c)));
        for (guardian, pupil, other) in pairs {
            match links.link(guardian, pupil).await? {
                Ok(true) => report.links_added.push(other.clone()),
                Ok(false) => {}
                Err(reason) => report.link_problems.push(LinkProblem { other: other.clone(), reason }),
            }
        }
        rows.push(report);
    }
    Ok(ImportReport { format: parsed.format, dry_run: mode == Apply::DryRun, rows, rejected: parsed.rejected.clone() })
}

/// `person` with the values of the columns the file lacks taken from the roster. A date of
/// birth is kept only for a pupil: the store keeps it for no one else.
fn keep_absent(person: &PersonInput, absent: AbsentColumns, stored: Option<&Person>) -> PersonInput {
    let mut person = person.clone();
    if let Some(stored) = stored {
        if absent.date_of_birth && person.role == Role::Pupil {
            person.date_of_birth = stored.date_of_birth;
        }
        if absent.group {
            person.group = stored.group.clone();
        }
    }
    person
}

/// The fields an update changed.
fn changed_fields(up: &Upserted) -> Vec<&'static str> {
    let (Some(before), after) = (&up.before, &up.person) else { return Vec::new() };
    [
        ("name", before.name != after.name),
        ("role", before.role != after.role),
        ("date_of_birth", before.date_of_birth != after.date_of_birth),
        ("group", before.group != after.group),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect()
}

/// A person a link may name, as far as linking needs to know them.
#[derive(Debug, Clone, Copy)]
struct Known {
    id: PersonId,
    role: Role,
    /// Created by this import: in a dry run their id is from a rolled-back transaction, and
    /// they have no links yet.
    new: bool,
}

impl From<&Person> for Known {
    fn from(p: &Person) -> Known {
        Known { id: p.id, role: p.role, new: false }
    }
}

/// Makes guardian links.
struct Links<'a> {
    store: &'a Store,
    school: SchoolId,
    mode: Apply,
    actor: &'a Actor,
    /// Everyone a link may name, by external id.
    known: HashMap<&'a str, Known>,
    /// Each pupil's guardians, read from the store once.
    guardians: HashMap<PersonId, HashSet<PersonId>>,
}

impl Links<'_> {
    /// Links `guardian` to `pupil` (external ids). The outer result is the store's; the inner
    /// one says whether a link was (or would be) made, or why it cannot be.
    async fn link(&mut self, guardian: &str, pupil: &str) -> magdit_store::Result<Result<bool, Reason>> {
        let Some(g) = self.known.get(guardian).copied() else {
            return Ok(Err(Reason::GuardianNotFound { id: guardian.to_string() }));
        };
        let Some(p) = self.known.get(pupil).copied() else {
            return Ok(Err(Reason::PupilNotFound { id: pupil.to_string() }));
        };
        if g.role != Role::Parent {
            return Ok(Err(Reason::NotAParent { id: guardian.to_string(), role: g.role }));
        }
        if p.role != Role::Pupil {
            return Ok(Err(Reason::NotAPupil { id: pupil.to_string(), role: p.role }));
        }
        if !g.new && !p.new && self.guardians_of(p.id).await?.contains(&g.id) {
            return Ok(Ok(false));
        }
        match self.mode {
            Apply::DryRun => Ok(Ok(true)),
            Apply::Commit => Ok(Ok(self.store.link_guardian(self.school, g.id, p.id, self.actor).await?)),
        }
    }

    /// The guardians `pupil` has on the roster.
    async fn guardians_of(&mut self, pupil: PersonId) -> magdit_store::Result<&HashSet<PersonId>> {
        if !self.guardians.contains_key(&pupil) {
            let linked = self.store.guardians(self.school, pupil).await?.into_iter().map(|g| g.id).collect();
            self.guardians.insert(pupil, linked);
        }
        Ok(&self.guardians[&pupil])
    }
}
