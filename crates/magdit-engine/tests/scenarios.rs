//! Every scenario suite in `../shared/scenarios/` passes, with the contract's rule:
//! equal verdict, and every expected article cited by a finding that is not advice.

use std::path::PathBuf;

use magdit_engine::Engine;
use magdit_protocol::{Lang, Outcome};

#[test]
fn shared_scenario_suites_pass() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios");
    let engine = Engine::builtin();
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("shared/scenarios") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let suite: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for s in suite {
            count += 1;
            let verdict = engine.check_json(&s["situation"].to_string(), Lang::Nl).unwrap_or_else(|e| panic!("{}: {e}", s["id"]));
            let cited: Vec<&str> = verdict.findings.iter().filter(|f| f.outcome != Outcome::Advice).map(|f| f.article.as_str()).collect();
            let want = s["expect"]["verdict"].as_str().unwrap();
            let missing: Vec<&serde_json::Value> = s["expect"]["articles"].as_array().unwrap().iter().filter(|a| match a {
                serde_json::Value::Array(any) => !any.iter().any(|x| cited.contains(&x.as_str().unwrap())),
                one => !cited.contains(&one.as_str().unwrap()),
            }).collect();
            if verdict.verdict.as_str() != want || !missing.is_empty() {
                failures.push(format!("{}: expected {want} citing {}, got {} citing {cited:?}", s["id"], s["expect"]["articles"], verdict.verdict));
            }
        }
    }
    assert!(count > 0, "no scenarios found in {}", dir.display());
    assert!(failures.is_empty(), "{} of {count} scenarios failed:\n{}", failures.len(), failures.join("\n"));
}
