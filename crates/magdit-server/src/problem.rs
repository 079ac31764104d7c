//! Errors as RFC 9457 problem details (`application/problem+json`), naming the field at fault.
//! Every handler returns `Result<_, Problem>`; nothing internal (SQL, paths) reaches a client.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A problem detail. `type` is a stable URI per kind of problem, so clients can branch on it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    #[serde(serialize_with = "status_code")]
    #[schema(value_type = u16)]
    pub status: StatusCode,
    pub detail: String,
    /// The request field at fault (`content.text`, `people[2].name`, `email`), if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

fn status_code<S: serde::Serializer>(s: &StatusCode, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_u16(s.as_u16())
}

impl Problem {
    pub(crate) fn new(status: StatusCode, kind: &'static str, title: &'static str, detail: impl Into<String>) -> Problem {
        Problem { kind, title, status, detail: detail.into(), field: None, line: None, column: None }
    }

    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Problem {
        let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "/problems/invalid", "Invalid request", detail);
        p.field = Some(field.into());
        p
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "/problems/bad-request", "Bad request", detail)
    }

    /// Also what a foreign tenant's id answers: whether it exists is not revealed.
    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "/problems/not-found", "Not found", detail)
    }

    pub fn unauthenticated() -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "/problems/unauthenticated", "Not logged in", "log in or send a bearer token")
    }

    /// A failed login; it does not say whether the address exists.
    pub fn unauthenticated_login() -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "/problems/login-failed", "Login failed", "wrong e-mail address or password")
    }

    pub fn forbidden(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "/problems/forbidden", "Not allowed", detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::CONFLICT, "/problems/conflict", "Conflict", detail)
    }

    pub fn too_many_requests(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::TOO_MANY_REQUESTS, "/problems/rate-limited", "Too many requests", detail)
    }

    pub fn unavailable(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::SERVICE_UNAVAILABLE, "/problems/unavailable", "Service unavailable", detail)
    }

    pub fn unsupported_media_type(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "/problems/unsupported-media-type", "Unsupported media type", detail)
    }

    /// A school's own protocol file is stored but no longer loads: only a new file helps.
    pub fn broken_protocol(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "/problems/protocol-does-not-load", "The school's protocol does not load", detail)
    }

    pub fn internal() -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "/problems/internal", "Internal error", "the error has been logged")
    }

    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Problem {
        self.line = line;
        self.column = column;
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (self.status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response()
    }
}

impl From<magdit_store::Error> for Problem {
    fn from(e: magdit_store::Error) -> Problem {
        use magdit_store::Error as E;
        match e {
            E::NotFound { entity, id } => Problem::not_found(format!("{entity} {id} not found")),
            E::Invalid { field, reason } => Problem::invalid(field, reason),
            E::Conflict { entity, id, reason } => Problem::conflict(format!("{entity} {id}: {reason}")),
            e if e.is_transient() => {
                tracing::warn!(error = %e, "transient store error");
                Problem::unavailable("the store is busy; try again")
            }
            e => {
                tracing::error!(error = %e, "store error");
                Problem::internal()
            }
        }
    }
}

impl From<magdit_engine::SituationError> for Problem {
    fn from(e: magdit_engine::SituationError) -> Problem {
        Problem::invalid(e.field, e.message).at(e.line, e.column)
    }
}

impl From<JsonRejection> for Problem {
    fn from(r: JsonRejection) -> Problem {
        match r {
            JsonRejection::JsonDataError(e) => {
                // serde_path_to_error's text starts with the path: "email: missing field …".
                let text = e.body_text();
                let detail = text.strip_prefix("Failed to deserialize the JSON body into the target type: ").unwrap_or(&text);
                match detail.split_once(": ") {
                    Some((path, reason)) if !path.contains(' ') => Problem::invalid(path, reason),
                    _ => Problem::invalid("body", detail),
                }
            }
            JsonRejection::JsonSyntaxError(e) => Problem::bad_request(format!("the body is not valid JSON: {}", e.body_text())),
            JsonRejection::MissingJsonContentType(_) => Problem::bad_request("send the body as application/json"),
            other => Problem::bad_request(other.body_text()),
        }
    }
}

impl From<QueryRejection> for Problem {
    fn from(r: QueryRejection) -> Problem {
        Problem::invalid("query", r.body_text())
    }
}

impl From<PathRejection> for Problem {
    fn from(r: PathRejection) -> Problem {
        Problem::not_found(r.body_text())
    }
}
