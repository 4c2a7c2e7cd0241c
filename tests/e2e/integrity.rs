//! The data stays whole and answers the same on both databases: every length the domain
//! allows fits its column, unique keys raced for are conflicts (never INTERNAL), and
//! orderings do not depend on the database's collation.

use futures_util::future::join_all;
use kb_domain::Role;
use serde_json::{Value, json};

use crate::on_both;
use crate::support::{TestApp, error_code};

fn ok(r: &Value) -> &Value {
    assert!(r.get("errors").is_none(), "unexpected errors: {r:#}");
    &r["data"]
}

/// A text of exactly `n` characters made of words, so slugs can be cut at hyphens.
fn words(n: usize) -> String {
    let mut s = "Lange titel ".repeat(n / 12 + 1);
    s.truncate(n);
    s.replace_range(n - 1.., "x");
    s
}

const CREATE_ORG: &str = "mutation($i: OrganisationInput!) {
  createOrganisation(input: $i) { organisation { id slug name } }
}";
const CREATE_INITIATIVE: &str = "mutation($i: InitiativeInput!) {
  createInitiative(input: $i) { initiative { id slug title version } }
}";
const PUBLISH: &str = "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }";

async fn organisation(app: &TestApp, key: &str, name: &str) -> Value {
    let r = app
        .gql_as(
            key,
            CREATE_ORG,
            json!({ "i": { "name": name, "kind": "UNIVERSITY" } }),
        )
        .await;
    ok(&r)["createOrganisation"]["organisation"].clone()
}

on_both!(writes_at_every_maximum_length_are_stored);
async fn writes_at_every_maximum_length_are_stored(app: TestApp) {
    // A key name of 200 characters: the revision's actor holds it with the key prefix.
    let key = app.key(Role::Editor, &"r".repeat(200)).await;
    let org = organisation(&app, &key, &words(200)).await;
    let again = organisation(&app, &key, &words(200)).await;
    assert!(org["slug"].as_str().expect("slug").len() <= 80);
    assert_ne!(org["slug"], again["slug"]);
    assert!(again["slug"].as_str().expect("slug").len() <= 80, "{again}");
    let (local, label) = ("a".repeat(64), "d".repeat(60));
    let email = format!("{local}@{label}.{label}.{}.example", "d".repeat(59));
    let input = json!({
        "i": {
            "title": words(200), "summary": "s".repeat(1000), "body": "b".repeat(100_000),
            "kind": "GUIDE", "website": format!("https://example.org/{}", "p".repeat(500 - 20)),
            "contactEmail": email,
            "themes": ["support"], "topics": ["resilience"],
            "organisations": [{ "organisation": org["id"], "role": "LEAD" }],
        },
    });
    let first = app.gql_as(&key, CREATE_INITIATIVE, input.clone()).await;
    let first = ok(&first)["createInitiative"]["initiative"].clone();
    // The same 200-character title again: its 80-character slug is taken.
    let second = app.gql_as(&key, CREATE_INITIATIVE, input).await;
    let second = ok(&second)["createInitiative"]["initiative"].clone();
    let (a, b) = (
        first["slug"].as_str().expect("slug"),
        second["slug"].as_str().expect("slug"),
    );
    assert!(a.len() <= 80 && b.len() <= 80, "{a} {b}");
    assert_eq!(format!("{a}-2"), b);
    let event = "mutation($i: EventInput!) { createEvent(input: $i) { event { slug } } }";
    for _ in 0..2 {
        let vars = json!({
            "i": {
                "title": words(200), "kind": "WEBINAR", "startsAt": "2027-03-01T10:00:00Z",
                "endsAt": "2027-03-01T12:00:00Z", "location": "l".repeat(200),
                "organisers": [org["id"]],
            },
        });
        let r = app.gql_as(&key, event, vars).await;
        assert!(
            ok(&r)["createEvent"]["event"]["slug"]
                .as_str()
                .expect("slug")
                .len()
                <= 80
        );
    }
    let topic = "mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { code } } }";
    let r = app
        .gql_as(
            &key,
            topic,
            json!({ "i": { "code": format!("t{}", "x".repeat(63)), "broader": "resilience",
        "labelNl": "n".repeat(200), "labelEn": "e".repeat(200), "altLabels": ["a".repeat(100)] } }),
        )
        .await;
    assert_eq!(
        ok(&r)["createTopic"]["topic"]["code"]
            .as_str()
            .expect("code")
            .len(),
        64
    );
    let history = "query($id: ID!) { node(id: $id) { ... on Initiative { revisions { actor } } } }";
    let r = app
        .gql_as(&key, history, json!({ "id": first["id"] }))
        .await;
    let actor = ok(&r)["node"]["revisions"][0]["actor"]
        .as_str()
        .expect("actor")
        .to_owned();
    assert!(actor.starts_with(&"r".repeat(200)), "{actor}");
}

on_both!(a_unique_key_raced_for_is_a_conflict);
async fn a_unique_key_raced_for_is_a_conflict(app: TestApp) {
    let key = app.key(Role::Editor, "race").await;
    // Six editors add the same topic at once: one wins, five learn of the conflict.
    let topic = "mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { code } } }";
    let input = json!({ "i": { "code": "race_topic", "labelNl": "Wedloop", "labelEn": "Race" } });
    let answers = join_all((0..6).map(|_| app.gql_as(&key, topic, input.clone()))).await;
    let won = answers.iter().filter(|r| r.get("errors").is_none()).count();
    assert_eq!(won, 1, "{answers:#?}");
    for r in answers.iter().filter(|r| r.get("errors").is_some()) {
        assert_eq!(error_code(r), "CONFLICT", "{r}");
    }
    // A code that exists already is the same conflict, found by the same constraint.
    assert_eq!(
        error_code(&app.gql_as(&key, topic, input).await),
        "CONFLICT"
    );
    // Six organisations with one name at once all get made, each with its own slug.
    let answers = join_all((0..6).map(|_| {
        app.gql_as(
            &key,
            CREATE_ORG,
            json!({ "i": { "name": "Gelijknamige Hogeschool", "kind": "UNIVERSITY" } }),
        )
    }))
    .await;
    let mut slugs: Vec<String> = answers
        .iter()
        .map(|r| {
            ok(r)["createOrganisation"]["organisation"]["slug"]
                .as_str()
                .expect("slug")
                .to_owned()
        })
        .collect();
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), 6, "{slugs:?}");
    // The same link six times at once: one link, five conflicts.
    let org = organisation(&app, &key, "Linkende Hogeschool").await;
    let mut ids = Vec::new();
    for title in ["Bron", "Doel"] {
        let r = app
            .gql_as(
                &key,
                CREATE_INITIATIVE,
                json!({ "i": { "title": title, "kind": "GUIDE",
            "organisations": [{ "organisation": org["id"], "role": "LEAD" }] } }),
            )
            .await;
        ids.push(ok(&r)["createInitiative"]["initiative"]["id"].clone());
    }
    let link = "mutation($i: LinkInitiativesInput!) { linkInitiatives(input: $i) { from { id } } }";
    let input = json!({ "i": { "from": ids[0], "to": ids[1], "type": "BUILDS_ON" } });
    let answers = join_all((0..6).map(|_| app.gql_as(&key, link, input.clone()))).await;
    assert_eq!(
        answers.iter().filter(|r| r.get("errors").is_none()).count(),
        1,
        "{answers:#?}"
    );
    for r in answers.iter().filter(|r| r.get("errors").is_some()) {
        assert_eq!(error_code(r), "CONFLICT", "{r}");
    }
}

on_both!(title_order_folds_case_and_diacritics_the_same_on_both_databases);
async fn title_order_folds_case_and_diacritics_the_same_on_both_databases(app: TestApp) {
    let key = app.key(Role::Editor, "order").await;
    let org = organisation(&app, &key, "Sorteerhogeschool").await;
    for title in [
        "Zebra-aanpak",
        "émile-methode",
        "Ezelsbruggetje",
        "Åland-route",
        "aap en beer",
        "Łódź-netwerk",
        "Oost",
    ] {
        let vars = json!({
            "i": {
                "title": title, "summary": "Een samenvatting.", "kind": "GUIDE",
                "themes": ["support"], "topics": ["resilience"],
                "organisations": [{ "organisation": org["id"], "role": "LEAD" }],
            },
        });
        let r = app.gql_as(&key, CREATE_INITIATIVE, vars).await;
        let id = ok(&r)["createInitiative"]["initiative"]["id"].clone();
        let r = app.gql_as(&key, PUBLISH, json!({ "id": id })).await;
        assert_eq!(
            ok(&r)["publishInitiative"]["initiative"]["status"],
            "PUBLISHED"
        );
    }
    let expected = [
        "aap en beer",
        "Åland-route",
        "émile-methode",
        "Ezelsbruggetje",
        "Łódź-netwerk",
        "Oost",
        "Zebra-aanpak",
    ];
    let q = "query($o: [ID!], $after: String) {
      initiatives(filter: { organisations: $o }, orderBy: TITLE, first: 3, after: $after) {
        nodes { title } pageInfo { hasNextPage endCursor }
      }
    }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let d = app
            .data(q, json!({ "o": [org["id"]], "after": after }))
            .await;
        let c = &d["initiatives"];
        seen.extend(
            c["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["title"].as_str().expect("title").to_owned()),
        );
        if c["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, expected);
}
