//! Why a whole file cannot be imported. A bad row never lands here: it is rejected on its own
//! ([`crate::Rejected`]) and the rest of the file is read.

use crate::formats::Format;
use crate::parse::{MAX_BYTES, MAX_ROWS};
use crate::reason::Lang;

/// A file that cannot be read as a roster at all. `Display` is the English message; `nl()`
/// gives the Dutch one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{}", self.text(Lang::En))]
    TooLarge { bytes: usize },
    #[error("{}", self.text(Lang::En))]
    TooManyRows,
    /// An Excel workbook (.xlsx or .xls) rather than its CSV export.
    #[error("{}", self.text(Lang::En))]
    Spreadsheet,
    /// No header line.
    #[error("{}", self.text(Lang::En))]
    Empty,
    /// The file starts with a UTF-16 byte order mark but is not valid UTF-16.
    #[error("{}", self.text(Lang::En))]
    BadUtf16,
    /// The header (at `line`) names none of the column sets of a format; `expected` holds,
    /// per format tried, the columns that would have made it one.
    #[error("{}", self.text(Lang::En))]
    NotARoster { line: u64, found: Vec<String>, expected: Vec<(Format, Vec<&'static str>)> },
    /// The CSV reader gave up (in practice unreachable for text in memory; kept so that no
    /// input can panic).
    #[error("{}", self.text(Lang::En))]
    Csv { line: u64, message: String },
}

impl ImportError {
    /// The message in Dutch.
    pub fn nl(&self) -> String {
        self.text(Lang::Nl)
    }

    /// The message in English (the same as `Display`).
    pub fn en(&self) -> String {
        self.text(Lang::En)
    }

    fn text(&self, lang: Lang) -> String {
        use Lang::{En, Nl};
        const MB: usize = 1024 * 1024;
        match (self, lang) {
            (ImportError::TooLarge { bytes }, Nl) => format!(
                "het bestand is {:.1} MB; er kan hoogstens {} MB tegelijk worden ingelezen",
                *bytes as f64 / MB as f64,
                MAX_BYTES / MB
            ),
            (ImportError::TooLarge { bytes }, En) => format!(
                "the file has {:.1} MB; at most {} MB can be imported at once",
                *bytes as f64 / MB as f64,
                MAX_BYTES / MB
            ),
            (ImportError::TooManyRows, Nl) => {
                format!("het bestand heeft meer dan {MAX_ROWS} regels; splits het in kleinere bestanden")
            }
            (ImportError::TooManyRows, En) => format!("the file has more than {MAX_ROWS} rows; split it into smaller files"),
            (ImportError::Spreadsheet, Nl) => {
                "dit is een Excel-werkmap, geen CSV-bestand: sla het eerst op als CSV (gescheiden door puntkomma's of komma's)"
                    .into()
            }
            (ImportError::Spreadsheet, En) => {
                "this is an Excel workbook, not a CSV file: save it as CSV (semicolon or comma separated) first".into()
            }
            (ImportError::Empty, Nl) => "het bestand is leeg".into(),
            (ImportError::Empty, En) => "the file is empty".into(),
            (ImportError::BadUtf16, Nl) => "het bestand begint als UTF-16 maar is geen geldige UTF-16-tekst".into(),
            (ImportError::BadUtf16, En) => "the file starts as UTF-16 but is not valid UTF-16 text".into(),
            (ImportError::NotARoster { line, found, expected }, _) => {
                let expected = expected
                    .iter()
                    .map(|(format, columns)| format!("{}: {}", format.label(lang), columns.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; ");
                let found = found.join(", ");
                match lang {
                    Nl => format!(
                        "regel {line} is geen herkenbare kopregel van een leerlingen- of personeelsexport. \
                         Verwacht minstens deze kolommen — {expected}. Gevonden: {found}"
                    ),
                    En => format!(
                        "line {line} is not a recognisable roster header. \
                         Expected at least these columns — {expected}. Found: {found}"
                    ),
                }
            }
            (ImportError::Csv { line, message }, Nl) => format!("regel {line}: het CSV-bestand is niet te lezen: {message}"),
            (ImportError::Csv { line, message }, En) => format!("line {line}: the CSV cannot be read: {message}"),
        }
    }
}
