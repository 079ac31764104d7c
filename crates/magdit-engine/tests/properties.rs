//! Properties over generated situations: a check never fails on a valid situation, the
//! verdict is the most severe finding, every non-allowed verdict cites an article, and every
//! quote is verbatim from the cited article.

use magdit_engine::Engine;
use magdit_protocol::{Action, Lang, Outcome, Role};
use proptest::prelude::*;
use serde_json::json;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::builtin);

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

const TEXTS: &[&str] = &[
    "", "Wat een mooie sportdag!", "Sanne de Vries heeft gewonnen", "Ik vind dat de school beter moet",
    "je bent een sukkel", "Vertrouwelijk: Daan is geschorst", "bel me op 06-12345678", "Als medewerker: dit is mijn persoonlijke mening",
    "Net het rapportgesprek gehad", "ik sla je in elkaar", "Heerlijk weekend",
];

fn situation() -> impl Strategy<Value = serde_json::Value> {
    (
        pick(&["vmbo-maastricht", "kc-de-marel", "st-jozefschool-de-pontonnier", "school-matthijsje", "cvo-nwf"]),
        pick(Role::ALL),
        pick(Action::ALL),
        (any::<Option<bool>>(), any::<Option<bool>>(), any::<Option<bool>>(), pick(&[None, Some("teacher"), Some("school_management")])),
        (pick(&["social_media", "messaging", "email", "school_app", "phone", "blog"]), pick(&["instagram", "whatsapp", "parro", "linkedin"])),
        pick(TEXTS),
        (any::<bool>(), pick(&["given", "refused", "unknown"]), 0u32..3, pick(&["photo", "video", "work"])),
        (pick(&[None, Some("pupil"), Some("parent"), Some("employee"), Some("other")]), pick(&["none", "pre_existing", "former_pupil"]), proptest::option::of(0.0f64..5.0)),
    )
        .prop_map(|(protocol, role, action, (lesson, work, premises, permission), (kind, name), text, (media, consent, unid, mkind), (cp, rel, years))| {
            let media = if media { json!([{ "kind": mkind, "school_situation": true, "depicts": ["p1"], "unidentified_people": unid, "maker": "other", "maker_consent": null }]) } else { json!([]) };
            json!({
                "protocol": protocol,
                "actor": { "role": role, "age": 30 },
                "action": action,
                "setting": { "during_lesson": lesson, "at_work": work, "on_premises": premises, "permission": permission },
                "channel": { "kind": kind, "name": name, "audience": "public" },
                "content": { "text": text, "media": media, "reply_to": cp.map(|r| json!({"role": r})) },
                "counterpart": { "role": cp, "relation": rel, "years_since_left": years, "members": ["pupil"] },
                "people": [{ "id": "p1", "name": "Sanne de Vries", "role": "pupil", "age": 10, "consent": { "social_media": consent } },
                           { "id": "p2", "name": "Daan Bakker", "role": "pupil", "age": 11 }]
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn verdicts_are_consistent(s in situation()) {
        let engine = &*ENGINE;
        let v = engine.check_json(&s.to_string(), Lang::Nl).expect("valid situation");
        let worst = v.findings.iter().filter(|f| f.outcome != Outcome::Advice).map(|f| f.outcome.severity()).max().unwrap_or(0);
        prop_assert_eq!(v.verdict.severity(), worst);
        prop_assert_ne!(v.verdict, Outcome::Advice);
        if v.verdict != Outcome::Allowed {
            prop_assert!(v.findings.iter().any(|f| f.outcome == v.verdict && !f.article.is_empty()));
        }
        let protocol = engine.protocol(&v.protocol).unwrap();
        for f in &v.findings {
            let article = protocol.article(&f.article).expect("cites an article of the protocol");
            prop_assert!(article.text.contains(f.quote.as_str()), "quote of {} is verbatim", f.article);
            prop_assert!(!f.reason.is_empty());
            prop_assert!(!f.reason.contains('{'), "placeholders are filled: {}", f.reason);
        }
    }
}
