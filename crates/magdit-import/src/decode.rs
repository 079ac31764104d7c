//! Bytes to text. Dutch school systems and Excel write UTF-8 (often with a byte order mark)
//! or Windows-1252; Excel's "Unicode text" is UTF-16 with a byte order mark.

use serde::Serialize;
use std::borrow::Cow;

use crate::error::ImportError;

/// The character encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    /// UTF-8 starting with a byte order mark, as Excel's "CSV UTF-8" writes it.
    Utf8Bom,
    /// Windows-1252 (a superset of ISO-8859-1), as older exports and Excel's plain "CSV" write it.
    Windows1252,
    Utf16Le,
    Utf16Be,
}

/// Decodes `bytes`: a UTF-16 byte order mark means UTF-16; otherwise valid UTF-8 (with or
/// without a byte order mark) is UTF-8 and anything else Windows-1252. The guess is safe
/// because Windows-1252 text with accents is almost never valid UTF-8, and every byte
/// sequence is valid Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), ImportError> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((utf16, bom)) if utf16 != encoding_rs::UTF_8 => {
            let encoding = if utf16 == encoding_rs::UTF_16LE { Encoding::Utf16Le } else { Encoding::Utf16Be };
            utf16
                .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
                .map(|text| (text, encoding))
                .ok_or(ImportError::BadUtf16)
        }
        Some((_, bom)) => Ok(utf8_or_windows_1252(&bytes[bom..], Encoding::Utf8Bom)),
        None => Ok(utf8_or_windows_1252(bytes, Encoding::Utf8)),
    }
}

fn utf8_or_windows_1252(bytes: &[u8], utf8: Encoding) -> (Cow<'_, str>, Encoding) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), utf8),
        Err(_) => (encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0, Encoding::Windows1252),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (String, Encoding) {
        let (text, encoding) = decode(bytes).unwrap();
        (text.into_owned(), encoding)
    }

    #[test]
    fn detects_each_encoding() {
        assert_eq!(decoded("Zoë".as_bytes()), ("Zoë".into(), Encoding::Utf8));
        assert_eq!(decoded(b"\xEF\xBB\xBFZo\xC3\xAB"), ("Zoë".into(), Encoding::Utf8Bom));
        assert_eq!(decoded(b"Zo\xEB Ren\xE9e"), ("Zoë Renée".into(), Encoding::Windows1252));
        assert_eq!(decoded(b"\xFF\xFEZ\0o\0\xEB\0"), ("Zoë".into(), Encoding::Utf16Le));
        assert_eq!(decoded(b"\xFE\xFF\0Z\0o\0\xEB"), ("Zoë".into(), Encoding::Utf16Be));
    }

    #[test]
    fn broken_utf16_is_an_error() {
        // A lone high surrogate.
        assert_eq!(decode(b"\xFF\xFE\x00\xD8").unwrap_err(), ImportError::BadUtf16);
    }
}
