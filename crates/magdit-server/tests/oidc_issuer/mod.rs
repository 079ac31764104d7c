//! A local OpenID Connect issuer for the tests, on a loopback port: discovery, JWKS,
//! `/authorize` (approves the configured user at once, or refuses when told to) and `/token`
//! (checks the code, the client's credentials and the PKCE verifier, and answers an RS256 ID
//! token). A test can make the next ID tokens wrong in one way ([`Flaw`]) or rotate the key.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::rand_core::{OsRng, RngCore};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const CLIENT_ID: &str = "magdit-proef";
pub const CLIENT_SECRET: &str = "proef-geheim";

/// The person who logs in at the issuer.
#[derive(Clone, Debug)]
pub struct Person {
    pub sub: String,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    /// Google Workspace's hosted domain.
    pub hd: Option<String>,
}

/// One way the ID tokens can be wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flaw {
    /// Signed by a key the issuer never published, under the published key's id.
    ForeignKey,
    /// Signed by a key the issuer never published, under that key's own id.
    UnknownKeyId,
    WrongAudience,
    WrongIssuer,
    WrongNonce,
    Expired,
    /// `alg: none`, no signature.
    Unsigned,
}

struct Grant {
    redirect_uri: String,
    challenge: String,
    nonce: String,
}

struct Inner {
    issuer: String,
    person: Person,
    flaw: Option<Flaw>,
    deny: bool,
    /// The signing key (index into [`keys`]); only it is published.
    key: usize,
    grants: HashMap<String, Grant>,
    jwks_fetches: usize,
}

#[derive(Clone)]
pub struct Issuer {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

/// Two RSA keys, made once per test process (making them is the slow part).
fn keys() -> &'static [RsaPrivateKey; 2] {
    static KEYS: OnceLock<[RsaPrivateKey; 2]> = OnceLock::new();
    KEYS.get_or_init(|| [0, 1].map(|_| RsaPrivateKey::new(&mut OsRng, 2048).expect("an RSA key")))
}

fn kid(key: usize) -> String {
    format!("proefsleutel-{key}")
}

impl Issuer {
    pub async fn start(person: Person) -> Issuer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        // Named `localhost`: another site than the app's 127.0.0.1, as a real provider is, so a
        // browser treats the redirect back as cross-site (SameSite cookies).
        let port = listener.local_addr().expect("bound address").port();
        let base = format!("http://localhost:{port}");
        let inner = Inner { issuer: base.clone(), person, flaw: None, deny: false, key: 0, grants: HashMap::new(), jwks_fetches: 0 };
        let issuer = Issuer { base, inner: Arc::new(Mutex::new(inner)) };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(issuer.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        issuer
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        f(&mut self.inner.lock().expect("issuer state"))
    }

    pub fn set_person(&self, person: Person) {
        self.with(|i| i.person = person);
    }

    pub fn set_flaw(&self, flaw: Option<Flaw>) {
        self.with(|i| i.flaw = flaw);
    }

    /// Refuse the next logins (`error=access_denied`).
    pub fn set_deny(&self, deny: bool) {
        self.with(|i| i.deny = deny);
    }

    /// Signs with, and publishes only, the other key from now on.
    pub fn rotate_key(&self) {
        self.with(|i| i.key = 1 - i.key);
    }

    pub fn jwks_fetches(&self) -> usize {
        self.with(|i| i.jwks_fetches)
    }
}

async fn discovery(State(issuer): State<Issuer>) -> Json<Value> {
    let base = &issuer.base;
    Json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        // Announced, and still never accepted by the service: a MAC keyed with the client
        // secret, and no signature at all.
        "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(issuer): State<Issuer>) -> Json<Value> {
    let key = issuer.with(|i| {
        i.jwks_fetches += 1;
        i.key
    });
    let public = keys()[key].to_public_key();
    Json(json!({"keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid(key),
        "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
    }]}))
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

async fn authorize(State(issuer): State<Issuer>, Query(q): Query<AuthorizeQuery>) -> Response {
    let scopes: Vec<&str> = q.scope.split(' ').collect();
    if q.response_type != "code" || q.client_id != CLIENT_ID || q.code_challenge_method != "S256" || !scopes.contains(&"openid") {
        return (StatusCode::BAD_REQUEST, "bad authorization request").into_response();
    }
    let state = urlencode(&q.state);
    if issuer.with(|i| i.deny) {
        return Redirect::to(&format!("{}?error=access_denied&error_description=De+gebruiker+weigerde&state={state}", q.redirect_uri))
            .into_response();
    }
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    let code = URL_SAFE_NO_PAD.encode(bytes);
    let grant = Grant { redirect_uri: q.redirect_uri.clone(), challenge: q.code_challenge, nonce: q.nonce };
    issuer.with(|i| i.grants.insert(code.clone(), grant));
    // Extra parameters, as Entra (`session_state`) and Google (`scope`) add them.
    Redirect::to(&format!("{}?code={code}&state={state}&session_state=abc", q.redirect_uri)).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({"error": error}))).into_response()
}

async fn token(State(issuer): State<Issuer>, headers: HeaderMap, Form(f): Form<TokenForm>) -> Response {
    let expected = format!("Basic {}", STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}")));
    if headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    // A code is good once.
    let Some(grant) = issuer.with(|i| i.grants.remove(&f.code)) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(f.code_verifier.as_bytes()));
    if f.grant_type != "authorization_code" || f.redirect_uri != grant.redirect_uri || challenge != grant.challenge {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let id_token = issuer.with(|i| id_token(i, &grant.nonce));
    Json(json!({"access_token": "at-proef", "token_type": "Bearer", "expires_in": 3600, "id_token": id_token})).into_response()
}

fn id_token(i: &Inner, nonce: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    let flaw = i.flaw;
    let is = |f| flaw == Some(f);
    let (iat, exp) = if is(Flaw::Expired) { (now - 3600, now - 60) } else { (now, now + 300) };
    let mut claims = json!({
        "iss": if is(Flaw::WrongIssuer) { "https://evil.example" } else { i.issuer.as_str() },
        "aud": if is(Flaw::WrongAudience) { "another-client" } else { CLIENT_ID },
        "sub": i.person.sub,
        "iat": iat,
        "exp": exp,
        "nonce": if is(Flaw::WrongNonce) { "another-nonce" } else { nonce },
    });
    for (name, value) in [
        ("email", i.person.email.clone().map(Value::from)),
        ("email_verified", i.person.email_verified.map(Value::from)),
        ("hd", i.person.hd.clone().map(Value::from)),
    ] {
        if let Some(v) = value {
            claims[name] = v;
        }
    }
    let (signer, kid) = match flaw {
        Some(Flaw::ForeignKey) => (1 - i.key, kid(i.key)),
        Some(Flaw::UnknownKeyId) => (1 - i.key, kid(1 - i.key)),
        _ => (i.key, kid(i.key)),
    };
    let alg = if is(Flaw::Unsigned) { "none" } else { "RS256" };
    let header = json!({"alg": alg, "typ": "JWT", "kid": kid});
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let signed = format!("{}.{}", b64(&header), b64(&claims));
    if is(Flaw::Unsigned) {
        return format!("{signed}.");
    }
    let signature = SigningKey::<Sha256>::new(keys()[signer].clone()).sign(signed.as_bytes());
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
