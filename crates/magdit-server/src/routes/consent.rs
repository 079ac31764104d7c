//! The consent registry: purposes, a pupil's consent, decisions, history and the class view.
//! Employees see only "mag in beeld: ja / nee / onbekend"; history and who decides are for
//! admins, the pupil's guardians and the pupil.

use axum::extract::{Path, Query, State};
use axum::Json;
use magdit_store::{
    Channel, ConsentAction, ConsentChange, Decider, Decision, EffectiveState, PeopleFilter, PersonId, Role,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::authz::Relation;
use crate::context::{InSchool, JsonBody, PersonPath};
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct PurposeView {
    pub key: String,
    pub description: String,
    pub builtin: bool,
}

/// The school's purposes: the five built-in ones, then its own.
#[utoipa::path(get, path = "/api/v1/schools/{school}/purposes", tag = "consent",
    params(("school" = i64, Path)),
    responses((status = 200, body = Vec<PurposeView>), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn purposes(State(state): State<AppState>, ctx: InSchool) -> Result<Json<Vec<PurposeView>>, Problem> {
    let list = state.store.purposes(ctx.access.school).await?;
    Ok(Json(list.into_iter().map(|p| PurposeView { key: p.key, description: p.description, builtin: p.builtin }).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurposeBody {
    /// One line a parent reads to decide, e.g. "Foto's op de openbare website van de school".
    pub description: String,
}

/// Adds a purpose of the school's own, or rewords one; rewording expires earlier consent
/// (admins).
#[utoipa::path(put, path = "/api/v1/schools/{school}/purposes/{purpose}", tag = "consent",
    params(("school" = i64, Path), ("purpose" = String, Path)), request_body = PurposeBody,
    responses((status = 200, body = PurposeView), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn define_purpose(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, key)): Path<(i64, String)>,
    JsonBody(body): JsonBody<PurposeBody>,
) -> Result<Json<PurposeView>, Problem> {
    ctx.access.require_admin()?;
    let p = state.store.define_purpose(ctx.access.school, &key, &body.description, &ctx.actor).await?;
    Ok(Json(PurposeView { key: p.key, description: p.description, builtin: p.builtin }))
}

/// One purpose's state for one pupil. `expired`, `decided_at` are shown only to those who
/// see the detail.
#[derive(Serialize, ToSchema)]
pub struct ConsentStatus {
    pub purpose: String,
    /// `given`, `refused` or `unknown` (nothing recorded, or expired): ja / nee / onbekend.
    #[schema(value_type = String, example = "given")]
    pub state: EffectiveState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<OffsetDateTime>,
}

/// A pupil's consent per purpose, and (for those who see detail) who may decide now.
#[derive(Serialize, ToSchema)]
pub struct PupilConsent {
    pub pupil: i64,
    pub purposes: Vec<ConsentStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub decider: Option<Decider>,
}

/// A pupil's consent per purpose.
#[utoipa::path(get, path = "/api/v1/schools/{school}/people/{person}/consent", tag = "consent",
    params(("school" = i64, Path), ("person" = i64, Path)),
    responses((status = 200, body = PupilConsent), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn pupil_consent(State(state): State<AppState>, ctx: InSchool, path: PersonPath) -> Result<Json<PupilConsent>, Problem> {
    let (pupil, relation) = ctx.person(&state, path.person()).await?;
    let detail = relation.sees_consent_detail();
    let now = state.school_now(&ctx.school);
    let list = state.store.pupil_consent(ctx.access.school, pupil.id, now).await?;
    let purposes = list
        .into_iter()
        .map(|(purpose, c)| ConsentStatus {
            purpose,
            state: c.state,
            expired: detail.then_some(c.expired),
            decided_at: if detail { c.decided_at } else { None },
        })
        .collect();
    let decider = if detail && pupil.role == Role::Pupil {
        Some(state.store.who_decides(ctx.access.school, pupil.id, now.date()).await?)
    } else {
        None
    };
    Ok(Json(PupilConsent { pupil: pupil.id.0, purposes, decider }))
}

/// A decision about one purpose.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// `give`, `refuse` or `withdraw`.
    #[schema(value_type = String, example = "give")]
    pub action: ConsentAction,
    /// Admins recording a paper form: who decided (a guardian, or the pupil from 16).
    pub decided_by: Option<i64>,
    /// Admins recording a paper form: the date on it.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<OffsetDateTime>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordedView {
    #[schema(value_type = Object)]
    pub change: ConsentChange,
    /// False when a later decision is already in force (a paper form entered late).
    pub in_force: bool,
}

/// Gives, refuses or withdraws consent for one purpose. A guardian decides for their child
/// under 16, a pupil from 16 for themself; an admin records a paper decision naming who made
/// it. Withdrawal takes effect at once.
#[utoipa::path(post, path = "/api/v1/schools/{school}/people/{person}/consent/{purpose}", tag = "consent",
    params(("school" = i64, Path), ("person" = i64, Path), ("purpose" = String, Path)), request_body = DecisionBody,
    responses((status = 200, body = RecordedView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn decide(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, person, purpose)): Path<(i64, i64, String)>,
    JsonBody(body): JsonBody<DecisionBody>,
) -> Result<Json<RecordedView>, Problem> {
    let recorded = record(&state, &ctx, PersonId(person), purpose, &body).await?;
    Ok(Json(RecordedView { change: recorded.change, in_force: recorded.in_force }))
}

/// Records `body` about `person`'s consent for `purpose`, by whoever the account is to them:
/// a guardian for their child, the pupil for themself (the store refuses either at the
/// wrong age), an admin for a paper form. The API and the web UI's consent page end here.
pub async fn record(
    state: &AppState,
    ctx: &InSchool,
    person: PersonId,
    purpose: String,
    body: &DecisionBody,
) -> Result<magdit_store::Recorded, Problem> {
    let (pupil, relation) = ctx.person(state, person).await?;
    let (decided_by, channel) = match relation {
        Relation::GuardianOf => (ctx.access.guardian, ctx.principal.channel()),
        Relation::Themself if ctx.access.pupil == Some(pupil.id) => (Some(pupil.id), ctx.principal.channel()),
        Relation::Admin => {
            let by = body.decided_by.ok_or_else(|| {
                Problem::invalid("decided_by", "an administrator records a decision made by a guardian or the pupil: say who")
            })?;
            (Some(PersonId(by)), Channel::Paper)
        }
        _ => return Err(Problem::forbidden("only the pupil's guardians, the pupil from 16, or an administrator record consent")),
    };
    if body.decided_at.is_some() && relation != Relation::Admin {
        return Err(Problem::invalid("decided_at", "only an administrator entering a paper form gives the date"));
    }
    let decision = Decision { pupil: pupil.id, purpose, action: body.action, decided_by, channel, decided_at: body.decided_at };
    Ok(state.store.record_consent(ctx.access.school, &decision, &ctx.actor).await?)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Only this purpose.
    pub purpose: Option<String>,
}

/// Every decision recorded for a pupil, oldest first (admins, guardians, the pupil).
#[utoipa::path(get, path = "/api/v1/schools/{school}/people/{person}/consent/history", tag = "consent",
    params(("school" = i64, Path), ("person" = i64, Path), HistoryQuery),
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn history(
    State(state): State<AppState>,
    ctx: InSchool,
    path: PersonPath,
    Query(q): Query<HistoryQuery>,
) -> Result<Json<Vec<ConsentChange>>, Problem> {
    let (pupil, relation) = ctx.person(&state, path.person()).await?;
    if !relation.sees_consent_detail() {
        return Err(Problem::forbidden("the history is shown to administrators, the pupil's guardians and the pupil"));
    }
    Ok(Json(state.store.consent_history(ctx.access.school, pupil.id, q.purpose.as_deref()).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClassQuery {
    /// The class or group (klas, groep).
    pub group: String,
}

/// One pupil of a class with "mag in beeld" per purpose.
#[derive(Serialize, ToSchema)]
pub struct ClassRow {
    pub pupil: i64,
    pub name: String,
    /// Purpose key → `given`, `refused` or `unknown`.
    #[schema(value_type = Object)]
    pub consent: std::collections::BTreeMap<String, EffectiveState>,
}

/// For a class: who may be in photos, per purpose (staff).
#[utoipa::path(get, path = "/api/v1/schools/{school}/consent", tag = "consent",
    params(("school" = i64, Path), ClassQuery),
    responses((status = 200, body = Vec<ClassRow>), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn class(State(state): State<AppState>, ctx: InSchool, Query(q): Query<ClassQuery>) -> Result<Json<Vec<ClassRow>>, Problem> {
    let filter = PeopleFilter { group: Some(q.group), role: Some(Role::Pupil), name: None };
    Ok(Json(class_rows(&state, &ctx, &filter).await?))
}

/// The pupils `filter` selects, each with "mag in beeld" per purpose (staff): the API's class
/// view and the web UI's.
pub async fn class_rows(state: &AppState, ctx: &InSchool, filter: &PeopleFilter) -> Result<Vec<ClassRow>, Problem> {
    if !ctx.access.is_staff() {
        return Err(Problem::forbidden("the class view is for the school's staff"));
    }
    let school = ctx.access.school;
    let pupils = state.store.all_people(school, filter).await?;
    let ids: Vec<PersonId> = pupils.iter().map(|p| p.id).collect();
    let now = state.school_now(&ctx.school);
    let mut rows: Vec<ClassRow> = pupils
        .into_iter()
        .map(|p| ClassRow { pupil: p.id.0, name: p.name, consent: Default::default() })
        .collect();
    for purpose in state.store.purposes(school).await? {
        let states = state.store.effective_consent(school, &purpose.key, &ids, now).await?;
        for (row, c) in rows.iter_mut().zip(states) {
            row.consent.insert(purpose.key.clone(), c.state);
        }
    }
    Ok(rows)
}
