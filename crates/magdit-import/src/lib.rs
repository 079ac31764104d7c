//! Roster import and export: the CSV files that Dutch school administration systems
//! (Magister, ParnasSys, Somtoday) export, employee lists, OneRoster 1.2 `users.csv`, and
//! magdit's own export.
//!
//! ```no_run
//! # async fn demo(store: magdit_store::Store, school: magdit_store::SchoolId) -> Result<(), Box<dyn std::error::Error>> {
//! use magdit_import::{apply, parse, ParseOptions};
//! use magdit_store::{Actor, Apply};
//!
//! let bytes = std::fs::read("leerlingen.csv")?;
//! let parsed = parse(&bytes, &ParseOptions::default())?; // pure: no I/O
//! for r in &parsed.rejected {
//!     println!("{}", r.nl()); // regel 7, kolom ‘Geboortedatum’: ‘31-02-2015’ is geen geldige datum …
//! }
//! let actor = Actor::new(format!("import:{}", parsed.format.as_str()))?;
//! let preview = apply(&store, school, &parsed, Apply::DryRun, &actor).await?; // writes nothing
//! let report = apply(&store, school, &parsed, Apply::Commit, &actor).await?;
//! # Ok(()) }
//! ```
//!
//! Parsing never fails on a bad row: the row is rejected with its line, column and a reason in
//! Dutch and English, and the rest is imported. Only a file that is not a roster at all (or too
//! large) is an [`ImportError`]. A citizen service number (BSN) is never read, whatever the
//! file holds.

mod apply;
mod collect;
mod columns;
mod decode;
mod detect;
mod error;
mod export;
mod formats;
mod lines;
mod parse;
mod reason;
mod roster;
mod rows;
mod values;

pub use apply::{apply, ImportReport, LinkProblem, RowReport};
pub use decode::Encoding;
pub use error::ImportError;
pub use export::{export, export_school, GuardianLink};
pub use formats::Format;
pub use parse::{parse, AbsentColumns, IgnoredColumn, ParseOptions, ParsedRoster, Rejected, Row, MAX_BYTES, MAX_ROWS};
pub use reason::Reason;
