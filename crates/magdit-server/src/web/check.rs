//! "Mag dit?": describe what you are about to do, get the verdict. The form becomes a
//! situation of the check contract and goes through the API's own check
//! ([`crate::routes::check::run`]: the school's protocol, roster and consent registry). The
//! answer shows the verdict big (word, colour and icon), each article cited with its quote and
//! a link to it, what to do, the passages of the text that count, and whom to ask.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use magdit_engine::{Mention, Verdict};
use magdit_protocol::{Lang, Outcome, Role};
use magdit_store::{PeopleFilter, Person, PersonId, SchoolId};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::i18n::{t, ta};
use super::layout::{html_page, Frame};
use super::{Fields, Member};
use crate::problem::Problem;
use crate::routes::check::run;
use crate::state::AppState;

/// What the person is about to do: the form's value and its message.
const ACTIONS: [(&str, &str); 6] = [
    ("post", "action-post"),
    ("share", "action-share"),
    ("media", "action-media"),
    ("befriend", "action-befriend"),
    ("group", "action-group"),
    ("device", "action-device"),
];

/// Where: the form's value, the contract's channel kind, and the name shown.
const CHANNELS: [(&str, &str, &str); 14] = [
    ("instagram", "social_media", "Instagram"),
    ("facebook", "social_media", "Facebook"),
    ("tiktok", "social_media", "TikTok"),
    ("snapchat", "social_media", "Snapchat"),
    ("x", "social_media", "X (Twitter)"),
    ("linkedin", "social_media", "LinkedIn"),
    ("youtube", "social_media", "YouTube"),
    ("whatsapp", "messaging", "WhatsApp"),
    ("signal", "messaging", "Signal"),
    ("parro", "school_app", "Parro"),
    ("klasbord", "school_app", "Klasbord"),
    ("social_schools", "school_app", "Social Schools"),
    ("email", "email", "E-mail"),
    ("blog", "blog", "Blog"),
];

const AUDIENCES: [(&str, &str); 3] = [("public", "audience-public"), ("group", "audience-group"), ("private", "audience-private")];
const WHEN: [(&str, &str); 3] = [("lesson", "when-lesson"), ("work", "when-work"), ("private", "when-private")];
const COUNTERPARTS: [(&str, &str); 4] =
    [("pupil", "counterpart-pupil"), ("former_pupil", "counterpart-former-pupil"), ("parent", "counterpart-parent"), ("employee", "counterpart-employee")];
const MEMBERS: [(&str, &str); 3] = [("pupil", "members-pupil"), ("parent", "members-parent"), ("employee", "members-employee")];

/// The most people one search lists.
const SEARCH_LIMIT: u32 = 25;

/// `GET /s/{school}/check`: the empty form.
pub async fn page(State(state): State<AppState>, m: Member) -> Result<Response, Problem> {
    render(&state, &m, &Fields::default(), None).await
}

/// `POST /s/{school}/check`: search the roster (`op=zoek`) or check (`op=check`).
pub async fn submit(State(state): State<AppState>, m: Member, body: Bytes) -> Result<Response, Problem> {
    let f = m.form(&body)?;
    if f.get("op") == Some("zoek") {
        return render(&state, &m, &f, None).await;
    }
    // A form that does not make a situation is answered on the form, with what was typed.
    let checked = match situation(&f, m.ctx.access.acting_role()) {
        Ok(situation) => run(&state, &m.ctx, &situation.to_string(), m.lang, false).await,
        Err(p) => Err(p),
    };
    let answer = match checked {
        Ok(v) => Answer::Verdict(Box::new(v)),
        Err(p) if p.status.is_client_error() => Answer::Invalid(p.detail),
        Err(p) => return Err(p),
    };
    render(&state, &m, &f, Some(answer)).await
}

enum Answer {
    Verdict(Box<Verdict>),
    Invalid(String),
}

/// The situation the form describes, as the check contract has it.
fn situation(f: &Fields, role: Role) -> Result<Value, Problem> {
    let action = f.get("action").unwrap_or("post");
    let text = f.get("text").unwrap_or_default();
    let mut s = json!({
        "actor": { "role": role.as_str() },
        "action": match action {
            "share" => "share",
            "befriend" => "befriend",
            "group" => "join_group",
            "device" => "use_device",
            _ => "post",
        },
        "content": { "text": text },
    });
    let when = f.get("when").unwrap_or("private");
    s["setting"] = json!({ "during_lesson": when == "lesson", "at_work": when == "work" });
    if let Some((name, kind, _)) = CHANNELS.iter().find(|(v, _, _)| Some(*v) == f.get("channel")) {
        s["channel"] = json!({ "kind": kind, "name": name });
    }
    if let Some(audience) = f.get("audience").filter(|a| AUDIENCES.iter().any(|(v, _)| v == a)) {
        s["channel"]["audience"] = json!(audience);
    }
    match action {
        "media" => {
            let kind = if f.get("media_kind") == Some("video") { "video" } else { "photo" };
            let depicts: Vec<&str> = f.all("depicts").collect();
            let others: u32 = match f.get("unidentified").map(str::trim).filter(|n| !n.is_empty()) {
                None => 0,
                Some(n) => n.parse().map_err(|_| {
                    Problem::invalid("unidentified", format!("expected the number of other recognisable people (0 or more), not `{n}`"))
                })?,
            };
            s["content"]["media"] = json!([{ "kind": kind, "depicts": depicts, "unidentified_people": others, "maker": "self" }]);
            if f.get("school_situation") == Some("yes") {
                s["content"]["media"][0]["school_situation"] = json!(true);
            }
        }
        "befriend" => {
            let who = f.get("counterpart").unwrap_or("pupil");
            s["counterpart"] = if who == "former_pupil" {
                json!({ "role": "pupil", "relation": "former_pupil" })
            } else {
                json!({ "role": who, "relation": "none" })
            };
        }
        "group" => {
            let mut members: Vec<&str> = f.all("members").filter(|m| MEMBERS.iter().any(|(v, _)| v == m)).collect();
            members.push(role.as_str());
            s["counterpart"] = json!({ "members": members });
        }
        "device" => s["device"] = json!({ "kind": "phone" }),
        _ => {}
    }
    Ok(s)
}

async fn render(state: &AppState, m: &Member, f: &Fields, answer: Option<Answer>) -> Result<Response, Problem> {
    let lang = m.lang;
    let people = candidates(state, m, f).await?;
    let chosen: Vec<&str> = f.all("depicts").collect();
    let action = f.get("action").unwrap_or("post");
    let form = html! {
        form.check method="post" action={ "/s/" (m.school()) "/check" } {
            input type="hidden" name="csrf" value=(m.csrf);
            fieldset.actions {
                legend { (t(lang, "check-what")) }
                @for (value, key) in ACTIONS {
                    label.choice {
                        input type="radio" name="action" value=(value) checked[action == value];
                        " " (t(lang, key))
                    }
                }
            }
            div.field {
                label for="text" { (t(lang, "check-text")) }
                textarea id="text" name="text" rows="5" aria-describedby="text-help" { (f.get("text").unwrap_or_default()) }
                p.help id="text-help" { (t(lang, "check-text-help")) }
            }
            fieldset.media data-for="media" {
                legend { (t(lang, "check-media")) }
                div.field {
                    label for="media_kind" { (t(lang, "check-media-kind")) }
                    select id="media_kind" name="media_kind" {
                        option value="photo" selected[f.get("media_kind") != Some("video")] { (t(lang, "media-photo")) }
                        option value="video" selected[f.get("media_kind") == Some("video")] { (t(lang, "media-video")) }
                    }
                }
                label.choice {
                    input type="checkbox" name="school_situation" value="yes" checked[f.get("school_situation") == Some("yes") || f.get("action").is_none()];
                    " " (t(lang, "check-school-situation"))
                }
                p { (t(lang, "check-who-on-photo")) }
                @if m.ctx.access.is_staff() {
                    div.search {
                        label for="zoek" { (t(lang, "check-search")) }
                        // magdit.js searches as one types, at `data-search` ([`people`]).
                        input id="zoek" name="zoek" type="search" value=(f.get("zoek").unwrap_or_default()) aria-describedby="zoek-help"
                            aria-controls="mensen" data-search={ "/s/" (m.school()) "/check/mensen" };
                        button type="submit" name="op" value="zoek" formnovalidate { (t(lang, "check-search-button")) }
                        p.help id="zoek-help" { (t(lang, "check-search-help")) }
                        p.help id="zoek-status" role="status" {}
                    }
                }
                div id="mensen" data-label=(t(lang, "check-people-label")) {
                    @if people.is_empty() {
                        p.help { (t(lang, "check-no-people")) }
                    } @else {
                        ul.people aria-label=(t(lang, "check-people-label")) {
                            @for p in &people {
                                li {
                                    label.choice {
                                        input type="checkbox" name="depicts" value=(p.id.0) checked[chosen.contains(&p.id.0.to_string().as_str())];
                                        " " (p.name)
                                        @if let Some(g) = &p.group { " " span.group { "(" (g) ")" } }
                                    }
                                }
                            }
                        }
                    }
                }
                div.field {
                    label for="unidentified" { (t(lang, "check-others")) }
                    input id="unidentified" name="unidentified" type="number" min="0" max="1000" inputmode="numeric" value=(f.get("unidentified").unwrap_or("0"));
                }
            }
            fieldset.counterpart data-for="befriend" {
                legend { (t(lang, "check-counterpart")) }
                @for (value, key) in COUNTERPARTS {
                    label.choice {
                        input type="radio" name="counterpart" value=(value) checked[f.get("counterpart").unwrap_or("pupil") == value];
                        " " (t(lang, key))
                    }
                }
            }
            fieldset.members data-for="group" {
                legend { (t(lang, "check-members")) }
                @for (value, key) in MEMBERS {
                    label.choice {
                        input type="checkbox" name="members" value=(value) checked[f.all("members").any(|x| x == value)];
                        " " (t(lang, key))
                    }
                }
            }
            div.row {
                div.field {
                    label for="channel" { (t(lang, "check-where")) }
                    select id="channel" name="channel" {
                        option value="" { (t(lang, "channel-none")) }
                        @for (value, _, name) in CHANNELS {
                            option value=(value) selected[f.get("channel") == Some(value)] { (name) }
                        }
                    }
                }
                div.field {
                    label for="audience" { (t(lang, "check-audience")) }
                    select id="audience" name="audience" {
                        @for (value, key) in AUDIENCES {
                            option value=(value) selected[f.get("audience").unwrap_or("public") == value] { (t(lang, key)) }
                        }
                    }
                }
            }
            fieldset.when {
                legend { (t(lang, "check-when")) }
                @for (value, key) in WHEN {
                    label.choice {
                        input type="radio" name="when" value=(value) checked[f.get("when").unwrap_or("private") == value];
                        " " (t(lang, key))
                    }
                }
            }
            button.primary type="submit" name="op" value="check" { (t(lang, "check-submit")) }
        }
    };
    let result = match &answer {
        None => html! {},
        Some(Answer::Invalid(detail)) => html! {
            div.notice.error role="alert" id="uitkomst" tabindex="-1" { p { (t(lang, "check-invalid")) } p { (detail) } }
        },
        Some(Answer::Verdict(v)) => verdict(m, v, f.get("text").unwrap_or_default()),
    };
    let content = html! {
        p.lead { (t(lang, "check-intro")) }
        (result)
        (form)
    };
    Ok(html_page(&Frame::of(m), &t(lang, "check-title"), content))
}

/// The people the form offers to mark as on the photo: those already marked, then those the
/// search finds (staff: by name or class), or for parents and pupils the people they may see.
async fn candidates(state: &AppState, m: &Member, f: &Fields) -> Result<Vec<Person>, Problem> {
    let school = m.ctx.access.school;
    if !m.ctx.access.is_staff() {
        return m.ctx.visible_people(state).await;
    }
    let mut out = Vec::new();
    for id in f.all("depicts").filter_map(|id| id.parse().ok()) {
        if let Ok((p, _)) = m.ctx.person(state, PersonId(id)).await {
            out.push(p);
        }
    }
    out.extend(search(state, school, f.get("zoek").unwrap_or_default()).await?);
    Ok(distinct(out))
}

/// `people` with each person once, in order.
fn distinct(mut people: Vec<Person>) -> Vec<Person> {
    let mut seen = std::collections::HashSet::new();
    people.retain(|p| seen.insert(p.id));
    people
}

/// The roster search of the form, for staff: the class named `q`, then names containing it.
async fn search(state: &AppState, school: SchoolId, q: &str) -> Result<Vec<Person>, Problem> {
    let q = q.trim();
    let mut out = Vec::new();
    if !q.is_empty() {
        let by_name = PeopleFilter { name: Some(q.to_owned()), ..PeopleFilter::default() };
        let by_class = PeopleFilter { group: Some(q.to_owned()), ..PeopleFilter::default() };
        for filter in [by_class, by_name] {
            out.extend(state.store.people(school, &filter, SEARCH_LIMIT, None).await?.items);
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct PeopleQuery {
    zoek: Option<String>,
}

/// A person the live search found: what the form shows of them, nothing more.
#[derive(Serialize)]
struct Found {
    id: i64,
    name: String,
    group: Option<String>,
}

/// `GET /s/{school}/check/mensen?zoek=…`: what the form's search (`op=zoek`) would offer, as
/// JSON for `magdit.js` to show while one types, with the sentence to announce. The same rules
/// as the form: staff search the roster, parents and pupils get the people they may see.
pub async fn people(State(state): State<AppState>, m: Member, Query(q): Query<PeopleQuery>) -> Result<Json<Value>, Problem> {
    let found = if m.ctx.access.is_staff() {
        distinct(search(&state, m.ctx.access.school, q.zoek.as_deref().unwrap_or_default()).await?)
    } else {
        m.ctx.visible_people(&state).await?
    };
    let message = if found.is_empty() { t(m.lang, "check-search-none") } else { ta(m.lang, "check-search-found", &[("n", found.len().into())]) };
    let people: Vec<Found> = found.into_iter().map(|p| Found { id: p.id.0, name: p.name, group: p.group }).collect();
    Ok(Json(json!({ "people": people, "message": message })))
}

/// The colour word of an outcome: groen, oranje or rood.
fn colour_key(o: Outcome) -> &'static str {
    match o {
        Outcome::Forbidden => "colour-red",
        Outcome::Conditional | Outcome::Discouraged => "colour-orange",
        Outcome::Allowed | Outcome::Advice => "colour-green",
    }
}

/// An icon per outcome, so the verdict does not rely on colour (the word says it too).
fn icon(o: Outcome) -> &'static str {
    match o {
        Outcome::Forbidden => "✗",
        Outcome::Conditional => "!",
        Outcome::Discouraged => "~",
        Outcome::Allowed => "✓",
        Outcome::Advice => "i",
    }
}

fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => o.label_nl(),
        Lang::En => o.label_en(),
    }
}

fn verdict(m: &Member, v: &Verdict, text: &str) -> Markup {
    let lang = m.lang;
    let (rules, advice): (Vec<_>, Vec<_>) = v.findings.iter().partition(|f| f.outcome != Outcome::Advice);
    let protocol = format!("/s/{}/protocol", m.school());
    let ask = match m.ctx.access.acting_role() {
        Role::Pupil => "ask-pupil",
        Role::Parent => "ask-parent",
        _ => "ask-employee",
    };
    let marks = mentions(v);
    html! {
        section.answer id="uitkomst" tabindex="-1" aria-labelledby="uitkomst-kop" {
            div class={ "verdict verdict-" (v.verdict.as_str()) } role="status" {
                p.verdict-word id="uitkomst-kop" {
                    span.icon aria-hidden="true" { (icon(v.verdict)) }
                    span.colour { (t(lang, colour_key(v.verdict))) ": " }
                    span.label { (outcome_label(v.verdict, lang)) }
                }
                @if v.verdict == Outcome::Allowed { p { (t(lang, "verdict-nothing")) } }
            }
            @for f in &rules {
                article class={ "finding finding-" (f.outcome.as_str()) } {
                    h2 {
                        span.icon aria-hidden="true" { (icon(f.outcome)) } " "
                        a href={ (protocol) "#" (f.article) } { (t(lang, "article")) " " (f.article) }
                        " — " (outcome_label(f.outcome, lang))
                    }
                    p { (f.reason) }
                    blockquote cite={ (protocol) "#" (f.article) } { p { (f.quote) } }
                    @if !f.requires.is_empty() {
                        h3 { (t(lang, "verdict-todo")) }
                        ul { @for r in &f.requires { li { (r) } } }
                    }
                }
            }
            @if !marks.is_empty() {
                section.found aria-labelledby="gevonden" {
                    h2 id="gevonden" { (t(lang, "verdict-found")) }
                    p.text { (highlight(text, &marks, lang)) }
                    ul {
                        @for mk in &marks { li { mark { (mk.text) } " — " (t(lang, &format!("mention-{}", mk.group))) } }
                    }
                }
            }
            @if !advice.is_empty() {
                section.advice aria-labelledby="goed-om-te-weten" {
                    h2 id="goed-om-te-weten" { (t(lang, "verdict-advice")) }
                    @for f in &advice {
                        div.finding {
                            p { a href={ (protocol) "#" (f.article) } { (t(lang, "article")) " " (f.article) } ": " (f.reason) }
                        }
                    }
                }
            }
            p.ask { strong { (t(lang, "verdict-ask")) } " " (t(lang, ask)) }
        }
    }
}

/// A passage of the text that counted, with the group of fact it belongs to.
struct Mark<'v> {
    start: usize,
    end: usize,
    text: &'v str,
    group: &'static str,
}

fn mentions(v: &Verdict) -> Vec<Mark<'_>> {
    let f = &v.facts;
    let groups: [(&[Mention], &'static str); 6] = [
        (f.people.as_slice(), "person"),
        (f.personal_data.as_slice(), "personal-data"),
        (f.confidential.as_slice(), "confidential"),
        (f.insults.as_slice(), "insult"),
        (f.threats.as_slice(), "threat"),
        (f.other_names.as_slice(), "name"),
    ];
    let mut marks: Vec<Mark<'_>> = groups
        .into_iter()
        .flat_map(|(list, group)| list.iter().map(move |x| Mark { start: x.start, end: x.end, text: &x.text, group }))
        .collect();
    marks.sort_by_key(|x| (x.start, std::cmp::Reverse(x.end)));
    // Overlapping passages: the first (and longest) wins.
    let mut last_end = 0;
    marks.retain(|x| {
        let keep = x.start >= last_end && x.end > x.start;
        if keep {
            last_end = x.end;
        }
        keep
    });
    marks
}

/// `text` with the passages of `marks` in `<mark>`. The verdict's offsets count characters,
/// not bytes; a passage outside the text is left out.
fn highlight(text: &str, marks: &[Mark<'_>], lang: Lang) -> Markup {
    let bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let at = |c: usize| bytes.get(c).copied();
    let mut pieces: Vec<(bool, &str, &str)> = Vec::new();
    let mut pos = 0;
    for mk in marks {
        let (Some(s), Some(e)) = (at(mk.start), at(mk.end)) else { continue };
        if s < pos || e < s {
            continue;
        }
        pieces.push((false, &text[pos..s], ""));
        pieces.push((true, &text[s..e], mk.group));
        pos = e;
    }
    pieces.push((false, &text[pos..], ""));
    html! {
        @for (marked, piece, group) in pieces {
            @if marked { mark title=(t(lang, &format!("mention-{group}"))) { (piece) } } @else { (piece) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_count_characters_not_bytes() {
        let text = "Één foto van Daan";
        let marks = [Mark { start: 13, end: 17, text: "Daan", group: "person" }];
        let html = highlight(text, &marks, Lang::Nl).into_string();
        assert!(html.ends_with(">Daan</mark>"), "{html}");
        assert!(html.starts_with("Één foto van <mark"), "{html}");
    }

    #[test]
    fn a_passage_outside_the_text_is_left_out() {
        let marks = [Mark { start: 3, end: 40, text: "x", group: "person" }];
        assert_eq!(highlight("kort", &marks, Lang::Nl).into_string(), "kort");
        let backwards = [Mark { start: 3, end: 1, text: "x", group: "person" }];
        assert_eq!(highlight("kort", &backwards, Lang::Nl).into_string(), "kort");
    }

    #[test]
    fn the_form_becomes_a_situation() {
        let f = Fields::parse(b"action=media&text=Sportdag&depicts=3&depicts=4&channel=instagram&audience=public&when=work&unidentified=2");
        let s = situation(&f, Role::Employee).expect("a situation");
        assert_eq!(s["action"], "post");
        assert_eq!(s["actor"]["role"], "employee");
        assert_eq!(s["content"]["media"][0]["depicts"], json!(["3", "4"]));
        assert_eq!(s["content"]["media"][0]["unidentified_people"], 2);
        assert_eq!(s["channel"], json!({ "kind": "social_media", "name": "instagram", "audience": "public" }));
        assert_eq!(s["setting"]["at_work"], true);
        let f = Fields::parse(b"action=befriend&counterpart=former_pupil&channel=nonsense");
        let s = situation(&f, Role::Employee).expect("a situation");
        assert_eq!(s["action"], "befriend");
        assert_eq!(s["counterpart"]["relation"], "former_pupil");
        assert!(s.get("channel").is_none(), "an unknown channel is left out");
    }

    #[test]
    fn a_count_that_is_not_a_number_is_named() {
        let blank = Fields::parse(b"action=media&unidentified=");
        assert_eq!(situation(&blank, Role::Employee).expect("blank is none")["content"]["media"][0]["unidentified_people"], 0);
        let f = Fields::parse(b"action=media&unidentified=twee");
        let p = situation(&f, Role::Employee).expect_err("not a number");
        assert_eq!(p.field.as_deref(), Some("unidentified"));
        assert!(p.detail.contains("`twee`"), "{}", p.detail);
    }
}
