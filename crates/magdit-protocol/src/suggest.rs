//! "Did you mean …" for misspelt names.

const PREFIX: &str = "did you mean `";
const SUFFIX: &str = "`?";

/// The closest candidate to `input`, phrased as help, when it is close enough to be a typo.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("{PREFIX}{c}{SUFFIX}"))
}

/// The name a [`did_you_mean`] help text suggests.
pub fn suggested(help: &str) -> Option<&str> {
    help.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggestion_reads_back_from_its_help() {
        let help = did_you_mean("forbiden", ["allowed", "forbidden"]).unwrap();
        assert_eq!(suggested(&help), Some("forbidden"));
        assert_eq!(suggested("add a [[section]] with this id"), None);
    }
}
