//! Mutations of saved views: editors and partners create them; a partner changes and
//! archives its own, an editor any. Who may do what is the store's access module's call.

use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use kb_domain::DomainError;
use kb_domain::view::ViewInput as DomainViewInput;

use crate::context::{actor, domain as domain_err, store};
use crate::error::StoreResultExt;
use crate::query::views::{View, ViewField};
use crate::query::{InitiativeFilter, InitiativeOrder};
use crate::types::vocab::Language;

/// The content of a view; on update, omitted fields stay as they are and `null` clears
/// an optional one.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ViewInput {
    /// The slug: 1 to 80 lower case letters, digits and single hyphens; made from the
    /// title when omitted on create. Another view's slug is CONFLICT.
    pub slug: Option<String>,
    /// The title: at most 200 characters, not empty; required to create.
    pub title: Option<String>,
    /// What the view is for: plain text, at most 2,000 characters.
    pub description: Option<String>,
    /// Which initiatives it holds, as `initiatives` takes it (`statuses` are ignored: a
    /// view shows published initiatives).
    pub filter: Option<InitiativeFilter>,
    /// Their order; NEWEST when omitted on create.
    pub order_by: Option<InitiativeOrder>,
    /// Words they must match, as `search` reads them (at most 500 characters); they then
    /// come best first. `null` clears it.
    pub search: MaybeUndefined<String>,
    /// The language its texts are served in whatever the client accepts; `null` clears it.
    pub lang: MaybeUndefined<Language>,
    /// The fields of each initiative it documents for embedding.
    pub fields: Option<Vec<ViewField>>,
}

fn maybe<G, D>(v: MaybeUndefined<G>, f: impl Fn(G) -> D) -> Option<Option<D>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(x) => Some(Some(f(x))),
    }
}

impl ViewInput {
    fn into_domain(self) -> Result<DomainViewInput, DomainError> {
        let filter = self
            .filter
            .map(|f| {
                f.to_domain().map_err(|e| match e.field.clone() {
                    Some(field) => e.with_field(format!("input.{field}")),
                    None => e,
                })
            })
            .transpose()?;
        Ok(DomainViewInput {
            slug: self.slug,
            title: self.title,
            description: self.description,
            filter,
            order: self.order_by.map(Into::into),
            search: maybe(self.search, |s| s),
            lang: maybe(self.lang, Into::into),
            fields: self.fields.map(|f| f.into_iter().map(Into::into).collect()),
        })
    }
}

/// The view a mutation changed.
#[derive(SimpleObject)]
pub struct ViewPayload {
    /// The view as it is after the change.
    pub view: View,
}

/// Mutations of saved views.
#[derive(Debug, Default, Clone, Copy)]
pub struct ViewMutations;

#[Object]
impl ViewMutations {
    /// Makes a view owned by the request's key (editors and partners).
    async fn create_view(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The content of the view.")] input: ViewInput,
    ) -> async_graphql::Result<ViewPayload> {
        let input = input.into_domain().map_err(domain_err)?;
        let v = store(ctx)?.create_view(&actor(ctx)?, input).await.gql()?;
        Ok(ViewPayload { view: View(v) })
    }

    /// Changes a view (its owner, editors); a stale `expectedVersion` is CONFLICT.
    async fn update_view(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The view's slug.")] slug: String,
        #[graphql(
            desc = "The version the client read; if the view changed since, the answer is CONFLICT with `extensions.currentVersion` and nothing is written."
        )]
        expected_version: i32,
        #[graphql(desc = "The content to write; omitted fields stay as they are.")]
        input: ViewInput,
    ) -> async_graphql::Result<ViewPayload> {
        let input = input.into_domain().map_err(domain_err)?;
        let v = store(ctx)?
            .update_view(&actor(ctx)?, &slug, expected_version, input)
            .await
            .gql()?;
        Ok(ViewPayload { view: View(v) })
    }

    /// Archives a view (its owner, editors): it is no longer listed, served or fed.
    async fn archive_view(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The view's slug.")] slug: String,
        #[graphql(
            desc = "The version the client read; when given and the view changed since, the answer is CONFLICT and nothing is written."
        )]
        expected_version: Option<i32>,
    ) -> async_graphql::Result<ViewPayload> {
        let v = store(ctx)?
            .archive_view(&actor(ctx)?, &slug, expected_version)
            .await
            .gql()?;
        Ok(ViewPayload { view: View(v) })
    }
}
