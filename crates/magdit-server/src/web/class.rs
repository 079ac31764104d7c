//! The class view for employees: for one class, who may be in photos per purpose (ja / nee /
//! onbekend), printable. The rows come from the API's own
//! [`crate::routes::consent::class_rows`].

use axum::extract::{Query, State};
use axum::response::Response;
use magdit_store::{PeopleFilter, Purpose, Role};
use maud::html;
use serde::Deserialize;

use super::consent::state_badge;
use super::i18n::{t, ta};
use super::layout::{html_page, Frame};
use super::Member;
use crate::problem::Problem;
use crate::routes::consent::class_rows;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ClassQuery {
    klas: Option<String>,
}

/// A purpose's short name for a column head: the built-in ones have one, a school's own
/// purpose shows its description.
pub fn purpose_label(lang: magdit_protocol::Lang, p: &Purpose) -> String {
    if p.builtin { t(lang, &format!("purpose-{}", p.key)) } else { p.description.clone() }
}

/// `GET /s/{school}/klas?klas=7A`
pub async fn page(State(state): State<AppState>, m: Member, Query(q): Query<ClassQuery>) -> Result<Response, Problem> {
    let lang = m.lang;
    if !m.ctx.access.is_staff() {
        return Err(Problem::forbidden("the class view is for the school's staff"));
    }
    let groups = state.store.classes(m.ctx.access.school).await?;
    let chosen = q.klas.filter(|k| groups.contains(k));
    let purposes = state.store.purposes(m.ctx.access.school).await?;
    let rows = match &chosen {
        Some(group) => {
            let filter = PeopleFilter { group: Some(group.clone()), role: Some(Role::Pupil), name: None };
            class_rows(&state, &m.ctx, &filter).await?
        }
        None => Vec::new(),
    };
    let title = match &chosen {
        Some(g) => ta(lang, "class-title-of", &[("class", g.as_str().into())]),
        None => t(lang, "class-title"),
    };
    let content = html! {
        form.noprint method="get" action={ "/s/" (m.school()) "/klas" } {
            div.field {
                label for="klas" { (t(lang, "class-choose")) }
                select id="klas" name="klas" {
                    @for g in &groups { option value=(g) selected[chosen.as_deref() == Some(g.as_str())] { (g) } }
                }
                button type="submit" { (t(lang, "class-show")) }
            }
        }
        @if chosen.is_some() {
            p.help { (t(lang, "class-legend")) }
            div.table-wrap {
                table.class-view {
                    caption { (title) }
                    thead {
                        tr {
                            th scope="col" { (t(lang, "name")) }
                            @for p in &purposes { th scope="col" { (purpose_label(lang, p)) } }
                        }
                    }
                    tbody {
                        @for r in &rows {
                            tr {
                                th scope="row" { (r.name) }
                                @for p in &purposes {
                                    td { (state_badge(lang, r.consent.get(&p.key).copied().unwrap_or(magdit_store::EffectiveState::Unknown), false)) }
                                }
                            }
                        }
                    }
                }
            }
            p.noprint { button.print type="button" hidden { (t(lang, "print")) } }
        }
    };
    Ok(html_page(&Frame::of(&m), &title, content))
}
