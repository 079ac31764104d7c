//! The protocols the service knows, as documents: public, like the PDFs they replace.

use axum::extract::{Path, State};
use axum::Json;
use magdit_protocol::{Article, Protocol};
use serde::Serialize;
use utoipa::ToSchema;

use crate::problem::Problem;
use crate::state::AppState;

/// A protocol's identity and adoption data.
#[derive(Serialize, ToSchema)]
pub struct ProtocolSummary {
    pub id: String,
    pub school: String,
    pub title: String,
    pub board: Option<String>,
    pub version: Option<String>,
    pub adopted_by: Option<String>,
    pub adopted_on: Option<String>,
    pub gmr_consent_on: Option<String>,
    pub in_force_from: Option<String>,
    pub evaluation_interval_months: Option<u32>,
    pub articles: usize,
}

/// A whole protocol: its data and every article, by section.
#[derive(Serialize, ToSchema)]
pub struct ProtocolDocument {
    #[serde(flatten)]
    pub summary: ProtocolSummary,
    pub sections: Vec<SectionDocument>,
}

#[derive(Serialize, ToSchema)]
pub struct SectionDocument {
    pub id: String,
    pub title: String,
    pub articles: Vec<ArticleDocument>,
}

/// One article with its verbatim text; `rules` tells whether magdit checks it.
#[derive(Serialize, ToSchema)]
pub struct ArticleDocument {
    pub id: String,
    pub text: String,
    pub rules: bool,
}

impl ProtocolSummary {
    pub fn of(p: &Protocol) -> ProtocolSummary {
        let m = &p.meta;
        ProtocolSummary {
            id: m.id.clone(),
            school: m.school.clone(),
            title: m.title.clone(),
            board: m.board.clone(),
            version: m.version.clone(),
            adopted_by: m.adopted_by.clone(),
            adopted_on: m.adopted_on.clone(),
            gmr_consent_on: m.gmr_consent_on.clone(),
            in_force_from: m.in_force_from.clone(),
            evaluation_interval_months: m.evaluation_interval_months,
            articles: p.articles.len(),
        }
    }
}

impl ArticleDocument {
    fn of(a: &Article) -> ArticleDocument {
        ArticleDocument { id: a.id.clone(), text: a.text.clone(), rules: a.rule.is_some() }
    }
}

impl ProtocolDocument {
    pub fn of(p: &Protocol) -> ProtocolDocument {
        let sections = p
            .sections
            .iter()
            .map(|s| SectionDocument {
                id: s.id.clone(),
                title: s.title.clone(),
                articles: p.articles.iter().filter(|a| a.section == s.id).map(ArticleDocument::of).collect(),
            })
            .collect();
        ProtocolDocument { summary: ProtocolSummary::of(p), sections }
    }
}

/// The shipped protocols.
#[utoipa::path(get, path = "/api/v1/protocols", tag = "protocols",
    responses((status = 200, body = Vec<ProtocolSummary>)))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<ProtocolSummary>> {
    Json(state.engine.protocols().map(ProtocolSummary::of).collect())
}

/// One protocol with every article.
#[utoipa::path(get, path = "/api/v1/protocols/{protocol}", tag = "protocols",
    params(("protocol" = String, Path, description = "protocol id, e.g. `kc-de-marel`")),
    responses((status = 200, body = ProtocolDocument), (status = 404, body = Problem)))]
pub async fn show(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<ProtocolDocument>, Problem> {
    let p = find(&state, &id)?;
    Ok(Json(ProtocolDocument::of(p)))
}

/// One article.
#[utoipa::path(get, path = "/api/v1/protocols/{protocol}/articles/{article}", tag = "protocols",
    params(("protocol" = String, Path), ("article" = String, Path, description = "article id, e.g. `A.3`")),
    responses((status = 200, body = ArticleDocument), (status = 404, body = Problem)))]
pub async fn article(State(state): State<AppState>, Path((id, article)): Path<(String, String)>) -> Result<Json<ArticleDocument>, Problem> {
    let p = find(&state, &id)?;
    let a = p.article(&article).ok_or_else(|| Problem::not_found(format!("protocol `{id}` has no article `{article}`")))?;
    Ok(Json(ArticleDocument::of(a)))
}

fn find<'s>(state: &'s AppState, id: &str) -> Result<&'s Protocol, Problem> {
    state.engine.protocol(id).ok_or_else(|| {
        let known: Vec<&str> = state.engine.protocols().map(|p| p.meta.id.as_str()).collect();
        Problem::not_found(format!("unknown protocol `{id}`; known protocols: {}", known.join(", ")))
    })
}
