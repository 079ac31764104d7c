//! The shipped protocol files against the shared contract and the adopted texts, read from
//! `../shared` at test time.

use std::path::PathBuf;

use magdit_protocol::{builtin, load, to_toml};

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

#[test]
fn every_contract_article_is_present_and_no_other() {
    let text = std::fs::read_to_string(shared().join("contract/articles.json")).expect("articles.json");
    let contract: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    let protocols = builtin::protocols();
    assert_eq!(protocols.len(), contract.len());
    let mut total = 0;
    for (id, ids) in &contract {
        let p = protocols.iter().find(|p| &p.meta.id == id).unwrap_or_else(|| panic!("protocol {id} is not shipped"));
        let want: Vec<&str> = ids.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let have: Vec<&str> = p.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(have, want, "articles of {id}, in document order");
        total += have.len();
    }
    assert_eq!(total, 131);
}

/// Markdown emphasis, list markers and line breaks are layout, not text.
fn normalise(s: &str) -> String {
    s.replace("**", "").replace('*', "").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn article_texts_are_verbatim_from_the_adopted_documents() {
    for p in builtin::protocols() {
        let source_name = p.meta.source.clone().unwrap_or_else(|| format!("{}.txt", p.meta.id));
        let source = std::fs::read_to_string(shared().join("protocols/source").join(&source_name)).expect("source text");
        let source = normalise(&source);
        for a in &p.articles {
            assert!(source.contains(&normalise(&a.text)), "{} {}: text is not verbatim in {source_name}:\n{}", p.meta.id, a.id, a.text);
        }
    }
}

#[test]
fn shipped_protocols_round_trip_through_their_file_format() {
    for p in builtin::protocols() {
        let written = to_toml(&p);
        let again = load("written.toml", &written).unwrap_or_else(|e| panic!("{}: {e:?}", p.meta.id));
        assert_eq!(again, p, "{} changes when written and read back", p.meta.id);
    }
}

#[test]
fn scope_limited_protocols_name_their_scope_article() {
    for p in builtin::protocols() {
        if p.meta.scope == magdit_protocol::Scope::SchoolRelated {
            let id = p.meta.scope_article.as_deref().expect("scope article");
            assert!(p.article(id).is_some());
        }
    }
}
