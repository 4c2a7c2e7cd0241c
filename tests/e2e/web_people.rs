//! People signed in on the website, for the tests of their pages: an account made as a
//! first sign-in makes it, with a session started in the store (how the sign-in handlers
//! start one; the sign-in itself is tested in `sign_in.rs` and `oidc.rs`), and a browser
//! of sorts that sends its cookie, the form's CSRF token and a same-site `Origin`, and
//! follows no redirect.

use kb_domain::{AccountRole, Language, OrganisationId, Viewer};
use kb_store::{Identity, SessionLifetime};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::support::TestApp;

/// A signed-in person.
pub struct Person {
    pub cookie: String,
    pub csrf: String,
    client: reqwest::Client,
}

/// A page as the person got it.
pub struct Got {
    pub status: StatusCode,
    pub location: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl Person {
    /// `name` (with `email`) signed in as an active `role` of `organisation`.
    pub async fn new(
        app: &TestApp,
        name: &str,
        email: &str,
        role: AccountRole,
        organisation: Option<OrganisationId>,
    ) -> Person {
        let account = app
            .store
            .sign_in_account(&Identity {
                issuer: "https://idp.example".to_owned(),
                subject: email.to_owned(),
                email: Some(email.to_owned()),
                name: name.to_owned(),
                language: Language::Nl,
                home_organisation: None,
                affiliation: None,
            })
            .await
            .expect("account");
        if let Some(org) = organisation {
            app.store
                .grant_account(Viewer::Admin, account.id, Some(org))
                .await
                .expect("granted");
        }
        if role != AccountRole::Contributor {
            app.store
                .set_account_role(Viewer::Admin, account.id, role)
                .await
                .expect("appointed");
        }
        let session = app
            .store
            .start_session(account.id, SessionLifetime::default())
            .await
            .expect("session");
        Person {
            cookie: format!("kb_session={}", session.secret),
            csrf: session.csrf_token,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    /// `name` as an active contributor of `organisation`, with an address made of the name.
    pub async fn contributor(app: &TestApp, name: &str, organisation: OrganisationId) -> Person {
        let email = format!("{}@people.example", name.to_lowercase());
        Self::new(
            app,
            name,
            &email,
            AccountRole::Contributor,
            Some(organisation),
        )
        .await
    }

    /// `name` appointed to `role` (editor or admin), of no organisation.
    pub async fn appointed(app: &TestApp, name: &str, role: AccountRole) -> Person {
        let email = format!("{}@kb.example", name.to_lowercase());
        Self::new(app, name, &email, role, None).await
    }

    async fn read(r: reqwest::Response) -> Got {
        let status = r.status();
        let headers = r.headers().clone();
        let location = headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = r.text().await.expect("body");
        Got {
            status,
            location,
            headers,
            body,
        }
    }

    /// `GET path` with the person's cookie.
    pub async fn get(&self, app: &TestApp, path: &str) -> Got {
        let r = self
            .client
            .get(app.url(path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("GET");
        Self::read(r).await
    }

    /// A form POST from the site's own page, with the session's CSRF token added.
    pub async fn post(&self, app: &TestApp, path: &str, pairs: &[(&str, &str)]) -> Got {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(pairs);
        self.post_raw(app, path, &all, same_site(app)).await
    }

    /// A form POST exactly as given (no token added), with `headers`.
    pub async fn post_raw(
        &self,
        app: &TestApp,
        path: &str,
        pairs: &[(&str, &str)],
        mut headers: HeaderMap,
    ) -> Got {
        headers.insert(
            "cookie",
            HeaderValue::from_str(&self.cookie).expect("cookie"),
        );
        let r = self
            .client
            .post(app.url(path))
            .headers(headers)
            .body(form(pairs))
            .send()
            .await
            .expect("POST");
        Self::read(r).await
    }
}

/// The headers of a form POST from a page of this site.
pub fn same_site(app: &TestApp) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    h.insert(
        "origin",
        HeaderValue::from_str(&format!("http://{}", app.addr)).expect("origin"),
    );
    h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
    h
}

/// `pairs` as an `application/x-www-form-urlencoded` body.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}
