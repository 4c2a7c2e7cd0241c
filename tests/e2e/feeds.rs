//! The Atom and iCalendar feeds and HTTP caching, on both databases. Feeds are read back
//! with real parsers (`feedparser`, `icalendar` from PyPI, run by `read_feed.py` in
//! `.venv-tests`) and compared with what the API shows the public; UIDs hold across
//! restarts; GET queries, feeds and exports answer `304` to a tag the client holds, and
//! every write makes new tags.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::exports::{download, get};
use crate::on_both;
use crate::support::{TestApp, config};
use crate::views::{CAFE, MENTORS, RESILIENCE, create_view, world};

/// What `read_feed.py` says of `body` read as `kind` (`atom` or `ics`).
async fn read_back(kind: &str, body: &[u8]) -> Value {
    crate::exports::read_with("read_feed.py", kind, body).await
}

fn etag(r: &reqwest::Response) -> String {
    r.headers()["etag"].to_str().expect("etag").to_owned()
}

fn strings<'a>(v: &'a Value, field: &str) -> Vec<&'a str> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|x| x[field].as_str().unwrap_or("<null>"))
        .collect()
}

fn second(t: &str) -> DateTime<Utc> {
    let t: DateTime<Utc> = t.parse().expect("time");
    t - chrono::Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos()))
}

const ATOM: &str = "application/atom+xml; charset=utf-8";
const ICAL: &str = "text/calendar; charset=utf-8";

on_both!(feeds_read_back_with_real_parsers_as_the_public_sees_the_api);
async fn feeds_read_back_with_real_parsers_as_the_public_sees_the_api(app: TestApp) {
    let w = world(&app).await;
    assert!(create_view(&app, &w).await.get("errors").is_none());
    let query = "{
      initiatives(first: 3) { totalCount nodes { id title } }
      events(filter: { from: \"2000-01-01T00:00:00Z\" }, first: 100) {
        nodes { title summary startsAt endsAt }
      }
    }";
    let api = app.data(query, json!({})).await;
    // Atom, all published initiatives: the newest fifty, newest first.
    let atom = read_back(
        "atom",
        &download(&app, "/feeds/initiatives.atom", ATOM).await,
    )
    .await;
    assert_eq!(atom["bozo"], false, "{atom:#}");
    assert_eq!(atom["version"], "atom10");
    assert_eq!(atom["id"], "tag:kennisbank.nl,2026:feed:initiatives");
    assert_eq!(atom["self"], json!([app.url("/feeds/initiatives.atom")]));
    let entries = &atom["entries"];
    let total = api["initiatives"]["totalCount"].as_u64().expect("total");
    assert_eq!(
        entries.as_array().expect("entries").len() as u64,
        total.min(50)
    );
    assert_eq!(strings(entries, "title")[..3], [RESILIENCE, MENTORS, CAFE]);
    assert_eq!(
        strings(entries, "title")[..3],
        strings(&api["initiatives"]["nodes"], "title")[..]
    );
    assert!(
        !strings(entries, "title").contains(&w.draft),
        "a draft in the feed"
    );
    assert_eq!(entries[0]["author"], "Regenboognetwerk Teststad");
    assert_eq!(
        entries[0]["summary"],
        format!("{RESILIENCE}: een initiatief voor de test van views.")
    );
    let id: kb_domain::GlobalId = kb_domain::GlobalId::decode(
        "id",
        api["initiatives"]["nodes"][0]["id"].as_str().expect("id"),
    )
    .expect("global id");
    assert_eq!(
        entries[0]["id"],
        format!("tag:kennisbank.nl,2026:initiative:{}", id.id)
    );
    // Atom per view: its order and its language.
    let atom = read_back(
        "atom",
        &download(&app, "/feeds/views/lhbti-en.atom", ATOM).await,
    )
    .await;
    assert_eq!(atom["bozo"], false);
    assert_eq!(atom["title"], "LGBTQIA2S+ in English");
    assert_eq!(atom["language"], "en");
    assert_eq!(atom["id"], "tag:kennisbank.nl,2026:view:lhbti-en");
    assert_eq!(strings(&atom["entries"], "title"), w.lgbtqia.to_vec());
    // iCalendar, coming events: in Amsterdam's time, folded, escaped, no drafts.
    let ics = read_back("ics", &download(&app, "/feeds/events.ics", ICAL).await).await;
    assert_eq!(ics["timezones"], json!(["Europe/Amsterdam"]));
    assert_eq!(ics["crlf_only"], true);
    assert_eq!(ics["ends_with_crlf"], true);
    assert!(
        ics["longest_line"].as_u64().expect("n") <= 75,
        "{}",
        ics["longest_line"]
    );
    let now = Utc::now();
    let coming: Vec<&Value> = api["events"]["nodes"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| {
            e["endsAt"]
                .as_str()
                .expect("t")
                .parse::<DateTime<Utc>>()
                .expect("t")
                >= now
        })
        .collect();
    let events = ics["events"].as_array().expect("events");
    assert_eq!(events.len(), coming.len().min(200));
    let summaries: Vec<&str> = events
        .iter()
        .map(|e| e["summary"].as_str().expect("s"))
        .collect();
    assert!(
        !summaries.contains(&w.draft_event) && !summaries.contains(&w.past_event),
        "{summaries:?}"
    );
    let ours = events
        .iter()
        .find(|e| e["summary"] == w.coming)
        .expect("the coming event");
    assert_eq!(ours["dtstart_tzid"], "Europe/Amsterdam");
    assert_eq!(
        ours["description"],
        w.coming_summary.as_str(),
        "a long text folded and read back intact"
    );
    assert_eq!(ours["location"], "Zaal 1, Teststad");
    let api_event = coming
        .iter()
        .find(|e| e["title"] == w.coming)
        .expect("in the API");
    assert_eq!(ours["description"], api_event["summary"]);
    assert_eq!(
        second(ours["dtstart_utc"].as_str().expect("t")),
        second(api_event["startsAt"].as_str().expect("t"))
    );
    assert_eq!(
        second(ours["dtend_utc"].as_str().expect("t")),
        second(api_event["endsAt"].as_str().expect("t"))
    );
    assert!(
        ours["uid"]
            .as_str()
            .expect("uid")
            .ends_with("@kennisbank.nl")
    );
    // iCalendar per view: the coming published event featuring its initiatives.
    let ics = read_back(
        "ics",
        &download(&app, "/feeds/views/lhbti-en.ics", ICAL).await,
    )
    .await;
    assert_eq!(ics["name"], "LGBTQIA2S+ in English");
    assert_eq!(strings(&ics["events"], "summary"), vec![w.coming]);
    assert_eq!(
        strings(&ics["events"], "uid"),
        vec![ours["uid"].as_str().expect("uid")]
    );
    // UIDs (and the whole calendar) are the same from two fresh servers on this database.
    let uids = strings(&ics["events"], "uid").join(",");
    let mut bodies = Vec::new();
    for _ in 0..2 {
        let restarted = TestApp::spawn_on(&app.database_url, config(&[])).await;
        let body = download(&restarted, "/feeds/views/lhbti-en.ics", ICAL).await;
        let again = read_back("ics", &body).await;
        assert_eq!(strings(&again["events"], "uid").join(","), uids);
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1], "the same calendar after a restart");
    let r = get(&app, "/feeds/views/bestaat-niet.atom", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get(&app, "/feeds/views/lhbti-en.rss", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

on_both!(get_queries_feeds_and_exports_answer_304_until_a_write);
async fn get_queries_feeds_and_exports_answer_304_until_a_write(app: TestApp) {
    let w = world(&app).await;
    let q = "/graphql?query=%7B%20themes%20%7B%20code%20%7D%20%7D";
    let other = "/graphql?query=%7B%20topics%20%7B%20code%20%7D%20%7D";
    let paths = [
        "/feeds/initiatives.atom",
        "/feeds/events.ics",
        q,
        "/export/initiatives.csv",
    ];
    let mut tags = Vec::new();
    for path in paths {
        let first = get(&app, path, None).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let tag = etag(&first);
        assert!(tag.starts_with("W/\"kb-"), "{path}: {tag}");
        assert_eq!(first.headers()["cache-control"], "no-cache");
        let again = get(&app, path, None).await;
        assert_eq!(etag(&again), tag, "{path}: the same tag twice");
        let cached = get(&app, path, Some(&tag)).await;
        assert_eq!(cached.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(etag(&cached), tag);
        assert!(
            cached.bytes().await.expect("body").is_empty(),
            "{path}: 304 has no body"
        );
        tags.push(tag);
    }
    // Another query, another viewer or another language never shares a tag.
    let other_tag = etag(&get(&app, other, None).await);
    assert_ne!(other_tag, tags[2]);
    let as_partner = app
        .client()
        .get(app.url(q))
        .bearer_auth(&w.partner)
        .send()
        .await
        .expect("get");
    assert_eq!(as_partner.status(), StatusCode::OK);
    assert_ne!(etag(&as_partner), tags[2]);
    assert_eq!(as_partner.headers()["cache-control"], "private, no-cache");
    let partner_tag = etag(&as_partner);
    let r = app
        .client()
        .get(app.url(q))
        .bearer_auth(&w.partner)
        .header("if-none-match", &tags[2])
        .send()
        .await
        .expect("get");
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the public's tag is not the partner's"
    );
    let r = app
        .client()
        .get(app.url(q))
        .bearer_auth(&w.partner)
        .header("if-none-match", &partner_tag)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    let english = app
        .client()
        .get(app.url(q))
        .header("accept-language", "en")
        .send()
        .await
        .expect("get");
    assert_ne!(etag(&english), tags[2]);
    // POST is never cached.
    let r = app
        .client()
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ themes { code } }" }))
        .send()
        .await
        .expect("post");
    assert!(r.headers().get("etag").is_none());
    // An answer with errors is not tagged either.
    let r = get(
        &app,
        "/graphql?query=%7B%20view(slug%3A%20%22x%22)%20%7B%20slug%20%7D%20%7D",
        None,
    )
    .await;
    assert!(r.headers().get("etag").is_none());
    // A write (here a partner's new view) makes every tag new.
    assert!(create_view(&app, &w).await.get("errors").is_none());
    for (path, tag) in paths.iter().zip(&tags) {
        let r = get(&app, path, Some(tag)).await;
        assert_eq!(r.status(), StatusCode::OK, "{path} after a write");
        assert_ne!(&etag(&r), tag, "{path} after a write");
    }
}
