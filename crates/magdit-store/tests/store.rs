//! The store's behaviour, each test run on SQLite and on PostgreSQL (see `common`).

mod common;

use std::collections::HashSet;

use common::{admin, school, Db};
use magdit_store::*;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};

on_both_stores!(
    migrations_apply,
    tenant_isolation,
    upsert_without_duplicates,
    list_page_and_search,
    consent_history_and_current_state,
    withdrawal_takes_effect_at_once,
    renewal_expires_given_consent,
    hand_over_at_the_sixteenth_birthday,
    effective_state_in_bulk,
    classes_and_consent_per_class,
    audit_chain_verifies_and_shows_tampering,
    redaction_keeps_the_chain_intact,
    concurrent_writers_keep_one_chain,
    protocol_adoption_and_boards,
);

fn pupil(external_id: &str, name: &str, dob: Option<Date>, group: Option<&str>) -> PersonInput {
    PersonInput {
        external_id: external_id.into(),
        name: name.into(),
        role: Role::Pupil,
        date_of_birth: dob,
        group: group.map(Into::into),
    }
}

fn person(external_id: &str, name: &str, role: Role) -> PersonInput {
    PersonInput { external_id: external_id.into(), name: name.into(), role, date_of_birth: None, group: None }
}

async fn add(store: &Store, school: SchoolId, input: PersonInput) -> Person {
    store.upsert_person(school, &input, &admin()).await.unwrap().person
}

fn decision(pupil: PersonId, purpose: &str, action: ConsentAction, by: Option<PersonId>) -> Decision {
    Decision { pupil, purpose: purpose.into(), action, decided_by: by, channel: Channel::Web, decided_at: None }
}

/// A decision about social media on paper, dated `at`.
fn on_paper(pupil: PersonId, action: ConsentAction, at: OffsetDateTime) -> Decision {
    Decision { decided_at: Some(at), channel: Channel::Paper, ..decision(pupil, "social_media", action, None) }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

#[track_caller]
fn assert_not_found<T: std::fmt::Debug>(r: Result<T>, entity: &str) {
    match r {
        Err(Error::NotFound { entity: e, .. }) if e == entity => {}
        other => panic!("expected {entity} not found, got {other:?}"),
    }
}

#[track_caller]
fn assert_conflict<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r {
        Err(e @ Error::Conflict { .. }) => e.to_string(),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

async fn migrations_apply(db: Db) {
    db.store.ping().await.unwrap();
    assert_eq!(db.raw_i64("SELECT COUNT(*) FROM _sqlx_migrations WHERE success").await, 3);
    for table in [
        "boards",
        "schools",
        "people",
        "guardian_links",
        "consent_purposes",
        "consent_changes",
        "consent_current",
        "audit_log",
        "accounts",
        "grants",
        "sessions",
        "oidc_identities",
        "checks",
        "retention_policies",
        "board_audit_log",
        "protocol_files",
    ] {
        assert_eq!(db.raw_i64(&format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table}");
    }
    // Opening an up-to-date store again (a restart, or a second app server) changes nothing.
    let again = Store::open(&db.url).await.unwrap();
    again.ping().await.unwrap();
    again.close().await;
    assert_eq!(db.raw_i64("SELECT COUNT(*) FROM _sqlx_migrations").await, 3);
    if db.backend() == Backend::Sqlite {
        // WAL is a property of the file, so a fresh connection sees it.
        assert_eq!(db.raw_rows("PRAGMA journal_mode").await, vec![vec!["wal".to_string()]]);
    }
}

async fn tenant_isolation(db: Db) {
    let s = &db.store;
    let (board, a) = school(s, "Stichting Een", "School A").await;
    let (_, b) = school(s, "Stichting Een", "School B").await;
    let (other_board, c) = school(s, "Stichting Twee", "School C").await;

    // The same external id in two schools is two people.
    let anna = add(s, a, pupil("1001", "Anna de Vries", Some(date!(2015 - 03 - 01)), Some("5A"))).await;
    let bram = add(s, b, pupil("1001", "Bram Bakker", Some(date!(2015 - 04 - 01)), Some("5A"))).await;
    let parent_b = add(s, b, person("2001", "Ouder Bakker", Role::Parent)).await;
    assert_ne!(anna.id, bram.id);

    // People.
    assert_not_found(s.person(a, bram.id).await, "person");
    assert_eq!(s.person_by_external_id(a, "1001").await.unwrap().id, anna.id);
    let listed = s.people(a, &PeopleFilter::default(), 100, None).await.unwrap().items;
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), vec![anna.id]);
    let searched =
        s.people(a, &PeopleFilter { name: Some("bakker".into()), ..Default::default() }, 100, None).await.unwrap();
    assert!(searched.items.is_empty());

    // Guardian links cannot cross schools, in either direction.
    assert_not_found(s.link_guardian(a, parent_b.id, anna.id, &admin()).await, "person");
    assert_not_found(s.link_guardian(b, parent_b.id, anna.id, &admin()).await, "person");
    assert!(s.guardians(a, bram.id).await.unwrap().is_empty());
    s.link_guardian(b, parent_b.id, bram.id, &admin()).await.unwrap();
    assert!(s.children(a, parent_b.id).await.unwrap().is_empty());
    assert_not_found(s.who_decides(a, bram.id, date!(2025 - 01 - 01)).await, "person");

    // Consent.
    s.record_consent(b, &decision(bram.id, "social_media", ConsentAction::Give, Some(parent_b.id)), &admin())
        .await
        .unwrap();
    assert_not_found(
        s.record_consent(a, &decision(bram.id, "social_media", ConsentAction::Refuse, None), &admin()).await,
        "person",
    );
    assert_not_found(s.effective_consent(a, "social_media", &[bram.id], now()).await, "person");
    assert_not_found(s.effective_consent(a, "social_media", &[anna.id, bram.id], now()).await, "person");
    assert_eq!(
        s.effective_consent(b, "social_media", &[bram.id], now()).await.unwrap()[0].state,
        EffectiveState::Given
    );
    assert_not_found(s.consent_history(a, bram.id, None).await, "person");
    assert_not_found(s.pupil_consent(a, bram.id, now()).await, "person");
    // A school-defined purpose of B does not exist for A.
    s.define_purpose(b, "yearbook", "Jaarboek", &admin()).await.unwrap();
    assert_not_found(s.effective_consent(a, "yearbook", &[anna.id], now()).await, "purpose");
    assert!(!s.purposes(a).await.unwrap().iter().any(|p| p.key == "yearbook"));

    // Audit.
    let log_a = s.audit_log(a, 0, 1000).await.unwrap();
    assert!(log_a.iter().all(|e| e.school == a));
    assert!(!log_a.iter().any(|e| e.record.entity_id.contains(&bram.id.to_string()) && e.record.entity != "school"));
    assert!(s.audit_of(a, "person", &bram.id.to_string()).await.unwrap().is_empty());
    assert_eq!(s.audit_of(b, "person", &bram.id.to_string()).await.unwrap().len(), 1);
    for school in [a, b, c] {
        assert!(s.verify_audit(school).await.unwrap().is_intact());
    }

    // A write through the wrong school touches nothing.
    assert!(!s.unlink_guardian(a, parent_b.id, bram.id, &admin()).await.unwrap());
    assert_eq!(s.guardians(b, bram.id).await.unwrap().len(), 1);

    // Boards see their own schools only.
    let own: Vec<SchoolId> = s.schools(board).await.unwrap().iter().map(|s| s.id).collect();
    assert_eq!(own, vec![a, b]);
    assert_eq!(s.schools(other_board).await.unwrap().iter().map(|s| s.id).collect::<Vec<_>>(), vec![c]);
    assert_not_found(s.board_school(other_board, a).await, "school");
    assert_eq!(s.board_school(board, a).await.unwrap().id, a);
}

async fn upsert_without_duplicates(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let mut rows = vec![
        pupil("1", "Anna de Vries", Some(date!(2015 - 03 - 01)), Some("5A")),
        pupil("2", "Bram Bakker", None, Some("5A")),
        person("3", "Carla de Vries", Role::Parent),
    ];
    let first = s.upsert_people(sc, &rows, &admin(), Apply::Commit).await.unwrap();
    assert!(first.iter().all(|u| u.outcome == Outcome::Created));

    let again = s.upsert_people(sc, &rows, &admin(), Apply::Commit).await.unwrap();
    assert!(again.iter().all(|u| u.outcome == Outcome::Unchanged));
    assert_eq!(
        again.iter().map(|u| u.person.id).collect::<Vec<_>>(),
        first.iter().map(|u| u.person.id).collect::<Vec<_>>()
    );

    rows[0].group = Some("6A".into());
    let moved = s.upsert_people(sc, &rows, &admin(), Apply::Commit).await.unwrap();
    assert_eq!(
        moved.iter().map(|u| u.outcome).collect::<Vec<_>>(),
        vec![Outcome::Updated, Outcome::Unchanged, Outcome::Unchanged]
    );
    assert_eq!(moved[0].before.as_ref().unwrap().group.as_deref(), Some("5A"));
    assert_eq!(moved[0].person.group.as_deref(), Some("6A"));
    assert_eq!(moved[0].person.id, first[0].person.id);
    assert_eq!(s.people(sc, &PeopleFilter::default(), 100, None).await.unwrap().items.len(), 3);

    // A dry run reports and keeps nothing, not even the revision bump or audit entries.
    let revision = s.school(sc).await.unwrap().revision;
    let entries = s.verify_audit(sc).await.unwrap().entries;
    let preview = s.upsert_people(sc, &[pupil("4", "Daan", None, None)], &admin(), Apply::DryRun).await.unwrap();
    assert_eq!(preview[0].outcome, Outcome::Created);
    assert_not_found(s.person_by_external_id(sc, "4").await, "person");
    assert_eq!(s.school(sc).await.unwrap().revision, revision);
    assert_eq!(s.verify_audit(sc).await.unwrap().entries, entries);

    // One bad row fails the whole batch and names the row.
    let bad = vec![
        pupil("5", "Eva", None, None),
        PersonInput { date_of_birth: Some(date!(1980 - 01 - 01)), ..person("6", "Juf Fien", Role::Employee) },
    ];
    match s.upsert_people(sc, &bad, &admin(), Apply::Commit).await {
        Err(Error::Invalid { field: "person.date_of_birth", reason }) => assert!(reason.contains("row 1"), "{reason}"),
        other => panic!("expected an invalid date of birth, got {other:?}"),
    }
    assert_not_found(s.person_by_external_id(sc, "5").await, "person");
    assert!(matches!(
        s.upsert_person(sc, &pupil(" ", "Naamloos", None, None), &admin()).await,
        Err(Error::Invalid { field: "person.external_id", .. })
    ));

    // Audit: the school, three creations, one update.
    let log = s.audit_log(sc, 0, 100).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.record.action.as_str()).collect::<Vec<_>>(),
        vec!["create", "create", "create", "create", "update"]
    );
    assert!(log[4].record.before.as_deref().unwrap().contains("\"5A\""));
    assert!(log[4].record.after.as_deref().unwrap().contains("\"6A\""));
    assert_eq!(s.verify_audit(sc).await.unwrap().entries, 5);
}

async fn list_page_and_search(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let mut rows: Vec<PersonInput> = (0..25)
        .map(|i| pupil(&format!("p{i}"), &format!("Leerling {i:02}"), None, Some(if i % 2 == 0 { "5A" } else { "5B" })))
        .collect();
    rows.push(pupil("x1", "Daan Bakker", None, Some("5A")));
    rows.push(pupil("x2", "Sanne BAKKER-de Wit", None, Some("5B")));
    rows.push(pupil("x3", "Émile Zoë", None, None));
    rows.push(pupil("x4", "anna 100%", None, None));
    rows.push(person("x5", "Ouder Bakker", Role::Parent));
    s.upsert_people(sc, &rows, &admin(), Apply::Commit).await.unwrap();

    // Pages of 7 cover everyone once, in the order of the lower-cased name (byte order, the
    // same on both stores).
    let mut seen = Vec::new();
    let mut cursor: Option<PersonCursor> = None;
    loop {
        let page = s.people(sc, &PeopleFilter::default(), 7, cursor.as_ref()).await.unwrap();
        assert!(page.items.len() <= 7);
        seen.extend(page.items.iter().map(|p| p.name.clone()));
        match page.next {
            // The cursor survives a trip through its text form, as an API hands it out.
            Some(next) => cursor = Some(next.to_string().parse().unwrap()),
            None => break,
        }
    }
    let mut expected: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    expected.sort_by_key(|n| n.to_lowercase());
    assert_eq!(seen, expected);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), rows.len());

    let find = |name: Option<&str>, group: Option<&str>, role: Option<Role>| {
        let filter = PeopleFilter { name: name.map(Into::into), group: group.map(Into::into), role };
        async move { s.people(sc, &filter, 100, None).await.unwrap().items.into_iter().map(|p| p.name).collect::<Vec<_>>() }
    };
    assert_eq!(find(Some("bakker"), None, None).await, vec!["Daan Bakker", "Ouder Bakker", "Sanne BAKKER-de Wit"]);
    assert_eq!(find(Some("BAKKER"), Some("5B"), None).await, vec!["Sanne BAKKER-de Wit"]);
    assert_eq!(find(Some("bakker"), None, Some(Role::Pupil)).await.len(), 2);
    assert_eq!(find(Some("zoë"), None, None).await, vec!["Émile Zoë"]);
    // Wildcards in a search are literal.
    assert_eq!(find(Some("100%"), None, None).await, vec!["anna 100%"]);
    assert!(find(Some("_"), None, None).await.is_empty());
    assert_eq!(find(None, Some("5A"), None).await.len(), 14);
    assert!(matches!(
        s.people(sc, &PeopleFilter::default(), 0, None).await,
        Err(Error::Invalid { field: "limit", .. })
    ));
}

async fn consent_history_and_current_state(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let p = add(s, sc, pupil("1", "Anna", Some(date!(2015 - 03 - 01)), None)).await;
    let g = add(s, sc, person("2", "Carla", Role::Parent)).await;
    assert!(s.link_guardian(sc, g.id, p.id, &admin()).await.unwrap());
    assert!(!s.link_guardian(sc, g.id, p.id, &admin()).await.unwrap(), "linking twice is a no-op");

    // Silence is not consent.
    assert_eq!(
        s.effective_consent(sc, "social_media", &[p.id], now()).await.unwrap()[0].state,
        EffectiveState::Unknown
    );

    let parent = Actor::new("account:carla").unwrap();
    let given =
        s.record_consent(sc, &decision(p.id, "social_media", ConsentAction::Give, Some(g.id)), &parent).await.unwrap();
    assert!(given.in_force);
    assert_eq!(s.effective_consent(sc, "social_media", &[p.id], now()).await.unwrap()[0].state, EffectiveState::Given);

    let refused = s
        .record_consent(
            sc,
            &Decision { channel: Channel::Paper, ..decision(p.id, "social_media", ConsentAction::Refuse, Some(g.id)) },
            &admin(),
        )
        .await
        .unwrap();
    assert!(refused.in_force);
    assert_eq!(
        s.effective_consent(sc, "social_media", &[p.id], now()).await.unwrap()[0].state,
        EffectiveState::Refused
    );

    // An old paper form entered late goes into the history but does not override.
    let late = Decision {
        decided_at: Some(datetime!(2024-01-10 9:00 +01:00)),
        channel: Channel::Paper,
        ..decision(p.id, "social_media", ConsentAction::Give, Some(g.id))
    };
    assert!(!s.record_consent(sc, &late, &admin()).await.unwrap().in_force);
    let effective = s.effective_consent(sc, "social_media", &[p.id], now()).await.unwrap()[0];
    assert_eq!(effective.state, EffectiveState::Refused);

    let history = s.consent_history(sc, p.id, Some("social_media")).await.unwrap();
    assert_eq!(
        history.iter().map(|c| c.action).collect::<Vec<_>>(),
        vec![ConsentAction::Give, ConsentAction::Refuse, ConsentAction::Give]
    );
    assert_eq!(history[0].actor, "account:carla");
    assert_eq!(history[0].channel, Channel::Web);
    assert_eq!(history[1].channel, Channel::Paper);
    assert_eq!(history[2].decided_at, datetime!(2024-01-10 8:00 UTC));
    assert!(history.iter().all(|c| c.decided_by == Some(g.id)));
    // The state in force is the latest decided entry of the history.
    let latest = history.iter().max_by_key(|c| (c.decided_at, c.id)).unwrap();
    assert_eq!((effective.decided_at, latest.state), (Some(latest.decided_at), ConsentState::Refused));

    // Other purposes are untouched; the per-pupil overview lists them all.
    let overview = s.pupil_consent(sc, p.id, now()).await.unwrap();
    assert_eq!(overview.len(), 5);
    assert_eq!(overview.iter().find(|(k, _)| k == "social_media").unwrap().1.state, EffectiveState::Refused);
    assert_eq!(overview.iter().find(|(k, _)| k == "website").unwrap().1.state, EffectiveState::Unknown);

    // Each decision has its audit entry, with the state before it.
    let audit = s.audit_of(sc, "consent", &format!("{}/social_media", p.id)).await.unwrap();
    assert_eq!(audit.iter().map(|e| e.record.action.as_str()).collect::<Vec<_>>(), vec!["give", "refuse", "give"]);
    assert_eq!(audit[0].record.before, None);
    assert!(audit[1].record.before.as_deref().unwrap().contains("\"given\""));

    // Consent is for pupils, for known purposes.
    assert_conflict(s.record_consent(sc, &decision(g.id, "social_media", ConsentAction::Give, None), &admin()).await);
    assert_not_found(
        s.record_consent(sc, &decision(p.id, "billboard", ConsentAction::Give, None), &admin()).await,
        "purpose",
    );
    assert!(matches!(
        s.record_consent(sc, &decision(p.id, "Social Media", ConsentAction::Give, None), &admin()).await,
        Err(Error::Invalid { field: "purpose", .. })
    ));
    let future = Decision {
        decided_at: Some(now() + Duration::days(2)),
        ..decision(p.id, "website", ConsentAction::Give, None)
    };
    assert!(matches!(s.record_consent(sc, &future, &admin()).await, Err(Error::Invalid { field: "decided_at", .. })));
}

async fn withdrawal_takes_effect_at_once(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let p = add(s, sc, pupil("1", "Anna", Some(date!(2015 - 03 - 01)), None)).await;

    let msg = assert_conflict(
        s.record_consent(sc, &decision(p.id, "website", ConsentAction::Withdraw, None), &admin()).await,
    );
    assert!(msg.contains("no given consent"), "{msg}");

    // Given last week on paper, withdrawn now.
    let week_ago = Decision {
        decided_at: Some(now() - Duration::days(7)),
        channel: Channel::Paper,
        ..decision(p.id, "website", ConsentAction::Give, None)
    };
    s.record_consent(sc, &week_ago, &admin()).await.unwrap();
    assert_eq!(s.effective_consent(sc, "website", &[p.id], now()).await.unwrap()[0].state, EffectiveState::Given);

    let dated = Decision { decided_at: Some(now()), ..decision(p.id, "website", ConsentAction::Withdraw, None) };
    assert!(matches!(s.record_consent(sc, &dated, &admin()).await, Err(Error::Invalid { field: "decided_at", .. })));

    let withdrawn =
        s.record_consent(sc, &decision(p.id, "website", ConsentAction::Withdraw, None), &admin()).await.unwrap();
    assert!(withdrawn.in_force);
    assert_eq!(withdrawn.change.state, ConsentState::Refused);
    // The very next read sees it.
    assert_eq!(s.effective_consent(sc, "website", &[p.id], now()).await.unwrap()[0].state, EffectiveState::Refused);
    assert_eq!(s.consent_history(sc, p.id, None).await.unwrap().last().unwrap().action, ConsentAction::Withdraw);
    assert_conflict(s.record_consent(sc, &decision(p.id, "website", ConsentAction::Withdraw, None), &admin()).await);
}

async fn renewal_expires_given_consent(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let anna = add(s, sc, pupil("1", "Anna", None, None)).await;
    let bram = add(s, sc, pupil("2", "Bram", None, None)).await;
    let cas = add(s, sc, pupil("3", "Cas", None, None)).await;
    s.record_consent(sc, &on_paper(anna.id, ConsentAction::Give, datetime!(2024-07-15 10:00 UTC)), &admin()).await.unwrap();
    s.record_consent(sc, &on_paper(bram.id, ConsentAction::Refuse, datetime!(2024-07-15 10:00 UTC)), &admin()).await.unwrap();
    s.record_consent(sc, &on_paper(cas.id, ConsentAction::Give, datetime!(2024-08-05 10:00 UTC)), &admin()).await.unwrap();
    let ids = [anna.id, bram.id, cas.id];
    let states = |at: OffsetDateTime| async move {
        s.effective_consent(sc, "social_media", &ids, at)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.state, e.expired))
            .collect::<Vec<_>>()
    };
    use EffectiveState::{Given, Refused, Unknown};

    // Only on a purpose change: consent holds for years.
    assert_eq!(
        states(datetime!(2026-06-01 12:00 +02:00)).await,
        vec![(Given, false), (Refused, false), (Given, false)]
    );

    // Yearly on 1 August: Anna's consent of July 2024 ends on 1 August 2024 (local midnight).
    s.set_renewal_policy(sc, RenewalPolicy::yearly(8, 1).unwrap(), &admin()).await.unwrap();
    assert_eq!(states(datetime!(2024-07-31 23:59 +02:00)).await[0], (Given, false));
    assert_eq!(
        states(datetime!(2024-08-01 00:00 +02:00)).await,
        vec![(Unknown, true), (Refused, false), (Given, false)]
    );
    // A year on, Cas's consent of August 2024 has expired too; a refusal never does.
    assert_eq!(
        states(datetime!(2025-08-02 12:00 +02:00)).await,
        vec![(Unknown, true), (Refused, false), (Unknown, true)]
    );

    // Back to renewal on change only; then the purpose's wording changes, which expires all.
    s.set_renewal_policy(sc, RenewalPolicy::OnPurposeChange, &admin()).await.unwrap();
    assert_eq!(states(now()).await[0], (Given, false));
    let entries = s.verify_audit(sc).await.unwrap().entries;
    let same = s.purposes(sc).await.unwrap().into_iter().find(|p| p.key == "social_media").unwrap();
    s.define_purpose(sc, "social_media", &same.description, &admin()).await.unwrap();
    assert_eq!(s.verify_audit(sc).await.unwrap().entries, entries, "the same wording changes nothing");
    let changed =
        s.define_purpose(sc, "social_media", "Foto's op Instagram en Facebook van de school", &admin()).await.unwrap();
    assert!(changed.changed_at.is_some());
    assert_eq!(states(now()).await, vec![(Unknown, true), (Refused, false), (Unknown, true)]);
    // Consent given after the change counts again.
    s.record_consent(sc, &decision(anna.id, "social_media", ConsentAction::Give, None), &admin()).await.unwrap();
    assert_eq!(states(now() + Duration::seconds(1)).await[0], (Given, false));

    // A school's own purpose works like the built-in ones.
    s.define_purpose(sc, "yearbook", "Foto's in het jaarboek", &admin()).await.unwrap();
    s.record_consent(sc, &decision(bram.id, "yearbook", ConsentAction::Give, None), &admin()).await.unwrap();
    assert_eq!(s.effective_consent(sc, "yearbook", &[bram.id], now()).await.unwrap()[0].state, Given);
    assert!(matches!(RenewalPolicy::yearly(2, 29), Err(Error::Invalid { .. })));
    assert_eq!(s.school(sc).await.unwrap().renewal, RenewalPolicy::OnPurposeChange);
}

async fn hand_over_at_the_sixteenth_birthday(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "Het Lyceum").await;
    let p = add(s, sc, pupil("1", "Anna", Some(date!(2005 - 06 - 10)), Some("4V"))).await;
    let g = add(s, sc, person("2", "Carla", Role::Parent)).await;
    let stranger = add(s, sc, person("3", "Dirk", Role::Parent)).await;
    s.link_guardian(sc, g.id, p.id, &admin()).await.unwrap();

    assert_eq!(
        s.who_decides(sc, p.id, date!(2021 - 06 - 09)).await.unwrap(),
        Decider::Guardians { guardians: vec![g.id], until: Some(date!(2021 - 06 - 10)) }
    );
    assert_eq!(
        s.who_decides(sc, p.id, date!(2021 - 06 - 10)).await.unwrap(),
        Decider::Pupil { since: date!(2021 - 06 - 10) }
    );

    let by = |who: PersonId, at: OffsetDateTime| Decision {
        decided_at: Some(at),
        ..decision(p.id, "website", ConsentAction::Give, Some(who))
    };
    let eve = datetime!(2021-06-09 12:00 UTC);
    let birthday = datetime!(2021-06-10 12:00 UTC);
    s.record_consent(sc, &by(g.id, eve), &admin()).await.unwrap();
    let msg = assert_conflict(s.record_consent(sc, &by(p.id, eve), &admin()).await);
    assert!(msg.contains("guardian"), "{msg}");
    assert_conflict(s.record_consent(sc, &by(stranger.id, eve), &admin()).await);
    let msg = assert_conflict(s.record_consent(sc, &by(g.id, birthday), &admin()).await);
    assert!(msg.contains("16 or older"), "{msg}");
    s.record_consent(sc, &by(p.id, birthday), &admin()).await.unwrap();
    // The day is the school's local day: 00:30 on the birthday in Amsterdam is still the
    // 9th in UTC, but the pupil is 16.
    s.record_consent(sc, &by(p.id, datetime!(2021-06-10 00:30 +02:00)), &admin()).await.unwrap();

    // Without a date of birth the guardians decide, to be safe.
    let q = add(s, sc, pupil("4", "Bram", None, None)).await;
    assert_eq!(
        s.who_decides(sc, q.id, date!(2030 - 01 - 01)).await.unwrap(),
        Decider::Guardians { guardians: vec![], until: None }
    );
    assert_conflict(s.who_decides(sc, g.id, date!(2030 - 01 - 01)).await);
    // Linking needs a parent and a pupil.
    assert_conflict(s.link_guardian(sc, p.id, q.id, &admin()).await);
    assert_conflict(s.link_guardian(sc, g.id, stranger.id, &admin()).await);
}

async fn effective_state_in_bulk(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let rows: Vec<PersonInput> =
        (0..300).map(|i| pupil(&format!("{i}"), &format!("Leerling {i:03}"), None, None)).collect();
    let pupils: Vec<Person> =
        s.upsert_people(sc, &rows, &admin(), Apply::Commit).await.unwrap().into_iter().map(|u| u.person).collect();
    let teacher = add(s, sc, person("t1", "Juf Fien", Role::Employee)).await;
    for (i, p) in pupils.iter().enumerate() {
        let action = match i % 3 {
            0 => ConsentAction::Give,
            1 => ConsentAction::Refuse,
            _ => continue,
        };
        s.record_consent(sc, &decision(p.id, "social_media", action, None), &admin()).await.unwrap();
    }

    let mut ask: Vec<PersonId> = pupils.iter().rev().map(|p| p.id).collect();
    ask.push(pupils[0].id); // asked twice, answered twice
    ask.push(teacher.id);
    let answer = s.effective_consent(sc, "social_media", &ask, now()).await.unwrap();
    assert_eq!(answer.len(), ask.len());
    for (asked, got) in ask.iter().zip(&answer) {
        assert_eq!(*asked, got.pupil);
        let expected = match pupils.iter().position(|p| p.id == *asked) {
            Some(i) if i % 3 == 0 => EffectiveState::Given,
            Some(i) if i % 3 == 1 => EffectiveState::Refused,
            _ => EffectiveState::Unknown, // silence, or not a pupil
        };
        assert_eq!(got.state, expected, "{asked}");
    }
    assert!(s.effective_consent(sc, "social_media", &[], now()).await.unwrap().is_empty());
    assert_not_found(
        s.effective_consent(sc, "social_media", &[pupils[0].id, PersonId(987_654)], now()).await,
        "person",
    );
    assert_not_found(s.effective_consent(sc, "billboard", &[pupils[0].id], now()).await, "purpose");
}

async fn classes_and_consent_per_class(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let (_, other) = school(s, "Bestuur", "Het Lyceum").await;
    let anna = add(s, sc, pupil("1", "Anna", None, Some("7B"))).await;
    let bram = add(s, sc, pupil("2", "Bram", None, Some("7A"))).await;
    let cas = add(s, sc, pupil("3", "Cas", None, Some("7A"))).await;
    let dirk = add(s, sc, pupil("4", "Dirk", None, None)).await;
    add(s, sc, PersonInput { group: Some("Team".into()), ..person("t", "Juf Fien", Role::Employee) }).await;
    add(s, other, pupil("1", "Eva", None, Some("8C"))).await;
    assert_eq!(s.classes(sc).await.unwrap(), ["7A", "7B"], "pupils' classes only, each once, sorted");
    assert_eq!(s.classes(other).await.unwrap(), ["8C"]);

    s.record_consent(sc, &on_paper(bram.id, ConsentAction::Give, datetime!(2024-09-01 10:00 UTC)), &admin()).await.unwrap();
    s.record_consent(sc, &on_paper(cas.id, ConsentAction::Refuse, datetime!(2024-09-01 10:00 UTC)), &admin()).await.unwrap();
    s.record_consent(sc, &on_paper(anna.id, ConsentAction::Give, datetime!(2024-07-01 10:00 UTC)), &admin()).await.unwrap();
    s.record_consent(sc, &decision(dirk.id, "website", ConsentAction::Give, None), &admin()).await.unwrap();
    // Anna's consent predates the yearly renewal on 1 August: expired, so unknown.
    s.set_renewal_policy(sc, RenewalPolicy::yearly(8, 1).unwrap(), &admin()).await.unwrap();

    let when = datetime!(2025-06-01 12:00 +02:00);
    let counts = s.consent_per_class(sc, when).await.unwrap();
    let purposes: Vec<String> = s.purposes(sc).await.unwrap().into_iter().map(|p| p.key).collect();
    let of = |group: Option<&str>, purpose: &str| {
        let class = counts.iter().find(|c| c.group.as_deref() == group).expect("the class");
        let i = purposes.iter().position(|p| p == purpose).unwrap();
        assert_eq!(class.purposes[i].0, purpose, "in the order of purposes()");
        (class.pupils, class.purposes[i].1)
    };
    let n = |given, refused, unknown| StateCounts { given, refused, unknown };
    assert_eq!(counts.iter().map(|c| c.group.as_deref()).collect::<Vec<_>>(), [Some("7A"), Some("7B"), None]);
    assert_eq!(of(Some("7A"), "social_media"), (2, n(1, 1, 0)));
    assert_eq!(of(Some("7B"), "social_media"), (1, n(0, 0, 1)));
    assert_eq!(of(None, "social_media"), (1, n(0, 0, 1)));
    assert_eq!(of(None, "website"), (1, n(1, 0, 0)));
    assert_eq!(of(Some("7A"), "website"), (2, n(0, 0, 2)));
    // The same counts as the bulk query a check uses, pupil by pupil.
    let ids = [anna.id, bram.id, cas.id];
    let states: Vec<EffectiveState> =
        s.effective_consent(sc, "social_media", &ids, when).await.unwrap().into_iter().map(|e| e.state).collect();
    assert_eq!(states, [EffectiveState::Unknown, EffectiveState::Given, EffectiveState::Refused]);
    assert_eq!(s.consent_per_class(other, when).await.unwrap().len(), 1, "another school's classes only");
}

async fn audit_chain_verifies_and_shows_tampering(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let (_, other) = school(s, "Bestuur", "De Eik").await;
    let anna = add(s, sc, pupil("1", "Anna de Vries", None, None)).await; // 2
    let carla = add(s, sc, person("2", "Carla de Vries", Role::Parent)).await; // 3
    s.link_guardian(sc, carla.id, anna.id, &admin()).await.unwrap(); // 4
    s.record_consent(sc, &decision(anna.id, "social_media", ConsentAction::Give, Some(carla.id)), &admin())
        .await
        .unwrap(); // 5
    s.adopt_protocol(sc, "cvo-nwf", Some("2023"), &admin()).await.unwrap(); // 6
    add(s, other, pupil("1", "Iemand Anders", None, None)).await;

    let report = s.verify_audit(sc).await.unwrap();
    assert_eq!((report.entries, report.redacted, report.broken.clone()), (6, 0, None));
    let log = s.audit_log(sc, 0, 100).await.unwrap();
    assert_eq!(log.iter().map(|e| e.record.seq).collect::<Vec<_>>(), (1..=6).collect::<Vec<_>>());
    assert_eq!(log[0].record.prev_hash, magdit_store::audit::GENESIS);
    assert!(log.windows(2).all(|w| w[1].record.prev_hash == w[0].record.hash));
    assert_eq!(report.head.as_deref(), Some(log[5].record.hash.as_str()));
    assert_eq!(s.audit_log(sc, 4, 1).await.unwrap()[0].record.seq, 5);

    // The database refuses edits and deletions of the log.
    let id = sc.0;
    assert!(db.raw(&format!("UPDATE audit_log SET actor = 'x' WHERE school_id = {id} AND seq = 2")).await.is_err());
    assert!(db.raw(&format!("DELETE FROM audit_log WHERE school_id = {id} AND seq = 2")).await.is_err());

    // Someone with owner rights switches that off; verify still finds every kind of edit.
    match db.backend() {
        Backend::Sqlite => {
            db.raw("DROP TRIGGER audit_log_no_update").await.unwrap();
            db.raw("DROP TRIGGER audit_log_no_delete").await.unwrap();
        }
        Backend::Postgres => {
            db.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only").await.unwrap();
        }
    }
    let broken = |seq: i64, why: &'static str| async move {
        let r = s.verify_audit(sc).await.unwrap();
        let b = r.broken.unwrap_or_else(|| panic!("tampering with entry {seq} went unnoticed"));
        assert_eq!(b.seq, seq, "{}", b.reason);
        assert!(b.reason.contains(why), "{}", b.reason);
    };

    // A changed payload.
    let edit = format!(
        "UPDATE audit_log SET after_json = replace(after_json, 'Anna', 'Anne') WHERE school_id = {id} AND seq = 2"
    );
    assert_eq!(db.raw(&edit).await.unwrap(), 1);
    broken(2, "payload").await;
    db.raw(&format!(
        "UPDATE audit_log SET after_json = replace(after_json, 'Anne', 'Anna') WHERE school_id = {id} AND seq = 2"
    ))
    .await
    .unwrap();
    assert!(s.verify_audit(sc).await.unwrap().is_intact());

    // A changed actor.
    db.raw(&format!("UPDATE audit_log SET actor = 'account:intruder' WHERE school_id = {id} AND seq = 5"))
        .await
        .unwrap();
    broken(5, "hash differs").await;
    db.raw(&format!("UPDATE audit_log SET actor = 'account:admin' WHERE school_id = {id} AND seq = 5")).await.unwrap();
    assert!(s.verify_audit(sc).await.unwrap().is_intact());

    // A changed payload digest (to match a forged payload) breaks the hash.
    let digest =
        &db.raw_rows(&format!("SELECT payload_sha256 FROM audit_log WHERE school_id = {id} AND seq = 3")).await[0][0];
    db.raw(&format!("UPDATE audit_log SET payload_sha256 = '{}' WHERE school_id = {id} AND seq = 3", "0".repeat(64)))
        .await
        .unwrap();
    broken(3, "").await;
    db.raw(&format!("UPDATE audit_log SET payload_sha256 = '{digest}' WHERE school_id = {id} AND seq = 3"))
        .await
        .unwrap();
    assert!(s.verify_audit(sc).await.unwrap().is_intact());

    // A deleted entry.
    db.raw(&format!("DELETE FROM audit_log WHERE school_id = {id} AND seq = 4")).await.unwrap();
    broken(5, "missing").await;
    // The other school's chain is untouched by all this.
    assert!(s.verify_audit(other).await.unwrap().is_intact());
}

async fn redaction_keeps_the_chain_intact(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let anna = add(s, sc, pupil("1", "Anna de Vries", None, Some("5A"))).await;
    add(s, sc, pupil("1", "Anna de Vries", None, Some("6A"))).await;
    add(s, sc, pupil("2", "Bram", None, None)).await;
    let id = anna.id.to_string();
    assert_eq!(s.redact_audit(sc, "person", &id, &admin()).await.unwrap(), 2);
    let about = s.audit_of(sc, "person", &id).await.unwrap();
    assert_eq!(about.len(), 2);
    assert!(about.iter().all(|e| e.record.before.is_none() && e.record.after.is_none() && e.record.redacted_at.is_some()));
    let report = s.verify_audit(sc).await.unwrap();
    assert!(report.is_intact(), "{:?}", report.broken);
    assert_eq!((report.entries, report.redacted), (5, 2)); // school, Anna twice, Bram, the erasure
    let last = s.audit_log(sc, 4, 1).await.unwrap();
    assert_eq!((last[0].record.entity.as_str(), last[0].record.action.as_str()), ("audit", "redact"));
    // Erasing again finds nothing more.
    assert_eq!(s.redact_audit(sc, "person", &id, &admin()).await.unwrap(), 0);
}

async fn concurrent_writers_keep_one_chain(db: Db) {
    let s = db.store.clone();
    let (_, a) = school(&s, "Bestuur", "De Linde").await;
    let (_, b) = school(&s, "Bestuur", "De Eik").await;
    let mut tasks = Vec::new();
    for t in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                let school = if t % 2 == 0 { a } else { b };
                let input = pupil(&format!("{t}-{i}"), &format!("Leerling {t}-{i}"), None, None);
                s.upsert_person(school, &input, &admin()).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    for school in [a, b] {
        let report = s.verify_audit(school).await.unwrap();
        assert!(report.is_intact(), "{:?}", report.broken);
        assert_eq!(report.entries, 41);
        assert_eq!(s.school(school).await.unwrap().revision, 40);
        assert_eq!(s.people(school, &PeopleFilter::default(), 100, None).await.unwrap().items.len(), 40);
    }
}

async fn protocol_adoption_and_boards(db: Db) {
    let s = &db.store;
    let (board, sc) = school(s, "Stichting LVO", "Het Lyceum").await;
    assert_eq!(s.school(sc).await.unwrap().protocol, None);
    let adopted = s.adopt_protocol(sc, "lvo", None, &admin()).await.unwrap();
    assert_eq!(adopted.protocol.as_ref().map(|p| p.id.as_str()), Some("lvo"));
    let again = s.adopt_protocol(sc, "cvo-nwf", Some("2023-05"), &admin()).await.unwrap().protocol.unwrap();
    assert_eq!((again.id.as_str(), again.version.as_deref()), ("cvo-nwf", Some("2023-05")));
    assert!(matches!(
        s.adopt_protocol(sc, "../etc", None, &admin()).await,
        Err(Error::Invalid { field: "protocol.id", .. })
    ));
    assert_not_found(s.adopt_protocol(SchoolId(424_242), "lvo", None, &admin()).await, "school");
    let history = s.audit_of(sc, "school", &sc.to_string()).await.unwrap();
    assert_eq!(
        history.iter().map(|e| e.record.action.as_str()).collect::<Vec<_>>(),
        vec!["create", "adopt_protocol", "adopt_protocol"]
    );

    // Names are unique per board; BRIN codes are checked.
    assert_conflict(s.create_board("Stichting LVO").await);
    let dup = NewSchool { name: "Het Lyceum".into(), brin: None, renewal: RenewalPolicy::OnPurposeChange };
    assert_conflict(s.create_school(board, &dup, &admin()).await);
    let brin = NewSchool { name: "Tweede".into(), brin: Some("12ab".into()), renewal: RenewalPolicy::OnPurposeChange };
    assert_eq!(s.create_school(board, &brin, &admin()).await.unwrap().brin.as_deref(), Some("12AB"));
    let bad = NewSchool { name: "Derde".into(), brin: Some("ABCD".into()), renewal: RenewalPolicy::OnPurposeChange };
    assert!(matches!(s.create_school(board, &bad, &admin()).await, Err(Error::Invalid { field: "school.brin", .. })));
    assert_not_found(s.create_school(BoardId(424_242), &brin, &admin()).await, "board");
    assert_eq!(s.board(board).await.unwrap().name, "Stichting LVO");
    assert_eq!(s.purposes(sc).await.unwrap().len(), 5);
}
