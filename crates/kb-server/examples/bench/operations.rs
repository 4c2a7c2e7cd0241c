//! What the benchmark asks: each operation a name and one HTTP request, in a list. A new
//! operation is one more line in [`kennisbank`] (a web page: `get("home page", "/")`);
//! the peer's equivalents name the Kennisbank operation they are measured against.

/// What varies between the requests of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vars {
    /// The same request every time.
    None,
    /// `$slug`: the slugs of the first 100 published initiatives in turn.
    Slug,
    /// `$id`: their global ids in turn.
    Id,
}

/// One HTTP request.
#[derive(Debug, Clone)]
pub enum Request {
    /// A GraphQL query POSTed to `/graphql`.
    GraphQl { query: &'static str, vars: Vars },
    /// A GET of a path (a web page, an export).
    Get { path: &'static str },
}

/// A named operation; `standard` ones run unless `--all` asks for every one.
#[derive(Debug, Clone)]
pub struct Operation {
    pub name: &'static str,
    pub request: Request,
    pub standard: bool,
}

fn gql(name: &'static str, query: &'static str, vars: Vars, standard: bool) -> Operation {
    Operation {
        name,
        request: Request::GraphQl { query, vars },
        standard,
    }
}

fn get(name: &'static str, path: &'static str, standard: bool) -> Operation {
    Operation {
        name,
        request: Request::Get { path },
        standard,
    }
}

const PAGE: &str = r#"query($slug: String!) { initiative(slug: $slug) { title summary body kind languages
  themes { code label } topics { code label broader { label } }
  organisations { role organisation { name kind region } }
  events(first: 5) { nodes { title startsAt } }
  buildsOn { slug title } builtOnBy { slug title } relatedTo { slug title } } }"#;
const LISTING: &str = r#"{ initiatives(first: 20) { totalCount nodes { title summary themes { code } topics { code }
  organisations { role organisation { name kind } } } pageInfo { endCursor hasNextPage } } }"#;
const FILTERED_FACETS: &str = r#"{ initiatives(first: 20, filter: { themes: ["prevention"], kinds: [TRAINING, TOOL, GUIDE] }) {
  totalCount nodes { title } facets { themes { value { code } count } topics { value { code } count }
  kinds { value count } organisationKinds { value count } regions { value count } years { value count } } } }"#;
const THEME_LISTING: &str =
    r#"{ initiatives(first: 20, filter: { themes: ["support"] }) { totalCount nodes { title } } }"#;
const FILTERED: &str = r#"{ initiatives(first: 20, filter: { topics: ["special_circumstances"], themes: ["support"] }) {
  totalCount nodes { title } } }"#;
const THEMES: &str =
    r#"{ themes { code label initiatives(first: 5) { totalCount nodes { title } } } }"#;
const NODE: &str =
    r#"query($id: ID!) { node(id: $id) { id ... on Initiative { title themes { code } } } }"#;
const RELATED: &str = r#"query($slug: String!) { initiative(slug: $slug) { related(first: 10) { score
  initiative { slug title } reasons { topics { code } themes { code } } } } }"#;
const SEARCH: &str = r#"{ search(query: "veilig netwerk", filter: { kinds: [TRAINING, TOOL, GUIDE], regions: [UTRECHT, ZEELAND, FRIESLAND] }, first: 10) {
  totalCount nodes { score initiative { title } } facets { kinds { value count } regions { value count } topics { value { code } count } } } }"#;
const SUGGEST: &str = r#"{ suggest(prefix: "gezo") { text kind } }"#;
const COOCCURRENCE: &str = r#"{ analytics { cooccurrence(rows: THEME, columns: TOPIC) { population
  cells { row column count expected lift jaccard npmi pValue } } } }"#;
const COOCCURRENCE_FILTERED: &str = r#"{ analytics { cooccurrence(rows: THEME, columns: TOPIC,
  filter: { kinds: [TRAINING, TOOL, GUIDE], regions: [UTRECHT, ZEELAND, FRIESLAND], languages: ["nl"] }) {
  population cells { row column count lift pValue } } } }"#;
const COOCCURRENCE_ORGANISATIONS: &str = r#"{ analytics { cooccurrence(rows: TOPIC, columns: ORGANISATION, minCount: 10) {
  population columns { value total } cells { row column count lift } } } }"#;
const NEIGHBOURHOOD: &str = r#"query($id: ID!) { analytics { neighbourhood(id: $id, depth: 2, limit: 2000,
  edgeTypes: [BUILDS_ON, INSPIRED_BY, RELATED_TO, FEATURES, ORGANISED_BY]) { nodes { id type depth } edges { type } } } }"#;
const PAGERANK: &str = r#"{ analytics { centrality(nodeType: ORGANISATION, measure: PAGERANK, first: 10) { id score } } }"#;

/// Kennisbank's operations: the six standard ones first, then the others of `--all`.
pub fn kennisbank() -> Vec<Operation> {
    vec![
        gql("initiative page", PAGE, Vars::Slug, true),
        gql("listing, 20 with relations", LISTING, Vars::None, true),
        gql(
            "filtered listing with facets",
            FILTERED_FACETS,
            Vars::None,
            true,
        ),
        gql("search with facets", SEARCH, Vars::None, true),
        gql(
            "co-occurrence theme × topic",
            COOCCURRENCE,
            Vars::None,
            true,
        ),
        gql("neighbourhood, depth 2", NEIGHBOURHOOD, Vars::Id, true),
        gql(
            "one theme's listing with total",
            THEME_LISTING,
            Vars::None,
            true,
        ),
        gql("filtered listing", FILTERED, Vars::None, false),
        gql("themes with 5 initiatives each", THEMES, Vars::None, false),
        gql("node by id", NODE, Vars::Id, false),
        gql("related(first: 10)", RELATED, Vars::Slug, false),
        gql("suggest", SUGGEST, Vars::None, false),
        gql(
            "co-occurrence, three facets",
            COOCCURRENCE_FILTERED,
            Vars::None,
            false,
        ),
        gql(
            "co-occurrence topic × organisation",
            COOCCURRENCE_ORGANISATIONS,
            Vars::None,
            false,
        ),
        gql(
            "PageRank, top 10 organisations",
            PAGERANK,
            Vars::None,
            false,
        ),
        get("readiness check (GET /readyz)", "/readyz", false),
        // The website's server-rendered pages (`--only site`).
        get("site: home page", "/", false),
        get("site: search with facets", "/zoeken?q=stress", false),
        get("site: browsing all initiatives", "/zoeken", false),
        get(
            "site: filtered browsing, page 2",
            "/zoeken?thema=support&soort=training&pagina=2",
            false,
        ),
        get("site: a theme", "/themas/support", false),
        get("site: events", "/evenementen", false),
        get("site: analysis", "/analyse", false),
    ]
}

// The same questions in PostGraphile v5's schema of the same tables, published rows
// only: an initiative with its themes, topics, organisations, events and links; a page of
// 20 with relations and the total; one theme's initiatives with the total.
const PEER_PAGE: &str = r#"query($slug: String!) { initiativeBySlug(slug: $slug) { title summary body kind
  initiativeThemesByInitiativeId { nodes { themeByThemeId { code labelNl } } }
  initiativeTopicsByInitiativeId { nodes { topicByTopicId { code labelNl topicByBroaderId { labelNl } } } }
  initiativeOrganisationsByInitiativeId { nodes { role organisationByOrganisationId { name kind region } } }
  eventInitiativesByInitiativeId(first: 5) { nodes { eventByEventId { title startsAt } } }
  initiativeLinksByFromId { nodes { linkType initiativeByToId { slug title } } } } }"#;
const PEER_LISTING: &str = r#"{ allInitiatives(first: 20, condition: { status: "published" }, orderBy: PUBLISHED_AT_DESC) {
  totalCount nodes { title summary initiativeThemesByInitiativeId { nodes { themeByThemeId { code } } }
  initiativeTopicsByInitiativeId { nodes { topicByTopicId { code } } }
  initiativeOrganisationsByInitiativeId { nodes { role organisationByOrganisationId { name kind } } } }
  pageInfo { endCursor hasNextPage } } }"#;
// PostGraphile's conditions cannot reach through the join table to the initiative's
// status, so its answer also counts unpublished initiatives of the theme (less work).
const PEER_THEME_LISTING: &str = r#"{ themeByCode(code: "support") { initiativeThemesByThemeId(first: 20) { totalCount
  nodes { initiativeByInitiativeId { title } } } } }"#;

/// The peer's question for each Kennisbank operation it is compared with.
pub fn postgraphile() -> Vec<(&'static str, Operation)> {
    vec![
        (
            "initiative page",
            gql("initiative page", PEER_PAGE, Vars::Slug, true),
        ),
        (
            "listing, 20 with relations",
            gql("listing, 20 with relations", PEER_LISTING, Vars::None, true),
        ),
        (
            "one theme's listing with total",
            gql(
                "one theme's listing with total",
                PEER_THEME_LISTING,
                Vars::None,
                true,
            ),
        ),
    ]
}

/// The query that lists the nodes the per-node operations take in turn, and where its
/// answer holds them: Kennisbank's, or the peer's.
pub fn nodes_query(peer: bool) -> (&'static str, &'static str) {
    if peer {
        (
            r#"{ allInitiatives(first: 100, condition: { status: "published" }) { nodes { slug } } }"#,
            "allInitiatives",
        )
    } else {
        (
            "{ initiatives(first: 100) { nodes { id slug } } }",
            "initiatives",
        )
    }
}
