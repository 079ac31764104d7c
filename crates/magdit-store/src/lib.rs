//! magdit's one storage boundary: boards and schools, the roster, the consent registry,
//! accounts and sessions, stored checks, retention, AVG export and erasure, a school's own
//! protocol files, and the audit chains, on embedded SQLite (the default) or PostgreSQL.
//!
//! ```no_run
//! # async fn demo() -> magdit_store::Result<()> {
//! use magdit_store::{Actor, NewSchool, RenewalPolicy, Store};
//!
//! let store = Store::open("sqlite://data/magdit.db").await?; // created and migrated
//! let admin = Actor::new("account:1")?;
//! let board = store.create_board("Stichting Voorbeeld").await?;
//! let school = store
//!     .create_school(board.id, &NewSchool { name: "De Linde".into(), brin: None, renewal: RenewalPolicy::yearly(8, 1)? }, &admin)
//!     .await?;
//! assert!(store.verify_audit(school.id).await?.is_intact());
//! # Ok(()) }
//! ```
//!
//! Rules that hold for every function:
//! - **Tenancy.** Every function on school data takes the school id and reads or writes only
//!   that school's rows; an id of another school's person is NotFound. The schema backs this
//!   with composite foreign keys (school_id, id), so no row can reference another school's.
//! - **Audited writes.** Every change to a school's data appends a hash-chained audit entry in
//!   the same transaction ([`audit`]); a change of an account or grant does so in the chain of
//!   every school or board it concerns ([`accounts`]).
//! - **One SQL text, two stores.** Queries are written once with `$n` placeholders and run on
//!   either backend (see [`db`] for how); the migrations are kept equivalent per backend.
//! - **Time** is stored in UTC with microsecond precision; functions that depend on the local
//!   day (age, renewal) take an instant whose offset is the school's.

pub mod db;

pub mod accounts;
pub mod audit;
pub mod checks;
mod clock;
pub mod consent;
mod error;
mod ids;
pub mod oidc;
pub mod password;
pub mod privacy;
pub mod protocol_files;
pub mod retention;
pub mod roster;
pub mod sessions;
pub mod tenancy;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vocab;

pub use accounts::{Account, AccountCursor, AccountPage, Grant, NewAccount, SchoolAccount};
pub use audit::{AuditEntry, AuditRecord, BoardAuditEntry, Broken, Chain, Verification};
pub use checks::{CheckPage, CheckSummary, NewCheck, StoredCheck};
pub use consent::{ClassConsent, ConsentChange, Decider, Decision, EffectiveConsent, Purpose, Recorded, StateCounts};
pub use db::{Backend, OpenOptions, Store};
pub use error::{Error, Result};
pub use ids::{AccountId, Actor, BoardId, CheckId, PersonId, SchoolId, SessionId};
pub use oidc::{OidcIdentity, OidcLogin};
pub use password::PasswordHashing;
pub use privacy::{AccountExport, Coverage, Erasure, PersonExport, PurposeConsent};
pub use protocol_files::{NewProtocolFile, ProtocolFile};
pub use retention::{PurgeReport, RetentionPolicy, SchoolPurge};
pub use roster::{Apply, Outcome, Page, PeopleFilter, Person, PersonCursor, PersonInput, Upserted};
pub use sessions::{CreatedSession, NewSession, Principal, Session, SessionPolicy};
pub use tenancy::{AdoptedProtocol, Board, NewSchool, ProtocolSource, RenewalPolicy, School};
pub use vocab::{Channel, ConsentAction, ConsentState, EffectiveState, GrantRole, Role, SessionKind};

// Dates travel as `2025-08-01` in JSON (API answers and audit payloads), whatever serde
// features other crates switch on for `time`.
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");
