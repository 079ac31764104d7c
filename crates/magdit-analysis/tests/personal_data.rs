//! Personal data in Dutch texts, with the hard negatives that look like it.

use magdit_analysis::{Analyzer, PeopleIndex, PersonalDataKind as K};

fn found_with(text: &str, people: &[&str]) -> Vec<(K, String)> {
    let people: PeopleIndex = people.iter().collect();
    Analyzer::new(&[])
        .analyze(text, &[&people], None)
        .personal_data
        .iter()
        .map(|d| (d.kind, text[d.span.start..d.span.end].to_string()))
        .collect()
}

fn found(text: &str) -> Vec<(K, String)> {
    found_with(text, &[])
}

fn one(kind: K, s: &str) -> Vec<(K, String)> {
    vec![(kind, s.to_string())]
}

#[test]
fn phone_numbers() {
    for n in [
        "06-12345678",
        "06 1234 5678",
        "0612345678",
        "020-1234567",
        "043 123 4567",
        "(043) 1234567",
        "+31 6 12345678",
        "0031 6 12345678",
        "+31(0)6-12345678",
        "+31 (0)6 1234 5678",
        "0800-1234",
        "0900-1234567",
        "06 12 34 56 78",
        "(06)55555555",
        "030 - 5555 555",
        "06 555 555 55",
        "+31887555555",
        "+32 470 12 34 56",
    ] {
        assert_eq!(
            found(&format!("Bel me op {n}, graag.")),
            one(K::Phone, n),
            "{n}"
        );
    }
}

#[test]
fn e_mail_and_urls() {
    assert_eq!(
        found("Mail naar s.devries@school.nl."),
        one(K::Email, "s.devries@school.nl")
    );
    assert_eq!(
        found("mail: info@de-school.amsterdam"),
        one(K::Email, "info@de-school.amsterdam")
    );
    assert_eq!(
        found("Zie https://www.school.nl/agenda?id=3."),
        one(K::Url, "https://www.school.nl/agenda?id=3")
    );
    assert_eq!(
        found("Kijk op www.school.nl!"),
        one(K::Url, "www.school.nl")
    );
    assert_eq!(
        found("Inschrijven via school.nl/inschrijven"),
        one(K::Url, "school.nl/inschrijven")
    );
    // A missing space after a full stop is no web address.
    assert_eq!(found("Het was leuk in de klas.De kinderen lachten."), []);
}

#[test]
fn bsn_only_with_valid_elfproef() {
    assert_eq!(found("BSN 111222333"), one(K::Bsn, "111222333"));
    assert_eq!(found("bsn: 123.456.782"), one(K::Bsn, "123.456.782"));
    assert_eq!(
        found("nummer 123 456 782 graag"),
        one(K::Bsn, "123 456 782")
    );
    assert_eq!(found("BSN 123456789"), []);
    assert_eq!(found("bsn 12345672"), one(K::Bsn, "12345672"));
    // Eight digits pass the check by chance, so not without the word.
    assert_eq!(found("bestelnummer 12345672"), []);
    assert_eq!(found("€ 1.123.456.782"), []);
}

#[test]
fn iban_only_with_valid_checksum() {
    assert_eq!(
        found("IBAN NL91ABNA0417164300 t.n.v."),
        one(K::Iban, "NL91ABNA0417164300")
    );
    assert_eq!(
        found("rekening NL91 ABNA 0417 1643 00."),
        one(K::Iban, "NL91 ABNA 0417 1643 00")
    );
    assert_eq!(
        found("op nl91abna0417164300"),
        one(K::Iban, "nl91abna0417164300")
    );
    assert_eq!(
        found("BE68 5390 0754 7034 of DE89 3704 0044 0532 0130 00"),
        vec![
            (K::Iban, "BE68 5390 0754 7034".to_string()),
            (K::Iban, "DE89 3704 0044 0532 0130 00".to_string()),
        ]
    );
    assert_eq!(found("IBAN NL91ABNA0417164301"), []);
    assert_eq!(found("NL92 ABNA 0417 1643 00"), []);
}

#[test]
fn postcodes_and_addresses() {
    assert_eq!(found("Postcode 6211 AB"), one(K::Postcode, "6211 AB"));
    assert_eq!(
        found("Ze woont in 6211AB Maastricht."),
        one(K::Postcode, "6211AB Maastricht")
    );
    assert_eq!(
        found("Ze woont op de Kerkstraat 12a."),
        one(K::Address, "Kerkstraat 12a")
    );
    assert_eq!(
        found("Van Goghstraat 3-II"),
        one(K::Address, "Goghstraat 3-II")
    );
    assert_eq!(
        found("Markt 12, 6211 CK Maastricht"),
        vec![
            (K::Address, "Markt 12".to_string()),
            (K::Postcode, "6211 CK Maastricht".to_string()),
        ]
    );
    assert_eq!(found("Postbus 1234"), one(K::Address, "Postbus 1234"));
    // A number and a word, a dose, a city before a year, a street without number.
    for t in [
        "In 2012 gingen 1234 kinderen",
        "1250 mg per dag",
        "1250mg",
        "Rotterdam 2024 was leuk",
        "Op het Schoolplein spelen",
    ] {
        assert_eq!(found(t), [], "{t}");
    }
    // "Mark" is a name, "markt" is a market: neither is an address without a number.
    assert_eq!(found("Mark ging naar de markt"), []);
}

#[test]
fn birth_dates_in_context_only() {
    assert_eq!(
        found("Geboren op 12-03-2012 in Utrecht"),
        one(K::BirthDate, "12-03-2012")
    );
    assert_eq!(found("geb. 12/03/2012"), one(K::BirthDate, "12/03/2012"));
    assert_eq!(
        found("Geboortedatum: 3 jan. 2011"),
        one(K::BirthDate, "3 jan. 2011")
    );
    assert_eq!(
        found("Daan is op 12 maart jarig!"),
        one(K::BirthDate, "12 maart")
    );
    assert_eq!(
        found_with(
            "Sanne de Vries (12-03-2012) zit in groep 8",
            &["Sanne de Vries"]
        ),
        one(K::BirthDate, "12-03-2012")
    );
    assert_eq!(
        found("Fatima, 04-11-2013, groep 5"),
        one(K::BirthDate, "04-11-2013")
    );
    // Dates of events, times, money, years and class names are not personal data.
    for t in [
        "De ouderavond is op 12-03-2024 om 19:30.",
        "Om 12:30 eten we",
        "Dat kost € 12,50",
        "In 2012 en 2013",
        "Groep 8 en klas 3B",
        "Ontruimingsoefening 12 maart",
    ] {
        assert_eq!(found(t), [], "{t}");
    }
}

#[test]
fn pupil_numbers() {
    assert_eq!(
        found("leerlingnummer 123456"),
        one(K::PupilNumber, "123456")
    );
    assert_eq!(
        found("Lln. 123456 is afwezig"),
        one(K::PupilNumber, "123456")
    );
    assert_eq!(found("leerlingnr: 1234567"), one(K::PupilNumber, "1234567"));
    // Even if the number would pass the elfproef, the word says what it is.
    assert_eq!(
        found("leerlingnummer 111222333"),
        one(K::PupilNumber, "111222333")
    );
}

#[test]
fn no_panics_and_char_boundaries() {
    let long = "Bel 06-12345678 of mail a@b.nl, Kerkstraat 1, 1234 AB Utrecht, geb. 1-2-2012. "
        .repeat(300);
    let texts = [
        "",
        "0",
        "+",
        "+3",
        "(0",
        "06-",
        "NL91",
        "nl91 abna",
        "@",
        "www.",
        "http://",
        "1234 ÄB",
        "🎉 06 1234 5678 🎉",
        "Straße 12",
        "Ünalstraat 5",
        "０６１２３４５６７８",
        "12\u{a0}maart 2012 geboren",
        "Geboren 31-02-2012",
        "é@é.nl",
        "leerlingnummer ١٢٣٤٥٦",
    ];
    for text in texts.iter().copied().chain([long.as_str()]) {
        let a = Analyzer::new(&[]).analyze(text, &[], None);
        for d in &a.personal_data {
            assert!(
                text.is_char_boundary(d.span.start)
                    && text.is_char_boundary(d.span.end)
                    && d.span.start < d.span.end
            );
        }
        assert!(a
            .personal_data
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start));
    }
}

/// Pseudo-random texts from pieces that trip up scanners: digits and separators, names,
/// street words, multi-byte characters. Nothing may panic; spans stay on char boundaries.
#[test]
fn random_texts() {
    let pieces = [
        "0",
        "06",
        "+31",
        "(0)",
        "-",
        " ",
        ".",
        "/",
        ":",
        ",",
        "@",
        "www.",
        ".nl",
        "://",
        "NL91",
        "ABNA",
        "1234",
        "AB",
        "ab",
        "straat",
        "Kerk",
        " 12",
        "a",
        "II",
        "geboren",
        "jarig",
        "maart",
        "2012",
        "Sanne",
        "de",
        "Vries",
        "mevrouw",
        "J.",
        "van der",
        "é",
        "ë",
        "ß",
        "🎉",
        "\u{a0}",
        "\n",
        "’s",
        "İ",
        "ı",
        "١",
        "'",
        "`",
        "lln.",
        "bsn",
        "123.456.782",
        "Postbus",
        "Ünal",
    ];
    let people: PeopleIndex = ["Sanne de Vries", "Ünal Çelik", "Jo"].into_iter().collect();
    let analyzer = Analyzer::new(&[]);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(x % 40) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(pieces[(x % pieces.len() as u64) as usize]);
        }
        let a = analyzer.analyze(&text, &[&people], Some(2));
        let spans = a
            .personal_data
            .iter()
            .map(|d| d.span)
            .chain(a.people.iter().map(|p| p.span))
            .chain(a.other_names.iter().copied());
        for s in spans {
            assert!(
                s.start < s.end && text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
                "{text:?}"
            );
        }
    }
}
