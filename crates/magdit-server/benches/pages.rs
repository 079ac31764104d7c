//! How long the web UI's pages take to render on a school the size of the demo (500 pupils),
//! through the real app on SQLite over loopback: median, p95 and max of 30 requests per page,
//! printed as the table in BENCHMARKS.md. Run: `cargo bench -p magdit-server --bench pages`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::forms::{get, hidden, logged_in};
use common::{seed, years_ago, App, Seed};
use magdit_store::{Actor, Apply, Backend, PersonInput, Role, Store};
use reqwest::{Client, StatusCode};

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime").block_on(render_times());
}

/// A school the size of the demo: 500 pupils in 18 classes, a parent each.
async fn fill_school(store: &Store, s: &Seed) {
    let system = Actor::new("test:seed").expect("actor");
    let mut rows = Vec::new();
    for i in 0..500 {
        let group = format!("{}{}", 1 + (i % 6), ["A", "B", "C"][i % 3]);
        let dob = time::Date::parse(&years_ago(6 + (i % 12) as i32, i as i64 % 300), time::macros::format_description!("[year]-[month]-[day]")).expect("a date");
        rows.push(PersonInput { external_id: format!("B-{i}"), name: format!("Leerling{i} Achternaam{}", i % 37), role: Role::Pupil, date_of_birth: Some(dob), group: Some(group) });
    }
    store.upsert_people(s.school, &rows, &system, Apply::Commit).await.expect("pupils");
}

async fn render_times() {
    magdit_store::testing::run(Backend::Sqlite, move |store| async move {
        let s = seed(&store).await;
        fill_school(&store, &s).await;
        let app = App::start(store).await;
        let school = s.school;
        let admin = logged_in(&app, &s.admin.email).await;
        let parent = logged_in(&app, &s.parent.email).await;
        let csrf = hidden(&get(&admin, &app, &format!("/s/{school}/check")).await.1, "csrf");
        let pages: Vec<(&str, &Client, String)> = vec![
            ("login", &admin, "/inloggen".into()),
            ("check", &admin, format!("/s/{school}/check")),
            ("protocol", &admin, format!("/s/{school}/protocol")),
            ("class 1A", &admin, format!("/s/{school}/klas?klas=1A")),
            ("consent (parent)", &parent, format!("/s/{school}/toestemming")),
            ("admin overview", &admin, format!("/s/{school}/beheer")),
            ("accounts", &admin, format!("/s/{school}/beheer/accounts")),
        ];
        const RUNS: usize = 30;
        println!("\n| page | median | p95 | max |\n|---|---|---|---|");
        for (name, client, path) in &pages {
            get(client, &app, path).await; // warm
            let mut times = Vec::with_capacity(RUNS);
            for _ in 0..RUNS {
                let t = Instant::now();
                let (status, _) = get(client, &app, path).await;
                times.push(t.elapsed());
                assert_eq!(status, StatusCode::OK, "{name}");
            }
            times.sort();
            println!("| {name} | {:.1} ms | {:.1} ms | {:.1} ms |", ms(times[RUNS / 2]), ms(times[RUNS * 95 / 100]), ms(times[RUNS - 1]));
        }
        // The check with a verdict: the form posted, the engine run, the answer rendered.
        let body = [("csrf", csrf.as_str()), ("action", "post"), ("text", "Sportdag met Leerling7 Achternaam7 en Leerling8 Achternaam8!"), ("channel", "instagram"), ("op", "check")];
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            let r = admin.post(format!("{}/s/{school}/check", app.base)).form(&body).send().await.expect("answers");
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.expect("the page");
            times.push(t.elapsed());
        }
        times.sort();
        println!("| check with verdict | {:.1} ms | {:.1} ms | {:.1} ms |", ms(times[RUNS / 2]), ms(times[RUNS * 95 / 100]), ms(times[RUNS - 1]));
    })
    .await;
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
