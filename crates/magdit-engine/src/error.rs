//! The one error type at the engine's boundary: a situation that cannot be checked.

use std::fmt;

/// What is wrong with a situation, and where: the field path (`content.media[0].kind`)
/// and, for JSON syntax or type errors, the line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SituationError {
    pub field: String,
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl SituationError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        SituationError { field: field.to_string(), message: message.into(), line: None, column: None }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        if line > 0 {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }
}

impl fmt::Display for SituationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "line {l}, column {c}: ")?;
        }
        if !self.field.is_empty() {
            write!(f, "field `{}`: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for SituationError {}

/// serde_json's message, without its own position (we report that separately).
pub(crate) fn explain_json(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}
