//! The visibility table: every read path × every role × every status, and every
//! mutation × every role. Anonymous readers and partners see PUBLISHED only;
//! contributors also their own organisation's work; editors and admins everything.

use std::collections::BTreeSet;

use kb_domain::input::{EventInput, InitiativeInput};
use kb_domain::workflow::Action;
use kb_domain::{
    GlobalId, InitiativeKind, NodeKind, OrganisationRole, Region, Role, Status, Viewer, Vocabulary,
};
use kb_store::Actor;
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, error_code};

const ROLES: [&str; 6] = [
    "anonymous",
    "partner",
    "owner",
    "outsider",
    "editor",
    "admin",
];
const STATUSES: [Status; 5] = [
    Status::Draft,
    Status::Submitted,
    Status::Published,
    Status::Rejected,
    Status::Archived,
];

struct World {
    keys: Vec<(&'static str, Option<String>)>,
    /// Initiative global ids per status.
    initiatives: Vec<(Status, String)>,
    /// Event global ids per status.
    events: Vec<(Status, String)>,
    owner_org: String,
    hub_event: String,
    anchor: String,
}

fn marker(s: Status) -> String {
    format!("Matrix {}", s.code())
}

fn event_marker(s: Status) -> String {
    format!("Matrixevent {}", s.code())
}

fn gid(kind: NodeKind, id: i64) -> String {
    GlobalId::new(kind, id).encode()
}

/// The path from DRAFT to each status.
fn path(s: Status) -> Vec<Action> {
    match s {
        Status::Draft => vec![],
        Status::Submitted => vec![Action::Submit],
        Status::Published => vec![Action::Submit, Action::Publish],
        Status::Rejected => vec![Action::Submit, Action::Reject],
        Status::Archived => vec![Action::Archive],
    }
}

async fn world(app: &TestApp) -> World {
    let owner = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("q")
        .expect("org");
    let outsider = app
        .store
        .organisation_by_slug(Viewer::Editor, "universiteit-van-zilverwold")
        .await
        .expect("q")
        .expect("org");
    let key = |role, org| async move {
        Some(
            app.store
                .create_api_key("matrix", role, org, None)
                .await
                .expect("key")
                .secret,
        )
    };
    let keys = vec![
        ("anonymous", None),
        ("partner", key(Role::Partner, None).await),
        ("owner", key(Role::Contributor, Some(owner.id)).await),
        ("outsider", key(Role::Contributor, Some(outsider.id)).await),
        ("editor", key(Role::Editor, None).await),
        ("admin", key(Role::Admin, None).await),
    ];
    let editor = Actor {
        viewer: Viewer::Editor,
        key_id: None,
        name: "matrix".into(),
    };
    let anchor = app
        .store
        .initiative_by_slug(Viewer::Editor, "buddyprogramma-eerstejaars-waddenpoort")
        .await
        .expect("q")
        .expect("anchor");
    let mut initiatives = Vec::new();
    for s in STATUSES {
        let input = InitiativeInput {
            title: Some(marker(s)),
            summary: Some("Een initiatief in de zichtbaarheidstabel.".into()),
            kind: Some(InitiativeKind::Campaign),
            region: Some(Region::Zeeland),
            themes: Some(vec!["policy".into()]),
            topics: Some(vec!["resilience".into()]),
            organisations: Some(vec![(owner.id, OrganisationRole::Lead)]),
            ..Default::default()
        };
        let i = app
            .store
            .create_initiative(&editor, input)
            .await
            .expect("create");
        for a in path(s) {
            let reason =
                (a == Action::Reject).then(|| "Onvoldoende onderbouwd voor publicatie.".to_owned());
            app.store
                .transition_initiative(&editor, i.id, a, None, reason)
                .await
                .expect("transition");
        }
        app.store
            .link_initiatives(
                &editor,
                i.id,
                anchor.id,
                kb_domain::LinkType::BuildsOn,
                None,
            )
            .await
            .expect("link out");
        app.store
            .link_initiatives(
                &editor,
                anchor.id,
                i.id,
                kb_domain::LinkType::InspiredBy,
                None,
            )
            .await
            .expect("link in");
        initiatives.push((s, gid(NodeKind::Initiative, i.id)));
    }
    let at = |d| {
        chrono::DateTime::parse_from_rfc3339(d)
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok()
    };
    let hub = EventInput {
        title: Some("Matrixhub".into()),
        kind: Some(kb_domain::EventKind::Webinar),
        starts_at: at("2027-03-01T10:00:00Z"),
        ends_at: at("2027-03-01T11:00:00Z"),
        organisers: Some(vec![owner.id]),
        themes: Some(vec!["policy".into()]),
        initiatives: Some(
            initiatives
                .iter()
                .map(|(_, id)| GlobalId::decode("id", id).expect("id").id)
                .collect(),
        ),
        ..Default::default()
    };
    let hub = app.store.create_event(&editor, hub).await.expect("hub");
    app.store
        .transition_event(&editor, hub.id, Action::Publish, None)
        .await
        .expect("publish hub");
    let mut events = Vec::new();
    for s in STATUSES {
        let e = EventInput {
            title: Some(event_marker(s)),
            kind: Some(kb_domain::EventKind::Masterclass),
            starts_at: at("2027-04-01T10:00:00Z"),
            ends_at: at("2027-04-01T12:00:00Z"),
            organisers: Some(vec![owner.id]),
            themes: Some(vec!["policy".into()]),
            topics: Some(vec!["resilience".into()]),
            initiatives: Some(vec![anchor.id]),
            ..Default::default()
        };
        let e = app.store.create_event(&editor, e).await.expect("event");
        for a in path(s) {
            app.store
                .transition_event(&editor, e.id, a, None)
                .await
                .expect("transition");
        }
        events.push((s, gid(NodeKind::Event, e.id)));
    }
    World {
        keys,
        initiatives,
        events,
        owner_org: gid(NodeKind::Organisation, owner.id),
        hub_event: gid(NodeKind::Event, hub.id),
        anchor: gid(NodeKind::Initiative, anchor.id),
    }
}

fn expected(role: &str) -> BTreeSet<Status> {
    match role {
        "owner" | "editor" | "admin" => STATUSES.into_iter().collect(),
        _ => [Status::Published].into_iter().collect(),
    }
}

/// The statuses whose marker appears in a response.
fn seen(response: &Value, mark: fn(Status) -> String) -> BTreeSet<Status> {
    assert!(response.get("errors").is_none(), "{response}");
    let text = response.to_string();
    STATUSES
        .into_iter()
        .filter(|s| text.contains(&format!("\"{}\"", mark(*s))))
        .collect()
}

async fn ask(app: &TestApp, key: &Option<String>, q: &str, vars: Value) -> Value {
    match key {
        Some(k) => app.gql_as(k, q, vars).await,
        None => app.gql(q, vars).await,
    }
}

on_both!(
    async fn every_read_path_shows_each_role_exactly_what_it_may_see(app) {
        let w = world(&app).await;
        let all_ids: Vec<&String> = w.initiatives.iter().map(|(_, id)| id).collect();
        let event_ids: Vec<&String> = w.events.iter().map(|(_, id)| id).collect();
        let all = json!(["DRAFT", "SUBMITTED", "PUBLISHED", "REJECTED", "ARCHIVED"]);
        let initiative_paths: Vec<(&str, &str, Value)> = vec![
            ("node", "query($ids: [ID!]!) { a: node(id: \"x\") { id } }", json!({})),
            ("nodes", "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Initiative { title } } }", json!({ "ids": all_ids })),
            ("initiatives", "query($s: [InitiativeStatus!]) { initiatives(first: 100, filter: { regions: [ZEELAND], statuses: $s }) { nodes { title } } }", json!({ "s": all })),
            ("theme.initiatives", "{ theme(code: \"policy\") { initiatives(first: 100) { nodes { title } } } }", json!({})),
            ("topic.initiatives", "{ topic(code: \"resilience\") { initiatives(first: 100) { nodes { title } } } }", json!({})),
            ("organisation.initiatives", "query($o: ID!) { node(id: $o) { ... on Organisation { initiatives(first: 100) { nodes { title } } } } }", json!({ "o": w.owner_org })),
            ("event.initiatives", "query($e: ID!) { node(id: $e) { ... on Event { initiatives(first: 100) { nodes { title } } } } }", json!({ "e": w.hub_event })),
            ("builtOnBy", "query($a: ID!) { node(id: $a) { ... on Initiative { builtOnBy { title } } } }", json!({ "a": w.anchor })),
            ("inspiredBy", "query($a: ID!) { node(id: $a) { ... on Initiative { inspiredBy { title } } } }", json!({ "a": w.anchor })),
            ("_entities", "query($r: [_Any!]!) { _entities(representations: $r) { ... on Initiative { title } } }",
                json!({ "r": all_ids.iter().map(|id| json!({ "__typename": "Initiative", "id": id })).collect::<Vec<_>>() })),
        ];
        for (role, key) in &w.keys {
            let want = expected(role);
            for (name, q, vars) in &initiative_paths {
                if *name == "node" {
                    // One lookup per status, by id and by the `initiative` field.
                    let mut got = BTreeSet::new();
                    for (s, id) in &w.initiatives {
                        let r = ask(&app, key, "query($id: ID!) { node(id: $id) { ... on Initiative { title } } initiative(id: $id) { title } }", json!({ "id": id })).await;
                        got.extend(seen(&r, marker));
                        let visible = r["data"]["node"] != Value::Null;
                        assert_eq!(visible, want.contains(s), "{role} node {s:?}");
                        assert_eq!(r["data"]["initiative"] != Value::Null, visible, "{role} initiative(id) {s:?}");
                    }
                    assert_eq!(got, want, "{role}: node");
                    continue;
                }
                let r = ask(&app, key, q, vars.clone()).await;
                assert_eq!(seen(&r, marker), want, "{role}: {name}");
            }
            // Counts and facets count exactly the visible ones.
            let r = ask(&app, key, "query($s: [InitiativeStatus!]) { initiatives(filter: { regions: [ZEELAND], kinds: [CAMPAIGN], statuses: $s }) { totalCount facets { kinds { value count } regions { value count } themes { value { code } count } } } }", json!({ "s": all })).await;
            let n = want.len();
            let demo_zeeland_campaigns = {
                let r = app.gql("{ initiatives(filter: { regions: [ZEELAND], kinds: [CAMPAIGN] }) { totalCount } }", json!({})).await;
                r["data"]["initiatives"]["totalCount"].as_u64().expect("n") as usize - 1
            };
            assert_eq!(r["data"]["initiatives"]["totalCount"], n + demo_zeeland_campaigns, "{role}: totalCount");
            assert_eq!(r["data"]["initiatives"]["facets"]["kinds"][0]["count"], n + demo_zeeland_campaigns, "{role}: facets");
            // Events: node, lists, organisation.events, theme.events, topic.events.
            let event_paths = [
                ("events", "{ events(first: 100, filter: { kinds: [MASTERCLASS] }) { nodes { title } } }".to_owned(), json!({})),
                ("organisation.events", "query($o: ID!) { node(id: $o) { ... on Organisation { events(first: 100) { nodes { title } } } } }".to_owned(), json!({ "o": w.owner_org })),
                ("theme.events", "{ theme(code: \"policy\") { events(first: 100) { nodes { title } } } }".to_owned(), json!({})),
                ("topic.events", "{ topic(code: \"resilience\") { events(first: 100) { nodes { title } } } }".to_owned(), json!({})),
                ("initiative.events", "query($a: ID!) { node(id: $a) { ... on Initiative { events(first: 100) { nodes { title } } } } }".to_owned(), json!({ "a": w.anchor })),
                ("nodes", "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Event { title } } }".to_owned(), json!({ "ids": event_ids })),
                ("_entities", "query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { title } } }".to_owned(),
                    json!({ "r": event_ids.iter().map(|id| json!({ "__typename": "Event", "id": id })).collect::<Vec<_>>() })),
            ];
            for (name, q, vars) in &event_paths {
                let r = ask(&app, key, q, vars.clone()).await;
                assert_eq!(seen(&r, event_marker), want, "{role}: {name}");
            }
            // Rejection reasons and revisions follow the same rule, narrowed to owners.
            let rejected = &w.initiatives.iter().find(|(s, _)| *s == Status::Rejected).expect("rejected").1;
            let r = ask(&app, key, "query($id: ID!) { node(id: $id) { ... on Initiative { rejectionReason revisions { action } } } }", json!({ "id": rejected })).await;
            let sees = want.contains(&Status::Rejected);
            assert_eq!(r["data"]["node"]["rejectionReason"].is_string(), sees, "{role}: rejectionReason");
            assert_eq!(r["data"]["node"]["revisions"].is_array(), sees, "{role}: revisions");
            let published = &w.initiatives.iter().find(|(s, _)| *s == Status::Published).expect("published").1;
            let r = ask(&app, key, "query($id: ID!) { node(id: $id) { ... on Initiative { revisions { action } } } }", json!({ "id": published })).await;
            let owner_or_editor = matches!(*role, "owner" | "editor" | "admin");
            assert_eq!(r["data"]["node"]["revisions"].is_array(), owner_or_editor, "{role}: revisions of a published initiative");
        }
    }
);

/// What each role gets from each mutation: `None` is success, else the error code.
type Row = (&'static str, [Option<&'static str>; 6]);

const OK: Option<&str> = None;
const UNAUTH: Option<&str> = Some("UNAUTHENTICATED");
const FORBID: Option<&str> = Some("FORBIDDEN");
const MISSING: Option<&str> = Some("NOT_FOUND");

//                 anonymous  partner  owner    outsider  editor  admin
const MUTATIONS: [Row; 12] = [
    ("createInitiative", [UNAUTH, FORBID, OK, FORBID, OK, OK]),
    ("updateInitiative", [UNAUTH, FORBID, OK, MISSING, OK, OK]),
    ("submitInitiative", [UNAUTH, FORBID, OK, MISSING, OK, OK]),
    ("withdrawInitiative", [UNAUTH, FORBID, OK, MISSING, OK, OK]),
    (
        "publishInitiative",
        [UNAUTH, FORBID, FORBID, MISSING, OK, OK],
    ),
    (
        "rejectInitiative",
        [UNAUTH, FORBID, FORBID, MISSING, OK, OK],
    ),
    // A published initiative is visible to all: outsiders are refused, not misled.
    (
        "archiveInitiative",
        [UNAUTH, FORBID, FORBID, FORBID, OK, OK],
    ),
    (
        "restoreInitiative",
        [UNAUTH, FORBID, FORBID, MISSING, OK, OK],
    ),
    ("linkInitiatives", [UNAUTH, FORBID, OK, MISSING, OK, OK]),
    ("createEvent", [UNAUTH, FORBID, OK, FORBID, OK, OK]),
    (
        "createOrganisation",
        [UNAUTH, FORBID, FORBID, FORBID, OK, OK],
    ),
    ("createApiKey", [UNAUTH, FORBID, FORBID, FORBID, FORBID, OK]),
];

on_both!(
    async fn every_mutation_is_allowed_or_refused_per_role(app) {
        let w = world(&app).await;
        let editor = Actor { viewer: Viewer::Editor, key_id: None, name: "matrix".into() };
        let owner_id = GlobalId::decode("o", &w.owner_org).expect("org").id;
        for (mutation, outcomes) in MUTATIONS {
            for (i, role) in ROLES.iter().enumerate() {
                let key = &w.keys[i].1;
                // A fresh initiative in the status this mutation starts from.
                let from = match mutation {
                    "withdrawInitiative" | "publishInitiative" | "rejectInitiative" => Status::Submitted,
                    "archiveInitiative" => Status::Published,
                    "restoreInitiative" => Status::Archived,
                    _ => Status::Draft,
                };
                let input = InitiativeInput {
                    title: Some(format!("{mutation} {role}")),
                    summary: Some("Tabeltest.".into()),
                    kind: Some(InitiativeKind::Tool),
                    themes: Some(vec!["support".into()]),
                    topics: Some(vec!["resilience".into()]),
                    organisations: Some(vec![(owner_id, OrganisationRole::Lead)]),
                    ..Default::default()
                };
                let target = app.store.create_initiative(&editor, input).await.expect("target");
                for a in path(from) {
                    app.store.transition_initiative(&editor, target.id, a, None, None).await.expect("prepare");
                }
                let id = gid(NodeKind::Initiative, target.id);
                let (q, vars) = match mutation {
                    "createInitiative" => ("mutation($o: ID!) { createInitiative(input: { title: \"Nieuw\", kind: TOOL, organisations: [{ organisation: $o, role: LEAD }] }) { initiative { id } } }".to_owned(), json!({ "o": w.owner_org })),
                    "updateInitiative" => ("mutation($id: ID!) { updateInitiative(id: $id, expectedVersion: 1, input: { title: \"Anders\" }) { initiative { id } } }".to_owned(), json!({ "id": id })),
                    "rejectInitiative" => ("mutation($id: ID!) { rejectInitiative(id: $id, reason: \"Graag een evaluatie toevoegen.\") { initiative { id } } }".to_owned(), json!({ "id": id })),
                    "linkInitiatives" => ("mutation($id: ID!, $to: ID!) { linkInitiatives(input: { from: $id, to: $to, type: RELATED_TO }) { from { id } } }".to_owned(), json!({ "id": id, "to": w.anchor })),
                    "createEvent" => ("mutation($o: ID!) { createEvent(input: { title: \"Tabel\", kind: WEBINAR, startsAt: \"2027-01-01T10:00:00Z\", endsAt: \"2027-01-01T11:00:00Z\", organisers: [$o] }) { event { id } } }".to_owned(), json!({ "o": w.owner_org })),
                    "createOrganisation" => ("mutation { createOrganisation(input: { name: \"Tabelorganisatie\", kind: OTHER }) { organisation { id } } }".to_owned(), json!({})),
                    "createApiKey" => ("mutation { createApiKey(input: { name: \"tabel\", role: PARTNER }) { secret } }".to_owned(), json!({})),
                    m => (format!("mutation($id: ID!) {{ {m}(id: $id) {{ initiative {{ id }} }} }}"), json!({ "id": id })),
                };
                let r = ask(&app, key, &q, vars).await;
                match outcomes[i] {
                    None => assert!(r.get("errors").is_none(), "{mutation} as {role}: {r}"),
                    Some(code) => assert_eq!(error_code(&r), code, "{mutation} as {role}: {r}"),
                }
                if outcomes[i].is_some() {
                    let now = app.store.initiatives_by_ids(Viewer::Editor, &[target.id]).await.expect("q");
                    assert_eq!(now[0].status, from, "{mutation} as {role} changed nothing");
                    assert_eq!(now[0].version, target.version + path(from).len() as i32, "{mutation} as {role}: version");
                }
            }
        }
    }
);
