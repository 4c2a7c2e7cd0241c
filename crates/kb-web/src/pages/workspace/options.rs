//! The choices the initiative form offers: the vocabularies, themes and topics, read
//! through the API in the page's language.

use serde::Deserialize;
use serde_json::json;

use crate::Site;
use crate::client::Failure;
use crate::context::Ctx;

/// A vocabulary's values in their order, with labels.
#[derive(Debug, Deserialize)]
pub(crate) struct Term {
    pub(crate) value: String,
    pub(crate) label: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Vocabularies {
    pub(super) initiative_kinds: Vec<Term>,
    pub(super) target_groups: Vec<Term>,
    pub(super) education_levels: Vec<Term>,
    pub(super) formats: Vec<Term>,
    pub(super) costs: Vec<Term>,
    pub(super) prevention_levels: Vec<Term>,
    pub(super) evidence_levels: Vec<Term>,
    pub(super) regions: Vec<Term>,
    pub(super) organisation_kinds: Vec<Term>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Theme {
    pub(super) code: String,
    pub(super) label: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Topic {
    pub(super) code: String,
    pub(super) label: String,
    pub(super) alt_labels: Vec<String>,
    #[serde(deserialize_with = "crate::client::nullable")]
    pub(super) broader: Option<Broader>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Broader {
    pub(super) code: String,
}

/// The choices the form offers, read through the API in the page's language.
#[derive(Debug, Deserialize)]
pub(crate) struct Options {
    pub(super) vocabularies: Vocabularies,
    pub(super) themes: Vec<Theme>,
    pub(super) topics: Vec<Topic>,
}

impl Options {
    pub(crate) async fn read(site: &Site, ctx: &Ctx) -> Result<Options, Failure> {
        site.query(
            ctx.lang,
            "query FormOptions {
               vocabularies {
                 initiativeKinds { value label } targetGroups { value label }
                 educationLevels { value label } formats { value label } costs { value label }
                 preventionLevels { value label } evidenceLevels { value label }
                 regions { value label } organisationKinds { value label }
               }
               themes { code label }
               topics { code label altLabels broader { code } }
             }",
            json!({}),
        )
        .await
    }
}
