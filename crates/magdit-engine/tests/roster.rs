//! Checks against a school's roster: people named in the text or shown in a photo are found
//! on the roster with their consent, and may be referred to by id, other id or name.

use magdit_engine::{Engine, ParseContext, PersonEntry, Roster, Situation};
use magdit_protocol::{Consent, Lang, Outcome};

fn roster() -> Roster {
    let mut r = Roster::with_capacity(3);
    let mut daan = PersonEntry::new("11", "Daan de Vries");
    daan.consent.social_media = Some(Consent::Refused);
    r.push(daan, &["LL-1001".into()]);
    let mut sanne = PersonEntry::new("12", "Sanne Bakker");
    sanne.consent.social_media = Some(Consent::Given);
    r.push(sanne, &[]);
    r
}

fn check(json: &str) -> Result<magdit_engine::Verdict, magdit_engine::SituationError> {
    let roster = roster();
    let ctx = ParseContext { protocol: Some("cvo-nwf"), roster: Some(&roster) };
    let s = Situation::from_json_in(json, &ctx)?;
    Engine::builtin().check_in(&s, Some(&roster), Lang::Nl)
}

const PHOTO: &str = r#"{"actor":{"role":"parent"},"action":"post","channel":{"kind":"social_media","audience":"public"},
  "content":{"media":[{"kind":"photo","school_situation":true,"depicts":["DEPICTS"]}]}}"#;

#[test]
fn photo_of_a_pupil_named_by_name_or_school_id_uses_the_registry() {
    for key in ["Daan de Vries", "daan de vries", "LL-1001", "11"] {
        let v = check(&PHOTO.replace("DEPICTS", key)).unwrap();
        assert_eq!(v.protocol, "cvo-nwf");
        assert_eq!(v.verdict, Outcome::Forbidden, "{key}: {v:?}");
    }
    let v = check(&PHOTO.replace("DEPICTS", "Sanne Bakker")).unwrap();
    assert_ne!(v.verdict, Outcome::Forbidden, "{v:?}");
}

#[test]
fn someone_not_on_the_roster_is_named_in_the_error() {
    let e = check(&PHOTO.replace("DEPICTS", "Piet Puk")).unwrap_err();
    assert_eq!(e.field, "content.media[0].depicts[0]");
    assert!(e.message.contains("roster"), "{e}");
}

#[test]
fn names_in_the_text_are_found_on_the_roster() {
    let v = check(r#"{"actor":{"role":"employee"},"action":"post","channel":{"kind":"social_media","audience":"public"},
        "content":{"text":"Gefeliciteerd Daan de Vries met je diploma!"}}"#).unwrap();
    assert_eq!(v.facts.people.len(), 1, "{:?}", v.facts);
    assert_eq!(v.facts.people[0].person.as_deref(), Some("11"));
}

#[test]
fn without_context_the_protocol_is_required() {
    let e = Situation::from_json_in(r#"{"actor":{"role":"pupil"},"action":"post"}"#, &ParseContext::default()).unwrap_err();
    assert_eq!(e.field, "protocol");
}
