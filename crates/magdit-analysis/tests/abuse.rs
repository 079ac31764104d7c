//! Abuse detection: positives per kind and hard negatives.

use magdit_analysis::{AbuseKind, AbuseKind::*, Analysis, Analyzer};

fn analyse(text: &str) -> Analysis {
    thread_local! {
        static A: Analyzer = Analyzer::new(&[]);
    }
    A.with(|a| a.analyze(text, &[], None))
}

fn kinds(text: &str) -> Vec<AbuseKind> {
    analyse(text).abuse.iter().map(|a| a.kind).collect()
}

#[track_caller]
fn has(text: &str, kind: AbuseKind) {
    let a = analyse(text);
    assert!(
        a.has_abuse(kind),
        "expected {kind:?} in {text:?}, got {:?}",
        a.abuse.iter().map(|x| (x.kind, &text[x.span.start..x.span.end])).collect::<Vec<_>>()
    );
}

#[track_caller]
fn clean(text: &str) {
    let a = analyse(text);
    assert!(
        a.abuse.is_empty(),
        "expected no abuse in {text:?}, got {:?}",
        a.abuse.iter().map(|x| (x.kind, &text[x.span.start..x.span.end])).collect::<Vec<_>>()
    );
}

#[track_caller]
fn found(text: &str, kind: AbuseKind, piece: &str) {
    let a = analyse(text);
    assert!(
        a.abuse.iter().any(|x| x.kind == kind && text[x.span.start..x.span.end].contains(piece)),
        "expected {kind:?} covering {piece:?} in {text:?}, got {:?}",
        a.abuse.iter().map(|x| (x.kind, &text[x.span.start..x.span.end])).collect::<Vec<_>>()
    );
}

// ---- Insult ---------------------------------------------------------------------------

#[test]
fn insults_at_people() {
    let t = "Meneer De Boer is echt een sukkel en een loser, wat een k*tschool";
    found(t, Insult, "sukkel");
    found(t, Insult, "loser");
    assert_eq!(analyse(t).abuse.iter().filter(|a| a.kind == Insult).count(), 2, "k*tschool is not a person");
    for t in [
        "Jij bent een idioot.",
        "Wat een mongool ben jij",
        "Die klootzak van een conciërge",
        "Jezus wat een trut is die juf",
        "Kutwijf!",
        "Noor is een hoer",
        "Hé eikel, geef m'n bal terug",
        "Je bent echt een debiel",
        "Wat een lul is die vent",
        "Ze is een vieze slet",
        "Stelletje sukkels in 3B",
        "Jij vuile rat",
        "Je bent zo lelijk en dik",
        "Wat ben jij achterlijk zeg",
        "die kutleraar weer",
        "Tim is een l00ser",
        "Wat een loooooser",
        "Wat een s u k k e l",
        "Kijk die idioten nou",
    ] {
        has(t, Insult);
    }
}

#[test]
fn insult_hard_negatives() {
    for t in [
        "Je bent geen sukkel, hoor.",
        "Hij is helemaal geen loser",
        "Het was idioot druk in de kantine",
        "Een idioot idee van de gemeente",
        "Ik heb idioot veel huiswerk",
        "Het is niet oké om iemand een sukkel te noemen.",
        "Sorry dat ik zo'n eikel was gisteren.",
        "Ik voelde me echt een klootzak nadat ik dat zei.",
        "We hebben eikels en kastanjes verzameld in het bos.",
        "Wat een kutweer vandaag",
        "Wat een kutdag",
        "Die kut printer doet het weer niet",
        "Wat een teringzooi in de aula",
        "Wat een kanjer ben jij!",
        "De kanjertraining begint morgen",
        "Ik ben zo blij met deze klas",
        "Onze juf is de liefste",
        "Kijk die dikke vis in het aquarium",
        "Hij heeft de pot met verf omgegooid",
        "De apen in Artis waren grappig",
        "We gaan negeren wat er gezegd is", // "negeren" contains "neger"
        "Het negerzoenen-debat kwam in de les voorbij",
        "Ik heb mijn sleutels bij de depot afgegeven",
    ] {
        clean(t);
    }
}

// ---- Slur -----------------------------------------------------------------------------

#[test]
fn slurs() {
    for t in [
        "Vuile flikker",
        "Die neger uit 2C",
        "Rot op, kankerjood",
        "Wat een mietje ben jij",
        "Nog zo'n roetmop",
        "Stelletje kutmarokkanen",
        "Je bent een spast",
        "Typisch gedrag voor een teef",
        "Je bent gewoon een fl1kker",
        "Je bent gewoon een n e g e r",
    ] {
        has(t, Slur);
    }
}

#[test]
fn slur_hard_negatives() {
    for t in [
        "Het is echt niet oké om mensen flikker te noemen.",
        "Mensen die berichten sturen zoals \"je bent een neger\" worden geblokkeerd.",
        "De kreupele hond liep achter ons aan",
        "Hij zei dat dit \"typisch gedrag voor een teef\" was, wat laat zien hoe discriminerend hij is.",
        "Mijn oma zet thee in de pot",
        "Het negerzoenen-debat kwam in de les voorbij",
    ] {
        clean(t);
    }
}

// ---- DiseaseCurse -----------------------------------------------------------------------

#[test]
fn disease_curses() {
    for t in [
        "kankerlijer",
        "Jij tyfuslijer",
        "Die teringhoer moet oppassen",
        "Krijg de tering",
        "krijg toch de kanker jij",
        "Kanker op met je gezeur",
        "Tering mongool",
        "k*nkerlijer",
        "kankerrrrlijer",
        "k a n k e r l i j e r",
        "Je mag de tyfus krijgen",
        "Ik hoop dat je kanker krijgt",
        "klerewijf",
    ] {
        has(t, DiseaseCurse);
    }
    found("Hé kankerjood", Slur, "kankerjood");
}

#[test]
fn disease_curse_hard_negatives() {
    for t in [
        "Wat een kankerweer",
        "Wat een teringzooi",
        "Mijn oma heeft kanker",
        "Sponsorloop tegen kanker op zaterdag",
        "Haar vriend zei dat ze de kanker kon krijgen.",
        "Het is me vaak gezegd dat ik de kanker mag krijgen.",
        "De pest brak uit in de middeleeuwen",
        "Kanker!! Mijn fiets is gestolen",
        "Sponsorloop voor kanker kinderen",
        "Wat een kankerweer, en de kut printer doet het ook niet",
    ] {
        clean(t);
    }
}

// ---- Threat -----------------------------------------------------------------------------

#[test]
fn threats() {
    found("Als je morgen weer naar school komt sla ik je in elkaar Tim", Threat, "sla ik je in elkaar");
    for t in [
        "ik sla je in elkaar",
        "Ik maak je af",
        "ik steek je neer na school",
        "Je bent dood",
        "Ik weet waar je woont",
        "Als je dat nog een keer doet, dan sla ik je helemaal verrot",
        "Pas maar op",
        "Wacht maar tot na school",
        "Ik ga je pakken",
        "Ik ga je vermoorden",
        "We gaan je morgen in elkaar trappen",
        "Ik schiet je neer",
        "Als je het verder vertelt maak ik je kapot",
        "Ik ga de school opblazen",
        "Ik neem morgen een mes mee",
        "morgen neem ik een mes mee naar school",
        "Ga toch dood",
        "Ik pak je!",
        "Ik breek je nek",
        "Ik zal je laten lijden",
    ] {
        has(t, Threat);
    }
}

#[test]
fn threat_hard_negatives() {
    for t in [
        "Ik maak je huiswerk wel af",
        "Ik sla je over in de beurt, oké?",
        "Ik ga je helpen met wiskunde",
        "Ik ga dood van het lachen",
        "Pas maar op met de hete thee",
        "Ik pak je boek even",
        "Ik zou nooit iemand slaan",
        "Ik ga je niet slaan, rustig maar",
        "We hebben de trappen opgeknapt en je kunt het zien",
        "De conciërge maakt het lokaal af",
        "Ik heb zo'n pijn aan mijn knie, weet je",
    ] {
        clean(t);
    }
}

// ---- Sexual -------------------------------------------------------------------------------

#[test]
fn sexual() {
    for t in [
        "Stuur een naaktfoto",
        "stuur nudes",
        "Stuur me een foto van je tieten",
        "Laat je tieten zien",
        "Wil je me een naaktfoto sturen?",
        "Als je niet betaalt zet ik je foto online",
        "Anders zet ik je foto online",
        "Doe je bh eens uit",
        "Ik heb naaktfoto's van je",
    ] {
        has(t, Sexual);
    }
}

#[test]
fn sexual_hard_negatives() {
    for t in [
        "Stuur nooit een naaktfoto van jezelf",
        "Wat te doen als iemand vraagt om nudes te sturen?",
        "Laat het me alsjeblieft weten als ik een lul ben.",
        "Stuur me de foto's van de sportdag",
        "Laat je rapport aan je ouders zien",
        "De foto's van het schoolreisje staan online",
    ] {
        assert!(!kinds(t).contains(&Sexual), "unexpected Sexual in {t:?}");
    }
}

// ---- Bullying -------------------------------------------------------------------------------

#[test]
fn bullying() {
    for t in [
        "Niemand mag met hem praten",
        "Laten we haar buitensluiten",
        "Iedereen moet hem negeren",
        "Gooi haar uit de groep",
        "Zullen we Tim pesten?",
        "Laten we niet meer met haar praten",
        "Je hoort er niet bij",
        "Iedereen haat je",
        "Vanaf nu praat niemand meer met Daan",
    ] {
        has(t, Bullying);
    }
}

#[test]
fn bullying_hard_negatives() {
    for t in [
        "Laten we niemand buitensluiten",
        "Niemand mag gepest worden",
        "We moeten pesten stoppen",
        "Laten we samen pesten tegengaan",
        "Deze week is de week tegen pesten",
        "Laten we met elkaar praten",
        "Ik praat niet met je als je zo doet",
        "Iedereen mag meedoen met de musical",
    ] {
        assert!(!kinds(t).contains(&Bullying), "unexpected Bullying in {t:?}: {:?}", kinds(t));
    }
}

// ---- Hate ---------------------------------------------------------------------------------

#[test]
fn hate_against_groups() {
    for t in [
        "Ik haat vrouwen",
        "Ik haat homo's",
        "Moslims zijn allemaal tuig",
        "Marokkanen zijn ongedierte",
        "Joden horen hier niet",
        "Turken zijn beesten",
        "Vluchtelingen zijn parasieten en moeten het land uit",
        "Ik walg van al die transgenders",
        "Gehandicapten zijn nutteloos",
        "Dood aan alle homo's",
        "Zwarten zijn dommer dan wij",
        "Alle immigranten moeten worden opgesloten",
        "Vrouwen zijn nooit slim genoeg voor wiskunde",
        "Homo's verdienen het niet om te leven",
        "Is het niet duidelijk dat moslims ons land verpesten?",
        "Ik heb niets tegen buitenlanders maar ze zijn allemaal crimineel",
        "Asielzoekers zijn een plaag.",
        "Ik h44t moslims",
        "Vrowen zijn waardeloos",
    ] {
        has(t, Hate);
    }
}

#[test]
fn hate_hard_negatives() {
    for t in [
        "Ik haat vrouwen niet",
        "Ik haat maandagen",
        "Ik hou van homo's",
        "Moslims zijn geen tuig",
        "Zeggen dat moslims tuig zijn is racistisch",
        "Wie 'kankerlijer' roept, hoort hier niet",
        "Uitspraken als \"joden zijn ongedierte\" zijn zeer kwetsend.",
        "Vluchtelingen zijn welkom op onze school",
        "We leren vandaag over de geschiedenis van joden in Nederland",
        "Discriminatie van homo's is walgelijk",
        "Racisme tegen zwarte mensen moet stoppen",
        "Vrouwen verdienen hetzelfde salaris",
        "In groep 8 zitten veel Turkse en Marokkaanse kinderen",
        "Moslims vieren deze week het Suikerfeest",
        "Ik ken niet veel transgenders",
        "Gehandicapten zijn niet minder waard dan anderen",
        "Er zijn maar weinig vluchtelingen bij mij op school",
        "De jodenvervolging is een zwarte bladzijde",
        "Christendom en jodendom zijn religies",
        "Het jodendom kent veel feestdagen",
        "Ik zal de moord op homo's nooit tolereren",
        "Geen enkele vrouw verdient het om geslagen te worden",
    ] {
        clean(t);
    }
}

// ---- robustness -------------------------------------------------------------------------------

#[test]
fn spans_are_sorted_and_on_char_boundaries() {
    let texts = [
        "Ë sukkel 😀 kankerlijer, ik sla je in elkaar — ik haat moslims!",
        "“sukkel” ‘loser’ k*tschool k*nkerlijer ĳsselmeer",
        "ÉÉN KANKERLIJER",
    ];
    for t in texts {
        let a = analyse(t);
        assert!(!a.abuse.is_empty(), "{t}");
        for w in a.abuse.windows(2) {
            assert!(w[0].span.start <= w[1].span.start);
        }
        for x in &a.abuse {
            assert!(t.is_char_boundary(x.span.start) && t.is_char_boundary(x.span.end) && x.span.start < x.span.end);
        }
    }
}

#[test]
fn never_panics_on_odd_input() {
    let mut big = String::new();
    for i in 0..20_000 {
        big.push_str(["sukkel ", "😀", "k*t ", "ë", "\n", "  ", "'", "\"", "1337 ", "k a n k e r ", "x"][i % 11]);
    }
    for t in [
        "",
        " ",
        "😀😀😀",
        "*",
        "k*",
        "*k",
        "a b c d e f",
        "'''''",
        "\"\"\"",
        "?!?!",
        "\u{0}\u{1}\u{7f}",
        "ß ĳ Ǆ",
        "^^^^",
        "k^t",
        "ＳＵＫＫＥＬ",
        big.as_str(),
    ] {
        let _ = analyse(t);
    }
}

#[test]
fn one_megabyte() {
    let unit = "Trots op onze leerlingen van groep 8, wat een prachtige musical! ";
    let text = unit.repeat(1_000_000 / unit.len());
    let a = analyse(&text);
    assert!(a.abuse.is_empty());
}

/// Huge inputs without sentence breaks must stay linear.
#[test]
fn megabyte_without_punctuation() {
    for unit in ["sukkel ", "ik haat moslims en ", "zeggen dat jij een sukkel bent, ", "k a n k e r ", "kk*t ", "'q' \"x\" "] {
        let text = unit.repeat(1_000_000 / unit.len());
        let start = std::time::Instant::now();
        let a = analyse(&text);
        let took = start.elapsed();
        assert!(took.as_secs() < 20, "{unit:?}: {took:?}");
        for w in a.abuse.windows(2) {
            assert!(w[0].span.start <= w[1].span.start);
        }
    }
}
