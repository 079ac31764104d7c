//! A school's roster as a check sees it: people a situation may refer to without listing them
//! in `people`. The service builds one per school and reuses it for every check; a situation
//! file has none.

use std::collections::HashMap;

use magdit_analysis::PeopleIndex;

use crate::situation::PersonEntry;

/// People with the keys a situation may name them by: their id, other ids (the school
/// system's), and their full name when no one else on the roster has it.
#[derive(Debug, Default)]
pub struct Roster {
    people: Vec<PersonEntry>,
    keys: HashMap<String, Key>,
    /// The names indexed for the text analysis, once per roster rather than per check.
    index: PeopleIndex,
}

#[derive(Debug, Clone, Copy)]
enum Key {
    Id(usize),
    /// A name: unique, or shared by several people and so no key at all.
    Name(Option<usize>),
}

impl Roster {
    pub fn with_capacity(n: usize) -> Roster {
        Roster { people: Vec::with_capacity(n), keys: HashMap::with_capacity(n * 3), index: PeopleIndex::with_capacity(n) }
    }

    /// Adds `person`, known also by `other_ids`. Ids win over names: a name that equals
    /// someone's id stays that person's.
    pub fn push(&mut self, person: PersonEntry, other_ids: &[String]) {
        let index = self.people.len();
        self.index.push(&person.name);
        for id in std::iter::once(&person.id).chain(other_ids) {
            self.keys.insert(id.clone(), Key::Id(index));
        }
        let name = name_key(&person.name);
        match self.keys.get_mut(&name) {
            None => {
                self.keys.insert(name, Key::Name(Some(index)));
            }
            Some(Key::Name(only)) => *only = None,
            Some(Key::Id(_)) => {}
        }
        self.people.push(person);
    }

    pub fn people(&self) -> &[PersonEntry] {
        &self.people
    }

    pub(crate) fn people_index(&self) -> &PeopleIndex {
        &self.index
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The person `key` names: by an id, or by a full name (any case) no one else has.
    pub fn resolve(&self, key: &str) -> Option<&PersonEntry> {
        let index = match self.keys.get(key) {
            Some(Key::Id(i)) => Some(*i),
            _ => match self.keys.get(&name_key(key)) {
                Some(Key::Name(only)) => *only,
                Some(Key::Id(i)) => Some(*i),
                None => None,
            },
        };
        index.map(|i| &self.people[i])
    }

    /// The index of the person whose id is `id`.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        match self.keys.get(id) {
            Some(Key::Id(i)) if self.people[*i].id == id => Some(*i),
            _ => None,
        }
    }
}

fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The people of one check: those given inline in the situation, then the roster's.
/// Indices run over both, inline first.
#[derive(Clone, Copy)]
pub(crate) struct People<'a> {
    inline: &'a [PersonEntry],
    roster: Option<&'a Roster>,
}

impl<'a> People<'a> {
    pub fn new(inline: &'a [PersonEntry], roster: Option<&'a Roster>) -> People<'a> {
        People { inline, roster }
    }

    pub fn get(&self, i: usize) -> &'a PersonEntry {
        match i.checked_sub(self.inline.len()) {
            None => &self.inline[i],
            Some(r) => &self.roster.map_or(&[][..], |r| r.people())[r],
        }
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.inline
            .iter()
            .position(|p| p.id == id)
            .or_else(|| self.roster.and_then(|r| r.position(id)).map(|i| i + self.inline.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Roster {
        let mut r = Roster::with_capacity(3);
        r.push(PersonEntry::new("1", "Daan de Vries"), &["LL-1001".into()]);
        r.push(PersonEntry::new("2", "Sanne Bakker"), &[]);
        r.push(PersonEntry::new("3", "Sanne  bakker"), &[]);
        r
    }

    #[test]
    fn resolves_by_id_other_id_and_unique_name() {
        let r = roster();
        assert_eq!(r.resolve("1").map(|p| p.id.as_str()), Some("1"));
        assert_eq!(r.resolve("LL-1001").map(|p| p.id.as_str()), Some("1"));
        assert_eq!(r.resolve("daan DE vries").map(|p| p.id.as_str()), Some("1"));
    }

    #[test]
    fn a_shared_name_names_no_one() {
        assert!(roster().resolve("Sanne Bakker").is_none());
    }

    #[test]
    fn people_index_inline_first() {
        let r = roster();
        let inline = [PersonEntry::new("x", "Iemand Anders")];
        let p = People::new(&inline, Some(&r));
        assert_eq!(p.position("x"), Some(0));
        assert_eq!(p.position("2"), Some(2));
        assert_eq!(p.position("LL-1001"), None, "positions are by id only");
        assert_eq!(p.get(1).id, "1");
    }
}
