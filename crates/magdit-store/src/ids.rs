//! Typed ids and the actor of a change. Distinct id types keep a school id from being passed
//! where a person id belongs; the store binds their `i64` inside.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{Error, Result};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A board (bestuur), which owns schools.
    BoardId
);
id_type!(
    /// A school: the tenant. Every row of school data carries one.
    SchoolId
);
id_type!(
    /// A person on a school's roster.
    PersonId
);

id_type!(
    /// A sign-in account (local password, OIDC, or both).
    AccountId
);
id_type!(
    /// A browser session or API token of an account.
    SessionId
);
id_type!(
    /// A stored check.
    CheckId
);

impl AccountId {
    /// The actor of changes this account makes: `account:12`.
    pub fn actor(self) -> Actor {
        Actor(format!("account:{}", self.0))
    }
}

/// Who made a change, as the audit log and the consent history record it: an account
/// (`account:12`), an import (`import:magister`), or the system (`system`). The store does not
/// interpret it; the service decides the scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Actor(String);

impl Actor {
    /// At most this many bytes.
    pub const MAX_LEN: usize = 200;

    /// An actor name: not blank, at most [`Actor::MAX_LEN`] bytes, no control characters.
    pub fn new(name: impl Into<String>) -> Result<Actor> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(Error::invalid("actor", "is empty"));
        }
        if name.len() > Self::MAX_LEN {
            return Err(Error::invalid("actor", format!("has {} bytes; at most {}", name.len(), Self::MAX_LEN)));
        }
        if name.chars().any(char::is_control) {
            return Err(Error::invalid("actor", "contains a control character"));
        }
        Ok(Actor(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a free-text field: trimmed, not empty, at most `max` characters, no control
/// characters. Returns the trimmed text.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(Error::invalid(field, format!("has {chars} characters; at most {max}")));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "contains a control character"));
    }
    Ok(value.to_string())
}

/// Like [`text`], but blank means absent.
pub(crate) fn optional_text(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value {
        Some(v) if !v.trim().is_empty() => text(field, v, max).map(Some),
        _ => Ok(None),
    }
}
