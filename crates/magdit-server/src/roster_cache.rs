//! The roster as the check sees it — every person of the school with their consent per
//! purpose — built once per (school, revision, day) and shared by every check until the
//! school's data changes. The store bumps a school's revision with every write, so one cheap
//! read tells whether the cache is current; the day matters because ages and yearly renewal
//! change at midnight.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use magdit_engine::{ConsentRecord, PersonEntry, Roster};
use magdit_protocol::{Consent, Role as ProtocolRole};
use magdit_store::{EffectiveState, PeopleFilter, PersonId, Role, School, SchoolId, Store};
use time::{Date, OffsetDateTime};

#[derive(Default)]
pub struct RosterCache {
    schools: Mutex<HashMap<SchoolId, Arc<Cached>>>,
    /// One load at a time per school: after a change, the checks that arrive while the
    /// roster is being read again wait for that one read instead of each starting their own
    /// (dozens of concurrent loads of a large school would take seconds each).
    loading: Mutex<HashMap<SchoolId, Arc<tokio::sync::Mutex<()>>>>,
}

struct Cached {
    revision: i64,
    day: Date,
    roster: Arc<Roster>,
}

impl RosterCache {
    /// `school`'s roster as of its revision and `now`'s day.
    pub async fn get(&self, store: &Store, school: &School, now: OffsetDateTime) -> magdit_store::Result<Arc<Roster>> {
        if let Some(roster) = self.current(school, now) {
            return Ok(roster);
        }
        let gate = self.loading.lock().map(|mut m| m.entry(school.id).or_default().clone()).unwrap_or_default();
        let _loading = gate.lock().await;
        // Another check may have loaded it while this one waited.
        if let Some(roster) = self.current(school, now) {
            return Ok(roster);
        }
        let roster = Arc::new(load(store, school.id, now).await?);
        let cached = Arc::new(Cached { revision: school.revision, day: now.date(), roster: roster.clone() });
        if let Ok(mut map) = self.schools.lock() {
            if map.get(&school.id).is_none_or(|c| c.revision <= school.revision) {
                map.insert(school.id, cached);
            }
        }
        Ok(roster)
    }

    /// The cached roster, if it is of `school`'s revision (or a later one: a request that
    /// read the school just before a change) and of `now`'s day.
    fn current(&self, school: &School, now: OffsetDateTime) -> Option<Arc<Roster>> {
        let c = self.schools.lock().ok()?.get(&school.id).cloned()?;
        (c.revision >= school.revision && c.day == now.date()).then(|| c.roster.clone())
    }
}

async fn load(store: &Store, school: SchoolId, now: OffsetDateTime) -> magdit_store::Result<Roster> {
    let people = store.all_people(school, &PeopleFilter::default()).await?;
    let pupils: Vec<PersonId> = people.iter().filter(|p| p.role == Role::Pupil).map(|p| p.id).collect();
    let mut consent: HashMap<PersonId, ConsentRecord> = HashMap::with_capacity(pupils.len());
    if !pupils.is_empty() {
        for purpose in store.purposes(school).await? {
            let states = store.effective_consent(school, &purpose.key, &pupils, now).await?;
            for (pupil, c) in pupils.iter().zip(states) {
                let record = consent.entry(*pupil).or_default();
                let state = Some(consent_word(c.state));
                // The check contract names the five built-in purposes; a school's own ones
                // have no rule that reads them.
                match purpose.key.as_str() {
                    "social_media" => record.social_media = state,
                    "website" => record.website = state,
                    "newsletter" => record.newsletter = state,
                    "school_guide" => record.school_guide = state,
                    "school_app" => record.school_app = state,
                    _ => {}
                }
            }
        }
    }
    let today = now.date();
    let mut roster = Roster::with_capacity(people.len());
    for p in people {
        let mut e = PersonEntry::new(p.id.0.to_string(), p.name);
        e.role = Some(protocol_role(p.role));
        e.age = p.date_of_birth.map(|dob| age_on(dob, today));
        e.consent = consent.remove(&p.id).unwrap_or_default();
        // A situation may name someone by the school system's id as well as by ours.
        roster.push(e, &[p.external_id]);
    }
    Ok(roster)
}

fn consent_word(s: EffectiveState) -> Consent {
    match s {
        EffectiveState::Given => Consent::Given,
        EffectiveState::Refused => Consent::Refused,
        EffectiveState::Unknown => Consent::Unknown,
    }
}

fn protocol_role(r: Role) -> ProtocolRole {
    match r {
        Role::Pupil => ProtocolRole::Pupil,
        Role::Employee => ProtocolRole::Employee,
        Role::Manager => ProtocolRole::Manager,
        Role::Parent => ProtocolRole::Parent,
        Role::Volunteer => ProtocolRole::Volunteer,
    }
}

/// Age in whole years on `today`.
fn age_on(dob: Date, today: Date) -> u32 {
    let had_birthday = (today.month() as u8, today.day()) >= (dob.month() as u8, dob.day());
    let years = today.year() - dob.year() - i32::from(!had_birthday);
    u32::try_from(years).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn age_counts_whole_years() {
        assert_eq!(age_on(date!(2010 - 11 - 22), date!(2026 - 11 - 22)), 16);
        assert_eq!(age_on(date!(2010 - 11 - 23), date!(2026 - 11 - 22)), 15);
        assert_eq!(age_on(date!(2012 - 02 - 29), date!(2026 - 02 - 28)), 13);
        assert_eq!(age_on(date!(2030 - 01 - 01), date!(2026 - 02 - 28)), 0);
    }
}
