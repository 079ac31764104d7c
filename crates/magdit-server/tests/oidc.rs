//! Login through a school's identity provider (OpenID Connect), over real HTTP against the
//! local test issuer in `oidc_issuer/`, on SQLite and on PostgreSQL. A browser is a reqwest
//! client with a cookie jar that does not follow redirects, so each hop is seen.

mod common;
mod oidc_issuer;

use common::{seed, App, Seed};
use magdit_server::config::{OidcProvider, Secret};
use magdit_store::{Actor, Store};
use oidc_issuer::{Flaw, Issuer, Person, CLIENT_ID, CLIENT_SECRET};
use reqwest::{header, Response, StatusCode};
use serde_json::Value;

const PROVIDER: &str = "proef";
const ANNA: &str = "anna.smit@linde.nl";

fn person(sub: &str, email: &str, verified: bool) -> Person {
    Person { sub: sub.into(), email: Some(email.into()), email_verified: Some(verified), hd: None }
}

/// The app with the test issuer as provider `proef`, the issuer, and the seed.
async fn setup(store: Store, allowed_domains: &[&str]) -> (App, Issuer, Seed) {
    let issuer = Issuer::start(person("sub-anna", ANNA, true)).await;
    let issuer_url = issuer.base.clone();
    let allowed: Vec<String> = allowed_domains.iter().map(|d| d.to_string()).collect();
    let app = App::start_with(store.clone(), |base, config| {
        let provider = OidcProvider {
            issuer: issuer_url,
            client_id: CLIENT_ID.into(),
            client_secret: Secret(CLIENT_SECRET.into()),
            display_name: "Inloggen met Proefschool".into(),
            redirect_url: format!("{base}/api/v1/auth/oidc/{PROVIDER}/callback"),
            allowed_domains: allowed,
            scopes: vec!["openid".into(), "email".into(), "profile".into()],
        };
        config.oidc.providers.insert(PROVIDER.into(), provider);
    })
    .await;
    let seed = seed(&store).await;
    (app, issuer, seed)
}

struct Browser {
    http: reqwest::Client,
    app: String,
}

impl Browser {
    fn new(app: &App) -> Browser {
        let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("a client");
        Browser { http, app: app.base.clone() }
    }

    async fn get(&self, url: &str) -> Response {
        let url = if url.starts_with('/') { format!("{}{url}", self.app) } else { url.to_owned() };
        self.http.get(url).send().await.expect("an answer")
    }

    /// Starts a login; the provider's authorization URL it redirects to.
    async fn start(&self, return_to: Option<&str>) -> String {
        let query = return_to.map(|r| format!("?return_to={}", urlencode(r))).unwrap_or_default();
        let r = self.get(&format!("/api/v1/auth/oidc/{PROVIDER}/start{query}")).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
        location(&r)
    }

    /// Start and the provider's part: the callback URL the provider sends the browser to.
    async fn at_provider(&self, return_to: Option<&str>) -> String {
        let authorize = self.start(return_to).await;
        let r = self.get(&authorize).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the issuer approves");
        location(&r)
    }

    /// The whole login; the callback's answer.
    async fn login(&self, return_to: Option<&str>) -> Response {
        let callback = self.at_provider(return_to).await;
        self.get(&callback).await
    }

    async fn me(&self) -> (StatusCode, Value) {
        let r = self.get("/api/v1/me").await;
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

fn location(r: &Response) -> String {
    r.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).expect("a Location").to_owned()
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A refused login: its status and problem, and no session.
async fn refused(browser: &Browser, r: Response, status: StatusCode) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()[header::CONTENT_TYPE], "application/problem+json");
    let set_cookies: Vec<_> = r.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert!(!set_cookies.iter().any(|c| c.starts_with("magdit_session=")), "{set_cookies:?}");
    let problem: Value = r.json().await.expect("a problem");
    assert_eq!(browser.me().await.0, StatusCode::UNAUTHORIZED, "no session after {problem}");
    problem
}

async fn links_by_verified_address_then_by_subject(store: Store) {
    let (app, issuer, _) = setup(store.clone(), &[]).await;
    let anna = store.account_by_email(ANNA).await.unwrap();
    assert!(store.oidc_identities(anna.id).await.unwrap().is_empty());

    let browser = Browser::new(&app);
    let r = browser.login(None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    assert_eq!(location(&r), "/");
    let cookies: Vec<String> = r.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let session = cookies.iter().find(|c| c.starts_with("magdit_session=")).expect("a session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "the password login's cookie: {session}");
    assert!(cookies.iter().any(|c| c.starts_with("magdit_oidc=;") && c.contains("Max-Age=0")), "the flow cookie is cleared: {cookies:?}");

    // The session works like a password login's: /me, and changes with the CSRF token.
    let (status, me) = browser.me().await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["email"], ANNA);
    let csrf = me["csrf_token"].as_str().expect("a browser session's CSRF token").to_owned();
    let tokens = format!("{}/api/v1/auth/tokens", app.base);
    let without = browser.http.post(&tokens).json(&serde_json::json!({"name": "x"})).send().await.unwrap();
    assert_eq!(without.status(), StatusCode::FORBIDDEN);
    let with = browser.http.post(&tokens).header("x-csrf-token", csrf).json(&serde_json::json!({"name": "x"})).send().await.unwrap();
    assert_eq!(with.status(), StatusCode::OK);
    let linked = store.oidc_identities(anna.id).await.unwrap();
    assert_eq!(
        linked.iter().map(|i| (i.issuer.as_str(), i.subject.as_str())).collect::<Vec<_>>(),
        vec![(issuer.base.as_str(), "sub-anna")]
    );

    // Her address changed at the school, and is not even verified: the link still holds.
    issuer.set_person(person("sub-anna", "a.smit@elders.nl", false));
    let second = Browser::new(&app);
    assert_eq!(second.login(None).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(second.me().await.1["account"], anna.id.0);
}

async fn only_verified_addresses_of_enabled_accounts_link(store: Store) {
    let (app, issuer, _) = setup(store.clone(), &[]).await;
    let browser = Browser::new(&app);

    issuer.set_person(person("sub-x", "onbekend@linde.nl", true));
    let unknown = refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(unknown["type"], "/problems/login-failed");

    issuer.set_person(person("sub-anna", ANNA, false));
    let unverified = refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
    issuer.set_person(Person { email_verified: None, ..person("sub-anna", ANNA, false) });
    refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;

    let anna = store.account_by_email(ANNA).await.unwrap();
    store.disable_account(anna.id, &Actor::new("test:admin").unwrap()).await.unwrap();
    issuer.set_person(person("sub-anna", ANNA, true));
    let disabled = refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
    // Which of these it was is not told: the answer is the same.
    assert_eq!(unknown, unverified);
    assert_eq!(unknown, disabled);
    assert!(store.oidc_identities(anna.id).await.unwrap().is_empty());

    // Enabled again, she gets in: the refusals above were about her account.
    store.enable_account(anna.id, &Actor::new("test:admin").unwrap()).await.unwrap();
    assert_eq!(browser.login(None).await.status(), StatusCode::SEE_OTHER);
}

async fn a_linked_but_disabled_account_is_refused(store: Store) {
    let (app, _issuer, _) = setup(store.clone(), &[]).await;
    assert_eq!(Browser::new(&app).login(None).await.status(), StatusCode::SEE_OTHER);
    let anna = store.account_by_email(ANNA).await.unwrap();
    store.disable_account(anna.id, &Actor::new("test:admin").unwrap()).await.unwrap();
    let browser = Browser::new(&app);
    let p = refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(p["type"], "/problems/login-failed");
}

async fn state_binds_the_callback_to_its_browser_once(store: Store) {
    let (app, issuer, _) = setup(store.clone(), &[]).await;
    let browser = Browser::new(&app);

    // A wrong state is refused, and the login is gone: the right one afterwards is too.
    let callback = browser.at_provider(None).await;
    let (head, state) = callback.split_once("state=").expect("a state");
    let forged = format!("{head}state=x{state}");
    let p = refused(&browser, browser.get(&forged).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(p["type"], "/problems/login-expired");
    refused(&browser, browser.get(&callback).await, StatusCode::BAD_REQUEST).await;

    // No state at all.
    let callback = browser.at_provider(None).await;
    let without = callback.replace("state=", "staat=");
    refused(&browser, browser.get(&without).await, StatusCode::BAD_REQUEST).await;

    // Another browser cannot finish this browser's login (a planted login).
    let callback = browser.at_provider(None).await;
    let other = Browser::new(&app);
    refused(&other, other.get(&callback).await, StatusCode::BAD_REQUEST).await;

    // A callback replayed after a login is refused, even with the flow's cookie: the flow
    // was taken. (A bare client, so the cookie can be read and sent again.)
    let bare = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = bare.get(format!("{}/api/v1/auth/oidc/{PROVIDER}/start", app.base)).send().await.unwrap();
    let flow_cookie = r.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let callback = location(&bare.get(location(&r)).send().await.unwrap());
    let once = bare.get(&callback).header(header::COOKIE, &flow_cookie).send().await.unwrap();
    assert_eq!(once.status(), StatusCode::SEE_OTHER);
    let again = bare.get(&callback).header(header::COOKIE, &flow_cookie).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);

    // The provider refuses: said so, and nothing else happens.
    issuer.set_deny(true);
    let p = refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
    assert!(p["detail"].as_str().unwrap().contains("afgebroken"), "{p}");
}

async fn tokens_that_do_not_hold_are_refused(store: Store) {
    let (app, issuer, _) = setup(store.clone(), &[]).await;
    for flaw in
        [Flaw::ForeignKey, Flaw::UnknownKeyId, Flaw::WrongAudience, Flaw::WrongIssuer, Flaw::WrongNonce, Flaw::Expired, Flaw::Unsigned]
    {
        issuer.set_flaw(Some(flaw));
        let browser = Browser::new(&app);
        let p = refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
        assert_eq!(p["type"], "/problems/login-failed", "{flaw:?}: {p}");
    }
    let anna = store.account_by_email(ANNA).await.unwrap();
    assert!(store.oidc_identities(anna.id).await.unwrap().is_empty(), "no flawed token linked");
    // The same login with a sound token gets in.
    issuer.set_flaw(None);
    assert_eq!(Browser::new(&app).login(None).await.status(), StatusCode::SEE_OTHER);
}

async fn a_rotated_key_is_fetched_once(store: Store) {
    let (app, issuer, _) = setup(store.clone(), &[]).await;
    assert_eq!(Browser::new(&app).login(None).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(issuer.jwks_fetches(), 1, "keys are fetched with discovery and kept");
    assert_eq!(Browser::new(&app).login(None).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(issuer.jwks_fetches(), 1);

    issuer.rotate_key();
    assert_eq!(Browser::new(&app).login(None).await.status(), StatusCode::SEE_OTHER, "the new key is fetched");
    assert_eq!(issuer.jwks_fetches(), 2);

    // A key the issuer does not publish: fetched once more, then refused.
    issuer.set_flaw(Some(Flaw::UnknownKeyId));
    let browser = Browser::new(&app);
    refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(issuer.jwks_fetches(), 3);
}

async fn allowed_domains_are_enforced(store: Store) {
    let (app, issuer, _) = setup(store.clone(), &["linde.nl"]).await;
    // Peter de Vries has an account, in another domain.
    issuer.set_person(person("sub-peter", "peter@example.nl", true));
    let browser = Browser::new(&app);
    let outside = refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
    // A Google Workspace account of another organisation, even with an address in the domain.
    issuer.set_person(Person { hd: Some("elders.nl".into()), ..person("sub-anna", ANNA, true) });
    let workspace = refused(&browser, browser.login(None).await, StatusCode::UNAUTHORIZED).await;
    assert_eq!(outside, workspace);

    issuer.set_person(Person { hd: Some("linde.nl".into()), ..person("sub-anna", ANNA, true) });
    assert_eq!(browser.login(None).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.me().await.1["email"], ANNA);
}

async fn return_to_stays_on_the_site(store: Store) {
    let (app, _issuer, _) = setup(store.clone(), &[]).await;
    let browser = Browser::new(&app);
    for evil in ["https://evil.example", "//evil.example/x", "/\\evil.example"] {
        let url = format!("/api/v1/auth/oidc/{PROVIDER}/start?return_to={}", urlencode(evil));
        let r = browser.get(&url).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{evil}");
        assert!(r.headers().get(header::LOCATION).is_none());
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["field"], "return_to");
    }
    let r = browser.login(Some("/leerlingen?klas=7A")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/leerlingen?klas=7A");
}

async fn providers_are_listed_and_unknown_ones_are_not_found(store: Store) {
    let (app, _issuer, _) = setup(store.clone(), &[]).await;
    let browser = Browser::new(&app);
    let list: Value = browser.get("/api/v1/auth/providers").await.json().await.unwrap();
    assert_eq!(
        list,
        serde_json::json!([{"name": "proef", "display_name": "Inloggen met Proefschool", "start_url": "/api/v1/auth/oidc/proef/start"}])
    );
    let r = browser.get("/api/v1/auth/oidc/elders/start").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The start sets a flow cookie bound to the callback's path, for a short while.
    let r = browser.get(&format!("/api/v1/auth/oidc/{PROVIDER}/start")).await;
    let cookie = r.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    for part in [format!("Path=/api/v1/auth/oidc/{PROVIDER}/callback").as_str(), "HttpOnly", "SameSite=Lax", "Max-Age=600"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    let authorize = location(&r);
    for part in [format!("client_id={CLIENT_ID}").as_str(), "code_challenge_method=S256", "nonce=", "state=", "scope=openid+email+profile"]
    {
        assert!(authorize.contains(part), "{part} in {authorize}");
    }
}

async fn callbacks_are_rate_limited(store: Store) {
    let (app, _issuer, _) = setup(store.clone(), &[]).await;
    let browser = Browser::new(&app);
    let callback = format!("/api/v1/auth/oidc/{PROVIDER}/callback?code=x&state=y");
    // 60 a minute per client, like the password login; the refill is one a second.
    let mut limited = false;
    for _ in 0..200 {
        let status = browser.get(&callback).await.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    assert!(limited);
}

async fn the_web_login_page_offers_the_provider_and_ends_logged_in(store: Store) {
    let (app, _issuer, seed) = setup(store.clone(), &[]).await;
    let browser = Browser::new(&app);
    let check = format!("/s/{}/check", seed.school);
    let page = browser.get(&format!("/inloggen?terug={}", urlencode(&check))).await.text().await.unwrap();
    let marker = "<a class=\"button\" href=\"";
    let start = page.find(marker).unwrap_or_else(|| panic!("a provider button on {page}")) + marker.len();
    let (href, rest) = page[start..].split_once('"').unwrap();
    assert!(rest.starts_with(">Inloggen met Proefschool</a>"), "the configured name: {rest}");
    assert!(href.starts_with(&format!("/api/v1/auth/oidc/{PROVIDER}/start?return_to=")), "{href}");

    // The button, the provider, the callback: logged in, and on through the landing page.
    let r = browser.get(href).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let callback = location(&browser.get(&location(&r)).await);
    let r = browser.get(&callback).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    let landing = location(&r);
    assert_eq!(landing, format!("/inloggen/verder?terug={}", urlencode(&check)));
    let r = browser.get(&landing).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the session cookie came along: straight on");
    assert_eq!(location(&r), check);
    let r = browser.get(&check).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("<h1>Mag dit?</h1>") && page.contains("(Anna Smit)"), "logged in as Anna: {page}");

    // A browser that did not send the SameSite=Strict cookie (the redirect chain came from the
    // provider's site) gets a page that moves on by itself, which then carries it; only to a
    // path on this site.
    let bare = Browser::new(&app);
    for (terug, to) in [(check.as_str(), check.as_str()), ("//evil.example/x", "/"), ("https://evil.example", "/")] {
        let r = bare.get(&format!("/inloggen/verder?terug={}", urlencode(terug))).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["refresh"], format!("0; url={to}").as_str(), "{terug}");
        assert!(r.text().await.unwrap().contains(&format!("<a href=\"{to}\">Verder</a>")));
    }
}

magdit_store::on_both_stores!(
    links_by_verified_address_then_by_subject,
    only_verified_addresses_of_enabled_accounts_link,
    a_linked_but_disabled_account_is_refused,
    state_binds_the_callback_to_its_browser_once,
    tokens_that_do_not_hold_are_refused,
    a_rotated_key_is_fetched_once,
    allowed_domains_are_enforced,
    return_to_stays_on_the_site,
    providers_are_listed_and_unknown_ones_are_not_found,
    callbacks_are_rate_limited,
    the_web_login_page_offers_the_provider_and_ends_logged_in,
);
