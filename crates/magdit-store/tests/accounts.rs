//! Accounts, grants, sessions, OIDC, stored checks, retention and the AVG rights, each test
//! run on SQLite and on PostgreSQL (see `common`).

mod common;

use common::{admin, school, Db};
use magdit_store::*;
use time::{Duration, OffsetDateTime};

on_both_stores!(
    accounts_and_passwords,
    grants_need_the_right_person_in_the_right_school,
    account_changes_are_audited_in_every_scope,
    board_chain_verifies_and_shows_tampering,
    school_accounts_page_and_stay_in_their_school,
    revoking_the_last_grant_disables,
    sessions_and_tokens,
    sessions_expire_and_end,
    oidc_links_only_existing_accounts,
    stored_checks,
    retention_purges_what_is_past_its_period,
    retention_of_sessions_follows_the_shortest_school,
    export_a_person,
    erase_a_guardian,
    erase_a_pupil_and_keep_accounts_used_elsewhere,
    every_table_is_classified,
);

const PASSWORD: &str = "correct horse battery";

fn person(external_id: &str, name: &str, role: Role) -> PersonInput {
    PersonInput { external_id: external_id.into(), name: name.into(), role, date_of_birth: None, group: None }
}

async fn add(store: &Store, school: SchoolId, input: PersonInput) -> Person {
    store.upsert_person(school, &input, &admin()).await.unwrap().person
}

fn new_account(email: &str, password: Option<&str>) -> NewAccount {
    NewAccount { email: email.into(), name: format!("Naam van {email}"), password: password.map(Into::into) }
}

async fn account(s: &Store, email: &str, grant: Grant) -> Account {
    s.create_account(&new_account(email, Some(PASSWORD)), &grant, &admin()).await.unwrap()
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

#[track_caller]
fn assert_unauthenticated<T: std::fmt::Debug>(r: Result<T>) {
    match r {
        Err(Error::Unauthenticated) => {}
        other => panic!("expected Unauthenticated, got {other:?}"),
    }
}

fn check(account: AccountId, save: bool) -> NewCheck {
    NewCheck {
        account,
        protocol: "lvo".into(),
        protocol_version: Some("2024".into()),
        outcome: "not_allowed".into(),
        verdict: r#"{"outcome":"not_allowed","findings":[]}"#.into(),
        facts: r#"{"names_people":true}"#.into(),
        text: Some("Kijk Anna de Vries uit 3B eens struikelen".into()),
        situation: Some(r#"{"action":"post","text":"Kijk Anna de Vries uit 3B eens struikelen"}"#.into()),
        save,
    }
}

/// Every audit payload of a school's chain, concatenated.
async fn payloads(s: &Store, school: SchoolId) -> String {
    s.audit_log(school, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.record.before.unwrap_or_default(), e.record.after.unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn accounts_and_passwords(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let anna = account(s, "Anna.Jansen@Linde.nl", Grant::SchoolAdmin { school: sc }).await;
    assert_eq!((anna.email.as_str(), anna.has_password, anna.disabled_at), ("Anna.Jansen@Linde.nl", true, None));

    // Any case of the address signs in; nothing else does, and the answers do not differ.
    assert_eq!(s.verify_password("anna.jansen@linde.NL", PASSWORD).await.unwrap().id, anna.id);
    assert_unauthenticated(s.verify_password("anna.jansen@linde.nl", "correct horse batteryy").await);
    assert_unauthenticated(s.verify_password("anna.jansen@linde.nl", "").await);
    assert_unauthenticated(s.verify_password("nobody@linde.nl", PASSWORD).await);
    assert_unauthenticated(s.verify_password("not an address", PASSWORD).await);
    assert_unauthenticated(s.verify_password("anna.jansen@linde.nl", &"x".repeat(10_000)).await);
    assert_eq!(
        s.verify_password("nobody@linde.nl", "x").await.unwrap_err().to_string(),
        s.verify_password("anna.jansen@linde.nl", "x").await.unwrap_err().to_string()
    );

    // Stored as an argon2id PHC string with a salt of its own, never as the password.
    let hashes = db.raw_rows("SELECT password_hash FROM accounts").await;
    assert!(hashes[0][0].starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{hashes:?}");
    assert!(!hashes[0][0].contains(PASSWORD));

    // One account per address, whatever its case; inputs are bounded.
    assert_conflict(
        s.create_account(&new_account("ANNA.JANSEN@linde.nl", None), &Grant::Employee { school: sc }, &admin()).await,
    );
    let invalid = |r: Result<Account>, field: &str| match r {
        Err(Error::Invalid { field: f, .. }) if f == field => {}
        other => panic!("expected invalid {field}, got {other:?}"),
    };
    let employee = Grant::Employee { school: sc };
    invalid(s.create_account(&new_account("b@linde.nl", Some("kort")), &employee, &admin()).await, "password");
    invalid(
        s.create_account(&new_account("b@linde.nl", Some(&"x".repeat(300))), &employee, &admin()).await,
        "password",
    );
    invalid(
        s.create_account(&new_account(&format!("{}@linde.nl", "b".repeat(250)), None), &employee, &admin()).await,
        "email",
    );
    invalid(s.create_account(&new_account("geen-adres", None), &employee, &admin()).await, "email");
    invalid(
        s.create_account(&NewAccount { name: "x".repeat(201), ..new_account("b@linde.nl", None) }, &employee, &admin())
            .await,
        "account.name",
    );
    assert_not_found(
        s.create_account(&new_account("b@linde.nl", None), &Grant::Employee { school: SchoolId(999_999) }, &admin())
            .await,
        "school",
    );

    // An OIDC-only account has no password to sign in with.
    let bram = s.create_account(&new_account("bram@linde.nl", None), &employee, &admin()).await.unwrap();
    assert!(!bram.has_password);
    assert_unauthenticated(s.verify_password("bram@linde.nl", "").await);
    assert_unauthenticated(s.verify_password("bram@linde.nl", PASSWORD).await);

    // A disabled account does not sign in, even with the right password.
    s.disable_account(anna.id, &admin()).await.unwrap();
    assert!(s.account(anna.id).await.unwrap().is_disabled());
    assert_unauthenticated(s.verify_password("anna.jansen@linde.nl", PASSWORD).await);
    s.enable_account(anna.id, &admin()).await.unwrap();
    s.verify_password("anna.jansen@linde.nl", PASSWORD).await.unwrap();

    // A new password replaces the old one.
    s.set_password(anna.id, Some("een nieuw wachtwoord"), &admin()).await.unwrap();
    assert_unauthenticated(s.verify_password("anna.jansen@linde.nl", PASSWORD).await);
    s.verify_password("anna.jansen@linde.nl", "een nieuw wachtwoord").await.unwrap();
    s.set_password(anna.id, None, &admin()).await.unwrap();
    assert_unauthenticated(s.verify_password("anna.jansen@linde.nl", "een nieuw wachtwoord").await);
    assert_not_found(s.set_password(AccountId(999_999), Some(PASSWORD), &admin()).await, "account");

    // Audited in the school, without any hash or password.
    let log = s.audit_of(sc, "account", &anna.id.to_string()).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.record.action.as_str()).collect::<Vec<_>>(),
        vec!["create", "disable", "enable", "set_password", "remove_password"]
    );
    let all = payloads(s, sc).await;
    assert!(!all.contains("argon2") && !all.contains(PASSWORD), "{all}");
    assert!(s.verify_audit(sc).await.unwrap().is_intact());
}

async fn grants_need_the_right_person_in_the_right_school(db: Db) {
    let s = &db.store;
    let (_, a) = school(s, "Bestuur", "School A").await;
    let (_, b) = school(s, "Bestuur", "School B").await;
    let parent = add(s, a, person("g1", "Carla de Vries", Role::Parent)).await;
    let pupil = add(s, a, person("p1", "Anna de Vries", Role::Pupil)).await;
    let parent_b = add(s, b, person("g1", "Dirk Bakker", Role::Parent)).await;
    let carla = account(s, "carla@example.nl", Grant::Guardian { school: a, person: parent.id }).await;
    assert_eq!(s.grants(carla.id).await.unwrap(), vec![Grant::Guardian { school: a, person: parent.id }]);

    let other = account(s, "other@example.nl", Grant::Employee { school: a }).await;
    // A guardian grant names a parent of that school's roster; a pupil grant a pupil.
    let msg = assert_conflict(s.grant(other.id, &Grant::Guardian { school: a, person: pupil.id }, &admin()).await);
    assert!(msg.contains("parent"), "{msg}");
    assert_conflict(s.grant(other.id, &Grant::Pupil { school: a, person: parent.id }, &admin()).await);
    assert_not_found(s.grant(other.id, &Grant::Guardian { school: a, person: parent_b.id }, &admin()).await, "person");
    assert_not_found(s.grant(other.id, &Grant::Guardian { school: b, person: parent.id }, &admin()).await, "person");
    // A roster person is one account.
    let msg = assert_conflict(s.grant(other.id, &Grant::Guardian { school: a, person: parent.id }, &admin()).await);
    assert!(msg.contains("account"), "{msg}");
    assert_conflict(
        s.create_account(
            &new_account("x@example.nl", None),
            &Grant::Guardian { school: a, person: parent.id },
            &admin(),
        )
        .await,
    );
    // Unknown scopes and accounts.
    assert_not_found(s.grant(other.id, &Grant::BoardAdmin { board: BoardId(999_999) }, &admin()).await, "board");
    assert_not_found(s.grant(AccountId(999_999), &Grant::Employee { school: b }, &admin()).await, "account");

    // The right grants pass, once.
    assert!(s.grant(other.id, &Grant::Pupil { school: a, person: pupil.id }, &admin()).await.unwrap());
    assert!(!s.grant(other.id, &Grant::Pupil { school: a, person: pupil.id }, &admin()).await.unwrap());
    assert!(s.grant(other.id, &Grant::Guardian { school: b, person: parent_b.id }, &admin()).await.unwrap());
    assert!(s.revoke(other.id, &Grant::Pupil { school: a, person: pupil.id }, &admin()).await.unwrap());
    assert!(!s.revoke(other.id, &Grant::Pupil { school: a, person: pupil.id }, &admin()).await.unwrap());
    assert_eq!(
        s.grants(other.id).await.unwrap(),
        vec![Grant::Employee { school: a }, Grant::Guardian { school: b, person: parent_b.id }]
    );
    // Each grant is audited in its own school.
    let in_a = s.audit_of(a, "grant", &other.id.to_string()).await.unwrap();
    assert_eq!(in_a.iter().map(|e| e.record.action.as_str()).collect::<Vec<_>>(), vec!["create", "create", "remove"]);
    assert_eq!(s.audit_of(b, "grant", &other.id.to_string()).await.unwrap().len(), 1);
    for sc in [a, b] {
        assert!(s.verify_audit(sc).await.unwrap().is_intact());
    }
}

async fn account_changes_are_audited_in_every_scope(db: Db) {
    let s = &db.store;
    let (board, a) = school(s, "Bestuur", "School A").await;
    let (_, b) = school(s, "Bestuur", "School B").await;
    let (_, c) = school(s, "Bestuur", "School C").await;
    let acc = account(s, "juf@example.nl", Grant::Employee { school: a }).await;
    s.grant(acc.id, &Grant::Leidinggevende { school: b }, &admin()).await.unwrap();
    s.grant(acc.id, &Grant::BoardAdmin { board }, &admin()).await.unwrap();
    let board_entries = s.board_audit_log(board, 0, 100).await.unwrap();
    assert_eq!(
        board_entries.iter().map(|e| (e.record.entity.as_str(), e.record.action.as_str())).collect::<Vec<_>>(),
        vec![("grant", "create")]
    );
    assert!(board_entries[0].record.after.as_deref().unwrap().contains("board_admin"));

    s.set_password(acc.id, Some("iets anders dan eerst"), &admin()).await.unwrap();
    let id = acc.id.to_string();
    let actions = |entries: Vec<AuditEntry>| entries.into_iter().map(|e| e.record.action).collect::<Vec<_>>();
    assert_eq!(actions(s.audit_of(a, "account", &id).await.unwrap()), vec!["create", "set_password"]);
    assert_eq!(actions(s.audit_of(b, "account", &id).await.unwrap()), vec!["set_password"]);
    assert!(s.audit_of(c, "account", &id).await.unwrap().is_empty(), "a school the account has nothing to do with");
    let board_entries = s.board_audit_log(board, 0, 100).await.unwrap();
    assert_eq!(board_entries.last().map(|e| e.record.action.as_str()), Some("set_password"));
    assert!(s.verify_board_audit(board).await.unwrap().is_intact());
    for sc in [a, b, c] {
        assert!(s.verify_audit(sc).await.unwrap().is_intact());
    }

    // Many writers of one account and its schools at once keep every chain whole.
    let mut tasks = Vec::new();
    for t in 0..6 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..4 {
                match (t + i) % 3 {
                    0 => s.disable_account(acc.id, &admin()).await.map(|_| ()),
                    1 => s.enable_account(acc.id, &admin()).await.map(|_| ()),
                    _ => s.grant(acc.id, &Grant::Employee { school: c }, &admin()).await.map(|_| ()),
                }
                .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    for sc in [a, b, c] {
        assert!(s.verify_audit(sc).await.unwrap().is_intact());
    }
    assert!(s.verify_board_audit(board).await.unwrap().is_intact());
}

async fn board_chain_verifies_and_shows_tampering(db: Db) {
    let s = &db.store;
    let (board, sc) = school(s, "Bestuur", "School A").await;
    let (other_board, _) = school(s, "Ander bestuur", "School X").await;
    let acc = account(s, "bestuurder@example.nl", Grant::BoardAdmin { board }).await;
    s.disable_account(acc.id, &admin()).await.unwrap();
    s.enable_account(acc.id, &admin()).await.unwrap();
    let report = s.verify_board_audit(board).await.unwrap();
    assert_eq!((report.entries, report.broken.clone()), (4, None));
    let log = s.board_audit_log(board, 0, 100).await.unwrap();
    assert_eq!(log[0].record.prev_hash, audit::GENESIS);
    assert!(log.windows(2).all(|w| w[1].record.prev_hash == w[0].record.hash));
    assert_eq!(report.head.as_deref(), Some(log[3].record.hash.as_str()));
    assert!(s.board_audit_log(other_board, 0, 100).await.unwrap().is_empty());
    // Board changes stay out of the schools' chains.
    assert!(s.audit_of(sc, "account", &acc.id.to_string()).await.unwrap().is_empty());

    let id = board.0;
    assert!(db
        .raw(&format!("UPDATE board_audit_log SET actor = 'x' WHERE board_id = {id} AND seq = 2"))
        .await
        .is_err());
    assert!(db.raw(&format!("DELETE FROM board_audit_log WHERE board_id = {id}")).await.is_err());
    match db.backend() {
        Backend::Sqlite => {
            db.raw("DROP TRIGGER board_audit_log_no_update").await.unwrap();
            db.raw("DROP TRIGGER board_audit_log_no_delete").await.unwrap();
        }
        Backend::Postgres => {
            db.raw("ALTER TABLE board_audit_log DISABLE TRIGGER board_audit_log_append_only").await.unwrap();
        }
    }
    db.raw(&format!("UPDATE board_audit_log SET actor = 'account:intruder' WHERE board_id = {id} AND seq = 3"))
        .await
        .unwrap();
    let broken = s.verify_board_audit(board).await.unwrap().broken.expect("tampering went unnoticed");
    assert_eq!(broken.seq, 3, "{}", broken.reason);
    db.raw(&format!("UPDATE board_audit_log SET actor = 'account:admin' WHERE board_id = {id} AND seq = 3"))
        .await
        .unwrap();
    assert!(s.verify_board_audit(board).await.unwrap().is_intact());
    db.raw(&format!(
        "UPDATE board_audit_log SET after_json = replace(after_json, 'bestuurder', 'iemand') WHERE board_id = {id} AND seq = 1"
    ))
    .await
    .unwrap();
    assert!(s.verify_board_audit(board).await.unwrap().broken.unwrap().reason.contains("payload"));
    // A board entry copied into a school's chain does not verify there: the domain tags differ.
    db.raw(&format!(
        "UPDATE board_audit_log SET after_json = replace(after_json, 'iemand', 'bestuurder') WHERE board_id = {id} AND seq = 1"
    ))
    .await
    .unwrap();
    let school_seq = s.verify_audit(sc).await.unwrap().entries as i64 + 1;
    db.raw(&format!(
        "INSERT INTO audit_log (school_id, seq, at, actor, entity, entity_id, action, before_json, after_json, \
         payload_sha256, prev_hash, hash) SELECT {}, {school_seq}, at, actor, entity, entity_id, action, before_json, \
         after_json, payload_sha256, (SELECT hash FROM audit_log WHERE school_id = {} AND seq = {}), hash \
         FROM board_audit_log WHERE board_id = {id} AND seq = 1",
        sc.0,
        sc.0,
        school_seq - 1
    ))
    .await
    .unwrap();
    assert_eq!(s.verify_audit(sc).await.unwrap().broken.unwrap().seq, school_seq);
}

async fn school_accounts_page_and_stay_in_their_school(db: Db) {
    let s = &db.store;
    let (_, a) = school(s, "Bestuur", "School A").await;
    let (_, b) = school(s, "Bestuur", "School B").await;
    let mut made = Vec::new();
    for name in ["eva", "Bram", "dirk", "Anna", "carla"] {
        made.push(account(s, &format!("{name}@a.nl"), Grant::Employee { school: a }).await);
    }
    let only_b = account(s, "zoe@b.nl", Grant::Employee { school: b }).await;
    // Anna also works at B: A sees only her grants in A.
    s.grant(made[3].id, &Grant::SchoolAdmin { school: b }, &admin()).await.unwrap();

    let mut seen = Vec::new();
    let mut cursor: Option<AccountCursor> = None;
    loop {
        let page = s.school_accounts(a, 2, cursor.as_ref()).await.unwrap();
        assert!(page.items.len() <= 2);
        for item in &page.items {
            assert!(item.grants.iter().all(|g| g.school() == Some(a)), "{item:?}");
            seen.push(item.account.email.clone());
        }
        match page.next {
            Some(next) => cursor = Some(next.to_string().parse().unwrap()),
            None => break,
        }
    }
    assert_eq!(seen, vec!["Anna@a.nl", "Bram@a.nl", "carla@a.nl", "dirk@a.nl", "eva@a.nl"]);
    assert_eq!(s.school_account(a, made[3].id).await.unwrap().grants, vec![Grant::Employee { school: a }]);
    assert_eq!(s.school_account(b, made[3].id).await.unwrap().grants, vec![Grant::SchoolAdmin { school: b }]);
    // Cross-school access is NotFound.
    assert_not_found(s.school_account(a, only_b.id).await, "account");
    assert_not_found(s.school_account(b, made[0].id).await, "account");
    assert!(matches!(s.school_accounts(a, 0, None).await, Err(Error::Invalid { field: "limit", .. })));
    assert_eq!(s.school_accounts(b, 10, None).await.unwrap().items.len(), 2);
}

async fn revoking_the_last_grant_disables(db: Db) {
    let s = &db.store;
    let (_, a) = school(s, "Bestuur", "School A").await;
    let acc = account(s, "weg@a.nl", Grant::Employee { school: a }).await;
    let session = s.create_session(acc.id, &NewSession::Browser, SessionPolicy::browser()).await.unwrap();
    s.authenticate(&session.token).await.unwrap();
    assert!(s.revoke(acc.id, &Grant::Employee { school: a }, &admin()).await.unwrap());
    assert!(s.account(acc.id).await.unwrap().is_disabled());
    assert_unauthenticated(s.authenticate(&session.token).await);
    assert_unauthenticated(s.verify_password("weg@a.nl", PASSWORD).await);
    // Nothing can change it unaudited now.
    assert_conflict(s.enable_account(acc.id, &admin()).await);
    assert_conflict(s.set_password(acc.id, Some("nog een wachtwoord"), &admin()).await);
    let log = s.audit_of(a, "account", &acc.id.to_string()).await.unwrap();
    assert_eq!(log.last().map(|e| e.record.action.as_str()), Some("disable"));
    // A new grant brings it back once enabled.
    s.grant(acc.id, &Grant::Employee { school: a }, &admin()).await.unwrap();
    s.enable_account(acc.id, &admin()).await.unwrap();
    s.verify_password("weg@a.nl", PASSWORD).await.unwrap();
}

async fn sessions_and_tokens(db: Db) {
    let s = &db.store;
    let (board, a) = school(s, "Bestuur", "School A").await;
    let acc = account(s, "juf@a.nl", Grant::Employee { school: a }).await;
    s.grant(acc.id, &Grant::BoardAdmin { board }, &admin()).await.unwrap();
    let created = s.create_session(acc.id, &NewSession::Browser, SessionPolicy::browser()).await.unwrap();
    assert_eq!(created.token.len(), 43);
    let csrf = created.csrf_token.clone().unwrap();
    assert_ne!(csrf, created.token);
    assert!(!format!("{created:?}").contains(&created.token), "Debug shows no secret");

    // Only the SHA-256 is stored; no column holds the token.
    let rows = db.raw_rows("SELECT token_sha256, csrf_token, kind FROM sessions").await;
    assert_eq!(rows.len(), 1);
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(created.token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(rows[0][0], digest);
    assert!(rows[0].iter().all(|v| !v.contains(&created.token)));

    let who = s.authenticate(&created.token).await.unwrap();
    assert_eq!(who.account.id, acc.id);
    assert_eq!(who.grants, vec![Grant::BoardAdmin { board }, Grant::Employee { school: a }]);
    assert_eq!(who.session.kind, SessionKind::Browser);
    assert!(who.csrf_matches(&csrf));
    assert!(!who.csrf_matches(&created.token));
    assert!(!who.csrf_matches(""));

    let api = s
        .create_session(acc.id, &NewSession::ApiToken { name: "rooster-koppeling".into() }, SessionPolicy::api_token())
        .await
        .unwrap();
    assert_eq!(api.csrf_token, None);
    let by_token = s.authenticate(&api.token).await.unwrap();
    assert_eq!((by_token.session.name.as_deref(), by_token.session.idle_expires_at), (Some("rooster-koppeling"), None));
    assert!(!by_token.csrf_matches(""), "an API token has no CSRF token");
    assert!(by_token.session.expires_at > OffsetDateTime::now_utc() + Duration::days(89));
    assert!(matches!(
        s.create_session(acc.id, &NewSession::ApiToken { name: " ".into() }, SessionPolicy::api_token()).await,
        Err(Error::Invalid { field: "session.name", .. })
    ));

    // Unknown and malformed tokens.
    assert_unauthenticated(s.authenticate("").await);
    assert_unauthenticated(s.authenticate("not a token at all").await);
    assert_unauthenticated(s.authenticate(&"A".repeat(43)).await);
    assert_unauthenticated(s.authenticate(&digest).await);

    // Listing shows metadata; revoking one ends it; another account cannot revoke it.
    let listed = s.sessions(acc.id).await.unwrap();
    assert_eq!(listed.iter().map(|x| x.id).collect::<Vec<_>>(), vec![api.session.id, created.session.id]);
    let stranger = account(s, "ander@a.nl", Grant::Employee { school: a }).await;
    assert_not_found(s.revoke_session(stranger.id, api.session.id).await, "session");
    s.authenticate(&api.token).await.unwrap();
    assert!(s.revoke_session(acc.id, api.session.id).await.unwrap());
    assert!(!s.revoke_session(acc.id, api.session.id).await.unwrap());
    assert_unauthenticated(s.authenticate(&api.token).await);
    // Sign-out by token; then every session of an account.
    assert!(s.revoke_token(&created.token).await.unwrap());
    assert_unauthenticated(s.authenticate(&created.token).await);
    let one = s.create_session(acc.id, &NewSession::Browser, SessionPolicy::browser()).await.unwrap();
    let two = s.create_session(acc.id, &NewSession::Browser, SessionPolicy::browser()).await.unwrap();
    let kept = s.create_session(stranger.id, &NewSession::Browser, SessionPolicy::browser()).await.unwrap();
    assert_eq!(s.revoke_sessions(acc.id).await.unwrap(), 2);
    assert_unauthenticated(s.authenticate(&one.token).await);
    assert_unauthenticated(s.authenticate(&two.token).await);
    s.authenticate(&kept.token).await.unwrap();
}

async fn sessions_expire_and_end(db: Db) {
    let s = &db.store;
    let (_, a) = school(s, "Bestuur", "School A").await;
    let acc = account(s, "juf@a.nl", Grant::Employee { school: a }).await;
    let new = || s.create_session(acc.id, &NewSession::Browser, SessionPolicy::browser());

    // Past its absolute expiry.
    let absolute = new().await.unwrap();
    db.raw(&format!("UPDATE sessions SET expires_at = created_at WHERE id = {}", absolute.session.id)).await.unwrap();
    assert_unauthenticated(s.authenticate(&absolute.token).await);
    // Idle too long.
    let idle = new().await.unwrap();
    db.raw(&format!("UPDATE sessions SET idle_expires_at = created_at WHERE id = {}", idle.session.id)).await.unwrap();
    assert_unauthenticated(s.authenticate(&idle.token).await);

    // Use moves the idle expiry along (at most once a minute), never past the absolute one.
    let used = new().await.unwrap();
    db.raw(&format!(
        "UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00Z', idle_expires_at = '2999-01-01T00:00:00Z' WHERE id = {}",
        used.session.id
    ))
    .await
    .unwrap();
    let before = OffsetDateTime::now_utc();
    let who = s.authenticate(&used.token).await.unwrap();
    assert!(who.session.last_seen_at >= before - Duration::seconds(1));
    let idle_until = who.session.idle_expires_at.unwrap();
    assert!(
        idle_until <= before + Duration::hours(2) + Duration::seconds(5)
            && idle_until >= before + Duration::minutes(119)
    );
    let stored = s.sessions(acc.id).await.unwrap().into_iter().find(|x| x.id == used.session.id).unwrap();
    assert_eq!(stored.idle_expires_at, Some(idle_until));
    assert_eq!(stored.last_seen_at, who.session.last_seen_at);

    // A disabled account's sessions do not let it in, even if somehow not revoked.
    let raw = new().await.unwrap();
    db.raw(&format!("UPDATE accounts SET disabled_at = created_at WHERE id = {}", acc.id)).await.unwrap();
    assert_unauthenticated(s.authenticate(&raw.token).await);
    db.raw(&format!("UPDATE accounts SET disabled_at = NULL WHERE id = {}", acc.id)).await.unwrap();
    s.authenticate(&raw.token).await.unwrap();
    // Disabling ends them, and it gets no new ones.
    let live = new().await.unwrap();
    s.authenticate(&live.token).await.unwrap();
    s.disable_account(acc.id, &admin()).await.unwrap();
    assert_unauthenticated(s.authenticate(&live.token).await);
    assert_unauthenticated(new().await);
    // Enabling does not bring old sessions back.
    s.enable_account(acc.id, &admin()).await.unwrap();
    assert_unauthenticated(s.authenticate(&live.token).await);
    assert_not_found(
        s.create_session(AccountId(999_999), &NewSession::Browser, SessionPolicy::browser()).await,
        "account",
    );
    assert!(matches!(
        s.create_session(acc.id, &NewSession::Browser, SessionPolicy { idle: None, absolute: Duration::days(1000) })
            .await,
        Err(Error::Invalid { .. })
    ));
}

async fn oidc_links_only_existing_accounts(db: Db) {
    let s = &db.store;
    let (_, a) = school(s, "Bestuur", "School A").await;
    let acc = account(s, "Meester.Kees@a.nl", Grant::Employee { school: a }).await;
    let login = |subject: &str, email: Option<&str>, verified: bool| OidcLogin {
        issuer: "https://login.microsoftonline.com/tenant/v2.0".into(),
        subject: subject.into(),
        email: email.map(Into::into),
        email_verified: verified,
    };
    let accounts = db.raw_i64("SELECT COUNT(*) FROM accounts").await;

    // Never an account from a login.
    assert_unauthenticated(s.find_or_link_oidc(&login("sub-new", Some("nieuw@a.nl"), true)).await);
    assert_unauthenticated(s.find_or_link_oidc(&login("sub-new", None, true)).await);
    // An unverified address links nothing.
    assert_unauthenticated(s.find_or_link_oidc(&login("sub-1", Some("meester.kees@a.nl"), false)).await);
    assert_eq!(db.raw_i64("SELECT COUNT(*) FROM accounts").await, accounts);
    assert_eq!(db.raw_i64("SELECT COUNT(*) FROM oidc_identities").await, 0);

    // A verified address links to its account (any case); the identity then finds it alone.
    assert_eq!(s.find_or_link_oidc(&login("sub-1", Some("meester.kees@A.NL"), true)).await.unwrap().id, acc.id);
    assert_eq!(s.find_or_link_oidc(&login("sub-1", Some("ander@a.nl"), false)).await.unwrap().id, acc.id);
    let ids = s.oidc_identities(acc.id).await.unwrap();
    assert_eq!(ids.iter().map(|i| i.subject.as_str()).collect::<Vec<_>>(), vec!["sub-1"]);
    let log = s.audit_of(a, "account", &acc.id.to_string()).await.unwrap();
    assert_eq!(log.last().map(|e| e.record.action.as_str()), Some("link_oidc"));
    assert!(!log.last().unwrap().record.after.as_deref().unwrap().contains("sub-1"), "no subject in the audit log");

    // A disabled account does not sign in through OIDC either, nor links.
    s.disable_account(acc.id, &admin()).await.unwrap();
    assert_unauthenticated(s.find_or_link_oidc(&login("sub-1", None, false)).await);
    assert_unauthenticated(s.find_or_link_oidc(&login("sub-2", Some("meester.kees@a.nl"), true)).await);
    s.enable_account(acc.id, &admin()).await.unwrap();
    assert!(s.unlink_oidc(acc.id, "https://login.microsoftonline.com/tenant/v2.0", "sub-1", &admin()).await.unwrap());
    assert_unauthenticated(s.find_or_link_oidc(&login("sub-1", None, false)).await);
    assert!(matches!(
        s.find_or_link_oidc(&login(&"s".repeat(300), None, false)).await,
        Err(Error::Invalid { field: "oidc.subject", .. })
    ));
    assert!(s.verify_audit(a).await.unwrap().is_intact());
}

async fn stored_checks(db: Db) {
    let s = &db.store;
    let (board, a) = school(s, "Bestuur", "School A").await;
    let (_, b) = school(s, "Bestuur", "School B").await;
    let juf = account(s, "juf@a.nl", Grant::Employee { school: a }).await;
    let other = account(s, "meester@b.nl", Grant::Employee { school: b }).await;
    let bestuur = account(s, "bestuur@a.nl", Grant::BoardAdmin { board }).await;

    let unsaved = s.store_check(a, &check(juf.id, false)).await.unwrap();
    assert_eq!((unsaved.saved, unsaved.text.as_deref(), unsaved.situation.as_deref()), (false, None, None));
    let saved = s.store_check(a, &check(juf.id, true)).await.unwrap();
    assert!(saved.saved && saved.text.as_deref().unwrap().contains("Anna"));
    assert_eq!(s.check(a, saved.id).await.unwrap(), saved);
    let json = serde_json::to_value(&saved).unwrap();
    assert_eq!(json["verdict"]["outcome"], "not_allowed");
    assert_eq!(json["situation"]["action"], "post");
    s.store_check(a, &check(bestuur.id, false)).await.unwrap();

    // Tenancy: another school's check or account is NotFound.
    assert_not_found(s.check(b, saved.id).await, "check");
    assert_not_found(s.store_check(a, &check(other.id, false)).await, "account");
    assert_not_found(s.store_check(SchoolId(999_999), &check(juf.id, false)).await, "school");
    // Inputs are checked.
    let bad = |f: fn(&mut NewCheck)| {
        let mut c = check(juf.id, true);
        f(&mut c);
        c
    };
    for (c, field) in [
        (bad(|c| c.verdict = "{".into()), "check.verdict"),
        (bad(|c| c.facts = format!("\"{}\"", "x".repeat(300_000))), "check.facts"),
        (bad(|c| c.text = Some("x".repeat(20_001))), "check.text"),
        (bad(|c| c.situation = Some("nee".into())), "check.situation"),
        (bad(|c| c.protocol = "../x".into()), "check.protocol"),
        (bad(|c| c.outcome = "Mag Niet".into()), "check.outcome"),
    ] {
        match s.store_check(a, &c).await {
            Err(Error::Invalid { field: f, .. }) if f == field => {}
            other => panic!("expected invalid {field}, got {other:?}"),
        }
    }
    // Unsaved checks keep nothing of the text, not even in the audit log.
    s.disable_account(other.id, &admin()).await.unwrap();
    let all = payloads(s, a).await;
    assert!(!all.contains("Anna") && !all.contains("struikelen"), "{all}");

    // Lists: newest first, paged, per account.
    for _ in 0..4 {
        s.store_check(a, &check(juf.id, false)).await.unwrap();
    }
    let mut ids = Vec::new();
    let mut before = None;
    loop {
        let page = s.checks(a, None, 3, before).await.unwrap();
        ids.extend(page.items.iter().map(|c| c.id));
        match page.next {
            Some(n) => before = Some(n),
            None => break,
        }
    }
    assert_eq!(ids.len(), 7);
    assert!(ids.windows(2).all(|w| w[0] > w[1]));
    let mine = s.checks(a, Some(bestuur.id), 100, None).await.unwrap();
    assert_eq!(mine.items.len(), 1);
    let listed = s.checks(a, None, 100, None).await.unwrap().items;
    assert!(listed.iter().find(|c| c.id == saved.id).unwrap().has_text);
    assert!(!listed.iter().find(|c| c.id == unsaved.id).unwrap().has_text);
    assert!(s.checks(b, None, 100, None).await.unwrap().items.is_empty());
    // A check is a record of use, not a change: not audited, and the school's revision (which
    // readers cache the roster by) does not move.
    assert_eq!(s.audit_log(a, 0, 1000).await.unwrap().iter().filter(|e| e.record.entity == "check").count(), 0);
    let revision = s.school(a).await.unwrap().revision;
    s.store_checks(&[(a, check(juf.id, false)), (a, check(juf.id, true))]).await.unwrap();
    assert_eq!(s.school(a).await.unwrap().revision, revision);
    assert_eq!(s.checks(a, None, 100, None).await.unwrap().items.len(), 9);
    assert!(s.verify_audit(a).await.unwrap().is_intact());
}

async fn retention_purges_what_is_past_its_period(db: Db) {
    let s = &db.store;
    let (_, a) = school(s, "Bestuur", "School A").await;
    let (_, b) = school(s, "Bestuur", "School B").await;
    let juf = account(s, "juf@a.nl", Grant::Employee { school: a }).await;
    let meester = account(s, "meester@b.nl", Grant::Employee { school: b }).await;
    assert_eq!(s.retention(a).await.unwrap(), RetentionPolicy::default());
    assert_eq!(
        RetentionPolicy::default(),
        RetentionPolicy { checks_days: 365, check_texts_days: 30, sessions_days: 90, audit_payloads_days: 730 }
    );
    assert_not_found(s.retention(SchoolId(999_999)).await, "school");
    // B keeps texts a week and checks a month.
    let short = RetentionPolicy { checks_days: 31, check_texts_days: 7, ..Default::default() };
    assert_eq!(s.set_retention(b, &short, &admin()).await.unwrap(), short);
    assert_eq!(s.retention(b).await.unwrap(), short);
    assert!(matches!(
        s.set_retention(b, &RetentionPolicy { check_texts_days: 0, ..short }, &admin()).await,
        Err(Error::Invalid { field: "retention.check_texts_days", .. })
    ));
    assert_eq!(s.audit_of(b, "retention", &b.to_string()).await.unwrap().len(), 1);

    let in_a = s.store_check(a, &check(juf.id, true)).await.unwrap();
    let in_b = s.store_check(b, &check(meester.id, true)).await.unwrap();
    let now = OffsetDateTime::now_utc();

    // Nothing is due yet.
    let report = s.purge_expired(now).await.unwrap();
    assert!(report.schools.is_empty(), "{report:?}");
    assert_eq!(s.check(a, in_a.id).await.unwrap(), in_a);

    // After 8 days B's text is gone, A's kept.
    let report = s.purge_expired(now + Duration::days(8)).await.unwrap();
    assert_eq!(report.schools, vec![SchoolPurge { school: b, checks: 0, check_texts: 1, audit_payloads: 0 }]);
    let blanked = s.check(b, in_b.id).await.unwrap();
    assert_eq!((blanked.text, blanked.situation, blanked.saved), (None, None, true));
    assert!(blanked.text_purged_at.is_some());
    assert_eq!(blanked.verdict, in_b.verdict);
    assert!(s.check(a, in_a.id).await.unwrap().text.is_some());
    // Running it again does nothing more.
    assert!(s.purge_expired(now + Duration::days(8)).await.unwrap().schools.is_empty());

    // After 31 days A's text goes too, and B's checks.
    s.purge_expired(now + Duration::days(32)).await.unwrap();
    assert!(s.check(a, in_a.id).await.unwrap().text.is_none());
    assert_not_found(s.check(b, in_b.id).await, "check");
    // After a year A's check goes.
    s.purge_expired(now + Duration::days(366)).await.unwrap();
    assert_not_found(s.check(a, in_a.id).await, "check");

    // After two years every audit payload of before then is erased; the chains still verify,
    // and each purge is itself recorded (with counts only).
    let report = s.purge_expired(now + Duration::days(731)).await.unwrap();
    assert!(report.schools.iter().all(|p| p.audit_payloads > 0), "{report:?}");
    for sc in [a, b] {
        let v = s.verify_audit(sc).await.unwrap();
        assert!(v.is_intact(), "{:?}", v.broken);
        assert!(v.redacted > 0);
        let log = s.audit_log(sc, 0, 1000).await.unwrap();
        let last = log.last().unwrap();
        assert_eq!(
            (last.record.entity.as_str(), last.record.action.as_str(), last.record.actor.as_str()),
            ("retention", "purge", "system:retention")
        );
        assert!(log[..log.len() - 1].iter().all(|e| e.record.before.is_none() && e.record.after.is_none()));
    }
}

async fn retention_of_sessions_follows_the_shortest_school(db: Db) {
    let s = &db.store;
    let (board, a) = school(s, "Bestuur", "School A").await;
    let (_, b) = school(s, "Bestuur", "School B").await;
    s.set_retention(b, &RetentionPolicy { sessions_days: 7, ..Default::default() }, &admin()).await.unwrap();
    let in_a = account(s, "a@a.nl", Grant::Employee { school: a }).await;
    let in_both = account(s, "ab@a.nl", Grant::Employee { school: a }).await;
    s.grant(in_both.id, &Grant::Employee { school: b }, &admin()).await.unwrap();
    let on_board = account(s, "bestuur@a.nl", Grant::BoardAdmin { board }).await;
    let mut tokens = Vec::new();
    for acc in [&in_a, &in_both, &on_board] {
        let ended = s.create_session(acc.id, &NewSession::Browser, SessionPolicy::browser()).await.unwrap();
        s.revoke_token(&ended.token).await.unwrap();
        let live = s
            .create_session(acc.id, &NewSession::ApiToken { name: "t".into() }, SessionPolicy::api_token())
            .await
            .unwrap();
        tokens.push(live.token);
    }
    let count = |id: AccountId| {
        let db = db.clone();
        async move { db.raw_i64(&format!("SELECT COUNT(*) FROM sessions WHERE account_id = {id}")).await }
    };
    let now = OffsetDateTime::now_utc();
    // 8 days on: only the account at B (7 days) loses its ended session.
    let report = s.purge_expired(now + Duration::days(8)).await.unwrap();
    assert_eq!(report.sessions, 1);
    assert_eq!((count(in_a.id).await, count(in_both.id).await, count(on_board.id).await), (2, 1, 2));
    // 91 days on: every ended session is gone; the live API tokens (90 days) ended a day ago
    // and stay until their own period has passed.
    s.purge_expired(now + Duration::days(91)).await.unwrap();
    assert_eq!((count(in_a.id).await, count(in_both.id).await, count(on_board.id).await), (1, 1, 1));
    s.purge_expired(now + Duration::days(200)).await.unwrap();
    assert_eq!((count(in_a.id).await, count(in_both.id).await, count(on_board.id).await), (0, 0, 0));
    let report = s.purge_expired(now + Duration::days(731)).await.unwrap();
    assert_eq!(report.board_audit_payloads.iter().map(|(b, _)| *b).collect::<Vec<_>>(), vec![board]);
    assert!(s.verify_board_audit(board).await.unwrap().is_intact());
}

/// A school with a pupil, a guardian with an account, a decision, a session, an identity
/// and checks.
struct Family {
    school: SchoolId,
    other: SchoolId,
    pupil: Person,
    guardian: Person,
    sibling: Person,
    account: Account,
}

async fn family(s: &Store) -> Family {
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let (_, other) = school(s, "Bestuur", "De Eik").await;
    let pupil = add(s, sc, person("p1", "Anna de Vries", Role::Pupil)).await;
    let sibling = add(s, sc, person("p2", "Bram de Vries", Role::Pupil)).await;
    let guardian = add(s, sc, person("g1", "Carla de Vries", Role::Parent)).await;
    s.link_guardian(sc, guardian.id, pupil.id, &admin()).await.unwrap();
    s.link_guardian(sc, guardian.id, sibling.id, &admin()).await.unwrap();
    let decision = Decision {
        pupil: pupil.id,
        purpose: "social_media".into(),
        action: ConsentAction::Give,
        decided_by: Some(guardian.id),
        channel: Channel::Web,
        decided_at: None,
    };
    s.record_consent(sc, &decision, &admin()).await.unwrap();
    s.record_consent(sc, &Decision { pupil: sibling.id, ..decision.clone() }, &admin()).await.unwrap();
    let account = s
        .create_account(
            &new_account("carla.devries@example.nl", Some(PASSWORD)),
            &Grant::Guardian { school: sc, person: guardian.id },
            &admin(),
        )
        .await
        .unwrap();
    s.create_session(account.id, &NewSession::Browser, SessionPolicy::browser()).await.unwrap();
    s.find_or_link_oidc(&OidcLogin {
        issuer: "https://idp.example.nl".into(),
        subject: "carla-123".into(),
        email: Some("carla.devries@example.nl".into()),
        email_verified: true,
    })
    .await
    .unwrap();
    s.store_check(sc, &check(account.id, true)).await.unwrap();
    Family { school: sc, other, pupil, guardian, sibling, account }
}

async fn export_a_person(db: Db) {
    let s = &db.store;
    let f = family(s).await;
    let g = s.export_person(f.school, f.guardian.id).await.unwrap();
    assert_eq!(g.person, f.guardian);
    assert_eq!(g.children.iter().map(|p| p.id).collect::<Vec<_>>(), vec![f.pupil.id, f.sibling.id]);
    assert!(g.guardians.is_empty() && g.consent_as_pupil.is_empty() && g.current_consent.is_empty());
    assert_eq!(g.consent_decided.len(), 2);
    assert_eq!(g.accounts.len(), 1);
    let acc = &g.accounts[0];
    assert_eq!(acc.account.id, f.account.id);
    assert_eq!(acc.grants, vec![Grant::Guardian { school: f.school, person: f.guardian.id }]);
    assert_eq!((acc.sessions.len(), acc.oidc_identities.len()), (1, 1));
    assert_eq!(g.checks.len(), 1);
    let about: Vec<(&str, &str)> = g.audit.iter().map(|e| (e.record.entity.as_str(), e.record.action.as_str())).collect();
    for expected in [
        ("person", "create"),
        ("guardian_link", "create"),
        ("consent", "give"),
        ("account", "create"),
        ("grant", "create"),
        ("account", "link_oidc"),
    ] {
        assert!(about.contains(&expected), "{expected:?} missing from {about:?}");
    }
    assert!(g.audit.windows(2).all(|w| w[0].record.seq < w[1].record.seq));
    // The sibling's person entries are not the guardian's.
    assert!(!g.audit.iter().any(|e| e.record.entity == "person" && e.record.entity_id == f.sibling.id.to_string()));
    // It serialises, with no secret in it.
    let json = serde_json::to_string(&g).unwrap();
    assert!(json.contains("carla.devries@example.nl") && !json.contains("argon2"));

    let p = s.export_person(f.school, f.pupil.id).await.unwrap();
    assert_eq!(p.guardians.iter().map(|p| p.id).collect::<Vec<_>>(), vec![f.guardian.id]);
    assert_eq!(p.consent_as_pupil.len(), 1);
    assert_eq!(p.current_consent.len(), 5);
    assert_eq!(
        p.current_consent.iter().find(|c| c.purpose == "social_media").unwrap().consent.state,
        EffectiveState::Given
    );
    assert!(p.accounts.is_empty() && p.checks.is_empty());
    // Another school's person is NotFound.
    assert_not_found(s.export_person(f.other, f.guardian.id).await, "person");
}

async fn erase_a_guardian(db: Db) {
    let s = &db.store;
    let f = family(s).await;
    let other_check = {
        let colleague = account(s, "juf@linde.nl", Grant::Employee { school: f.school }).await;
        s.store_check(f.school, &check(colleague.id, true)).await.unwrap()
    };
    assert_not_found(s.erase_person(f.other, f.guardian.id, &admin()).await, "person");

    let done = s.erase_person(f.school, f.guardian.id, &admin()).await.unwrap();
    assert_eq!((done.guardian_links, done.consent_changes, done.consent_decisions_anonymised), (2, 0, 2));
    assert_eq!((done.grants, done.checks, done.sessions), (1, 1, 1));
    assert_eq!((done.accounts_anonymised.clone(), done.accounts_kept.clone()), (vec![f.account.id], vec![]));
    assert!(done.audit_payloads > 0);

    // Gone from the roster, the links and the account; the children's consent stays provable.
    assert_not_found(s.person(f.school, f.guardian.id).await, "person");
    assert!(s.guardians(f.school, f.pupil.id).await.unwrap().is_empty());
    let history = s.consent_history(f.school, f.pupil.id, None).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].decided_by, None);
    assert_eq!(
        s.effective_consent(f.school, "social_media", &[f.pupil.id], OffsetDateTime::now_utc()).await.unwrap()[0].state,
        EffectiveState::Given
    );
    let acc = s.account(f.account.id).await.unwrap();
    assert_eq!(
        (acc.email.as_str(), acc.name.as_str(), acc.has_password),
        (format!("erased-{}@invalid", acc.id).as_str(), "(gewist)", false)
    );
    assert!(acc.is_disabled());
    assert!(s.grants(f.account.id).await.unwrap().is_empty());
    assert!(s.sessions(f.account.id).await.unwrap().is_empty());
    assert!(s.oidc_identities(f.account.id).await.unwrap().is_empty());
    assert_unauthenticated(s.verify_password("carla.devries@example.nl", PASSWORD).await);
    // Their check is gone; a colleague's stays.
    let left: Vec<CheckId> = s.checks(f.school, None, 100, None).await.unwrap().items.iter().map(|c| c.id).collect();
    assert_eq!(left, vec![other_check.id]);

    // No table holds their name or address any more.
    for (table, column) in [("people", "display_name"), ("accounts", "email"), ("accounts", "display_name")] {
        let hits = db
            .raw_i64(&format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE '%Carla%' OR {column} LIKE '%carla%'"))
            .await;
        assert_eq!(hits, 0, "{table}.{column}");
    }
    let all = payloads(s, f.school).await;
    assert!(!all.contains("Carla") && !all.contains("carla"), "{all}");
    // The chains still verify, and the erasure is recorded without personal data.
    let v = s.verify_audit(f.school).await.unwrap();
    assert!(v.is_intact(), "{:?}", v.broken);
    let last = s.audit_log(f.school, v.entries as i64 - 1, 1).await.unwrap().remove(0);
    assert_eq!(
        (last.record.entity.as_str(), last.record.entity_id.clone(), last.record.action.as_str()),
        ("person", f.guardian.id.to_string(), "erase")
    );
    assert!(last.record.after.as_deref().unwrap().contains("\"guardian_links\":2"));
    // A second request finds no one.
    assert_not_found(s.erase_person(f.school, f.guardian.id, &admin()).await, "person");
    assert_not_found(s.export_person(f.school, f.guardian.id).await, "person");
}

async fn erase_a_pupil_and_keep_accounts_used_elsewhere(db: Db) {
    let s = &db.store;
    let f = family(s).await;
    // The pupil has an account, which is also a pupil account at the other school.
    let pupil_account = account(s, "anna@leerling.nl", Grant::Pupil { school: f.school, person: f.pupil.id }).await;
    let elsewhere = add(s, f.other, person("x1", "Anna de Vries", Role::Pupil)).await;
    s.grant(pupil_account.id, &Grant::Pupil { school: f.other, person: elsewhere.id }, &admin()).await.unwrap();
    s.store_check(f.school, &check(pupil_account.id, false)).await.unwrap();
    s.store_check(f.other, &check(pupil_account.id, false)).await.unwrap();
    let session = s.create_session(pupil_account.id, &NewSession::Browser, SessionPolicy::browser()).await.unwrap();

    let done = s.erase_person(f.school, f.pupil.id, &admin()).await.unwrap();
    assert_eq!((done.consent_changes, done.guardian_links, done.grants, done.checks), (1, 1, 1, 1));
    assert_eq!(done.accounts_kept, vec![pupil_account.id]);
    assert!(done.accounts_anonymised.is_empty());
    assert_not_found(s.person(f.school, f.pupil.id).await, "person");
    assert_eq!(
        s.children(f.school, f.guardian.id).await.unwrap().iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![f.sibling.id]
    );
    // The account goes on at the other school, with its check there and its session.
    assert_eq!(s.grants(pupil_account.id).await.unwrap(), vec![Grant::Pupil { school: f.other, person: elsewhere.id }]);
    assert_eq!(s.checks(f.other, Some(pupil_account.id), 10, None).await.unwrap().items.len(), 1);
    assert!(s.checks(f.school, Some(pupil_account.id), 10, None).await.unwrap().items.is_empty());
    s.authenticate(&session.token).await.unwrap();
    s.verify_password("anna@leerling.nl", PASSWORD).await.unwrap();
    for sc in [f.school, f.other] {
        assert!(s.verify_audit(sc).await.unwrap().is_intact());
    }
    // Nothing about the pupil is left in the school's audit payloads.
    let all = payloads(s, f.school).await;
    assert!(!all.contains("Anna"), "{all}");
    assert!(all.contains("Bram"), "the sibling is untouched");
}

async fn every_table_is_classified(db: Db) {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'"
        }
    };
    let mut tables: Vec<String> = db.raw_rows(sql).await.into_iter().map(|mut r| r.remove(0)).collect();
    tables.sort();
    let mut classified: Vec<String> = privacy::TABLES.iter().map(|(t, _, _)| t.to_string()).collect();
    classified.sort();
    let missing: Vec<&String> = tables.iter().filter(|t| !classified.contains(t)).collect();
    assert!(
        missing.is_empty(),
        "tables not classified in privacy::TABLES (say whether they hold personal data, and cover them in \
         export_person and erase_person): {missing:?}"
    );
    assert_eq!(tables, classified, "privacy::TABLES names a table the schema does not have");
}
