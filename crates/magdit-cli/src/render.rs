//! The readable verdict, for a person at a terminal: Dutch by default.

use std::fmt::Write;

use magdit_engine::{Mention, Verdict};
use magdit_protocol::{Lang, Outcome, Protocol};

struct Labels {
    verdict: &'static str,
    todo: &'static str,
    found: &'static str,
    none: &'static str,
}

const NL: Labels = Labels {
    verdict: "Oordeel",
    todo: "Wat te doen",
    found: "Gevonden in de tekst",
    none: "Geen artikel van dit protocol verbiedt of beperkt dit.",
};

const EN: Labels = Labels {
    verdict: "Verdict",
    todo: "What to do",
    found: "Found in the text",
    none: "No article of this protocol forbids or limits this.",
};

fn label(outcome: Outcome, lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => outcome.label_nl(),
        Lang::En => outcome.label_en(),
    }
}

/// A symbol per outcome, so the verdict does not rely on colour.
fn symbol(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Forbidden => "✗",
        Outcome::Conditional => "!",
        Outcome::Discouraged => "~",
        Outcome::Allowed => "✓",
        Outcome::Advice => "i",
    }
}

pub fn verdict(v: &Verdict, protocol: &Protocol, lang: Lang) -> String {
    let l = if lang == Lang::En { &EN } else { &NL };
    let mut out = String::new();
    let _ = writeln!(out, "{} {}: {}", symbol(v.verdict), l.verdict, label(v.verdict, lang).to_uppercase());
    let _ = writeln!(out, "  {} — {}", protocol.meta.school, protocol.meta.title);
    if v.findings.iter().all(|f| f.outcome == Outcome::Advice || f.outcome == Outcome::Allowed) && v.verdict == Outcome::Allowed {
        let _ = writeln!(out, "  {}", l.none);
    }
    for f in &v.findings {
        let _ = writeln!(out, "\n{} {} — {}", symbol(f.outcome), f.article, label(f.outcome, lang));
        let _ = writeln!(out, "  {}", f.reason);
        let _ = writeln!(out, "  «{}»", f.quote);
        if !f.requires.is_empty() {
            let _ = writeln!(out, "  {}:", l.todo);
            for r in &f.requires {
                let _ = writeln!(out, "   - {r}");
            }
        }
    }
    let facts = &v.facts;
    let mentions: Vec<&Mention> = facts.people.iter()
        .chain(&facts.other_names)
        .chain(&facts.personal_data)
        .chain(&facts.confidential)
        .chain(&facts.insults)
        .chain(&facts.threats)
        .collect();
    if !mentions.is_empty() {
        let _ = writeln!(out, "\n{}:", l.found);
        for m in mentions {
            let _ = writeln!(out, "  - {}: «{}» ({}–{})", kind_label(&m.kind, lang), m.text, m.start, m.end);
        }
    }
    out
}

/// What a finding in the text is, in words; English uses the JSON names.
fn kind_label(kind: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return kind.replace('_', " ");
    }
    match kind {
        "person" => "persoon",
        "name" => "naam",
        "phone" => "telefoonnummer",
        "email" => "e-mailadres",
        "url" => "webadres",
        "bsn" => "BSN",
        "iban" => "IBAN",
        "postcode" => "postcode",
        "address" => "adres",
        "birth_date" => "geboortedatum",
        "pupil_number" => "leerlingnummer",
        "health" => "gezondheid",
        "care" => "zorg",
        "family" => "gezinssituatie",
        "discipline" => "schorsing of verwijdering",
        "marks" => "cijfers of rapport",
        "investigation" => "onderzoek of melding",
        "marked" => "als vertrouwelijk gemarkeerd",
        "insult" => "belediging",
        "slur" => "scheldwoord",
        "disease_curse" => "schelden met ziektes",
        "threat" => "bedreiging",
        "sexual" => "seksueel grensoverschrijdend",
        "bullying" => "aanzetten tot pesten",
        "hate" => "haatdragend",
        other => other,
    }
    .to_string()
}
