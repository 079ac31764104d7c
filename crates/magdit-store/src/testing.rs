//! Fresh stores for the tests of crates built on the store (feature `testing`): every test
//! runs once on SQLite (a file in a fresh temporary directory) and once on PostgreSQL (a fresh
//! database on the test server, dropped afterwards).
//!
//! The PostgreSQL server is `postgres://postgres@127.0.0.1:5432` (trust auth), or the one in
//! `MAGDIT_TEST_DATABASE_URL`. Its tests never skip: a server that is down fails them, with a
//! message that says so, because CI has the server and a skipped test proves nothing.
//!
//! ```ignore
//! async fn imports(store: magdit_store::Store) { /* … */ }
//! magdit_store::on_both_stores!(imports);
//! ```
//!
//! Test stores hash passwords cheaply: tests hash many, and the cost does not change what they
//! prove (a unit test pins the OWASP defaults). [`run_db`] also hands over the database URL,
//! for tests that reach past the store (tampering, schema comparison).

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;

use crate::db::redact_url;
use crate::{Backend, PasswordHashing, Store};

/// The test server when `MAGDIT_TEST_DATABASE_URL` is not set.
pub const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The PostgreSQL test server's URL.
pub fn pg_server() -> String {
    std::env::var("MAGDIT_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG.to_string())
}

/// Where a test store lives, to remove it afterwards.
enum Place {
    Dir(PathBuf),
    Database { admin_url: String, name: String },
}

/// Unique within the machine: the process id and a counter.
fn unique() -> String {
    format!("{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst))
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

/// A fresh test store and the URL of its database.
#[derive(Clone, Debug)]
pub struct TestDb {
    pub store: Store,
    pub url: String,
}

async fn create(backend: Backend) -> (TestDb, Place) {
    let (url, place) = match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(format!("magdit-test-{}", unique()));
            // A nested path that does not exist yet: opening must create it.
            (format!("sqlite://{}/data/magdit.db", dir.display()), Place::Dir(dir))
        }
        Backend::Postgres => {
            let admin_url = pg_server();
            let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
                panic!(
                    "the PostgreSQL test server at {} is not reachable: {e}\n\
                     Start it (CI has one on 127.0.0.1:5432), or point MAGDIT_TEST_DATABASE_URL at one. \
                     PostgreSQL tests are never skipped.",
                    redact_url(&admin_url)
                )
            });
            let name = format!("magdit_test_{}", unique());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
            admin.close().await.ok();
            (with_database(&admin_url, &name), Place::Database { admin_url, name })
        }
    };
    let store = Store::open(&url).await.unwrap_or_else(|e| panic!("opening {}: {e}", redact_url(&url)));
    let cheap = PasswordHashing::new(64, 1, 1).unwrap_or_else(|e| panic!("test password hashing: {e}"));
    (TestDb { store: store.with_password_hashing(cheap), url }, place)
}

async fn remove(db: TestDb, place: Place) {
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
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_db(backend, |db: TestDb| test(db.store)).await
}

/// [`run`], handing the test the database URL as well.
pub async fn run_db<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestDb) -> Fut,
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

/// Stamps out one `#[tokio::test]` per backend (in modules `sqlite` and `postgres`) for each
/// named `async fn(Store)`. The calling crate needs `tokio` with the `macros` and
/// `rt-multi-thread` features.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::testing::run($crate::Backend::Sqlite, super::$name).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::testing::run($crate::Backend::Postgres, super::$name).await
                }
            )*
        }
    };
}
