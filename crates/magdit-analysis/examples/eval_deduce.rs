//! Driver for `scripts/eval-deduce`: reads a JSON array of texts on stdin and writes, per
//! text, the spans the analysis finds, grouped as deduce's categories, in Unicode
//! code-point offsets (end exclusive), as deduce counts them.
//!
//! Dates: deduce marks every date, the analysis only dates of birth. "dates" therefore
//! analyses the text behind the word "geboren " (the prefix is cut off again), which
//! measures the date patterns themselves; "dates_plain" is what the plain analysis reports.

use std::io::Read;

use magdit_analysis::{Analysis, Analyzer, PersonalDataKind, Span};
use serde_json::{json, Value};

const BIRTH_PREFIX: &str = "geboren ";

fn spans(text: &str, spans: impl Iterator<Item = Span>) -> Value {
    spans
        .map(|s| {
            let (a, b) = s.char_range(text);
            json!([a, b])
        })
        .collect()
}

fn of_kind<'a>(a: &'a Analysis, kinds: &'a [PersonalDataKind]) -> impl Iterator<Item = Span> + 'a {
    a.personal_data
        .iter()
        .filter(move |d| kinds.contains(&d.kind))
        .map(|d| d.span)
}

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("stdin is UTF-8");
    let texts: Vec<String> =
        serde_json::from_str(&input).expect("stdin is a JSON array of strings");
    let analyzer = Analyzer::new(&[]);
    let results: Vec<Value> = texts
        .iter()
        .map(|text| {
            let a = analyzer.analyze(text, &[], None);
            let prefixed = format!("{BIRTH_PREFIX}{text}");
            let b = analyzer.analyze(&prefixed, &[], None);
            let shift = BIRTH_PREFIX.len();
            let births = of_kind(&b, &[PersonalDataKind::BirthDate])
                .filter(|s| s.start >= shift)
                .map(|s| Span::new(s.start - shift, s.end - shift));
            json!({
                "names": spans(text, a.people.iter().map(|p| p.span).chain(a.other_names.iter().copied())),
                "locations": spans(text, of_kind(&a, &[PersonalDataKind::Address, PersonalDataKind::Postcode])),
                "dates": spans(text, births),
                "dates_plain": spans(text, of_kind(&a, &[PersonalDataKind::BirthDate])),
                "phone_numbers": spans(text, of_kind(&a, &[PersonalDataKind::Phone])),
                "emails": spans(text, of_kind(&a, &[PersonalDataKind::Email])),
                "urls": spans(text, of_kind(&a, &[PersonalDataKind::Url])),
            })
        })
        .collect();
    println!("{}", Value::Array(results));
}
