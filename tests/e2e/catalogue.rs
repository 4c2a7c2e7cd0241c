//! Organisations (editors) and events (editors; contributors for their own events).

use kb_domain::{Role, Viewer};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, at, error_code};

async fn id_of(app: &TestApp, slug: &str) -> (kb_domain::OrganisationId, String) {
    let o = app
        .store
        .organisation_by_slug(Viewer::Editor, slug)
        .await
        .expect("lookup")
        .expect("org");
    (
        o.id,
        kb_domain::GlobalId::new(kb_domain::NodeKind::Organisation, o.id.0).encode(),
    )
}

on_both!(editors_create_change_and_archive_organisations);
async fn editors_create_change_and_archive_organisations(app: TestApp) {
    let editor = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "e", Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let (own, _) = id_of(&app, "hogeschool-waddenpoort").await;
    let contributor = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "c",
            Role::Contributor,
            Some(own),
            None,
        )
        .await
        .expect("key")
        .secret;
    let (_, network) = id_of(&app, "welzijnsnetwerk-studenten-noord").await;
    let create = "mutation($i: OrganisationInput!) {
      createOrganisation(input: $i) { organisation { id slug name kind version partOf { slug } } }
    }";
    let input = json!({
        "i": {
            "name": "Hogeschool Kwelderland", "kind": "UNIVERSITY_OF_APPLIED_SCIENCES",
            "region": "FRIESLAND", "website": "https://kwelderland.example",
            "descriptionNl": "Fictieve hogeschool.", "partOf": network,
        },
    });
    assert_eq!(
        error_code(&app.gql_as(&contributor, create, input.clone()).await),
        "FORBIDDEN"
    );
    let r = app.gql_as(&editor, create, input).await;
    let o = &r["data"]["createOrganisation"]["organisation"];
    assert_eq!(o["slug"], "hogeschool-kwelderland");
    assert_eq!(o["partOf"]["slug"], "welzijnsnetwerk-studenten-noord");
    let id = o["id"].clone();
    let update = "mutation($id: ID!, $v: Int!, $i: OrganisationInput!) {
      updateOrganisation(id: $id, expectedVersion: $v, input: $i) { organisation { name version } }
    }";
    let r = app
        .gql_as(
            &editor,
            update,
            json!({ "id": id, "v": 1, "i": { "city": "Harlingen" } }),
        )
        .await;
    assert_eq!(
        r["data"]["updateOrganisation"]["organisation"]["version"],
        2
    );
    assert_eq!(
        error_code(
            &app.gql_as(
                &editor,
                update,
                json!({ "id": id, "v": 1, "i": { "city": "Sneek" } })
            )
            .await
        ),
        "CONFLICT"
    );
    let cycle = app
        .gql_as(
            &editor,
            update,
            json!({ "id": network, "v": 1, "i": { "partOf": id } }),
        )
        .await;
    assert_eq!(
        cycle["errors"][0]["extensions"]["field"], "input.partOf",
        "{cycle}"
    );
    let bad = app
        .gql_as(
            &editor,
            update,
            json!({ "id": id, "v": 2, "i": { "email": "geen adres" } }),
        )
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["field"], "input.email");
    let archive =
        "mutation($id: ID!) { archiveOrganisation(id: $id) { organisation { version } } }";
    let r = app.gql_as(&editor, archive, json!({ "id": id })).await;
    assert_eq!(at(&r, "data.archiveOrganisation.organisation.version"), 3);
    let public = app
        .data(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        public["node"],
        Value::Null,
        "archived organisations are not public"
    );
}

on_both!(contributors_run_their_own_events_through_moderation);
async fn contributors_run_their_own_events_through_moderation(app: TestApp) {
    let editor = app
        .store
        .create_api_key(&kb_store::Actor::cli(), "e", Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let (own, own_id) = id_of(&app, "hogeschool-waddenpoort").await;
    let (other, other_id) = id_of(&app, "universiteit-van-zilverwold").await;
    let contributor = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "c",
            Role::Contributor,
            Some(own),
            None,
        )
        .await
        .expect("key")
        .secret;
    let outsider = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "o",
            Role::Contributor,
            Some(other),
            None,
        )
        .await
        .expect("key")
        .secret;
    let create = "mutation($i: EventInput!) {
      createEvent(input: $i) { event { id slug status version organisers { slug } } }
    }";
    let input = |org: &str| {
        json!({
            "i": {
                "title": "Webinar geldzorgen", "kind": "WEBINAR",
                "startsAt": "2027-02-10T15:00:00Z", "endsAt": "2027-02-10T16:00:00Z",
                "online": true, "themes": ["support"], "topics": ["financial_problems"],
                "organisers": [org],
            },
        })
    };
    assert_eq!(
        error_code(&app.gql_as(&contributor, create, input(&other_id)).await),
        "FORBIDDEN"
    );
    let reversed = json!({
        "i": {
            "title": "x", "kind": "WEBINAR", "startsAt": "2027-02-10T15:00:00Z",
            "endsAt": "2027-02-10T14:00:00Z", "organisers": [own_id],
        },
    });
    assert_eq!(
        app.gql_as(&contributor, create, reversed).await["errors"][0]["extensions"]["field"],
        "input.endsAt"
    );
    let r = app.gql_as(&contributor, create, input(&own_id)).await;
    let e = &r["data"]["createEvent"]["event"];
    assert_eq!(e["status"], "DRAFT", "{r}");
    assert_eq!(e["slug"], "webinar-geldzorgen");
    let id = e["id"].clone();
    let seen = "query($id: ID!) { node(id: $id) { ... on Event { status title } } }";
    assert_eq!(
        app.data(seen, json!({ "id": id })).await["node"],
        Value::Null
    );
    assert_eq!(
        app.gql_as(&outsider, seen, json!({ "id": id })).await["data"]["node"],
        Value::Null
    );
    let update = "mutation($id: ID!, $v: Int!, $i: EventInput!) {
      updateEvent(id: $id, expectedVersion: $v, input: $i) { event { title version } }
    }";
    assert_eq!(
        error_code(
            &app.gql_as(
                &outsider,
                update,
                json!({ "id": id, "v": 1, "i": { "title": "Gekaapt" } })
            )
            .await
        ),
        "NOT_FOUND"
    );
    let r = app
        .gql_as(
            &contributor,
            update,
            json!({ "id": id, "v": 1, "i": { "title": "Webinar: geldzorgen herkennen" } }),
        )
        .await;
    assert_eq!(r["data"]["updateEvent"]["event"]["version"], 2);
    let submit = "mutation($id: ID!) { submitEvent(id: $id) { event { status } } }";
    assert_eq!(
        app.gql_as(&contributor, submit, json!({ "id": id })).await["data"]["submitEvent"]["event"]
            ["status"],
        "SUBMITTED"
    );
    let publish = "mutation($id: ID!) { publishEvent(id: $id) { event { status } } }";
    assert_eq!(
        error_code(&app.gql_as(&contributor, publish, json!({ "id": id })).await),
        "FORBIDDEN"
    );
    let r = app.gql_as(&editor, publish, json!({ "id": id })).await;
    assert_eq!(at(&r, "data.publishEvent.event.status"), "PUBLISHED");
    assert_eq!(
        app.data(seen, json!({ "id": id })).await["node"]["title"],
        "Webinar: geldzorgen herkennen"
    );
    let archive = "mutation($id: ID!) { archiveEvent(id: $id) { event { status } } }";
    assert_eq!(
        error_code(&app.gql_as(&contributor, archive, json!({ "id": id })).await),
        "FORBIDDEN"
    );
    let r = app.gql_as(&editor, archive, json!({ "id": id })).await;
    assert_eq!(at(&r, "data.archiveEvent.event.status"), "ARCHIVED");
    assert_eq!(
        app.data(seen, json!({ "id": id })).await["node"],
        Value::Null
    );
}
