//! The strings of a verdict: shared when the protocol fixes them, owned when a check makes them.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// A string of a finding: an article id, a quote, a reason or a requirement. What the
/// protocol fixes (every quote and id, and the reasons and requirements that name nobody)
/// is made once per protocol with its JSON string form ready and shared by every finding
/// that uses it; copying and escaping them anew for every answer was about a tenth of a
/// check's work. What names the people of one check is made for it. Reads as a `str`;
/// serialises as the JSON string either way.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    Shared(Arc<Prepared>),
    Owned(String),
}

struct Prepared {
    text: Box<str>,
    json: Box<RawValue>,
}

impl Text {
    /// A text to be shared, with its JSON form made now.
    pub fn shared(text: &str) -> Text {
        let json = serde_json::to_string(text).and_then(RawValue::from_string).expect("a string serialises to a JSON string");
        Text(Repr::Shared(Arc::new(Prepared { text: text.into(), json })))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Shared(p) => &p.text,
            Repr::Owned(s) => s,
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Repr::Owned(s))
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Shared(p) => p.json.serialize(s),
            Repr::Owned(text) => s.serialize_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_and_owned_serialise_alike() {
        let text = "Zij \"mogen\" niet\n— ook niet ‘even’ \\ snel";
        let shared = serde_json::to_string(&Text::shared(text)).unwrap();
        let owned = serde_json::to_string(&Text::from(text.to_string())).unwrap();
        assert_eq!(shared, owned);
        assert_eq!(shared, serde_json::to_string(text).unwrap());
        assert_eq!(Text::shared(text), Text::from(text.to_string()));
        assert_eq!(Text::shared("medewerkers.7"), "medewerkers.7");
    }
}
