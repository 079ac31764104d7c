//! Dutch local time, without a time-zone database: the EU rule puts summer time (UTC+2) from
//! the last Sunday of March, 01:00 UTC, to the last Sunday of October, 01:00 UTC; else UTC+1.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// The offset of Europe/Amsterdam at instant `at`.
pub fn amsterdam_offset(at: OffsetDateTime) -> UtcOffset {
    let at = at.to_offset(UtcOffset::UTC);
    let switch = |month| PrimitiveDateTime::new(last_sunday(at.year(), month), Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT)).assume_utc();
    let summer = at >= switch(Month::March) && at < switch(Month::October);
    UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).unwrap_or(UtcOffset::UTC)
}

fn last_sunday(year: i32, month: Month) -> Date {
    // Both months have 31 days.
    let mut d = Date::from_calendar_date(year, month, 31).unwrap_or(Date::MIN);
    while d.weekday() != Weekday::Sunday {
        d = d.previous_day().unwrap_or(d);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn winter_and_summer_time() {
        assert_eq!(amsterdam_offset(datetime!(2026-01-15 12:00 UTC)).whole_hours(), 1);
        assert_eq!(amsterdam_offset(datetime!(2026-07-01 12:00 UTC)).whole_hours(), 2);
    }

    #[test]
    fn switches_at_one_utc_on_the_last_sundays() {
        // 2026: 29 March and 25 October.
        assert_eq!(amsterdam_offset(datetime!(2026-03-29 00:59 UTC)).whole_hours(), 1);
        assert_eq!(amsterdam_offset(datetime!(2026-03-29 01:00 UTC)).whole_hours(), 2);
        assert_eq!(amsterdam_offset(datetime!(2026-10-25 00:59 UTC)).whole_hours(), 2);
        assert_eq!(amsterdam_offset(datetime!(2026-10-25 01:00 UTC)).whole_hours(), 1);
    }
}
