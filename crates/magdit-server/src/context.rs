//! What a school-scoped handler starts from: the logged-in account, the school named in the
//! path, and what the account may do there ([`InSchool`]); plus the path and body extractors
//! whose rejections are problem details.

use axum::extract::{FromRequest, FromRequestParts, Path};
use axum::http::request::Parts;
use magdit_store::{Actor, Person, PersonId, School, SchoolId};
use serde::Deserialize;

use crate::auth::Principal;
use crate::authz::{Relation, SchoolAccess};
use crate::problem::Problem;
use crate::state::AppState;

/// A JSON body; a malformed one is a problem detail naming the field.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Problem))]
pub struct JsonBody<T>(pub T);

/// A request inside one school (`/api/v1/schools/{school}/…`) by an account that holds a
/// grant there. Any other account gets 404: a foreign school's existence is not revealed.
pub struct InSchool {
    pub principal: Principal,
    pub school: School,
    pub access: SchoolAccess,
    /// The account as the audit log names it.
    pub actor: Actor,
}

#[derive(Deserialize)]
struct SchoolPath {
    school: i64,
}

impl FromRequestParts<AppState> for InSchool {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let principal = Principal::from_request_parts(parts, state).await?;
        let Path(SchoolPath { school }) = Path::<SchoolPath>::from_request_parts(parts, state).await?;
        InSchool::enter(state, principal, SchoolId(school)).await
    }
}

impl InSchool {
    /// `principal` entering `school`; 404 when it holds no grant there.
    pub async fn enter(state: &AppState, principal: Principal, school: SchoolId) -> Result<InSchool, Problem> {
        let hidden = || Problem::not_found(format!("school {school} not found"));
        let school = match state.request_cache.school(&state.store, school).await {
            Ok(s) => s,
            Err(magdit_store::Error::NotFound { .. }) => return Err(hidden()),
            Err(e) => return Err(e.into()),
        };
        let access = SchoolAccess::of(&principal.grants, school.id, school.board).ok_or_else(hidden)?;
        let actor = principal.actor();
        Ok(InSchool { principal, school, access, actor })
    }

    /// A person of the school and how the account stands to them; 404 when the account may
    /// not see them, exactly as when there is no such person.
    pub async fn person(&self, state: &AppState, id: PersonId) -> Result<(Person, Relation), Problem> {
        let school = self.access.school;
        let person = state.store.person(school, id).await?;
        let relation = if self.access.is_admin() {
            Relation::Admin
        } else if self.access.pupil == Some(id) || self.access.guardian == Some(id) {
            Relation::Themself
        } else if self.is_own_child(state, id).await? {
            Relation::GuardianOf
        } else if self.access.is_staff() {
            Relation::Staff
        } else {
            Relation::None
        };
        if !relation.sees_person() {
            return Err(Problem::not_found(format!("person {id} not found")));
        }
        Ok((person, relation))
    }

    async fn is_own_child(&self, state: &AppState, id: PersonId) -> Result<bool, Problem> {
        let Some(guardian) = self.access.guardian else { return Ok(false) };
        Ok(state.store.children(self.access.school, guardian).await?.iter().any(|c| c.id == id))
    }

    /// For a guardian or pupil: themself and their children, the people they may see.
    pub async fn visible_people(&self, state: &AppState) -> Result<Vec<Person>, Problem> {
        let school = self.access.school;
        let mut out = Vec::new();
        for own in [self.access.pupil, self.access.guardian].into_iter().flatten() {
            out.push(state.store.person(school, own).await?);
        }
        if let Some(guardian) = self.access.guardian {
            out.extend(state.store.children(school, guardian).await?);
        }
        Ok(out)
    }
}

/// `/api/v1/schools/{school}/people/{person}…`
#[derive(Deserialize)]
struct PersonPathParams {
    person: i64,
}

pub struct PersonPath(PersonId);

impl PersonPath {
    pub fn person(&self) -> PersonId {
        self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PersonPath {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let Path(p) = Path::<PersonPathParams>::from_request_parts(parts, state).await?;
        Ok(PersonPath(PersonId(p.person)))
    }
}

/// `/api/v1/schools/{school}/people/{person}/guardians/{guardian}`
#[derive(Deserialize)]
struct PairParams {
    person: i64,
    guardian: i64,
}

pub struct PersonPairPath(PersonId, PersonId);

impl PersonPairPath {
    /// (pupil, guardian)
    pub fn pair(&self) -> (PersonId, PersonId) {
        (self.0, self.1)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PersonPairPath {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let Path(p) = Path::<PairParams>::from_request_parts(parts, state).await?;
        Ok(PersonPairPath(PersonId(p.person), PersonId(p.guardian)))
    }
}
