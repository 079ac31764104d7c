//! `magdit test`: scenario files as in `../shared/scenarios/`, so a school can keep its own
//! cases. A scenario passes when the verdict is equal and every expected article is cited by
//! a finding that is not advice; an entry that is a list is met by any one of its articles.

use std::path::PathBuf;
use std::process::ExitCode;

use magdit_engine::{Engine, Situation};
use magdit_protocol::{Lang, Outcome};
use serde::Deserialize;

use crate::{input, EXIT_INVALID};

const MAX_SCENARIO_FILE: usize = 64 * 1024 * 1024;

#[derive(Deserialize)]
struct Scenario {
    id: String,
    title: String,
    situation: serde_json::Value,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    verdict: Outcome,
    #[serde(default)]
    articles: Vec<Expected>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Expected {
    One(String),
    AnyOf(Vec<String>),
}

impl Expected {
    fn met_by(&self, cited: &[&str]) -> bool {
        match self {
            Expected::One(a) => cited.contains(&a.as_str()),
            Expected::AnyOf(list) => list.iter().any(|a| cited.contains(&a.as_str())),
        }
    }
}

pub fn run(engine: &Engine, files: &[PathBuf], verbose: bool) -> ExitCode {
    let (mut passed, mut failed) = (0, 0);
    for path in files {
        let scenarios: Vec<Scenario> = match input::read_text(path, MAX_SCENARIO_FILE)
            .and_then(|t| serde_json::from_str(&t).map_err(|e| format!("{}: not a scenario file: {e}", path.display())))
        {
            Ok(s) => s,
            Err(message) => {
                eprintln!("magdit: {message}");
                return ExitCode::from(EXIT_INVALID);
            }
        };
        for s in scenarios {
            let result = serde_json::to_string(&s.situation)
                .map_err(|e| e.to_string())
                .and_then(|json| Situation::from_json(&json).map_err(|e| e.to_string()))
                .and_then(|situation| engine.check(&situation, Lang::Nl).map_err(|e| e.to_string()));
            let verdict = match result {
                Ok(v) => v,
                Err(message) => {
                    failed += 1;
                    println!("FAIL {}: {}\n     invalid situation: {message}", s.id, s.title);
                    continue;
                }
            };
            let cited: Vec<&str> = verdict.findings.iter().filter(|f| f.outcome != Outcome::Advice).map(|f| f.article.as_str()).collect();
            let missing: Vec<&Expected> = s.expect.articles.iter().filter(|e| !e.met_by(&cited)).collect();
            if verdict.verdict == s.expect.verdict && missing.is_empty() {
                passed += 1;
                if verbose {
                    println!("ok   {}", s.id);
                }
            } else {
                failed += 1;
                println!("FAIL {}: {}\n     expected {} citing {:?}, got {} citing {:?}", s.id, s.title, s.expect.verdict, expected_list(&s.expect.articles), verdict.verdict, cited);
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn expected_list(e: &[Expected]) -> Vec<String> {
    e.iter().map(|x| match x {
        Expected::One(a) => a.clone(),
        Expected::AnyOf(l) => l.join("|"),
    }).collect()
}
