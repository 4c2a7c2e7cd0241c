use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use kb_domain::{self as domain, InitiativeFilter, LinkType as DomainLinkType, NodeId, Page};

use super::connection::{EventConnection, PageInfo, encode_cursor, forward};
use super::facets::InitiativeFacets;
use super::nodes::{Initiative, Organisation, Theme, Topic};
use super::related::{LineageDirection, LineageEntry, RelatedInitiative};
use super::revision::{LastChange, Revision};
use super::vocab::*;
use crate::context::{loader, read_model, viewer};
use crate::error::{StoreResultExt, coded, loader_error};
use crate::loaders::*;

/// An organisation behind an initiative, with the part it plays.
#[derive(SimpleObject, Debug, Clone)]
pub struct InitiativeOrganisation {
    /// The part it plays.
    pub role: OrganisationRole,
    /// The organisation.
    pub organisation: Organisation,
}

/// A typed link to another initiative, with the contributor's note.
#[derive(SimpleObject, Debug, Clone)]
pub struct InitiativeLink {
    /// The initiative linked to.
    pub initiative: Initiative,
    /// Why or how the two are linked, in the contributor's words; null when not given.
    pub note: Option<String>,
}

impl Initiative {
    async fn link_rows(
        &self,
        ctx: &Context<'_>,
        link_type: DomainLinkType,
        reverse: bool,
    ) -> async_graphql::Result<Vec<(Option<String>, domain::Initiative)>> {
        let rows = loader(ctx)?
            .load_one(LinksOf {
                id: self.0.id,
                link_type,
                reverse,
            })
            .await
            .map_err(loader_error)?;
        Ok(rows.unwrap_or_default())
    }

    async fn linked(
        &self,
        ctx: &Context<'_>,
        link_type: DomainLinkType,
        reverse: bool,
    ) -> async_graphql::Result<Vec<Initiative>> {
        Ok(self
            .link_rows(ctx, link_type, reverse)
            .await?
            .into_iter()
            .map(|(_, i)| Initiative(i))
            .collect())
    }
}

/// A shared piece of work on student wellbeing: a guide, study, tool, training, teaching
/// practice, support group, community, … Everything published is free and open to all.
#[Object]
impl Initiative {
    /// The opaque global id, for `node` and `nodes`.
    pub async fn id(&self) -> ID {
        ID(self.0.id.global().encode())
    }
    /// The readable last part of its address, from the title: lower-case ASCII letters and
    /// digits joined by hyphens, at most 80 characters, unique among initiatives.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// The title, at most 200 characters.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// A plain-text summary, at most 1,000 characters.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The title in English, as stored; null when none was given (show `title` then).
    async fn title_en(&self) -> Option<&str> {
        self.0.title_en.as_deref()
    }
    /// The summary in English, as stored; null when none was given (show `summary` then).
    async fn summary_en(&self) -> Option<&str> {
        self.0.summary_en.as_deref()
    }
    /// Sanitised Markdown.
    async fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }
    /// What the initiative is.
    async fn kind(&self) -> InitiativeKind {
        self.0.kind.into()
    }
    /// Where it stands in moderation.
    async fn status(&self) -> InitiativeStatus {
        self.0.status.into()
    }
    /// Why editors rejected it, or the note they sent it back to DRAFT with, until its
    /// status changes again; visible to editors and the organisations taking part only
    /// (the store decides), null for everyone else.
    async fn rejection_reason(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        loader(ctx)?
            .load_one(RejectionReasonOf(self.0.id))
            .await
            .map_err(loader_error)
    }
    /// Every change, newest first: who, when, what, before and after. Visible to
    /// editors and the organisations taking part; null for everyone else.
    async fn revisions(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<Revision>>> {
        Ok(loader(ctx)?
            .load_one(RevisionsOfInitiative(self.0.id))
            .await
            .map_err(loader_error)?
            .map(|list| list.into_iter().map(Revision).collect()))
    }
    /// Who made the latest change and when: the same as the newest of `revisions`, for
    /// the same viewers (null for everyone else), without reading the history.
    async fn last_change(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<LastChange>> {
        Ok(loader(ctx)?
            .load_one(LastChangeOf(self.0.id))
            .await
            .map_err(loader_error)?
            .map(|(actor, at)| LastChange { actor, at }))
    }
    /// Increases with every change; updates must name the version they change.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// How it is delivered; null when not given.
    async fn format(&self) -> Option<Format> {
        self.0.format.map(Into::into)
    }
    /// What using it costs; null when not given.
    async fn cost(&self) -> Option<Cost> {
        self.0.cost.map(Into::into)
    }
    /// Its prevention level; null when not given.
    async fn prevention_level(&self) -> Option<PreventionLevel> {
        self.0.prevention_level.map(Into::into)
    }
    /// How well its effect is supported, on the Dutch recognition ladder; null when not
    /// given.
    async fn evidence_level(&self) -> Option<EvidenceLevel> {
        self.0.evidence_level.map(Into::into)
    }
    /// Where it is active: a province, national or international; null when not given.
    async fn region(&self) -> Option<Region> {
        self.0.region.map(Into::into)
    }
    /// The year it started (1900 to 2100); null when not known.
    async fn start_year(&self) -> Option<i32> {
        self.0.start_year
    }
    /// The year it ended (1900 to 2100, not before `startYear`); null while it runs.
    async fn end_year(&self) -> Option<i32> {
        self.0.end_year
    }
    /// Its web address (http or https); null when it has none.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// The contact address: a team's or an organisation's, or a person's who agreed to
    /// publish it (`contactPersonal`), which only signed-in viewers read (null for the
    /// public and partners).
    async fn contact_email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        if self.0.contact_personal && !kb_store::access::sees_personal_contacts(viewer(ctx)?) {
            return Ok(None);
        }
        Ok(self.0.contact_email.as_deref())
    }
    /// Whether the contact address is a person's (shown to signed-in viewers only).
    async fn contact_personal(&self) -> bool {
        self.0.contact_personal
    }
    /// Whether this is part of the demo data set (fictional).
    async fn is_demo(&self) -> bool {
        self.0.is_demo
    }
    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When its content or status last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// When it was published; null until then.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
    /// ISO 639-1 codes of the languages the initiative is available in.
    async fn languages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let t = loader(ctx)?
            .load_one(TermsOfInitiative(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(t.unwrap_or_default().languages)
    }
    /// Who it is for.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        let t = loader(ctx)?
            .load_one(TermsOfInitiative(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(map(&t.unwrap_or_default().target_groups))
    }
    /// The levels of education it serves.
    async fn education_levels(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<EducationLevel>> {
        let t = loader(ctx)?
            .load_one(TermsOfInitiative(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(map(&t.unwrap_or_default().education_levels))
    }
    /// The StepChange domains the initiative works in.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Theme>> {
        let rows = loader(ctx)?
            .load_one(ThemesOfInitiative(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(rows.unwrap_or_default().into_iter().map(Theme).collect())
    }
    /// The topics the initiative is about.
    async fn topics(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Topic>> {
        let rows = loader(ctx)?
            .load_one(TopicsOfInitiative(self.0.id))
            .await
            .map_err(loader_error)?;
        Ok(rows.unwrap_or_default().into_iter().map(Topic).collect())
    }
    /// The organisations behind the initiative (lead first), optionally of one role.
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the organisations playing this part; all when omitted.")]
        role: Option<OrganisationRole>,
    ) -> async_graphql::Result<Vec<InitiativeOrganisation>> {
        let rows = loader(ctx)?
            .load_one(OrganisationsOfInitiative(self.0.id))
            .await
            .map_err(loader_error)?;
        let wanted: Option<domain::OrganisationRole> = role.map(Into::into);
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|(r, _)| wanted.is_none_or(|w| w == *r))
            .map(|(r, o)| InitiativeOrganisation {
                role: r.into(),
                organisation: Organisation(o),
            })
            .collect())
    }
    /// Events where the initiative is shown, most recent first.
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
        EventConnection::nested_of(ctx, EventParent::Initiative(self.0.id), first, after).await
    }
    /// Initiatives this one builds on.
    async fn builds_on(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Initiative>> {
        self.linked(ctx, DomainLinkType::BuildsOn, false).await
    }
    /// Initiatives that build on this one.
    async fn built_on_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Initiative>> {
        self.linked(ctx, DomainLinkType::BuildsOn, true).await
    }
    /// Initiatives this one was inspired by.
    async fn inspired_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Initiative>> {
        self.linked(ctx, DomainLinkType::InspiredBy, false).await
    }
    /// Initiatives inspired by this one.
    async fn inspired(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Initiative>> {
        self.linked(ctx, DomainLinkType::InspiredBy, true).await
    }
    /// Initiatives related to this one, in either direction of the link.
    async fn related_to(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Initiative>> {
        let mut out = self.linked(ctx, DomainLinkType::RelatedTo, false).await?;
        for i in self.linked(ctx, DomainLinkType::RelatedTo, true).await? {
            if out.iter().all(|o| o.0.id != i.0.id) {
                out.push(i);
            }
        }
        Ok(out)
    }
    /// The initiatives most related to this one, best first: shared topics, themes and
    /// organisations weighted by rarity, and explicit links (at most 50; default 5).
    async fn related(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = 5,
            desc = "How many related initiatives to return, 0 to 50 (5 by default)."
        )]
        first: i32,
    ) -> async_graphql::Result<Vec<RelatedInitiative>> {
        let first = usize::try_from(first)
            .ok()
            .filter(|n| *n <= 50)
            .ok_or_else(|| {
                coded(
                    kb_domain::ErrorCode::BadUserInput,
                    "first is 0 to 50",
                    Some("first"),
                )
            })?;
        Ok(loader(ctx)?
            .load_one(RelatedOf {
                id: self.0.id,
                first,
            })
            .await
            .map_err(loader_error)?
            .unwrap_or_default()
            .into_iter()
            .map(|(r, i)| RelatedInitiative(r, Initiative(i)))
            .collect())
    }
    /// The initiatives this one builds on or was inspired by (UP), or that build on or
    /// were inspired by it (DOWN), up to `depth` links away (1 to 5; default 3), nearest
    /// first, each once with the path to it. Cycles end the walk.
    async fn lineage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "UP for what this initiative builds on, DOWN for what builds on it.")]
        direction: LineageDirection,
        #[graphql(
            default = 3,
            desc = "How many links away to go, 1 to 5 (3 by default)."
        )]
        depth: i32,
    ) -> async_graphql::Result<Vec<LineageEntry>> {
        let depth = u32::try_from(depth)
            .ok()
            .filter(|d| (1..=5).contains(d))
            .ok_or_else(|| {
                coded(
                    kb_domain::ErrorCode::BadUserInput,
                    "depth is 1 to 5",
                    Some("depth"),
                )
            })?;
        let up = direction == LineageDirection::Up;
        Ok(loader(ctx)?
            .load_one(LineageOf {
                id: self.0.id,
                up,
                depth,
            })
            .await
            .map_err(loader_error)?
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(step, path)| LineageEntry::new(step, path))
            .collect())
    }
    /// Every outgoing link of one type, with its note.
    async fn links(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The type of link to follow.")] r#type: LinkType,
    ) -> async_graphql::Result<Vec<InitiativeLink>> {
        Ok(self
            .link_rows(ctx, r#type.into(), false)
            .await?
            .into_iter()
            .map(|(note, i)| InitiativeLink {
                initiative: Initiative(i),
                note,
            })
            .collect())
    }
}

/// A page of initiatives, with the size and facets of the whole filtered list.
pub struct InitiativeConnection {
    pub(crate) page: Page<domain::Initiative>,
    /// The filter equal to this list, when there is one: counts and facets use it.
    pub(crate) filter: Option<InitiativeFilter>,
    /// What a search matched, when the list is a search's hits: facets count over it.
    pub(crate) matched: Option<roaring::RoaringBitmap>,
    /// Whom the list is read for when not the request's viewer (a view reads as the
    /// public, see `kb_store::access::view_reader`).
    pub(crate) reader: Option<domain::Viewer>,
}

/// An initiative in a connection, with its cursor.
#[derive(SimpleObject)]
pub struct InitiativeEdge {
    /// The opaque cursor of this position in the list, for `after` and `before`.
    pub cursor: String,
    /// The initiative.
    pub node: Initiative,
}

/// A page of initiatives, with the size and facets of the whole filtered list.
#[Object]
impl InitiativeConnection {
    /// The initiatives of the page, each with its cursor.
    async fn edges(&self) -> Vec<InitiativeEdge> {
        self.page
            .items
            .iter()
            .enumerate()
            .map(|(i, n)| InitiativeEdge {
                cursor: encode_cursor(self.page.offset + i as u64),
                node: Initiative(n.clone()),
            })
            .collect()
    }
    /// The initiatives of the page, in order.
    async fn nodes(&self) -> Vec<Initiative> {
        self.page.items.iter().cloned().map(Initiative).collect()
    }
    /// Where the page stands in the list.
    async fn page_info(&self) -> PageInfo {
        PageInfo::of(&self.page)
    }
    /// The number of initiatives in the whole list.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        if let Some(t) = self.page.total {
            return Ok(t as i64);
        }
        let filter = self.filter.clone().unwrap_or_default();
        let v = self.reader(ctx)?;
        Ok(read_model(ctx)?.count(v, &filter).await.gql()? as i64)
    }
    /// Counts per value of each vocabulary, theme and topic, over the whole list.
    async fn facets(&self, ctx: &Context<'_>) -> async_graphql::Result<InitiativeFacets> {
        let Some(filter) = &self.filter else {
            return Err(coded(
                kb_domain::ErrorCode::BadUserInput,
                "facets are available on Query.initiatives, Theme.initiatives and Organisation.initiatives",
                Some("facets"),
            ));
        };
        let (model, v) = (read_model(ctx)?, self.reader(ctx)?);
        let f = match &self.matched {
            Some(matched) => model.search_facets(v, filter, matched).await.gql()?,
            None => model.facets(v, filter).await.gql()?,
        };
        Ok(InitiativeFacets::from(f))
    }
}

/// A page of initiatives, with the size and facets of the whole filtered list.
impl InitiativeConnection {
    fn reader(&self, ctx: &Context<'_>) -> async_graphql::Result<domain::Viewer> {
        match self.reader {
            Some(v) => Ok(v),
            None => viewer(ctx),
        }
    }

    /// A page of the filtered list in `order` for `v`: the read model picks the page's
    /// ids and counts; SQL loads the rows by id, applying the access rule once more.
    pub(crate) async fn listed(
        ctx: &Context<'_>,
        v: domain::Viewer,
        filter: InitiativeFilter,
        order: domain::InitiativeOrder,
        page: domain::PageRequest,
    ) -> async_graphql::Result<Self> {
        let ids = read_model(ctx)?.list(v, &filter, order, page).await.gql()?;
        let mut found = loader(ctx)?
            .load_many(ids.items.iter().copied())
            .await
            .map_err(loader_error)?;
        let rows = ids.items.iter().filter_map(|id| found.remove(id)).collect();
        Ok(InitiativeConnection {
            page: Page {
                items: rows,
                offset: ids.offset,
                total: ids.total,
                has_next: ids.has_next,
            },
            filter: Some(filter),
            matched: None,
            reader: None,
        })
    }

    /// A page of a list nested under a parent; `filter` when the list equals one.
    pub(crate) async fn nested(
        ctx: &Context<'_>,
        parent: InitiativeParent,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<InitiativeFilter>,
    ) -> async_graphql::Result<Self> {
        let page = forward(first, after)?.with_count(ctx.look_ahead().field("totalCount").exists());
        let p = loader(ctx)?
            .load_one(InitiativesOf { parent, page })
            .await
            .map_err(loader_error)?;
        Ok(InitiativeConnection {
            page: p.unwrap_or_else(|| Page::empty(page)),
            filter,
            matched: None,
            reader: None,
        })
    }
}
