//! The protocol model of magdit: a school's social-media protocol as data.
//!
//! A protocol file (TOML, see `docs/protocol-format.md`) holds every article with its
//! verbatim text and, where it rules something, a rule over a closed vocabulary of
//! [`Fact`]s. [`load`] validates a file completely — names, values, quotes, placeholders,
//! reachability — so that a protocol that loads can never fail during evaluation.
//!
//! No I/O: callers pass the file's text.

mod condition;
mod diagnostic;
mod facts;
mod load;
mod model;
mod suggest;
mod vocab;
mod write;
pub mod builtin;

pub use condition::{CmpOp, Condition, Conditions, Test, Truth};
pub use diagnostic::{LoadError, Problem};
pub use facts::{Fact, FactKind, FactValue};
pub use load::{load, MAX_FILE_BYTES};
pub use model::*;
pub use vocab::*;
pub use write::to_toml;
