//! The store handle, its two backends, and the small machinery that lets one SQL text and one
//! Rust body serve both.
//!
//! Why an enum and a macro rather than generics over `sqlx::Database`: generic sqlx code needs a
//! bound for every type bound or decoded (`i64: Encode<'q, DB> + Type<DB>`, ...) repeated on
//! every function, because Rust does not carry such bounds through a trait alias. The `sql!`
//! macro instead stamps a query expression out once per backend, each copy fully concrete and
//! type-checked by sqlx. sqlx accepts `$1` placeholders on SQLite as on PostgreSQL, so the SQL
//! text is shared too; the few differences live in the migrations.

use std::borrow::Cow;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};

use crate::error::{Error, Result};
use crate::ids::{BoardId, SchoolId};
use crate::password::PasswordHashing;

/// Runs one sqlx expression against whichever backend a [`Conn`] holds.
///
/// `sql!(conn, "what the store is doing", |c| body)` binds `c` to the concrete
/// `&mut SqliteConnection` or `&mut PgConnection` and evaluates `body`, which must yield a
/// `Result<T, sqlx::Error>` with the same `T` for both; errors become [`Error::Database`] (or
/// [`Error::Conflict`] for a unique-key violation) carrying the description. Use `&mut *c` to
/// run more than one statement in a body.
macro_rules! sql {
    ($conn:expr, $what:literal, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite($c) => $body,
            $crate::db::Conn::Postgres($c) => $body,
        }
        .map_err($crate::error::db($what))
    };
}
pub(crate) use sql;

/// Executes a statement that returns no rows on whichever backend a [`Conn`] holds, and
/// yields the number of rows it affected: `execute!(conn, "what", sqlx::query("…").bind(x))`.
/// (The two backends' result types differ, so [`sql!`] cannot return them.)
macro_rules! execute {
    ($conn:expr, $what:literal, $query:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite(c) => $query.execute(c).await.map(|r| r.rows_affected()),
            $crate::db::Conn::Postgres(c) => $query.execute(c).await.map(|r| r.rows_affected()),
        }
        .map_err($crate::error::db($what))
    };
}
pub(crate) use execute;

/// Implements `sqlx::FromRow` for both backends' row types from one body, in which `$row`
/// has `try_get` (the `sqlx::Row` trait is in scope).
macro_rules! from_row {
    ($ty:ty, |$row:ident| $body:expr) => {
        impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for $ty {
            fn from_row($row: &'r sqlx::sqlite::SqliteRow) -> Result<Self, sqlx::Error> {
                #[allow(unused_imports)]
                use sqlx::Row as _;
                $body
            }
        }
        impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for $ty {
            fn from_row($row: &'r sqlx::postgres::PgRow) -> Result<Self, sqlx::Error> {
                #[allow(unused_imports)]
                use sqlx::Row as _;
                $body
            }
        }
    };
}
pub(crate) use from_row;

/// Parses a text column into one of the store's words, as a decode error naming the column
/// (a row edited by hand should fail the read, not panic or pass as something else).
pub(crate) fn parse_column<T: FromStr<Err = String>>(column: &str, value: &str) -> Result<T, sqlx::Error> {
    value.parse().map_err(|e: String| sqlx::Error::ColumnDecode { index: column.to_string(), source: e.into() })
}

/// Which database a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The one storage boundary: a pool of connections to SQLite or PostgreSQL, with the schema
/// migrated. Cheap to clone (the pools are reference-counted); share one per process.
#[derive(Clone, Debug)]
pub struct Store {
    pools: Pools,
    pub(crate) hashing: PasswordHashing,
}

#[derive(Clone, Debug)]
enum Pools {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Tuning for [`Store::open_with`]; the defaults suit one school server.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// Connections in the pool. SQLite has one writer at a time whatever this says; the rest
    /// read concurrently (WAL).
    pub max_connections: u32,
    /// How long a request waits for a free connection before failing.
    pub acquire_timeout: Duration,
    /// How long SQLite waits for another connection's write lock before failing.
    pub busy_timeout: Duration,
    /// The argon2id cost of new password hashes ([`PasswordHashing::default`] is OWASP's).
    pub password_hashing: PasswordHashing,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            max_connections: 8,
            acquire_timeout: Duration::from_secs(10),
            busy_timeout: Duration::from_secs(5),
            password_hashing: PasswordHashing::default(),
        }
    }
}

impl Store {
    /// Opens the store at `url` and applies any migrations it lacks.
    ///
    /// - `sqlite://path/to/magdit.db` (or `sqlite:path`): the file and its directory are
    ///   created if missing. WAL journal, `synchronous=FULL` (a committed write survives
    ///   kill -9 and power loss), foreign keys on, a busy timeout for concurrent writers.
    /// - `postgres://user@host/db` (or `postgresql://`): the database must exist. Several
    ///   app servers may open it at once; sqlx serialises their migrations with a lock.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with(url, &OpenOptions::default()).await
    }

    /// [`Store::open`] with explicit pool settings.
    pub async fn open_with(url: &str, options: &OpenOptions) -> Result<Store> {
        let shown = redact_url(url);
        if url.starts_with("sqlite:") {
            let path = sqlite_path(url).map_err(|reason| Error::Open { url: shown.clone(), reason })?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| Error::Open {
                    url: shown.clone(),
                    reason: format!("cannot create the directory {}: {e}", dir.display()),
                })?;
            }
            let connect = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL, not NORMAL: in WAL mode NORMAL survives kill -9 but may lose the last
                // commits on power loss; a recorded consent decision must survive both.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(options.busy_timeout);
            let pool = SqlitePoolOptions::new()
                .max_connections(options.max_connections.max(1))
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await
                .map_err(|source| Error::Connect { url: shown.clone(), source })?;
            migrator(SQLITE_MIGRATIONS)
                .await
                .map_err(|source| Error::Migrate { url: shown.clone(), source })?
                .run(&pool)
                .await
                .map_err(|source| Error::Migrate { url: shown, source })?;
            Ok(Store { pools: Pools::Sqlite(pool), hashing: options.password_hashing })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect = PgConnectOptions::from_str(url)
                .map_err(|e| Error::Open { url: shown.clone(), reason: e.to_string() })?;
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.max(1))
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await
                .map_err(|source| Error::Connect { url: shown.clone(), source })?;
            migrator(POSTGRES_MIGRATIONS)
                .await
                .map_err(|source| Error::Migrate { url: shown.clone(), source })?
                .run(&pool)
                .await
                .map_err(|source| Error::Migrate { url: shown, source })?;
            Ok(Store { pools: Pools::Postgres(pool), hashing: options.password_hashing })
        } else {
            Err(Error::Open { url: shown, reason: "expected a sqlite:// or postgres:// URL".into() })
        }
    }

    /// This store with another argon2id cost for new password hashes (existing hashes keep
    /// verifying with the cost they were made with). Tests use cheap parameters.
    pub fn with_password_hashing(mut self, hashing: PasswordHashing) -> Store {
        self.hashing = hashing;
        self
    }

    /// Which database this store runs on.
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite(_) => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.read().await?;
        execute!(conn.conn(), "pinging the database", sqlx::query("SELECT 1"))?;
        Ok(())
    }

    /// Closes every connection, waiting for those in use to be returned. SQLite checkpoints
    /// its WAL on the last close.
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite(p) => p.close().await,
            Pools::Postgres(p) => p.close().await,
        }
    }

    /// A connection for reads that need no transaction.
    pub(crate) async fn read(&self) -> Result<Pooled> {
        let acquiring = crate::error::db("acquiring a connection");
        Ok(match &self.pools {
            Pools::Sqlite(p) => Pooled::Sqlite(p.acquire().await.map_err(acquiring)?),
            Pools::Postgres(p) => Pooled::Postgres(p.acquire().await.map_err(acquiring)?),
        })
    }

    /// A transaction that is not tied to one school (creating boards and schools, or reading
    /// several tables consistently).
    pub(crate) async fn begin(&self) -> Result<Tx> {
        let beginning = crate::error::db("beginning a transaction");
        Ok(match &self.pools {
            // IMMEDIATE takes the write lock up front, so a busy database makes this wait
            // (busy_timeout) instead of failing later on a lock upgrade that SQLite refuses
            // at once to avoid a deadlock. WAL readers are not blocked by it.
            Pools::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await.map_err(beginning)?),
            Pools::Postgres(p) => Tx::Postgres(p.begin().await.map_err(beginning)?),
        })
    }

    /// A write transaction for one school. Its first statement bumps the school's revision,
    /// which takes the write lock at once: PostgreSQL locks the school row until commit, so
    /// writers of one school queue up (the audit chain needs one writer at a time) while
    /// other schools proceed; SQLite takes its database write lock before anything was read,
    /// so the busy timeout applies instead of a failed lock upgrade. Fails with NotFound for
    /// an unknown school.
    pub(crate) async fn write(&self, school: SchoolId) -> Result<Tx> {
        let mut tx = self.begin().await?;
        lock_school(&mut tx, school).await?;
        Ok(tx)
    }
}

/// Takes the write lock of a school's audit chain inside `tx` (bumping its revision, as
/// [`Store::write`] does); NotFound for an unknown school.
pub(crate) async fn lock_school(tx: &mut Tx, school: SchoolId) -> Result<()> {
    let bumped: Option<i64> = sql!(tx.conn(), "locking the school for writing", |c| {
        sqlx::query_scalar("UPDATE schools SET revision = revision + 1 WHERE id = $1 RETURNING revision")
            .bind(school.0)
            .fetch_optional(c)
            .await
    })?;
    bumped.map(|_| ()).ok_or_else(|| Error::not_found("school", school))
}

/// Takes the write lock of a board's audit chain inside `tx`; NotFound for an unknown board.
pub(crate) async fn lock_board(tx: &mut Tx, board: BoardId) -> Result<()> {
    let bumped: Option<i64> = sql!(tx.conn(), "locking the board for writing", |c| {
        sqlx::query_scalar("UPDATE boards SET revision = revision + 1 WHERE id = $1 RETURNING revision")
            .bind(board.0)
            .fetch_optional(c)
            .await
    })?;
    bumped.map(|_| ()).ok_or_else(|| Error::not_found("board", board))
}

/// A pooled connection of either backend.
pub(crate) enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Pooled {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c),
            Pooled::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// An open transaction of either backend; dropped without [`Tx::commit`], it rolls back.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }

    pub(crate) async fn commit(self) -> Result<()> {
        let committing = crate::error::db("committing");
        match self {
            Tx::Sqlite(t) => t.commit().await.map_err(committing),
            Tx::Postgres(t) => t.commit().await.map_err(committing),
        }
    }

    pub(crate) async fn rollback(self) -> Result<()> {
        let rolling_back = crate::error::db("rolling back");
        match self {
            Tx::Sqlite(t) => t.rollback().await.map_err(rolling_back),
            Tx::Postgres(t) => t.rollback().await.map_err(rolling_back),
        }
    }
}

/// A borrowed connection of either backend: what [`sql!`] dispatches on.
pub(crate) enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Conn<'_> {
    /// The same connection for a shorter borrow, to pass to a helper and use again after.
    pub(crate) fn reborrow(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// The file of a `sqlite:` URL. Options in the URL are refused rather than ignored: the store
/// sets the pragmas its durability depends on.
fn sqlite_path(url: &str) -> std::result::Result<&Path, String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    if rest.contains('?') {
        return Err("options in a sqlite URL are not supported; magdit sets the pragmas itself".into());
    }
    if rest.is_empty() || rest == ":memory:" {
        return Err("give a file path: an in-memory database would lose every write on restart".into());
    }
    Ok(Path::new(rest))
}

/// The URL with any password replaced, for error messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else { return url.to_string() };
    let authority_start = scheme_end + 3;
    let authority_end = url[authority_start..].find('/').map_or(url.len(), |i| authority_start + i);
    let authority = &url[authority_start..authority_end];
    match authority.rfind('@') {
        Some(at) => match authority[..at].find(':') {
            Some(colon) => {
                format!("{}{}:***{}", &url[..authority_start], &authority[..colon], &url[authority_start + at..])
            }
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

// ---- migrations -------------------------------------------------------------------------
//
// Embedded with include_str! and handed to sqlx's Migrator through its public
// MigrationSource trait, rather than by sqlx::migrate!(): that macro needs sqlx's proc-macro
// crate, which with the sqlite and postgres features compiles both drivers (sqlx-sqlite,
// sqlx-postgres) a second time, for the build host (`cargo build -v` shows each compiled
// twice). Version, description and checksum are computed
// as migrate!() would, so sqlx-cli reads the same history. A unit test keeps this list in
// step with the files on disk.

/// (version, description, SQL) of each SQLite migration, in order.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../migrations/sqlite/0001_initial.sql")),
    (2, "accounts", include_str!("../migrations/sqlite/0002_accounts.sql")),
    (3, "protocol files", include_str!("../migrations/sqlite/0003_protocol_files.sql")),
];

/// (version, description, SQL) of each PostgreSQL migration, in order; the same versions as
/// for SQLite.
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial", include_str!("../migrations/postgres/0001_initial.sql")),
    (2, "accounts", include_str!("../migrations/postgres/0002_accounts.sql")),
    (3, "protocol files", include_str!("../migrations/postgres/0003_protocol_files.sql")),
];

/// A compiled-in list of migrations, for sqlx's Migrator.
#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<Vec<Migration>, sqlx::error::BoxDynError>> + Send>> {
        let migrations = self
            .0
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(version, Cow::Borrowed(description), MigrationType::Simple, Cow::Borrowed(sql), false)
            })
            .collect();
        Box::pin(std::future::ready(Ok(migrations)))
    }
}

async fn migrator(list: &'static [(i64, &'static str, &'static str)]) -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(Embedded(list)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every .sql file on disk is embedded under the version and description its name gives,
    /// and both stores have the same versions.
    #[test]
    fn embedded_migrations_match_the_files() {
        for (dir, list) in [("sqlite", SQLITE_MIGRATIONS), ("postgres", POSTGRES_MIGRATIONS)] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
            let mut files: Vec<(i64, String, String)> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "sql"))
                .map(|p| {
                    let name = p.file_stem().unwrap().to_str().unwrap().to_string();
                    let (version, description) = name.split_once('_').unwrap();
                    (version.parse().unwrap(), description.replace('_', " "), std::fs::read_to_string(&p).unwrap())
                })
                .collect();
            files.sort();
            let embedded: Vec<(i64, String, String)> =
                list.iter().map(|&(v, d, s)| (v, d.to_string(), s.to_string())).collect();
            assert_eq!(embedded, files, "migrations/{dir} and the embedded list differ");
        }
        let versions = |l: &[(i64, &str, &str)]| l.iter().map(|m| m.0).collect::<Vec<_>>();
        assert_eq!(versions(SQLITE_MIGRATIONS), versions(POSTGRES_MIGRATIONS));
    }

    #[test]
    fn urls_lose_their_password() {
        assert_eq!(redact_url("postgres://magdit:s3cret@db:5432/magdit"), "postgres://magdit:***@db:5432/magdit");
        assert_eq!(redact_url("postgres://postgres@127.0.0.1/x"), "postgres://postgres@127.0.0.1/x");
        assert_eq!(redact_url("sqlite://data/magdit.db"), "sqlite://data/magdit.db");
    }

    #[test]
    fn sqlite_urls() {
        assert_eq!(sqlite_path("sqlite://data/magdit.db").unwrap(), Path::new("data/magdit.db"));
        assert_eq!(sqlite_path("sqlite:///var/lib/magdit.db").unwrap(), Path::new("/var/lib/magdit.db"));
        assert!(sqlite_path("sqlite::memory:").is_err());
        assert!(sqlite_path("sqlite://x.db?mode=ro").is_err());
    }
}
