//! Runs the analysis over texts and reports, for the abuse detector, how it does on a
//! HateCheck-style CSV (`mhc_case_id,functionality,test_case,label_gold,target_ident`).
//!
//! ```text
//! hatecheck FILE.csv                 precision/recall/F1 for "hateful", accuracy per functionality
//! hatecheck FILE.csv --errors [F]    also list the wrongly classified cases (of functionality F)
//! hatecheck FILE.csv --time          also time the analysis per text
//! hatecheck --lines < texts.txt      one JSON object per input line (the full Analysis)
//! ```
//!
//! Predicted hateful = any abuse of kind Insult, Slur, DiseaseCurse, Threat, Hate,
//! Bullying or Sexual.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::time::Instant;

use magdit_analysis::{AbuseKind, Analyzer};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let analyzer = Analyzer::new(&[]);
    if args.first().map(String::as_str) == Some("--lines") {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            let a = analyzer.analyze(&line, &[], None);
            let v = serde_json::json!({ "text": line, "analysis": a });
            let _ = writeln!(out, "{v}");
        }
        return;
    }
    let Some(path) = args.first() else {
        eprintln!("usage: hatecheck FILE.csv [--errors [FUNCTIONALITY]] [--time] | hatecheck --lines");
        std::process::exit(2);
    };
    let errors = args.iter().position(|a| a == "--errors").map(|i| args.get(i + 1).cloned().filter(|s| !s.starts_with("--")));
    let time = args.iter().any(|a| a == "--time");
    let src = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let rows = parse_csv(&src);
    let Some((header, rows)) = rows.split_first() else {
        eprintln!("{path}: empty");
        std::process::exit(2);
    };
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (c_func, c_text, c_gold) = (col("functionality"), col("test_case"), col("label_gold"));

    let (mut tp, mut fp, mut fneg, mut tn) = (0u32, 0u32, 0u32, 0u32);
    let mut per: BTreeMap<String, (u32, u32, String)> = BTreeMap::new();
    let mut wrong: Vec<(String, String, bool, String)> = Vec::new();
    for r in rows {
        if r.len() <= c_gold.max(c_text).max(c_func) {
            continue;
        }
        let (func, text, gold) = (&r[c_func], &r[c_text], r[c_gold] == "hateful");
        let a = analyzer.analyze(text, &[], None);
        let kinds: Vec<AbuseKind> = a.abuse.iter().map(|x| x.kind).collect();
        let pred = !kinds.is_empty();
        match (gold, pred) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fneg += 1,
            (false, false) => tn += 1,
        }
        let e = per.entry(func.clone()).or_insert((0, 0, r[c_gold].clone()));
        e.1 += 1;
        if gold == pred {
            e.0 += 1;
        } else {
            let k: Vec<String> = a.abuse.iter().map(|x| format!("{:?}:{}", x.kind, &text[x.span.start..x.span.end])).collect();
            wrong.push((func.clone(), text.clone(), gold, k.join(", ")));
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let rc = tp as f64 / (tp + fneg).max(1) as f64;
    let f1 = if p + rc > 0.0 { 2.0 * p * rc / (p + rc) } else { 0.0 };
    let n = tp + fp + fneg + tn;
    println!("cases: {n}   hateful predicted: {}   gold: {}", tp + fp, tp + fneg);
    println!("hateful  precision {p:.3}  recall {rc:.3}  F1 {f1:.3}");
    println!("accuracy {:.3}", (tp + tn) as f64 / n.max(1) as f64);
    println!();
    println!("{:<22} {:>5} {:>9}  gold", "functionality", "n", "accuracy");
    for (f, (ok, total, gold)) in &per {
        println!("{f:<22} {total:>5} {:>9.3}  {gold}", *ok as f64 / (*total).max(1) as f64);
    }
    if let Some(filter) = errors {
        println!();
        for (f, t, gold, k) in &wrong {
            if filter.as_ref().is_none_or(|x| x == f) {
                println!("{f}\t{}\t{t}\t{k}", if *gold { "MISSED" } else { "FALSE" });
            }
        }
    }
    if time {
        let texts: Vec<&str> = rows.iter().filter_map(|r| r.get(c_text).map(String::as_str)).collect();
        let post = "Meneer De Boer is echt een sukkel en een loser, wat een k*tschool. Als je morgen weer naar school komt sla ik je in elkaar Tim. Vertrouwelijk: Noor heeft de diagnose ADHD gekregen, het zorgdossier stuur ik je nog. Dit is mijn persoonlijke mening!!";
        for (name, set) in [("dev-set texts", texts.clone()), ("one 280-character post", vec![&post[..post.len().min(280)]])] {
            let reps = (200_000 / set.len().max(1)).max(1);
            let start = Instant::now();
            let mut found = 0usize;
            for _ in 0..reps {
                for t in &set {
                    found += analyzer.analyze(t, &[], None).abuse.len();
                }
            }
            let per_text = start.elapsed().as_secs_f64() / (reps * set.len()) as f64;
            println!("time per text ({name}): {:.2} µs  [{found}]", per_text * 1e6);
        }
    }
}

/// A minimal CSV reader: commas, double-quoted fields with "" escapes, newlines in quotes.
fn parse_csv(src: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
