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
pub(crate) const STATUSES: [Status; 5] = [
    Status::Draft,
    Status::Submitted,
    Status::Published,
    Status::Rejected,
    Status::Archived,
];

pub(crate) struct World {
    keys: Vec<(&'static str, Option<String>)>,
    /// Initiative global ids per status.
    pub(crate) initiatives: Vec<(Status, String)>,
    /// Event global ids per status.
    pub(crate) events: Vec<(Status, String)>,
    owner_org: String,
    hub_event: String,
    anchor: String,
}

fn organisation_marker(s: Status) -> String {
    format!("Matrixorg {}", s.code())
}

pub(crate) fn marker(s: Status) -> String {
    format!("Matrix {}", s.code())
}

pub(crate) fn event_marker(s: Status) -> String {
    format!("Matrixevent {}", s.code())
}

fn gid<T: kb_domain::NodeId>(kind: NodeKind, id: T) -> String {
    assert_eq!(kind, T::KIND);
    id.global().encode()
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

pub(crate) async fn world(app: &TestApp) -> World {
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
                .create_api_key(&kb_store::Actor::cli(), "matrix", role, org, None)
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
        account_id: None,
        name: "matrix".into(),
    };
    let anchor = app
        .store
        .initiatives_by_slugs(
            Viewer::Editor,
            &["buddyprogramma-eerstejaars-waddenpoort".into()],
        )
        .await
        .expect("q")
        .pop()
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
                .map(|(_, id)| kb_domain::InitiativeId(GlobalId::decode("id", id).expect("id").id))
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
    // Organisations are published when created, and may be archived.
    for s in [Status::Published, Status::Archived] {
        let o = app
            .store
            .create_organisation(
                &editor,
                kb_domain::input::OrganisationInput {
                    name: Some(organisation_marker(s)),
                    kind: Some(kb_domain::OrganisationKind::Network),
                    ..Default::default()
                },
            )
            .await
            .expect("organisation");
        if s == Status::Archived {
            app.store
                .archive_organisation(&editor, o.id, None)
                .await
                .expect("archive");
        }
    }
    // A saved view over the owner's initiatives: it shows the published ones to everyone,
    // whoever reads it, and the coming events featuring them.
    app.store
        .create_view(
            &kb_store::Actor::cli(),
            kb_domain::view::ViewInput {
                slug: Some("matrix".into()),
                title: Some("Matrixview".into()),
                filter: Some(kb_domain::InitiativeFilter {
                    organisations: vec![owner.id],
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await
        .expect("view");
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

on_both!(every_read_path_shows_each_role_exactly_what_it_may_see);
async fn every_read_path_shows_each_role_exactly_what_it_may_see(app: TestApp) {
    let w = world(&app).await;
    app.caught_up().await;
    let all_ids: Vec<&String> = w.initiatives.iter().map(|(_, id)| id).collect();
    let event_ids: Vec<&String> = w.events.iter().map(|(_, id)| id).collect();
    let all = json!(["DRAFT", "SUBMITTED", "PUBLISHED", "REJECTED", "ARCHIVED"]);
    // A path from the anchor to each initiative of the table.
    let path_to = |k: usize| {
        format!(
            "p{k}: path(from: $a, to: \"{}\", edgeTypes: [BUILDS_ON]) {{ \
             nodes {{ node {{ ... on Initiative {{ title }} }} }} }}",
            w.initiatives[k].1
        )
    };
    let paths = format!(
        "query($a: ID!) {{ analytics {{ {} }} }}",
        (0..STATUSES.len())
            .map(path_to)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let initiative_refs: Vec<Value> = all_ids
        .iter()
        .map(|id| json!({ "__typename": "Initiative", "id": id }))
        .collect();
    let event_refs: Vec<Value> = event_ids
        .iter()
        .map(|id| json!({ "__typename": "Event", "id": id }))
        .collect();
    let initiative_paths: Vec<(&str, &str, Value)> = vec![
        (
            "node",
            "query($ids: [ID!]!) { a: node(id: \"x\") { id } }",
            json!({}),
        ),
        (
            "nodes",
            "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Initiative { title } } }",
            json!({ "ids": all_ids }),
        ),
        (
            "initiatives",
            "query($s: [InitiativeStatus!]) {
              initiatives(first: 100, filter: { regions: [ZEELAND], statuses: $s }) {
                nodes { title }
              }
            }",
            json!({ "s": all }),
        ),
        (
            "theme.initiatives",
            "{ theme(code: \"policy\") { initiatives(first: 100) { nodes { title } } } }",
            json!({}),
        ),
        (
            "topic.initiatives",
            "{ topic(code: \"resilience\") { initiatives(first: 100) { nodes { title } } } }",
            json!({}),
        ),
        (
            "organisation.initiatives",
            "query($o: ID!) {
              node(id: $o) { ... on Organisation { initiatives(first: 100) { nodes { title } } } }
            }",
            json!({ "o": w.owner_org }),
        ),
        (
            "event.initiatives",
            "query($e: ID!) {
              node(id: $e) { ... on Event { initiatives(first: 100) { nodes { title } } } }
            }",
            json!({ "e": w.hub_event }),
        ),
        (
            "builtOnBy",
            "query($a: ID!) { node(id: $a) { ... on Initiative { builtOnBy { title } } } }",
            json!({ "a": w.anchor }),
        ),
        (
            "inspiredBy",
            "query($a: ID!) { node(id: $a) { ... on Initiative { inspiredBy { title } } } }",
            json!({ "a": w.anchor }),
        ),
        (
            "search",
            "query($s: [InitiativeStatus!]) {
              search(query: \"matrix\", first: 100, filter: { statuses: $s }) {
                nodes { initiative { title } }
              }
            }",
            json!({ "s": all }),
        ),
        (
            "search in a region",
            "query($s: [InitiativeStatus!]) {
              search(query: \"matrix\", filter: { statuses: $s, regions: [ZEELAND] }) {
                nodes { initiative { title } }
              }
            }",
            json!({ "s": all }),
        ),
        (
            "suggest",
            "{ suggest(prefix: \"matrix\", first: 20) { text } }",
            json!({}),
        ),
        (
            "related",
            "query($a: ID!) {
              node(id: $a) { ... on Initiative { related(first: 50) { initiative { title } } } }
            }",
            json!({ "a": w.anchor }),
        ),
        (
            "lineage up",
            "query($a: ID!) {
              node(id: $a) {
                ... on Initiative { lineage(direction: UP) { initiative { title } path { title } } }
              }
            }",
            json!({ "a": w.anchor }),
        ),
        (
            "lineage down",
            "query($a: ID!) {
              node(id: $a) {
                ... on Initiative {
                  lineage(direction: DOWN) { initiative { title } path { title } }
                }
              }
            }",
            json!({ "a": w.anchor }),
        ),
        (
            "_entities",
            "query($r: [_Any!]!) {
              _entities(representations: $r) { ... on Initiative { title } }
            }",
            json!({ "r": initiative_refs }),
        ),
        (
            "analytics.neighbourhood",
            "query($a: ID!) {
              analytics {
                neighbourhood(id: $a, edgeTypes: [BUILDS_ON, INSPIRED_BY]) {
                  nodes { node { ... on Initiative { title } } }
                }
              }
            }",
            json!({ "a": w.anchor }),
        ),
        ("analytics.path", &paths, json!({ "a": w.anchor })),
        (
            "analytics.centrality",
            "{
              analytics {
                centrality(
                  nodeType: INITIATIVE, measure: DEGREE,
                  edgeTypes: [BUILDS_ON, INSPIRED_BY, RELATED_TO], first: 100
                ) {
                  node { ... on Initiative { title } }
                }
              }
            }",
            json!({}),
        ),
    ];
    // The slug of each, as an editor sees it.
    let mut slugs = Vec::new();
    for (_, id) in &w.initiatives {
        let r = ask(
            &app,
            &w.keys[4].1,
            "query($id: ID!) { node(id: $id) { ... on Initiative { slug } } }",
            json!({ "id": id }),
        )
        .await;
        slugs.push(r["data"]["node"]["slug"].as_str().expect("slug").to_owned());
    }
    // Every role twice: from the most privileged to the public and back, so answers
    // kept for the published view are asked for after every other role's readings
    // and before them; none may show more or less than the role may see.
    for (role, key) in w.keys.iter().rev().chain(w.keys.iter()) {
        let want = expected(role);
        for (name, q, vars) in &initiative_paths {
            if *name == "node" {
                // One lookup per status, by id and by the `initiative` field.
                let mut got = BTreeSet::new();
                for ((s, id), slug) in w.initiatives.iter().zip(&slugs) {
                    let query = "query($id: ID!, $slug: String!) {
                      node(id: $id) { ... on Initiative { title } } initiative(id: $id) { title }
                      bySlug: initiative(slug: $slug) { title }
                    }";
                    let r = ask(&app, key, query, json!({ "id": id, "slug": slug })).await;
                    got.extend(seen(&r, marker));
                    let visible = r["data"]["node"] != Value::Null;
                    assert_eq!(visible, want.contains(s), "{role} node {s:?}");
                    assert_eq!(
                        r["data"]["initiative"] != Value::Null,
                        visible,
                        "{role} initiative(id) {s:?}"
                    );
                    assert_eq!(
                        r["data"]["bySlug"] != Value::Null,
                        visible,
                        "{role} initiative(slug) {s:?}"
                    );
                }
                assert_eq!(got, want, "{role}: node");
                continue;
            }
            let r = ask(&app, key, q, vars.clone()).await;
            assert_eq!(seen(&r, marker), want, "{role}: {name}");
        }
        // Counts and facets count exactly the visible ones.
        let query = "query($s: [InitiativeStatus!]) {
          initiatives(filter: { regions: [ZEELAND], kinds: [CAMPAIGN], statuses: $s }) {
            totalCount
            facets { kinds { value count } regions { value count } themes { value { code } count } }
          }
        }";
        let r = ask(&app, key, query, json!({ "s": all })).await;
        let n = want.len();
        let demo_zeeland_campaigns = {
            let query = "{
              initiatives(filter: { regions: [ZEELAND], kinds: [CAMPAIGN] }) { totalCount }
            }";
            let r = app.gql(query, json!({})).await;
            r["data"]["initiatives"]["totalCount"].as_u64().expect("n") as usize - 1
        };
        assert_eq!(
            r["data"]["initiatives"]["totalCount"],
            n + demo_zeeland_campaigns,
            "{role}: totalCount"
        );
        assert_eq!(
            r["data"]["initiatives"]["facets"]["kinds"][0]["count"],
            n + demo_zeeland_campaigns,
            "{role}: facets"
        );
        let query = "query($s: [InitiativeStatus!]) {
          analytics {
            cooccurrence(
              rows: KIND, columns: REGION,
              filter: { regions: [ZEELAND], kinds: [CAMPAIGN], statuses: $s }
            ) {
              population cells { count }
            }
          }
        }";
        let r = ask(&app, key, query, json!({ "s": all })).await;
        let t = &r["data"]["analytics"]["cooccurrence"];
        assert_eq!(
            t["population"],
            n + demo_zeeland_campaigns,
            "{role}: analytics.cooccurrence"
        );
        assert_eq!(
            t["cells"][0]["count"],
            n + demo_zeeland_campaigns,
            "{role}: analytics.cooccurrence cell"
        );
        // Events: node, lists, organisation.events, theme.events, topic.events.
        let event_paths = [
            (
                "events",
                "{ events(first: 100, filter: { kinds: [MASTERCLASS] }) { nodes { title } } }",
                json!({}),
            ),
            (
                "organisation.events",
                "query($o: ID!) {
                  node(id: $o) { ... on Organisation { events(first: 100) { nodes { title } } } }
                }",
                json!({ "o": w.owner_org }),
            ),
            (
                "theme.events",
                "{ theme(code: \"policy\") { events(first: 100) { nodes { title } } } }",
                json!({}),
            ),
            (
                "topic.events",
                "{ topic(code: \"resilience\") { events(first: 100) { nodes { title } } } }",
                json!({}),
            ),
            (
                "analytics.neighbourhood",
                "query($o: ID!) {
                  analytics {
                    neighbourhood(id: $o, edgeTypes: [ORGANISED_BY]) {
                      nodes { node { ... on Event { title } } }
                    }
                  }
                }",
                json!({ "o": w.owner_org }),
            ),
            (
                "initiative.events",
                "query($a: ID!) {
                  node(id: $a) { ... on Initiative { events(first: 100) { nodes { title } } } }
                }",
                json!({ "a": w.anchor }),
            ),
            (
                "nodes",
                "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Event { title } } }",
                json!({ "ids": event_ids }),
            ),
            (
                "searchEvents",
                "{
                  searchEvents(query: \"matrixevent\", first: 100) {
                    totalCount nodes { event { title } snippet { title } }
                  }
                }",
                json!({}),
            ),
            (
                "_entities",
                "query($r: [_Any!]!) { _entities(representations: $r) { ... on Event { title } } }",
                json!({ "r": event_refs }),
            ),
        ];
        for (name, q, vars) in &event_paths {
            let r = ask(&app, key, q, vars.clone()).await;
            assert_eq!(seen(&r, event_marker), want, "{role}: {name}");
        }
        // A saved view and its events show the published knowledge bank to every role.
        let published: BTreeSet<Status> = [Status::Published].into();
        let query = "{
          view(slug: \"matrix\") {
            initiatives(first: 100) { totalCount nodes { title } facets { kinds { value count } } }
            events(first: 100) { totalCount nodes { title } }
          }
        }";
        let r = ask(&app, key, query, json!({})).await;
        assert_eq!(seen(&r, marker), published, "{role}: view.initiatives");
        assert_eq!(seen(&r, event_marker), published, "{role}: view.events");
        // Organisations: published ones for all, archived ones for editors.
        let query = "{
          searchOrganisations(query: \"matrixorg\", first: 100) {
            totalCount nodes { organisation { name } }
          }
        }";
        let r = ask(&app, key, query, json!({})).await;
        let orgs_want: BTreeSet<Status> = if matches!(*role, "editor" | "admin") {
            [Status::Published, Status::Archived].into()
        } else {
            [Status::Published].into()
        };
        assert_eq!(
            seen(&r, organisation_marker),
            orgs_want,
            "{role}: searchOrganisations"
        );
        assert_eq!(
            r["data"]["searchOrganisations"]["totalCount"],
            orgs_want.len(),
            "{role}: searchOrganisations totalCount"
        );
        let r = ask(
            &app,
            key,
            "{ searchEvents(query: \"matrixevent\") { totalCount } }",
            json!({}),
        )
        .await;
        assert_eq!(
            r["data"]["searchEvents"]["totalCount"],
            want.len(),
            "{role}: searchEvents totalCount"
        );
        // Rejection reasons and revisions follow the same rule, narrowed to owners.
        let rejected = &w
            .initiatives
            .iter()
            .find(|(s, _)| *s == Status::Rejected)
            .expect("rejected")
            .1;
        let query = "query($id: ID!) {
          node(id: $id) { ... on Initiative { rejectionReason revisions { action } } }
        }";
        let r = ask(&app, key, query, json!({ "id": rejected })).await;
        let sees = want.contains(&Status::Rejected);
        assert_eq!(
            r["data"]["node"]["rejectionReason"].is_string(),
            sees,
            "{role}: rejectionReason"
        );
        assert_eq!(
            r["data"]["node"]["revisions"].is_array(),
            sees,
            "{role}: revisions"
        );
        let published = &w
            .initiatives
            .iter()
            .find(|(s, _)| *s == Status::Published)
            .expect("published")
            .1;
        let r = ask(
            &app,
            key,
            "query($id: ID!) { node(id: $id) { ... on Initiative { revisions { action } lastChange { actor } } } }",
            json!({ "id": published }),
        )
        .await;
        let owner_or_editor = matches!(*role, "owner" | "editor" | "admin");
        assert_eq!(
            r["data"]["node"]["revisions"].is_array(),
            owner_or_editor,
            "{role}: revisions of a published initiative"
        );
        // Who changed it last follows the history's rule.
        assert_eq!(
            r["data"]["node"]["lastChange"]["actor"].as_str(),
            owner_or_editor.then_some("matrix"),
            "{role}: lastChange of a published initiative"
        );
    }
    // The feeds read as the public: published initiatives and events only.
    let published: BTreeSet<Status> = [Status::Published].into();
    for (path, mark) in [
        ("/feeds/initiatives.atom", marker as fn(Status) -> String),
        ("/feeds/views/matrix.atom", marker),
        ("/feeds/events.ics", event_marker),
        ("/feeds/views/matrix.ics", event_marker),
    ] {
        let r = app.client().get(app.url(path)).send().await.expect("feed");
        assert_eq!(r.status(), reqwest::StatusCode::OK, "{path}");
        let text = r.text().await.expect("body");
        let found: BTreeSet<Status> = STATUSES
            .into_iter()
            .filter(|s| {
                let m = mark(*s);
                text.contains(&format!("<title>{m}</title>"))
                    || text.contains(&format!("SUMMARY:{m}\r\n"))
            })
            .collect();
        assert_eq!(found, published, "{path}");
    }
}

/// What each role gets from each mutation: `None` is success, else the error code.
type Row = (&'static str, [Option<&'static str>; 6]);

const OK: Option<&str> = None;
const UNAUTH: Option<&str> = Some("UNAUTHENTICATED");
const FORBID: Option<&str> = Some("FORBIDDEN");
const MISSING: Option<&str> = Some("NOT_FOUND");

// Targets of initiative and event mutations belong to the owner's organisation and
// start in the status the mutation moves from; unpublished targets do not exist for
// outsiders (NOT_FOUND), published ones are visible but not theirs (FORBIDDEN).
//                       anonymous  partner  owner    outsider  editor  admin
const MUTATIONS: [Row; 29] = [
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
    (
        "archiveInitiative",
        [UNAUTH, FORBID, FORBID, FORBID, OK, OK],
    ),
    (
        "restoreInitiative",
        [UNAUTH, FORBID, FORBID, MISSING, OK, OK],
    ),
    ("linkInitiatives", [UNAUTH, FORBID, OK, MISSING, OK, OK]),
    ("unlinkInitiatives", [UNAUTH, FORBID, OK, MISSING, OK, OK]),
    ("restoreRevision", [UNAUTH, FORBID, FORBID, FORBID, OK, OK]),
    ("createEvent", [UNAUTH, FORBID, OK, FORBID, OK, OK]),
    ("updateEvent", [UNAUTH, FORBID, OK, MISSING, OK, OK]),
    ("submitEvent", [UNAUTH, FORBID, OK, MISSING, OK, OK]),
    ("publishEvent", [UNAUTH, FORBID, FORBID, MISSING, OK, OK]),
    ("archiveEvent", [UNAUTH, FORBID, FORBID, FORBID, OK, OK]),
    (
        "createOrganisation",
        [UNAUTH, FORBID, FORBID, FORBID, OK, OK],
    ),
    (
        "updateOrganisation",
        [UNAUTH, FORBID, FORBID, FORBID, OK, OK],
    ),
    (
        "archiveOrganisation",
        [UNAUTH, FORBID, FORBID, FORBID, OK, OK],
    ),
    ("createTopic", [UNAUTH, FORBID, FORBID, FORBID, OK, OK]),
    ("updateTopic", [UNAUTH, FORBID, FORBID, FORBID, OK, OK]),
    ("updateTheme", [UNAUTH, FORBID, FORBID, FORBID, OK, OK]),
    ("setLexiconEntry", [UNAUTH, FORBID, FORBID, FORBID, OK, OK]),
    (
        "removeLexiconEntry",
        [UNAUTH, FORBID, FORBID, FORBID, OK, OK],
    ),
    ("createApiKey", [UNAUTH, FORBID, FORBID, FORBID, FORBID, OK]),
    ("revokeApiKey", [UNAUTH, FORBID, FORBID, FORBID, FORBID, OK]),
    // Views: editors and partners make them; a partner changes only its own (the
    // targets here were made at the command line), editors any.
    ("createView", [UNAUTH, OK, FORBID, FORBID, OK, OK]),
    ("updateView", [UNAUTH, FORBID, FORBID, FORBID, OK, OK]),
    ("archiveView", [UNAUTH, FORBID, FORBID, FORBID, OK, OK]),
];

/// The status an initiative or event mutation starts from.
fn start(mutation: &str) -> Status {
    match mutation {
        "withdrawInitiative" | "publishInitiative" | "rejectInitiative" | "publishEvent" => {
            Status::Submitted
        }
        "archiveInitiative" | "archiveEvent" => Status::Published,
        "restoreInitiative" => Status::Archived,
        _ => Status::Draft,
    }
}

/// A fresh target for one attempt, and the request that attempts the mutation on it.
async fn attempt(app: &TestApp, w: &World, mutation: &str, n: usize) -> (String, Value) {
    let editor = Actor {
        viewer: Viewer::Editor,
        key_id: None,
        account_id: None,
        name: "matrix".into(),
    };
    let owner = kb_domain::OrganisationId(GlobalId::decode("o", &w.owner_org).expect("org").id);
    let from = start(mutation);
    let initiative = || async {
        let input = InitiativeInput {
            title: Some(format!("{mutation} {n}")),
            summary: Some("Tabeltest.".into()),
            kind: Some(InitiativeKind::Tool),
            themes: Some(vec!["support".into()]),
            topics: Some(vec!["resilience".into()]),
            organisations: Some(vec![(owner, OrganisationRole::Lead)]),
            ..Default::default()
        };
        let t = app
            .store
            .create_initiative(&editor, input)
            .await
            .expect("target");
        for a in path(from) {
            let reason = (a == Action::Reject).then(|| "Onvoldoende onderbouwd.".to_owned());
            app.store
                .transition_initiative(&editor, t.id, a, None, reason)
                .await
                .expect("prepare");
        }
        t.id
    };
    let event = || async {
        let at = |d| {
            chrono::DateTime::parse_from_rfc3339(d)
                .map(|t| t.with_timezone(&chrono::Utc))
                .ok()
        };
        let e = EventInput {
            title: Some(format!("{mutation} {n}")),
            kind: Some(kb_domain::EventKind::Webinar),
            starts_at: at("2027-05-01T10:00:00Z"),
            ends_at: at("2027-05-01T11:00:00Z"),
            organisers: Some(vec![owner]),
            ..Default::default()
        };
        let e = app.store.create_event(&editor, e).await.expect("event");
        for a in path(from) {
            app.store
                .transition_event(&editor, e.id, a, None)
                .await
                .expect("prepare");
        }
        gid(NodeKind::Event, e.id)
    };
    let simple = |m: &str, id: &str| {
        (
            format!("mutation($id: ID!) {{ {m}(id: $id) {{ __typename }} }}"),
            json!({ "id": id }),
        )
    };
    match mutation {
        "createInitiative" => (
            "mutation($o: ID!) {
              createInitiative(input: {
                title: \"Nieuw\", kind: TOOL, organisations: [{ organisation: $o, role: LEAD }]
              }) { __typename }
            }"
            .into(),
            json!({ "o": w.owner_org }),
        ),
        "updateInitiative" => (
            "mutation($id: ID!) {
              updateInitiative(id: $id, expectedVersion: 1, input: { title: \"Anders\" }) {
                __typename
              }
            }"
            .into(),
            json!({ "id": gid(NodeKind::Initiative, initiative().await) }),
        ),
        "rejectInitiative" => (
            "mutation($id: ID!) {
              rejectInitiative(id: $id, reason: \"Graag een evaluatie toevoegen.\") { __typename }
            }"
            .into(),
            json!({ "id": gid(NodeKind::Initiative, initiative().await) }),
        ),
        "linkInitiatives" | "unlinkInitiatives" => {
            let id = initiative().await;
            let anchor = GlobalId::decode("a", &w.anchor).expect("anchor").id;
            let anchor = kb_domain::InitiativeId(anchor);
            if mutation == "unlinkInitiatives" {
                app.store
                    .link_initiatives(&editor, id, anchor, kb_domain::LinkType::RelatedTo, None)
                    .await
                    .expect("link");
            }
            (
                format!(
                    "mutation($id: ID!, $to: ID!) {{
                      {mutation}(input: {{ from: $id, to: $to, type: RELATED_TO }}) {{
                        from {{ id }}
                      }}
                    }}"
                ),
                json!({ "id": gid(NodeKind::Initiative, id), "to": w.anchor }),
            )
        }
        "restoreRevision" => {
            let id = initiative().await;
            let revs = app
                .store
                .revisions_of_initiatives(Viewer::Editor, &[id])
                .await
                .expect("revisions");
            let rev = &revs[&id];
            (
                "mutation($r: Int!) {
                  restoreRevision(revision: $r, expectedVersion: 1) { __typename }
                }"
                .into(),
                json!({ "r": rev.last().expect("creation").id.0 }),
            )
        }
        "createEvent" => (
            "mutation($o: ID!) {
              createEvent(input: {
                title: \"Tabel\", kind: WEBINAR, organisers: [$o],
                startsAt: \"2027-01-01T10:00:00Z\", endsAt: \"2027-01-01T11:00:00Z\"
              }) { __typename }
            }"
            .into(),
            json!({ "o": w.owner_org }),
        ),
        "updateEvent" => (
            "mutation($id: ID!) {
              updateEvent(id: $id, expectedVersion: 1, input: { title: \"Anders\" }) { __typename }
            }"
            .into(),
            json!({ "id": event().await }),
        ),
        "submitEvent" | "publishEvent" | "archiveEvent" => simple(mutation, &event().await),
        "createOrganisation" => (
            "mutation {
              createOrganisation(input: { name: \"Tabelorganisatie\", kind: OTHER }) { __typename }
            }"
            .into(),
            json!({}),
        ),
        "updateOrganisation" | "archiveOrganisation" => {
            let input = kb_domain::input::OrganisationInput {
                name: Some(format!("Organisatie {mutation} {n}")),
                kind: Some(kb_domain::OrganisationKind::Other),
                ..Default::default()
            };
            let o = app
                .store
                .create_organisation(&editor, input)
                .await
                .expect("organisation");
            let id = gid(NodeKind::Organisation, o.id);
            if mutation == "updateOrganisation" {
                (
                    "mutation($id: ID!) {
                      updateOrganisation(id: $id, expectedVersion: 1, input: { city: \"Goes\" }) {
                        __typename
                      }
                    }"
                    .into(),
                    json!({ "id": id }),
                )
            } else {
                simple(mutation, &id)
            }
        }
        "createTopic" => (
            format!(
                "mutation {{
                  createTopic(input: {{
                    code: \"matrix_{n}\", labelNl: \"Tabel\", labelEn: \"Table\"
                  }}) {{ __typename }}
                }}"
            ),
            json!({}),
        ),
        "updateTopic" => (
            "mutation {
              updateTopic(code: \"resilience\", input: { descriptionNl: \"Veerkracht.\" }) {
                __typename
              }
            }"
            .into(),
            json!({}),
        ),
        "updateTheme" => (
            "mutation {
              updateTheme(code: \"policy\", input: { descriptionEn: \"Policy.\" }) { __typename }
            }"
            .into(),
            json!({}),
        ),
        "createApiKey" => (
            "mutation {
              createApiKey(input: { name: \"tabel\", role: PARTNER }) { secret }
            }"
            .into(),
            json!({}),
        ),
        "revokeApiKey" => {
            let k = app
                .store
                .create_api_key(&Actor::cli(), "te intrekken", Role::Partner, None, None)
                .await
                .expect("key");
            (
                "mutation($id: Int!) { revokeApiKey(id: $id) { __typename } }".into(),
                json!({ "id": k.key.id.0 }),
            )
        }
        "createView" => (
            format!(
                "mutation {{
                  createView(input: {{ title: \"Tabelview {n}\" }}) {{ view {{ slug }} }}
                }}"
            ),
            json!({}),
        ),
        "updateView" | "archiveView" => {
            let slug = format!("tabel-{n}");
            let input = kb_domain::view::ViewInput {
                slug: Some(slug.clone()),
                title: Some(format!("{mutation} {n}")),
                ..Default::default()
            };
            app.store
                .create_view(&Actor::cli(), input)
                .await
                .expect("view");
            let document = if mutation == "updateView" {
                "mutation($s: String!) {
                  updateView(slug: $s, expectedVersion: 1, input: { title: \"Anders\" }) {
                    view { version }
                  }
                }"
            } else {
                "mutation($s: String!) { archiveView(slug: $s) { view { state } } }"
            };
            (document.into(), json!({ "s": slug }))
        }
        "setLexiconEntry" => (
            format!(
                "mutation {{
                  setLexiconEntry(input: {{
                    code: \"matrix_{n}\", nl: [\"tabel\"], en: [\"table\"]
                  }}) {{ created }}
                }}"
            ),
            json!({}),
        ),
        "removeLexiconEntry" => {
            let code = format!("matrix_{n}");
            app.store
                .set_lexicon_entry(&editor, &code, &["tabel".into()], &["table".into()])
                .await
                .expect("lexicon entry");
            (
                "mutation($c: String!) { removeLexiconEntry(code: $c) { entry { code } } }".into(),
                json!({ "c": code }),
            )
        }
        m => simple(m, &gid(NodeKind::Initiative, initiative().await)),
    }
}

on_both!(subscriptions_send_every_role_what_is_published_and_nothing_else);
async fn subscriptions_send_every_role_what_is_published_and_nothing_else(app: TestApp) {
    let app = &app;
    let org = |slug| async move {
        app.store
            .organisation_by_slug(Viewer::Editor, slug)
            .await
            .expect("q")
            .expect("org")
            .id
    };
    let (owner, outsider) = (
        org("hogeschool-waddenpoort").await,
        org("universiteit-van-zilverwold").await,
    );
    let key = |role, org| async move {
        Some(
            app.store
                .create_api_key(&Actor::cli(), "live", role, org, None)
                .await
                .expect("key")
                .secret,
        )
    };
    let keys = [
        ("anonymous", None),
        ("partner", key(Role::Partner, None).await),
        ("owner", key(Role::Contributor, Some(owner)).await),
        ("outsider", key(Role::Contributor, Some(outsider)).await),
        ("editor", key(Role::Editor, None).await),
        ("admin", key(Role::Admin, None).await),
    ];
    let mut clients = Vec::new();
    for (role, key) in keys {
        let payload = key.map_or(
            json!({}),
            |k| json!({ "Authorization": format!("Bearer {k}") }),
        );
        let mut c = crate::live::Client::connect(app, payload, None).await;
        c.subscribe(
            "i",
            "subscription { initiativePublished { title status } }",
            json!({}),
        )
        .await;
        c.subscribe(
            "e",
            "subscription { eventPublished { title status } }",
            json!({}),
        )
        .await;
        clients.push((role, c));
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // Every status of initiative and event, written by an editor.
    world(app).await;
    app.caught_up().await;
    let expected: BTreeSet<(String, String)> = [
        ("i".to_owned(), marker(Status::Published)),
        ("e".to_owned(), "Matrixhub".to_owned()),
        ("e".to_owned(), event_marker(Status::Published)),
    ]
    .into_iter()
    .collect();
    for (role, mut c) in clients {
        let mut got = BTreeSet::new();
        for _ in 0..expected.len() {
            let m = c.receive().await;
            assert_eq!(m["type"], "next", "{role}: {m}");
            let item = &m["payload"]["data"];
            let item = item
                .get("initiativePublished")
                .or_else(|| item.get("eventPublished"))
                .expect("an item");
            assert_eq!(item["status"], "PUBLISHED", "{role}: {m}");
            got.insert((
                m["id"].as_str().expect("id").to_owned(),
                item["title"].as_str().expect("title").to_owned(),
            ));
        }
        assert_eq!(got, expected, "{role}");
        let more = tokio::time::timeout(std::time::Duration::from_millis(300), c.receive()).await;
        assert!(more.is_err(), "{role} was sent more: {more:?}");
    }
}

on_both!(every_mutation_is_allowed_or_refused_per_role);
async fn every_mutation_is_allowed_or_refused_per_role(app: TestApp) {
    let w = world(&app).await;
    app.caught_up().await;
    let mut n = 0;
    for (mutation, outcomes) in MUTATIONS {
        for (i, role) in ROLES.iter().enumerate() {
            n += 1;
            let (q, vars) = attempt(&app, &w, mutation, n).await;
            let before = app.store.change_log_head().await.expect("head");
            let r = ask(&app, &w.keys[i].1, &q, vars).await;
            match outcomes[i] {
                None => assert!(r.get("errors").is_none(), "{mutation} as {role}: {r}"),
                Some(code) => {
                    assert_eq!(error_code(&r), code, "{mutation} as {role}: {r}");
                    let after = app.store.change_log_head().await.expect("head");
                    assert_eq!(
                        after, before,
                        "{mutation} as {role}: a refused mutation writes nothing"
                    );
                }
            }
        }
    }
}
