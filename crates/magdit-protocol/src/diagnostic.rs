//! Diagnostics for protocol files: what is wrong, where (line, column, underlined span),
//! and how to fix it. Rendered by miette.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::ops::Range;

/// One problem in a protocol file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct Problem {
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
    #[help]
    pub help: Option<String>,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (in characters) of the span's start.
    pub column: usize,
}

impl Problem {
    pub fn span(&self) -> Range<usize> {
        self.span.offset()..self.span.offset() + self.span.len()
    }

    /// The name the help suggests for a misspelt one ("did you mean `forbidden`?" → `forbidden`).
    pub fn suggestion(&self) -> Option<&str> {
        self.help.as_deref().and_then(crate::suggest::suggested)
    }
}

/// A protocol file that did not load, with every problem found in it.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{file}: the protocol file has {count} problem{s}", count = problems.len(), s = if problems.len() == 1 { "" } else { "s" })]
pub struct LoadError {
    pub file: String,
    #[related]
    pub problems: Vec<Problem>,
}

/// The text being loaded, to locate problems in.
pub(crate) struct Source {
    name: String,
    text: String,
}

impl Source {
    pub fn new(name: &str, text: &str) -> Self {
        Source { name: name.to_string(), text: text.to_string() }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn problem(&self, span: Range<usize>, message: String, label: &str, help: Option<String>) -> Problem {
        let start = floor_char_boundary(&self.text, span.start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, span.end.clamp(start, self.text.len()));
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Problem {
            message,
            src: NamedSource::new(&self.name, self.text.clone()),
            span: (start, end - start).into(),
            label: label.to_string(),
            help,
            line,
            column,
        }
    }

    pub fn error(&self, problems: Vec<Problem>) -> LoadError {
        LoadError { file: self.name.clone(), problems }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
