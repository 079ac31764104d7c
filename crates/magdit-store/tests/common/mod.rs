//! Test harness: every store test runs once on SQLite (a file in a fresh temporary directory)
//! and once on PostgreSQL (a fresh database on the test server, dropped afterwards).
//!
//! The PostgreSQL server is `postgres://postgres@127.0.0.1:5432` (trust auth), or the one in
//! `MAGDIT_TEST_DATABASE_URL`. Its tests never skip: a server that is down fails them, with a
//! message that says so, because CI has the server and a skipped test proves nothing.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use magdit_store::{Actor, Backend, BoardId, NewSchool, RenewalPolicy, SchoolId, Store};
use sqlx::Connection;

pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A store under test and how to reach its database directly (to tamper with it).
#[derive(Clone, Debug)]
pub struct Db {
    pub store: Store,
    pub url: String,
}

impl Db {
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Runs raw SQL on a separate connection, bypassing the store, as an intruder with
    /// database access would.
    pub async fn raw(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match self.backend() {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await?;
                let r = sqlx::query(sql).execute(&mut c).await?;
                c.close().await?;
                Ok(r.rows_affected())
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await?;
                let r = sqlx::query(sql).execute(&mut c).await?;
                c.close().await?;
                Ok(r.rows_affected())
            }
        }
    }
}

impl Db {
    /// The first column of the first row of raw SQL, as i64.
    pub async fn raw_i64(&self, sql: &str) -> i64 {
        let r: Result<i64, sqlx::Error> = match self.backend() {
            Backend::Sqlite => match sqlx::SqliteConnection::connect(&self.url).await {
                Ok(mut c) => sqlx::query_scalar(sql).fetch_one(&mut c).await,
                Err(e) => Err(e),
            },
            Backend::Postgres => match sqlx::PgConnection::connect(&self.url).await {
                Ok(mut c) => sqlx::query_scalar(sql).fetch_one(&mut c).await,
                Err(e) => Err(e),
            },
        };
        r.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The rows of raw SQL that selects text columns only.
    pub async fn raw_rows(&self, sql: &str) -> Vec<Vec<String>> {
        use sqlx::Row;
        let r: Result<Vec<Vec<String>>, sqlx::Error> = match self.backend() {
            Backend::Sqlite => match sqlx::SqliteConnection::connect(&self.url).await {
                Ok(mut c) => sqlx::query(sql).fetch_all(&mut c).await.and_then(|rows| {
                    rows.iter().map(|r| (0..r.len()).map(|i| r.try_get::<String, _>(i)).collect()).collect()
                }),
                Err(e) => Err(e),
            },
            Backend::Postgres => match sqlx::PgConnection::connect(&self.url).await {
                Ok(mut c) => sqlx::query(sql).fetch_all(&mut c).await.and_then(|rows| {
                    rows.iter().map(|r| (0..r.len()).map(|i| r.try_get::<String, _>(i)).collect()).collect()
                }),
                Err(e) => Err(e),
            },
        };
        r.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// Where a test database lives, to remove it afterwards.
enum Place {
    Dir(PathBuf),
    Database { admin_url: String, name: String },
}

fn unique() -> String {
    format!("{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst))
}

/// The PostgreSQL server's URL.
pub fn pg_server() -> String {
    std::env::var("MAGDIT_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG.to_string())
}

/// `url` with its database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let authority = url.find("://").map_or(0, |i| i + 3);
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let end = base[authority..].find('/').map_or(base.len(), |i| authority + i);
    format!("{}/{name}{query}", &base[..end])
}

async fn create(backend: Backend) -> (Db, Place) {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!("magdit-store-test-{}", unique()));
            // A nested path that does not exist yet: opening must create it.
            let url = format!("sqlite://{}/data/magdit.db", dir.display());
            let store = Store::open(&url).await.unwrap_or_else(|e| panic!("opening {url}: {e}"));
            (Db { store: cheap(store), url }, Place::Dir(dir))
        }
        Backend::Postgres => {
            let admin_url = pg_server();
            let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                panic!(
                    "the PostgreSQL test server at {} is not reachable: {e}\n\
                     Start it (CI has one on 127.0.0.1:5432), or point MAGDIT_TEST_DATABASE_URL at one. \
                     PostgreSQL tests are never skipped.",
                    magdit_store::db::redact_url(&admin_url)
                )
            });
            let name = format!("magdit_test_{}", unique());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
            admin.close().await.ok();
            let url = with_database(&admin_url, &name);
            let store = Store::open(&url).await.unwrap_or_else(|e| panic!("opening {url}: {e}"));
            (Db { store: cheap(store), url }, Place::Database { admin_url, name })
        }
    }
}

/// The store with cheap password hashing: tests hash many passwords, and the cost does not
/// change what they prove (a unit test checks the OWASP defaults).
fn cheap(store: Store) -> Store {
    store.with_password_hashing(magdit_store::PasswordHashing::new(64, 1, 1).unwrap())
}

async fn remove(db: Db, place: Place) {
    db.store.close().await;
    match place {
        Place::Dir(dir) => {
            std::fs::remove_dir_all(&dir).ok();
        }
        Place::Database { admin_url, name } => {
            if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                // FORCE: a connection the test leaked must not keep the database alive.
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.ok();
                admin.close().await.ok();
            }
        }
    }
}

/// Runs `test` against a fresh store of `backend`, removes the store whether the test passed
/// or panicked, then reports the test's panic.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (db, place) = create(backend).await;
    // A spawned task turns the test's panic into a JoinError, so cleanup still runs.
    let outcome = tokio::spawn(test(db.clone())).await;
    remove(db, place).await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test task failed: {e}"),
        }
    }
}

/// Stamps out one `#[tokio::test]` per backend for each named `async fn(Db)`.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::run(magdit_store::Backend::Sqlite, super::$name).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::common::run(magdit_store::Backend::Postgres, super::$name).await
                }
            )*
        }
    };
}

// ---- fixtures ------------------------------------------------------------------------------

pub fn admin() -> Actor {
    Actor::new("account:admin").unwrap()
}

/// A school (renewal only on a purpose change) of the named board, created if missing.
pub async fn school(store: &Store, board_name: &str, school_name: &str) -> (BoardId, SchoolId) {
    let board = match store.boards().await.unwrap().into_iter().find(|b| b.name == board_name) {
        Some(b) => b,
        None => store.create_board(board_name).await.unwrap(),
    };
    let school = store
        .create_school(
            board.id,
            &NewSchool { name: school_name.into(), brin: None, renewal: RenewalPolicy::OnPurposeChange },
            &admin(),
        )
        .await
        .unwrap();
    (board.id, school.id)
}
