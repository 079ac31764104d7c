//! Physical line numbers. The csv reader counts lines itself, but with `\r\n` line ends it
//! gives each record the line of the previous line end (csv 1.4); counting from the record's
//! byte offset is exact for `\n`, `\r\n` and lone `\r` ends, and for line breaks in quotes.

/// Where each line of a text starts.
pub(crate) struct LineIndex<'a> {
    text: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let text = text.as_bytes();
        let mut starts = vec![0];
        for (i, b) in text.iter().enumerate() {
            // `\r\n` is one line end, counted at its `\n`.
            let ends_line = *b == b'\n' || (*b == b'\r' && text.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex { text, starts }
    }

    /// The 1-based line of the record that the csv reader says starts at byte `offset`. The
    /// reader may report the offset of the line end before the record, or of blank lines it
    /// skipped, so line ends at the offset are passed over first: a record cannot start with
    /// one (a quoted field starts with its quote).
    pub fn line_of(&self, offset: u64) -> u64 {
        let mut at = usize::try_from(offset).unwrap_or(self.text.len()).min(self.text.len());
        while matches!(self.text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        // The number of line starts at or before `at` is the line's number.
        let line = self.starts.partition_point(|&start| start <= at);
        u64::try_from(line).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_for_every_kind_of_line_end() {
        let lf = LineIndex::new("a\nb\n\nc");
        assert_eq!([0, 2, 3, 4, 5].map(|o| lf.line_of(o)), [1, 2, 4, 4, 4]);
        let crlf = LineIndex::new("a\r\nb\r\n");
        assert_eq!([0, 1, 2, 3].map(|o| crlf.line_of(o)), [1, 2, 2, 2]);
        let cr = LineIndex::new("a\rb\rc");
        assert_eq!([0, 2, 4].map(|o| cr.line_of(o)), [1, 2, 3]);
        assert_eq!(LineIndex::new("").line_of(99), 1);
    }
}
