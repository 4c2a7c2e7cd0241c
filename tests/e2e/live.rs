//! Subscriptions over a real WebSocket (graphql-transport-ws): what is published
//! reaches the subscribers that asked for it and may see it, across instances, within
//! the bounds per key.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use kb_domain::Role;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::on_both;
use crate::support::{Served, TestApp, config, error_code};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A graphql-transport-ws client on one connection.
pub(crate) struct Client {
    socket: Socket,
}

impl Client {
    /// Connects and completes the handshake, with `payload` in `connection_init` (a key
    /// as `{"Authorization": "Bearer …"}`) and `header` as the upgrade's Authorization.
    pub(crate) async fn connect(app: &TestApp, payload: Value, header: Option<&str>) -> Client {
        Self::connect_to(app.addr, "graphql-transport-ws", payload, header).await
    }

    /// The same with the server at `addr`, over `protocol` (`graphql-transport-ws`, or
    /// `graphql-ws` for the older protocol, which has the same handshake).
    async fn connect_to(
        addr: SocketAddr,
        protocol: &str,
        payload: Value,
        header: Option<&str>,
    ) -> Client {
        let mut client = Self::open_to(addr, protocol, header).await;
        client
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let ack = client.receive().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    async fn open(app: &TestApp, header: Option<&str>) -> Client {
        Self::open_to(app.addr, "graphql-transport-ws", header).await
    }

    async fn open_to(addr: SocketAddr, protocol: &str, header: Option<&str>) -> Client {
        let mut request = format!("ws://{addr}/graphql")
            .into_client_request()
            .expect("request");
        let h = request.headers_mut();
        h.insert("sec-websocket-protocol", protocol.parse().expect("header"));
        if let Some(key) = header {
            h.insert(
                "authorization",
                format!("Bearer {key}").parse().expect("header"),
            );
        }
        let (socket, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("connect");
        assert_eq!(response.headers()["sec-websocket-protocol"], protocol);
        Client { socket }
    }

    async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("send");
    }

    pub(crate) async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let message = json!({
            "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables },
        });
        self.send(message).await;
    }

    /// The next message that is not a ping (answered) or pong; a close frame as
    /// `{"type": "close", "code": …}`.
    pub(crate) async fn receive(&mut self) -> Value {
        loop {
            let m = tokio::time::timeout(Duration::from_secs(15), self.socket.next())
                .await
                .expect("a message within 15 s")
                .expect("the socket is open")
                .expect("a message");
            match m {
                Message::Text(t) => {
                    let v: Value = serde_json::from_str(t.as_str()).expect("JSON");
                    match v["type"].as_str() {
                        Some("ping") => self.send(json!({ "type": "pong" })).await,
                        Some("pong") => {}
                        _ => return v,
                    }
                }
                Message::Close(frame) => {
                    let code = frame.map(|f| u16::from(f.code)).unwrap_or_default();
                    return json!({ "type": "close", "code": code });
                }
                _ => {}
            }
        }
    }

    /// The code and reason of the close frame that must come next (after messages of
    /// subscriptions), once the close is answered as a client does and the socket ended.
    async fn closed(&mut self) -> (u16, String) {
        loop {
            let m = tokio::time::timeout(Duration::from_secs(15), self.socket.next())
                .await
                .expect("a close frame within 15 s")
                .expect("the socket is open")
                .expect("a message");
            if let Message::Close(frame) = m {
                let frame = frame.expect("a close frame with a code");
                // Reading on sends the answer; the server then ends the connection.
                while let Some(Ok(_)) = self.socket.next().await {}
                return (u16::from(frame.code), frame.reason.to_string());
            }
        }
    }

    /// The errors of a subscription refused before it started: a `next` with errors and
    /// no data, then `complete`.
    pub(crate) async fn refused(&mut self, id: &str) -> Value {
        let m = self.receive().await;
        assert_eq!(m["type"], "next", "{m}");
        assert_eq!(m["id"], id, "{m}");
        assert_eq!(m["payload"]["data"], Value::Null, "{m}");
        let done = self.receive().await;
        assert_eq!(done, json!({ "type": "complete", "id": id }));
        m["payload"]["errors"].clone()
    }

    /// The payload of the next `next` message for `id`.
    async fn next_of(&mut self, id: &str) -> Value {
        let m = self.receive().await;
        assert_eq!(m["type"], "next", "{m}");
        assert_eq!(m["id"], id, "{m}");
        m["payload"].clone()
    }
}

/// Creates an initiative under `theme` as `key`, published when `publish`.
async fn initiative(
    app: &TestApp,
    key: &str,
    org: &str,
    title: &str,
    theme: &str,
    publish: bool,
) -> Value {
    let create =
        "mutation($i: InitiativeInput!) { createInitiative(input: $i) { initiative { id } } }";
    let vars = json!({
        "i": {
            "title": title, "kind": "GUIDE", "summary": "Een handreiking voor de opleiding.",
            "themes": [theme], "topics": ["resilience"],
            "website": "https://waddenpoort.example/gids",
            "organisations": [{ "organisation": org, "role": "LEAD" }],
        },
    });
    let r = app.gql_as(key, create, vars).await;
    let id = r["data"]["createInitiative"]["initiative"]["id"].clone();
    assert!(id.is_string(), "{r}");
    if publish {
        let publish = "mutation($id: ID!) { publishInitiative(id: $id) { initiative { status } } }";
        let r = app.gql_as(key, publish, json!({ "id": id })).await;
        assert_eq!(
            r["data"]["publishInitiative"]["initiative"]["status"], "PUBLISHED",
            "{r}"
        );
    }
    id
}

/// Creates and publishes an event from `starts` (an hour long) featuring `initiative`.
async fn event(app: &TestApp, key: &str, org: &str, title: &str, starts: &str, initiative: &Value) {
    let start = chrono::DateTime::parse_from_rfc3339(starts).expect("time");
    let end = (start + chrono::Duration::hours(1)).to_rfc3339();
    let create = "mutation($i: EventInput!) { createEvent(input: $i) { event { id } } }";
    let vars = json!({
        "i": {
            "title": title, "kind": "WEBINAR", "startsAt": starts, "endsAt": end, "online": true,
            "themes": ["prevention"], "organisers": [org], "initiatives": [initiative],
        },
    });
    let r = app.gql_as(key, create, vars).await;
    let id = r["data"]["createEvent"]["event"]["id"].clone();
    assert!(id.is_string(), "{r}");
    let publish = "mutation($id: ID!) { publishEvent(id: $id) { event { status } } }";
    let r = app.gql_as(key, publish, json!({ "id": id })).await;
    assert_eq!(
        r["data"]["publishEvent"]["event"]["status"], "PUBLISHED",
        "{r}"
    );
}

const INITIATIVES: &str = "subscription($f: InitiativeFilter) {
  initiativePublished(filter: $f) {
    title status themes { code } organisations { organisation { slug } }
  }
}";

on_both!(a_subscriber_receives_what_is_published_that_it_asks_for_and_nothing_else);
async fn a_subscriber_receives_what_is_published_that_it_asks_for_and_nothing_else(app: TestApp) {
    let key = app.key(Role::Editor, "e").await;
    let org = app.organisation_id("hogeschool-waddenpoort").await;
    let mut anonymous = Client::connect(&app, json!({}), None).await;
    anonymous
        .subscribe(
            "prevention",
            INITIATIVES,
            json!({ "f": { "themes": ["prevention"] } }),
        )
        .await;
    anonymous
        .subscribe(
            "events",
            "subscription { eventPublished { title status startsAt } }",
            json!({}),
        )
        .await;
    // Unknown codes are refused at once, with the field named.
    anonymous
        .subscribe("bad", INITIATIVES, json!({ "f": { "themes": ["nope"] } }))
        .await;
    let errors = anonymous.refused("bad").await;
    assert_eq!(
        errors[0]["extensions"],
        json!({ "code": "BAD_USER_INPUT", "field": "filter.themes" })
    );
    // Let the subscriptions settle before the first publication.
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Another theme, and a draft of the theme: neither is sent.
    initiative(
        &app,
        &key,
        &org,
        "Steunpunt voor mantelzorgers",
        "support",
        true,
    )
    .await;
    initiative(
        &app,
        &key,
        &org,
        "Concept: weerbaarheid in het eerste jaar",
        "prevention",
        false,
    )
    .await;
    initiative(
        &app,
        &key,
        &org,
        "Weerbaarheid in het eerste jaar",
        "prevention",
        true,
    )
    .await;
    let payload = anonymous.next_of("prevention").await;
    let expected = json!({
        "data": {
            "initiativePublished": {
                "title": "Weerbaarheid in het eerste jaar", "status": "PUBLISHED",
                "themes": [{ "code": "prevention" }],
                "organisations": [{ "organisation": { "slug": "hogeschool-waddenpoort" } }],
            },
        },
    });
    assert_eq!(payload, expected);
    // An edit of what is already published is not a publication.
    let event = "mutation($i: EventInput!) { createEvent(input: $i) { event { id } } }";
    let vars = json!({
        "i": {
            "title": "Webinar weerbaarheid", "kind": "WEBINAR",
            "startsAt": "2027-02-10T15:00:00+00:00", "endsAt": "2027-02-10T16:00:00Z",
            "online": true, "themes": ["prevention"], "topics": ["resilience"], "organisers": [org],
        },
    });
    let r = app.gql_as(&key, event, vars).await;
    let id = r["data"]["createEvent"]["event"]["id"].clone();
    let publish = "mutation($id: ID!) { publishEvent(id: $id) { event { status version } } }";
    let r = app.gql_as(&key, publish, json!({ "id": id })).await;
    assert_eq!(
        r["data"]["publishEvent"]["event"]["status"], "PUBLISHED",
        "{r}"
    );
    let version = r["data"]["publishEvent"]["event"]["version"].clone();
    // An item is loaded as it stands when it is sent: read before it changes.
    let payload = anonymous.next_of("events").await;
    let expected = json!({
        "data": {
            "eventPublished": {
                "title": "Webinar weerbaarheid", "status": "PUBLISHED",
                "startsAt": "2027-02-10T15:00:00+00:00",
            },
        },
    });
    assert_eq!(payload, expected);
    let update = "mutation($id: ID!, $v: Int!, $i: EventInput!) {
      updateEvent(id: $id, expectedVersion: $v, input: $i) { event { version } }
    }";
    let r = app
        .gql_as(
            &key,
            update,
            json!({ "id": id, "v": version, "i": { "title": "Webinar: weerbaarheid" } }),
        )
        .await;
    assert!(r.get("errors").is_none(), "{r}");
    initiative(
        &app,
        &key,
        &org,
        "Preventie in de propedeuse",
        "prevention",
        true,
    )
    .await;
    // The edit sent nothing: the next message is the next initiative.
    let payload = anonymous.next_of("prevention").await;
    assert_eq!(
        payload["data"]["initiativePublished"]["title"],
        "Preventie in de propedeuse"
    );
    // Completing a subscription stops it.
    anonymous
        .send(json!({ "id": "prevention", "type": "complete" }))
        .await;
    assert_eq!(
        anonymous.receive().await,
        json!({ "type": "complete", "id": "prevention" })
    );
    initiative(
        &app,
        &key,
        &org,
        "Preventie na de complete",
        "prevention",
        true,
    )
    .await;
    let vars = json!({
        "i": {
            "title": "Tweede webinar", "kind": "WEBINAR", "startsAt": "2027-03-10T15:00:00Z",
            "endsAt": "2027-03-10T16:00:00Z", "online": true, "themes": ["support"],
            "topics": ["resilience"], "organisers": [org],
        },
    });
    let r = app.gql_as(&key, event, vars).await;
    let id = r["data"]["createEvent"]["event"]["id"].clone();
    app.gql_as(&key, publish, json!({ "id": id })).await;
    let payload = anonymous.next_of("events").await;
    assert_eq!(payload["data"]["eventPublished"]["title"], "Tweede webinar");
}

on_both!(a_publication_through_one_instance_reaches_a_subscriber_of_another);
async fn a_publication_through_one_instance_reaches_a_subscriber_of_another(app: TestApp) {
    let key = app.key(Role::Editor, "e").await;
    let org = app.organisation_id("hogeschool-waddenpoort").await;
    let other = TestApp::spawn_on(
        &app.database_url,
        config(&["--follow-interval-secs", "0.1"]),
    )
    .await;
    let mut client = Client::connect(
        &other,
        json!({ "Authorization": format!("Bearer {key}") }),
        None,
    )
    .await;
    client.subscribe("all", INITIATIVES, json!({})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    initiative(
        &app,
        &key,
        &org,
        "Gepubliceerd via de eerste instantie",
        "support",
        true,
    )
    .await;
    let payload = client.next_of("all").await;
    assert_eq!(
        payload["data"]["initiativePublished"]["title"],
        "Gepubliceerd via de eerste instantie"
    );
}

on_both!(subscriptions_are_bounded_per_key_and_a_bad_key_is_refused);
async fn subscriptions_are_bounded_per_key_and_a_bad_key_is_refused(app: TestApp) {
    let app = TestApp::spawn_on(
        &app.database_url,
        config(&["--max-subscriptions-per-key", "2"]),
    )
    .await;
    let key = app.key(Role::Editor, "e").await;
    let org = app.organisation_id("hogeschool-waddenpoort").await;
    let mut anonymous = Client::connect(&app, json!({}), None).await;
    anonymous.subscribe("a", INITIATIVES, json!({})).await;
    anonymous.subscribe("b", INITIATIVES, json!({})).await;
    anonymous.subscribe("c", INITIATIVES, json!({})).await;
    let errors = anonymous.refused("c").await;
    assert_eq!(errors[0]["extensions"]["code"], "LIMIT_EXCEEDED");
    // The bound is per address here; a second connection from it is bound too.
    let mut again = Client::connect(&app, json!({}), None).await;
    again.subscribe("d", INITIATIVES, json!({})).await;
    let errors = again.refused("d").await;
    assert_eq!(errors[0]["extensions"]["code"], "LIMIT_EXCEEDED");
    // A key has bounds of its own (here from the upgrade request's header).
    let mut keyed = Client::connect(&app, json!({}), Some(&key)).await;
    keyed.subscribe("k", INITIATIVES, json!({})).await;
    // Completing one gives its place back.
    anonymous
        .send(json!({ "id": "b", "type": "complete" }))
        .await;
    assert_eq!(
        anonymous.receive().await,
        json!({ "type": "complete", "id": "b" })
    );
    again.subscribe("e", INITIATIVES, json!({})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    initiative(&app, &key, &org, "Voor iedere abonnee", "support", true).await;
    for (client, id) in [(&mut anonymous, "a"), (&mut keyed, "k"), (&mut again, "e")] {
        let payload = client.next_of(id).await;
        assert_eq!(
            payload["data"]["initiativePublished"]["title"],
            "Voor iedere abonnee"
        );
    }
    // An unknown key in connection_init closes the socket with 4403.
    let mut bad = Client::open(&app, None).await;
    bad.send(
        json!({ "type": "connection_init", "payload": { "Authorization": "Bearer kb_nope" } }),
    )
    .await;
    let m = bad.receive().await;
    assert_eq!(m, json!({ "type": "close", "code": 4403 }));
    // An unknown key on the upgrade request is refused before the upgrade.
    let r = app
        .client()
        .get(app.url("/graphql"))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("sec-websocket-protocol", "graphql-transport-ws")
        .header("authorization", "Bearer kb_nope")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    // Without the subprotocol there is no GraphQL to speak.
    let r = app
        .client()
        .get(app.url("/graphql"))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 400);
}

on_both!(a_subscription_to_a_view_sends_its_initiatives_and_coming_events_only);
async fn a_subscription_to_a_view_sends_its_initiatives_and_coming_events_only(app: TestApp) {
    let key = app.key(Role::Editor, "e").await;
    let org = app.organisation_id("hogeschool-waddenpoort").await;
    let view = "mutation($i: ViewInput!) { createView(input: $i) { view { slug } } }";
    let r = app
        .gql_as(
            &key,
            view,
            json!({ "i": { "slug": "weerbaarheid", "title": "Weerbaarheid",
            "filter": { "themes": ["prevention"] }, "search": "propedeuse" } }),
        )
        .await;
    assert_eq!(
        r["data"]["createView"]["view"]["slug"], "weerbaarheid",
        "{r}"
    );
    let mut client = Client::connect(&app, json!({}), None).await;
    let v = json!({ "v": "weerbaarheid" });
    client
        .subscribe(
            "i",
            "subscription($v: String) { initiativePublished(view: $v) { title } }",
            v.clone(),
        )
        .await;
    client
        .subscribe(
            "e",
            "subscription($v: String) { eventPublished(view: $v) { title } }",
            v,
        )
        .await;
    client
        .subscribe(
            "missing",
            "subscription { initiativePublished(view: \"bestaat-niet\") { title } }",
            json!({}),
        )
        .await;
    let errors = client.refused("missing").await;
    assert_eq!(errors[0]["extensions"]["code"], "NOT_FOUND");
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The view's theme without its words, its words in another theme, then both.
    let outside = initiative(
        &app,
        &key,
        &org,
        "Preventie in het eerste jaar",
        "prevention",
        true,
    )
    .await;
    initiative(
        &app,
        &key,
        &org,
        "Propedeuse zonder zorgen",
        "support",
        true,
    )
    .await;
    let inside = initiative(
        &app,
        &key,
        &org,
        "Weerbaarheid in de propedeuse",
        "prevention",
        true,
    )
    .await;
    let payload = client.next_of("i").await;
    assert_eq!(
        payload,
        json!({ "data": { "initiativePublished": { "title": "Weerbaarheid in de propedeuse" } } })
    );
    // A past event of the view's initiative, a coming one of another, a coming one of
    // the view's: only the last is the view's.
    event(
        &app,
        &key,
        &org,
        "Terugblik weerbaarheid",
        "2020-05-01T10:00:00Z",
        &inside,
    )
    .await;
    event(
        &app,
        &key,
        &org,
        "Webinar preventie",
        "2030-05-01T10:00:00Z",
        &outside,
    )
    .await;
    event(
        &app,
        &key,
        &org,
        "Webinar weerbaarheid",
        "2030-06-01T10:00:00Z",
        &inside,
    )
    .await;
    let payload = client.next_of("e").await;
    assert_eq!(
        payload,
        json!({ "data": { "eventPublished": { "title": "Webinar weerbaarheid" } } })
    );
}

/// SIGTERM closes the socket of every subscriber, on either protocol, with 1001 (Going
/// Away), and subscribers do not hold the drain open: the process exits with 0 long before
/// its grace is over. Shutdown does not depend on the database; SQLite it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_shutdown_every_subscriber_is_told_the_server_is_going_away() {
    let served = Served::start(&["--shutdown-grace-secs", "60"], &[]).await;
    let mut current =
        Client::connect_to(served.addr, "graphql-transport-ws", json!({}), None).await;
    current.subscribe("c", INITIATIVES, json!({})).await;
    let mut older = Client::connect_to(served.addr, "graphql-ws", json!({}), None).await;
    older
        .send(json!({ "id": "o", "type": "start", "payload": { "query": INITIATIVES } }))
        .await;
    served.terminate();
    for client in [&mut current, &mut older] {
        let (code, reason) = client.closed().await;
        assert_eq!((code, reason.as_str()), (1001, "server shutting down"));
    }
    // Within a third of the grace, so the subscribers did not hold the drain open.
    let (status, _) = served.exit(Duration::from_secs(20)).await;
    assert_eq!(status.code(), Some(0), "{status}");
}
