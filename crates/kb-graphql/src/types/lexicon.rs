//! An entry of the bilingual lexicon of search.

use async_graphql::Object;

/// An entry of the lexicon, for the API.
pub struct LexiconEntry(pub kb_domain::LexiconEntry);

/// Words and short phrases, in Dutch and English, that mean the same thing in this field
/// ("zelfmoord", "suïcide", "suicide"): search reads each as any of the others.
#[Object]
impl LexiconEntry {
    /// The stable identifier, lower_snake_case.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The Dutch words and phrases, as written.
    async fn nl(&self) -> &[String] {
        &self.0.nl
    }
    /// The English words and phrases, as written.
    async fn en(&self) -> &[String] {
        &self.0.en
    }
}
