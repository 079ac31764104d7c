//! parse() on example exports (tests/data, fictitious people) and on hand-made bytes.

use magdit_import::{
    export, parse, Encoding, Format, GuardianLink, ImportError, ParseOptions, ParsedRoster, Reason, Rejected, Row,
    MAX_BYTES, MAX_ROWS,
};
use magdit_store::{Person, PersonId, PersonInput, Role, SchoolId};
use time::macros::date;
use time::{Date, OffsetDateTime};

fn options() -> ParseOptions {
    ParseOptions { today: date!(2025 - 06 - 01), format: None }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn parsed(name: &str) -> ParsedRoster {
    parse(&fixture(name), &options()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A row as a tuple that reads well in an assertion.
fn summary(row: &Row) -> (u64, &str, &str, Role, Option<Date>, Option<&str>, Vec<&str>) {
    let p = &row.person;
    (
        row.line,
        p.external_id.as_str(),
        p.name.as_str(),
        p.role,
        p.date_of_birth,
        p.group.as_deref(),
        row.guardians.iter().map(String::as_str).collect(),
    )
}

fn rejected(line: u64, column: Option<&str>, reason: Reason) -> Rejected {
    Rejected { line, column: column.map(str::to_string), reason }
}

fn ignored(roster: &ParsedRoster) -> Vec<(&str, &Reason)> {
    roster.ignored_columns.iter().map(|c| (c.column.as_str(), &c.reason)).collect()
}

#[test]
fn magister_semicolons_utf8_with_bom_and_guardian_columns() {
    let r = parsed("magister.csv");
    assert_eq!((r.format, r.encoding, r.delimiter), (Format::Magister, Encoding::Utf8Bom, ';'));
    let rows: Vec<_> = r.people.iter().map(summary).collect();
    let pupil = Role::Pupil;
    let parent = Role::Parent;
    assert_eq!(
        rows,
        vec![
            (
                2,
                "10234",
                "Sanne van der Berg",
                pupil,
                Some(date!(2011 - 03 - 14)),
                Some("1A"),
                vec!["o-5001", "o-5002"]
            ),
            (2, "o-5001", "Marieke van der Berg", parent, None, None, vec![]),
            (2, "o-5002", "Thomas van der Berg", parent, None, None, vec![]),
            (3, "10235", "Daan Jansen", pupil, Some(date!(2010 - 11 - 02)), Some("1B"), vec!["o-5003"]),
            (3, "o-5003", "Petra Jansen", parent, None, None, vec![]),
            (4, "10236", "Zoë de Vries", pupil, Some(date!(2011 - 09 - 07)), Some("1A"), vec!["o-5004"]),
            (4, "o-5004", "Eva de Vries", parent, None, None, vec![]),
            // A sibling: the same guardians, not made twice.
            (5, "10237", "Noah van der Berg", pupil, Some(date!(2013 - 06 - 01)), Some("1C"), vec!["o-5001", "o-5002"]),
            (6, "10238", "Lotte Smit", pupil, Some(date!(2011 - 05 - 20)), Some("1B"), vec![]),
        ]
    );
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    assert_eq!(ignored(&r), vec![("BSN", &Reason::PersonalNumber), ("Mentor", &Reason::UnknownColumn)]);
}

#[test]
fn a_bsn_is_never_kept() {
    let r = parsed("magister.csv");
    // The BSN of line 2 appears nowhere in what parse returns.
    assert!(!format!("{r:?}").contains("123456782"));
    assert_eq!(
        r.ignored_columns[0].reason.nl(),
        "een BSN (of een nummer dat ervoor in de plaats komt) bewaart magdit nooit; kolom overgeslagen"
    );
}

#[test]
fn parnassys_in_windows_1252() {
    let bytes = fixture("parnassys.csv");
    // The fixture must stay Windows-1252: é is the single byte E9, ë is EB.
    assert!(std::str::from_utf8(&bytes).is_err());
    assert!(bytes.contains(&0xE9) && bytes.contains(&0xEB));

    let r = parsed("parnassys.csv");
    assert_eq!((r.format, r.encoding, r.delimiter), (Format::ParnasSys, Encoding::Windows1252, ';'));
    let rows: Vec<_> = r.people.iter().map(summary).collect();
    assert_eq!(
        rows,
        vec![
            (2, "2001", "Renée Hoekstra", Role::Pupil, Some(date!(2017 - 01 - 12)), Some("Groep 3"), vec!["p-801"]),
            (2, "p-801", "Inge Hoekstra", Role::Parent, None, None, vec![]),
            (3, "2002", "Chloë van Dijk", Role::Pupil, Some(date!(2016 - 04 - 03)), Some("Groep 4"), vec!["p-802"]),
            (3, "p-802", "Daniël van Dijk", Role::Parent, None, None, vec![]),
            (4, "2003", "Joëlle Bos", Role::Pupil, Some(date!(2015 - 02 - 28)), Some("Groep 5"), vec![]),
        ]
    );
    assert!(r.rejected.is_empty() && r.ignored_columns.is_empty());
}

#[test]
fn somtoday_commas_crlf_and_quoted_multi_line_fields() {
    let r = parsed("somtoday.csv");
    assert_eq!((r.format, r.encoding, r.delimiter), (Format::Somtoday, Encoding::Utf8, ','));
    let lines: Vec<(u64, &str, &str)> =
        r.people.iter().map(|row| (row.line, row.person.external_id.as_str(), row.person.name.as_str())).collect();
    assert_eq!(
        lines,
        vec![
            (2, "300101", "Bram Visser"),
            (2, "v-9001", "Karin Visser"),
            (3, "300102", "Fleur van Leeuwen"),
            (3, "v-9002", "Erik van Leeuwen"),
            // Line 3's remark runs over line 4.
            (5, "300103", "Mila Mulder"),
            // Line 6's remark runs over lines 7 (blank) and 8.
            (6, "300104", "Sem de Graaf"),
            (6, "v-9003", "Anouk de Graaf"),
            (9, "300105", "Julia Visser"),
        ]
    );
    assert_eq!(r.people[2].person.group.as_deref(), Some("2A"));
    assert_eq!(r.people[7].guardians, vec!["v-9001".to_string()]);
    assert!(r.rejected.is_empty());
    assert_eq!(ignored(&r), vec![("Lesgroepen", &Reason::UnknownColumn), ("Opmerking", &Reason::UnknownColumn)]);
}

#[test]
fn line_numbers_count_blank_lines_and_every_kind_of_line_end() {
    for end in ["\n", "\r\n", "\r"] {
        let csv = ["", "Stamnr;Roepnaam;Achternaam", "", "1;Ot;Vos", "", "", "2;\"Sien", "Anna\";Vos", "3;Pim;Vos", ""]
            .join(end);
        let r = parse(csv.as_bytes(), &options()).unwrap();
        let lines: Vec<(u64, &str)> = r.people.iter().map(|row| (row.line, row.person.name.as_str())).collect();
        assert_eq!(lines, vec![(4, "Ot Vos"), (7, "Sien Anna Vos"), (9, "Pim Vos")], "line end {end:?}");
    }
}

#[test]
fn employees_with_roles() {
    let r = parsed("employees.csv");
    assert_eq!(r.format, Format::Employees);
    let people: Vec<(u64, &str, &str, Role)> = r
        .people
        .iter()
        .map(|row| (row.line, row.person.external_id.as_str(), row.person.name.as_str(), row.person.role))
        .collect();
    assert_eq!(
        people,
        vec![
            (2, "JDV", "Jeroen de Vries", Role::Employee),
            (3, "MBK", "Mirjam Bakker", Role::Manager),
            (4, "STK", "Stefan Kok", Role::Employee),
            (5, "ALB", "Anja van Loon", Role::Manager),
            // No Functie: an employee list's people are employees.
            (6, "HVR", "Henk Vermeer", Role::Employee),
            (8, "WWO", "Wim Wouters", Role::Volunteer),
        ]
    );
    // Employees' birth dates are not read at all.
    assert!(r.people.iter().all(|row| row.person.date_of_birth.is_none()));
    assert_eq!(r.rejected, vec![rejected(7, Some("Functie"), Reason::UnknownRole { value: "Astronaut".into() })]);
    assert_eq!(ignored(&r), vec![("Geboortedatum", &Reason::UnknownColumn), ("E-mail", &Reason::UnknownColumn)]);
}

#[test]
fn oneroster_users_with_agents_statuses_and_roles() {
    let r = parsed("oneroster-users.csv");
    assert_eq!((r.format, r.delimiter), (Format::OneRoster, ','));
    let people: Vec<_> = r
        .people
        .iter()
        .map(|row| {
            (
                row.line,
                row.person.external_id.as_str(),
                row.person.name.as_str(),
                row.person.role,
                row.guardians.iter().map(String::as_str).collect(),
                row.children.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        people,
        vec![
            (2, "stu-1", "Lieke Bakker", Role::Pupil, vec!["par-1", "par-2"], vec![]),
            // preferredGivenName is the roepnaam.
            (3, "stu-2", "Hans Hendriks", Role::Pupil, vec!["par-3"], vec![]),
            // The links listed on the parents' side too are on the pupils' rows once.
            (5, "par-1", "Ingrid Bakker", Role::Parent, vec![], vec![]),
            (6, "par-2", "Kees Bakker", Role::Parent, vec![], vec![]),
            // stu-9 is not in this file: the link stays with the parent.
            (7, "par-3", "Fatima Hendriks", Role::Parent, vec![], vec!["stu-9"]),
            (8, "tea-1", "Rob van Dijkstra", Role::Employee, vec![], vec![]),
            (9, "adm-1", "Saskia Meijer", Role::Manager, vec![], vec![]),
            (10, "aid-1", "Tim Peters", Role::Employee, vec![], vec![]),
        ]
    );
    assert_eq!(
        r.rejected,
        vec![
            rejected(4, Some("status"), Reason::MarkedForDeletion),
            rejected(11, Some("role"), Reason::UnknownRole { value: "superhero".into() }),
        ]
    );
    assert!(ignored(&r).contains(&("password", &Reason::UnknownColumn)));
}

#[test]
fn bad_rows_are_rejected_with_line_column_and_reason() {
    let r = parsed("bad-rows.csv");
    assert_eq!(
        r.rejected,
        vec![
            rejected(4, Some("Achternaam"), Reason::Missing),
            rejected(5, Some("Geboortedatum"), Reason::BadDate { value: "31-02-2012".into() }),
            rejected(6, Some("Stamnr"), Reason::DuplicateId { id: "20001".into(), first_line: 2 }),
            rejected(7, Some("Stamnr"), Reason::Missing),
            rejected(8, Some("Geboortedatum"), Reason::ImplausibleDate { value: "05-05-2031".into() }),
            rejected(9, Some("Ouder/verzorger 1"), Reason::GuardianWithoutId),
            rejected(10, Some("Ouder/verzorger 1"), Reason::GuardianNameConflict { id: "g-1".into(), first_line: 2 }),
            rejected(11, None, Reason::FieldCount { found: 4, expected: 9 }),
            // Line 12 has only empty cells: skipped, not rejected.
            rejected(13, None, Reason::FieldCount { found: 10, expected: 9 }),
            rejected(14, Some("Geboortedatum"), Reason::ImplausibleDate { value: "1899-12-31".into() }),
        ]
    );
    let people: Vec<(u64, &str, Vec<&str>)> = r
        .people
        .iter()
        .map(|row| (row.line, row.person.external_id.as_str(), row.guardians.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        people,
        vec![
            (2, "20001", vec!["g-1"]),
            (2, "g-1", vec![]),
            // The pupil stays when only their guardian cell is wrong.
            (9, "20005", vec![]),
            (10, "20006", vec!["g-1"]),
            (15, "20011", vec!["g-1"]),
        ]
    );
    // The first name given for g-1 is kept.
    assert_eq!(r.people[1].person.name, "Hanna Peeters");
}

#[test]
fn rejections_read_in_dutch_and_english() {
    let r = parsed("bad-rows.csv");
    assert_eq!(
        r.rejected[1].nl(),
        "regel 5, kolom ‘Geboortedatum’: ‘31-02-2012’ is geen geldige datum (gebruik dd-mm-jjjj of jjjj-mm-dd)"
    );
    assert_eq!(
        r.rejected[1].en(),
        "line 5, column ‘Geboortedatum’: ‘31-02-2012’ is not a valid date (use dd-mm-yyyy or yyyy-mm-dd)"
    );
    assert_eq!(r.rejected[2].nl(), "regel 6, kolom ‘Stamnr’: nummer ‘20001’ staat al op regel 2");
    assert_eq!(
        r.rejected[7].en(),
        "line 11: the line has 4 fields and the header 9 (a stray delimiter or quote in a field?)"
    );
    // Every reason has a text in both languages.
    for rej in &r.rejected {
        assert!(!rej.reason.nl().is_empty() && !rej.reason.en().is_empty() && rej.reason.nl() != rej.reason.en());
    }
}

#[test]
fn magdit_format_rejects_birth_dates_of_non_pupils_and_missing_roles() {
    let csv = "external_id;name;role;date_of_birth;group;guardians\n\
               m-1;Sophie Willems;employee;01-01-1990;;\n\
               m-2;Lucas Dekker;pupil;2014-04-04;5A;m-3\n\
               m-3;Ruud Dekker;parent;;;\n\
               m-4;Emma Bos;;;;\n";
    let r = parse(csv.as_bytes(), &options()).unwrap();
    assert_eq!(r.format, Format::Magdit);
    assert_eq!(
        r.rejected,
        vec![
            rejected(2, Some("date_of_birth"), Reason::DateOfBirthNotKept { role: Role::Employee }),
            rejected(5, Some("role"), Reason::Missing),
        ]
    );
    assert_eq!(
        r.rejected[0].reason.nl(),
        "een geboortedatum wordt alleen van leerlingen bewaard, niet van een medewerker"
    );
    assert_eq!(r.people.len(), 2);
    assert_eq!(r.people[0].guardians, vec!["m-3".to_string()]);
}

#[test]
fn headers_match_in_any_case_spacing_and_punctuation() {
    let csv = " STAMNUMMER ;roepnaam;TUSSEN-VOEGSEL;Achter naam;geb. datum;KLAS\n1;Piet;van;Dam;1-2-2012;2c\n";
    let r = parse(csv.as_bytes(), &options()).unwrap();
    assert_eq!(r.format, Format::Magister);
    assert_eq!(r.people[0].person.name, "Piet van Dam");
    assert_eq!(r.people[0].person.date_of_birth, Some(date!(2012 - 02 - 01)));
    assert!(r.ignored_columns.is_empty());
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let text = "Leerlingnummer\tRoepnaam\tAchternaam\tStamgroep\r\n501\tAyşe\tYılmaz\t3C\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let r = parse(&bytes, &options()).unwrap();
    assert_eq!((r.format, r.encoding, r.delimiter), (Format::Somtoday, Encoding::Utf16Le, '\t'));
    assert_eq!(r.people[0].person.name, "Ayşe Yılmaz");
}

#[test]
fn excel_sep_line_names_the_delimiter_and_counts_as_a_line() {
    let csv = "sep=,\nStamnr,Roepnaam,Achternaam\n7,Tom,Wit\n";
    let r = parse(csv.as_bytes(), &options()).unwrap();
    assert_eq!(r.delimiter, ',');
    assert_eq!((r.people[0].line, r.people[0].person.name.as_str()), (3, "Tom Wit"));
}

#[test]
fn a_forced_format_overrides_detection() {
    let csv = "Leerlingnummer;Roepnaam;Achternaam;Groep\n1;Ot;Sien;3\n";
    let r = parse(csv.as_bytes(), &ParseOptions { format: Some(Format::Somtoday), ..options() }).unwrap();
    assert_eq!(r.format, Format::Somtoday);
    assert_eq!(parse(csv.as_bytes(), &options()).unwrap().format, Format::ParnasSys);
}

#[test]
fn a_file_that_is_no_roster_is_an_error_naming_the_expected_columns() {
    let err = parse("Datum;Bedrag;Omschrijving\n01-01-2025;12,50;Koffie\n".as_bytes(), &options()).unwrap_err();
    let ImportError::NotARoster { line, found, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*line, found.len()), (1, 3));
    let nl = err.nl();
    assert!(nl.starts_with("regel 1 is geen herkenbare kopregel"), "{nl}");
    assert!(nl.contains("Magister: Stamnr, Roepnaam, Achternaam"), "{nl}");
    assert!(nl.contains("OneRoster users.csv: sourcedId, givenName, familyName, role"), "{nl}");
    assert!(nl.contains("Gevonden: Datum, Bedrag, Omschrijving"), "{nl}");
    assert!(err.to_string().contains("Expected at least these columns"), "{err}");
}

#[test]
fn empty_files_and_workbooks_are_errors() {
    assert_eq!(parse(b"", &options()), Err(ImportError::Empty));
    assert_eq!(parse(b"\xEF\xBB\xBF\r\n\r\n", &options()), Err(ImportError::Empty));
    assert_eq!(parse(b"PK\x03\x04\x14\x00", &options()), Err(ImportError::Spreadsheet));
    assert_eq!(parse(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", &options()), Err(ImportError::Spreadsheet));
    // A header without any rows is a roster with nobody on it.
    let r = parse(b"Stamnr;Roepnaam;Achternaam\n", &options()).unwrap();
    assert!(r.people.is_empty() && r.rejected.is_empty());
}

#[test]
fn size_limits() {
    let too_big = vec![b'a'; MAX_BYTES + 1];
    let err = parse(&too_big, &options()).unwrap_err();
    assert_eq!(err, ImportError::TooLarge { bytes: MAX_BYTES + 1 });
    assert_eq!(err.nl(), "het bestand is 20.0 MB; er kan hoogstens 20 MB tegelijk worden ingelezen");

    let mut csv = String::from("Stamnr;Roepnaam;Achternaam\n");
    for i in 0..MAX_ROWS {
        csv.push_str(&format!("{i};Kim;Vos\n"));
    }
    assert_eq!(parse(csv.as_bytes(), &options()).unwrap().people.len(), MAX_ROWS);
    csv.push_str("x;Kim;Vos\n");
    assert_eq!(parse(csv.as_bytes(), &options()), Err(ImportError::TooManyRows));
}

#[test]
fn garbage_never_panics() {
    // Bytes of every kind, unbalanced quotes, stray delimiters, a header and nothing else.
    let inputs: Vec<Vec<u8>> = vec![
        (0..=255u8).collect(),
        b"Stamnr;Roepnaam;Achternaam\n\"1;\"\"Jan;de\n".to_vec(),
        b"Stamnr;Roepnaam;Achternaam\n1;Jan\x00;Vos\n".to_vec(),
        b"\"\"\"".to_vec(),
        b";;;\n;;;\n".to_vec(),
        b"\xFF\xFE\x00".to_vec(),
    ];
    for bytes in inputs {
        let _ = parse(&bytes, &options());
    }
    let r = parse(b"Stamnr;Roepnaam;Achternaam\n1;Jan\x01;Vos\n", &options()).unwrap();
    assert_eq!(r.rejected, vec![rejected(2, Some("Roepnaam"), Reason::ControlCharacter)]);
}

fn person(id: i64, external_id: &str, name: &str, role: Role, dob: Option<Date>, group: Option<&str>) -> Person {
    Person {
        id: PersonId(id),
        school: SchoolId(1),
        external_id: external_id.into(),
        name: name.into(),
        role,
        date_of_birth: dob,
        group: group.map(str::to_string),
        created_at: OffsetDateTime::UNIX_EPOCH,
        updated_at: OffsetDateTime::UNIX_EPOCH,
    }
}

#[test]
fn export_is_read_back_as_it_was_written() {
    let people = vec![
        person(1, "10234", "Zoë \"Zo\" de Vries", Role::Pupil, Some(date!(2011 - 09 - 07)), Some("1A")),
        person(2, "o-1", "Marieke van der Berg; moeder", Role::Parent, None, None),
        person(3, "o-2", "Jan 't Hart", Role::Parent, None, None),
        person(4, "=1+1", "=HYPERLINK(\"x\")", Role::Pupil, None, Some("-3B")),
        person(5, "JDV", "Jeroen de Vries", Role::Manager, None, None),
        person(6, "v-1", "@Wim", Role::Volunteer, None, None),
    ];
    let links = vec![
        GuardianLink { guardian: PersonId(3), pupil: PersonId(1) },
        GuardianLink { guardian: PersonId(2), pupil: PersonId(1) },
        GuardianLink { guardian: PersonId(2), pupil: PersonId(4) },
        // A guardian not among the exported people cannot be named.
        GuardianLink { guardian: PersonId(99), pupil: PersonId(4) },
    ];
    let bytes = export(&people, &links);
    assert!(bytes.starts_with(b"\xEF\xBB\xBFexternal_id;name;role;date_of_birth;group;guardians\r\n"));
    // Formula-like cells are text to a spreadsheet.
    assert!(String::from_utf8_lossy(&bytes).contains("'=HYPERLINK"));

    let r = parse(&bytes, &options()).unwrap();
    assert_eq!((r.format, r.encoding), (Format::Magdit, Encoding::Utf8Bom));
    assert!(r.rejected.is_empty() && r.ignored_columns.is_empty(), "{:?}", r.rejected);
    let inputs: Vec<PersonInput> = r.people.iter().map(|row| row.person.clone()).collect();
    let expected: Vec<PersonInput> = people
        .iter()
        .map(|p| PersonInput {
            external_id: p.external_id.clone(),
            name: p.name.clone(),
            role: p.role,
            date_of_birth: p.date_of_birth,
            group: p.group.clone(),
        })
        .collect();
    assert_eq!(inputs, expected);
    assert_eq!(r.people[0].guardians, vec!["o-1".to_string(), "o-2".to_string()]);
    assert_eq!(r.people[3].guardians, vec!["o-1".to_string()]);
}
