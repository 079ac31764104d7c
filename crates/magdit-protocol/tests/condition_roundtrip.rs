//! Any well-formed condition prints to a string that parses back to itself, so protocol
//! files written by `to_toml` read back unchanged.

use magdit_protocol::{CmpOp, Condition, Fact, FactKind, Test};
use proptest::prelude::*;

fn condition() -> impl Strategy<Value = Condition> {
    proptest::sample::select(Fact::ALL).prop_flat_map(|fact| {
        let test: BoxedStrategy<Test> = match fact.kind() {
            FactKind::Bool => any::<bool>().prop_map(Test::Is).boxed(),
            FactKind::Enum(values) => (proptest::sample::subsequence(values, 1..=values.len().min(3)), any::<bool>())
                .prop_map(|(vs, negated)| Test::OneOf { values: vs.into_iter().map(String::from).collect(), negated })
                .boxed(),
            FactKind::Text => ("[a-z][a-z0-9_]{0,10}", any::<bool>()).prop_map(|(v, negated)| Test::OneOf { values: vec![v], negated }).boxed(),
            FactKind::Number => prop_oneof![
                (proptest::sample::select(vec![CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge, CmpOp::Eq]), 0u32..100).prop_map(|(op, n)| Test::Compare(op, f64::from(n))),
                any::<bool>().prop_map(Test::Known),
            ]
            .boxed(),
        };
        test.prop_map(move |test| Condition { fact, test })
    })
}

proptest! {
    #[test]
    fn conditions_round_trip(c in condition()) {
        let printed = c.to_string();
        prop_assert_eq!(Condition::parse(&printed), Ok(c), "{}", printed);
    }

    #[test]
    fn parsing_never_panics(s in "\\PC{0,40}") {
        let _ = Condition::parse(&s);
    }
}
