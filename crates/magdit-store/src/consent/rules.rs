//! The consent rules as plain functions, with no database: who decides at which age, and when
//! recorded consent has expired. Both stores answer through these, so they cannot disagree.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::tenancy::RenewalPolicy;
use crate::vocab::{ConsentState, EffectiveState};

/// The age from which a pupil decides about their own consent (AVG art. 8 as applied in the
/// Netherlands, UAVG art. 5).
pub const AGE_OF_CONSENT: i32 = 16;

/// Who decides about a pupil's consent on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Guardians,
    Pupil,
}

/// The pupil's 16th birthday: the first day they decide themselves. For someone born on 29
/// February whose 16th year has no such day (born 2084, turning 16 in 2100), it is 1 March:
/// only then have 16 full years passed.
pub fn hand_over_date(date_of_birth: Date) -> Date {
    let year = date_of_birth.year() + AGE_OF_CONSENT;
    Date::from_calendar_date(year, date_of_birth.month(), date_of_birth.day())
        .or_else(|_| Date::from_calendar_date(year, Month::March, 1))
        // Only reachable for years beyond time's range; a date that far out never comes.
        .unwrap_or(Date::MAX)
}

/// Who decides on `today`. Without a date of birth the guardians do: treating a pupil of
/// unknown age as a minor is the safe reading.
pub fn decider(date_of_birth: Option<Date>, today: Date) -> Who {
    match date_of_birth {
        Some(dob) if today >= hand_over_date(dob) => Who::Pupil,
        _ => Who::Guardians,
    }
}

/// The instant before which given consent has expired at `at`: the later of the purpose's
/// last change and the start (local midnight, in `at`'s offset) of the last yearly renewal day.
pub fn expiry_cutoff(
    purpose_changed_at: Option<OffsetDateTime>,
    renewal: RenewalPolicy,
    at: OffsetDateTime,
) -> Option<OffsetDateTime> {
    let yearly = renewal
        .last_renewal(at.date())
        .map(|day| PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(at.offset()));
    match (purpose_changed_at, yearly) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The state a check sees, and whether it is unknown because given consent expired.
/// Absence is unknown; a refusal never expires.
pub fn effective(
    state: Option<ConsentState>,
    decided_at: Option<OffsetDateTime>,
    purpose_changed_at: Option<OffsetDateTime>,
    renewal: RenewalPolicy,
    at: OffsetDateTime,
) -> (EffectiveState, bool) {
    match (state, decided_at) {
        (Some(ConsentState::Refused), _) => (EffectiveState::Refused, false),
        (Some(ConsentState::Given), Some(decided)) => match expiry_cutoff(purpose_changed_at, renewal, at) {
            Some(cutoff) if decided < cutoff => (EffectiveState::Unknown, true),
            _ => (EffectiveState::Given, false),
        },
        _ => (EffectiveState::Unknown, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn hand_over_on_the_sixteenth_birthday() {
        let dob = date!(2009 - 09 - 15);
        assert_eq!(hand_over_date(dob), date!(2025 - 09 - 15));
        assert_eq!(decider(Some(dob), date!(2025 - 09 - 14)), Who::Guardians);
        assert_eq!(decider(Some(dob), date!(2025 - 09 - 15)), Who::Pupil);
        assert_eq!(decider(None, date!(2040 - 01 - 01)), Who::Guardians);
    }

    #[test]
    fn leap_day_birthdays() {
        // 16 is a multiple of 4, so the 16th year is a leap year too...
        assert_eq!(hand_over_date(date!(2008 - 02 - 29)), date!(2024 - 02 - 29));
        // ...except across a century that is not a leap year.
        assert_eq!(hand_over_date(date!(2084 - 02 - 29)), date!(2100 - 03 - 01));
        assert_eq!(decider(Some(date!(2084 - 02 - 29)), date!(2100 - 02 - 28)), Who::Guardians);
    }

    #[test]
    fn absence_is_unknown_and_refusal_stays() {
        let at = datetime!(2025-10-01 12:00 +02:00);
        assert_eq!(effective(None, None, None, RenewalPolicy::OnPurposeChange, at), (EffectiveState::Unknown, false));
        let long_ago = Some(datetime!(2020-01-01 0:00 UTC));
        let yearly = RenewalPolicy::Yearly { month: 8, day: 1 };
        assert_eq!(
            effective(Some(ConsentState::Refused), long_ago, None, yearly, at),
            (EffectiveState::Refused, false)
        );
    }

    #[test]
    fn given_consent_expires_at_the_renewal_and_on_a_purpose_change() {
        let yearly = RenewalPolicy::Yearly { month: 8, day: 1 };
        let at = datetime!(2025-10-01 12:00 +02:00);
        let given = Some(ConsentState::Given);
        // Given on 31 July 2025, renewed 1 August 2025: expired.
        let before = Some(datetime!(2025-07-31 21:00 UTC)); // 23:00 local, still 31 July
        assert_eq!(effective(given, before, None, yearly, at), (EffectiveState::Unknown, true));
        // Given just after local midnight of 1 August (22:30 UTC the day before): valid.
        let after = Some(datetime!(2025-07-31 22:30 UTC));
        assert_eq!(effective(given, after, None, yearly, at), (EffectiveState::Given, false));
        // Only-on-change: still valid years later, until the purpose changes.
        let old = Some(datetime!(2021-05-01 0:00 UTC));
        assert_eq!(effective(given, old, None, RenewalPolicy::OnPurposeChange, at), (EffectiveState::Given, false));
        let changed = Some(datetime!(2022-01-01 0:00 UTC));
        assert_eq!(effective(given, old, changed, RenewalPolicy::OnPurposeChange, at), (EffectiveState::Unknown, true));
    }
}
