//! Consent for parents and pupils from 16: per child, per purpose, yes or no with the
//! purpose's one line; changed at any time; the history of their own choices; a prompt when
//! the school's renewal policy (or a reworded purpose) has made earlier consent expire.
//! Decisions go through the API's own [`crate::routes::consent::record`].

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use magdit_store::{ConsentAction, ConsentState, Decider, EffectiveState, Person, PersonId, Purpose, Role};
use maud::{html, Markup};
use serde::Deserialize;

use super::i18n::{t, ta};
use super::layout::{html_page, Frame};
use super::Member;
use crate::authz::Relation;
use crate::problem::Problem;
use crate::routes::consent::{record, DecisionBody};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct PageQuery {
    /// The pupil whose choice was just saved.
    opgeslagen: Option<i64>,
}

/// `GET /s/{school}/toestemming`: every pupil the account decides for or about.
pub async fn page(State(state): State<AppState>, m: Member, Query(q): Query<PageQuery>) -> Result<Response, Problem> {
    let lang = m.lang;
    let school = m.ctx.access.school;
    let now = state.school_now(&m.ctx.school);
    let purposes = state.store.purposes(school).await?;
    let pupils: Vec<Person> = m.ctx.visible_people(&state).await?.into_iter().filter(|p| p.role == Role::Pupil).collect();
    let mut sections = Vec::new();
    for pupil in &pupils {
        sections.push(pupil_section(&state, &m, pupil, &purposes, now, q.opgeslagen == Some(pupil.id.0)).await?);
    }
    let content = html! {
        p.lead { (t(lang, "consent-intro")) }
        @if pupils.is_empty() { p { (t(lang, "consent-nobody")) } }
        @for s in &sections { (s) }
    };
    Ok(html_page(&Frame::of(&m), &t(lang, "consent-title"), content))
}

async fn pupil_section(state: &AppState, m: &Member, pupil: &Person, purposes: &[Purpose], now: time::OffsetDateTime, saved: bool) -> Result<Markup, Problem> {
    let lang = m.lang;
    let school = m.ctx.access.school;
    let (_, relation) = m.ctx.person(state, pupil.id).await?;
    let decider = state.store.who_decides(school, pupil.id, now.date()).await?;
    let themself = relation == Relation::Themself && m.ctx.access.pupil == Some(pupil.id);
    let may_decide = match &decider {
        Decider::Guardians { .. } => relation == Relation::GuardianOf,
        Decider::Pupil { .. } => themself,
    };
    let who = match (&decider, themself) {
        (Decider::Pupil { .. }, true) => t(lang, "consent-you-decide"),
        (Decider::Pupil { .. }, false) => ta(lang, "consent-pupil-decides", &[("name", pupil.name.as_str().into())]),
        (Decider::Guardians { until: Some(d), .. }, _) => ta(lang, "consent-guardians-until", &[("date", d.to_string().into())]),
        (Decider::Guardians { until: None, .. }, _) => t(lang, "consent-guardians"),
    };
    let states = state.store.pupil_consent(school, pupil.id, now).await?;
    let history = state.store.consent_history(school, pupil.id, None).await?;
    let description = |key: &str| purposes.iter().find(|p| p.key == key).map(|p| p.description.clone()).unwrap_or_else(|| key.to_owned());
    let expired = states.iter().any(|(_, c)| c.expired);
    let anchor = format!("leerling-{}", pupil.id);
    Ok(html! {
        section.pupil id=(anchor) aria-labelledby={ (anchor) "-kop" } {
            h2 id={ (anchor) "-kop" } { (pupil.name) @if let Some(g) = &pupil.group { " " span.group { "(" (g) ")" } } }
            p { (who) }
            @if saved { div.notice.saved role="status" { p { (t(lang, "consent-saved")) } } }
            @if expired && may_decide {
                div.notice.renew role="note" { p { strong { (t(lang, "consent-renew-title")) } " " (t(lang, "consent-renew")) } }
            }
            ul.purposes {
                @for (key, c) in &states {
                    li.purpose {
                        @let id = format!("{anchor}-{key}");
                        @if may_decide {
                            form method="post" action={ "/s/" (m.school()) "/toestemming/" (pupil.id) } {
                                input type="hidden" name="csrf" value=(m.csrf);
                                input type="hidden" name="purpose" value=(key);
                                fieldset {
                                    legend { (description(key)) }
                                    (state_badge(lang, c.state, c.expired))
                                    label.choice { input type="radio" name="choice" value="give" checked[c.state == EffectiveState::Given] required; " " (t(lang, "yes")) }
                                    label.choice { input type="radio" name="choice" value="refuse" checked[c.state == EffectiveState::Refused]; " " (t(lang, "no")) }
                                    button type="submit" id=(id) { (t(lang, "save")) }
                                }
                            }
                        } @else {
                            p { (description(key)) ": " (state_badge(lang, c.state, c.expired)) }
                        }
                    }
                }
            }
            details.history {
                summary { (t(lang, "consent-history")) }
                @if history.is_empty() { p { (t(lang, "consent-history-empty")) } } @else {
                    div.table-wrap { table {
                        caption { (t(lang, "consent-history")) " — " (pupil.name) }
                        thead { tr { th scope="col" { (t(lang, "when")) } th scope="col" { (t(lang, "purpose")) } th scope="col" { (t(lang, "choice")) } th scope="col" { (t(lang, "via")) } } }
                        tbody {
                            @for h in history.iter().rev() {
                                tr {
                                    td { (h.decided_at.date()) }
                                    td { (description(&h.purpose)) }
                                    td { (t(lang, if h.state == ConsentState::Given { "yes" } else { "no" })) }
                                    td { (t(lang, &format!("channel-{}", h.channel.as_str()))) }
                                }
                            }
                        }
                    } }
                }
            }
        }
    })
}

/// Ja / nee / onbekend with an icon, and "verlopen" when consent given has expired.
pub fn state_badge(lang: magdit_protocol::Lang, s: EffectiveState, expired: bool) -> Markup {
    let (class, icon, key) = match s {
        EffectiveState::Given => ("state given", "✓", "yes"),
        EffectiveState::Refused => ("state refused", "✗", "no"),
        EffectiveState::Unknown => ("state unknown", "?", "unknown"),
    };
    html! {
        span class=(class) { span.icon aria-hidden="true" { (icon) } " " (t(lang, key)) @if expired { " (" (t(lang, "expired")) ")" } }
    }
}

/// `POST /s/{school}/toestemming/{person}`: one decision, then back to the page.
pub async fn decide(State(state): State<AppState>, m: Member, Path((_, person)): Path<(i64, i64)>, body: Bytes) -> Result<Response, Problem> {
    let f = m.form(&body)?;
    let action = match f.get("choice") {
        Some("give") => ConsentAction::Give,
        Some("refuse") => ConsentAction::Refuse,
        _ => return Err(Problem::invalid("choice", "choose yes or no")),
    };
    let purpose = f.get("purpose").unwrap_or_default().to_owned();
    let decision = DecisionBody { action, decided_by: None, decided_at: None };
    record(&state, &m.ctx, PersonId(person), purpose, &decision).await?;
    Ok(Redirect::to(&format!("/s/{}/toestemming?opgeslagen={person}#leerling-{person}", m.school())).into_response())
}
