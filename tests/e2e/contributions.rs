//! Contributions and moderation over the API: the workflow, validation, sanitising,
//! optimistic concurrency, revisions and the change log, and who may do what.

use kb_domain::{Role, Viewer};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, error_code};

struct Keys {
    editor: String,
    contributor: String,
    other: String,
    partner: String,
    org: String,
    other_org: String,
}

async fn keys(app: &TestApp) -> Keys {
    let org = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("org");
    let other = app
        .store
        .organisation_by_slug(Viewer::Editor, "universiteit-van-zilverwold")
        .await
        .expect("lookup")
        .expect("org");
    let key = |role, org| async move {
        app.store
            .create_api_key(&kb_store::Actor::cli(), "test", role, org, None)
            .await
            .expect("key")
            .secret
    };
    Keys {
        editor: key(Role::Editor, None).await,
        contributor: key(Role::Contributor, Some(org.id)).await,
        other: key(Role::Contributor, Some(other.id)).await,
        partner: key(Role::Partner, None).await,
        org: kb_domain::GlobalId::new(kb_domain::NodeKind::Organisation, org.id.0).encode(),
        other_org: kb_domain::GlobalId::new(kb_domain::NodeKind::Organisation, other.id.0).encode(),
    }
}

const CREATE: &str = "mutation($input: InitiativeInput!) {
  createInitiative(input: $input) { initiative { id slug status version title body } }
}";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $input: InitiativeInput!) {
  updateInitiative(id: $id, expectedVersion: $v, input: $input) {
    initiative { id status version title summary website }
  }
}";

fn ok(r: &Value) -> &Value {
    assert!(r.get("errors").is_none(), "unexpected errors: {r:#}");
    &r["data"]
}

async fn create(app: &TestApp, key: &str, org: &str, title: &str) -> (String, Value) {
    let vars = json!({
        "input": {
            "title": title, "kind": "GUIDE",
            "organisations": [{ "organisation": org, "role": "LEAD" }],
        },
    });
    let r = app.gql_as(key, CREATE, vars).await;
    let i = ok(&r)["createInitiative"]["initiative"].clone();
    (i["id"].as_str().expect("id").to_owned(), i)
}

async fn status_of(app: &TestApp, key: Option<&str>, id: &str) -> Value {
    let q = "query($id: ID!) {
      node(id: $id) { ... on Initiative { status version rejectionReason } }
    }";
    let r = match key {
        Some(k) => app.gql_as(k, q, json!({ "id": id })).await,
        None => app.gql(q, json!({ "id": id })).await,
    };
    ok(&r)["node"].clone()
}

on_both!(an_initiative_goes_from_draft_to_published_through_moderation);
async fn an_initiative_goes_from_draft_to_published_through_moderation(app: TestApp) {
    let k = keys(&app).await;
    let (id, created) = create(
        &app,
        &k.contributor,
        &k.org,
        "Suïcidepreventie op de campus",
    )
    .await;
    assert_eq!(created["slug"], "suicidepreventie-op-de-campus");
    assert_eq!(created["status"], "DRAFT");
    assert_eq!(created["version"], 1);
    assert_eq!(
        status_of(&app, None, &id).await,
        Value::Null,
        "drafts are not public"
    );
    assert_eq!(
        status_of(&app, Some(&k.other), &id).await,
        Value::Null,
        "nor visible to other organisations"
    );
    // Submitting an incomplete draft names the missing field.
    let r = app
        .gql_as(
            &k.contributor,
            "mutation($id: ID!) { submitInitiative(id: $id) { initiative { status } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT");
    assert_eq!(r["errors"][0]["extensions"]["field"], "input.summary");
    let vars = json!({
        "id": id, "v": 1,
        "input": {
            "summary": "Een training voor docenten en studieadviseurs.",
            "themes": ["prevention"], "topics": ["suicide_prevention"],
            "website": "https://waddenpoort.example/poortwachter",
        },
    });
    let r = app.gql_as(&k.contributor, UPDATE, vars).await;
    assert_eq!(ok(&r)["updateInitiative"]["initiative"]["version"], 2);
    let submit =
        "mutation($id: ID!) { submitInitiative(id: $id) { initiative { status version } } }";
    let r = app
        .gql_as(&k.contributor, submit, json!({ "id": id }))
        .await;
    assert_eq!(
        ok(&r)["submitInitiative"]["initiative"]["status"],
        "SUBMITTED"
    );
    // Publishing is the editors'.
    let publish =
        "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status publishedAt } } }";
    assert_eq!(
        error_code(
            &app.gql_as(&k.contributor, publish, json!({ "id": id }))
                .await
        ),
        "FORBIDDEN"
    );
    let reject = "mutation($id: ID!, $r: String!) {
      rejectInitiative(id: $id, reason: $r) { initiative { status rejectionReason } }
    }";
    let short = app
        .gql_as(&k.editor, reject, json!({ "id": id, "r": "nee" }))
        .await;
    assert_eq!(short["errors"][0]["extensions"]["field"], "reason");
    let r = app
        .gql_as(
            &k.editor,
            reject,
            json!({ "id": id, "r": "Voeg een evaluatie van de pilot toe." }),
        )
        .await;
    assert_eq!(
        ok(&r)["rejectInitiative"]["initiative"]["status"],
        "REJECTED"
    );
    let seen = status_of(&app, Some(&k.contributor), &id).await;
    assert_eq!(
        seen["rejectionReason"],
        "Voeg een evaluatie van de pilot toe."
    );
    assert_eq!(status_of(&app, None, &id).await, Value::Null);
    let r = app
        .gql_as(&k.contributor, submit, json!({ "id": id }))
        .await;
    assert_eq!(
        ok(&r)["submitInitiative"]["initiative"]["status"],
        "SUBMITTED"
    );
    let r = app.gql_as(&k.editor, publish, json!({ "id": id })).await;
    assert_eq!(
        ok(&r)["publishInitiative"]["initiative"]["status"],
        "PUBLISHED"
    );
    assert!(r["data"]["publishInitiative"]["initiative"]["publishedAt"].is_string());
    let public = status_of(&app, None, &id).await;
    assert_eq!(public["status"], "PUBLISHED");
    assert_eq!(
        public["rejectionReason"],
        Value::Null,
        "reasons are not public"
    );
    // Archive is the delete; restore brings it back as a draft.
    let archive = "mutation($id: ID!) { archiveInitiative(id: $id) { initiative { status } } }";
    let r = app.gql_as(&k.editor, archive, json!({ "id": id })).await;
    assert_eq!(
        ok(&r)["archiveInitiative"]["initiative"]["status"],
        "ARCHIVED"
    );
    assert_eq!(status_of(&app, None, &id).await, Value::Null);
    let restore = "mutation($id: ID!) { restoreInitiative(id: $id) { initiative { status } } }";
    let r = app.gql_as(&k.editor, restore, json!({ "id": id })).await;
    assert_eq!(ok(&r)["restoreInitiative"]["initiative"]["status"], "DRAFT");
    // Every step is a revision, newest first, visible to the owner and editors only.
    let revs = "query($id: ID!) {
      node(id: $id) { ... on Initiative { revisions { kind action version actor before after } } }
    }";
    let r = app.gql_as(&k.contributor, revs, json!({ "id": id })).await;
    let revisions = ok(&r)["node"]["revisions"].as_array().expect("revisions");
    let field = |name: &str| -> Vec<String> {
        revisions
            .iter()
            .map(|v| v[name].as_str().expect("a string").to_owned())
            .collect()
    };
    let kinds = [
        "RESTORE", "ARCHIVE", "PUBLISH", "SUBMIT", "REJECT", "SUBMIT", "UPDATE", "CREATE",
    ];
    assert_eq!(field("kind"), kinds);
    // The deprecated word reads the same, in lower case.
    let words: Vec<String> = kinds.iter().map(|k| k.to_lowercase()).collect();
    assert_eq!(field("action"), words);
    let first = &r["data"]["node"]["revisions"][7];
    assert_eq!(first["before"], Value::Null);
    assert_eq!(first["after"]["title"], "Suïcidepreventie op de campus");
    let update = &r["data"]["node"]["revisions"][6];
    assert_eq!(update["before"]["summary"], "");
    assert_eq!(
        update["after"]["website"],
        "https://waddenpoort.example/poortwachter"
    );
    let r = app.gql_as(&k.partner, revs, json!({ "id": id })).await;
    assert_eq!(
        ok(&r)["node"],
        Value::Null,
        "a draft again: invisible to partners"
    );
    assert!(app.store.change_log_head().await.expect("head") >= 8);
}

on_both!(two_editors_on_one_version_one_wins_and_one_conflicts);
async fn two_editors_on_one_version_one_wins_and_one_conflicts(app: TestApp) {
    let k = keys(&app).await;
    let (id, _) = create(&app, &k.editor, &k.org, "Gelijktijdig bewerkt").await;
    let a = app.gql_as(
        &k.editor,
        UPDATE,
        json!({ "id": id, "v": 1, "input": { "title": "Versie van A" } }),
    );
    let b = app.gql_as(
        &k.contributor,
        UPDATE,
        json!({ "id": id, "v": 1, "input": { "title": "Versie van B" } }),
    );
    let (a, b) = tokio::join!(a, b);
    let results = [a, b];
    let winners: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("errors").is_none())
        .collect();
    let losers: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("errors").is_some())
        .collect();
    assert_eq!(winners.len(), 1, "{results:#?}");
    assert_eq!(losers.len(), 1);
    assert_eq!(error_code(losers[0]), "CONFLICT");
    assert_eq!(losers[0]["errors"][0]["extensions"]["currentVersion"], 2);
    let title = winners[0]["data"]["updateInitiative"]["initiative"]["title"].clone();
    let now = app
        .gql_as(
            &k.editor,
            "query($id: ID!) { node(id: $id) { ... on Initiative { title version } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(now["data"]["node"]["title"], title);
    assert_eq!(now["data"]["node"]["version"], 2);
    // A stale version afterwards is refused too, and changes nothing.
    let r = app
        .gql_as(
            &k.editor,
            UPDATE,
            json!({ "id": id, "v": 1, "input": { "title": "Te laat" } }),
        )
        .await;
    assert_eq!(error_code(&r), "CONFLICT");
    let query = "query($id: ID!) {
      node(id: $id) { ... on Initiative { title version revisions { id } } }
    }";
    let again = app.gql_as(&k.editor, query, json!({ "id": id })).await;
    assert_eq!(again["data"]["node"]["title"], title);
    assert_eq!(
        again["data"]["node"]["revisions"]
            .as_array()
            .expect("revisions")
            .len(),
        2
    );
}

on_both!(bad_input_is_refused_with_its_field_and_changes_nothing);
async fn bad_input_is_refused_with_its_field_and_changes_nothing(app: TestApp) {
    let k = keys(&app).await;
    let (id, _) = create(&app, &k.contributor, &k.org, "Geldzorgen-spreekuur").await;
    for (input, field) in [
        (json!({ "title": "x".repeat(201) }), "input.title"),
        (json!({ "summary": "x".repeat(1001) }), "input.summary"),
        (json!({ "website": "javascript:alert(1)" }), "input.website"),
        (
            json!({ "website": "ftp://waddenpoort.example" }),
            "input.website",
        ),
        (
            json!({ "contactEmail": "not an address" }),
            "input.contactEmail",
        ),
        (
            json!({ "startYear": 2024, "endYear": 2020 }),
            "input.endYear",
        ),
        (json!({ "themes": ["nope"] }), "input.themes"),
        (json!({ "topics": ["nope"] }), "input.topics"),
        (json!({ "languages": ["dutch"] }), "input.languages"),
        (
            json!({ "organisations": [{ "organisation": "bad", "role": "LEAD" }] }),
            "input.organisations",
        ),
    ] {
        let r = app
            .gql_as(
                &k.contributor,
                UPDATE,
                json!({ "id": id, "v": 1, "input": input }),
            )
            .await;
        assert_eq!(error_code(&r), "BAD_USER_INPUT", "{field}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
    }
    let r = app
        .gql_as(
            &k.contributor,
            UPDATE,
            json!({ "id": id, "v": 1, "input": { "body": "x".repeat(100_001) } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "input.body");
    let now = status_of(&app, Some(&k.contributor), &id).await;
    assert_eq!(now["version"], 1, "nothing was written");
    // Rich text is sanitised on the way in.
    let body = concat!(
        "<p onclick=\"steal()\">Welkom</p><script>alert(1)</script>",
        "<a href=\"javascript:alert(1)\">x</a><img src=x onerror=alert(1)>",
    );
    let vars = json!({ "id": id, "v": 1, "input": { "body": body } });
    let r = app.gql_as(&k.contributor, UPDATE, vars).await;
    ok(&r);
    let b = app
        .gql_as(
            &k.contributor,
            "query($id: ID!) { node(id: $id) { ... on Initiative { body } } }",
            json!({ "id": id }),
        )
        .await;
    let body = b["data"]["node"]["body"]
        .as_str()
        .expect("body")
        .to_lowercase();
    assert!(body.contains("welkom"));
    for bad in ["<script", "onclick", "javascript:", "onerror"] {
        assert!(!body.contains(bad), "{bad} survived: {body}");
    }
    // The same title gets the next free slug.
    let (_, second) = create(&app, &k.contributor, &k.org, "Geldzorgen-spreekuur").await;
    assert_eq!(second["slug"], "geldzorgen-spreekuur-2");
}

on_both!(who_may_change_what);
async fn who_may_change_what(app: TestApp) {
    let k = keys(&app).await;
    let input = json!({
        "input": {
            "title": "Nieuw", "kind": "TOOL",
            "organisations": [{ "organisation": k.org, "role": "LEAD" }],
        },
    });
    assert_eq!(
        error_code(&app.gql(CREATE, input.clone()).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(
        error_code(&app.gql_as(&k.partner, CREATE, input.clone()).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&app.gql_as(&k.other, CREATE, input.clone()).await),
        "FORBIDDEN",
        "not for another organisation"
    );
    let (draft, _) = create(&app, &k.contributor, &k.org, "Concept van Waddenpoort").await;
    // Another organisation's draft does not exist for them; a published one is theirs to
    // read, not to change.
    let r = app
        .gql_as(
            &k.other,
            UPDATE,
            json!({ "id": draft, "v": 1, "input": { "title": "Overgenomen" } }),
        )
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
    let published = app
        .data(
            r#"{ initiative(slug: "buddyprogramma-eerstejaars-waddenpoort") { id version } }"#,
            json!({}),
        )
        .await;
    let pid = published["initiative"]["id"].clone();
    let pv = published["initiative"]["version"].clone();
    let r = app
        .gql_as(
            &k.other,
            UPDATE,
            json!({ "id": pid, "v": pv, "input": { "title": "Overgenomen" } }),
        )
        .await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    // A contributor cannot hand its initiative to another organisation.
    let vars = json!({
        "id": draft, "v": 1,
        "input": { "organisations": [{ "organisation": k.other_org, "role": "LEAD" }] },
    });
    let r = app.gql_as(&k.contributor, UPDATE, vars).await;
    assert_eq!(error_code(&r), "FORBIDDEN");
    // Mutations are never run over GET.
    let r = app
        .client()
        .get(app.url("/graphql"))
        .query(&[(
            "query",
            "mutation { archiveInitiative(id: \"x\") { initiative { id } } }",
        )])
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 405);
}

on_both!(links_are_added_and_removed_by_those_who_may_edit);
async fn links_are_added_and_removed_by_those_who_may_edit(app: TestApp) {
    let k = keys(&app).await;
    let (from, _) = create(&app, &k.contributor, &k.org, "Vervolg op de buddy's").await;
    let to = app
        .data(
            r#"{ initiative(slug: "buddyprogramma-eerstejaars-waddenpoort") { id } }"#,
            json!({}),
        )
        .await["initiative"]["id"]
        .clone();
    let link = "mutation($i: LinkInitiativesInput!) {
      linkInitiatives(input: $i) { from { buildsOn { slug } } to { slug } }
    }";
    let input = json!({
        "i": { "from": from, "to": to, "type": "BUILDS_ON", "note": "Bouwt voort op de koppels." },
    });
    assert_eq!(
        error_code(&app.gql_as(&k.other, link, input.clone()).await),
        "NOT_FOUND"
    );
    let r = app.gql_as(&k.contributor, link, input.clone()).await;
    assert_eq!(
        ok(&r)["linkInitiatives"]["from"]["buildsOn"],
        json!([{ "slug": "buddyprogramma-eerstejaars-waddenpoort" }])
    );
    assert_eq!(
        error_code(&app.gql_as(&k.contributor, link, input).await),
        "CONFLICT",
        "no duplicate links"
    );
    let self_link = json!({ "i": { "from": from, "to": from, "type": "RELATED_TO" } });
    assert_eq!(
        error_code(&app.gql_as(&k.contributor, link, self_link).await),
        "BAD_USER_INPUT"
    );
    // The draft's link is invisible from the published side to the public.
    let query = r#"{
      initiative(slug: "buddyprogramma-eerstejaars-waddenpoort") { builtOnBy { slug } }
    }"#;
    let public = app.data(query, json!({})).await;
    assert!(
        public["initiative"]["builtOnBy"]
            .as_array()
            .expect("list")
            .iter()
            .all(|i| i["slug"] != "vervolg-op-de-buddy-s")
    );
    let unlink = "mutation($i: UnlinkInitiativesInput!) {
      unlinkInitiatives(input: $i) { from { buildsOn { slug } } }
    }";
    let r = app
        .gql_as(
            &k.contributor,
            unlink,
            json!({ "i": { "from": from, "to": to, "type": "BUILDS_ON" } }),
        )
        .await;
    assert_eq!(ok(&r)["unlinkInitiatives"]["from"]["buildsOn"], json!([]));
    let r = app
        .gql_as(
            &k.contributor,
            unlink,
            json!({ "i": { "from": from, "to": to, "type": "BUILDS_ON" } }),
        )
        .await;
    assert_eq!(error_code(&r), "NOT_FOUND");
}

on_both!(an_editor_restores_an_earlier_revision_as_a_new_one);
async fn an_editor_restores_an_earlier_revision_as_a_new_one(app: TestApp) {
    let k = keys(&app).await;
    let (id, _) = create(&app, &k.contributor, &k.org, "Eerste titel").await;
    ok(&app
        .gql_as(
            &k.contributor,
            UPDATE,
            json!({ "id": id, "v": 1, "input": { "title": "Tweede titel" } }),
        )
        .await);
    let revs = app
        .gql_as(
            &k.editor,
            "query($id: ID!) { node(id: $id) { ... on Initiative { revisions { id action } } } }",
            json!({ "id": id }),
        )
        .await;
    let created = revs["data"]["node"]["revisions"][1]["id"]
        .as_i64()
        .expect("revision id");
    let restore = "mutation($r: Int!, $v: Int!) {
      restoreRevision(revision: $r, expectedVersion: $v) { initiative { title version } }
    }";
    assert_eq!(
        error_code(
            &app.gql_as(&k.contributor, restore, json!({ "r": created, "v": 2 }))
                .await
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app.gql_as(&k.editor, restore, json!({ "r": created, "v": 1 }))
                .await
        ),
        "CONFLICT"
    );
    let r = app
        .gql_as(&k.editor, restore, json!({ "r": created, "v": 2 }))
        .await;
    assert_eq!(
        ok(&r)["restoreRevision"]["initiative"],
        json!({ "title": "Eerste titel", "version": 3 })
    );
    let revs = app
        .gql_as(
            &k.editor,
            "query($id: ID!) { node(id: $id) { ... on Initiative { revisions { action } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        revs["data"]["node"]["revisions"]
            .as_array()
            .expect("revisions")
            .len(),
        3
    );
}
