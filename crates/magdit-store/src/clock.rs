//! Time as the store keeps it: UTC, whole microseconds.
//!
//! PostgreSQL keeps microseconds and SQLite keeps what sqlx writes (RFC 3339 text), so a value
//! cut to microseconds and moved to UTC before it is written reads back identical from both.
//! The audit chain depends on that: it hashes timestamps and recomputes the hash from what
//! it reads back.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{Duration, OffsetDateTime, UtcOffset};

/// Now, in the store's form.
pub(crate) fn now() -> OffsetDateTime {
    normalize(OffsetDateTime::now_utc())
}

/// `t` in UTC, cut to whole microseconds.
pub(crate) fn normalize(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(UtcOffset::UTC);
    // Subtracting the sub-microsecond part cannot fail, unlike replace_nanosecond.
    t - Duration::nanoseconds(i64::from(t.nanosecond() % 1_000))
}

const CANONICAL: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// One fixed text form of an instant, for hashing: `2025-08-01T09:30:00.000000Z`.
pub(crate) fn canonical(t: OffsetDateTime) -> String {
    let t = normalize(t);
    // Formatting a valid UTC date-time with this description only fails for years outside
    // 0..=9999, which normalize() cannot produce from a stored value; fall back to Debug
    // rather than panic, which still hashes deterministically.
    t.format(CANONICAL).unwrap_or_else(|_| format!("{t:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn normalize_moves_to_utc_and_cuts_nanoseconds() {
        let t = datetime!(2025-08-01 11:30:00.123_456_789 +02:00);
        assert_eq!(normalize(t), datetime!(2025-08-01 09:30:00.123_456 UTC));
    }

    #[test]
    fn canonical_has_fixed_width() {
        assert_eq!(canonical(datetime!(2025-08-01 09:30:00 UTC)), "2025-08-01T09:30:00.000000Z");
        assert_eq!(canonical(datetime!(2025-08-01 09:30:00.5 UTC)), "2025-08-01T09:30:00.500000Z");
    }
}
