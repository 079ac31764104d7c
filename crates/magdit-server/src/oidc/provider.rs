//! One configured identity provider: its discovery document and signing keys (fetched on
//! first use and kept; the keys fetched again once when a token names an unknown key), the
//! authorization URL for a new login, and the code exchange with ID-token validation.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreIdTokenVerifier, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    reqwest, AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClaimsVerificationError, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, JsonWebKeySet, JwsSigningAlgorithm,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, SignatureVerificationError, StandardErrorResponse,
    StandardTokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use super::identity::Identity;
use super::LoginError;
use crate::config::OidcProvider;

/// Claims beyond the standard ones that decide who may log in.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct SchoolClaims {
    /// Google Workspace: the account's hosted domain (absent for consumer accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hd: Option<String>,
    /// Microsoft Entra ID (optional claim): the `email` claim's domain is verified by the
    /// tenant that owns the account. Entra sends no `email_verified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    xms_edov: Option<serde_json::Value>,
}

impl AdditionalClaims for SchoolClaims {}

type SchoolTokenResponse = StandardTokenResponse<
    IdTokenFields<SchoolClaims, EmptyExtraTokenFields, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>,
    CoreTokenType,
>;

type SchoolClient<HasTokenUrl = EndpointSet> = Client<
    SchoolClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    SchoolTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    HasTokenUrl,
    EndpointMaybeSet,
>;

/// What a login started at the provider must bring back to be finished.
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// A configured provider and what was learned from it.
pub struct Provider {
    pub name: String,
    pub config: OidcProvider,
    /// The callback's path: the flow cookie is sent there only.
    pub cookie_path: String,
    /// The discovery document with the signing keys; `None` until first needed.
    metadata: RwLock<Option<Arc<CoreProviderMetadata>>>,
    /// Made on first use (making it can fail, e.g. on a malformed proxy setting).
    http: OnceLock<Result<reqwest::Client, String>>,
}

impl Provider {
    pub fn new(name: &str, config: &OidcProvider) -> Provider {
        let cookie_path = openidconnect::url::Url::parse(&config.redirect_url).map_or_else(|_| "/".into(), |u| u.path().to_owned());
        Provider { name: name.to_owned(), config: config.clone(), cookie_path, metadata: RwLock::new(None), http: OnceLock::new() }
    }

    /// The provider's authorization URL for a new login, with a fresh `state`, `nonce` and
    /// PKCE (S256) challenge.
    pub async fn start(&self) -> Result<Started, LoginError> {
        let metadata = self.metadata().await?;
        let client = self.client(&metadata)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let scopes = self.config.scopes.iter().filter(|s| *s != "openid").map(|s| Scope::new(s.clone()));
        let (url, state, nonce) = client
            .authorize_url(AuthenticationFlow::<CoreResponseType>::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scopes(scopes)
            .set_pkce_challenge(challenge)
            .url();
        Ok(Started { url: url.into(), state: state.into_secret(), nonce: nonce.secret().clone(), verifier: verifier.into_secret() })
    }

    /// Exchanges `code` (with the PKCE verifier and the client secret) and validates the ID
    /// token: signature by the provider's keys (asymmetric algorithms only), `iss`, `aud`,
    /// `exp` and `nonce`.
    pub async fn finish(&self, code: String, verifier: String, nonce: String) -> Result<Identity, LoginError> {
        let metadata = self.metadata().await?;
        let response = self
            .client(&metadata)?
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(self.http()?)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(r) => LoginError::Token(format!("the token endpoint refused the code: {r}")),
                other => LoginError::Unreachable(format!("token endpoint: {}", chain(&other))),
            })?;
        let id_token = openidconnect::TokenResponse::id_token(&response)
            .ok_or_else(|| LoginError::Token("the token response has no ID token".into()))?;
        let nonce = Nonce::new(nonce);
        let claims = match id_token.claims(&self.verifier(&metadata), &nonce) {
            // The provider may have rotated its keys since they were fetched.
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
                let metadata = self.refresh_keys(&metadata).await?;
                id_token.claims(&self.verifier(&metadata), &nonce).cloned()
            }
            other => other.cloned(),
        }
        .map_err(|e| LoginError::Token(format!("invalid ID token: {}", chain(&e))))?;
        let extra = claims.additional_claims();
        Ok(Identity {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email: claims.email().map(|e| e.as_str().to_owned()),
            email_verified: claims.email_verified() == Some(true) || extra.xms_edov.as_ref().is_some_and(is_true),
            hosted_domain: extra.hd.clone(),
        })
    }

    fn client(&self, metadata: &CoreProviderMetadata) -> Result<SchoolClient, LoginError> {
        let token_url = metadata
            .token_endpoint()
            .cloned()
            .ok_or_else(|| LoginError::Unreachable("the discovery document names no token endpoint".into()))?;
        let redirect =
            RedirectUrl::new(self.config.redirect_url.clone()).map_err(|e| LoginError::Unreachable(format!("redirect_url: {e}")))?;
        let client: SchoolClient<EndpointMaybeSet> = Client::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.0.clone())),
        );
        Ok(client.set_token_uri(token_url).set_redirect_uri(redirect))
    }

    /// The ID-token verifier for this client and issuer, limited to the asymmetric algorithms
    /// the provider announces (never `none`, never a MAC keyed with the client secret).
    fn verifier(&self, metadata: &CoreProviderMetadata) -> CoreIdTokenVerifier<'static> {
        let mut algs: Vec<CoreJwsSigningAlgorithm> = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter(|a| a.key_type().is_some() && !a.uses_shared_secret())
            .cloned()
            .collect();
        if algs.is_empty() {
            algs.push(CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256);
        }
        CoreIdTokenVerifier::new_public_client(
            ClientId::new(self.config.client_id.clone()),
            metadata.issuer().clone(),
            metadata.jwks().clone(),
        )
        .set_allowed_algs(algs)
    }

    /// The discovery document (with keys), fetched on first use.
    async fn metadata(&self) -> Result<Arc<CoreProviderMetadata>, LoginError> {
        if let Some(m) = self.metadata.read().await.as_ref() {
            return Ok(m.clone());
        }
        let mut slot = self.metadata.write().await;
        if let Some(m) = slot.as_ref() {
            return Ok(m.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| LoginError::Unreachable(format!("issuer: {e}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, self.http()?)
            .await
            .map_err(|e| LoginError::Unreachable(format!("discovery: {}", chain(&e))))?;
        let metadata = Arc::new(metadata);
        *slot = Some(metadata.clone());
        Ok(metadata)
    }

    /// The client for calls to the provider: no redirects (they would open the door to
    /// request forgery), and a bound on how long one call may take.
    fn http(&self) -> Result<&reqwest::Client, LoginError> {
        self.http
            .get_or_init(|| {
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(Duration::from_secs(5))
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| LoginError::Unreachable(format!("HTTP client: {e}")))
    }

    /// Fetches the signing keys again, unless another login did since `seen` was read.
    async fn refresh_keys(&self, seen: &Arc<CoreProviderMetadata>) -> Result<Arc<CoreProviderMetadata>, LoginError> {
        let mut slot = self.metadata.write().await;
        if let Some(current) = slot.as_ref().filter(|m| !Arc::ptr_eq(m, seen)) {
            return Ok(current.clone());
        }
        let keys = JsonWebKeySet::fetch_async(seen.jwks_uri(), self.http()?)
            .await
            .map_err(|e| LoginError::Unreachable(format!("signing keys: {}", chain(&e))))?;
        tracing::info!(provider = %self.name, "fetched the provider's signing keys again");
        let metadata = Arc::new(seen.as_ref().clone().set_jwks(keys));
        *slot = Some(metadata.clone());
        Ok(metadata)
    }
}

/// `true` or `"true"`/`"1"`, as a boolean claim may be written.
fn is_true(v: &serde_json::Value) -> bool {
    matches!(v, serde_json::Value::Bool(true)) || matches!(v.as_str(), Some("true" | "1"))
}

/// An error with its causes, for the log.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}
