use crate::{Analysis, Person};

pub(crate) fn find(_text: &str, _people: &[Person<'_>], _actor: Option<usize>, _out: &mut Analysis) {}
