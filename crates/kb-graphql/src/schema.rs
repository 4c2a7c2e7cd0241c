//! The root types assembled from their parts: the mutations of every object merged into
//! one `Mutation`.

use crate::mutation::accounts::AccountMutations;
use crate::mutation::erasure::ErasureMutations;
use crate::mutation::event::EventMutations;
use crate::mutation::initiative::InitiativeMutations;
use crate::mutation::keys::KeyMutations;
use crate::mutation::lexicon::LexiconMutations;
use crate::mutation::organisation::OrganisationMutations;
use crate::mutation::proposals::ProposalMutations;
use crate::mutation::taxonomy::TaxonomyMutations;
use crate::mutation::view::ViewMutations;

/// The root of every write: the mutations of each object, merged.
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    InitiativeMutations,
    OrganisationMutations,
    EventMutations,
    TaxonomyMutations,
    LexiconMutations,
    KeyMutations,
    ViewMutations,
    AccountMutations,
    ProposalMutations,
    ErasureMutations,
);
