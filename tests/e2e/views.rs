//! Saved views over HTTP on both databases: partners and editors make, change and
//! archive them (versioned, audited, a stale version is CONFLICT); `view(slug)` shows
//! the published initiatives matching its filter with facets and their coming events,
//! never a draft, to anyone; a pinned language wins over `Accept-Language`.

use kb_domain::input::{EventInput, InitiativeInput, OrganisationInput};
use kb_domain::workflow::Action;
use kb_domain::{
    EventKind, InitiativeKind, NodeId, OrganisationKind, OrganisationRole, Role, Viewer,
};
use kb_store::Actor;
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, error_code, header};

/// A network of its own with three published initiatives (two about LGBTQIA2S+), a
/// draft about LGBTQIA2S+, and events featuring the first: one coming and published, one
/// coming but a draft, one over.
pub(crate) struct World {
    pub organisation: String,
    pub editor: String,
    pub partner: String,
    pub other_partner: String,
    pub contributor: String,
    /// The published initiatives about LGBTQIA2S+, by title.
    pub lgbtqia: [&'static str; 2],
    pub draft: &'static str,
    pub coming: &'static str,
    /// The coming event's long description, with every character iCalendar escapes.
    pub coming_summary: String,
    pub draft_event: &'static str,
    pub past_event: &'static str,
}

pub(crate) const CAFE: &str = "Regenboogcafé voor studenten";
pub(crate) const MENTORS: &str = "Queer mentoraat, eerste jaar";
pub(crate) const RESILIENCE: &str = "Veerkracht in de tentamenweek";
pub(crate) const DRAFT: &str = "Concept: LHBTI-spreekuur";

pub(crate) async fn world(app: &TestApp) -> World {
    let cli = &Actor::cli();
    let editor = Actor {
        viewer: Viewer::Editor,
        key_id: None,
        account_id: None,
        name: "views".into(),
    };
    let org = app
        .store
        .create_organisation(
            cli,
            OrganisationInput {
                name: Some("Regenboognetwerk Teststad".into()),
                kind: Some(OrganisationKind::Network),
                ..Default::default()
            },
        )
        .await
        .expect("organisation");
    let key = |name: &'static str, role, o| async move {
        app.store
            .create_api_key(cli, name, role, o, None)
            .await
            .expect("key")
            .secret
    };
    let (editor_key, partner, other_partner, contributor) = (
        key("redactie", Role::Editor, None).await,
        key("portaal", Role::Partner, None).await,
        key("ander portaal", Role::Partner, None).await,
        key("medewerker", Role::Contributor, Some(org.id)).await,
    );
    let initiative = |title: &'static str, topic: &'static str, publish: bool| {
        let editor = editor.clone();
        async move {
            let i = app
                .store
                .create_initiative(
                    &editor,
                    InitiativeInput {
                        title: Some(title.into()),
                        summary: Some(format!("{title}: een initiatief voor de test van views.")),
                        kind: Some(InitiativeKind::Community),
                        start_year: Some(2025),
                        themes: Some(vec!["policy".into()]),
                        topics: Some(vec![topic.into()]),
                        organisations: Some(vec![(org.id, OrganisationRole::Lead)]),
                        ..Default::default()
                    },
                )
                .await
                .expect("initiative");
            if publish {
                for a in [Action::Submit, Action::Publish] {
                    app.store
                        .transition_initiative(&editor, i.id, a, None, None)
                        .await
                        .expect("publish");
                }
            }
            i.id
        }
    };
    let cafe = initiative(CAFE, "lgbtqia", true).await;
    initiative(MENTORS, "lgbtqia", true).await;
    initiative(RESILIENCE, "resilience", true).await;
    initiative(DRAFT, "lgbtqia", false).await;
    let coming_summary = format!(
        "Een avond voor queer studenten, docenten; en begeleiders, met \\ een lezing.\nDaarna: {}",
        "borrel in het regenboogcafé met muziek, "
            .repeat(6)
            .trim_end()
    );
    let now = chrono::Utc::now();
    let event = |title: &'static str, summary: String, days: i64, publish: bool| {
        let editor = editor.clone();
        async move {
            let starts = now + chrono::Duration::days(days);
            let e = app
                .store
                .create_event(
                    &editor,
                    EventInput {
                        title: Some(title.into()),
                        summary: Some(summary),
                        kind: Some(EventKind::CommunityMeetup),
                        starts_at: Some(starts),
                        ends_at: Some(starts + chrono::Duration::hours(2)),
                        location: Some("Zaal 1, Teststad".into()),
                        organisers: Some(vec![org.id]),
                        initiatives: Some(vec![cafe]),
                        ..Default::default()
                    },
                )
                .await
                .expect("event");
            if publish {
                app.store
                    .transition_event(&editor, e.id, Action::Publish, None)
                    .await
                    .expect("publish event");
            }
        }
    };
    event("Regenboogavond", coming_summary.clone(), 10, true).await;
    event(
        "Regenboogavond (concept)",
        "Nog niet openbaar.".into(),
        12,
        false,
    )
    .await;
    event(
        "Regenboogavond van vorig jaar",
        "Voorbij.".into(),
        -300,
        true,
    )
    .await;
    app.caught_up().await;
    World {
        organisation: org.id.global().encode(),
        editor: editor_key,
        partner,
        other_partner,
        contributor,
        lgbtqia: [MENTORS, CAFE],
        draft: DRAFT,
        coming: "Regenboogavond",
        coming_summary,
        draft_event: "Regenboogavond (concept)",
        past_event: "Regenboogavond van vorig jaar",
    }
}

pub(crate) const CREATE: &str = "mutation($input: ViewInput!) {
  createView(input: $input) {
    view {
      slug title description ownerKey filter { topics organisations } orderBy search lang fields
      state version embedQuery(first: 5)
    }
  }
}";

/// Makes the view `lhbti-en` as the partner: LGBTQIA2S+ initiatives of the world's
/// network, by title, in English.
pub(crate) async fn create_view(app: &TestApp, w: &World) -> Value {
    app.gql_as(
        &w.partner,
        CREATE,
        json!({ "input": {
            "slug": "lhbti-en",
            "title": "LGBTQIA2S+ in English",
            "description": "The newest LGBTQIA2S+ initiatives, for the portal of the network.",
            "filter": {
                "topics": ["lgbtqia"], "organisations": [w.organisation], "statuses": ["DRAFT"],
            },
            "orderBy": "TITLE",
            "lang": "EN",
            "fields": ["TOPICS", "TITLE"]
        } }),
    )
    .await
}

const READ: &str = "query($slug: String!) {
  view(slug: $slug) {
    slug title version state
    initiatives(first: 10) {
      totalCount nodes { title } pageInfo { hasNextPage } facets { topics { value { code } count } }
    }
    events(first: 10) { totalCount nodes { title } }
  }
}";

fn titles(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["title"].as_str().expect("title"))
        .collect()
}

on_both!(a_partner_makes_a_view_that_shows_the_public_its_published_initiatives);
async fn a_partner_makes_a_view_that_shows_the_public_its_published_initiatives(app: TestApp) {
    let w = world(&app).await;
    let r = create_view(&app, &w).await;
    assert!(r.get("errors").is_none(), "{r:#}");
    let v = &r["data"]["createView"]["view"];
    assert_eq!(v["slug"], "lhbti-en");
    assert_eq!(v["title"], "LGBTQIA2S+ in English");
    assert_eq!(
        v["filter"],
        json!({ "topics": ["lgbtqia"], "organisations": [w.organisation] })
    );
    assert_eq!(v["orderBy"], "TITLE");
    assert_eq!(v["search"], Value::Null);
    assert_eq!(v["lang"], "EN");
    assert_eq!(v["fields"], json!(["TITLE", "TOPICS"]));
    assert_eq!(v["state"], "ACTIVE");
    assert_eq!(v["version"], 1);
    assert!(
        v["ownerKey"]
            .as_str()
            .expect("the owner sees its key")
            .starts_with("portaal ("),
        "{v}"
    );
    let embed = "{ view(slug: \"lhbti-en\") { title initiatives(first: 5) { totalCount nodes { \
                 slug title topics { code label } } } } }";
    assert_eq!(v["embedQuery"], embed);
    // The public, the partner, a contributor of the network and an editor all see the
    // two published initiatives by title and the one coming published event; never
    // the draft, the draft event or the event that is over.
    for key in [
        None,
        Some(&w.partner),
        Some(&w.contributor),
        Some(&w.editor),
    ] {
        let r = match key {
            Some(k) => app.gql_as(k, READ, json!({ "slug": "lhbti-en" })).await,
            None => app.gql(READ, json!({ "slug": "lhbti-en" })).await,
        };
        assert!(r.get("errors").is_none(), "{r:#}");
        let v = &r["data"]["view"];
        assert_eq!(v["initiatives"]["totalCount"], 2, "{key:?}");
        assert_eq!(
            titles(&v["initiatives"]["nodes"]),
            w.lgbtqia.to_vec(),
            "{key:?}"
        );
        assert_eq!(v["initiatives"]["pageInfo"]["hasNextPage"], false);
        let topics = v["initiatives"]["facets"]["topics"]
            .as_array()
            .expect("facets");
        let lgbtqia = topics
            .iter()
            .find(|t| t["value"]["code"] == "lgbtqia")
            .expect("lgbtqia facet");
        assert_eq!(lgbtqia["count"], 2, "{key:?}");
        assert_eq!(v["events"]["totalCount"], 1, "{key:?}");
        assert_eq!(titles(&v["events"]["nodes"]), vec![w.coming], "{key:?}");
        let text = r.to_string();
        for hidden in [w.draft, w.draft_event, w.past_event] {
            assert!(
                !text.contains(&format!("\"{hidden}\"")),
                "{key:?} saw {hidden}"
            );
        }
    }
    // Others do not see whose key it is.
    let r = app
        .gql("{ view(slug: \"lhbti-en\") { ownerKey } }", json!({}))
        .await;
    assert_eq!(r["data"]["view"]["ownerKey"], Value::Null);
    let r = app.data("{ views { slug title } }", json!({})).await;
    assert_eq!(
        r["views"],
        json!([{ "slug": "lhbti-en", "title": "LGBTQIA2S+ in English" }])
    );
    // The embed query of every documented field is a valid query of this API.
    let all = [
        "TITLE",
        "SUMMARY",
        "KIND",
        "THEMES",
        "TOPICS",
        "ORGANISATIONS",
        "WEBSITE",
        "LANGUAGES",
        "PUBLISHED_AT",
        "EVENTS",
    ];
    let mutation = "mutation($f: [ViewField!]) {
      updateView(slug: \"lhbti-en\", expectedVersion: 1, input: { fields: $f }) {
        view { embedQuery(first: 2) }
      }
    }";
    let r = app.gql_as(&w.partner, mutation, json!({ "f": all })).await;
    let embed = r["data"]["updateView"]["view"]["embedQuery"]
        .as_str()
        .unwrap_or_else(|| panic!("{r:#}"))
        .to_owned();
    let r = app.gql(&embed, json!({})).await;
    assert!(r.get("errors").is_none(), "{embed}: {r:#}");
    assert_eq!(r["data"]["view"]["initiatives"]["totalCount"], 2);
    assert_eq!(
        r["data"]["view"]["initiatives"]["nodes"][1]["events"]["nodes"][0]["title"],
        w.coming
    );
    assert_eq!(
        r["data"]["view"]["initiatives"]["nodes"][0]["themes"][0]["label"],
        "Leadership and policy"
    );
}

on_both!(changing_a_view_is_versioned_audited_and_refused_to_others);
async fn changing_a_view_is_versioned_audited_and_refused_to_others(app: TestApp) {
    let w = world(&app).await;
    assert!(create_view(&app, &w).await.get("errors").is_none());
    let update = "mutation($v: Int!, $input: ViewInput!) {
      updateView(slug: \"lhbti-en\", expectedVersion: $v, input: $input) {
        view { title search version }
      }
    }";
    let r = app
        .gql_as(
            &w.partner,
            update,
            json!({ "v": 1, "input": { "title": "Regenboog", "search": "regenboogcafé" } }),
        )
        .await;
    assert_eq!(
        r["data"]["updateView"]["view"],
        json!({ "title": "Regenboog", "search": "regenboogcafé", "version": 2 }),
        "{r:#}"
    );
    // With search text the hits come best first, and the facets count over them.
    let r = app.gql(READ, json!({ "slug": "lhbti-en" })).await;
    assert_eq!(r["data"]["view"]["initiatives"]["totalCount"], 1, "{r:#}");
    assert_eq!(
        titles(&r["data"]["view"]["initiatives"]["nodes"]),
        vec![CAFE]
    );
    let topics = r["data"]["view"]["initiatives"]["facets"]["topics"]
        .as_array()
        .expect("facets")
        .clone();
    let lgbtqia = topics
        .iter()
        .find(|t| t["value"]["code"] == "lgbtqia")
        .expect("facet");
    assert_eq!(lgbtqia["count"], 1);
    // A stale version changes nothing.
    let r = app
        .gql_as(
            &w.partner,
            update,
            json!({ "v": 1, "input": { "title": "Oud" } }),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r:#}");
    assert_eq!(r["errors"][0]["extensions"]["currentVersion"], 2);
    // Another partner, a contributor and the public may not change it.
    let before = app.store.change_log_head().await.expect("head");
    let r = app
        .gql_as(
            &w.other_partner,
            update,
            json!({ "v": 2, "input": { "title": "Van mij" } }),
        )
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r:#}");
    let r = app
        .gql_as(
            &w.contributor,
            update,
            json!({ "v": 2, "input": { "title": "Van mij" } }),
        )
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r:#}");
    let r = app
        .gql_as(
            &w.contributor,
            CREATE,
            json!({ "input": { "title": "Eigen" } }),
        )
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r:#}");
    let r = app
        .gql(CREATE, json!({ "input": { "title": "Eigen" } }))
        .await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED", "{r:#}");
    assert_eq!(
        app.store.change_log_head().await.expect("head"),
        before,
        "refusals write nothing"
    );
    // Bad input names its field; a taken slug is CONFLICT.
    let r = app
        .gql_as(&w.partner, CREATE, json!({ "input": { "title": "   " } }))
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    assert_eq!(r["errors"][0]["extensions"]["field"], "input.title");
    let r = app
        .gql_as(
            &w.partner,
            CREATE,
            json!({ "input": { "title": "x", "filter": { "yearFrom": 1200 } } }),
        )
        .await;
    assert_eq!(
        r["errors"][0]["extensions"]["field"], "input.filter.yearFrom",
        "{r:#}"
    );
    let r = app
        .gql_as(
            &w.other_partner,
            CREATE,
            json!({ "input": { "title": "x", "slug": "lhbti-en" } }),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "{r:#}");
    // An editor changes anyone's view; every change is in its history.
    let r = app
        .gql_as(
            &w.editor,
            update,
            json!({ "v": 2, "input": { "search": null, "lang": null } }),
        )
        .await;
    assert_eq!(r["data"]["updateView"]["view"]["version"], 3, "{r:#}");
    assert_eq!(r["data"]["updateView"]["view"]["search"], Value::Null);
    let history = "{ view(slug: \"lhbti-en\") { history { action actor version } } }";
    let r = app.gql_as(&w.partner, history, json!({})).await;
    let h = r["data"]["view"]["history"]
        .as_array()
        .expect("history")
        .clone();
    let actions: Vec<(&str, i64)> = h
        .iter()
        .map(|x| {
            (
                x["action"].as_str().expect("a"),
                x["version"].as_i64().expect("v"),
            )
        })
        .collect();
    assert_eq!(actions, vec![("update", 3), ("update", 2), ("create", 1)]);
    assert!(
        h[0]["actor"]
            .as_str()
            .expect("actor")
            .starts_with("redactie (")
    );
    assert!(
        h[2]["actor"]
            .as_str()
            .expect("actor")
            .starts_with("portaal (")
    );
    let r = app.gql(history, json!({})).await;
    assert_eq!(
        r["data"]["view"]["history"],
        json!([]),
        "the public reads no history"
    );
    // Archived: gone for the public, the feeds and the list; its owner still sees it.
    let mutation = "mutation {
      archiveView(slug: \"lhbti-en\", expectedVersion: 3) { view { state version } }
    }";
    let r = app.gql_as(&w.partner, mutation, json!({})).await;
    assert_eq!(
        r["data"]["archiveView"]["view"],
        json!({ "state": "ARCHIVED", "version": 4 }),
        "{r:#}"
    );
    let r = app.gql(READ, json!({ "slug": "lhbti-en" })).await;
    assert_eq!(error_code(&r), "NOT_FOUND", "{r:#}");
    assert_eq!(r["data"]["view"], Value::Null);
    let r = app
        .gql_as(
            &w.partner,
            "{ view(slug: \"lhbti-en\") { state } }",
            json!({}),
        )
        .await;
    assert_eq!(r["data"]["view"]["state"], "ARCHIVED");
    assert_eq!(
        app.data("{ views { slug } }", json!({})).await["views"],
        json!([])
    );
    for path in ["/feeds/views/lhbti-en.atom", "/feeds/views/lhbti-en.ics"] {
        let r = app.client().get(app.url(path)).send().await.expect("feed");
        assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND, "{path}");
    }
    let r = app
        .gql_as(
            &w.partner,
            "mutation { archiveView(slug: \"lhbti-en\") { view { state } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT", "archived already");
    let r = app
        .gql("{ view(slug: \"bestaat-niet\") { slug } }", json!({}))
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
}

on_both!(a_pinned_language_wins_over_accept_language);
async fn a_pinned_language_wins_over_accept_language(app: TestApp) {
    let w = world(&app).await;
    assert!(create_view(&app, &w).await.get("errors").is_none());
    let q = "{
      view(slug: \"lhbti-en\") { initiatives(first: 1) { nodes { themes { label } } } }
      initiative(slug: \"regenboogcafe-voor-studenten\") { themes { label } }
    }";
    let r = app
        .gql_with(q, json!({}), header("accept-language", "nl-NL,nl;q=0.9"))
        .await;
    assert!(r.get("errors").is_none(), "{r:#}");
    assert_eq!(
        r["data"]["view"]["initiatives"]["nodes"][0]["themes"][0]["label"],
        "Leadership and policy"
    );
    assert_eq!(
        r["data"]["initiative"]["themes"][0]["label"], "Beleid",
        "outside the view the client's language holds"
    );
    // An explicit `lang` argument still wins.
    let query = "{
      view(slug: \"lhbti-en\") { initiatives(first: 1) { nodes { themes { label(lang: NL) } } } }
    }";
    let r = app
        .gql_with(query, json!({}), header("accept-language", "en"))
        .await;
    assert_eq!(
        r["data"]["view"]["initiatives"]["nodes"][0]["themes"][0]["label"],
        "Beleid"
    );
}
