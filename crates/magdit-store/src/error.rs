//! The one error type of the store. Every variant says which entity and which id it is about,
//! so the service can turn it into a problem+json that names the field without parsing text.

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database URL names no store we support, or a path we cannot create.
    #[error("cannot open the store at {url}: {reason}")]
    Open { url: String, reason: String },

    /// Connecting failed (server down, wrong credentials, unreadable file).
    #[error("cannot connect to the store at {url}: {source}")]
    Connect {
        url: String,
        #[source]
        source: sqlx::Error,
    },

    /// Applying the schema migrations failed; the store is left at the last good version.
    #[error("cannot migrate the store at {url}: {source}")]
    Migrate {
        url: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },

    /// No such entity in this school (or board). Rows of another school are reported the same
    /// way, so an id from a foreign tenant reveals nothing.
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },

    /// A value the caller gave is not acceptable; `field` names it.
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },

    /// The request is well-formed but clashes with what is stored (a duplicate, a withdrawal
    /// of consent that was never given, a decision by someone not entitled to make it).
    #[error("{entity} {id}: {reason}")]
    Conflict { entity: &'static str, id: String, reason: String },

    /// A sign-in or token did not authenticate: unknown email or token, wrong password,
    /// disabled account, expired or revoked session. Deliberately says no more, so that an
    /// answer never tells whether an email address has an account.
    #[error("not authenticated")]
    Unauthenticated,

    /// Something the store needs from the system failed (the random number generator, a
    /// background task running a password hash); `context` says what it was doing.
    #[error("internal error while {context}: {reason}")]
    Internal { context: &'static str, reason: String },

    /// The database failed while doing `context`. A stored value that cannot be read back (a
    /// role word edited by hand, say) lands here too, as sqlx's ColumnDecode naming the column.
    #[error("database error while {context}: {source}")]
    Database {
        context: &'static str,
        #[source]
        source: sqlx::Error,
    },
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn not_found(entity: &'static str, id: impl ToString) -> Error {
        Error::NotFound { entity, id: id.to_string() }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Error {
        Error::Invalid { field, reason: reason.into() }
    }

    pub(crate) fn conflict(entity: &'static str, id: impl ToString, reason: impl Into<String>) -> Error {
        Error::Conflict { entity, id: id.to_string(), reason: reason.into() }
    }

    /// Whether retrying the same call later may succeed (a lock timeout, a dropped connection),
    /// as opposed to an answer about the data that will not change.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Connect { .. } => true,
            Error::Database { source, .. } => {
                matches!(
                    source,
                    sqlx::Error::Io(_)
                        | sqlx::Error::PoolTimedOut
                        | sqlx::Error::PoolClosed
                        | sqlx::Error::WorkerCrashed
                ) || source.as_database_error().and_then(|e| e.code()).is_some_and(|code| {
                    // SQLite: 5 = SQLITE_BUSY, 6 = SQLITE_LOCKED (and their extended codes, which
                    // keep the low byte); PostgreSQL: 40001 serialization failure, 40P01 deadlock.
                    let code: &str = &code;
                    code == "40001" || code == "40P01" || code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
                })
            }
            _ => false,
        }
    }
}

/// Wraps a sqlx error with what the store was doing. A unique-key violation becomes a
/// [`Error::Conflict`] because it is an answer about the data, not a failure of the database.
pub(crate) fn db(context: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| {
        if let Some(e) = source.as_database_error() {
            if e.is_unique_violation() {
                return Error::Conflict {
                    entity: "row",
                    id: e.constraint().unwrap_or("unique key").to_string(),
                    reason: format!("already exists (while {context})"),
                };
            }
        }
        Error::Database { context, source }
    }
}
