//! The read model against its oracle, SQL: random filters × viewers × orders × pages give
//! the same ids, totals and facets; it sees this instance's writes at once, misses no
//! change of concurrent writers, and a second instance on the same database follows.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use kb_domain::input::InitiativeInput;
use kb_domain::workflow::Action;
use kb_domain::{
    EducationLevel, EvidenceLevel, InitiativeFilter, InitiativeKind, InitiativeOrder,
    OrganisationId, OrganisationKind, OrganisationRole, PageRequest, Region, Status, TargetGroup,
    Viewer, Vocabulary,
};
use kb_readmodel::ReadModel;
use kb_store::{Actor, Store};
use serde_json::json;

use crate::on_both;
use crate::support::{TestApp, config};

/// A small deterministic generator (xorshift), so a failing case can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// Zero to two values of `from`.
    fn some<T: Clone>(&mut self, from: &[T]) -> Vec<T> {
        (0..self.below(3))
            .map(|_| from[self.below(from.len())].clone())
            .collect()
    }
}

struct Universe {
    themes: Vec<String>,
    topics: Vec<String>,
    organisations: Vec<OrganisationId>,
}

async fn universe(store: &Store) -> Universe {
    let orgs = store
        .organisation_facts()
        .await
        .expect("organisations")
        .into_iter()
        .map(|o| o.id)
        .collect();
    Universe {
        themes: store
            .themes()
            .await
            .expect("themes")
            .into_iter()
            .map(|t| t.code)
            .collect(),
        topics: store
            .topics(false)
            .await
            .expect("topics")
            .into_iter()
            .map(|t| t.code)
            .collect(),
        organisations: orgs,
    }
}

fn filter(rng: &mut Rng, u: &Universe) -> InitiativeFilter {
    let mut f = InitiativeFilter::default();
    // Each field is used in about a third of the cases, so most filters combine two or three.
    if rng.chance(30) {
        f.themes = rng.some(&u.themes);
    }
    if rng.chance(30) {
        f.topics = rng.some(&u.topics);
    }
    if rng.chance(30) {
        f.kinds = rng.some(InitiativeKind::ALL);
    }
    if rng.chance(20) {
        f.organisations = rng.some(&u.organisations);
    }
    if rng.chance(25) {
        f.organisation_kinds = rng.some(OrganisationKind::ALL);
    }
    if rng.chance(25) {
        f.target_groups = rng.some(TargetGroup::ALL);
    }
    if rng.chance(25) {
        f.education_levels = rng.some(EducationLevel::ALL);
    }
    if rng.chance(25) {
        f.regions = rng.some(Region::ALL);
    }
    if rng.chance(25) {
        f.evidence_levels = rng.some(EvidenceLevel::ALL);
    }
    if rng.chance(25) {
        f.languages = rng.some(&["nl".to_owned(), "en".to_owned(), "de".to_owned()]);
    }
    if rng.chance(25) {
        f.year_from = Some(2010 + rng.below(16) as i32);
    }
    if rng.chance(25) {
        f.year_to = Some(f.year_from.unwrap_or(2010) + rng.below(10) as i32);
    }
    if rng.chance(40) {
        f.statuses = rng.some(Status::ALL);
    }
    // Values that must all hold: topics (with their subtrees) and organisations.
    if rng.chance(10) {
        f.every_topic = rng.some(&u.topics);
    }
    if rng.chance(4) {
        f.every_organisation = rng.some(&u.organisations);
    }
    f
}

fn viewer(rng: &mut Rng, u: &Universe) -> Viewer {
    match rng.below(5) {
        0 => Viewer::Anonymous,
        1 => Viewer::Partner,
        2 => Viewer::Editor,
        _ => Viewer::Contributor {
            organisation_id: u.organisations[rng.below(u.organisations.len())],
        },
    }
}

/// Asserts the model and SQL agree on `cases` random questions.
async fn agree(store: &Store, model: &ReadModel, seed: u64, cases: usize) {
    let u = universe(store).await;
    let mut rng = Rng(seed);
    let orders = [
        InitiativeOrder::Newest,
        InitiativeOrder::Title,
        InitiativeOrder::RecentlyUpdated,
        InitiativeOrder::LeastRecentlyUpdated,
    ];
    let (mut answered, mut non_empty) = (0, 0);
    for case in 0..cases {
        let v = viewer(&mut rng, &u);
        let f = filter(&mut rng, &u);
        let order = orders[rng.below(orders.len())];
        let page = PageRequest {
            offset: rng.below(4) as u64 * 5,
            limit: 1 + rng.below(25) as u64,
            count: rng.chance(50),
        };
        let what = format!("case {case} (seed {seed}): {v:?} {f:?} {order:?} {page:?}");
        let sql = store.list_initiatives(v, &f, order, page).await;
        let mem = model.list(v, &f, order, page).await;
        let (sql, mem) = match (sql, mem) {
            (Ok(s), Ok(m)) => (s, m),
            (Err(kb_store::StoreError::Domain(a)), Err(kb_store::StoreError::Domain(b))) => {
                assert_eq!(a, b, "the same refusal: {what}");
                continue;
            }
            (s, m) => panic!("one refused, the other did not: {s:?} / {m:?}: {what}"),
        };
        answered += 1;
        non_empty += usize::from(!sql.items.is_empty());
        let sql_ids: Vec<_> = sql.items.iter().map(|i| i.id).collect();
        assert_eq!(mem.items, sql_ids, "ids: {what}");
        assert_eq!(mem.has_next, sql.has_next, "has_next: {what}");
        let total = store.count_initiatives(v, &f).await.expect("count");
        assert_eq!(
            model.count(v, &f).await.expect("count"),
            total,
            "total: {what}"
        );
        if page.count {
            assert_eq!(mem.total, Some(total), "page total: {what}");
        }
        if case % 4 == 0 {
            let sql = store.initiative_facets(v, &f).await.expect("facets");
            let mem = model.facets(v, &f).await.expect("facets");
            assert_eq!(mem, sql, "facets: {what}");
        }
    }
    // The cases ask real questions: most are answered, many with rows.
    assert!(answered * 10 >= cases * 8, "{answered} of {cases} answered");
    assert!(non_empty * 4 >= cases, "{non_empty} of {cases} with rows");
}

on_both!(the_read_model_answers_as_sql_does);
async fn the_read_model_answers_as_sql_does(app: TestApp) {
    // The demo set, then 400 synthetic initiatives more (skewed, every status).
    agree(&app.store, &app.model, 0x5eed_0001, 150).await;
    app.store.seed_synthetic(400, 7).await.expect("synthetic");
    let model = ReadModel::build(&app.store).await.expect("read model");
    agree(&app.store, &model, 0x5eed_0002, 250).await;
}

on_both!(nested_pages_under_themes_topics_organisations_and_events_answer_as_sql_does);
async fn nested_pages_under_themes_topics_organisations_and_events_answer_as_sql_does(
    app: TestApp,
) {
    let u = universe(&app.store).await;
    let themes: Vec<_> = app
        .store
        .themes()
        .await
        .expect("themes")
        .into_iter()
        .map(|t| t.id)
        .collect();
    let topics: Vec<_> = app
        .store
        .topics(false)
        .await
        .expect("topics")
        .into_iter()
        .map(|t| t.id)
        .collect();
    let owner = u.organisations[0];
    let events: Vec<_> = app
        .store
        .event_facts(None)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.id)
        .collect();
    for v in [
        Viewer::Anonymous,
        Viewer::Contributor {
            organisation_id: owner,
        },
        Viewer::Editor,
    ] {
        for page in [
            PageRequest {
                offset: 0,
                limit: 4,
                count: true,
            },
            PageRequest {
                offset: 4,
                limit: 10,
                count: true,
            },
        ] {
            let sql = app
                .store
                .initiatives_of_themes(v, &themes, page)
                .await
                .expect("sql");
            let parents: Vec<_> = themes
                .iter()
                .map(|t| kb_readmodel::Parent::Theme(*t))
                .collect();
            for (parent, got) in app.model.nested(v, &parents, page).await {
                let kb_readmodel::Parent::Theme(t) = parent else {
                    unreachable!("themes asked")
                };
                let want = sql
                    .get(&t)
                    .map(|p| {
                        (
                            p.items.iter().map(|i| i.id).collect::<Vec<_>>(),
                            p.total.unwrap_or(0),
                        )
                    })
                    .unwrap_or_default();
                assert_eq!(
                    (got.items, got.total.unwrap_or(0)),
                    want,
                    "{v:?} theme {t:?} {page:?}"
                );
            }
            let sql = app
                .store
                .initiatives_of_topics(v, &topics, page)
                .await
                .expect("sql");
            let parents: Vec<_> = topics
                .iter()
                .map(|t| kb_readmodel::Parent::Topic(*t))
                .collect();
            for (parent, got) in app.model.nested(v, &parents, page).await {
                let kb_readmodel::Parent::Topic(t) = parent else {
                    unreachable!("topics asked")
                };
                let want = sql
                    .get(&t)
                    .map(|p| {
                        (
                            p.items.iter().map(|i| i.id).collect::<Vec<_>>(),
                            p.total.unwrap_or(0),
                        )
                    })
                    .unwrap_or_default();
                assert_eq!(
                    (got.items, got.total.unwrap_or(0)),
                    want,
                    "{v:?} topic {t:?} {page:?}"
                );
            }
            let sql = app
                .store
                .initiatives_of_organisations(v, &u.organisations, page)
                .await
                .expect("sql");
            let parents: Vec<_> = u
                .organisations
                .iter()
                .map(|o| kb_readmodel::Parent::Organisation(*o))
                .collect();
            for (parent, got) in app.model.nested(v, &parents, page).await {
                let kb_readmodel::Parent::Organisation(o) = parent else {
                    unreachable!("organisations asked")
                };
                let want = sql
                    .get(&o)
                    .map(|p| {
                        (
                            p.items.iter().map(|i| i.id).collect::<Vec<_>>(),
                            p.total.unwrap_or(0),
                        )
                    })
                    .unwrap_or_default();
                assert_eq!(
                    (got.items, got.total.unwrap_or(0)),
                    want,
                    "{v:?} organisation {o:?} {page:?}"
                );
            }
            let sql = app
                .store
                .initiatives_of_events(v, &events, page)
                .await
                .expect("sql");
            let parents: Vec<_> = events
                .iter()
                .map(|e| kb_readmodel::Parent::Event(*e))
                .collect();
            let mut featured = 0;
            for (parent, got) in app.model.nested(v, &parents, page).await {
                let kb_readmodel::Parent::Event(e) = parent else {
                    unreachable!("events asked")
                };
                let want = sql
                    .get(&e)
                    .map(|p| {
                        (
                            p.items.iter().map(|i| i.id).collect::<Vec<_>>(),
                            p.total.unwrap_or(0),
                        )
                    })
                    .unwrap_or_default();
                featured += want.1;
                assert_eq!(
                    (got.items, got.total.unwrap_or(0)),
                    want,
                    "{v:?} event {e:?} {page:?}"
                );
            }
            assert!(featured > 0, "events feature initiatives");
        }
    }
}

const CREATE: &str =
    "mutation($i: InitiativeInput!) { createInitiative(input: $i) { initiative { id } } }";

on_both!(a_write_is_listed_counted_and_faceted_by_the_next_request);
async fn a_write_is_listed_counted_and_faceted_by_the_next_request(app: TestApp) {
    let key = app
        .store
        .create_api_key(&Actor::cli(), "ryw", kb_domain::Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let org = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("org");
    let gid = kb_domain::NodeId::global(org.id).encode();
    let q = "query($o: [ID!]) {
      initiatives(filter: { organisations: $o, kinds: [CAMPAIGN] }) {
        totalCount nodes { title } facets { kinds { value count } }
      }
    }";
    let before = app.data(q, json!({ "o": [gid] })).await;
    let n = before["initiatives"]["totalCount"].as_i64().expect("total");
    let vars = json!({
        "i": {
            "title": "Direct zichtbaar", "summary": "Een samenvatting.", "kind": "CAMPAIGN",
            "themes": ["support"], "topics": ["resilience"],
            "organisations": [{ "organisation": gid, "role": "LEAD" }],
        },
    });
    let r = app.gql_as(&key, CREATE, vars).await;
    let id = r["data"]["createInitiative"]["initiative"]["id"].clone();
    assert!(id.is_string(), "{r}");
    // A draft: not listed for the public.
    assert_eq!(
        app.data(q, json!({ "o": [gid] })).await["initiatives"]["totalCount"],
        n
    );
    let r = app
        .gql_as(
            &key,
            "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        r["data"]["publishInitiative"]["initiative"]["status"], "PUBLISHED",
        "{r}"
    );
    let after = app.data(q, json!({ "o": [gid] })).await;
    assert_eq!(after["initiatives"]["totalCount"], n + 1);
    assert!(
        after["initiatives"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .any(|i| i["title"] == "Direct zichtbaar")
    );
    assert_eq!(after["initiatives"]["facets"]["kinds"][0]["count"], n + 1);
    // Archived: gone from the public list at once.
    let r = app
        .gql_as(
            &key,
            "mutation($id: ID!) { archiveInitiative(id: $id) { initiative { status } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        r["data"]["archiveInitiative"]["initiative"]["status"], "ARCHIVED",
        "{r}"
    );
    assert_eq!(
        app.data(q, json!({ "o": [gid] })).await["initiatives"]["totalCount"],
        n
    );
}

on_both!(concurrent_writers_leave_no_change_unfollowed);
async fn concurrent_writers_leave_no_change_unfollowed(app: TestApp) {
    let org = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("org");
    let editor = Actor {
        viewer: Viewer::Editor,
        key_id: None,
        account_id: None,
        name: "writers".into(),
    };
    // Eight writers create and publish at once while the model follows.
    let writer = |w: usize| {
        let store = app.store.clone();
        let editor = editor.clone();
        async move {
            for n in 0..5 {
                let i = store
                    .create_initiative(
                        &editor,
                        InitiativeInput {
                            title: Some(format!("Gelijktijdig {w}-{n}")),
                            summary: Some("Een samenvatting.".into()),
                            kind: Some(InitiativeKind::Tool),
                            themes: Some(vec!["support".into()]),
                            topics: Some(vec!["resilience".into()]),
                            organisations: Some(vec![(org.id, OrganisationRole::Lead)]),
                            ..Default::default()
                        },
                    )
                    .await
                    .expect("create");
                if n % 2 == 0 {
                    store
                        .transition_initiative(&editor, i.id, Action::Publish, None, None)
                        .await
                        .expect("publish");
                }
            }
        }
    };
    let follower = async {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(3) {
            app.model.sync().await.expect("sync");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let writers = join_all((0..8).map(writer));
    let ((), _) = tokio::join!(follower, writers);
    app.model.sync().await.expect("sync");
    assert_eq!(
        app.model.position().await,
        app.store.change_log_head().await.expect("head")
    );
    let fresh = ReadModel::build(&app.store).await.expect("fresh");
    let all = InitiativeFilter {
        statuses: Status::ALL.to_vec(),
        ..Default::default()
    };
    let page = PageRequest {
        offset: 0,
        limit: 100,
        count: true,
    };
    for v in [Viewer::Editor, Viewer::Anonymous] {
        let followed = app
            .model
            .list(v, &all, InitiativeOrder::RecentlyUpdated, page)
            .await
            .expect("list");
        let built = fresh
            .list(v, &all, InitiativeOrder::RecentlyUpdated, page)
            .await
            .expect("list");
        assert_eq!(followed, built, "{v:?}");
        let sql = app.store.count_initiatives(v, &all).await.expect("count");
        assert_eq!(followed.total, Some(sql), "{v:?}");
    }
}

on_both!(a_second_instance_on_the_same_database_follows_within_two_seconds);
async fn a_second_instance_on_the_same_database_follows_within_two_seconds(app: TestApp) {
    let other = TestApp::spawn_on(&app.database_url, config(&[])).await;
    let key = app
        .store
        .create_api_key(&Actor::cli(), "two", kb_domain::Role::Editor, None, None)
        .await
        .expect("key")
        .secret;
    let org = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("org");
    let gid = kb_domain::NodeId::global(org.id).encode();
    let vars = json!({
        "i": {
            "title": "Via de eerste", "summary": "Een samenvatting.", "kind": "TOOL",
            "themes": ["support"], "topics": ["resilience"],
            "organisations": [{ "organisation": gid, "role": "LEAD" }],
        },
    });
    let r = app.gql_as(&key, CREATE, vars).await;
    let id = r["data"]["createInitiative"]["initiative"]["id"].clone();
    app.gql_as(
        &key,
        "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }",
        json!({ "id": id }),
    )
    .await;
    let q = "{ initiatives(orderBy: RECENTLY_UPDATED, first: 1) { nodes { title } } }";
    let started = Instant::now();
    loop {
        let d = other.data(q, json!({})).await;
        if d["initiatives"]["nodes"][0]["title"] == "Via de eerste" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the second instance did not follow: {d}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const PUBLIC_PAGE: &str = r#"query($slug: String!) {
  initiative(slug: $slug) {
    id version title kind languages themes { code } topics { code broader { code } }
    organisations { role organisation { name } } events(first: 3) { nodes { title } }
    buildsOn { slug } builtOnBy { slug } relatedTo { slug }
  }
}"#;

on_both!(the_published_view_is_answered_from_memory_until_the_next_change);
async fn the_published_view_is_answered_from_memory_until_the_next_change(app: TestApp) {
    let store = &app.store;
    let key = |role| async move {
        store
            .create_api_key(&Actor::cli(), "memo", role, None, None)
            .await
            .expect("key")
            .secret
    };
    let editor = key(kb_domain::Role::Editor).await;
    let partner = key(kb_domain::Role::Partner).await;
    // A key's first use records it; not counted below.
    app.gql_as(&editor, "{ me { role } }", json!({})).await;
    app.gql_as(&partner, "{ me { role } }", json!({})).await;
    let slug = app
        .data(
            "{ initiatives(first: 1, orderBy: TITLE) { nodes { slug } } }",
            json!({}),
        )
        .await["initiatives"]["nodes"][0]["slug"]
        .clone();
    let vars = json!({ "slug": slug });
    let (first, r1) = app.count_statements(PUBLIC_PAGE, vars.clone()).await;
    assert!(r1.get("errors").is_none(), "{r1}");
    assert!(first >= 5, "{first} statements");
    // Read again, by anyone who sees the published view: from memory.
    let (again, r2) = app.count_statements(PUBLIC_PAGE, vars.clone()).await;
    assert_eq!((again, &r2), (0, &r1));
    let (by_partner, r3) = app
        .count_statements_as(&partner, PUBLIC_PAGE, vars.clone())
        .await;
    assert_eq!(r3, r1);
    // (Only the key's own look-up.)
    assert!(by_partner <= 1, "{by_partner} statements");
    // An editor sees more than the published view: editors' readings are kept apart
    // from it, and answered from memory the next time too.
    let (e1, re1) = app
        .count_statements_as(&editor, PUBLIC_PAGE, vars.clone())
        .await;
    let (e2, re2) = app
        .count_statements_as(&editor, PUBLIC_PAGE, vars.clone())
        .await;
    assert!(e1 >= 4, "{e1} statements");
    assert!(e2 <= 1, "{e2} statements");
    assert_eq!(re2, re1);
    // A change: the next reading, by anyone, reads it.
    let update = "mutation($id: ID!, $v: Int!, $i: InitiativeInput!) {
      updateInitiative(id: $id, expectedVersion: $v, input: $i) { initiative { title status } }
    }";
    let variables = json!({
        "id": r1["data"]["initiative"]["id"], "v": r1["data"]["initiative"]["version"],
        "i": { "title": "Een nieuwe titel" },
    });
    let r = app.gql_as(&editor, update, variables).await;
    assert_eq!(
        r["data"]["updateInitiative"]["initiative"]["status"], "PUBLISHED",
        "{r}"
    );
    let (after, r4) = app.count_statements(PUBLIC_PAGE, vars.clone()).await;
    assert!(after >= 5, "{after} statements");
    assert_eq!(r4["data"]["initiative"]["title"], "Een nieuwe titel");
    let r5 = app.gql_as(&partner, PUBLIC_PAGE, vars.clone()).await;
    assert_eq!(r5["data"]["initiative"]["title"], "Een nieuwe titel");

    // A draft the editor reads is never kept for the public; an absent answer is not
    // kept either, so publishing shows it at once.
    let org = app
        .store
        .organisation_by_slug(Viewer::Editor, "hogeschool-waddenpoort")
        .await
        .expect("lookup")
        .expect("org");
    let gid = kb_domain::NodeId::global(org.id).encode();
    let mutation = "mutation($i: InitiativeInput!) {
      createInitiative(input: $i) { initiative { id slug } }
    }";
    let variables = json!({
        "i": {
            "title": "Nog een concept", "summary": "Een samenvatting.", "kind": "TOOL",
            "themes": ["support"], "topics": ["resilience"],
            "organisations": [{ "organisation": gid, "role": "LEAD" }],
        },
    });
    let r = app.gql_as(&editor, mutation, variables).await;
    let draft = r["data"]["createInitiative"]["initiative"].clone();
    let vars = json!({ "slug": draft["slug"] });
    let seen = app.gql_as(&editor, PUBLIC_PAGE, vars.clone()).await;
    assert_eq!(
        seen["data"]["initiative"]["title"], "Nog een concept",
        "{seen}"
    );
    assert_eq!(
        app.gql(PUBLIC_PAGE, vars.clone()).await["data"]["initiative"],
        serde_json::Value::Null
    );
    assert_eq!(
        app.gql_as(&partner, PUBLIC_PAGE, vars.clone()).await["data"]["initiative"],
        serde_json::Value::Null
    );
    let r = app
        .gql_as(
            &editor,
            "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }",
            json!({ "id": draft["id"] }),
        )
        .await;
    assert_eq!(
        r["data"]["publishInitiative"]["initiative"]["status"], "PUBLISHED",
        "{r}"
    );
    assert_eq!(
        app.gql(PUBLIC_PAGE, vars.clone()).await["data"]["initiative"]["title"],
        "Nog een concept"
    );
}

const DRAFT_PAGE: &str = r#"query($id: ID!) {
  initiative(id: $id) {
    id title status rejectionReason lastChange { actor } revisions { actor }
    organisations { role organisation { name } }
  }
}"#;

on_both!(drafts_are_answered_from_memory_for_their_own_readers_only);
async fn drafts_are_answered_from_memory_for_their_own_readers_only(app: TestApp) {
    let store = &app.store;
    let org = |slug: &'static str| async move {
        store
            .organisation_by_slug(Viewer::Editor, slug)
            .await
            .expect("lookup")
            .expect("org")
            .id
    };
    let own = org("hogeschool-waddenpoort").await;
    let other = org("universiteit-van-zilverwold").await;
    let key = |role, organisation| async move {
        store
            .create_api_key(&Actor::cli(), "memo", role, organisation, None)
            .await
            .expect("key")
            .secret
    };
    let ours = key(kb_domain::Role::Contributor, Some(own)).await;
    let theirs = key(kb_domain::Role::Contributor, Some(other)).await;
    let editor = key(kb_domain::Role::Editor, None).await;
    // A key's first use records it; not counted below.
    for k in [&ours, &theirs, &editor] {
        app.gql_as(k, "{ me { role } }", json!({})).await;
    }
    // A draft of a person of the organisation, rejected by the editors with a reason.
    let account = store
        .sign_in_account(&kb_store::Identity {
            issuer: "https://idp.example".to_owned(),
            subject: "rita".to_owned(),
            email: Some("rita@people.example".to_owned()),
            name: "Rita Hazelaar".to_owned(),
            language: kb_domain::Language::Nl,
            home_organisation: None,
            affiliation: None,
        })
        .await
        .expect("account");
    let account = store
        .grant_account(Viewer::Admin, account.id, Some(own))
        .await
        .expect("granted");
    let draft = store
        .create_initiative(
            &Actor::of_account(&account),
            InitiativeInput {
                title: Some("Een afgewezen concept".into()),
                summary: Some("Een concept met een reden van de redactie.".into()),
                kind: Some(kb_domain::InitiativeKind::Tool),
                themes: Some(vec!["support".into()]),
                topics: Some(vec!["resilience".into()]),
                organisations: Some(vec![(own, kb_domain::OrganisationRole::Lead)]),
                ..Default::default()
            },
        )
        .await
        .expect("draft");
    for (action, reason) in [
        (Action::Submit, None),
        (Action::Reject, Some("De samenvatting is te kort.")),
    ] {
        store
            .transition_initiative(
                &Actor::cli(),
                draft.id,
                action,
                None,
                reason.map(Into::into),
            )
            .await
            .expect("transition");
    }
    app.caught_up().await;
    let vars = json!({ "id": kb_domain::NodeId::global(draft.id).encode() });

    // The organisation's contributor reads it, then reads it again from memory.
    let (first, r1) = app
        .count_statements_as(&ours, DRAFT_PAGE, vars.clone())
        .await;
    let i = &r1["data"]["initiative"];
    assert_eq!(
        (&i["title"], &i["status"], &i["rejectionReason"]),
        (
            &json!("Een afgewezen concept"),
            &json!("REJECTED"),
            &json!("De samenvatting is te kort.")
        ),
        "{r1}"
    );
    assert!(first >= 5, "{first} statements");
    let (again, r2) = app
        .count_statements_as(&ours, DRAFT_PAGE, vars.clone())
        .await;
    assert_eq!(r2, r1);
    assert!(again <= 1, "{again} statements");
    // Nobody else gets that kept answer: another organisation and the public see
    // nothing, the editors see it through their own reading.
    for key in [Some(&theirs), None] {
        let r = match key {
            Some(k) => app.gql_as(k, DRAFT_PAGE, vars.clone()).await,
            None => app.gql(DRAFT_PAGE, vars.clone()).await,
        };
        assert_eq!(r["data"]["initiative"], serde_json::Value::Null, "{r}");
    }
    let (by_editor, r3) = app
        .count_statements_as(&editor, DRAFT_PAGE, vars.clone())
        .await;
    assert_eq!(r3["data"], r1["data"]);
    assert!(by_editor >= 5, "{by_editor} statements");

    // Erasing the person rewrites the history's names: no kept answer shows the old one.
    assert_eq!(
        r1["data"]["initiative"]["revisions"][2]["actor"], "Rita Hazelaar",
        "{r1}"
    );
    let erased = store
        .erase_account(Viewer::Admin, account.id)
        .await
        .expect("erased");
    app.caught_up().await;
    let r4 = app.gql_as(&ours, DRAFT_PAGE, vars.clone()).await;
    let text = r4.to_string();
    assert!(!text.contains("Rita"), "{text}");
    assert_eq!(
        r4["data"]["initiative"]["revisions"][2]["actor"],
        json!(erased.pseudonym)
    );
}
