//! Admin pages: the consent overview per class with counts (`Store::consent_per_class`) and
//! the protocol adoption, the roster import with its dry run, and the school's accounts with
//! forms to give and take roles. Each writes through the API's own functions
//! ([`crate::routes::schools::adopt_shipped`], [`crate::routes::import::run`],
//! [`crate::routes::accounts::give`] and [`take`]).

use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use magdit_import::ImportReport;
use magdit_protocol::Lang;
use magdit_store::{Apply, GrantRole, Outcome, SchoolAccount};
use maud::{html, Markup};
use serde::Deserialize;

use super::class::purpose_label;
use super::i18n::{t, ta};
use super::layout::{html_page, page_with_status, Frame};
use super::Member;
use crate::problem::Problem;
use crate::routes::accounts::{give, may_take, take, GrantBody};
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
                                tr { td { (x.line) } td { (match lang { Lang::Nl => x.nl(), Lang::En => x.en() }) } }
                            }
                        }
                    }
                }
            }
            @if r.dry_run { p { (t(lang, "import-dry-run-note")) } }
        }
    }
}

/// The roles an admin gives from the accounts page. Guardians and pupils get theirs with
/// their row on the roster (the API's `person`), so the page does not offer them.
const GIVEN_HERE: [GrantRole; 3] = [GrantRole::SchoolAdmin, GrantRole::Leidinggevende, GrantRole::Employee];

#[derive(Deserialize)]
pub struct AccountsQuery {
    /// After a change: the account, and the role given or taken.
    account: Option<i64>,
    gegeven: Option<String>,
    ingetrokken: Option<String>,
}

fn role_label(lang: Lang, role: GrantRole) -> String {
    t(lang, &format!("role-{}", role.as_str()))
}

/// `GET /s/{school}/beheer/accounts`: the school's accounts, their roles here, and forms to
/// give and take them.
pub async fn accounts(State(state): State<AppState>, m: Member, Query(q): Query<AccountsQuery>) -> Result<Response, Problem> {
    m.ctx.access.require_admin()?;
    let lang = m.lang;
    let page_of = state.store.school_accounts(m.ctx.access.school, ACCOUNTS_SHOWN, None).await?;
    // The confirmation of the change just made, named as the page names the account and role.
    let done = q.account.and_then(|id| page_of.items.iter().find(|a| a.account.id.0 == id)).and_then(|a| {
        let (key, role) = match (&q.gegeven, &q.ingetrokken) {
            (Some(r), _) => ("accounts-given", r),
            (_, Some(r)) => ("accounts-taken", r),
            _ => return None,
        };
        let role = role.parse::<GrantRole>().ok()?;
        Some(ta(lang, key, &[("name", a.account.name.as_str().into()), ("role", role_label(lang, role).into())]))
    });
    let action = |a: &SchoolAccount| format!("/s/{}/beheer/accounts/{}/rollen", m.school(), a.account.id);
    let content = html! {
        (admin_links(&m))
        @if let Some(done) = &done { div.notice.saved role="status" { p { (done) } } }
        p.help { (t(lang, "accounts-help")) " " (t(lang, "accounts-roles-help")) }
        div.table-wrap {
            table.accounts {
                caption { (t(lang, "admin-accounts")) }
                thead {
                    tr {
                        th scope="col" { (t(lang, "name")) }
                        th scope="col" { (t(lang, "login-email")) }
                        th scope="col" { (t(lang, "roles")) }
                        th scope="col" { (t(lang, "accounts-give-head")) }
                        th scope="col" { (t(lang, "status")) }
                    }
                }
                tbody {
                    @for a in &page_of.items {
                        @let name = a.account.name.as_str();
                        tr id={ "account-" (a.account.id) } {
                            td { (name) }
                            td { (a.account.email) }
                            td {
                                ul.roles {
                                    @for g in &a.grants {
                                        @let role = g.role();
                                        li {
                                            (role_label(lang, role))
                                            @if may_take(&m.ctx, a.account.id, role).is_ok() {
                                                form.inline method="post" action=(action(a)) {
                                                    input type="hidden" name="csrf" value=(m.csrf);
                                                    input type="hidden" name="op" value="take";
                                                    input type="hidden" name="role" value=(role.as_str());
                                                    button type="submit" aria-label=(ta(lang, "accounts-take-label", &[("name", name.into()), ("role", role_label(lang, role).into())])) {
                                                        (t(lang, "accounts-take"))
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            td {
                                @let missing: Vec<GrantRole> = GIVEN_HERE.into_iter().filter(|r| !a.grants.iter().any(|g| g.role() == *r)).collect();
                                @if !missing.is_empty() {
                                    form.inline method="post" action=(action(a)) {
                                        input type="hidden" name="csrf" value=(m.csrf);
                                        input type="hidden" name="op" value="give";
                                        label.visually-hidden for={ "rol-" (a.account.id) } { (ta(lang, "accounts-give-label", &[("name", name.into())])) }
                                        select id={ "rol-" (a.account.id) } name="role" {
                                            @for r in &missing { option value=(r.as_str()) { (role_label(lang, *r)) } }
                                        }
                                        " "
                                        button type="submit" { (t(lang, "accounts-give")) }
                                    }
                                }
                            }
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

/// `POST /s/{school}/beheer/accounts/{account}/rollen`: gives (`op=give`) or takes
/// (`op=take`) the role `role` here, through the API's own [`give`] and [`take`]; then the
/// page again, saying what was done.
pub async fn change_role(State(state): State<AppState>, m: Member, Path((_, account)): Path<(i64, i64)>, body: Bytes) -> Result<Response, Problem> {
    let f = m.form(&body)?;
    let role = f.get("role").unwrap_or_default();
    let done = match f.get("op") {
        Some("give") => {
            let role: GrantRole = role.parse().map_err(|e: String| Problem::invalid("role", e))?;
            give(&state, &m.ctx, account, &GrantBody { role, person: None }).await?;
            "gegeven"
        }
        Some("take") => {
            take(&state, &m.ctx, account, role).await?;
            "ingetrokken"
        }
        other => return Err(Problem::invalid("op", format!("expected `give` or `take`, not `{}`", other.unwrap_or_default()))),
    };
    let to = format!("/s/{}/beheer/accounts?account={account}&{done}={}#account-{account}", m.school(), super::encode(role));
    Ok(Redirect::to(&to).into_response())
}
