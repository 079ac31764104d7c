//! A school's protocol: the one it adopted, as a document, and uploading its own file. An
//! uploaded file is validated by the protocol loader; when it does not load, the answer lists
//! every problem with line, column, help, the name meant and the line itself, so a privacy
//! officer can fix the file. A file that loads is stored (earlier versions stay) and adopted.

use std::str::Utf8Error;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

use magdit_engine::Engine;
use magdit_protocol::{LoadError, Protocol};
use magdit_store::{AdoptedProtocol, NewProtocolFile, ProtocolFile, ProtocolSource, School};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::context::InSchool;
use crate::problem::Problem;
use crate::routes::protocols::{ProtocolDocument, ProtocolSummary};
use crate::routes::schools::{source_word, SchoolView};
use crate::state::AppState;

/// The most diagnostics one answer lists (the first ones are the ones to fix first).
const MAX_DIAGNOSTICS: usize = 100;
/// The most characters of a line of the file an answer quotes.
const MAX_LINE_CHARS: usize = 1000;

/// The protocol a school adopted, shown as `GET /protocols/{protocol}` shows a protocol, with
/// where it comes from.
#[derive(Serialize, ToSchema)]
pub struct AdoptedDocument {
    #[serde(flatten)]
    pub document: ProtocolDocument,
    /// `shipped` or `own`.
    pub source: &'static str,
    /// The SHA-256 of the school's own file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub adopted_at: OffsetDateTime,
}

/// The protocol the school adopted, with every article (anyone in the school).
#[utoipa::path(get, path = "/api/v1/schools/{school}/protocol", tag = "schools",
    params(("school" = i64, Path)),
    responses((status = 200, body = AdoptedDocument),
        (status = 404, description = "no such school, or no protocol adopted yet", body = Problem),
        (status = 500, description = "the school's own protocol file no longer loads", body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn show(State(state): State<AppState>, ctx: InSchool) -> Result<Json<AdoptedDocument>, Problem> {
    let school = &ctx.school;
    let (engine, adopted) = adopted_engine(&state, school).await?;
    let protocol = adopted_in(&engine, school)?;
    let sha256 = match &adopted.source {
        ProtocolSource::Own { sha256 } => Some(sha256.clone()),
        ProtocolSource::Shipped => None,
    };
    Ok(Json(AdoptedDocument {
        document: ProtocolDocument::of(protocol),
        source: source_word(&adopted.source),
        sha256,
        adopted_at: adopted.adopted_at,
    }))
}

/// The engine that holds the protocol `school` adopted, and its adoption; 404 when it has
/// adopted none.
pub async fn adopted_engine<'s>(state: &AppState, school: &'s School) -> Result<(Arc<Engine>, &'s AdoptedProtocol), Problem> {
    let adopted = school
        .protocol
        .as_ref()
        .ok_or_else(|| Problem::not_found(format!("school {} has not adopted a protocol yet", school.name)))?;
    Ok((state.protocols.engine(&state.store, &state.engine, school).await?, adopted))
}

/// The protocol `school` adopted, out of `engine` (from [`adopted_engine`]).
pub fn adopted_in<'e>(engine: &'e Engine, school: &School) -> Result<&'e Protocol, Problem> {
    let id = school.protocol.as_ref().map(|p| p.id.as_str()).unwrap_or_default();
    engine.protocol(id).ok_or_else(|| {
        tracing::error!(school = %school.id, protocol = %id, "the adopted protocol is not among the service's protocols");
        Problem::broken_protocol(format!("the protocol `{id}` that school {} adopted is not available", school.name))
    })
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// Only validate the file; store and adopt nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// What an upload did.
#[derive(Serialize, ToSchema)]
pub struct Uploaded {
    pub dry_run: bool,
    /// The protocol in the file.
    pub protocol: ProtocolSummary,
    /// The school with the file adopted (absent on a dry run).
    pub school: Option<SchoolView>,
    /// The stored file: digest, who uploaded it and when (absent on a dry run).
    #[schema(value_type = Option<Object>)]
    pub file: Option<ProtocolFile>,
}

/// One problem in an uploaded protocol file.
#[derive(Serialize, ToSchema)]
pub struct FileDiagnostic {
    /// 1-based line and column (in characters) where the problem starts.
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The name meant, when one is misspelt (`forbidden` for `forbiden`).
    pub suggestion: Option<String>,
    /// The line of the file (its first 1000 characters), to show `column` in.
    pub source_line: String,
}

/// A file that does not load: a problem detail (the first problem's line and column) with every
/// diagnostic.
#[derive(Serialize, ToSchema)]
pub struct InvalidFile {
    #[serde(flatten)]
    pub problem: Problem,
    pub diagnostics: Vec<FileDiagnostic>,
}

/// Uploads the school's own protocol file and adopts it (admins). The body is the TOML file
/// (UTF-8, as `application/toml` or `text/plain`; see `docs/protocol-format.md`). The file is
/// the school's alone: checks in other schools never use it, whatever its id.
#[utoipa::path(put, path = "/api/v1/schools/{school}/protocol/file", tag = "schools",
    params(("school" = i64, Path), UploadQuery),
    request_body(content = String, description = "the protocol file, TOML", content_type = "application/toml"),
    responses((status = 200, body = Uploaded), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 413, description = "file larger than 1 MB"), (status = 415, body = Problem),
        (status = 422, description = "the file does not load; every problem is listed", body = InvalidFile)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    ctx: InSchool,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    ctx.access.require_admin()?;
    toml_content_type(&headers)?;
    // An invalid file is an answer (422 with its diagnostics), not a failure: Ok(response).
    let text = match std::str::from_utf8(&body) {
        // Editors on Windows start UTF-8 files with a byte-order mark.
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => return Ok(InvalidFile::not_utf8(&body, e).into_response()),
    };
    let protocol = match magdit_protocol::load("protocol file", text) {
        Ok(p) => p,
        Err(e) => return Ok(InvalidFile::of(text, &e).into_response()),
    };
    let summary = ProtocolSummary::of(&protocol);
    if q.dry_run {
        return Ok(Json(Uploaded { dry_run: true, protocol: summary, school: None, file: None }).into_response());
    }
    let new = NewProtocolFile { protocol_id: &protocol.meta.id, version: protocol.meta.version.as_deref(), source: text };
    let (school, file) = state.store.adopt_protocol_file(ctx.access.school, &new, &ctx.actor).await?;
    state.protocols.insert(school.id, &file.sha256, protocol);
    let done = Uploaded { dry_run: false, protocol: summary, school: Some(SchoolView::of(&school)), file: Some(file) };
    Ok(Json(done).into_response())
}

/// Accepts `application/toml` and `text/plain`, in UTF-8 if a charset is named.
fn toml_content_type(headers: &HeaderMap) -> Result<(), Problem> {
    let given = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut parts = given.split(';').map(|p| p.trim().to_ascii_lowercase());
    let essence = parts.next().unwrap_or_default();
    let charset = parts.find_map(|p| p.strip_prefix("charset=").map(|c| c.trim_matches('"').to_owned()));
    if !matches!(essence.as_str(), "application/toml" | "text/plain") {
        return Err(Problem::unsupported_media_type(format!(
            "send the protocol file as application/toml or text/plain (got `{given}`)"
        )));
    }
    match charset.as_deref() {
        None | Some("utf-8" | "utf8") => Ok(()),
        Some(other) => Err(Problem::unsupported_media_type(format!("send the protocol file as UTF-8, not {other}"))),
    }
}

impl InvalidFile {
    /// The loader's diagnostics, with the lines they point at.
    fn of(text: &str, e: &LoadError) -> InvalidFile {
        let lines: Vec<&str> = text.lines().collect();
        let diagnostics: Vec<FileDiagnostic> = e
            .problems
            .iter()
            .take(MAX_DIAGNOSTICS)
            .map(|p| FileDiagnostic {
                line: p.line,
                column: p.column,
                message: p.message.clone(),
                help: p.help.clone(),
                suggestion: p.suggestion().map(str::to_owned),
                source_line: quote(lines.get(p.line.saturating_sub(1)).copied().unwrap_or("")),
            })
            .collect();
        let n = e.problems.len();
        let detail = match n {
            1 => "the protocol file has 1 problem".to_owned(),
            n if n > MAX_DIAGNOSTICS => format!("the protocol file has {n} problems; the first {MAX_DIAGNOSTICS} are listed"),
            n => format!("the protocol file has {n} problems"),
        };
        let first = diagnostics.first();
        let problem = Problem::invalid("file", detail).at(first.map(|d| d.line), first.map(|d| d.column));
        InvalidFile { problem, diagnostics }
    }

    /// A file that is not UTF-8 (often Windows-1252 from an older editor): where it stops being.
    fn not_utf8(body: &[u8], e: Utf8Error) -> InvalidFile {
        let valid = std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default();
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        let (line, column) = (valid.matches('\n').count() + 1, valid[line_start..].chars().count() + 1);
        let diagnostic = FileDiagnostic {
            line,
            column,
            message: format!("byte {} is not UTF-8", e.valid_up_to() + 1),
            help: Some("save the file as UTF-8 (in most editors: Save as…, encoding UTF-8)".into()),
            suggestion: None,
            source_line: quote(&valid[line_start..]),
        };
        let problem = Problem::invalid("file", "the protocol file is not UTF-8 text").at(Some(line), Some(column));
        InvalidFile { problem, diagnostics: vec![diagnostic] }
    }
}

fn quote(line: &str) -> String {
    line.chars().take(MAX_LINE_CHARS).collect()
}

impl IntoResponse for InvalidFile {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (self.problem.status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn typed(value: &str) -> Result<(), Problem> {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        toml_content_type(&h)
    }

    #[test]
    fn toml_or_plain_text_in_utf8() {
        assert!(typed("application/toml").is_ok());
        assert!(typed("text/plain; charset=UTF-8").is_ok());
        assert!(typed("application/json").is_err());
        assert!(typed("text/plain; charset=windows-1252").is_err());
        assert!(toml_content_type(&HeaderMap::new()).is_err());
    }

    #[test]
    fn a_latin1_byte_is_placed_by_line_and_column() {
        let mut body = b"[protocol]\nid = \"caf".to_vec();
        body.extend([0xe9, b'"', b'\n']);
        let e = std::str::from_utf8(&body).unwrap_err();
        let f = InvalidFile::not_utf8(&body, e);
        let d = &f.diagnostics[0];
        assert_eq!((d.line, d.column, d.source_line.as_str()), (2, 10, "id = \"caf"));
        assert_eq!((f.problem.line, f.problem.column), (Some(2), Some(10)));
    }
}
