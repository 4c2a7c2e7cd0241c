//! The analyst's workbench: any two dimensions as a table with the measures of each
//! cell and which cells are more than chance (`/analyse`), trends per year
//! (`/analyse/trends`) and maps of how topics, themes and organisations connect
//! (`/analyse/kaart`). Every setting is in the address, so each view is a permalink;
//! each can be taken away as CSV, as SVG and (maps) in VOSviewer's file formats.

/// Downloads: CSV, SVG and VOSviewer's map and network files.
mod files;
/// The neighbourhood of an initiative or organisation, and the most connected ones.
mod graph;
/// Maps of topics, themes and organisations.
mod map;
/// Any two dimensions as a table.
mod table;
/// Initiatives per year.
mod trend;

use maud::{Markup, html};
use serde_json::Value;

use crate::context::Ctx;
use crate::vocab::{Vocab, Vocabulary};

pub(crate) use map::{map_csv, map_page, map_svg, vosviewer_map, vosviewer_network};
pub(crate) use table::{page, table_csv, table_svg};
pub(crate) use trend::{trend_csv, trend_page, trend_svg};

/// A dimension of the API as the workbench offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dim {
    /// Its value in the address (`rijen=onderwerp`).
    pub key: &'static str,
    /// Its name in the API's `Dimension`.
    pub api: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
    /// The search page's address key of its values, where the search has one.
    pub search: Option<&'static str>,
}

impl Dim {
    pub(super) fn label<'a>(&self, ctx: &'a Ctx) -> &'a str {
        ctx.t(self.nl, self.en)
    }
}

/// Every dimension, in the order the pickers list them.
pub(super) const DIMS: [Dim; 13] = [
    Dim {
        key: "thema",
        api: "THEME",
        nl: "Thema",
        en: "Theme",
        search: Some("thema"),
    },
    Dim {
        key: "onderwerp",
        api: "TOPIC",
        nl: "Onderwerp (alle)",
        en: "Topic (all)",
        search: Some("onderwerp"),
    },
    Dim {
        key: "hoofdonderwerp",
        api: "BROAD_TOPIC",
        nl: "Onderwerp: hoofdniveau",
        en: "Topic: top level",
        search: Some("onderwerp"),
    },
    Dim {
        key: "deelonderwerp",
        api: "NARROW_TOPIC",
        nl: "Onderwerp: deelniveau",
        en: "Topic: narrower level",
        search: Some("onderwerp"),
    },
    Dim {
        key: "soort",
        api: "KIND",
        nl: "Soort initiatief",
        en: "Kind of initiative",
        search: Some("soort"),
    },
    Dim {
        key: "doelgroep",
        api: "TARGET_GROUP",
        nl: "Doelgroep",
        en: "Target group",
        search: Some("doelgroep"),
    },
    Dim {
        key: "niveau",
        api: "EDUCATION_LEVEL",
        nl: "Onderwijsniveau",
        en: "Education level",
        search: Some("niveau"),
    },
    Dim {
        key: "regio",
        api: "REGION",
        nl: "Regio",
        en: "Region",
        search: Some("regio"),
    },
    Dim {
        key: "organisatiesoort",
        api: "ORGANISATION_KIND",
        nl: "Soort organisatie",
        en: "Kind of organisation",
        search: None,
    },
    Dim {
        key: "onderbouwing",
        api: "EVIDENCE_LEVEL",
        nl: "Onderbouwing",
        en: "Evidence",
        search: Some("onderbouwing"),
    },
    Dim {
        key: "jaar",
        api: "YEAR",
        nl: "Startjaar",
        en: "Start year",
        search: None,
    },
    Dim {
        key: "taal",
        api: "LANGUAGE",
        nl: "Taal",
        en: "Language",
        search: Some("taal"),
    },
    Dim {
        key: "organisatie",
        api: "ORGANISATION",
        nl: "Organisatie",
        en: "Organisation",
        search: None,
    },
];

/// The dimension the address gives under `key`, else `default`.
pub(super) fn dim(ctx: &Ctx, key: &str, default: &'static str) -> Dim {
    let wanted = ctx.param(key).unwrap_or(default);
    DIMS.iter()
        .chain(DIMS.iter().filter(|d| d.key == default))
        .find(|d| d.key == wanted || d.key == default && !DIMS.iter().any(|x| x.key == wanted))
        .copied()
        .unwrap_or(DIMS[0])
}

/// The address keys of the filters the workbench offers, carried by every link and
/// download of a view.
pub(super) const FILTER_KEYS: [&str; 4] = ["vanaf", "tot", "regio", "soort"];

/// The population's filter from the address, as the search page reads it: start years
/// (`vanaf`, `tot`), regions and kinds (and any other facet of the search).
pub(super) fn filter(ctx: &Ctx) -> Value {
    crate::pages::search::facets::filter(ctx)
}

/// The address's values of `keys`, in order, as `key=value` pairs for a link.
pub(super) fn carried(ctx: &Ctx, keys: &[&str]) -> Vec<(String, String)> {
    keys.iter()
        .flat_map(|k| {
            ctx.params(k)
                .into_iter()
                .map(move |v| ((*k).to_owned(), v.to_owned()))
        })
        .collect()
}

/// `path` with the query `pairs`, each value percent-encoded.
pub(super) fn address(path: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return path.to_owned();
    }
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    format!("{path}?{}", query.finish())
}

/// The links between the workbench's three views; `current` is marked.
pub(super) fn tabs(ctx: &Ctx, current: &str) -> Markup {
    let views = [
        ("/analyse", ctx.t("Tabel", "Table")),
        ("/analyse/trends", ctx.t("Trends", "Trends")),
        ("/analyse/kaart", ctx.t("Kaarten", "Maps")),
    ];
    html! {
        nav.tabs aria-label=(ctx.t("Onderdelen van de analyse", "Parts of the analysis")) {
            ul {
                @for (path, label) in views {
                    li {
                        a href=(ctx.href(path)) aria-current=[(path == current).then_some("page")] { (label) }
                    }
                }
            }
        }
    }
}

/// The filter fields every view shares: start years, region and kind.
pub(super) fn filter_fields(ctx: &Ctx, vocab: &Vocab) -> Markup {
    let year = |key: &str, id: &str, label: &str| {
        let chosen = ctx.param(key).unwrap_or("");
        html! {
            p {
                label for=(id) { (label) }
                input id=(id) name=(key) type="number" min="1900" max="2100" inputmode="numeric" value=(chosen);
            }
        }
    };
    let select = |key: &str, id: &str, label: &str, kind: Vocabulary, any: &str| {
        let chosen = ctx.param(key).unwrap_or("").to_ascii_uppercase();
        html! {
            p {
                label for=(id) { (label) }
                select id=(id) name=(key) {
                    option value="" { (any) }
                    @for (value, text) in vocab.terms(kind) {
                        option value=(value.to_ascii_lowercase()) selected[*value == chosen] { (text) }
                    }
                }
            }
        }
    };
    html! {
        fieldset.filters {
            legend { (ctx.t("Welke initiatieven", "Which initiatives")) }
            (year("vanaf", "a-vanaf", ctx.t("Actief vanaf", "Active from")))
            (year("tot", "a-tot", ctx.t("Tot en met", "Until")))
            (select("regio", "a-regio", ctx.t("Regio", "Region"), Vocabulary::Region, ctx.t("alle regio's", "every region")))
            (select("soort", "a-soort", ctx.t("Soort", "Kind"), Vocabulary::InitiativeKind, ctx.t("alle soorten", "every kind")))
        }
    }
}

/// A number in the page's language: `decimals` places, a decimal comma in Dutch.
pub(super) fn decimal(ctx: &Ctx, value: f64, decimals: usize) -> String {
    let s = format!("{value:.decimals$}");
    if ctx.en() { s } else { s.replace('.', ",") }
}

/// A p- or q-value for people: "< 0,001" below a thousandth, else three decimals.
pub(super) fn probability(ctx: &Ctx, value: f64) -> String {
    if value < 0.001 {
        format!("< {}", decimal(ctx, 0.001, 3))
    } else {
        decimal(ctx, value, 3)
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;

    use super::*;

    #[test]
    fn a_dimension_is_read_from_the_address_or_defaults() {
        let ctx = Ctx::of(
            &HeaderMap::new(),
            "/analyse",
            "rijen=niveau&kolommen=%3Cx%3E",
        );
        assert_eq!(dim(&ctx, "rijen", "thema").api, "EDUCATION_LEVEL");
        assert_eq!(dim(&ctx, "kolommen", "onderwerp").api, "TOPIC");
        assert_eq!(dim(&ctx, "ontbreekt", "jaar").api, "YEAR");
        assert_eq!(
            DIMS.iter()
                .map(|d| d.key)
                .collect::<std::collections::HashSet<_>>()
                .len(),
            DIMS.len()
        );
    }

    #[test]
    fn links_carry_the_filters_percent_encoded() {
        let ctx = Ctx::of(
            &HeaderMap::new(),
            "/analyse",
            "vanaf=2023&regio=noord&x=1&soort=a%26b",
        );
        let pairs = carried(&ctx, &FILTER_KEYS);
        assert_eq!(
            address("/analyse/tabel.csv", &pairs),
            "/analyse/tabel.csv?vanaf=2023&regio=noord&soort=a%26b"
        );
        assert_eq!(address("/analyse", &[]), "/analyse");
    }
}
