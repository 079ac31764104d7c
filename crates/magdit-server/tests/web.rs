//! The web UI over HTTP, without a browser: security headers on every page, CSRF on every
//! form, login rate limiting, tenants and roles, the English switch, and how fast the pages
//! render? See `benches/pages.rs` for that.

mod common;

use common::forms::{browser, get, hidden, logged_in, login};
use common::{seed, App, Seed, PASSWORD};
use magdit_store::Backend;
use reqwest::header::{CONTENT_SECURITY_POLICY, LOCATION};
use reqwest::StatusCode;

async fn with_app(test: impl FnOnce(App, Seed) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> + Send + 'static) {
    magdit_store::testing::run(Backend::Sqlite, move |store| async move {
        let s = seed(&store).await;
        let app = App::start(store).await;
        test(app, s).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_carry_a_strict_csp_and_forms_need_the_csrf_token() {
    with_app(|app, s| Box::pin(async move {
        let anon = browser();
        let r = anon.get(format!("{}/inloggen", app.base)).send().await.expect("answers");
        let csp = r.headers().get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(r.headers().get("x-content-type-options").map(|v| v.as_bytes()), Some(&b"nosniff"[..]));
        // Not logged in: to the login page, and back afterwards.
        let r = anon.get(format!("{}/s/{}/check", app.base, s.school)).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some(format!("/inloggen?terug=%2Fs%2F{}%2Fcheck", s.school).as_str()));
        // The login form without its own token is refused.
        let r = anon.post(format!("{}/inloggen", app.base)).form(&[("email", s.teacher.email.as_str()), ("password", PASSWORD)]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

        let teacher = logged_in(&app, &s.teacher.email).await;
        let r = teacher.get(format!("{}/", app.base)).send().await.expect("answers");
        assert_eq!(r.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some(format!("/s/{}/check", s.school).as_str()), "one school: straight to it");
        let (status, page) = get(&teacher, &app, &format!("/s/{}/check", s.school)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("<html lang=\"nl\"") && page.contains("<main") && page.contains("<nav"));
        assert!(!page.contains("style=") && !page.contains("<script>"), "no inline style or script");
        let csrf = hidden(&page, "csrf");
        let check = format!("{}/s/{}/check", app.base, s.school);
        let text = [("action", "post"), ("text", "Fijne vakantie allemaal!"), ("op", "check")];
        let r = teacher.post(&check).form(&text).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "a post without the token is refused");
        assert!(r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().starts_with("text/html"));
        let r = teacher.post(&check).form(&[("csrf", "forged"), ("op", "check")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let mut with_token = text.to_vec();
        with_token.push(("csrf", &csrf));
        let r = teacher.post(&check).form(&with_token).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.unwrap_or_default().contains("class=\"verdict verdict-"));
        // Logging out needs the token too.
        let r = teacher.post(format!("{}/uitloggen", app.base)).form(&[("csrf", "forged")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = teacher.post(format!("{}/uitloggen", app.base)).form(&[("csrf", csrf.as_str())]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(get(&teacher, &app, &format!("/s/{}/check", s.school)).await.0, StatusCode::SEE_OTHER, "logged out");
    }))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_is_rate_limited_per_address() {
    with_app(|app, s| Box::pin(async move {
        let c = browser();
        for _ in 0..5 {
            assert_eq!(login(&c, &app, &s.teacher.email, "wrong").await.status(), StatusCode::UNAUTHORIZED);
        }
        let r = login(&c, &app, &s.teacher.email, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the sixth try in a minute is refused, even with the right password");
        assert!(r.text().await.unwrap_or_default().contains("Te veel pogingen"));
    }))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_and_tenants_decide_what_a_page_shows() {
    with_app(|app, s| Box::pin(async move {
        let school = s.school;
        let parent = logged_in(&app, &s.parent.email).await;
        let (status, page) = get(&parent, &app, &format!("/s/{school}/toestemming")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Daan de Vries") && !page.contains("Noor Jansen"), "a parent sees their own child only");
        assert_eq!(get(&parent, &app, &format!("/s/{school}/klas?klas=7A")).await.0, StatusCode::FORBIDDEN, "the class view is for staff");
        assert_eq!(get(&parent, &app, &format!("/s/{school}/beheer")).await.0, StatusCode::FORBIDDEN);
        let (status, page) = get(&parent, &app, &format!("/s/{}/check", s.other_school)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another school does not exist for them");
        assert!(page.contains("Deze pagina bestaat niet"));
        // A parent cannot decide for someone else's child.
        let csrf = hidden(&get(&parent, &app, &format!("/s/{school}/toestemming")).await.1, "csrf");
        let r = parent
            .post(format!("{}/s/{school}/toestemming/{}", app.base, s.noor))
            .form(&[("csrf", csrf.as_str()), ("purpose", "website"), ("choice", "give")])
            .send()
            .await
            .expect("answers");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        // A pupil of 12 sees their consent but may not decide.
        let daan = logged_in(&app, &s.pupil12.email).await;
        let (_, page) = get(&daan, &app, &format!("/s/{school}/toestemming")).await;
        assert!(page.contains("beslissen de ouders") && !page.contains("name=\"choice\""), "under 16 the parents decide");
        // The teacher's class view, in English.
        let teacher = logged_in(&app, &s.teacher.email).await;
        let r = teacher.get(format!("{}/taal/en?terug=/s/{school}/klas", app.base)).send().await.expect("answers");
        assert_eq!(r.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some(format!("/s/{school}/klas").as_str()));
        let (_, page) = get(&teacher, &app, &format!("/s/{school}/klas?klas=7A")).await;
        assert!(page.contains("<html lang=\"en\"") && page.contains("Class 7A: who may be in photos") && page.contains("Sanne Bakker"));
        let r = teacher.get(format!("{}/taal/en?terug=//evil.example", app.base)).send().await.expect("answers");
        assert_eq!(r.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some("/"), "never away from the site");
    }))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_adopts_a_shipped_protocol_from_the_overview() {
    with_app(|app, s| Box::pin(async move {
        let school = s.school;
        let admin = logged_in(&app, &s.admin.email).await;
        let (_, page) = get(&admin, &app, &format!("/s/{school}/beheer")).await;
        assert!(page.contains("<select id=\"protocol\" name=\"protocol\"") && page.contains("value=\"kc-de-marel\""), "{page}");
        let csrf = hidden(&page, "csrf");
        let url = format!("{}/s/{school}/beheer/protocol", app.base);
        let r = admin.post(&url).form(&[("protocol", "kc-de-marel")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "not without the token");
        let r = admin.post(&url).form(&[("csrf", csrf.as_str()), ("protocol", "kc-de-mareel")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "an unknown protocol is refused");
        assert_eq!(app.store.school(school).await.expect("school").protocol.map(|p| p.id), Some("cvo-nwf".to_owned()), "nothing changed");
        let r = admin.post(&url).form(&[("csrf", csrf.as_str()), ("protocol", "kc-de-marel")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.store.school(school).await.expect("school").protocol.map(|p| p.id), Some("kc-de-marel".to_owned()));
        let (_, page) = get(&admin, &app, &format!("/s/{school}/beheer")).await;
        assert!(page.contains("<option value=\"kc-de-marel\" selected"), "the adopted one is chosen");
        // A teacher may not.
        let teacher = logged_in(&app, &s.teacher.email).await;
        let (_, page) = get(&teacher, &app, &format!("/s/{school}/check")).await;
        let csrf = hidden(&page, "csrf");
        let r = teacher.post(&url).form(&[("csrf", csrf.as_str()), ("protocol", "cvo-nwf")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.store.school(school).await.expect("school").protocol.map(|p| p.id), Some("kc-de-marel".to_owned()));
    }))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_gives_and_takes_roles_from_the_accounts_page() {
    with_app(|app, s| Box::pin(async move {
        let school = s.school;
        let admin = logged_in(&app, &s.admin.email).await;
        let anna = app.store.account_by_email(&s.teacher.email).await.expect("anna").id;
        let dirk = app.store.account_by_email(&s.admin.email).await.expect("dirk").id;
        let roles = || async { app.store.grants(anna).await.expect("grants").iter().map(|g| g.role().as_str()).collect::<Vec<_>>() };
        let (status, page) = get(&admin, &app, &format!("/s/{school}/beheer/accounts")).await;
        assert_eq!(status, StatusCode::OK);
        let csrf = hidden(&page, "csrf");
        assert!(page.contains(&format!("id=\"rol-{anna}\"")), "a form to give Anna a role");
        // An admin may not take their own administrator role: not offered, and refused.
        assert!(!page.contains(&format!("aria-label=\"Rol schoolleiding intrekken bij Dirk Directie\"")), "{page}");
        let url = |account| format!("{}/s/{school}/beheer/accounts/{account}/rollen", app.base);
        let r = admin.post(url(dirk)).form(&[("csrf", csrf.as_str()), ("op", "take"), ("role", "school_admin")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap_or_default().contains("Dit kan nu niet"), "said in Dutch");
        assert_eq!(app.store.grants(dirk).await.expect("grants").len(), 1, "still admin");

        // Not without the form's token.
        let give = [("op", "give"), ("role", "leidinggevende")];
        let r = admin.post(url(anna)).form(&give).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(roles().await, ["employee"]);
        // Given: back to the page, which says so and shows it.
        let r = admin.post(url(anna)).form(&[("csrf", csrf.as_str()), give[0], give[1]]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let back = r.headers().get(LOCATION).and_then(|v| v.to_str().ok()).expect("a Location").to_owned();
        let (_, page) = get(&admin, &app, &back).await;
        assert!(page.contains("Anna Smit heeft nu de rol leidinggevende."), "{page}");
        assert!(page.contains("aria-label=\"Rol leidinggevende intrekken bij Anna Smit\""));
        let mut now = roles().await;
        now.sort();
        assert_eq!(now, ["employee", "leidinggevende"]);
        // Taken again.
        let r = admin.post(url(anna)).form(&[("csrf", csrf.as_str()), ("op", "take"), ("role", "leidinggevende")]).send().await.expect("answers");
        let back = r.headers().get(LOCATION).and_then(|v| v.to_str().ok()).expect("a Location").to_owned();
        assert!(get(&admin, &app, &back).await.1.contains("De rol leidinggevende is ingetrokken bij Anna Smit."));
        assert_eq!(roles().await, ["employee"]);
        // Nonsense is named; a board grant is not given in a school; another school's account is not found.
        let r = admin.post(url(anna)).form(&[("csrf", csrf.as_str()), ("op", "give"), ("role", "rector")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = admin.post(url(anna)).form(&[("csrf", csrf.as_str()), ("op", "give"), ("role", "board_admin")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = admin.post(url(anna)).form(&[("csrf", csrf.as_str()), ("op", "weg"), ("role", "employee")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bas = app.store.account_by_email(&s.other_admin.email).await.expect("bas").id;
        let r = admin.post(url(bas)).form(&[("csrf", csrf.as_str()), ("op", "give"), ("role", "employee")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.store.grants(bas).await.expect("grants").len(), 1);

        // A teacher may not, even with their own valid token.
        let teacher = logged_in(&app, &s.teacher.email).await;
        let csrf = hidden(&get(&teacher, &app, &format!("/s/{school}/check")).await.1, "csrf");
        let r = teacher.post(url(anna)).form(&[("csrf", csrf.as_str()), ("op", "give"), ("role", "school_admin")]).send().await.expect("answers");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(roles().await, ["employee"]);
        assert_eq!(get(&teacher, &app, &format!("/s/{school}/beheer/accounts")).await.0, StatusCode::FORBIDDEN);
    }))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_live_search_finds_what_the_form_would_and_no_more() {
    with_app(|app, s| Box::pin(async move {
        let school = s.school;
        let found = |c: reqwest::Client, path: String| {
            let base = app.base.clone();
            async move {
                let r = c.get(format!("{base}{path}")).send().await.expect("answers");
                assert_eq!(r.status(), StatusCode::OK, "{path}");
                r.json::<serde_json::Value>().await.expect("JSON")
            }
        };
        let teacher = logged_in(&app, &s.teacher.email).await;
        let answer = found(teacher.clone(), format!("/s/{school}/check/mensen?zoek=daan")).await;
        let names: Vec<&str> = answer["people"].as_array().expect("people").iter().filter_map(|p| p["name"].as_str()).collect();
        assert!(names.contains(&"Daan de Vries") && !names.contains(&"Noor Jansen"), "{answer}");
        assert_eq!(answer["people"][0].as_object().map(|o| o.len()), Some(3), "id, name and class only: {answer}");
        assert!(answer["message"].as_str().unwrap_or_default().ends_with("gevonden."), "{answer}");
        // The class, as the form's search finds it.
        let class = found(teacher.clone(), format!("/s/{school}/check/mensen?zoek=7A")).await;
        assert!(class["people"].as_array().expect("people").iter().any(|p| p["id"] == s.daan.0 && p["group"] == "7A"), "{class}");
        let none = found(teacher.clone(), format!("/s/{school}/check/mensen?zoek=Xyzzy")).await;
        assert_eq!(none["people"], serde_json::json!([]));
        assert_eq!(none["message"], "Niemand gevonden.");
        // A parent searching finds only whom they may see, whatever they type.
        let parent = logged_in(&app, &s.parent.email).await;
        let theirs = found(parent.clone(), format!("/s/{school}/check/mensen?zoek=Noor")).await;
        let ids: Vec<i64> = theirs["people"].as_array().expect("people").iter().filter_map(|p| p["id"].as_i64()).collect();
        assert!(ids.contains(&s.daan.0) && !ids.contains(&s.noor.0), "{theirs}");
        // Another school does not exist for them; without a session, the login.
        assert_eq!(get(&teacher, &app, &format!("/s/{}/check/mensen?zoek=de", s.other_school)).await.0, StatusCode::NOT_FOUND);
        assert_eq!(get(&browser(), &app, &format!("/s/{school}/check/mensen?zoek=de")).await.0, StatusCode::SEE_OTHER);
    }))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_provider_the_login_page_offers_none() {
    with_app(|app, _s| Box::pin(async move {
        let (status, page) = get(&browser(), &app, "/inloggen").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("/api/v1/auth/oidc/") && !page.contains("class=\"providers\""), "{page}");
    }))
    .await;
}
