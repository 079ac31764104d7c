//! The school's protocol as a readable document: its adoption data, when the next evaluation is
//! due, and every article verbatim with its id as the anchor the "Mag dit?" answers link to.

use axum::extract::State;
use axum::response::Response;
use magdit_protocol::Protocol;
use maud::html;
use time::{Date, Month};

use super::i18n::{t, ta};
use super::layout::{html_page, Frame};
use super::Member;
use crate::problem::Problem;
use crate::routes::school_protocol::{adopted_engine, adopted_in};
use crate::state::AppState;

/// `GET /s/{school}/protocol`
pub async fn page(State(state): State<AppState>, m: Member) -> Result<Response, Problem> {
    let lang = m.lang;
    let (engine, adopted) = adopted_engine(&state, &m.ctx.school).await?;
    let p = adopted_in(&engine, &m.ctx.school)?;
    let meta = &p.meta;
    let today = state.school_now(&m.ctx.school).date();
    let next = next_evaluation(p);
    let data: Vec<(String, String)> = [
        ("protocol-school", Some(meta.school.clone())),
        ("protocol-board", meta.board.clone()),
        ("protocol-version", meta.version.clone()),
        ("protocol-adopted-by", meta.adopted_by.clone()),
        ("protocol-adopted-on", meta.adopted_on.clone()),
        ("protocol-gmr", meta.gmr_consent_on.clone()),
        ("protocol-in-force", meta.in_force_from.clone()),
        ("protocol-adopted-here", Some(adopted.adopted_at.date().to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (t(lang, k), v)))
    .collect();
    let content = html! {
        section.adoption aria-labelledby="vaststelling" {
            h2 id="vaststelling" { (t(lang, "protocol-adoption")) }
            dl {
                @for (k, v) in &data { dt { (k) } dd { (v) } }
                dt { (t(lang, "protocol-next-evaluation")) }
                dd {
                    @match (next, meta.evaluation_interval_months) {
                        (Some(d), Some(months)) => {
                            (d) " " (ta(lang, "protocol-every", &[("months", months.into())]))
                            @if d < today { " " strong.overdue { (t(lang, "protocol-overdue")) } }
                        }
                        _ => { (t(lang, "protocol-no-evaluation")) }
                    }
                }
            }
        }
        nav.toc aria-label=(t(lang, "protocol-contents")) {
            h2 { (t(lang, "protocol-contents")) }
            ol { @for s in &p.sections { li { a href={ "#sectie-" (s.id) } { (s.title) } } } }
        }
        @for s in &p.sections {
            section.protocol-section id={ "sectie-" (s.id) } aria-labelledby={ "sectie-" (s.id) "-kop" } {
                h2 id={ "sectie-" (s.id) "-kop" } { (s.title) }
                @for a in p.articles.iter().filter(|a| a.section == s.id) {
                    article.article id=(a.id) {
                        h3 { a href={ "#" (a.id) } { (t(lang, "article")) " " (a.id) } }
                        @for para in a.text.split("\n\n") { p.verbatim { (para.trim()) } }
                    }
                }
            }
        }
    };
    Ok(html_page(&Frame::of(&m), &meta.title, content))
}

/// When the protocol is to be evaluated: its interval after it came into force (or was
/// adopted). The file records no evaluation, so a date in the past shows as overdue.
fn next_evaluation(p: &Protocol) -> Option<Date> {
    let months = p.meta.evaluation_interval_months.filter(|m| *m > 0)?;
    let start = p.meta.in_force_from.as_deref().or(p.meta.adopted_on.as_deref())?;
    let start = Date::parse(start, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    add_months(start, months)
}

fn add_months(d: Date, months: u32) -> Option<Date> {
    let total = d.year() * 12 + (d.month() as i32 - 1) + i32::try_from(months).ok()?;
    let (year, month) = (total.div_euclid(12), Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_are_added_to_the_end_of_a_shorter_month() {
        assert_eq!(add_months(date!(2017 - 02 - 22), 24), Some(date!(2019 - 02 - 22)));
        assert_eq!(add_months(date!(2020 - 01 - 31), 1), Some(date!(2020 - 02 - 29)));
        assert_eq!(add_months(date!(2020 - 11 - 30), 3), Some(date!(2021 - 02 - 28)));
    }

    #[test]
    fn the_shipped_protocol_with_an_interval_has_a_next_evaluation() {
        let p = magdit_protocol::builtin::protocols().into_iter().find(|p| p.meta.id == "vmbo-maastricht").expect("shipped");
        assert_eq!(next_evaluation(&p), Some(date!(2019 - 02 - 22)));
    }
}
