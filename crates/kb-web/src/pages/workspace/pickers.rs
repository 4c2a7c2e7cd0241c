//! The form's pickers: organisations found by name, published initiatives found by
//! search, through the API's search.

use serde::Deserialize;
use serde_json::json;

use crate::client::Failure;
use crate::context::Ctx;
use crate::{Site, Visitor};

#[derive(Debug, Deserialize)]
struct FoundOrganisations {
    #[serde(rename = "searchOrganisations")]
    found: Hits<OrganisationHit>,
}

#[derive(Debug, Deserialize)]
struct Hits<T> {
    nodes: Vec<T>,
}

#[derive(Debug, Deserialize)]
struct OrganisationHit {
    organisation: NamedNode,
}

#[derive(Debug, Deserialize)]
struct NamedNode {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct FoundInitiatives {
    search: Hits<InitiativeHit>,
}

#[derive(Debug, Deserialize)]
struct InitiativeHit {
    initiative: TitledNode,
}

#[derive(Debug, Deserialize)]
struct TitledNode {
    id: String,
    title: String,
}

pub(super) async fn find_organisations(
    site: &Site,
    ctx: &Ctx,
    text: &str,
) -> Vec<(String, String)> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let found: Result<FoundOrganisations, Failure> = site
        .query(
            ctx.lang,
            "query FindOrganisation($q: String!) { searchOrganisations(query: $q, first: 10) { nodes { organisation { id name } } } }",
            json!({ "q": text }),
        )
        .await;
    found
        .map(|f| {
            f.found
                .nodes
                .into_iter()
                .map(|n| (n.organisation.id, n.organisation.name))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) async fn find_initiatives(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    text: &str,
) -> Vec<(String, String)> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let found: Result<FoundInitiatives, Failure> = site
        .query_as(
            v,
            ctx.lang,
            "query FindInitiative($q: String!) { search(query: $q, first: 10) { nodes { initiative { id title } } } }",
            json!({ "q": text }),
        )
        .await;
    found
        .map(|f| {
            f.search
                .nodes
                .into_iter()
                .map(|n| (n.initiative.id, n.initiative.title))
                .collect()
        })
        .unwrap_or_default()
}
