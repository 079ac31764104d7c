//! `magdit protocols` and `magdit show`: the protocols as people read them.

use std::fmt::Write;
use std::process::ExitCode;

use magdit_engine::Engine;
use magdit_protocol::{Article, Lang, Protocol};
use serde::Serialize;

use crate::EXIT_INVALID;

pub fn list(engine: &Engine, lang: Lang) -> ExitCode {
    let (articles, scope_all, scope_school) = match lang {
        Lang::Nl => ("artikelen", "alle handelingen", "alleen schoolgerelateerd"),
        Lang::En => ("articles", "all acts", "school-related only"),
    };
    for p in engine.protocols() {
        let m = &p.meta;
        let scope = if m.scope_article.is_some() { scope_school } else { scope_all };
        println!("{:<30} {} — {} ({} {articles}; {scope})", m.id, m.school, m.title, p.articles.len());
    }
    ExitCode::SUCCESS
}

pub fn show(engine: &Engine, id: &str, article: Option<&str>, json: bool) -> ExitCode {
    let Some(protocol) = engine.protocol(id) else {
        let known: Vec<&str> = engine.protocols().map(|p| p.meta.id.as_str()).collect();
        eprintln!("magdit: unknown protocol `{id}`; known protocols: {}", known.join(", "));
        return ExitCode::from(EXIT_INVALID);
    };
    let articles: Vec<&Article> = match article {
        None => protocol.articles.iter().collect(),
        Some(a) => match protocol.article(a) {
            Some(found) => vec![found],
            None => {
                let ids: Vec<&str> = protocol.articles.iter().map(|x| x.id.as_str()).collect();
                eprintln!("magdit: protocol `{id}` has no article `{a}`; its articles: {}", ids.join(", "));
                return ExitCode::from(EXIT_INVALID);
            }
        },
    };
    if json {
        let out: Vec<ArticleJson> = articles.iter().map(|a| ArticleJson::new(protocol, a)).collect();
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        if article.is_none() {
            print!("{}", header(protocol));
        }
        for a in articles {
            println!("{} — {}\n{}\n", a.id, section_title(protocol, a), a.text);
        }
    }
    ExitCode::SUCCESS
}

fn section_title<'p>(p: &'p Protocol, a: &Article) -> &'p str {
    p.sections.iter().find(|s| s.id == a.section).map_or("", |s| s.title.as_str())
}

fn header(p: &Protocol) -> String {
    let m = &p.meta;
    let mut out = format!("{} — {}\n", m.school, m.title);
    let fields = [
        ("Bestuur", m.board.clone()),
        ("Versie", m.version.clone()),
        ("Vastgesteld door", m.adopted_by.clone()),
        ("Vastgesteld op", m.adopted_on.clone()),
        ("Instemming GMR", m.gmr_consent_on.clone()),
        ("In werking", m.in_force_from.clone()),
        ("Evaluatie", m.evaluation_interval_months.map(|n| format!("elke {n} maanden"))),
    ];
    for (label, value) in fields {
        if let Some(v) = value {
            let _ = writeln!(out, "{label}: {v}");
        }
    }
    out.push('\n');
    out
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    protocol: &'a str,
    id: &'a str,
    section: &'a str,
    section_title: &'a str,
    text: &'a str,
    rules: bool,
}

impl<'a> ArticleJson<'a> {
    fn new(p: &'a Protocol, a: &'a Article) -> Self {
        ArticleJson { protocol: &p.meta.id, id: &a.id, section: &a.section, section_title: section_title(p, a), text: &a.text, rules: a.rule.is_some() }
    }
}
