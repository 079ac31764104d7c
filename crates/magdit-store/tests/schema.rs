//! The two migration sets stay equivalent, and opening fails clearly.

mod common;

use magdit_store::{testing, Backend, Error, Store};

/// Tables, columns, nullability and indexes, sorted (the two stores order text differently).
async fn shape(db: &common::Db) -> (Vec<Vec<String>>, Vec<String>) {
    let (columns, indexes) = match db.backend() {
        Backend::Sqlite => (
            "SELECT m.name, p.name, CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 'NO' ELSE 'YES' END \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> '_sqlx_migrations'",
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
        ),
        Backend::Postgres => (
            "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
            // Indexes made for primary keys and UNIQUE constraints are implicit in SQLite.
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' \
             AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'",
        ),
    };
    let mut columns = db.raw_rows(columns).await;
    columns.sort();
    let mut indexes: Vec<String> = db.raw_rows(indexes).await.into_iter().map(|mut r| r.remove(0)).collect();
    indexes.sort();
    (columns, indexes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_stores_have_the_same_schema() {
    common::run(Backend::Sqlite, |lite| async move {
        common::run(Backend::Postgres, move |pg| async move {
            let (lite_columns, lite_indexes) = shape(&lite).await;
            let (pg_columns, pg_indexes) = shape(&pg).await;
            assert!(lite_columns.len() > 50, "{lite_columns:?}");
            assert_eq!(lite_columns, pg_columns, "tables, columns or nullability differ between the migrations");
            assert_eq!(lite_indexes, pg_indexes, "indexes differ between the migrations");
        })
        .await
    })
    .await;
}

#[tokio::test]
async fn opening_names_what_is_wrong() {
    for url in ["mysql://localhost/magdit", "sqlite::memory:", "sqlite://x.db?mode=ro", "magdit.db"] {
        match Store::open(url).await {
            Err(Error::Open { .. }) => {}
            other => panic!("{url}: expected an Open error, got {other:?}"),
        }
    }
    // A database that does not exist on a reachable server.
    let url = testing::with_database(&testing::pg_server(), "magdit_no_such_database");
    match Store::open(&url).await {
        Err(e @ Error::Connect { .. }) => assert!(e.to_string().contains("magdit_no_such_database"), "{e}"),
        other => panic!("expected a Connect error, got {other:?}"),
    }
    // A password never reaches an error message.
    let url = "postgres://magdit:geheim@127.0.0.1:1/magdit";
    let e = Store::open_with(
        url,
        &magdit_store::OpenOptions { acquire_timeout: std::time::Duration::from_secs(2), ..Default::default() },
    )
    .await
    .unwrap_err();
    assert!(!e.to_string().contains("geheim"), "{e}");
    assert!(e.is_transient(), "{e:?}");
}

#[test]
fn test_urls_name_their_database() {
    assert_eq!(
        testing::with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        testing::with_database("postgres://u:p@h/db?sslmode=disable", "t2"),
        "postgres://u:p@h/t2?sslmode=disable"
    );
    assert_eq!(testing::with_database("postgres://h:5432", "t3"), "postgres://h:5432/t3");
}
