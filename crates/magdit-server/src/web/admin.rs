//! Admin pages: the consent overview per class with counts and the protocol adoption, the
//! roster import with its dry run, and the school's accounts and roles. The counts come from
//! `Store::consent_per_class`; changes go through the API's own functions
//! ([`crate::routes::schools::adopt_shipped`], [`crate::routes::import::run`]).

use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use magdit_import::ImportReport;
use magdit_store::{Apply, Grant, Outcome};
use maud::{html, Markup};

use super::class::purpose_label;
use super::i18n::{t, ta};
use super::layout::{html_page, page_with_status, Frame};
use super::Member;
use crate::problem::Problem;
use crate::routes::import::run as import_run;
use crate::routes::schools::adopt_shipped;
use crate::state::AppState;

/// The most accounts the accounts page lists.
const ACCOUNTS_SHOWN: u32 = 500;

fn admin_links(m: &Member) -> Markup {
    let lang = m.lang;
    let s = m.school();
    html! {
        nav.subnav aria-label=(t(lang, "admin-nav")) {
            ul {
                li { a href={ "/s/" (s) "/beheer" } { (t(lang, "admin-overview")) } }
                li { a href={ "/s/" (s) "/beheer/import" } { (t(lang, "admin-import")) } }
                li { a href={ "/s/" (s) "/beheer/accounts" } { (t(lang, "admin-accounts")) } }
                li { a href={ "/s/" (s) "/protocol" } { (t(lang, "admin-protocol")) } }
            }
        }
    }
}

/// `GET /s/{school}/beheer`: consent per class, counted per purpose by the store.
pub async fn overview(State(state): State<AppState>, m: Member) -> Result<Response, Problem> {
    m.ctx.access.require_admin()?;
    let lang = m.lang;
    let purposes = state.store.purposes(m.ctx.access.school).await?;
    let counts = state.store.consent_per_class(m.ctx.access.school, state.school_now(&m.ctx.school)).await?;
    let adopted = m.ctx.school.protocol.as_ref();
    let content = html! {
        (admin_links(&m))
        p {
            (t(lang, "admin-protocol-adopted")) " "
            @match adopted {
                Some(p) => { a href={ "/s/" (m.school()) "/protocol" } { (p.id) } " (" (p.adopted_at.date()) ")" }
                None => { (t(lang, "admin-no-protocol")) }
            }
        }
        (adopt_form(&state, &m))
        h2 { (t(lang, "admin-consent-title")) }
        p.help { (t(lang, "admin-consent-help")) }
        div.table-wrap {
            table {
                caption { (t(lang, "admin-consent-title")) }
                thead {
                    tr {
                        th scope="col" { (t(lang, "class")) }
                        th scope="col" { (t(lang, "pupils")) }
                        @for p in &purposes { th scope="col" { (purpose_label(lang, p)) } }
                    }
                }
                tbody {
                    @for c in &counts {
                        tr {
                            th scope="row" {
                                @match &c.group {
                                    Some(class) => { a href={ "/s/" (m.school()) "/klas?klas=" (super::encode(class)) } { (class) } }
                                    None => { (t(lang, "no-class")) }
                                }
                            }
                            td { (c.pupils) }
                            @for (_, n) in &c.purposes {
                                td { (ta(lang, "admin-counts", &[("yes", n.given.into()), ("no", n.refused.into()), ("unknown", n.unknown.into())])) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html_page(&Frame::of(&m), &t(lang, "admin-title"), content))
}

/// Choosing one of the shipped protocols; a school's own file is adopted through the API
/// (`PUT /api/v1/schools/{school}/protocol/file`), which answers with its diagnostics.
fn adopt_form(state: &AppState, m: &Member) -> Markup {
    let lang = m.lang;
    let current = m.ctx.school.protocol.as_ref().map(|p| p.id.as_str());
    html! {
        form method="post" action={ "/s/" (m.school()) "/beheer/protocol" } {
            input type="hidden" name="csrf" value=(m.csrf);
            div.field {
                label for="protocol" { (t(lang, "adopt-label")) }
                select id="protocol" name="protocol" aria-describedby="protocol-help" {
                    @for p in state.engine.protocols() {
                        option value=(p.meta.id) selected[current == Some(p.meta.id.as_str())] { (p.meta.school) " — " (p.meta.title) }
                    }
                }
                p.help id="protocol-help" { (t(lang, "adopt-help")) }
            }
            button type="submit" { (t(lang, "adopt-submit")) }
        }
    }
}

/// `POST /s/{school}/beheer/protocol`: the school adopts the chosen shipped protocol.
pub async fn adopt(State(state): State<AppState>, m: Member, body: Bytes) -> Result<Response, Problem> {
    let f = m.form(&body)?;
    adopt_shipped(&state, &m.ctx, f.get("protocol").unwrap_or_default()).await?;
    Ok(Redirect::to(&format!("/s/{}/beheer", m.school())).into_response())
}

/// `GET /s/{school}/beheer/import`
pub async fn import_form(m: Member) -> Result<Response, Problem> {
    m.ctx.access.require_admin()?;
    Ok(import_page(&m, StatusCode::OK, None, None))
}

/// `POST /s/{school}/beheer/import` (multipart): the file, and whether only to try it.
pub async fn import(State(state): State<AppState>, m: Member, form: Multipart) -> Result<Response, Problem> {
    m.ctx.access.require_admin()?;
    let (fields, file) = m.multipart(form).await?;
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return Ok(import_page(&m, StatusCode::UNPROCESSABLE_ENTITY, None, Some(t(m.lang, "import-no-file"))));
    };
    let mode = if fields.get("dry_run") == Some("yes") { Apply::DryRun } else { Apply::Commit };
    match import_run(&state, &m.ctx, &file, mode).await {
        Ok(report) => Ok(import_page(&m, StatusCode::OK, Some(&report), None)),
        Err(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => Ok(import_page(&m, p.status, None, Some(p.detail))),
        Err(p) => Err(p),
    }
}

fn import_page(m: &Member, status: StatusCode, report: Option<&ImportReport>, error: Option<String>) -> Response {
    let lang = m.lang;
    let content = html! {
        (admin_links(m))
        p.lead { (t(lang, "import-intro")) }
        @if let Some(e) = &error { div.notice.error role="alert" { p { (t(lang, "import-refused")) } p { (e) } } }
        @if let Some(r) = report { (import_report(m, r)) }
        form method="post" enctype="multipart/form-data" action={ "/s/" (m.school()) "/beheer/import" } {
            input type="hidden" name="csrf" value=(m.csrf);
            div.field {
                label for="file" { (t(lang, "import-file")) }
                input id="file" name="file" type="file" accept=".csv,.txt,text/csv" required aria-describedby="file-help";
                p.help id="file-help" { (t(lang, "import-file-help")) }
            }
            label.choice { input type="checkbox" name="dry_run" value="yes" checked; " " (t(lang, "import-dry-run")) }
            button.primary type="submit" { (t(lang, "import-submit")) }
        }
    };
    page_with_status(&Frame::of(m), status, &t(lang, "import-title"), content)
}

fn import_report(m: &Member, r: &ImportReport) -> Markup {
    let lang = m.lang;
    let count = |o: Outcome| -> FluentValue<'static> { r.count(o).into() };
    html! {
        section.report id="rapport" tabindex="-1" aria-labelledby="rapport-kop" {
            h2 id="rapport-kop" { (t(lang, if r.dry_run { "import-report-dry" } else { "import-report-done" })) }
            p role="status" {
                (ta(lang, "import-summary", &[
                    ("created", count(Outcome::Created)),
                    ("updated", count(Outcome::Updated)),
                    ("unchanged", count(Outcome::Unchanged)),
                    ("links", r.links_added().into()),
                    ("rejected", r.rejected.len().into()),
                ]))
            }
            @if !r.rejected.is_empty() {
                div.table-wrap {
                    table.rejected {
                        caption { (t(lang, "import-rejected")) }
                        thead { tr { th scope="col" { (t(lang, "line")) } th scope="col" { (t(lang, "reason")) } } }
                        tbody {
                            @for x in &r.rejected {
                                tr { td { (x.line) } td { (match lang { magdit_protocol::Lang::Nl => x.nl(), magdit_protocol::Lang::En => x.en() }) } }
                            }
                        }
                    }
                }
            }
            @if r.dry_run { p { (t(lang, "import-dry-run-note")) } }
        }
    }
}

/// `GET /s/{school}/beheer/accounts`: the school's accounts and their roles here.
pub async fn accounts(State(state): State<AppState>, m: Member) -> Result<Response, Problem> {
    m.ctx.access.require_admin()?;
    let lang = m.lang;
    let page_of = state.store.school_accounts(m.ctx.access.school, ACCOUNTS_SHOWN, None).await?;
    let content = html! {
        (admin_links(&m))
        p.help { (t(lang, "accounts-help")) }
        div.table-wrap {
            table {
                caption { (t(lang, "admin-accounts")) }
                thead { tr { th scope="col" { (t(lang, "name")) } th scope="col" { (t(lang, "login-email")) } th scope="col" { (t(lang, "roles")) } th scope="col" { (t(lang, "status")) } } }
                tbody {
                    @for a in &page_of.items {
                        tr {
                            td { (a.account.name) }
                            td { (a.account.email) }
                            td { (a.grants.iter().map(|g: &Grant| t(lang, &format!("role-{}", g.role().as_str()))).collect::<Vec<_>>().join(", ")) }
                            td { (t(lang, if a.account.is_disabled() { "account-disabled" } else { "account-active" })) }
                        }
                    }
                }
            }
        }
        @if page_of.next.is_some() { p { (ta(lang, "accounts-more", &[("n", ACCOUNTS_SHOWN.into())])) } }
    };
    Ok(html_page(&Frame::of(&m), &t(lang, "admin-accounts"), content))
}
