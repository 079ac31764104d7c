//! A school's own protocol files: stored with every earlier version, adopted like a shipped
//! protocol (audited, revision bumped), visible to their school only; on both stores.

mod common;

use common::{admin, school, Db};
use magdit_store::protocol_files::MAX_SOURCE_BYTES;
use magdit_store::{Error, NewProtocolFile, ProtocolSource, SchoolId};

on_both_stores!(own_files_are_adopted_with_history, own_files_stay_in_their_school, bad_files_are_refused);

// The store does not parse the TOML; any text will do here.
const V1: &str = "[protocol]\nid = \"linde\"\nversion = \"1.0\"\n";
const V2: &str = "[protocol]\nid = \"linde\"\nversion = \"2.0\"\n";

fn file<'a>(source: &'a str, version: &'a str) -> NewProtocolFile<'a> {
    NewProtocolFile { protocol_id: "linde", version: Some(version), source }
}

async fn own_files_are_adopted_with_history(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    s.adopt_protocol(sc, "cvo-nwf", Some("2.0"), &admin()).await.unwrap();
    let before = s.school(sc).await.unwrap();
    assert_eq!(before.protocol.as_ref().unwrap().source, ProtocolSource::Shipped);

    let (adopted, v1) = s.adopt_protocol_file(sc, &file(V1, "1.0"), &admin()).await.unwrap();
    let p = adopted.protocol.clone().unwrap();
    assert_eq!((p.id.as_str(), p.version.as_deref()), ("linde", Some("1.0")));
    assert_eq!(p.source, ProtocolSource::Own { sha256: v1.sha256.clone() });
    assert_eq!(v1.sha256.len(), 64);
    assert_eq!((v1.school, v1.uploaded_by.as_str()), (sc, "account:admin"));
    assert_eq!(adopted.revision, before.revision + 1, "one write, one bump");
    assert_eq!(s.protocol_file_source(sc, &v1.sha256).await.unwrap(), V1);

    // A new version: both kept, newest first, the school follows the new one.
    let (adopted, v2) = s.adopt_protocol_file(sc, &file(V2, "2.0"), &admin()).await.unwrap();
    assert_eq!(adopted.protocol.as_ref().unwrap().source, ProtocolSource::Own { sha256: v2.sha256.clone() });
    let files = s.protocol_files(sc).await.unwrap();
    assert_eq!(files, vec![v2.clone(), v1.clone()]);
    assert_eq!(s.protocol_file_source(sc, &v1.sha256).await.unwrap(), V1, "earlier versions stay");

    // The same text again is the same file, adopted again; back to a shipped one clears it.
    let (again, same) = s.adopt_protocol_file(sc, &file(V1, "1.0"), &admin()).await.unwrap();
    assert_eq!(same, v1);
    assert_eq!(again.protocol.unwrap().version.as_deref(), Some("1.0"));
    assert_eq!(s.protocol_files(sc).await.unwrap().len(), 2);
    let shipped = s.adopt_protocol(sc, "cvo-nwf", Some("2.0"), &admin()).await.unwrap();
    assert_eq!(shipped.protocol.unwrap().source, ProtocolSource::Shipped);

    // Audited: each new file once, each adoption with before and after naming the source.
    let uploads = s.audit_of(sc, "protocol_file", &v1.sha256).await.unwrap();
    assert_eq!(uploads.iter().map(|e| e.record.action.as_str()).collect::<Vec<_>>(), ["create"]);
    assert!(uploads[0].record.after.as_deref().unwrap().contains("\"version\":\"1.0\""), "{:?}", uploads[0].record.after);
    assert!(!uploads[0].record.after.as_deref().unwrap().contains("[protocol]"), "the text itself is not in the log");
    let adoptions = s.audit_of(sc, "school", &sc.to_string()).await.unwrap();
    let actions: Vec<&str> = adoptions.iter().map(|e| e.record.action.as_str()).collect();
    assert_eq!(actions, ["create", "adopt_protocol", "adopt_protocol", "adopt_protocol", "adopt_protocol", "adopt_protocol"]);
    let first_own = &adoptions[2];
    assert!(first_own.record.before.as_deref().unwrap().contains("\"source\":\"shipped\""), "{:?}", first_own.record.before);
    let after = first_own.record.after.as_deref().unwrap();
    assert!(after.contains("\"source\":\"own\"") && after.contains(&v1.sha256), "{after}");
    assert!(s.verify_audit(sc).await.unwrap().is_intact());

    // Files are append-only, behind the store as well.
    let id = sc.0;
    assert!(db.raw(&format!("UPDATE protocol_files SET source = 'x' WHERE school_id = {id}")).await.is_err());
    assert!(db.raw(&format!("DELETE FROM protocol_files WHERE school_id = {id}")).await.is_err());
}

async fn own_files_stay_in_their_school(db: Db) {
    let s = &db.store;
    let (_, a) = school(s, "Bestuur", "De Linde").await;
    let (_, b) = school(s, "Bestuur", "De Eik").await;
    let (_, file_a) = s.adopt_protocol_file(a, &file(V1, "1.0"), &admin()).await.unwrap();
    match s.protocol_file_source(b, &file_a.sha256).await {
        Err(Error::NotFound { entity: "protocol_file", .. }) => {}
        other => panic!("another school's file must be NotFound, got {other:?}"),
    }
    assert!(s.protocol_files(b).await.unwrap().is_empty());
    assert_eq!(s.school(b).await.unwrap().protocol, None);
    // The same text uploaded by school B is B's own row.
    let (_, file_b) = s.adopt_protocol_file(b, &file(V1, "1.0"), &admin()).await.unwrap();
    assert_eq!((file_b.school, file_b.sha256.as_str()), (b, file_a.sha256.as_str()));
    assert_eq!(s.protocol_files(a).await.unwrap(), vec![file_a]);
}

async fn bad_files_are_refused(db: Db) {
    let s = &db.store;
    let (_, sc) = school(s, "Bestuur", "De Linde").await;
    let revision = s.school(sc).await.unwrap().revision;
    let huge = format!("{V1}#{}", "x".repeat(MAX_SOURCE_BYTES));
    for (source, id, field) in [
        (huge.as_str(), "linde", "protocol.source"),
        ("  \n", "linde", "protocol.source"),
        ("a\0b", "linde", "protocol.source"),
        (V1, "../etc", "protocol.id"),
        (V1, "", "protocol.id"),
    ] {
        let new = NewProtocolFile { protocol_id: id, version: None, source };
        match s.adopt_protocol_file(sc, &new, &admin()).await {
            Err(Error::Invalid { field: f, .. }) if f == field => {}
            other => panic!("{id}: expected invalid {field}, got {other:?}"),
        }
    }
    match s.adopt_protocol_file(SchoolId(424_242), &file(V1, "1.0"), &admin()).await {
        Err(Error::NotFound { entity: "school", .. }) => {}
        other => panic!("expected school not found, got {other:?}"),
    }
    assert!(s.protocol_files(sc).await.unwrap().is_empty(), "nothing stored");
    assert_eq!(s.school(sc).await.unwrap().revision, revision, "a refused file changes nothing");
}
