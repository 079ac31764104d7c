//! `parse`: a roster file's bytes into people, rejected lines and ignored columns. Pure: no
//! I/O, and today's date comes in with the options.

use magdit_store::PersonInput;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::collect::Collector;
use crate::columns::Field;
use crate::decode::{decode, Encoding};
use crate::detect::{delimiter, is_separator_line, layout};
use crate::error::ImportError;
use crate::formats::Format;
use crate::lines::LineIndex;
use crate::reason::{Lang, Reason};
use crate::rows;

/// The largest file [`parse`] reads: 20 MB, some fifty times a large school's roster.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most rows (below the header) [`parse`] reads.
pub const MAX_ROWS: usize = 100_000;

/// How to read a file.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Today, in the school's time zone: a date of birth after it is rejected.
    pub today: Date,
    /// Read the file as this format rather than detect it.
    pub format: Option<Format>,
}

impl Default for ParseOptions {
    /// Today in UTC, and the format detected.
    fn default() -> Self {
        ParseOptions { today: OffsetDateTime::now_utc().date(), format: None }
    }
}

/// A roster file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRoster {
    pub format: Format,
    pub encoding: Encoding,
    pub delimiter: char,
    /// The people, in file order. A guardian named on a pupil's line (`Ouder/verzorger 1`)
    /// is a person of their own, on the line where they first appear.
    pub people: Vec<Row>,
    /// Lines (or guardian cells) not imported, in file order.
    pub rejected: Vec<Rejected>,
    /// Columns not read, with why (a BSN column is always here).
    pub ignored_columns: Vec<IgnoredColumn>,
    /// The optional columns the file does not have.
    pub absent: AbsentColumns,
}

/// Which optional columns a file lacks. An import keeps what the roster has for these rather
/// than clearing it: a OneRoster users.csv has no dates of birth or classes, an employee list
/// no dates of birth. (A column that is there but empty does clear the value.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AbsentColumns {
    pub date_of_birth: bool,
    pub group: bool,
}

/// One person from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The 1-based physical line the person's record starts on.
    pub line: u64,
    pub person: PersonInput,
    /// For a pupil: the external ids of their guardians.
    pub guardians: Vec<String>,
    /// For a parent: the external ids of children who are not in this file (OneRoster lists
    /// a link on both sides; a link whose pupil is in the file is in that pupil's
    /// `guardians` instead, so each link is listed once).
    pub children: Vec<String>,
}

/// A line (or part of one) that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The 1-based physical line the record starts on.
    pub line: u64,
    /// The header of the column at fault, if one is.
    pub column: Option<String>,
    pub reason: Reason,
}

impl Rejected {
    /// "regel 7, kolom ‘Geboortedatum’: ‘31-02-2015’ is geen geldige datum …"
    pub fn nl(&self) -> String {
        self.text(Lang::Nl)
    }

    /// "line 7, column ‘Geboortedatum’: ‘31-02-2015’ is not a valid date …"
    pub fn en(&self) -> String {
        self.text(Lang::En)
    }

    fn text(&self, lang: Lang) -> String {
        let (line, column) = match lang {
            Lang::Nl => ("regel", "kolom"),
            Lang::En => ("line", "column"),
        };
        match &self.column {
            Some(name) => format!("{line} {}, {column} ‘{name}’: {}", self.line, self.reason.text(lang)),
            None => format!("{line} {}: {}", self.line, self.reason.text(lang)),
        }
    }
}

/// A column that was not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoredColumn {
    /// The header as written.
    pub column: String,
    pub reason: Reason,
}

/// Reads a roster file: Magister, ParnasSys, Somtoday, an employee list, OneRoster 1.2
/// `users.csv` or magdit's own export, in UTF-8, Windows-1252 or UTF-16, separated by `;`,
/// `,` or tabs. Bad lines are rejected one by one; only a file that is not a roster (or
/// larger than [`MAX_BYTES`] or [`MAX_ROWS`]) is an error.
pub fn parse(bytes: &[u8], options: &ParseOptions) -> Result<ParsedRoster, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    // .xlsx is a zip file, .xls an OLE compound file: the most common wrong upload.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(ImportError::Spreadsheet);
    }
    let (text, encoding) = decode(bytes)?;
    let delimiter = delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        // Lines with the wrong number of fields are rejected one by one, not the file.
        .flexible(true)
        .from_reader(text.as_bytes());
    let lines = LineIndex::new(&text);
    let line_of = |record: &csv::StringRecord| lines.line_of(record.position().map_or(0, csv::Position::byte));
    let mut records = reader.records();
    let mut next = || records.next().map(|r| r.map_err(|e| csv_error(e, &lines)));

    let mut header = next().ok_or(ImportError::Empty)??;
    if is_separator_line(&header) {
        header = next().ok_or(ImportError::Empty)??;
    }
    let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let layout = layout(&headers, line_of(&header), options.format)?;

    let mut collector = Collector::new(layout.header(Field::ExternalId));
    let mut count = 0;
    while let Some(record) = next() {
        let record = record?;
        count += 1;
        if count > MAX_ROWS {
            return Err(ImportError::TooManyRows);
        }
        let line = line_of(&record);
        match rows::read(&layout, &record, line, options.today) {
            Ok(Some(content)) => collector.add(line, content),
            Ok(None) => {}
            Err(rejected) => collector.reject(rejected),
        }
    }
    let (people, rejected) = collector.finish();
    Ok(ParsedRoster {
        format: layout.spec.format,
        encoding,
        delimiter: char::from(delimiter),
        people,
        rejected,
        absent: AbsentColumns {
            date_of_birth: layout.index(Field::DateOfBirth).is_none(),
            group: layout.index(Field::Group).is_none(),
        },
        ignored_columns: layout.ignored,
    })
}

fn csv_error(e: csv::Error, lines: &LineIndex) -> ImportError {
    ImportError::Csv { line: lines.line_of(e.position().map_or(0, csv::Position::byte)), message: e.to_string() }
}
