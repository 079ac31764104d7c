//! A protocol file with mistakes yields diagnostics with line, column, span and help.

use magdit_protocol::load;

const GOOD: &str = r#"
[protocol]
id = "test-school"
title = "Protocol"
school = "Testschool"
scope = "all"

[[section]]
id = "A"
title = "Voor iedereen"

[[article]]
id = "A.1"
section = "A"
text = '''Het is leerlingen niet toegestaan tijdens de les actief te zijn op sociale media.'''
binds = ["pupil"]
actions = ["use_social_media"]
when = ["during_lesson"]

[[article.outcome]]
outcome = "forbidden"
reason = { nl = "Niet tijdens de les." }
"#;

fn problems(src: &str) -> Vec<magdit_protocol::Problem> {
    load("test.toml", src).expect_err("should not load").problems
}

#[test]
fn a_good_file_loads() {
    let p = load("test.toml", GOOD).unwrap();
    assert_eq!(p.articles.len(), 1);
}

#[test]
fn misspelt_outcome_gets_line_column_and_suggestion() {
    let src = GOOD.replace("outcome = \"forbidden\"", "outcome = \"forbiden\"");
    let ps = problems(&src);
    assert_eq!(ps.len(), 1);
    let p = &ps[0];
    assert!(p.message.contains("unknown outcome `forbiden`"), "{}", p.message);
    assert_eq!(p.help.as_deref(), Some("did you mean `forbidden`?"));
    assert_eq!(p.suggestion(), Some("forbidden"));
    let line = src.lines().position(|l| l.contains("forbiden")).unwrap() + 1;
    assert_eq!(p.line, line);
    assert_eq!(p.column, 11);
    assert_eq!(&src[p.span()], "\"forbiden\"");
}

#[test]
fn misspelt_fact_in_a_condition_points_into_the_string() {
    let src = GOOD.replace("when = [\"during_lesson\"]", "when = [\"during_lessen\"]");
    let p = &problems(&src)[0];
    assert_eq!(&src[p.span()], "during_lessen");
    assert_eq!(p.help.as_deref(), Some("did you mean `during_lesson`?"));
}

#[test]
fn misspelt_field_is_named_with_a_suggestion() {
    let src = GOOD.replace("binds = ", "bind = ");
    let p = &problems(&src)[0];
    assert!(p.message.contains("unknown field `bind`"), "{}", p.message);
    assert_eq!(p.help.as_deref(), Some("did you mean `binds`?"));
    assert_eq!(&src[p.span()], "bind");
}

#[test]
fn unknown_role_and_action() {
    let src = GOOD.replace("[\"pupil\"]", "[\"leerling\"]").replace("[\"use_social_media\"]", "[\"use_socialmedia\"]");
    let ps = problems(&src);
    assert_eq!(ps.len(), 2);
    assert!(ps[0].message.contains("unknown role `leerling`"));
    assert_eq!(ps[1].help.as_deref(), Some("did you mean `use_social_media`?"));
}

#[test]
fn duplicate_article_and_missing_text_are_reported_together() {
    let dup = GOOD.split("[[article]]").nth(1).unwrap().replace("Het is leerlingen", "");
    let src = format!("{GOOD}\n[[article]]{}", dup.replace(&format!("'''{}'''", " niet toegestaan tijdens de les actief te zijn op sociale media."), "''''''"));
    let ps = problems(&src);
    let messages: Vec<&str> = ps.iter().map(|p| p.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("duplicate article id `A.1`")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("has no text")), "{messages:?}");
}

#[test]
fn quote_must_be_verbatim() {
    let src = GOOD.replace("reason = { nl = \"Niet tijdens de les.\" }", "reason = { nl = \"Niet tijdens de les.\" }\nquote = \"Leerlingen mogen niet\"");
    assert!(problems(&src)[0].message.contains("not a verbatim part"));
}

#[test]
fn unknown_placeholder_and_unreachable_outcome() {
    let src = format!("{GOOD}\n[[article.outcome]]\noutcome = \"allowed\"\nreason = {{ nl = \"Toch {{wie}}.\" }}\n");
    let messages: Vec<String> = problems(&src).into_iter().map(|p| p.message).collect();
    assert!(messages.iter().any(|m| m.contains("never be reached")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("unknown placeholder `{wie}`")), "{messages:?}");
}

#[test]
fn breach_only_in_advice_articles() {
    let src = GOOD.replace("when = [\"during_lesson\"]", "when = [\"breach\"]");
    assert!(problems(&src)[0].message.contains("may only give advice"));
}

#[test]
fn invalid_toml_is_located() {
    let src = GOOD.replace("title = \"Protocol\"", "title = \"Protocol");
    let p = &problems(&src)[0];
    assert_eq!(p.line, 4);
}
