//! Sharing an initiative through the website and moderating it, over real HTTP on both
//! databases: the contributor's form (errors beside their fields and summarised, all that
//! was typed kept), saving a draft, submitting, the editors' queue and review page,
//! rejecting with a reason, sending back with a note, publishing; a stale version that
//! keeps the person's text; and every refusal with its exact status and nothing written.

use kb_domain::{AccountRole, NodeId, OrganisationId};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

use crate::on_both;
use crate::support::{TestApp, at};
use crate::web_people::{Got, Person, same_site};

/// One value of a SQL query, as text.
pub async fn scalar(app: &TestApp, sql: &str) -> String {
    let db = Database::connect(&app.database_url).await.expect("open");
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
        .or_else(|_| row.try_get_by_index::<i32>(0).map(|n| n.to_string()))
        .or_else(|_| {
            row.try_get_by_index::<Option<String>>(0)
                .map(|n| n.unwrap_or_default())
        })
        .expect("a value")
}

/// The `value` of the form field `name` in a page (hidden inputs included).
pub fn field(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    html.find(&key)
        .map(|i| {
            let rest = &html[i + key.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
        .unwrap_or_default()
}

/// The global id in a redirect to `/mijn-initiatieven/{id}…`.
fn id_in(location: &str) -> String {
    location
        .trim_start_matches("/mijn-initiatieven/")
        .split(['?', '/'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Two organisations of the demo data, a theme and two topics.
pub struct World {
    pub own: OrganisationId,
    pub own_gid: String,
    pub other: OrganisationId,
    pub theme: String,
    pub topic: String,
}

pub async fn world(app: &TestApp) -> World {
    let d = app
        .data(
            "{ organisations(first: 2) { nodes { id } } themes { code } topics { code } }",
            json!({}),
        )
        .await;
    let ids: Vec<String> = at(&d, "organisations.nodes")
        .as_array()
        .expect("organisations")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_owned())
        .collect();
    let decode = |s: &str| OrganisationId::decode("id", s).expect("organisation id");
    World {
        own: decode(&ids[0]),
        own_gid: ids[0].clone(),
        other: decode(&ids[1]),
        theme: at(&d, "themes")[0]["code"]
            .as_str()
            .expect("theme")
            .to_owned(),
        topic: at(&d, "topics")[0]["code"]
            .as_str()
            .expect("topic")
            .to_owned(),
    }
}

/// The fields of a complete initiative.
fn complete<'a>(w: &'a World, title: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        (
            "summary",
            "Studenten helpen elkaar in de eerste weken van hun studie.",
        ),
        (
            "body",
            "## Opzet\n\nElke nieuwe student krijgt een **buddy**.",
        ),
        ("kind", "TRAINING"),
        ("themes", w.theme.as_str()),
        ("topics", w.topic.as_str()),
        ("languages", "nl"),
        ("startYear", "2024"),
        ("website", "https://buddy.example"),
        ("contactEmail", "welzijn@buddy.example"),
    ]
}

async fn status_of(app: &TestApp, title: &str) -> String {
    scalar(
        app,
        &format!("SELECT status FROM initiative WHERE title = '{title}'"),
    )
    .await
}

async fn count_initiatives(app: &TestApp) -> i64 {
    scalar(app, "SELECT COUNT(*) FROM initiative")
        .await
        .parse()
        .expect("count")
}

on_both!(a_contributor_shares_and_an_editor_moderates);
async fn a_contributor_shares_and_an_editor_moderates(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann de Bijdrager", w.own).await;
    let eva = Person::appointed(&app, "Eva Redacteur", AccountRole::Editor).await;
    let before = count_initiatives(&app).await;

    // The workspace and the empty form.
    let list = ann.get(&app, "/mijn-initiatieven").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.headers["cache-control"], "no-store");
    assert!(
        list.body.contains("<h1>Mijn initiatieven</h1>"),
        "{}",
        list.body
    );
    let form = ann.get(&app, "/mijn-initiatieven/nieuw").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(field(&form.body, "csrf"), ann.csrf);

    // A form with mistakes: every one beside its field and in the summary, all typed kept.
    let bad = ann
        .post(
            &app,
            "/mijn-initiatieven/nieuw",
            &[
                ("actie", "opslaan"),
                ("title", ""),
                ("summary", "Te kort"),
                ("website", "geen adres"),
                ("contactEmail", "geen-adres"),
                ("body", "Mijn <eigen> tekst"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let summary = &bad.body[bad.body.find("error-summary").expect("a summary")..];
    let summary = &summary[..summary.find("</div>").expect("its end")];
    let order: Vec<usize> = ["#f-title", "#f-kind", "#f-website", "#f-contactEmail"]
        .iter()
        .map(|t| {
            summary
                .find(&format!("href=\"{t}\""))
                .unwrap_or_else(|| panic!("{t} in {summary}"))
        })
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "in the form's order: {summary}"
    );
    assert_eq!(summary.matches("<li>").count(), 4, "{summary}");
    assert!(bad.body.contains("id=\"f-website-error\""));
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert!(bad.body.contains(">Te kort</textarea>"));
    assert!(bad.body.contains("Mijn &lt;eigen&gt; tekst</textarea>"));
    assert!(
        bad.body
            .contains("name=\"website\" type=\"url\" value=\"geen adres\"")
    );
    assert_eq!(count_initiatives(&app).await, before, "nothing was written");

    // Corrected, saved as a draft.
    let title = "Zwaluwstaartproject eerstejaars";
    let mut fields = complete(&w, title);
    fields.retain(|(k, _)| *k != "themes" && *k != "topics");
    let mut pairs = vec![("actie", "opslaan")];
    pairs.extend(fields.iter().copied());
    let saved = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        saved.location.ends_with("?melding=opgeslagen"),
        "{}",
        saved.location
    );
    let id = id_in(&saved.location);
    assert_eq!(status_of(&app, title).await, "draft");
    let edit_path = format!("/mijn-initiatieven/{id}");

    // Submitting without themes and topics: both named, it stays a draft.
    let form = ann.get(&app, &saved.location).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Opgeslagen als concept."));
    let version = field(&form.body, "version");
    let lead = field(&form.body, "lead");
    assert_eq!(lead, w.own_gid);
    let mut pairs = vec![
        ("actie", "indienen"),
        ("version", version.as_str()),
        ("lead", lead.as_str()),
    ];
    pairs.extend(fields.iter().copied());
    let incomplete = ann.post(&app, &edit_path, &pairs).await;
    assert_eq!(
        incomplete.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        incomplete.body
    );
    assert!(incomplete.body.contains("href=\"#f-themes\""));
    assert!(incomplete.body.contains("href=\"#f-topics\""));
    assert_eq!(status_of(&app, title).await, "draft");

    // Complete, submitted.
    let version = field(&incomplete.body, "version");
    let mut pairs = vec![
        ("actie", "indienen"),
        ("version", version.as_str()),
        ("lead", lead.as_str()),
    ];
    pairs.extend(complete(&w, title));
    let submitted = ann.post(&app, &edit_path, &pairs).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    assert_eq!(submitted.location, "/mijn-initiatieven?melding=ingediend");
    assert_eq!(status_of(&app, title).await, "submitted");

    // The editor's queue names it, with the count in the header.
    let queue = eva.get(&app, "/redactie").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(title), "{}", queue.body);
    assert!(queue.body.contains(&format!("href=\"/redactie/{id}\"")));
    let review_path = format!("/redactie/{id}");
    let review = eva.get(&app, &review_path).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(
        review.body.contains("<h2>Nieuw initiatief</h2>"),
        "a new one is shown whole"
    );
    let version = field(&review.body, "version");

    // A rejection needs a reason; without one nothing changes.
    let no_reason = eva
        .post(
            &app,
            &review_path,
            &[("actie", "afwijzen"), ("version", &version), ("reden", "")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("id=\"reden-afwijzen-error\""));
    assert_eq!(status_of(&app, title).await, "submitted");
    let reason = "Beschrijf de begeleiding van de buddy's concreter.";
    let rejected = eva
        .post(
            &app,
            &review_path,
            &[
                ("actie", "afwijzen"),
                ("version", &version),
                ("reden", reason),
            ],
        )
        .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, title).await, "rejected");

    // The contributor reads the reason in the workspace, edits and submits again.
    let list = ann.get(&app, "/mijn-initiatieven").await;
    assert!(
        list.body
            .contains("Beschrijf de begeleiding van de buddy&#39;s concreter.")
            || list
                .body
                .contains("Beschrijf de begeleiding van de buddy's concreter."),
        "{}",
        list.body
    );
    let form = ann.get(&app, &edit_path).await;
    assert!(form.body.contains("Afgewezen door de redactie"));
    let version = field(&form.body, "version");
    let mut pairs = vec![
        ("actie", "indienen"),
        ("version", version.as_str()),
        ("lead", lead.as_str()),
    ];
    pairs.extend(complete(&w, title));
    let again = ann.post(&app, &edit_path, &pairs).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(status_of(&app, title).await, "submitted");

    // Sent back with a note: a draft again, the note shown to the contributor.
    let review = eva.get(&app, &review_path).await;
    let version = field(&review.body, "version");
    let note = "Voeg nog een contactpersoon van de opleiding toe.";
    let back = eva
        .post(
            &app,
            &review_path,
            &[
                ("actie", "terugsturen"),
                ("version", &version),
                ("reden", note),
            ],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, title).await, "draft");
    let form = ann.get(&app, &edit_path).await;
    assert!(form.body.contains("Teruggestuurd door de redactie"));
    assert!(form.body.contains(note));
    let version = field(&form.body, "version");
    let mut pairs = vec![
        ("actie", "indienen"),
        ("version", version.as_str()),
        ("lead", lead.as_str()),
    ];
    pairs.extend(complete(&w, title));
    assert_eq!(
        ann.post(&app, &edit_path, &pairs).await.status,
        StatusCode::SEE_OTHER
    );

    // Published; the public page, and search, show it.
    let review = eva.get(&app, &review_path).await;
    let version = field(&review.body, "version");
    let published = eva
        .post(
            &app,
            &review_path,
            &[("actie", "publiceren"), ("version", &version)],
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, title).await, "published");
    let slug = scalar(
        &app,
        &format!("SELECT slug FROM initiative WHERE title = '{title}'"),
    )
    .await;
    let public = app
        .client()
        .get(app.url(&format!("/initiatieven/{slug}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(public.status(), StatusCode::OK);
    assert!(public.text().await.expect("page").contains(title));
    app.caught_up().await;
    let found = app
        .data(
            "query($q: String!) { search(query: $q) { totalCount } }",
            json!({ "q": "zwaluwstaartproject" }),
        )
        .await;
    assert_eq!(at(&found, "search.totalCount"), 1);

    // The history names each step and person.
    let review = eva.get(&app, &review_path).await;
    for step in [
        "aangemaakt",
        "ingediend",
        "afgewezen",
        "teruggestuurd",
        "gepubliceerd",
    ] {
        assert!(review.body.contains(step), "{step}");
    }
    assert!(review.body.contains("Ann de Bijdrager"));
    assert_eq!(count_initiatives(&app).await, before + 1);
}

on_both!(a_stale_version_shows_what_changed_and_keeps_the_text);
async fn a_stale_version_shows_what_changed_and_keeps_the_text(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann", w.own).await;
    let bob = Person::contributor(&app, "Bob", w.own).await;
    let mut pairs = vec![("actie", "opslaan")];
    pairs.extend(complete(&w, "Gedeeld concept"));
    let saved = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let path = format!("/mijn-initiatieven/{}", id_in(&saved.location));
    // Both open the form at the same version.
    let ann_form = ann.get(&app, &path).await;
    let bob_form = bob.get(&app, &path).await;
    let version = field(&ann_form.body, "version");
    assert_eq!(version, field(&bob_form.body, "version"));
    let lead = field(&ann_form.body, "lead");
    // Ann saves first.
    let mut pairs = vec![
        ("actie", "opslaan"),
        ("version", version.as_str()),
        ("lead", lead.as_str()),
    ];
    pairs.extend(complete(&w, "Gedeeld concept, door Ann"));
    assert_eq!(
        ann.post(&app, &path, &pairs).await.status,
        StatusCode::SEE_OTHER
    );
    // Bob's save of the old version is refused with Ann's change shown and his text kept.
    let mut pairs = vec![
        ("actie", "opslaan"),
        ("version", version.as_str()),
        ("lead", lead.as_str()),
    ];
    let mut bobs = complete(&w, "Gedeeld concept, door Bob");
    bobs.retain(|(k, _)| *k != "summary");
    bobs.push((
        "summary",
        "Bobs eigen samenvatting, die niet verloren mag gaan.",
    ));
    pairs.extend(bobs);
    let stale: Got = bob.post(&app, &path, &pairs).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        stale
            .body
            .contains("Iemand anders heeft intussen opgeslagen")
    );
    assert!(
        stale
            .body
            .contains("<dt>Titel</dt><dd>Gedeeld concept, door Ann</dd>"),
        "{}",
        stale.body
    );
    assert!(stale.body.contains("value=\"Gedeeld concept, door Bob\""));
    assert!(
        stale
            .body
            .contains("Bobs eigen samenvatting, die niet verloren mag gaan.</textarea>")
    );
    assert_eq!(status_of(&app, "Gedeeld concept, door Ann").await, "draft");
    // The form now carries the current version: saving again is Bob's deliberate choice.
    let current = field(&stale.body, "version");
    assert_eq!(
        current.parse::<i64>().expect("version"),
        version.parse::<i64>().expect("version") + 1
    );
    let mut pairs = vec![
        ("actie", "opslaan"),
        ("version", current.as_str()),
        ("lead", lead.as_str()),
    ];
    pairs.extend(complete(&w, "Gedeeld concept, door Bob"));
    assert_eq!(
        bob.post(&app, &path, &pairs).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(status_of(&app, "Gedeeld concept, door Bob").await, "draft");
}

on_both!(refusals_write_nothing);
async fn refusals_write_nothing(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann", w.own).await;
    let oscar = Person::contributor(&app, "Oscar", w.other).await;
    let mut pairs = vec![("actie", "opslaan")];
    pairs.extend(complete(&w, "Alleen van Ann"));
    let saved = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
    let id = id_in(&saved.location);
    let path = format!("/mijn-initiatieven/{id}");
    let form = ann.get(&app, &path).await;
    let version = field(&form.body, "version");
    let lead = field(&form.body, "lead");
    let revisions = || scalar(&app, "SELECT COUNT(*) FROM revision");
    let before = revisions().await;

    // Another organisation's contributor neither sees nor changes the draft, by address
    // or by a changed hidden id.
    assert_eq!(oscar.get(&app, &path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        oscar.get(&app, &format!("{path}/voorbeeld")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut pairs = vec![
        ("actie", "opslaan"),
        ("version", version.as_str()),
        ("lead", lead.as_str()),
    ];
    pairs.extend(complete(&w, "Overgenomen"));
    assert_eq!(
        oscar.post(&app, &path, &pairs).await.status,
        StatusCode::NOT_FOUND
    );
    let mut hidden = vec![
        ("actie", "opslaan"),
        ("id", id.as_str()),
        ("version", version.as_str()),
    ];
    hidden.extend(complete(&w, "Overgenomen"));
    let created = oscar.post(&app, "/mijn-initiatieven/nieuw", &hidden).await;
    assert_eq!(
        created.status,
        StatusCode::SEE_OTHER,
        "a new one of Oscar's own"
    );
    assert_ne!(id_in(&created.location), id);
    assert_eq!(status_of(&app, "Alleen van Ann").await, "draft");
    assert!(
        !oscar
            .get(&app, "/mijn-initiatieven")
            .await
            .body
            .contains("Alleen van Ann")
    );
    let after_oscar = revisions().await;
    assert_eq!(
        after_oscar.parse::<i64>().expect("n"),
        before.parse::<i64>().expect("n") + 1,
        "only Oscar's own create"
    );

    // Without the token, or from another site: 403.
    let mut no_token = vec![
        ("actie", "opslaan"),
        ("version", version.as_str()),
        ("lead", lead.as_str()),
    ];
    no_token.extend(complete(&w, "Zonder token"));
    assert_eq!(
        ann.post_raw(&app, &path, &no_token, same_site(&app))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut wrong = vec![("csrf", "verkeerd")];
    wrong.extend(no_token.iter().copied());
    assert_eq!(
        ann.post_raw(&app, &path, &wrong, same_site(&app))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut cross = same_site(&app);
    cross.insert("origin", "https://evil.example".parse().expect("origin"));
    cross.insert("sec-fetch-site", "cross-site".parse().expect("site"));
    let mut with_token = vec![("csrf", ann.csrf.as_str())];
    with_token.extend(no_token.iter().copied());
    assert_eq!(
        ann.post_raw(&app, &path, &with_token, cross).await.status,
        StatusCode::FORBIDDEN
    );

    // A contributor is no editor.
    assert_eq!(
        ann.get(&app, "/redactie").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ann.post(
            &app,
            &format!("/redactie/{id}"),
            &[("actie", "publiceren"), ("version", &version)]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(revisions().await, after_oscar, "nothing was written");
    assert_eq!(status_of(&app, "Alleen van Ann").await, "draft");

    // A visitor is sent to sign in first, and back after.
    let visitor = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = visitor
        .get(app.url("/mijn-initiatieven"))
        .send()
        .await
        .expect("GET");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        "/aanmelden?next=%2Fmijn-initiatieven"
    );
    assert!(r.headers().get("set-cookie").is_none());
}

on_both!(events_are_listed_for_their_organisation_and_published_from_the_queue);
async fn events_are_listed_for_their_organisation_and_published_from_the_queue(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann", w.own).await;
    let oscar = Person::contributor(&app, "Oscar", w.other).await;
    let eva = Person::appointed(&app, "Eva", AccountRole::Editor).await;
    let key = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "events",
            kb_domain::Role::Contributor,
            Some(w.own),
            None,
        )
        .await
        .expect("key")
        .secret;
    let r = app
        .gql_as(
            &key,
            "mutation($i: EventInput!) { createEvent(input: $i) { event { id } } }",
            json!({ "i": {
                "title": "Webinar zwaluwstaart", "kind": "WEBINAR",
                "startsAt": "2027-02-10T15:00:00Z", "endsAt": "2027-02-10T16:00:00Z",
                "online": true, "themes": [w.theme], "topics": [w.topic],
                "organisers": [w.own_gid],
            } }),
        )
        .await;
    let id = at(&r, "data.createEvent.event.id")
        .as_str()
        .expect("id")
        .to_owned();
    let list = ann.get(&app, "/mijn-initiatieven").await;
    assert!(
        list.body.contains("<h2>Evenementen (1)</h2>"),
        "{}",
        list.body
    );
    assert!(
        list.body
            .contains("<td>Webinar zwaluwstaart</td><td>Concept</td>"),
        "{}",
        list.body
    );
    assert!(
        !oscar
            .get(&app, "/mijn-initiatieven")
            .await
            .body
            .contains("zwaluwstaart")
    );
    let r = app
        .gql_as(
            &key,
            "mutation($id: ID!) { submitEvent(id: $id) { event { status } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(at(&r, "data.submitEvent.event.status"), "SUBMITTED");
    let queue = eva.get(&app, "/redactie").await;
    assert!(
        queue.body.contains("<td>Webinar zwaluwstaart</td>"),
        "{}",
        queue.body
    );
    let version = scalar(
        &app,
        "SELECT version FROM event WHERE title = 'Webinar zwaluwstaart'",
    )
    .await;
    // A contributor may not publish it; an editor may, from the queue.
    assert_eq!(
        ann.post(
            &app,
            &format!("/redactie/{id}"),
            &[("actie", "publiceren"), ("version", &version)]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let published = eva
        .post(
            &app,
            &format!("/redactie/{id}"),
            &[("actie", "publiceren"), ("version", &version)],
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(published.location, "/redactie?melding=gepubliceerd");
    assert_eq!(
        scalar(
            &app,
            "SELECT status FROM event WHERE title = 'Webinar zwaluwstaart'"
        )
        .await,
        "published"
    );
    let list = ann.get(&app, "/mijn-initiatieven").await;
    assert!(
        list.body
            .contains("Webinar zwaluwstaart</a></td><td>Gepubliceerd</td>"),
        "{}",
        list.body
    );
}

on_both!(an_organisation_not_found_is_proposed_and_an_editor_creates_it);
async fn an_organisation_not_found_is_proposed_and_an_editor_creates_it(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann", w.own).await;
    let eva = Person::appointed(&app, "Eva", AccountRole::Editor).await;
    let kinds = app
        .data(
            "{ vocabularies { organisationKinds { value } } }",
            json!({}),
        )
        .await;
    let kind = at(&kinds, "vocabularies.organisationKinds")[0]["value"]
        .as_str()
        .expect("kind")
        .to_owned();
    // Without a name: refused beside the proposal, nothing kept.
    let empty = ann
        .post(
            &app,
            "/mijn-initiatieven/nieuw",
            &[
                ("actie", "stel-voor"),
                ("voorstelNaam", ""),
                ("voorstelSoort", &kind),
            ],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("id=\"voorstel-error\""));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM organisation_proposal").await,
        "0"
    );
    // Proposed, with the form's text kept.
    let proposed = ann
        .post(
            &app,
            "/mijn-initiatieven/nieuw",
            &[
                ("actie", "stel-voor"),
                ("title", "Mijn halve concept"),
                ("voorstelNaam", "Stichting Zwaluwnest"),
                ("voorstelSoort", &kind),
                ("voorstelWebsite", "https://zwaluwnest.example"),
            ],
        )
        .await;
    assert_eq!(proposed.status, StatusCode::OK);
    assert!(
        proposed
            .body
            .contains("Voorgesteld: <strong>Stichting Zwaluwnest</strong>")
    );
    assert!(proposed.body.contains("value=\"Mijn halve concept\""));
    // Only editors see and decide proposals.
    assert_eq!(
        ann.get(&app, "/redactie").await.status,
        StatusCode::FORBIDDEN
    );
    let id = scalar(&app, "SELECT id FROM organisation_proposal").await;
    assert_eq!(
        ann.post(
            &app,
            "/redactie/voorstellen",
            &[("voorstel", &id), ("actie", "aanmaken")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let queue = eva.get(&app, "/redactie").await;
    assert!(
        queue.body.contains("Stichting Zwaluwnest"),
        "{}",
        queue.body
    );
    let created = eva
        .post(
            &app,
            "/redactie/voorstellen",
            &[("voorstel", &id), ("actie", "aanmaken")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert_eq!(created.location, "/redactie?melding=aangemaakt");
    assert_eq!(
        scalar(&app, "SELECT outcome FROM organisation_proposal").await,
        "created"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM organisation WHERE name = 'Stichting Zwaluwnest' AND website LIKE 'https://zwaluwnest.example%'").await,
        "1"
    );
    // Deciding again is refused; the contributor now finds it in the picker.
    let again = eva
        .post(
            &app,
            "/redactie/voorstellen",
            &[("voorstel", &id), ("actie", "weigeren")],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    app.caught_up().await;
    let found = ann
        .post(
            &app,
            "/mijn-initiatieven/nieuw",
            &[
                ("actie", "zoek-organisatie"),
                ("zoekOrganisatie", "Zwaluwnest"),
            ],
        )
        .await;
    assert!(
        found.body.contains("|PARTNER|Stichting Zwaluwnest\""),
        "{}",
        found.body
    );
}

on_both!(an_english_title_from_the_form_shows_on_the_english_site);
async fn an_english_title_from_the_form_shows_on_the_english_site(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann", w.own).await;
    let eva = Person::appointed(&app, "Eva", AccountRole::Editor).await;
    let long = "x".repeat(201);
    let mut pairs = vec![("actie", "indienen"), ("titleEn", long.as_str())];
    pairs.extend(complete(&w, "Zwaluwstaart in twee talen"));
    let refused = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("href=\"#f-titleEn\""),
        "{}",
        refused.body
    );
    let mut pairs = vec![
        ("actie", "indienen"),
        ("titleEn", "Swallowtail in two languages"),
        (
            "summaryEn",
            "Older students guide first-years in small groups.",
        ),
    ];
    pairs.extend(complete(&w, "Zwaluwstaart in twee talen"));
    let submitted = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let id = scalar(
        &app,
        "SELECT id FROM initiative WHERE title = 'Zwaluwstaart in twee talen'",
    )
    .await;
    let gid = kb_domain::InitiativeId(id.parse().expect("id"))
        .global()
        .encode();
    let review = eva.get(&app, &format!("/redactie/{gid}")).await;
    assert!(
        review
            .body
            .contains("<dt>Titel in het Engels</dt><dd>Swallowtail in two languages</dd>"),
        "{}",
        review.body
    );
    let version = field(&review.body, "version");
    let published = eva
        .post(
            &app,
            &format!("/redactie/{gid}"),
            &[("actie", "publiceren"), ("version", &version)],
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let slug = scalar(
        &app,
        "SELECT slug FROM initiative WHERE title = 'Zwaluwstaart in twee talen'",
    )
    .await;
    let page = |lang: &'static str| {
        let url = app.url(&format!("/initiatieven/{slug}?lang={lang}"));
        async move {
            reqwest::get(url)
                .await
                .expect("GET")
                .text()
                .await
                .expect("page")
        }
    };
    assert!(
        page("en")
            .await
            .contains("<h1>Swallowtail in two languages</h1>")
    );
    assert!(
        page("nl")
            .await
            .contains("<h1>Zwaluwstaart in twee talen</h1>")
    );
}

on_both!(a_personal_contact_address_is_confirmed_and_shown_to_signed_in_people_only);
async fn a_personal_contact_address_is_confirmed_and_shown_to_signed_in_people_only(app: TestApp) {
    let w = world(&app).await;
    let ann = Person::contributor(&app, "Ann", w.own).await;
    let eva = Person::appointed(&app, "Eva", AccountRole::Editor).await;
    let title = "Zwaluwstaart met een persoon als contact";
    let with_contact = |contact: &'static str| {
        let mut pairs: Vec<(&str, &str)> = complete(&w, title)
            .into_iter()
            .filter(|(k, _)| *k != "contactEmail")
            .collect();
        pairs.push(("contactEmail", contact));
        pairs
    };
    // A personal-looking address is not saved before the form has warned about it.
    let mut pairs = vec![("actie", "indienen")];
    pairs.extend(with_contact("j.jansen@hwp.example"));
    let warned = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(warned.body.contains("id=\"contact-warning\""));
    assert!(warned.body.contains("href=\"#f-contactEmail\""));
    assert_eq!(
        field(&warned.body, "contactChecked"),
        "j.jansen@hwp.example"
    );
    assert_eq!(count_initiatives_titled(&app, title).await, 0);
    // Ticked as a person's (with their consent): saved and submitted.
    pairs.push(("contactPersonal", "ja"));
    let submitted = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let id = scalar(
        &app,
        &format!("SELECT id FROM initiative WHERE title = '{title}'"),
    )
    .await;
    let gid = kb_domain::InitiativeId(id.parse().expect("id"))
        .global()
        .encode();
    let review = eva.get(&app, &format!("/redactie/{gid}")).await;
    let version = field(&review.body, "version");
    eva.post(
        &app,
        &format!("/redactie/{gid}"),
        &[("actie", "publiceren"), ("version", &version)],
    )
    .await;
    // The public and partners never read it; signed-in people do.
    let q = "query($id: ID!) { initiative(id: $id) { contactEmail contactPersonal } }";
    let public = app.data(q, json!({ "id": gid })).await;
    assert_eq!(
        at(&public, "initiative"),
        &json!({ "contactEmail": null, "contactPersonal": true })
    );
    let partner = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "partner",
            kb_domain::Role::Partner,
            None,
            None,
        )
        .await
        .expect("key")
        .secret;
    let r = app.gql_as(&partner, q, json!({ "id": gid })).await;
    assert_eq!(
        at(&r, "data.initiative.contactEmail"),
        &serde_json::Value::Null
    );
    let editor = app
        .store
        .create_api_key(
            &kb_store::Actor::cli(),
            "editor",
            kb_domain::Role::Editor,
            None,
            None,
        )
        .await
        .expect("key")
        .secret;
    let r = app.gql_as(&editor, q, json!({ "id": gid })).await;
    assert_eq!(
        at(&r, "data.initiative.contactEmail"),
        "j.jansen@hwp.example"
    );
    let slug = scalar(
        &app,
        &format!("SELECT slug FROM initiative WHERE title = '{title}'"),
    )
    .await;
    let page = reqwest::get(app.url(&format!("/initiatieven/{slug}")))
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    assert!(page.contains(title));
    assert!(
        !page.contains("j.jansen"),
        "the public page shows no personal address"
    );
    // A team's address that happens to look personal is saved once confirmed.
    let mut pairs = vec![
        ("actie", "opslaan"),
        ("contactChecked", "k.groep@hwp.example"),
    ];
    pairs.extend(with_contact("k.groep@hwp.example"));
    let confirmed = ann.post(&app, "/mijn-initiatieven/nieuw", &pairs).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
}

async fn count_initiatives_titled(app: &TestApp, title: &str) -> i64 {
    scalar(
        app,
        &format!("SELECT COUNT(*) FROM initiative WHERE title = '{title}'"),
    )
    .await
    .parse()
    .expect("count")
}
