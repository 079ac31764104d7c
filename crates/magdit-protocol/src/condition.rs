//! The condition language of rule files: one small test of one fact per string.
//!
//! ```text
//! FACT | not FACT
//! FACT is VALUE | FACT is not VALUE
//! FACT in [A, B] | FACT not in [A, B]
//! FACT >= N  (also >, <, <=, ==)    FACT is unknown | FACT is not unknown
//! ```

use std::fmt;

use crate::facts::{Fact, FactKind, FactValue};

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub fact: Fact,
    pub test: Test,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `FACT` (true) or `not FACT` (false), for yes/no facts.
    Is(bool),
    /// `is VALUE`, `in [..]`, and their negations, for enumerated and text facts.
    OneOf { values: Vec<String>, negated: bool },
    /// A comparison of a number fact.
    Compare(CmpOp, f64),
    /// `is unknown` (false) or `is not unknown` (true), for number facts.
    Known(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

impl CmpOp {
    fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
        }
    }
}

/// Three-valued truth: `None` when a missing number makes a comparison unknown.
pub type Truth = Option<bool>;

/// A parse error, with the byte range in the condition string it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    pub range: (usize, usize),
    pub message: String,
    pub help: Option<String>,
}

impl Condition {
    pub fn eval(&self, value: FactValue<'_>) -> Truth {
        match (&self.test, value) {
            (Test::Is(want), FactValue::Bool(b)) => Some(b == *want),
            (Test::OneOf { values, negated }, FactValue::Enum(v)) => {
                Some(values.iter().any(|x| x == v) != *negated)
            }
            (Test::OneOf { values, negated }, FactValue::Text(v)) => {
                Some(values.iter().any(|x| x.eq_ignore_ascii_case(v)) != *negated)
            }
            (Test::Compare(op, n), FactValue::Number(Some(v))) => Some(match op {
                CmpOp::Lt => v < *n,
                CmpOp::Le => v <= *n,
                CmpOp::Gt => v > *n,
                CmpOp::Ge => v >= *n,
                CmpOp::Eq => v == *n,
            }),
            (Test::Compare(..), FactValue::Number(None)) => None,
            (Test::Known(want), FactValue::Number(v)) => Some(v.is_some() == *want),
            // The loader only builds tests that fit their fact's kind, and the engine
            // supplies values of that kind; a mismatch is a bug, read as "does not hold".
            _ => {
                debug_assert!(false, "condition {self} got a value of another kind: {value:?}");
                Some(false)
            }
        }
    }

    pub fn parse(src: &str) -> Result<Condition, ConditionError> {
        Parser { src, pos: 0 }.condition()
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.fact.name();
        match &self.test {
            Test::Is(true) => write!(f, "{name}"),
            Test::Is(false) => write!(f, "not {name}"),
            Test::OneOf { values, negated } if values.len() == 1 => {
                write!(f, "{name} is {}{}", if *negated { "not " } else { "" }, values[0])
            }
            Test::OneOf { values, negated } => {
                write!(f, "{name} {}in [{}]", if *negated { "not " } else { "" }, values.join(", "))
            }
            Test::Compare(op, n) => write!(f, "{name} {} {n}", op.symbol()),
            Test::Known(true) => write!(f, "{name} is not unknown"),
            Test::Known(false) => write!(f, "{name} is unknown"),
        }
    }
}

/// Every condition in `all` holds and, if `any` is not empty, at least one of `any`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conditions {
    pub all: Vec<Condition>,
    pub any: Vec<Condition>,
}

impl Conditions {
    pub fn is_empty(&self) -> bool {
        self.all.is_empty() && self.any.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Condition> {
        self.all.iter().chain(&self.any)
    }

    /// Kleene logic: false wins over unknown in a conjunction, true in a disjunction.
    pub fn eval<'a>(&self, mut value: impl FnMut(Fact) -> FactValue<'a>) -> Truth {
        let mut result = Some(true);
        for c in &self.all {
            match c.eval(value(c.fact)) {
                Some(false) => return Some(false),
                None => result = None,
                Some(true) => {}
            }
        }
        if self.any.is_empty() {
            return result;
        }
        let mut any = Some(false);
        for c in &self.any {
            match c.eval(value(c.fact)) {
                Some(true) => return result,
                None => any = None,
                Some(false) => {}
            }
        }
        match (result, any) {
            (_, Some(false)) => Some(false),
            (Some(true), None) | (None, None) => None,
            (Some(false), _) => Some(false),
            (r, Some(true)) => r,
        }
    }

    /// The facts whose missing values made [`Conditions::eval`] unknown.
    pub fn unknown_facts<'a>(&self, mut value: impl FnMut(Fact) -> FactValue<'a>) -> Vec<Fact> {
        self.iter().filter(|c| c.eval(value(c.fact)).is_none()).map(|c| c.fact).collect()
    }
}

struct Parser<'s> {
    src: &'s str,
    pos: usize,
}

impl<'s> Parser<'s> {
    fn skip_ws(&mut self) {
        while self.src[self.pos..].starts_with(' ') {
            self.pos += 1;
        }
    }

    fn rest(&self) -> &'s str {
        &self.src[self.pos..]
    }

    fn err(&self, start: usize, end: usize, message: impl Into<String>, help: Option<String>) -> ConditionError {
        ConditionError { range: (start, end.max(start)), message: message.into(), help }
    }

    /// A word: letters, digits, `_`, `.`, `-`.
    fn word(&mut self) -> Option<(usize, &'s str)> {
        self.skip_ws();
        let start = self.pos;
        let len = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .unwrap_or(self.rest().len());
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some((start, &self.src[start..self.pos]))
    }

    fn keyword(&mut self, kw: &str) -> bool {
        let save = self.pos;
        match self.word() {
            Some((_, w)) if w == kw => true,
            _ => {
                self.pos = save;
                false
            }
        }
    }

    fn condition(mut self) -> Result<Condition, ConditionError> {
        let negated = self.keyword("not");
        let (start, name) = self.word().ok_or_else(|| {
            self.err(self.pos, self.src.len(), "expected the name of a fact", Some(fact_list()))
        })?;
        let fact = Fact::parse(name).ok_or_else(|| {
            let help = crate::suggest::did_you_mean(name, Fact::ALL.iter().map(|f| f.name()))
                .unwrap_or_else(fact_list);
            self.err(start, self.pos, format!("unknown fact `{name}`"), Some(help))
        })?;
        let fact_end = self.pos;
        self.skip_ws();
        let test = if self.rest().is_empty() {
            if fact.kind() != FactKind::Bool {
                return Err(self.err(start, fact_end, format!("`{name}` is not a yes/no fact"),
                    Some(format!("compare it: {}", usage(fact)))));
            }
            Test::Is(!negated)
        } else if negated {
            return Err(self.err(0, self.src.len(), "`not` goes only before a yes/no fact",
                Some("write `FACT is not VALUE` or `FACT not in [..]`".into())));
        } else {
            self.test(fact)?
        };
        self.skip_ws();
        if !self.rest().is_empty() {
            return Err(self.err(self.pos, self.src.len(), "unexpected text after the condition",
                Some("a condition tests one fact; put further conditions in their own strings".into())));
        }
        Ok(Condition { fact, test })
    }

    fn test(&mut self, fact: Fact) -> Result<Test, ConditionError> {
        let op_start = self.pos;
        for (sym, op) in [("<=", CmpOp::Le), (">=", CmpOp::Ge), ("==", CmpOp::Eq), ("<", CmpOp::Lt), (">", CmpOp::Gt)] {
            if self.rest().starts_with(sym) {
                self.pos += sym.len();
                if fact.kind() != FactKind::Number {
                    return Err(self.err(op_start, self.pos, format!("`{}` is not a number", fact.name()),
                        Some(usage(fact))));
                }
                self.skip_ws();
                let (nstart, word) = self.word().ok_or_else(|| self.err(self.pos, self.src.len(), "expected a number", None))?;
                let n: f64 = word.parse().map_err(|_| self.err(nstart, self.pos, format!("`{word}` is not a number"), None))?;
                return Ok(Test::Compare(op, n));
            }
        }
        if self.keyword("is") {
            let negated = self.keyword("not");
            let (vstart, value) = self.word().ok_or_else(|| self.err(self.pos, self.src.len(), "expected a value after `is`", Some(usage(fact))))?;
            let value = value.to_string();
            if fact.kind() == FactKind::Number {
                return if value == "unknown" {
                    Ok(Test::Known(negated))
                } else {
                    Err(self.err(vstart, self.pos, "a number is compared with <, <=, >, >=, == or tested with `is unknown`", None))
                };
            }
            let value = self.check_value(fact, vstart, value)?;
            return Ok(Test::OneOf { values: vec![value], negated });
        }
        let negated = self.keyword("not");
        if self.keyword("in") {
            self.skip_ws();
            if !self.rest().starts_with('[') {
                return Err(self.err(self.pos, self.src.len(), "expected `[` after `in`", Some(usage(fact))));
            }
            self.pos += 1;
            let mut values = Vec::new();
            loop {
                let (vstart, value) = self.word().ok_or_else(|| self.err(self.pos, self.src.len(), "expected a value", Some(usage(fact))))?;
                let value = value.to_string();
                values.push(self.check_value(fact, vstart, value)?);
                self.skip_ws();
                if self.rest().starts_with(',') {
                    self.pos += 1;
                } else if self.rest().starts_with(']') {
                    self.pos += 1;
                    break;
                } else {
                    return Err(self.err(self.pos, self.src.len(), "expected `,` or `]`", None));
                }
            }
            return Ok(Test::OneOf { values, negated });
        }
        Err(self.err(op_start, self.src.len(), "expected `is`, `in`, `not in` or a comparison", Some(usage(fact))))
    }

    fn check_value(&self, fact: Fact, start: usize, value: String) -> Result<String, ConditionError> {
        match fact.kind() {
            FactKind::Enum(values) if values.contains(&value.as_str()) => Ok(value),
            FactKind::Enum(values) => {
                let help = crate::suggest::did_you_mean(&value, values.iter().copied())
                    .unwrap_or_else(|| format!("`{}` is one of: {}", fact.name(), values.join(", ")));
                Err(self.err(start, self.pos, format!("`{value}` is not a value of `{}`", fact.name()), Some(help)))
            }
            FactKind::Text => Ok(value.to_lowercase()),
            FactKind::Bool => Err(self.err(start, self.pos, format!("`{}` is a yes/no fact", fact.name()),
                Some(format!("write `{0}` or `not {0}`", fact.name())))),
            FactKind::Number => Err(self.err(start, self.pos, "a number is compared, not named", None)),
        }
    }
}

fn usage(fact: Fact) -> String {
    let n = fact.name();
    match fact.kind() {
        FactKind::Bool => format!("write `{n}` or `not {n}`"),
        FactKind::Enum(values) => format!("write `{n} is VALUE` or `{n} in [..]` with VALUE one of: {}", values.join(", ")),
        FactKind::Number => format!("write `{n} >= 2` (or <, <=, >, ==) or `{n} is unknown`"),
        FactKind::Text => format!("write `{n} is NAME` or `{n} in [A, B]`"),
    }
}

fn fact_list() -> String {
    let names: Vec<_> = Fact::ALL.iter().map(|f| f.name()).collect();
    format!("known facts: {}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Condition {
        Condition::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn parses_each_form_and_prints_it_back() {
        for s in [
            "during_lesson",
            "not text.opinion_notice",
            "actor.role is pupil",
            "permission is not teacher",
            "channel.kind in [email, phone]",
            "counterpart.role not in [pupil, parent]",
            "counterpart.years_since_left >= 2",
            "actor.age < 16",
            "counterpart.years_since_left is unknown",
            "channel.name is parro",
        ] {
            assert_eq!(ok(s).to_string(), s);
        }
    }

    #[test]
    fn misspelt_fact_gets_a_suggestion_and_its_span() {
        let e = Condition::parse("not during_lesons").unwrap_err();
        assert_eq!(e.range, (4, 17));
        assert!(e.help.unwrap().contains("during_lesson"), "help suggests the fact");
    }

    #[test]
    fn misspelt_value_is_pointed_at() {
        let e = Condition::parse("actor.role is pupl").unwrap_err();
        assert_eq!(e.range, (14, 18));
        assert!(e.help.unwrap().contains("pupil"));
    }

    #[test]
    fn kinds_are_checked() {
        assert!(Condition::parse("actor.role").is_err());
        assert!(Condition::parse("during_lesson is pupil").is_err());
        assert!(Condition::parse("actor.role >= 3").is_err());
        assert!(Condition::parse("during_lesson at_work").is_err());
    }

    #[test]
    fn missing_number_makes_comparison_unknown() {
        let c = ok("counterpart.years_since_left >= 2");
        assert_eq!(c.eval(FactValue::Number(None)), None);
        assert_eq!(c.eval(FactValue::Number(Some(3.0))), Some(true));
        assert_eq!(ok("counterpart.years_since_left is unknown").eval(FactValue::Number(None)), Some(true));
    }

    #[test]
    fn kleene_logic_in_conditions() {
        let conds = Conditions { all: vec![ok("during_lesson"), ok("actor.age < 16")], any: vec![] };
        let val = |lesson: bool| move |f: Fact| match f {
            Fact::DuringLesson => FactValue::Bool(lesson),
            _ => FactValue::Number(None),
        };
        assert_eq!(conds.eval(val(false)), Some(false), "false wins over unknown");
        assert_eq!(conds.eval(val(true)), None);
    }
}
