//! apply() and export_school() on a real store: every test runs on SQLite and on PostgreSQL
//! (magdit-store's `testing` harness; the PostgreSQL tests fail, never skip, without a server).

use magdit_import::{apply, export_school, parse, Format, ImportReport, ParseOptions, ParsedRoster, Reason};
use magdit_store::{Actor, Apply, NewSchool, Outcome, PeopleFilter, RenewalPolicy, Role, SchoolId, Store};

fn actor() -> Actor {
    Actor::new("import:test").unwrap()
}

async fn school(store: &Store) -> SchoolId {
    let board = store.create_board("Stichting Voorbeeld").await.unwrap();
    let new = NewSchool { name: "De Linde".into(), brin: None, renewal: RenewalPolicy::OnPurposeChange };
    store.create_school(board.id, &new, &actor()).await.unwrap().id
}

fn parsed(bytes: &[u8]) -> ParsedRoster {
    parse(bytes, &ParseOptions::default()).unwrap()
}

fn fixture(name: &str) -> ParsedRoster {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    parsed(&std::fs::read(&path).unwrap())
}

/// (created, updated, unchanged, links added)
fn counts(r: &ImportReport) -> (usize, usize, usize, usize) {
    (r.count(Outcome::Created), r.count(Outcome::Updated), r.count(Outcome::Unchanged), r.links_added())
}

async fn names_of_guardians(store: &Store, school: SchoolId, pupil: &str) -> Vec<String> {
    let pupil = store.person_by_external_id(school, pupil).await.unwrap();
    store.guardians(school, pupil.id).await.unwrap().into_iter().map(|g| g.name).collect()
}

async fn audit_len(store: &Store, school: SchoolId) -> usize {
    store.audit_log(school, 0, 1_000).await.unwrap().len()
}

async fn everyone(store: &Store, school: SchoolId) -> Vec<(String, String, Role)> {
    let page = store.people(school, &PeopleFilter::default(), 1_000, None).await.unwrap();
    page.items.into_iter().map(|p| (p.external_id, p.name, p.role)).collect()
}

async fn imports_people_and_links_guardians(store: Store) {
    let school = school(&store).await;
    let report = apply(&store, school, &fixture("magister.csv"), Apply::Commit, &actor()).await.unwrap();
    assert_eq!((report.format, report.dry_run), (Format::Magister, false));
    // Five pupils and four parents; six links (the siblings share two parents).
    assert_eq!(counts(&report), (9, 0, 0, 6));
    let first = &report.rows[0];
    assert_eq!((first.line, first.external_id.as_str(), first.outcome), (2, "10234", Outcome::Created));
    assert_eq!(first.links_added, vec!["o-5001".to_string(), "o-5002".to_string()]);
    assert!(report.rows.iter().all(|r| r.link_problems.is_empty()));

    assert_eq!(names_of_guardians(&store, school, "10237").await, vec!["Marieke van der Berg", "Thomas van der Berg"]);
    let zoe = store.person_by_external_id(school, "10236").await.unwrap();
    assert_eq!((zoe.name.as_str(), zoe.group.as_deref()), ("Zoë de Vries", Some("1A")));
    assert!(store.verify_audit(school).await.unwrap().is_intact());
}

async fn reimporting_the_same_file_changes_nothing(store: Store) {
    let school = school(&store).await;
    let roster = fixture("oneroster-users.csv");
    let first = apply(&store, school, &roster, Apply::Commit, &actor()).await.unwrap();
    assert_eq!(counts(&first), (8, 0, 0, 3));
    let people = everyone(&store, school).await;
    let audit = audit_len(&store, school).await;

    let again = apply(&store, school, &roster, Apply::Commit, &actor()).await.unwrap();
    assert_eq!(counts(&again), (0, 0, 8, 0));
    assert!(again.rows.iter().all(|r| r.changed.is_empty()));
    assert_eq!(everyone(&store, school).await, people);
    // Not one audit entry: nothing was written.
    assert_eq!(audit_len(&store, school).await, audit);
}

async fn a_dry_run_writes_nothing(store: Store) {
    let school = school(&store).await;
    let audit = audit_len(&store, school).await;
    let preview = apply(&store, school, &fixture("somtoday.csv"), Apply::DryRun, &actor()).await.unwrap();
    assert!(preview.dry_run);
    // What the import would do: five pupils, three parents, four links.
    assert_eq!(counts(&preview), (8, 0, 0, 4));
    assert!(everyone(&store, school).await.is_empty());
    assert_eq!(audit_len(&store, school).await, audit);

    // After the real import, a preview of a changed file reports the change and still
    // writes nothing.
    apply(&store, school, &fixture("somtoday.csv"), Apply::Commit, &actor()).await.unwrap();
    let audit = audit_len(&store, school).await;
    let changed = parsed(
        "Leerlingnummer,Roepnaam,Achternaam,Stamgroep,Ouder/verzorger 1,Ouder/verzorger 1 id\n\
         300103,Mila,Mulder,3B,Karin Visser,v-9001\n"
            .as_bytes(),
    );
    let preview = apply(&store, school, &changed, Apply::DryRun, &actor()).await.unwrap();
    assert_eq!(counts(&preview), (0, 1, 1, 1));
    // Mila moves class; her date of birth stays, since this file has no such column.
    let mila = &preview.rows[0];
    assert_eq!((mila.outcome, &mila.changed), (Outcome::Updated, &vec!["group"]));
    assert_eq!(mila.links_added, vec!["v-9001".to_string()]);
    let mila_now = store.person_by_external_id(school, "300103").await.unwrap();
    assert_eq!(mila_now.group.as_deref(), Some("2B"));
    assert!(names_of_guardians(&store, school, "300103").await.is_empty());
    assert_eq!(audit_len(&store, school).await, audit);
}

async fn guardians_missing_or_of_the_wrong_role_are_reported_per_row(store: Store) {
    let school = school(&store).await;
    // The parent par-3 names stu-9, who is neither in the file nor on the roster.
    let report = apply(&store, school, &fixture("oneroster-users.csv"), Apply::Commit, &actor()).await.unwrap();
    let par3 = report.rows.iter().find(|r| r.external_id == "par-3").unwrap();
    assert_eq!(par3.link_problems.len(), 1);
    assert_eq!(par3.link_problems[0].other, "stu-9");
    assert_eq!(par3.link_problems[0].reason, Reason::PupilNotFound { id: "stu-9".into() });

    // A later file of pupils only links to guardians already on the roster, and reports the
    // ones it cannot find or that are not parents.
    let pupils = parsed(
        "external_id;name;role;date_of_birth;group;guardians\n\
         stu-9;Ravi Hendriks;pupil;2012-02-02;6B;par-3,par-404,tea-1\n"
            .as_bytes(),
    );
    let report = apply(&store, school, &pupils, Apply::Commit, &actor()).await.unwrap();
    let ravi = &report.rows[0];
    assert_eq!(ravi.links_added, vec!["par-3".to_string()]);
    assert_eq!(
        ravi.link_problems.iter().map(|p| &p.reason).collect::<Vec<_>>(),
        vec![
            &Reason::GuardianNotFound { id: "par-404".into() },
            &Reason::NotAParent { id: "tea-1".into(), role: Role::Employee },
        ]
    );
    assert_eq!(
        ravi.link_problems[0].reason.nl(),
        "ouder/verzorger ‘par-404’ staat niet in dit bestand en ook nog niet in magdit"
    );
    assert_eq!(names_of_guardians(&store, school, "stu-9").await, vec!["Fatima Hendriks"]);

    // Now the OneRoster file's link from par-3 to stu-9 can be made too, and already is.
    let again = apply(&store, school, &fixture("oneroster-users.csv"), Apply::Commit, &actor()).await.unwrap();
    let par3 = again.rows.iter().find(|r| r.external_id == "par-3").unwrap();
    assert!(par3.link_problems.is_empty() && par3.links_added.is_empty());
}

async fn rejected_rows_are_in_the_report_and_the_rest_is_imported(store: Store) {
    let school = school(&store).await;
    let report = apply(&store, school, &fixture("bad-rows.csv"), Apply::Commit, &actor()).await.unwrap();
    assert_eq!(report.rejected.len(), 10);
    assert_eq!(counts(&report), (5, 0, 0, 3));
    assert_eq!(names_of_guardians(&store, school, "20011").await, vec!["Hanna Peeters"]);
}

async fn an_export_reads_back_as_the_same_roster(store: Store) {
    let school = school(&store).await;
    for file in ["somtoday.csv", "employees.csv", "oneroster-users.csv"] {
        apply(&store, school, &fixture(file), Apply::Commit, &actor()).await.unwrap();
    }
    let exported = export_school(&store, school).await.unwrap();
    let roster = parsed(&exported);
    assert_eq!(roster.format, Format::Magdit);
    assert!(roster.rejected.is_empty(), "{:?}", roster.rejected);
    assert_eq!(roster.people.len(), 8 + 6 + 8);

    // Everyone, with their guardians, as the imports left them.
    let mut stored = Vec::new();
    for p in store.people(school, &PeopleFilter::default(), 1_000, None).await.unwrap().items {
        let mut guardians: Vec<String> =
            store.guardians(school, p.id).await.unwrap().into_iter().map(|g| g.external_id).collect();
        guardians.sort();
        stored.push((p.external_id, p.name, p.role, p.date_of_birth, p.group, guardians));
    }
    let mut read_back: Vec<_> = roster
        .people
        .iter()
        .map(|r| {
            let p = &r.person;
            (p.external_id.clone(), p.name.clone(), p.role, p.date_of_birth, p.group.clone(), r.guardians.clone())
        })
        .collect();
    // By external id: unique, so the order is total.
    stored.sort_by(|a, b| a.0.cmp(&b.0));
    read_back.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(read_back, stored);

    // And importing the export changes nothing.
    let audit = audit_len(&store, school).await;
    let report = apply(&store, school, &roster, Apply::Commit, &actor()).await.unwrap();
    assert_eq!(counts(&report), (0, 0, 22, 0));
    assert_eq!(audit_len(&store, school).await, audit);
}

magdit_store::on_both_stores!(
    imports_people_and_links_guardians,
    reimporting_the_same_file_changes_nothing,
    a_dry_run_writes_nothing,
    guardians_missing_or_of_the_wrong_role_are_reported_per_row,
    rejected_rows_are_in_the_report_and_the_rest_is_imported,
    an_export_reads_back_as_the_same_roster,
);
