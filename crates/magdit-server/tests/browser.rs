//! The web UI in a real browser: headless Chromium driven through chromedriver (WebDriver),
//! against the real app on SQLite. It walks the flows of issue 4 — a teacher's check turns
//! rood for a pupil without consent, the parent gives consent and the same check turns groen,
//! a pupil of 16 decides for themself, an admin imports a roster with a bad row — runs the
//! axe-core accessibility audit (WCAG 2.1 A and AA) on every page it visits, and saves
//! screenshots at phone (360 px) and desktop (1280 px) width in `target/screenshots/`.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian: `apt-get install -y
//! chromium chromium-driver`) and axe-core (`npm install --prefix target/axe axe-core@4`);
//! `scripts/test` installs both. Without them the test fails, saying so: it is never skipped.

mod common;
#[allow(dead_code)] // the browser logs in through it; the flaws are for tests/oidc.rs
mod oidc_issuer;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{seed, App, Seed, PASSWORD};
use magdit_server::config::{OidcProvider, Secret};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use magdit_store::{Actor, Backend, Channel, ConsentAction, Decision, Store};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const PHONE: (u32, u32) = (360, 780);
const DESKTOP: (u32, u32) = (1280, 900);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn axe_source() -> String {
    let path = std::env::var_os("MAGDIT_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/axe/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing ({}: {e}). Install it with `npm install --prefix target/axe axe-core@4` \
             (scripts/test does), or point MAGDIT_AXE at axe.min.js.",
            path.display()
        )
    })
}

/// chromedriver on a free loopback port, ended when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    for path in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(path).exists(),
            "{path} is missing: install it with `apt-get install -y chromium chromium-driver` (.ci/run does)"
        );
    }
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port");
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
    Driver { child, port }
}

/// The browser, with where its screenshots go and the audit to run.
struct Browser {
    c: Client,
    base: String,
    shots: PathBuf,
    axe: String,
    /// Every page audited, for the summary.
    audited: Vec<String>,
}

impl Browser {
    async fn open(driver: &Driver, base: &str) -> Browser {
        let caps: serde_json::Map<String, Value> = serde_json::from_value(json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=nl"]
            }
        }))
        .expect("capabilities");
        let url = format!("http://127.0.0.1:{}", driver.port);
        let mut last = None;
        // chromedriver takes a moment to listen.
        for _ in 0..50 {
            match ClientBuilder::new(HttpConnector::new()).capabilities(caps.clone()).connect(&url).await {
                Ok(c) => {
                    let shots = workspace().join("target/screenshots");
                    std::fs::create_dir_all(&shots).expect("screenshot directory");
                    return Browser { c, base: base.to_owned(), shots, axe: axe_source(), audited: Vec::new() };
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("cannot start a headless Chromium session through chromedriver: {last:?}");
    }

    async fn goto(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.expect("navigates");
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.c.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => {
                let main = match self.c.find(Locator::Css("main")).await {
                    Ok(m) => m.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!("no `{css}` on {}: {e}\nthe page says: {main}", self.url().await)
            }
        }
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    async fn url(&self) -> String {
        self.c.current_url().await.map(|u| u.to_string()).unwrap_or_default()
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("clicks");
    }

    /// Clicks `css`, which loads a new page, and waits until it has.
    async fn submit(&self, css: &str) {
        self.c.execute("window.magditOldPage = true; return true;", vec![]).await.expect("marks the page");
        self.click(css).await;
        for _ in 0..100 {
            let loaded = self.c.execute("return !window.magditOldPage && document.readyState === 'complete';", vec![]).await;
            if loaded.is_ok_and(|v| v == json!(true)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("clicking `{css}` on {} loaded no page", self.url().await);
    }

    /// Waits until `css` is on the page (a script put it there), as [`Browser::submit`]
    /// waits for a page.
    async fn wait_for(&self, css: &str) {
        for _ in 0..100 {
            if self.c.find(Locator::Css(css)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no `{css}` appeared on {}", self.url().await);
    }

    /// Waits until the browser is at `path` (after redirects and a refresh).
    async fn wait_for_path(&self, path: &str) {
        for _ in 0..100 {
            let at = self.url().await;
            let loaded = self.c.execute("return document.readyState === 'complete';", vec![]).await;
            if at.ends_with(path) && loaded.is_ok_and(|v| v == json!(true)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the browser did not get to {path}; it is at {}", self.url().await);
    }

    async fn fill(&self, css: &str, value: &str) {
        let e = self.find(css).await;
        e.clear().await.expect("clears");
        e.send_keys(value).await.expect("types");
    }

    async fn login(&self, email: &str) {
        self.goto("/inloggen").await;
        self.fill("#email", email).await;
        self.fill("#password", PASSWORD).await;
        self.submit("form.login button[type=submit]").await;
        let h1 = self.text("h1").await;
        assert_ne!(h1, "Inloggen", "logging in as {email} failed");
    }

    async fn logout(&self) {
        self.submit("form.logout button").await;
        assert_eq!(self.text("h1").await, "Inloggen");
    }

    /// The axe-core audit of the page as it is now (WCAG 2.1 A and AA), and screenshots at
    /// phone and desktop width; the page must not scroll sideways on a phone.
    async fn audit(&mut self, name: &str) {
        self.c.execute(&format!("{}\nreturn true;", self.axe), vec![]).await.expect("axe-core loads");
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary) }))))
               .catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));
        "#;
        let violations = self.c.execute_async(script, vec![]).await.expect("axe runs");
        assert_eq!(violations, json!([]), "accessibility violations on page `{name}` ({})", self.url().await);
        for (label, (w, h)) in [("telefoon", PHONE), ("desktop", DESKTOP)] {
            self.c.set_window_size(w, h).await.expect("resizes");
            if label == "telefoon" {
                let overflow = self.c.execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![]).await.expect("measures");
                assert!(overflow.as_i64().unwrap_or(0) <= 0, "page `{name}` scrolls sideways at {w} px: {overflow}");
            }
            let png = self.c.screenshot().await.expect("screenshot");
            std::fs::write(self.shots.join(format!("{name}-{label}.png")), png).expect("saves the screenshot");
        }
        self.audited.push(name.to_owned());
    }

    /// Fills in "Mag dit?" for a photo of `pupil` on Instagram at work, and checks it. The
    /// roster search is typed and answered as one types (`live`), or sent with its button.
    async fn check_photo_of(&self, school: i64, pupil: i64, search: &str, live: bool) {
        self.goto(&format!("/s/{school}/check")).await;
        self.click("input[name=action][value=media]").await;
        self.fill("#text", "Wat een mooie sportdag! Daan de Vries won de estafette.").await;
        let pupil_box = format!("input[name=depicts][value='{pupil}']");
        if live {
            self.c.execute("window.magditOldPage = true; return true;", vec![]).await.expect("marks the page");
            self.fill("#zoek", search).await;
            self.wait_for(&pupil_box).await;
            let same_page = self.c.execute("return window.magditOldPage === true;", vec![]).await.expect("asks");
            assert_eq!(same_page, json!(true), "found without sending the form");
            assert!(self.text("#zoek-status").await.contains("gevonden"), "the result is announced");
        } else {
            self.fill("#zoek", search).await;
            self.submit("button[name=op][value=zoek]").await;
        }
        self.click(&pupil_box).await;
        self.click("#channel option[value=instagram]").await;
        self.click("input[name=when][value=work]").await;
        self.submit("button[name=op][value=check]").await;
    }
}

async fn refuse_earlier(store: &Store, s: &Seed) {
    let actor = Actor::new("test:seed").expect("actor");
    let d = Decision {
        pupil: s.daan,
        purpose: "social_media".into(),
        action: ConsentAction::Refuse,
        decided_by: Some(s.peter),
        channel: Channel::Paper,
        decided_at: None,
    };
    store.record_consent(s.school, &d, &actor).await.expect("refusal recorded");
}

#[tokio::test(flavor = "multi_thread")]
async fn school_flows_in_a_real_browser() {
    let axe = axe_source(); // fail early, with the install hint
    assert!(axe.contains("axe"));
    let driver = start_driver();
    magdit_store::testing::run(Backend::Sqlite, move |store| async move {
        let s = seed(&store).await;
        // Daan's father refused photos on social media on paper earlier.
        refuse_earlier(&store, &s).await;
        // The school's own accounts too, through the test issuer (as `tests/oidc.rs`).
        let issuer = oidc_issuer::Issuer::start(oidc_issuer::Person {
            sub: "sub-anna".into(),
            email: Some(s.teacher.email.clone()),
            email_verified: Some(true),
            hd: None,
        })
        .await;
        let issuer_url = issuer.base.clone();
        let app = App::start_with(store.clone(), |base, config| {
            let provider = OidcProvider {
                issuer: issuer_url,
                client_id: oidc_issuer::CLIENT_ID.into(),
                client_secret: Secret(oidc_issuer::CLIENT_SECRET.into()),
                display_name: "Inloggen met Proefschool".into(),
                redirect_url: format!("{base}/api/v1/auth/oidc/proef/callback"),
                allowed_domains: Vec::new(),
                scopes: vec!["openid".into(), "email".into(), "profile".into()],
            };
            config.oidc.providers.insert("proef".into(), provider);
        })
        .await;
        let mut b = Browser::open(&driver, &app.base).await;
        let school = s.school.0;
        let daan = s.daan.0;

        // The login page, and a wrong password.
        b.goto("/inloggen").await;
        b.audit("inloggen").await;
        b.fill("#email", &s.teacher.email).await;
        b.fill("#password", "wrong").await;
        b.submit("form.login button[type=submit]").await;
        assert!(b.text("[role=alert]").await.contains("niet gelukt"));

        // Anna logs in with her school account instead: the provider's button, and she lands
        // logged in on the page she asked for, though the provider is another site.
        b.goto(&format!("/inloggen?terug=%2Fs%2F{school}%2Fprotocol")).await;
        assert_eq!(b.text(".providers a").await, "Inloggen met Proefschool");
        b.click(".providers a").await;
        b.wait_for_path(&format!("/s/{school}/protocol")).await;
        assert!(b.text("form.logout button").await.contains("Anna Smit"), "logged in as Anna");
        b.logout().await;

        // A teacher checks a photo of Daan: rood, with the article that forbids it.
        b.login(&s.teacher.email).await;
        assert_eq!(b.text("h1").await, "Mag dit?");
        b.audit("check-leeg").await;
        b.check_photo_of(school, daan, "Daa", true).await;
        let verdict = b.text(".verdict-word").await;
        assert!(verdict.contains("Rood"), "expected rood, got {verdict}");
        let article = b.text(".finding-forbidden h2 a").await;
        assert!(article.starts_with("Artikel "), "{article}");
        assert!(b.text(".found .text mark").await.contains("Daan de Vries"), "the pupil's name is highlighted");
        b.audit("check-rood").await;
        // The cited article links to its anchor in the protocol page.
        b.submit(".finding-forbidden h2 a").await;
        let url = b.url().await;
        let id = article.trim_start_matches("Artikel ");
        assert!(url.ends_with(&format!("/s/{school}/protocol#{id}")), "{url}");
        assert!(b.text(&format!("article[id='{id}'] h3")).await.contains(id));
        b.audit("protocol").await;
        // The class view: Daan is "nee" for social media.
        b.goto(&format!("/s/{school}/klas?klas=7A")).await;
        let row = b.text("table.class-view tbody tr:first-child").await;
        assert!(row.contains("Daan de Vries") && row.contains("Nee"), "{row}");
        b.audit("klas").await;
        b.logout().await;

        // The father gives consent for social media.
        b.login(&s.parent.email).await;
        b.goto(&format!("/s/{school}/toestemming")).await;
        b.audit("toestemming-ouder").await;
        let form = format!("#leerling-{daan} form:has(input[name=purpose][value=social_media])");
        b.click(&format!("{form} input[name=choice][value=give]")).await;
        b.submit(&format!("{form} button[type=submit]")).await;
        assert!(b.text(&format!("{form} .state")).await.contains("Ja"));
        b.click(&format!("#leerling-{daan} details.history summary")).await;
        let history = b.text(&format!("#leerling-{daan} details.history tbody")).await;
        assert!(history.contains("Ja") && history.contains("Nee"), "both choices in the history: {history}");
        b.audit("toestemming-opgeslagen").await;
        b.logout().await;

        // The same check by the teacher now turns groen.
        b.login(&s.teacher.email).await;
        b.check_photo_of(school, daan, "7A", false).await;
        let verdict = b.text(".verdict-word").await;
        assert!(verdict.contains("Groen"), "expected groen after consent, got {verdict}");
        b.audit("check-groen").await;
        b.logout().await;

        // Noor, 16, decides for herself.
        b.login(&s.pupil16.email).await;
        b.goto(&format!("/s/{school}/toestemming")).await;
        let noor = s.noor.0;
        assert!(b.text(&format!("#leerling-{noor}")).await.contains("je beslist zelf"));
        let form = format!("#leerling-{noor} form:has(input[name=purpose][value=website])");
        b.click(&format!("{form} input[name=choice][value=refuse]")).await;
        b.submit(&format!("{form} button[type=submit]")).await;
        assert!(b.text(&format!("{form} .state")).await.contains("Nee"));
        b.audit("toestemming-leerling-16").await;
        b.logout().await;

        // The admin imports a roster with one bad row: a dry run shows it rejected with its line.
        b.login(&s.admin.email).await;
        b.goto(&format!("/s/{school}/beheer")).await;
        b.audit("beheer").await;
        let csv = std::env::temp_dir().join(format!("magdit-browser-{}.csv", std::process::id()));
        std::fs::write(&csv, "Stamnr;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Klas\n30001;Lotte;;Visser;01-02-2013;7B\n30002;Milan;;Bos;31-02-2013;7B\n30003;Noah;van;Dijk;03-04-2013;7B\n").expect("csv");
        b.goto(&format!("/s/{school}/beheer/import")).await;
        b.audit("import").await;
        b.find("#file").await.send_keys(&csv.display().to_string()).await.expect("chooses the file");
        b.submit("form[enctype] button[type=submit]").await;
        let rejected = b.text("table.rejected tbody").await;
        assert!(rejected.starts_with('3') && rejected.contains("regel 3"), "line 3 rejected: {rejected}");
        assert!(b.text("#rapport [role=status]").await.contains("2 nieuw"));
        b.audit("import-proef").await;
        // Then for real.
        b.find("#file").await.send_keys(&csv.display().to_string()).await.expect("chooses the file");
        b.click("input[name=dry_run]").await;
        b.submit("form[enctype] button[type=submit]").await;
        assert_eq!(b.text("#rapport-kop").await, "Geïmporteerd");
        b.goto(&format!("/s/{school}/klas?klas=7B")).await;
        assert!(b.text("table.class-view").await.contains("Lotte Visser"));
        b.goto(&format!("/s/{school}/beheer/accounts")).await;
        b.audit("accounts").await;
        // Anna becomes leidinggevende too.
        let anna = store.account_by_email(&s.teacher.email).await.expect("anna").id;
        b.click(&format!("#rol-{anna} option[value=leidinggevende]")).await;
        b.submit(&format!("#account-{anna} form:has(#rol-{anna}) button")).await;
        assert!(b.text(".notice.saved").await.contains("Anna Smit heeft nu de rol leidinggevende"));
        assert!(b.text(&format!("#account-{anna} ul.roles")).await.contains("leidinggevende"));
        b.audit("accounts-rol-gegeven").await;
        // In English.
        b.submit("a[hreflang=en]").await;
        assert_eq!(b.text("h1").await, "Accounts and roles");
        b.audit("accounts-en").await;
        b.submit("a[hreflang=nl]").await;
        let _ = std::fs::remove_file(&csv);

        assert_eq!(b.audited.len(), 15, "{:?}", b.audited);
        b.c.close().await.expect("closes the browser");
    })
    .await;
}
