//! Test harness: every store test runs once on SQLite and once on PostgreSQL, through
//! `magdit_store::testing` (which other crates' tests use too), plus raw database access to
//! tamper with, and fixtures.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::future::Future;

use magdit_store::testing::{self, TestDb};
use magdit_store::{Actor, Backend, BoardId, NewSchool, RenewalPolicy, SchoolId, Store};
use sqlx::Connection;

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

/// Runs `test` against a fresh store of `backend` (see `magdit_store::testing`).
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    testing::run_db(backend, |t: TestDb| test(Db { store: t.store, url: t.url })).await
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
