//! The form's links to other initiatives, made to match: those listed and missing are
//! added, those no longer listed removed, each through the API's mutation.

use serde_json::{Value, json};

use super::draft::{Draft, LINK_TYPES, Stored};
use crate::client::Refusal;
use crate::context::Ctx;
use crate::{Site, Visitor};

/// Adds the links the form lists and the initiative lacks, and removes those it no
/// longer lists.
pub(super) async fn sync_links(
    site: &Site,
    ctx: &Ctx,
    v: &Visitor,
    id: &str,
    draft: &Draft,
    now: &Stored,
) -> Result<(), Refusal> {
    let existing: Vec<(String, String)> = [
        ("BUILDS_ON", &now.builds_on),
        ("INSPIRED_BY", &now.inspired_by),
        ("RELATED_TO", &now.related_to),
    ]
    .into_iter()
    .flat_map(|(k, list)| list.iter().map(move |l| (k.to_owned(), l.id.clone())))
    .collect();
    let wanted: Vec<(String, String)> = draft
        .links
        .iter()
        .filter(|(k, _, _)| LINK_TYPES.contains(&k.as_str()))
        .map(|(k, to, _)| (k.clone(), to.clone()))
        .collect();
    for (kind, to) in wanted.iter().filter(|w| !existing.contains(w)) {
        site.run_as::<Value>(
            v,
            ctx.lang,
            "mutation Link($input: LinkInitiativesInput!) { linkInitiatives(input: $input) { from { id } } }",
            json!({ "input": { "from": id, "to": to, "type": kind } }),
        )
        .await?;
    }
    for (kind, to) in existing.iter().filter(|e| !wanted.contains(e)) {
        site.run_as::<Value>(
            v,
            ctx.lang,
            "mutation Unlink($input: UnlinkInitiativesInput!) { unlinkInitiatives(input: $input) { from { id } } }",
            json!({ "input": { "from": id, "to": to, "type": kind } }),
        )
        .await?;
    }
    Ok(())
}
