//! The roster: list and read people, add or change one, link guardians.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use magdit_store::{Apply, PeopleFilter, Person, PersonCursor, PersonId, PersonInput, Role, Upserted};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::context::{InSchool, JsonBody, PersonPath, PersonPairPath};
use crate::problem::Problem;
use crate::state::AppState;

/// A person as the API shows them.
#[derive(Serialize, ToSchema)]
pub struct PersonView {
    pub id: i64,
    pub external_id: String,
    pub name: String,
    #[schema(value_type = String, example = "pupil")]
    pub role: Role,
    /// Pupils only; shown to admins, the pupil and their guardians.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<String>,
    pub group: Option<String>,
}

impl PersonView {
    pub fn of(p: &Person, with_birth_date: bool) -> PersonView {
        PersonView {
            id: p.id.0,
            external_id: p.external_id.clone(),
            name: p.name.clone(),
            role: p.role,
            date_of_birth: if with_birth_date { p.date_of_birth.map(|d| d.to_string()) } else { None },
            group: p.group.clone(),
        }
    }
}

/// A page of a list; `next` is the cursor for the following page, absent on the last.
#[derive(Serialize, ToSchema)]
pub struct PeoplePage {
    pub items: Vec<PersonView>,
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeopleQuery {
    /// Part of the name, any case.
    pub q: Option<String>,
    /// Exact class or group.
    pub group: Option<String>,
    /// `pupil`, `employee`, `manager`, `parent` or `volunteer`.
    #[param(value_type = Option<String>)]
    pub role: Option<Role>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
    /// At most this many (default 100).
    pub limit: Option<u32>,
}

/// The roster, by name. Staff see everyone; a guardian their children, a pupil themself.
#[utoipa::path(get, path = "/api/v1/schools/{school}/people", tag = "roster",
    params(("school" = i64, Path), PeopleQuery),
    responses((status = 200, body = PeoplePage), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list(
    State(state): State<AppState>,
    ctx: InSchool,
    Query(q): Query<PeopleQuery>,
) -> Result<Json<PeoplePage>, Problem> {
    let school = ctx.access.school;
    if !ctx.access.is_staff() {
        // Not paged: a guardian has a handful of children.
        let visible = ctx.visible_people(&state).await?;
        let items = visible.iter().map(|p| PersonView::of(p, true)).collect();
        return Ok(Json(PeoplePage { items, next: None }));
    }
    let limit = state.page_limit(q.limit)?;
    let cursor = q.cursor.as_deref().map(str::parse::<PersonCursor>).transpose()?;
    let filter = PeopleFilter { name: q.q, group: q.group, role: q.role };
    let page = state.store.people(school, &filter, limit, cursor.as_ref()).await?;
    let admin = ctx.access.is_admin();
    Ok(Json(PeoplePage {
        items: page.items.iter().map(|p| PersonView::of(p, admin)).collect(),
        next: page.next.map(|c| c.to_string()),
    }))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/schools/{school}/people/{person}", tag = "roster",
    params(("school" = i64, Path), ("person" = i64, Path)),
    responses((status = 200, body = PersonView), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get(State(state): State<AppState>, ctx: InSchool, path: PersonPath) -> Result<Json<PersonView>, Problem> {
    let (person, relation) = ctx.person(&state, path.person()).await?;
    Ok(Json(PersonView::of(&person, relation.sees_consent_detail())))
}

/// A person to add or change, keyed by the school system's id.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    pub external_id: String,
    pub name: String,
    #[schema(value_type = String, example = "pupil")]
    pub role: Role,
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<String>,
    pub group: Option<String>,
}

impl PersonBody {
    fn input(self) -> Result<PersonInput, Problem> {
        let date_of_birth = self
            .date_of_birth
            .map(|d| {
                time::Date::parse(&d, time::macros::format_description!("[year]-[month]-[day]"))
                    .map_err(|_| Problem::invalid("date_of_birth", format!("`{d}` is not a date like 2012-05-31")))
            })
            .transpose()?;
        Ok(PersonInput { external_id: self.external_id, name: self.name, role: self.role, date_of_birth, group: self.group })
    }
}

#[derive(Serialize, ToSchema)]
pub struct UpsertedView {
    pub person: PersonView,
    /// `created`, `updated` or `unchanged`.
    #[schema(value_type = String)]
    pub outcome: magdit_store::Outcome,
}

/// Adds a person, or changes the one with the same `external_id` (admins).
#[utoipa::path(post, path = "/api/v1/schools/{school}/people", tag = "roster",
    params(("school" = i64, Path)), request_body = PersonBody,
    responses((status = 200, body = UpsertedView), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn upsert(
    State(state): State<AppState>,
    ctx: InSchool,
    JsonBody(body): JsonBody<PersonBody>,
) -> Result<Json<UpsertedView>, Problem> {
    ctx.access.require_admin()?;
    let input = body.input()?;
    let mut done: Vec<Upserted> = state.store.upsert_people(ctx.access.school, &[input], &ctx.actor, Apply::Commit).await?;
    let u = done.pop().ok_or_else(Problem::internal)?;
    Ok(Json(UpsertedView { person: PersonView::of(&u.person, true), outcome: u.outcome }))
}

/// The guardians linked to a pupil (admins, and the guardians themselves).
#[utoipa::path(get, path = "/api/v1/schools/{school}/people/{person}/guardians", tag = "roster",
    params(("school" = i64, Path), ("person" = i64, Path)),
    responses((status = 200, body = Vec<PersonView>), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn guardians(State(state): State<AppState>, ctx: InSchool, path: PersonPath) -> Result<Json<Vec<PersonView>>, Problem> {
    let (pupil, relation) = ctx.person(&state, path.person()).await?;
    if !relation.sees_consent_detail() {
        return Err(Problem::forbidden("only administrators and the pupil's own guardians see who the guardians are"));
    }
    let list = state.store.guardians(ctx.access.school, pupil.id).await?;
    Ok(Json(list.iter().map(|p| PersonView::of(p, false)).collect()))
}

/// Links a guardian (a parent on the roster) to a pupil (admins).
#[utoipa::path(put, path = "/api/v1/schools/{school}/people/{person}/guardians/{guardian}", tag = "roster",
    params(("school" = i64, Path), ("person" = i64, Path), ("guardian" = i64, Path)),
    responses((status = 201, description = "linked"), (status = 204, description = "already linked"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn link_guardian(State(state): State<AppState>, ctx: InSchool, path: PersonPairPath) -> Result<StatusCode, Problem> {
    ctx.access.require_admin()?;
    let (pupil, guardian) = path.pair();
    let made = state.store.link_guardian(ctx.access.school, guardian, pupil, &ctx.actor).await?;
    Ok(if made { StatusCode::CREATED } else { StatusCode::NO_CONTENT })
}

/// Removes a guardian link (admins).
#[utoipa::path(delete, path = "/api/v1/schools/{school}/people/{person}/guardians/{guardian}", tag = "roster",
    params(("school" = i64, Path), ("person" = i64, Path), ("guardian" = i64, Path)),
    responses((status = 204, description = "unlinked"), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn unlink_guardian(State(state): State<AppState>, ctx: InSchool, path: PersonPairPath) -> Result<StatusCode, Problem> {
    ctx.access.require_admin()?;
    let (pupil, guardian): (PersonId, PersonId) = path.pair();
    if state.store.unlink_guardian(ctx.access.school, guardian, pupil, &ctx.actor).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::not_found(format!("person {guardian} is not a guardian of person {pupil}")))
    }
}
