//! The OpenAPI 3.1 document at `/api/v1/openapi.json`, generated from the handlers' own
//! annotations so it cannot drift from the code; a test compares it with the router.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "magdit", description = "Mag dit? — the social-media protocol check for Dutch schools, with roster, consent registry and audit."),
    paths(
        routes::protocols::list, routes::protocols::show, routes::protocols::article,
        crate::auth::login, crate::auth::logout, crate::auth::create_token, crate::auth::me,
        crate::oidc::providers, crate::oidc::start, crate::oidc::callback,
        routes::schools::list, routes::schools::get, routes::schools::create, routes::schools::adopt,
        routes::schools::set_renewal, routes::schools::audit, routes::schools::verify_audit,
        routes::school_protocol::show, routes::school_protocol::upload,
        routes::check::check,
        routes::people::list, routes::people::get, routes::people::upsert, routes::people::guardians,
        routes::people::link_guardian, routes::people::unlink_guardian,
        routes::import::import, routes::import::export,
        routes::consent::purposes, routes::consent::define_purpose, routes::consent::pupil_consent,
        routes::consent::decide, routes::consent::history, routes::consent::class,
        routes::me::change_password, routes::me::sessions, routes::me::revoke_session,
        routes::accounts::list, routes::accounts::create, routes::accounts::get, routes::accounts::add_grant,
        routes::accounts::revoke_grant, routes::accounts::set_password, routes::accounts::disable, routes::accounts::enable,
        routes::privacy::export, routes::privacy::erase,
        routes::retention::get, routes::retention::set,
        routes::checks::list, routes::checks::get,
    ),
    components(schemas(crate::problem::Problem)),
    modifiers(&Security),
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        components.add_security_scheme("cookie", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::COOKIE))));
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
