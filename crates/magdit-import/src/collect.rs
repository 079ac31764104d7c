//! The file's lines into people: one person per external id, a guardian named on pupils'
//! lines made a person of their own once, and each guardian link listed once.

use magdit_store::{PersonInput, Role};
use std::collections::HashMap;

use crate::parse::{Rejected, Row};
use crate::reason::Reason;
use crate::rows::{GuardianCell, Line};

/// Gathers the people of a file line by line.
pub(crate) struct Collector {
    /// The header of the id column, to name it when an id comes twice.
    id_column: Option<String>,
    people: Vec<Row>,
    rejected: Vec<Rejected>,
    /// Where each external id was first seen.
    seen: HashMap<String, Seen>,
}

struct Seen {
    line: u64,
    /// Its index in `people`.
    index: usize,
    /// Whether the person came from a guardian cell on a pupil's line, where the same
    /// guardian may come again on a sibling's line.
    from_guardian_cell: bool,
}

impl Collector {
    pub fn new(id_column: Option<String>) -> Collector {
        Collector { id_column, people: Vec::new(), rejected: Vec::new(), seen: HashMap::new() }
    }

    pub fn reject(&mut self, rejected: Rejected) {
        self.rejected.push(rejected);
    }

    /// Adds the person on line `line`, unless an earlier line has their id.
    pub fn add(&mut self, line: u64, content: Line) {
        let Line { person, agents, guardians } = content;
        if let Some(first) = self.seen.get(&person.external_id) {
            let reason = Reason::DuplicateId { id: person.external_id, first_line: first.line };
            self.reject(Rejected { line, column: self.id_column.clone(), reason });
            return;
        }
        let index = self.people.len();
        self.seen.insert(person.external_id.clone(), Seen { line, index, from_guardian_cell: false });
        let (linked_guardians, children) = match person.role {
            Role::Pupil => (agents, Vec::new()),
            Role::Parent => (Vec::new(), agents),
            // OneRoster gives agents to students and parents only.
            Role::Employee | Role::Manager | Role::Volunteer => (Vec::new(), Vec::new()),
        };
        self.people.push(Row { line, person, guardians: linked_guardians, children });
        for cell in guardians {
            match cell {
                Ok(cell) => {
                    if self.add_guardian(line, &cell) && !self.people[index].guardians.contains(&cell.id) {
                        self.people[index].guardians.push(cell.id);
                    }
                }
                Err(rejected) => self.reject(rejected),
            }
        }
    }

    /// Makes a guardian named on line `line` a person, the first time they appear; returns
    /// whether the pupil on that line is to be linked to them.
    fn add_guardian(&mut self, line: u64, cell: &GuardianCell) -> bool {
        match self.seen.get(&cell.id) {
            Some(first) if first.from_guardian_cell => {
                if cell.name.as_ref().is_some_and(|name| *name != self.people[first.index].person.name) {
                    let reason = Reason::GuardianNameConflict { id: cell.id.clone(), first_line: first.line };
                    self.reject(Rejected { line, column: cell.name_column.clone(), reason });
                }
                true
            }
            // The id of someone else in the file (a pupil, say): the school's system numbers
            // guardians and pupils apart, and the two numbers collide.
            Some(first) if cell.name.is_some() => {
                let reason = Reason::DuplicateId { id: cell.id.clone(), first_line: first.line };
                self.reject(Rejected { line, column: cell.id_column.clone(), reason });
                false
            }
            // Only an id: a reference to someone in the file or on the roster.
            Some(_) => true,
            None => {
                if let Some(name) = &cell.name {
                    let index = self.people.len();
                    self.seen.insert(cell.id.clone(), Seen { line, index, from_guardian_cell: true });
                    let person = PersonInput {
                        external_id: cell.id.clone(),
                        name: name.clone(),
                        role: Role::Parent,
                        date_of_birth: None,
                        group: None,
                    };
                    self.people.push(Row { line, person, guardians: Vec::new(), children: Vec::new() });
                }
                true
            }
        }
    }

    /// The people and the rejections, in file order. A parent's child who is a pupil in the
    /// file gets the link on the pupil's row, so a link listed on both sides (OneRoster)
    /// appears once.
    pub fn finish(mut self) -> (Vec<Row>, Vec<Rejected>) {
        for parent in 0..self.people.len() {
            let children = std::mem::take(&mut self.people[parent].children);
            let parent_id = self.people[parent].person.external_id.clone();
            for child in children {
                let pupil_in_file =
                    self.seen.get(&child).map(|seen| seen.index).filter(|&i| self.people[i].person.role == Role::Pupil);
                match pupil_in_file {
                    Some(i) if self.people[i].guardians.contains(&parent_id) => {}
                    Some(i) => self.people[i].guardians.push(parent_id.clone()),
                    None => self.people[parent].children.push(child),
                }
            }
        }
        (self.people, self.rejected)
    }
}
