//! Confidential matters: positives per kind and hard negatives.

use magdit_analysis::{Analysis, Analyzer, ConfidentialKind, ConfidentialKind::*};

fn analyse(text: &str) -> Analysis {
    thread_local! {
        static A: Analyzer = Analyzer::new(&[]);
    }
    A.with(|a| a.analyze(text, &[], None))
}

fn kinds(text: &str) -> Vec<(ConfidentialKind, String)> {
    analyse(text).confidential.iter().map(|c| (c.kind, text[c.span.start..c.span.end].to_string())).collect()
}

#[track_caller]
fn has(text: &str, kind: ConfidentialKind, piece: &str) {
    let k = kinds(text);
    assert!(k.iter().any(|(x, s)| *x == kind && s.contains(piece)), "expected {kind:?} covering {piece:?} in {text:?}, got {k:?}");
}

#[track_caller]
fn lacks(text: &str, kind: ConfidentialKind) {
    let k = kinds(text);
    assert!(!k.iter().any(|(x, _)| *x == kind), "unexpected {kind:?} in {text:?}: {k:?}");
}

#[track_caller]
fn none(text: &str) {
    let k = kinds(text);
    assert!(k.is_empty(), "expected nothing confidential in {text:?}, got {k:?}");
}

#[test]
fn seed_scenarios() {
    let t = "Vertrouwelijk: Noor heeft de diagnose ADHD gekregen, het zorgdossier stuur ik je nog.";
    has(t, Marked, "Vertrouwelijk");
    has(t, Health, "diagnose");
    has(t, Health, "ADHD");
    has(t, Care, "zorgdossier");
    let t = "Vertrouwelijk: het verslag van het zorgoverleg over uw zoon vindt u in de bijlage.";
    has(t, Marked, "Vertrouwelijk");
    has(t, Care, "zorgoverleg");
    let t = "Vertrouwelijk: de ouders van Daan gaan scheiden, houd er rekening mee.";
    has(t, Family, "scheiden");
    has("Noor El Amrani uit 3B is vandaag geschorst, eindelijk rust in de klas.", Discipline, "geschorst");
    none("Heerlijk weekend gehad in de Ardennen met het hele gezin!");
    none("Op persoonlijke titel: interessant onderzoek over leesmotivatie bij kinderen in het basisonderwijs.");
}

#[test]
fn health() {
    has("Sanne is al een week ziek", Health, "ziek");
    has("Hij ligt in het ziekenhuis", Health, "ziekenhuis");
    has("Daan gebruikt sinds kort Ritalin", Health, "Ritalin");
    has("Bij haar is dyslexie vastgesteld", Health, "dyslexie");
    has("Zijn autisme maakt de overgang lastig", Health, "autisme");
    has("Ze heeft last van een angststoornis", Health, "angststoornis");
    has("Tim kreeg een epileptische aanval in de gymles", Health, "epileptische aanval");
    has("Hij zit in de ziekenhuisopname-procedure", Health, "ziekenhuisopname");
    has("Zijn moeder heeft kanker", Health, "kanker");
}

#[test]
fn health_hard_negatives() {
    lacks("Die nieuwe schoenen zijn ziek mooi", Health);
    lacks("Dat feest was ziek leuk!", Health);
    lacks("Krijg de kanker", Health);
    lacks("Kanker op jij", Health);
    lacks("Kun je me even toevoegen? add me!", Health);
    lacks("We leerden over medische geschiedenis", Health);
}

#[test]
fn care() {
    has("Het zorgplan wordt besproken met de ib'er", Care, "zorgplan");
    has("De intern begeleider heeft contact opgenomen", Care, "intern begeleider");
    has("Er is een melding bij Veilig Thuis gedaan", Care, "Veilig Thuis");
    has("Er is jeugdzorg betrokken bij het gezin", Care, "jeugdzorg");
    has("Voor Lisa is een OPP opgesteld", Care, "OPP");
    has("Hij krijgt extra begeleiding bij rekenen", Care, "extra begeleiding");
    has("Daan heeft een rugzakje aangevraagd", Care, "rugzak");
    has("Zijn ontwikkelingsperspectief is bijgesteld", Care, "ontwikkelingsperspectief");
}

#[test]
fn care_hard_negatives() {
    lacks("Vergeet je rugzak niet voor het schoolreisje", Care);
    lacks("De begeleiding van de schoolreis was top", Care);
    lacks("Kijk opp de site", Care);
}

#[test]
fn family() {
    has("Zijn ouders zijn gescheiden", Family, "gescheiden");
    has("De vader van Noor is vorige week overleden", Family, "overleden");
    has("Er is sprake van huiselijk geweld", Family, "huiselijk geweld");
    has("Na de uithuisplaatsing woont ze in een pleeggezin", Family, "uithuisplaatsing");
    has("De thuissituatie is lastig", Family, "thuissituatie");
    has("Wie heeft de voogdij?", Family, "voogdij");
}

#[test]
fn family_hard_negatives() {
    lacks("Op school leren we afval scheiden", Family);
    lacks("Gescheiden afval gaat in de groene bak", Family);
}

#[test]
fn discipline() {
    has("Tim is geschorst voor drie dagen", Discipline, "geschorst");
    has("De schorsing gaat morgen in", Discipline, "schorsing");
    has("Hij is van school verwijderd", Discipline, "van school verwijderd");
    has("Na de verwijdering van school moest hij een nieuwe school zoeken", Discipline, "verwijdering van school");
    has("Ze is uit de les gestuurd", Discipline, "uit de les gestuurd");
}

#[test]
fn discipline_hard_negatives() {
    lacks("Ik moest nablijven voor mijn huiswerk", Discipline);
    lacks("De foto is verwijderd van Instagram", Discipline);
    lacks("Verwijdering van de oude website gaat morgen", Discipline);
}

#[test]
fn marks() {
    has("Sanne had een 3 voor wiskunde", Marks, "een 3 voor");
    has("Hij heeft een 5,5 gehaald", Marks, "een 5,5 gehaald");
    has("Daan blijft zitten dit jaar", Marks, "blijft zitten");
    has("Haar cito-score was 535", Marks, "cito-score");
    has("Het schooladvies van Tim is havo", Marks, "schooladvies");
    has("Zijn cijfers zijn slecht", Marks, "Zijn cijfers");
    has("Drie onvoldoendes op het rapport", Marks, "onvoldoendes");
    has("Hij kreeg een havo-advies", Marks, "havo-advies");
}

#[test]
fn marks_hard_negatives() {
    lacks("Net het rapportgesprek op school gehad, onze dochter doet het super goed!", Marks);
    lacks("De rapporten worden vrijdag meegegeven", Marks);
    lacks("Groep 8 heeft een 3 voor 1 actie bij de bakker", Marks);
    lacks("De cijfers van de enquête zijn binnen", Marks);
    lacks("We gaan om 3 voor 12 naar binnen", Marks);
    lacks("Een voldoende hoeveelheid drinken meenemen", Marks);
}

#[test]
fn investigation() {
    has("De politie doet onderzoek naar de vechtpartij", Investigation, "politie");
    has("Er is aangifte gedaan", Investigation, "aangifte");
    has("De school heeft een melding gedaan", Investigation, "melding gedaan");
    has("De wijkagent kwam langs", Investigation, "wijkagent");
    has("Hij moet naar Bureau Halt", Investigation, "Bureau Halt");
}

#[test]
fn investigation_hard_negatives() {
    lacks("Zet je meldingen uit tijdens de les", Investigation);
    lacks("Interessant onderzoek naar leesmotivatie", Investigation);
}

#[test]
fn marked() {
    has("Dit is strikt vertrouwelijk", Marked, "strikt vertrouwelijk");
    has("Niet doorvertellen hoor!", Marked, "Niet doorvertellen");
    has("Dit blijft onder ons", Marked, "onder ons");
    has("Het is geheim", Marked, "geheim");
    has("We bieden een vertrouwelijk gesprek aan", Marked, "vertrouwelijk");
}

#[test]
fn spans_sorted_and_odd_input() {
    let t = "Vertrouwelijk 😀: Noor (groep 8) heeft ADHD én dyslexie, is ziek, ouders gescheiden, geschorst, een 4 voor rekenen.";
    let a = analyse(t);
    assert!(a.confidential.len() >= 6, "{:?}", kinds(t));
    for w in a.confidential.windows(2) {
        assert!(w[0].span.start <= w[1].span.start);
    }
    for c in &a.confidential {
        assert!(t.is_char_boundary(c.span.start) && t.is_char_boundary(c.span.end));
    }
    for t in ["", "1", "een 1", "een 10,", "een 7,5", "een 9. voor", "ë ziek", "ziek", "ADD"] {
        let _ = analyse(t);
    }
}
