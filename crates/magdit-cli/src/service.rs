//! The school service's commands: `serve`, `demo` (a fictitious school to try it with) and
//! `audit verify`. Each reads the same configuration as the server; [`with_store`] opens its
//! store for the commands that only talk to the store (here and in `admin`).

use std::future::Future;
use std::path::Path;
use std::process::ExitCode;

use magdit_engine::Engine;
use magdit_server::Config;
use magdit_store::{
    Actor, Apply, Channel, ConsentAction, Decision, Grant, NewAccount, NewSchool, PersonInput, RenewalPolicy, Role, Store,
};
use magdit_store::consent::rules;
use time::{Duration, OffsetDateTime};

fn config(file: Option<&Path>) -> Result<Config, ExitCode> {
    Config::load(file).map_err(|e| {
        eprintln!("magdit: {e}");
        ExitCode::from(crate::EXIT_INVALID)
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| {
        eprintln!("magdit: cannot start the runtime: {e}");
        ExitCode::FAILURE
    })
}

pub(crate) fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("magdit: {e}");
    ExitCode::FAILURE
}

/// Runs `task` on the store configured by `file` and prints what it returns; its error is the
/// exit status (after it printed why).
pub(crate) fn with_store<F, Fut>(file: Option<&Path>, task: F) -> ExitCode
where
    F: FnOnce(Store) -> Fut,
    Fut: Future<Output = Result<String, ExitCode>>,
{
    let (config, rt) = match (config(file), runtime()) {
        (Ok(c), Ok(r)) => (c, r),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    match rt.block_on(async { task(open(&config).await?).await }) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

pub fn serve(file: Option<&Path>, engine: Engine) -> ExitCode {
    let (config, rt) = match (config(file), runtime()) {
        (Ok(c), Ok(r)) => (c, r),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    magdit_server::telemetry::init(config.log_format);
    match rt.block_on(magdit_server::serve(config, engine)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

async fn open(config: &Config) -> Result<Store, ExitCode> {
    if config.database_url.is_empty() {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| fail(format!("cannot create {}: {e}", config.data_dir.display())))?;
    }
    Store::open(&config.store_url()).await.map_err(fail)
}

/// Checks every audit chain: each school's and each board's. Exit status 1 if one is broken.
pub fn audit_verify(file: Option<&Path>) -> ExitCode {
    let (config, rt) = match (config(file), runtime()) {
        (Ok(c), Ok(r)) => (c, r),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    rt.block_on(async {
        let store = match open(&config).await {
            Ok(s) => s,
            Err(code) => return code,
        };
        let mut intact = true;
        let boards = match store.boards().await {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        for board in boards {
            let mut report = vec![(format!("bestuur {} ({})", board.name, board.id), store.verify_board_audit(board.id).await)];
            let schools = match store.schools(board.id).await {
                Ok(s) => s,
                Err(e) => return fail(e),
            };
            for school in schools {
                report.push((format!("  school {} ({})", school.name, school.id), store.verify_audit(school.id).await));
            }
            for (name, result) in report {
                match result {
                    Ok(v) if v.is_intact() => println!("{name}: intact, {} entries, head {}", v.entries, v.head.unwrap_or_default()),
                    Ok(v) => {
                        intact = false;
                        println!("{name}: BROKEN: {:?}", v.broken);
                    }
                    Err(e) => return fail(e),
                }
            }
        }
        if intact {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    })
}

/// Pupils' names: every first name with every surname, so that a demo school of a few
/// thousand pupils has as few namesakes as a real one (a name shared by many pupils and parents
/// makes every check compare them all).
const FIRST_NAMES: &[&str] = &[
    "Daan", "Sanne", "Noah", "Emma", "Sem", "Julia", "Lucas", "Mila", "Finn", "Tess", "Levi", "Sophie", "Bram", "Zoë",
    "Milan", "Lotte", "Jesse", "Fleur", "Thijs", "Noor", "Ruben", "Evi", "Luuk", "Lieke", "Stijn", "Isa", "Mees",
    "Anna", "Lars", "Sara", "Jayden", "Yara", "Gijs", "Nina", "Max", "Roos", "Tim", "Femke", "Thomas", "Eva", "Jens",
    "Lisa", "Sven", "Maud", "Teun", "Iris", "Niels", "Vera", "Mohamed", "Fatima", "Adam", "Aya", "Yusuf", "Amira",
    "Ömer", "Elif", "Rayan", "Sofia", "Jasper", "Liv", "Olivier", "Nora", "Boaz", "Hannah", "Dex", "Saar", "Siem",
    "Lina", "Hugo", "Floor", "Joep", "Esmee", "Wout", "Jill", "Koen", "Merel", "Tygo", "Fenna", "Stan", "Lynn",
    "Quinten", "Demi", "Olaf", "Kiki",
];
const SURNAMES: &[&str] = &[
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
    "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "Kok", "van Dijk", "Janssen", "de Jong", "van den Berg", "Willems", "Jacobs", "van der Linden",
    "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "Schouten", "Hoekstra", "van Wijk", "Koster",
    "Prins", "Huisman", "Peeters", "van Beek", "van Vliet", "Kuipers", "Postma", "Maas", "Verbeek", "Blom",
    "Timmermans", "van der Heijden", "Schipper", "Kramer", "Hermans", "Wijnands", "Evers", "Boersma", "Veenstra",
    "van Dam", "Gerritsen", "de Haan", "Sanders", "Koning", "Bosman", "de Bruijn", "Martens", "Zijlstra", "Molenaar",
    "Kuiper", "Wouters", "el Amrani", "Yilmaz", "Bouzid", "Öztürk", "Haddou", "Kaya", "Tahiri", "Ramdin", "Nguyen",
    "Sedney", "Tjon A Fong", "Wiersma", "Scholten", "Groen", "Lammers",
];
/// Parents' first names; a parent has their child's surname.
const PARENT_NAMES: &[&str] = &[
    "Mark", "Linda", "Peter", "Sandra", "Erik", "Monique", "Jeroen", "Esther", "Martijn", "Marieke", "Bas", "Ingrid",
    "Dennis", "Petra", "Richard", "Karin", "Hassan", "Samira", "Mehmet", "Ayşe", "Frank", "Wendy", "Arjan", "Saskia",
    "Vincent", "Miranda", "Rob", "Yvonne", "Paul", "Anouk",
];
const PURPOSES: &[&str] = &["social_media", "website", "newsletter", "school_guide", "school_app"];

/// Loads "Demo-school De Linde" of "Stichting Demo": `pupils` fictitious pupils in classes,
/// a parent for each, their consent (deterministic, varied), staff, and one account per role,
/// all with `password`.
pub fn demo(file: Option<&Path>, pupils: usize, password: &str) -> ExitCode {
    with_store(file, |store| async move { load_demo(&store, pupils, password).await.map(|lines| lines.join("\n")).map_err(fail) })
}

/// The `i`th demo pupil's full name, and their surname: distinct for the first 84 × 83.
fn pupil_name(i: usize) -> (String, &'static str) {
    let (f, s) = (FIRST_NAMES.len(), SURNAMES.len());
    // i ↦ (i mod f, (i div f + 7·(i mod f)) mod s) is one-to-one while i < f·s.
    let surname = SURNAMES[(i / f + 7 * (i % f)) % s];
    (format!("{} {surname}", FIRST_NAMES[i % f]), surname)
}

async fn load_demo(store: &Store, pupils: usize, password: &str) -> magdit_store::Result<Vec<String>> {
    let system = Actor::new("system:demo")?;
    let board = store.create_board("Stichting Demo").await?;
    let school = store
        .create_school(board.id, &NewSchool { name: "Demo-school De Linde".into(), brin: None, renewal: RenewalPolicy::yearly(8, 1)? }, &system)
        .await?;
    store.adopt_protocol(school.id, "cvo-nwf", None, &system).await?;
    let today = OffsetDateTime::now_utc().date();
    let mut rows = Vec::with_capacity(pupils * 2 + 3);
    for i in 0..pupils {
        let (name, surname) = pupil_name(i);
        // Ages 12 to 17, so some pupils decide for themselves.
        let dob = today - Duration::days(365 * (12 + (i % 6) as i64) + (i % 300) as i64);
        let group = format!("{}{}", 1 + (i % 6), ["A", "B", "C"][i % 3]);
        rows.push(PersonInput { external_id: format!("LL-{:05}", 10_000 + i), name, role: Role::Pupil, date_of_birth: Some(dob), group: Some(group) });
        let parent = format!("{} {surname}", PARENT_NAMES[(i * 7) % PARENT_NAMES.len()]);
        rows.push(PersonInput { external_id: format!("OU-{:05}", 10_000 + i), name: parent, role: Role::Parent, date_of_birth: None, group: None });
    }
    rows.push(PersonInput { external_id: "PE-00001".into(), name: "Anna Smit".into(), role: Role::Employee, date_of_birth: None, group: None });
    let done = store.upsert_people(school.id, &rows, &system, Apply::Commit).await?;
    let ids: Vec<_> = done.iter().map(|u| u.person.id).collect();
    for i in 0..pupils {
        let (pupil, parent) = (ids[2 * i], ids[2 * i + 1]);
        store.link_guardian(school.id, parent, pupil, &system).await?;
        let decides_self = rules::decider(rows[2 * i].date_of_birth, today) == rules::Who::Pupil;
        for (k, purpose) in PURPOSES.iter().enumerate() {
            // About 70% given, 20% refused, 10% never answered (unknown).
            let action = match (i * 7 + k * 3) % 10 {
                0..=6 => ConsentAction::Give,
                7 | 8 => ConsentAction::Refuse,
                _ => continue,
            };
            let decided_by = if decides_self { pupil } else { parent };
            let decision = Decision { pupil, purpose: (*purpose).into(), action, decided_by: Some(decided_by), channel: Channel::Paper, decided_at: None };
            store.record_consent(school.id, &decision, &system).await?;
        }
    }
    let account = |email: &str, name: &str| NewAccount { email: email.into(), name: name.into(), password: Some(password.into()) };
    store.create_account(&account("directie@demo.magdit.nl", "Dirk Directie"), &Grant::SchoolAdmin { school: school.id }, &system).await?;
    store.create_account(&account("anna.smit@demo.magdit.nl", "Anna Smit"), &Grant::Employee { school: school.id }, &system).await?;
    store
        .create_account(&account("ouder@demo.magdit.nl", &rows[1].name), &Grant::Guardian { school: school.id, person: ids[1] }, &system)
        .await?;
    Ok(vec![
        format!("Demo loaded: {} (school {}), {pupils} pupils with parents and consent.", school.name, school.id),
        format!("Accounts (password: {password}):"),
        "  directie@demo.magdit.nl   schoolleiding".into(),
        "  anna.smit@demo.magdit.nl  medewerker".into(),
        format!("  ouder@demo.magdit.nl      ouder van {}", rows[0].name),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_pupils_have_distinct_names() {
        let n = FIRST_NAMES.len() * SURNAMES.len();
        let names: std::collections::HashSet<String> = (0..n).map(|i| pupil_name(i).0).collect();
        assert_eq!(names.len(), n);
    }
}
