//! Statements and topics: positives per kind and hard negatives.

use magdit_analysis::{Analysis, Analyzer, StatementKind, StatementKind::*};

fn analyse(text: &str) -> Analysis {
    thread_local! {
        static A: Analyzer = Analyzer::new(&[]);
    }
    A.with(|a| a.analyze(text, &[], None))
}

fn kinds(text: &str) -> Vec<(StatementKind, String)> {
    analyse(text).statements.iter().map(|c| (c.kind, text[c.span.start..c.span.end].to_string())).collect()
}

#[track_caller]
fn has(text: &str, kind: StatementKind, piece: &str) {
    let k = kinds(text);
    assert!(k.iter().any(|(x, s)| *x == kind && s.contains(piece)), "expected {kind:?} covering {piece:?} in {text:?}, got {k:?}");
}

#[track_caller]
fn lacks(text: &str, kind: StatementKind) {
    let k = kinds(text);
    assert!(!k.iter().any(|(x, _)| *x == kind), "unexpected {kind:?} in {text:?}: {k:?}");
}

#[test]
fn seed_scenarios() {
    let t = "Ik vind dat VMBO Maastricht veel meer aandacht moet geven aan techniekonderwijs.";
    has(t, Opinion, "Ik vind");
    has(t, EducationTopic, "techniekonderwijs");
    lacks(t, OpinionNotice);
    let t = "Als medewerker van VMBO Maastricht, en dit is mijn persoonlijke mening: de school zou veel meer aandacht moeten geven aan techniekonderwijs.";
    has(t, EmployeeStatement, "Als medewerker van");
    has(t, OpinionNotice, "persoonlijke mening");
    has(t, PersonalTitle, "persoonlijke mening");
    has(t, Opinion, "zou veel meer aandacht moeten");
    has(t, SchoolMention, "de school");
    let t = "Als medewerker van CVO: dit is mijn persoonlijke mening en staat los van de officiële standpunten van CVO. Ik vind de nieuwe roosterregels niet handig.";
    has(t, OfficialDistance, "los van de officiële standpunten");
    has(t, OpinionNotice, "mijn persoonlijke mening");
    has("Ik werk bij CVO en vind de nieuwe roosterregels niet handig.", EmployeeStatement, "Ik werk bij");
    has("Ik werk bij CVO en vind de nieuwe roosterregels niet handig.", Opinion, "vind de");
    has("Net het rapportgesprek op school gehad, onze dochter doet het super goed!", SchoolConversation, "rapportgesprek");
    has("Net het rapportgesprek op school gehad, onze dochter doet het super goed!", SchoolMention, "op school");
    has("De musical van groep 8!", SchoolMention, "groep 8");
    has("De musical van groep 8!", SchoolMention, "musical");
    has("Wat een geweldige sportdag!", SchoolMention, "sportdag");
    has("Schoolreis!", SchoolMention, "Schoolreis");
    has("Trots op onze leerlingen van De Pontonnier, wat een prachtige musical vanavond!", SchoolMention, "leerlingen");
    has("Noor El Amrani uit 3B is vandaag geschorst, eindelijk rust in de klas.", SchoolMention, "uit 3B");
    has("Noor El Amrani uit 3B is vandaag geschorst, eindelijk rust in de klas.", SchoolMention, "de klas");
    has("Dat klopt gewoon niet, de klas heeft wel degelijk huiswerk gehad.", SchoolMention, "de klas");
    has("Dat klopt gewoon niet, de klas heeft wel degelijk huiswerk gehad.", Opinion, "klopt gewoon niet");
    has("Ik herken dit niet hoor, de school heeft die kwestie juist goed opgepakt.", SchoolMention, "de school");
    let t = "Op persoonlijke titel: interessant onderzoek over leesmotivatie bij kinderen in het basisonderwijs.";
    has(t, PersonalTitle, "Op persoonlijke titel");
    has(t, EducationTopic, "leesmotivatie");
    has(t, EducationTopic, "basisonderwijs");
    lacks("Heerlijk weekend gehad in de Ardennen met het hele gezin!", SchoolMention);
    lacks("Heerlijk weekend gehad in de Ardennen met het hele gezin!", Opinion);
}

#[test]
fn notices_and_titles() {
    has("Dit is mijn eigen mening.", OpinionNotice, "mijn eigen mening");
    has("Privémening: het rooster is te vol", OpinionNotice, "Privémening");
    has("Privé-mening!", OpinionNotice, "Privé-mening");
    has("Mijn mening is persoonlijk", OpinionNotice, "mening is persoonlijk");
    has("Dit schrijf ik op eigen titel", PersonalTitle, "op eigen titel");
    has("Ik reageer hier als privépersoon", PersonalTitle, "als privépersoon");
    has("Dit is mijn eigen mening.", PersonalTitle, "mijn eigen mening");
}

#[test]
fn on_behalf_and_distance() {
    has("Namens de school wensen we iedereen een fijne vakantie", OnBehalfOfSchool, "Namens de school");
    has("Namens het team: bedankt!", OnBehalfOfSchool, "Namens het team");
    has("Namens de directie, hartelijk dank", OnBehalfOfSchool, "Namens de directie");
    has("Dit is niet noodzakelijk het standpunt van de school", OfficialDistance, "niet noodzakelijk het standpunt van de school");
    has("Dit is geen officieel standpunt", OfficialDistance, "geen officieel standpunt");
    has("Mijn berichten staan los van mijn werkgever", OfficialDistance, "staan los van");
    has("wat niet overeen hoeft te komen met het standpunt van de school", OfficialDistance, "niet overeen hoeft te komen met");
    has(
        "De school is niet verantwoordelijk voor de inhoud, reacties en uitlatingen van derden.",
        ThirdPartyDisclaimer,
        "niet verantwoordelijk voor de inhoud",
    );
    has("Wij zijn niet verantwoordelijk voor reacties", ThirdPartyDisclaimer, "niet verantwoordelijk voor reacties");
    has("Reacties van derden worden niet gemodereerd", ThirdPartyDisclaimer, "Reacties van derden");
}

#[test]
fn employee() {
    for (t, p) in [
        ("Ik werk op een basisschool in Utrecht", "Ik werk op"),
        ("Als docent van het Stedelijk zie ik dat elke dag", "Als docent"),
        ("Als leerkracht merk ik dat ook", "Als leerkracht"),
        ("Ik ben docent wiskunde", "Ik ben docent"),
        ("Ik ben leraar op een vmbo", "Ik ben leraar"),
        ("werkzaam bij Stichting Marel", "werkzaam bij"),
        ("Als juf van groep 3 ben ik trots", "Als juf"),
    ] {
        has(t, EmployeeStatement, p);
    }
}

#[test]
fn opinions() {
    for (t, p) in [
        ("Naar mijn mening moet het anders", "Naar mijn mening"),
        ("Mijns inziens is dit onverstandig", "Mijns inziens"),
        ("Volgens mij klopt dat niet", "Volgens mij"),
        ("Ik denk dat we beter kunnen stoppen", "Ik denk dat"),
        ("Ik ben van mening dat dit anders moet", "Ik ben van mening"),
        ("Het is schandalig hoe dit gaat", "schandalig"),
        ("Dit is echt belachelijk", "belachelijk"),
        ("De gemeente zou hier veel meer geld in moeten steken", "zou hier veel meer geld in moeten"),
        ("Dat vind ik niet kunnen", "vind ik"),
    ] {
        has(t, Opinion, p);
    }
    lacks("De zon scheen. Ik zou gaan. Morgen moeten we vroeg op.", Opinion);
}

#[test]
fn school_conversation() {
    for (t, p) in [
        ("Vanavond de tienminutengesprekken", "tienminutengesprekken"),
        ("Het 10-minutengesprek was fijn", "10-minutengesprek"),
        ("Morgen oudergesprek", "oudergesprek"),
        ("Goed gesprek met de juf gehad", "gesprek met de juf"),
        ("Gesprek met de mentor over de profielkeuze", "Gesprek met de mentor"),
        ("Het adviesgesprek voor het voortgezet onderwijs", "adviesgesprek"),
        ("Volgende week is de rapportbespreking", "rapportbespreking"),
    ] {
        has(t, SchoolConversation, p);
    }
}

#[test]
fn education_and_school_mentions() {
    has("Het lerarentekort raakt het hele onderwijs", EducationTopic, "onderwijs");
    has("Over didactiek en lesgeven", EducationTopic, "didactiek");
    has("Klas 3B had vandaag vrij", SchoolMention, "Klas 3B");
    has("Ik zit in 2ha", SchoolMention, "in 2ha");
    has("Groep 7/8 gaat op kamp", SchoolMention, "Groep 7/8");
    has("De juf had taart mee", SchoolMention, "juf");
    has("Na de les gingen we naar huis", SchoolMention, "de les");
    has("Fijne ouderavond gehad", SchoolMention, "ouderavond");
    lacks("We keken een film in 3D", SchoolMention);
    lacks("Ik heb 3 katten en een hond", SchoolMention);
    lacks("Het lesbische stel uit de straat", SchoolMention);
}

#[test]
fn spans_sorted_and_odd_input() {
    let t = "😀 Namens de school: dit is mijn persoonlijke mening, ik vind dat groep 8 en klas 3B… prima.";
    let a = analyse(t);
    for w in a.statements.windows(2) {
        assert!(w[0].span.start <= w[1].span.start);
    }
    for s in &a.statements {
        assert!(t.is_char_boundary(s.span.start) && t.is_char_boundary(s.span.end));
    }
    for t in ["", "groep", "groep 8", "klas", "klas 3", "zou", "zou moeten", "in 3B", "Ｇroep 8"] {
        let _ = analyse(t);
    }
}
