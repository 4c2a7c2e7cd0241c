use std::collections::HashMap;

use crate::id::OrganisationId;
use crate::vocab::Vocabulary;

/// A value and the names it may be given by, folded for comparison.
#[derive(Debug, Clone)]
struct Named<T> {
    value: T,
    names: Vec<String>,
}

/// What an import may name, as the store knows it: the labels of the vocabularies (the
/// taxonomy file's), the themes and topics with theirs, and the organisations by slug and
/// name. Matching ignores case and runs of whitespace.
#[derive(Debug, Clone, Default)]
pub struct ImportNames {
    terms: HashMap<String, Vec<Named<String>>>,
    themes: Vec<Named<String>>,
    topics: Vec<Named<String>>,
    organisations: Vec<Named<OrganisationId>>,
}

/// A name folded for comparison: lower case, whitespace collapsed.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn find<'a, T>(list: &'a [Named<T>], name: &str) -> Option<&'a T> {
    let name = fold(name);
    list.iter()
        .find(|n| n.names.contains(&name))
        .map(|n| &n.value)
}

fn named(code: &str, labels: &[&str]) -> Named<String> {
    Named {
        value: code.to_owned(),
        names: std::iter::once(code)
            .chain(labels.iter().copied())
            .map(fold)
            .collect(),
    }
}

impl ImportNames {
    /// A value of a flat vocabulary with its Dutch and English labels.
    pub fn add_term(&mut self, vocabulary: &str, code: &str, label_nl: &str, label_en: &str) {
        self.terms
            .entry(vocabulary.to_owned())
            .or_default()
            .push(named(code, &[label_nl, label_en]));
    }

    /// A theme with its labels.
    pub fn add_theme(&mut self, code: &str, label_nl: &str, label_en: &str) {
        self.themes.push(named(code, &[label_nl, label_en]));
    }

    /// A topic with its labels.
    pub fn add_topic(&mut self, code: &str, label_nl: &str, label_en: &str) {
        self.topics.push(named(code, &[label_nl, label_en]));
    }

    /// An organisation by its slug and name.
    pub fn add_organisation(&mut self, id: OrganisationId, slug: &str, name: &str) {
        self.organisations.push(Named {
            value: id,
            names: vec![fold(slug), fold(name)],
        });
    }

    /// The value of vocabulary `V` a code or label names. The enum's own codes count
    /// even where the store has no labels for them.
    pub fn term<V: Vocabulary>(&self, name: &str) -> Option<V> {
        let code = self
            .terms
            .get(V::NAME)
            .and_then(|list| find(list, name))
            .cloned()
            .unwrap_or_else(|| fold(name));
        V::from_code(&code)
    }

    /// The code of the theme a code or label names.
    pub fn theme(&self, name: &str) -> Option<String> {
        find(&self.themes, name).cloned()
    }

    /// The code of the topic a code or label names.
    pub fn topic(&self, name: &str) -> Option<String> {
        find(&self.topics, name).cloned()
    }

    /// The organisation a slug or name names.
    pub fn organisation(&self, name: &str) -> Option<OrganisationId> {
        find(&self.organisations, name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{InitiativeKind, Region};

    #[test]
    fn a_value_is_found_by_code_or_either_label_in_any_case() {
        let mut n = ImportNames::default();
        n.add_term("region", "noord_holland", "Noord-Holland", "North Holland");
        n.add_term("initiative_kind", "guide", "Handreiking", "Guide");
        assert_eq!(
            n.term::<Region>("NOORD_HOLLAND"),
            Some(Region::NoordHolland)
        );
        assert_eq!(
            n.term::<Region>("noord-holland"),
            Some(Region::NoordHolland)
        );
        assert_eq!(
            n.term::<Region>(" north   holland "),
            Some(Region::NoordHolland)
        );
        assert_eq!(
            n.term::<InitiativeKind>("handreiking"),
            Some(InitiativeKind::Guide)
        );
        assert_eq!(n.term::<Region>("Holland"), None);
        // Codes the store has no labels for still count.
        assert_eq!(
            n.term::<InitiativeKind>("Research"),
            Some(InitiativeKind::Research)
        );
    }

    #[test]
    fn themes_topics_and_organisations_are_found_by_their_names() {
        let mut n = ImportNames::default();
        n.add_theme("support", "Ondersteuning", "Support");
        n.add_topic("resilience", "Veerkracht", "Resilience");
        n.add_organisation(
            OrganisationId(7),
            "hogeschool-lagewaard",
            "Hogeschool Lagewaard",
        );
        assert_eq!(n.theme("ONDERSTEUNING").as_deref(), Some("support"));
        assert_eq!(n.topic("veerkracht").as_deref(), Some("resilience"));
        assert_eq!(n.topic("support"), None);
        assert_eq!(
            n.organisation("hogeschool lagewaard"),
            Some(OrganisationId(7))
        );
        assert_eq!(
            n.organisation("hogeschool-lagewaard"),
            Some(OrganisationId(7))
        );
        assert_eq!(n.organisation("lagewaard"), None);
    }
}
