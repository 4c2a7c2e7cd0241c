//! Saved views: a partner's or editor's named filter, ordering and search text, its
//! initiatives as a connection with facets (through the read model, as `initiatives` and
//! `search` are), and the coming events that feature them. What a view shows is the
//! published knowledge bank, to whoever reads it (`kb_store::access::view_reader`). A
//! view that pins a language pins it for every text under it.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use kb_domain::view::{self as domain_view, embed_query};
use kb_domain::{self as domain, ErrorCode, NodeId, Page};

use crate::context::{loader, read_model, request, store, viewer};
use crate::error::{StoreResultExt, coded, loader_error};
use crate::query::InitiativeOrder;
use crate::types::connection::{EventConnection, forward};
use crate::types::initiative::InitiativeConnection;
use crate::types::vocab::*;

/// A field of an initiative a view documents for embedding.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "kb_domain::view::ViewField")]
pub enum ViewField {
    /// `title`.
    Title,
    /// `summary`.
    Summary,
    /// `kind`.
    Kind,
    /// `themes { code label }`.
    Themes,
    /// `topics { code label }`.
    Topics,
    /// `organisations { role organisation { name } }`.
    Organisations,
    /// `website`.
    Website,
    /// `languages`.
    Languages,
    /// `publishedAt`.
    PublishedAt,
    /// `events(first: 3) { nodes { title startsAt location } }`.
    Events,
}

/// Whether a view is in use.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "kb_domain::view::ViewState")]
pub enum ViewState {
    /// Listed by `views` and served by `view` and the feeds.
    Active,
    /// No longer listed or served; its owner and editors still see it.
    Archived,
}

/// The filter a view saved, as `initiatives` takes it.
#[derive(SimpleObject)]
pub struct ViewFilter {
    /// Theme codes.
    pub themes: Vec<String>,
    /// Topic codes; a topic includes its narrower topics.
    pub topics: Vec<String>,
    /// Kinds of initiative.
    pub kinds: Vec<InitiativeKind>,
    /// Organisation ids.
    pub organisations: Vec<ID>,
    /// Kinds of the organisations behind them.
    pub organisation_kinds: Vec<OrganisationKind>,
    /// Target groups.
    pub target_groups: Vec<TargetGroup>,
    /// Levels of education.
    pub education_levels: Vec<EducationLevel>,
    /// Regions.
    pub regions: Vec<Region>,
    /// Levels of evidence.
    pub evidence_levels: Vec<EvidenceLevel>,
    /// ISO 639-1 codes (`nl`, `en`).
    pub languages: Vec<String>,
    /// Active in or after this year.
    pub year_from: Option<i32>,
    /// Started in or before this year.
    pub year_to: Option<i32>,
}

impl From<&domain::InitiativeFilter> for ViewFilter {
    fn from(f: &domain::InitiativeFilter) -> Self {
        Self {
            themes: f.themes.clone(),
            topics: f.topics.clone(),
            kinds: map(&f.kinds),
            organisations: f
                .organisations
                .iter()
                .map(|o| ID(o.global().encode()))
                .collect(),
            organisation_kinds: map(&f.organisation_kinds),
            target_groups: map(&f.target_groups),
            education_levels: map(&f.education_levels),
            regions: map(&f.regions),
            evidence_levels: map(&f.evidence_levels),
            languages: f.languages.clone(),
            year_from: f.year_from,
            year_to: f.year_to,
        }
    }
}

/// One change of a view.
#[derive(SimpleObject)]
pub struct ViewRevision {
    /// `create`, `update` or `archive`.
    pub action: String,
    /// The key that made the change (its name and prefix).
    pub actor: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The version the change produced.
    pub version: i32,
}

/// A saved view: a named filter, ordering and optional search text over the published
/// initiatives, for a portal to embed or a feed to follow.
#[derive(Debug, Clone)]
pub struct View(pub(crate) domain_view::View);

impl View {
    /// Whether the request's key owns this view or may change it (editors).
    fn may_change(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let r = request(ctx)?;
        let key = r.key.as_ref().map(|k| k.id);
        Ok(r.viewer.sees_everything() || (key.is_some() && key == self.0.owner))
    }
}

/// A saved view: a named filter, ordering and optional search text over the published
/// initiatives, for a portal to embed or a feed to follow.
#[Object]
impl View {
    /// The readable, unique name in its address: `view(slug:)`, `/feeds/views/{slug}.atom`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// The title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the view is for (plain text, possibly empty).
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The name and prefix of the key that made it; only for that key and editors, null
    /// for everyone else and for views made at the command line.
    async fn owner_key(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let (Some(owner), true) = (self.0.owner, self.may_change(ctx)?) else {
            return Ok(None);
        };
        store(ctx)?.api_key_label(owner).await.gql()
    }
    /// The filter of its initiatives.
    async fn filter(&self) -> ViewFilter {
        ViewFilter::from(&self.0.filter)
    }
    /// The order of its initiatives (without search text).
    async fn order_by(&self) -> InitiativeOrder {
        self.0.order.into()
    }
    /// Words its initiatives must match, as for `search`; they then come best first.
    async fn search(&self) -> Option<&str> {
        self.0.search.as_deref()
    }
    /// The language its texts are served in whatever the client accepts; null when the
    /// request's language applies.
    async fn lang(&self) -> Option<Language> {
        self.0.lang.map(Into::into)
    }
    /// The fields of each initiative the view documents for embedding.
    async fn fields(&self) -> Vec<ViewField> {
        self.0.fields.iter().copied().map(Into::into).collect()
    }
    /// The query a portal sends to embed this view: its documented fields, `first`
    /// initiatives at a time.
    async fn embed_query(
        &self,
        #[graphql(
            default = 5,
            desc = "How many initiatives the query asks for, 1 to 100."
        )]
        first: u32,
    ) -> String {
        embed_query(&self.0.slug, &self.0.fields, first.clamp(1, 100))
    }
    /// Whether the view is in use.
    async fn state(&self) -> ViewState {
        self.0.state.into()
    }
    /// Increases with every change; `updateView` names it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Its changes, newest first; only for its owner and editors (empty for others).
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ViewRevision>> {
        let r = request(ctx)?;
        let list = store(ctx)?
            .view_revisions(r.viewer, r.key.as_ref().map(|k| k.id), &self.0)
            .await
            .gql()?;
        Ok(list
            .into_iter()
            .map(|r| ViewRevision {
                action: r.action,
                actor: r.actor,
                at: r.at,
                version: r.version,
            })
            .collect())
    }
    /// Its published initiatives, in its order (best first with search text), with the
    /// size and facets of the whole list.
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        let page = forward(first, after)?;
        let found = read_model(ctx)?
            .view_page(viewer(ctx)?, &self.0, page)
            .await
            .gql()?;
        let mut rows = loader(ctx)?
            .load_many(found.ids.items.iter().copied())
            .await
            .map_err(loader_error)?;
        let items = found
            .ids
            .items
            .iter()
            .filter_map(|id| rows.remove(id))
            .collect();
        Ok(InitiativeConnection {
            page: Page {
                items,
                offset: found.ids.offset,
                total: found.ids.total,
                has_next: found.ids.has_next,
            },
            filter: Some(self.0.filter.clone()),
            matched: found.matched,
            reader: Some(found.reader),
        })
    }
    /// The published events still to come (not yet ended) that feature any of its
    /// initiatives, soonest first.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many items the page holds, 0 to 100 (20 by default); more than 100 is LIMIT_EXCEEDED."
        )]
        first: Option<i32>,
        #[graphql(
            desc = "The page starts after the item with this cursor (an `endCursor` or an edge's `cursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<EventConnection> {
        let reader = kb_store::access::view_reader(viewer(ctx)?);
        let page = forward(first, after)?;
        let filter = read_model(ctx)?.view_events(reader, &self.0).await.gql()?;
        let s = store(ctx)?;
        let mut list = s.list_events(reader, &filter, page).await.gql()?;
        if ctx.look_ahead().field("totalCount").exists() {
            list.total = Some(s.count_events(reader, &filter).await.gql()?);
        }
        Ok(EventConnection {
            page: list,
            count: None,
        })
    }
}

/// The view `slug` for this request, or NOT_FOUND.
pub(crate) async fn view(ctx: &Context<'_>, slug: &str) -> async_graphql::Result<View> {
    let r = request(ctx)?;
    let found = store(ctx)?
        .view_by_slug(r.viewer, r.key.as_ref().map(|k| k.id), slug)
        .await
        .gql()?;
    let Some(v) = found else {
        return Err(coded(
            ErrorCode::NotFound,
            format!("no view `{slug}`"),
            Some("slug"),
        ));
    };
    if let Some(lang) = v.lang {
        pin_language(ctx, lang, None);
    }
    Ok(View(v))
}

/// Every active view.
pub(crate) async fn views(ctx: &Context<'_>) -> async_graphql::Result<Vec<View>> {
    let list = store(ctx)?.views().await.gql()?;
    for (i, v) in list.iter().enumerate() {
        if let Some(lang) = v.lang {
            pin_language(ctx, lang, Some(i));
        }
    }
    Ok(list.into_iter().map(View).collect())
}

/// Saved views.
#[derive(Debug, Default, Clone, Copy)]
pub struct ViewQuery;

#[Object]
impl ViewQuery {
    /// A saved view by its slug: its published initiatives with facets and its coming
    /// events. An unknown or archived view is NOT_FOUND (its owner and editors still see
    /// an archived one).
    async fn view(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The view's slug.")] slug: String,
    ) -> async_graphql::Result<Option<View>> {
        view(ctx, &slug).await.map(Some)
    }

    /// Every active saved view, by slug.
    async fn views(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<View>> {
        views(ctx).await
    }
}
