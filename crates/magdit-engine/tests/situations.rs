//! Invalid situations are refused with the field and what was expected; valid ones get a
//! verdict whatever they contain.

use magdit_engine::Engine;
use magdit_protocol::{Lang, Outcome};

fn err(json: &str) -> magdit_engine::SituationError {
    Engine::builtin().check_json(json, Lang::Nl).expect_err("should be refused")
}

#[test]
fn unknown_field_is_named() {
    let e = err(r#"{"protocol":"cvo-nwf","actor":{"role":"employee","rol":"x"},"action":"post"}"#);
    assert_eq!(e.field, "actor.rol");
    assert!(e.message.contains("unknown field `rol`"), "{e}");
}

#[test]
fn unknown_value_lists_the_expected_ones() {
    let e = err(r#"{"protocol":"cvo-nwf","actor":{"role":"teacher"},"action":"post"}"#);
    assert_eq!(e.field, "actor.role");
    assert!(e.message.contains("expected one of `employee`"), "{e}");
    assert_eq!((e.line, e.column), (Some(1), Some(47)));
}

#[test]
fn unknown_protocol_lists_the_known_ones() {
    let e = err(r#"{"protocol":"de-marel","actor":{"role":"pupil"},"action":"post"}"#);
    assert_eq!(e.field, "protocol");
    assert!(e.message.contains("kc-de-marel"), "{e}");
}

#[test]
fn invalid_json_and_empty_input() {
    let e = err("{\"protocol\": \"cvo-nwf\",\n  \"actor\": }");
    assert_eq!(e.line, Some(2));
    assert!(err("  ").message.contains("empty"));
}

#[test]
fn missing_required_field() {
    let e = err(r#"{"protocol":"cvo-nwf","actor":{"role":"pupil"}}"#);
    assert!(e.message.contains("missing field `action`"), "{e}");
}

#[test]
fn depicted_person_must_be_in_people() {
    let e = err(r#"{"protocol":"cvo-nwf","actor":{"role":"pupil"},"action":"post","content":{"media":[{"kind":"photo","depicts":["p9"]}]}}"#);
    assert_eq!(e.field, "content.media[0].depicts[0]");
}

#[test]
fn text_over_the_limit_is_refused() {
    let text = "a".repeat(magdit_engine::limits::TEXT_BYTES + 1);
    let json = format!(r#"{{"protocol":"cvo-nwf","actor":{{"role":"pupil"}},"action":"post","content":{{"text":"{text}"}}}}"#);
    assert_eq!(err(&json).field, "content.text");
}

#[test]
fn out_of_scope_private_post_is_allowed_with_the_scope_article_as_advice() {
    let v = Engine::builtin().check_json(r#"{"protocol":"cvo-nwf","actor":{"role":"employee"},"action":"post","channel":{"kind":"social_media"},"content":{"text":"Mooie zonsondergang vanavond."}}"#, Lang::Nl).unwrap();
    assert_eq!(v.verdict, Outcome::Allowed);
    assert!(!v.facts.in_scope);
    assert_eq!(v.findings.len(), 1);
    assert_eq!(v.findings[0].article, "doelgroep.2");
    assert_eq!(v.findings[0].outcome, Outcome::Advice);
}

#[test]
fn missing_years_since_left_asks_for_it_instead_of_skipping() {
    let v = Engine::builtin().check_json(r#"{"protocol":"kc-de-marel","actor":{"role":"employee"},"action":"befriend","channel":{"kind":"social_media"},"counterpart":{"role":"pupil","relation":"former_pupil"}}"#, Lang::Nl).unwrap();
    assert_eq!(v.verdict, Outcome::Conditional);
    let f = v.findings.iter().find(|f| f.article == "medewerkers.7").unwrap();
    assert!(f.requires.iter().any(|r| r.contains("hoeveel jaar")), "{:?}", f.requires);
}

#[test]
fn consent_placeholders_name_whom_to_ask() {
    let v = Engine::builtin().check_json(r#"{"protocol":"cvo-nwf","actor":{"role":"pupil"},"action":"post","channel":{"kind":"social_media"},"content":{"text":"Schoolreis!","media":[{"kind":"photo","school_situation":true,"depicts":["p1"]}]},"people":[{"id":"p1","name":"Sanne de Vries","role":"pupil","age":10}]}"#, Lang::Nl).unwrap();
    assert_eq!(v.verdict, Outcome::Conditional);
    let all: Vec<&magdit_engine::Text> = v.findings.iter().flat_map(|f| &f.requires).collect();
    assert!(all.iter().any(|r| r.contains("de ouders/verzorgers van Sanne de Vries")), "{all:?}");
}

#[test]
fn english_texts_when_asked() {
    let v = Engine::builtin().check_json(r#"{"protocol":"kc-de-marel","actor":{"role":"pupil"},"action":"use_device","setting":{"on_premises":true}}"#, Lang::En).unwrap();
    assert_eq!(v.verdict, Outcome::Forbidden);
    let f = v.findings.iter().find(|f| f.article == "leerlingen.6").unwrap();
    assert!(f.quote.starts_with("Het is niet toegestaan"), "the quote stays verbatim Dutch");
    assert_ne!(f.reason, Engine::builtin().check_json(r#"{"protocol":"kc-de-marel","actor":{"role":"pupil"},"action":"use_device","setting":{"on_premises":true}}"#, Lang::Nl).unwrap().findings[0].reason);
}
