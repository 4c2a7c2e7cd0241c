/// `Query.analytics`: co-occurrence, trends, neighbourhoods, paths, centrality.
mod analytics;
/// `Query.view` and `Query.views`: saved views.
pub(crate) mod views;

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use kb_domain::{
    self as domain, DomainError, ErrorCode, EventId, GlobalId, InitiativeId, NodeId, NodeKind,
    OrganisationId, ThemeId, TopicId,
};

use crate::context::{domain as domain_err, loader, node_id, read_model, request, store, viewer};
use crate::error::{StoreResultExt, coded, loader_error};
use crate::types::connection::{
    EventConnection, EventCount, OrganisationConnection, OrganisationCount, forward, page_request,
};
use crate::types::initiative::InitiativeConnection;
use crate::types::search::{
    EventHit, EventSearchConnection, OrganisationHit, OrganisationSearchConnection,
    SearchConnection, SearchHit, Snippet, Suggestion, hit_page,
};
use crate::types::vocab::*;
use crate::types::{Event, Initiative, Node, Organisation, Theme, Topic};
use views::View;

/// The snippets of `ids` for the search `query`, if the request selects them (on
/// `edges.node` or `nodes`); none otherwise.
async fn snippets_if_asked<S: kb_graph::SearchSubject>(
    ctx: &Context<'_>,
    query: &str,
    lang: Option<domain::Language>,
    ids: &[S],
) -> async_graphql::Result<HashMap<S, kb_graph::SearchSnippet>> {
    let look = ctx.look_ahead();
    let asked = look.field("edges").field("node").field("snippet").exists()
        || look.field("nodes").field("snippet").exists();
    if !asked {
        return Ok(HashMap::new());
    }
    read_model(ctx)?.snippets(query, lang, ids).await.gql()
}

/// The hits of a page of a search as `make` builds them: their rows loaded by id (through
/// the access rule once more; a row gone meanwhile is left out), with snippets where the
/// request asks for them.
async fn hit_items<S, R, H>(
    ctx: &Context<'_>,
    query: &str,
    lang: Option<domain::Language>,
    found: &kb_graph::HitPage<S>,
    make: impl Fn(R, f64, Option<Snippet>) -> H,
) -> async_graphql::Result<Vec<H>>
where
    S: kb_graph::SearchSubject,
    crate::loaders::Loaders: async_graphql::dataloader::Loader<
            S,
            Value = R,
            Error = std::sync::Arc<async_graphql::Error>,
        >,
    R: Clone + Send + Sync + 'static,
{
    let ids: Vec<S> = found.hits.iter().map(|(id, _)| *id).collect();
    let mut rows = loader(ctx)?
        .load_many(ids.iter().copied())
        .await
        .map_err(loader_error)?;
    let mut snippets = snippets_if_asked(ctx, query, lang, &ids).await?;
    Ok(found
        .hits
        .iter()
        .filter_map(|(id, score)| {
            let row = rows.remove(id)?;
            Some(make(
                row,
                f64::from(*score),
                snippets.remove(id).map(Into::into),
            ))
        })
        .collect())
}

/// The most ids `nodes` takes at once (the limits refuse more before execution).
use crate::limits::MAX_NODE_IDS as MAX_NODES;

/// Which initiatives a list holds: AND across fields, OR within a list.
#[derive(InputObject, Debug, Default, Clone)]
pub struct InitiativeFilter {
    /// Theme codes.
    pub themes: Option<Vec<String>>,
    /// Topic codes; a topic includes its narrower topics.
    pub topics: Option<Vec<String>>,
    /// Kinds of initiative.
    pub kinds: Option<Vec<InitiativeKind>>,
    /// Organisation ids.
    pub organisations: Option<Vec<ID>>,
    /// Kinds of the organisations behind them.
    pub organisation_kinds: Option<Vec<OrganisationKind>>,
    /// Target groups.
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Levels of education.
    pub education_levels: Option<Vec<EducationLevel>>,
    /// Regions.
    pub regions: Option<Vec<Region>>,
    /// Levels of evidence.
    pub evidence_levels: Option<Vec<EvidenceLevel>>,
    /// ISO 639-1 codes (`nl`, `en`).
    pub languages: Option<Vec<String>>,
    /// Active in or after this year (not ended before it).
    pub year_from: Option<i32>,
    /// Started in or before this year.
    pub year_to: Option<i32>,
    /// Only honoured for viewers allowed to see them; others see PUBLISHED only.
    pub statuses: Option<Vec<InitiativeStatus>>,
}

fn list<G: Copy + Into<D>, D>(v: &Option<Vec<G>>) -> Vec<D> {
    v.iter().flatten().map(|g| (*g).into()).collect()
}

impl InitiativeFilter {
    pub(crate) fn to_domain(&self) -> Result<domain::InitiativeFilter, DomainError> {
        let organisations = self
            .organisations
            .iter()
            .flatten()
            .map(|id| OrganisationId::decode("filter.organisations", id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(domain::InitiativeFilter {
            themes: self.themes.clone().unwrap_or_default(),
            topics: self.topics.clone().unwrap_or_default(),
            kinds: list(&self.kinds),
            organisations,
            organisation_kinds: list(&self.organisation_kinds),
            target_groups: list(&self.target_groups),
            education_levels: list(&self.education_levels),
            regions: list(&self.regions),
            evidence_levels: list(&self.evidence_levels),
            languages: self.languages.clone().unwrap_or_default(),
            year_from: self.year_from,
            year_to: self.year_to,
            statuses: list(&self.statuses),
        })
    }
}

/// The order of an initiative list.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
#[graphql(remote = "domain::InitiativeOrder")]
pub enum InitiativeOrder {
    /// Most recently published first.
    #[default]
    Newest,
    /// Alphabetical by title.
    Title,
    /// Most recently changed first.
    RecentlyUpdated,
}

/// Which organisations a list holds.
#[derive(InputObject, Debug, Default)]
pub struct OrganisationFilter {
    /// Kinds of organisation.
    pub kinds: Option<Vec<OrganisationKind>>,
    /// Regions.
    pub regions: Option<Vec<Region>>,
}

/// Which events a list holds.
#[derive(InputObject, Debug, Default)]
pub struct EventFilter {
    /// Kinds of event.
    pub kinds: Option<Vec<EventKind>>,
    /// Regions.
    pub regions: Option<Vec<Region>>,
    /// Theme codes.
    pub themes: Option<Vec<String>>,
    /// Only events ending at or after this moment; the list is then soonest first.
    pub from: Option<DateTime<Utc>>,
    /// Only events starting before this moment.
    pub to: Option<DateTime<Utc>>,
}

/// The holder of an API key.
#[derive(Debug, Clone)]
pub struct Me(kb_store::ApiKey);

/// The holder of the API key a request is made with.
#[Object(name = "Viewer")]
impl Me {
    /// The key's name, given when it was created.
    async fn key_name(&self) -> &str {
        &self.0.name
    }
    /// The first characters of the key.
    async fn key_prefix(&self) -> &str {
        &self.0.prefix
    }
    /// The role the key is scoped to.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// The organisation a contributor key belongs to.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Organisation))
    }
    /// When the key stops working; null when it does not expire.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
}

/// Exactly one of two lookup arguments.
fn one_of<'a>(
    id: &'a Option<ID>,
    slug: &'a Option<String>,
) -> async_graphql::Result<Result<&'a str, &'a str>> {
    match (id, slug) {
        (Some(id), None) => Ok(Ok(id.as_str())),
        (None, Some(slug)) => Ok(Err(slug.as_str())),
        _ => Err(coded(
            ErrorCode::BadUserInput,
            "give exactly one of `id` and `slug`",
            Some("id"),
        )),
    }
}

async fn load_node(ctx: &Context<'_>, gid: GlobalId) -> async_graphql::Result<Option<Node>> {
    let l = loader(ctx)?;
    Ok(match gid.kind {
        NodeKind::Initiative => l
            .load_one(InitiativeId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Initiative(Initiative(x))),
        NodeKind::Theme => l
            .load_one(ThemeId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Theme(Theme(x))),
        NodeKind::Topic => l
            .load_one(TopicId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Topic(Topic(x))),
        NodeKind::Organisation => l
            .load_one(OrganisationId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Organisation(Organisation(x))),
        NodeKind::Event => l
            .load_one(EventId(gid.id))
            .await
            .map_err(loader_error)?
            .map(|x| Node::Event(Event(x))),
    })
}

/// The root of every read.
#[derive(Debug, Default, Clone, Copy)]
pub struct Query;

/// The root of every read.
#[Object]
impl Query {
    /// Any object by its global id; null when it does not exist or is not visible.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let gid = GlobalId::decode("id", &id).map_err(domain_err)?;
        load_node(ctx, gid).await
    }

    /// Objects by global id, in the order asked; null where one does not exist or is not
    /// visible. At most 100 ids.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(coded(
                ErrorCode::LimitExceeded,
                format!("at most {MAX_NODES} ids at once"),
                Some("ids"),
            ));
        }
        let gids = ids
            .iter()
            .map(|id| GlobalId::decode("ids", id))
            .collect::<Result<Vec<_>, _>>()
            .map_err(domain_err)?;
        let loads = gids.into_iter().map(|g| load_node(ctx, g));
        futures_join(loads).await
    }

    /// One initiative by id or slug.
    async fn initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id; give exactly one of `id` and `slug`.")] id: Option<ID>,
        #[graphql(
            desc = "The slug (the readable last part of its address); give exactly one of `id` and `slug`."
        )]
        slug: Option<String>,
    ) -> async_graphql::Result<Option<Initiative>> {
        match one_of(&id, &slug)? {
            Ok(id) => {
                let id = InitiativeId::decode("id", id).map_err(domain_err)?;
                Ok(loader(ctx)?
                    .load_one(id)
                    .await
                    .map_err(loader_error)?
                    .map(Initiative))
            }
            Err(slug) => Ok(loader(ctx)?
                .load_one(crate::loaders::InitiativeSlug(slug.to_owned()))
                .await
                .map_err(loader_error)?
                .map(Initiative)),
        }
    }

    /// Initiatives, filtered and ordered, as a Relay connection with facets.
    #[allow(clippy::too_many_arguments)] // Relay's four paging arguments plus filter and order
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which initiatives the list holds; all the viewer may see when omitted.")]
        filter: Option<InitiativeFilter>,
        #[graphql(desc = "The order of the list; NEWEST by default.")] order_by: Option<
            InitiativeOrder,
        >,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "How many items before `before` the page holds, 0 to 100; needs `before` and excludes `first`."
        )]
        last: Option<i32>,
        #[graphql(desc = "The page ends before the item with this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let page = page_request(first, after, last, before)?;
        let order = order_by.unwrap_or_default().into();
        InitiativeConnection::listed(ctx, viewer(ctx)?, filter, order, page).await
    }

    /// Full-text search over initiatives: words in any order (each must match, one typo
    /// forgiven in words of five letters or more, the last word also as a prefix),
    /// quoted phrases, Dutch and English stemming, diacritics folded, synonyms from the
    /// taxonomy. At most 500 characters and 32 words. Filtered like `initiatives`, best
    /// first, with disjunctive facets. `lang` is the language the query is written in:
    /// its words are then stemmed in that language only (they still match as written in
    /// any language); without it, in Dutch and English both.
    #[allow(clippy::too_many_arguments)] // the query, its language, a filter and paging
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What was typed: words and quoted phrases, at most 500 characters and 32 words."
        )]
        query: String,
        #[graphql(desc = "Which initiatives the list holds; all the viewer may see when omitted.")]
        filter: Option<InitiativeFilter>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "The language `query` is written in: its words are stemmed in that language only; in Dutch and English both when omitted."
        )]
        lang: Option<Language>,
    ) -> async_graphql::Result<SearchConnection> {
        let filter = filter.unwrap_or_default().to_domain().map_err(domain_err)?;
        let page = page_request(first, after, None, None)?;
        let lang = lang.map(Into::into);
        let v = viewer(ctx)?;
        let model = read_model(ctx)?;
        let found = model.search(v, &query, lang, &filter, page).await.gql()?;
        let hits = hit_items(ctx, &query, lang, &found.page, |row, score, snippet| {
            SearchHit {
                initiative: Initiative(row),
                score,
                snippet,
            }
        })
        .await?;
        Ok(SearchConnection {
            filter,
            page: hit_page(&found.page, hits),
            matched: found.matched,
        })
    }

    /// Full-text search over events: their title, summary, location, themes and topics
    /// (with synonyms), kind, region and organisers, read like `search`'s query. Best
    /// first; only events the viewer may see.
    async fn search_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What was typed: words and quoted phrases, at most 500 characters and 32 words."
        )]
        query: String,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "The language `query` is written in: its words are stemmed in that language only; in Dutch and English both when omitted."
        )]
        lang: Option<Language>,
    ) -> async_graphql::Result<EventSearchConnection> {
        let page = page_request(first, after, None, None)?;
        let lang = lang.map(Into::into);
        let found = read_model(ctx)?
            .search_events(viewer(ctx)?, &query, lang, page)
            .await
            .gql()?;
        let hits = hit_items(ctx, &query, lang, &found, |row, score, snippet| EventHit {
            event: Event(row),
            score,
            snippet,
        })
        .await?;
        Ok(EventSearchConnection::new(&found, hits))
    }

    /// Full-text search over organisations: their name, descriptions (both languages),
    /// kind, region and city, read like `search`'s query. Best first; only organisations
    /// the viewer may see.
    async fn search_organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What was typed: words and quoted phrases, at most 500 characters and 32 words."
        )]
        query: String,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
        #[graphql(
            desc = "The language `query` is written in: its words are stemmed in that language only; in Dutch and English both when omitted."
        )]
        lang: Option<Language>,
    ) -> async_graphql::Result<OrganisationSearchConnection> {
        let page = page_request(first, after, None, None)?;
        let lang = lang.map(Into::into);
        let found = read_model(ctx)?
            .search_organisations(viewer(ctx)?, &query, lang, page)
            .await
            .gql()?;
        let hits = hit_items(ctx, &query, lang, &found, |row, score, snippet| {
            OrganisationHit {
                organisation: Organisation(row),
                score,
                snippet,
            }
        })
        .await?;
        Ok(OrganisationSearchConnection::new(&found, hits))
    }

    /// Completions for a search box: initiative titles, topic labels and organisation
    /// names that start with what was typed (case and diacritics ignored), best first.
    async fn suggest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What has been typed so far.")] prefix: String,
        #[graphql(
            default = 8,
            desc = "How many completions to return, 1 to 20 (8 by default)."
        )]
        first: i32,
    ) -> async_graphql::Result<Vec<Suggestion>> {
        let first = usize::try_from(first)
            .ok()
            .filter(|n| (1..=20).contains(n))
            .ok_or_else(|| coded(ErrorCode::BadUserInput, "first is 1 to 20", Some("first")))?;
        Ok(read_model(ctx)?
            .suggest(viewer(ctx)?, &prefix, first)
            .await
            .gql()?
            .into_iter()
            .map(Suggestion)
            .collect())
    }

    /// The eight StepChange themes, in order.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Theme>> {
        Ok(read_model(ctx)?
            .themes()
            .await
            .into_iter()
            .map(Theme)
            .collect())
    }

    /// A theme by code.
    async fn theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme's code, such as `prevention`.")] code: String,
    ) -> async_graphql::Result<Option<Theme>> {
        Ok(read_model(ctx)?
            .themes()
            .await
            .into_iter()
            .find(|t| t.code == code)
            .map(Theme))
    }

    /// The topics, in the taxonomy's order; only the roots of the tree with `rootsOnly`.
    async fn topics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the roots of the topic tree; false by default.")] roots_only: Option<
            bool,
        >,
    ) -> async_graphql::Result<Vec<Topic>> {
        Ok(read_model(ctx)?
            .topics(roots_only.unwrap_or(false))
            .await
            .into_iter()
            .map(Topic)
            .collect())
    }

    /// A topic by code.
    async fn topic(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The topic's code.")] code: String,
    ) -> async_graphql::Result<Option<Topic>> {
        Ok(read_model(ctx)?
            .topics(false)
            .await
            .into_iter()
            .find(|t| t.code == code)
            .map(Topic))
    }

    /// One organisation by id or slug.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id; give exactly one of `id` and `slug`.")] id: Option<ID>,
        #[graphql(
            desc = "The slug (the readable last part of its address); give exactly one of `id` and `slug`."
        )]
        slug: Option<String>,
    ) -> async_graphql::Result<Option<Organisation>> {
        match one_of(&id, &slug)? {
            Ok(id) => {
                let id = OrganisationId::decode("id", id).map_err(domain_err)?;
                Ok(loader(ctx)?
                    .load_one(id)
                    .await
                    .map_err(loader_error)?
                    .map(Organisation))
            }
            Err(slug) => Ok(store(ctx)?
                .organisation_by_slug(viewer(ctx)?, slug)
                .await
                .gql()?
                .map(Organisation)),
        }
    }

    /// Organisations by name.
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Which organisations the list holds; all the viewer may see when omitted."
        )]
        filter: Option<OrganisationFilter>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<OrganisationConnection> {
        let f = filter.unwrap_or_default();
        let filter = kb_store::OrganisationFilter {
            kinds: list(&f.kinds),
            regions: list(&f.regions),
        };
        let page = store(ctx)?
            .list_organisations(viewer(ctx)?, &filter, forward(first, after)?)
            .await
            .gql()?;
        Ok(OrganisationConnection {
            page,
            count: Some(OrganisationCount(filter)),
        })
    }

    /// One event by id or slug.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The global id; give exactly one of `id` and `slug`.")] id: Option<ID>,
        #[graphql(
            desc = "The slug (the readable last part of its address); give exactly one of `id` and `slug`."
        )]
        slug: Option<String>,
    ) -> async_graphql::Result<Option<Event>> {
        match one_of(&id, &slug)? {
            Ok(id) => {
                let id = EventId::decode("id", id).map_err(domain_err)?;
                Ok(loader(ctx)?
                    .load_one(id)
                    .await
                    .map_err(loader_error)?
                    .map(Event))
            }
            Err(slug) => Ok(store(ctx)?
                .event_by_slug(viewer(ctx)?, slug)
                .await
                .gql()?
                .map(Event)),
        }
    }

    /// Events: most recent first, or soonest first from `filter.from` on.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which events the list holds; all the viewer may see when omitted.")]
        filter: Option<EventFilter>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        let f = filter.unwrap_or_default();
        let filter = kb_store::EventFilter {
            kinds: list(&f.kinds),
            regions: list(&f.regions),
            themes: f.themes.unwrap_or_default(),
            from: f.from,
            to: f.to,
            initiatives: None,
        };
        let page = store(ctx)?
            .list_events(viewer(ctx)?, &filter, forward(first, after)?)
            .await
            .gql()?;
        Ok(EventConnection {
            page,
            count: Some(EventCount(filter)),
        })
    }

    /// A saved view by its slug: its published initiatives with facets and its coming
    /// events. An unknown or archived view is NOT_FOUND (its owner and editors still see
    /// an archived one).
    async fn view(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The view's slug.")] slug: String,
    ) -> async_graphql::Result<Option<View>> {
        views::view(ctx, &slug).await.map(Some)
    }

    /// Every active saved view, by slug.
    async fn views(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<View>> {
        views::views(ctx).await
    }

    /// Analytics over the knowledge graph: co-occurrence, trends, neighbourhoods, paths
    /// and centrality, within what the viewer may see.
    async fn analytics(&self) -> analytics::Analytics {
        analytics::Analytics
    }

    /// Who the request's API key belongs to, and its role; null without a key.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Me>> {
        Ok(request(ctx)?.key.clone().map(Me))
    }

    /// Every API key, newest first (admins).
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::types::ApiKey>> {
        Ok(store(ctx)?
            .list_api_keys(viewer(ctx)?)
            .await
            .gql()?
            .into_iter()
            .map(crate::types::ApiKey)
            .collect())
    }

    /// Every flat controlled vocabulary with its Dutch and English labels.
    async fn vocabularies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vocabularies> {
        Ok(Vocabularies::from_terms(
            store(ctx)?.vocabulary_terms().await.gql()?,
        ))
    }

    // Federation entity resolvers: `_entities` resolves through the same loaders, so
    // visibility applies in the store exactly as for `node`.

    #[graphql(entity)]
    async fn find_initiative_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Initiative>> {
        let id: InitiativeId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Initiative))
    }

    #[graphql(entity)]
    async fn find_theme_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Theme>> {
        let id: ThemeId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Theme))
    }

    #[graphql(entity)]
    async fn find_topic_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Topic>> {
        let id: TopicId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Topic))
    }

    #[graphql(entity)]
    async fn find_organisation_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Organisation>> {
        let id: OrganisationId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Organisation))
    }

    #[graphql(entity)]
    async fn find_event_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Event>> {
        let id: EventId = node_id("id", &id)?;
        Ok(loader(ctx)?
            .load_one(id)
            .await
            .map_err(loader_error)?
            .map(Event))
    }
}

/// Runs lookups side by side so the loader batches them, keeping their order.
async fn futures_join<F, T>(futs: impl IntoIterator<Item = F>) -> async_graphql::Result<Vec<T>>
where
    F: std::future::Future<Output = async_graphql::Result<T>>,
{
    let results = async_graphql::futures_util::future::join_all(futs).await;
    results.into_iter().collect()
}
