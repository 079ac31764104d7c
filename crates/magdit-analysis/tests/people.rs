//! Mentions of listed people and names of others, on Dutch school-post examples.

use magdit_analysis::{Analysis, Analyzer, PeopleIndex};

fn analyze(text: &str, names: &[&str], actor: Option<usize>) -> Analysis {
    let people: PeopleIndex = names.iter().collect();
    Analyzer::new(&[]).analyze(text, &[&people], actor)
}

/// (person index, mentioned text) for each mention.
fn mentions(text: &str, names: &[&str], actor: Option<usize>) -> Vec<(usize, String)> {
    analyze(text, names, actor)
        .people
        .iter()
        .map(|m| (m.person, text[m.span.start..m.span.end].to_string()))
        .collect()
}

fn others(text: &str, names: &[&str]) -> Vec<String> {
    analyze(text, names, None)
        .other_names
        .iter()
        .map(|s| text[s.start..s.end].to_string())
        .collect()
}

const CLASS: &[&str] = &[
    "Sanne de Vries",
    "Noor El Amrani",
    "Mark de Boer",
    "Daan Jansen",
    "Lieke van den Berg",
];

fn m(person: usize, s: &str) -> (usize, String) {
    (person, s.to_string())
}

#[test]
fn full_names_case_insensitive() {
    assert_eq!(
        mentions("Gefeliciteerd Sanne de Vries!", CLASS, None),
        [m(0, "Sanne de Vries")]
    );
    assert_eq!(
        mentions("noor el amrani won de quiz", CLASS, None),
        [m(1, "noor el amrani")]
    );
    assert_eq!(
        mentions("Dank aan MARK DE BOER.", CLASS, None),
        [m(2, "MARK DE BOER")]
    );
}

#[test]
fn surnames_with_title_or_tussenvoegsel() {
    assert_eq!(
        mentions("Meneer De Boer was ziek.", CLASS, None),
        [m(2, "Meneer De Boer")]
    );
    assert_eq!(
        mentions("Vraag het mevrouw Van den Berg.", CLASS, None),
        [m(4, "mevrouw Van den Berg")]
    );
    assert_eq!(
        mentions("juf De Vries leest voor", CLASS, None),
        [m(0, "juf De Vries")]
    );
    assert_eq!(
        mentions("Bij meester Jansen in de klas", CLASS, None),
        [m(3, "meester Jansen")]
    );
    assert_eq!(
        mentions("Ik heb De Boer gesproken", CLASS, None),
        [m(2, "De Boer")]
    );
    // Without title or tussenvoegsel a surname is too common a word to go by.
    assert_eq!(
        mentions("Jansen is een veel voorkomende naam", CLASS, None),
        []
    );
    // "de boer" in lower case is a farmer.
    assert_eq!(mentions("We gingen naar de boer.", CLASS, None), []);
}

#[test]
fn unique_first_names_and_possessives() {
    assert_eq!(
        mentions("Sanne heeft gewonnen", CLASS, None),
        [m(0, "Sanne")]
    );
    assert_eq!(
        mentions("Sanne's tekening hangt in de gang", CLASS, None),
        [m(0, "Sanne")]
    );
    assert_eq!(
        mentions("Daans fiets staat buiten; Daan’s jas ook", CLASS, None),
        [m(3, "Daan"), m(3, "Daan")]
    );
    assert_eq!(
        mentions("Goed gedaan, Noor en Mark!", CLASS, None),
        [m(1, "Noor"), m(2, "Mark")]
    );
}

#[test]
fn shared_first_name_matches_nobody() {
    let people = &["Sanne de Vries", "Sanne Bakker", "Daan Jansen"];
    assert_eq!(mentions("Sanne was jarig", people, None), []);
    assert_eq!(
        mentions("Sanne Bakker was jarig", people, None),
        [m(1, "Sanne Bakker")]
    );
    // Still a name: it goes to the other names.
    assert_eq!(others("Sanne was jarig", people), ["Sanne"]);
}

#[test]
fn actor_is_not_reported() {
    let text = "Groetjes van Sanne de Vries, mentor van Daan";
    assert_eq!(mentions(text, CLASS, Some(0)), [m(3, "Daan")]);
    assert!(analyze(text, CLASS, Some(0)).other_names.is_empty());
    assert_eq!(mentions("Groetjes, Sanne", CLASS, Some(0)), []);
}

#[test]
fn words_that_contain_or_resemble_names() {
    // "markt" is not "Mark"; "de roos" is a flower.
    assert_eq!(mentions("Op de markt kochten we kaas", CLASS, None), []);
    assert_eq!(mentions("De roos bloeit", &["Roos Visser"], None), []);
    assert_eq!(
        mentions("Roos bloeit op het podium", &["Roos Visser"], None),
        [m(0, "Roos")]
    );
    assert_eq!(
        others("De roos in de tuin bloeit.", &[]),
        Vec::<String>::new()
    );
    assert_eq!(
        others("Roos is een mooie bloem.", &[]),
        Vec::<String>::new()
    );
    assert_eq!(others("Ik heb Roos gezien.", &[]), ["Roos"]);
    assert_eq!(
        others("Elke dag lezen we. Lieve ouders, Ben je er morgen?", &[]),
        Vec::<String>::new()
    );
}

#[test]
fn accents_are_folded() {
    assert_eq!(
        mentions(
            "Daniel en Zoe waren er",
            &["Daniël Smit", "Zoë Bakker"],
            None
        ),
        [m(0, "Daniel"), m(1, "Zoe")]
    );
    assert_eq!(
        mentions("Büşra zingt", &["Busra Yilmaz"], None),
        [m(0, "Büşra")]
    );
}

#[test]
fn unlisted_names() {
    assert_eq!(
        others(
            "Vandaag hebben Fatima en Youssef een spreekbeurt gehouden.",
            &[]
        ),
        ["Fatima", "Youssef"]
    );
    assert_eq!(others("Marieke Visser komt ook", &[]), ["Marieke Visser"]);
    assert_eq!(
        others("Ik sprak dr. Visser en dhr. De Groot", &[]),
        ["dr. Visser", "dhr. De Groot"]
    );
    assert_eq!(
        others("Een brief van mevrouw Jansen.", &[]),
        ["mevrouw Jansen"]
    );
    assert_eq!(
        others("Getekend: J.C. van der Sluis", &[]),
        ["J.C. van der Sluis"]
    );
    assert_eq!(others("Ook Jan-Willem kwam", &[]), ["Jan-Willem"]);
    // Place names and brands after "van de", "in", "Den".
    assert_eq!(
        others("We gaan naar Den Haag met boodschappen van de Jumbo.", &[]),
        Vec::<String>::new()
    );
    // Lower case, all caps headlines and single initials before a word are no names.
    assert_eq!(
        others(
            "mark het antwoord. HOOP DOET LEVEN. In klas B. Morgen weer",
            &[]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn listed_names_are_not_other_names() {
    let a = analyze("Sanne en Fatima speelden", CLASS, None);
    assert_eq!(a.people.len(), 1);
    assert_eq!(a.other_names.len(), 1);
}

#[test]
fn spans_are_sorted_and_on_char_boundaries() {
    let texts = [
        "",
        " ",
        "🎉🎉 Sanne 🎉 de Vries 🎉",
        "Ünal, Çelik en Zoë: «Sanne» — Noor’s",
        "\u{a0}Mark\u{a0}de\u{a0}Boer\u{200b}",
        "a\u{301}b Daan\u{301}s",
    ];
    let long = "Sanne en Daan zijn vandaag op de markt geweest met juf De Vries. ".repeat(500);
    for text in texts.iter().copied().chain([long.as_str()]) {
        let a = analyze(text, CLASS, Some(4));
        let spans = a
            .people
            .iter()
            .map(|p| p.span)
            .chain(a.other_names.iter().copied());
        for s in spans {
            assert!(
                text.is_char_boundary(s.start) && text.is_char_boundary(s.end) && s.start < s.end,
                "{text:?}"
            );
        }
        assert!(a
            .people
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start));
        assert!(a.other_names.windows(2).all(|w| w[0].start <= w[1].start));
    }
}

#[test]
fn odd_people_lists() {
    let people = &["", " ", "J.", "de", "Sanne", "🎉", "Sanne"];
    let a = analyze("Sanne en J. 🎉", people, None);
    // "Sanne" twice is one person listed twice: both are reported.
    assert_eq!(
        a.people.iter().map(|p| p.person).collect::<Vec<_>>(),
        [4, 6]
    );
}

#[test]
fn large_roster() {
    let names: Vec<String> = (0..1000)
        .map(|i| format!("Leerling{i} Achternaam{i}"))
        .collect();
    let mut people: PeopleIndex = names.iter().collect();
    people.push("Sanne de Vries");
    let a = Analyzer::new(&[]).analyze("Sanne de Vries en Leerling42 Achternaam42", &[&people], None);
    assert_eq!(
        a.people.iter().map(|p| p.person).collect::<Vec<_>>(),
        [1000, 42]
    );
}
