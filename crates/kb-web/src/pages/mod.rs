//! The pages, one module per kind, and what several of them show alike.

/// The analyst page: co-occurrence heat map and neighbourhoods.
pub(crate) mod analysis;
/// The editors' review of contact addresses of erased people.
pub(crate) mod contact_reviews;
/// The editors' desk: the queue and the review of submissions.
pub(crate) mod desk;
/// The events list and one event.
pub(crate) mod events;
/// The home page.
pub(crate) mod home;
/// One initiative with everything around it.
pub(crate) mod initiative;
/// One organisation.
pub(crate) mod organisation;
/// Signing in, confirming a mailed link, and the signed-in person's account.
pub(crate) mod people;
/// The privacy statement, with the configured retention periods.
pub(crate) mod privacy;
/// Search and browse with facets.
pub(crate) mod search;
/// One theme, one topic.
pub(crate) mod taxonomy;
/// The contributor's workspace: their initiatives, the form, the preview.
pub(crate) mod workspace;

use maud::{Markup, html};
use serde::Deserialize;

use crate::bilingual::{Shown, shown};
use crate::client::nullable;
use crate::context::Ctx;
use crate::dates;
use crate::vocab::{Vocab, Vocabulary};

/// A connection's `nodes`.
#[derive(Debug, Deserialize)]
pub(crate) struct Nodes<T> {
    pub(crate) nodes: Vec<T>,
}

/// A connection's `totalCount` and `nodes`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Counted<T> {
    pub(crate) total_count: i64,
    pub(crate) nodes: Vec<T>,
}

/// A theme or topic as a link: `{ code label }`.
#[derive(Debug, Deserialize)]
pub(crate) struct Term {
    pub(crate) code: String,
    pub(crate) label: String,
}

/// The selection of an initiative as a [`Titled`] link.
pub(crate) const TITLED: &str = "slug title titleEn";

/// An initiative or event as a link: `{ slug title }`, and an initiative's `titleEn`
/// (see [`TITLED`]).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Titled {
    pub(crate) slug: String,
    pub(crate) title: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) title_en: Option<String>,
}

impl Titled {
    /// The title in the page's language.
    pub(crate) fn title(&self, ctx: &Ctx) -> Shown<'_> {
        shown(ctx.en(), &self.title, self.title_en.as_deref())
    }
}

/// An organisation as a link: `{ slug name }`.
#[derive(Debug, Deserialize)]
pub(crate) struct Named {
    pub(crate) slug: String,
    pub(crate) name: String,
}

/// The selection of a [`Card`].
pub(crate) const CARD: &str = "slug title summary titleEn summaryEn kind";

/// An initiative as [`cards`] shows it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Card {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) title_en: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub(crate) summary_en: Option<String>,
    pub(crate) kind: String,
}

impl Card {
    /// The title in the page's language.
    pub(crate) fn title(&self, ctx: &Ctx) -> Shown<'_> {
        shown(ctx.en(), &self.title, self.title_en.as_deref())
    }

    /// The summary in the page's language.
    pub(crate) fn summary(&self, ctx: &Ctx) -> Shown<'_> {
        shown(ctx.en(), &self.summary, self.summary_en.as_deref())
    }
}

/// Initiatives as a list of cards: title (a link), kind and summary, each in the page's
/// language where the initiative has it.
pub(crate) fn cards(ctx: &Ctx, vocab: &Vocab, initiatives: &[Card]) -> Markup {
    html! {
        ul.cards {
            @for i in initiatives {
                @let (title, summary) = (i.title(ctx), i.summary(ctx));
                li {
                    h3 lang=[title.lang] { a href=(ctx.href(&format!("/initiatieven/{}", i.slug))) { (title.text) } }
                    p.meta { (vocab.label(Vocabulary::InitiativeKind, &i.kind)) }
                    p lang=[summary.lang] { (crate::layout::describe(summary.text)) }
                }
            }
        }
    }
}

/// The selection of an [`EventCard`].
pub(crate) const EVENT: &str = "slug title startsAt location online";

/// An event as [`event_list`] shows it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EventCard {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) starts_at: String,
    #[serde(deserialize_with = "nullable")]
    pub(crate) location: Option<String>,
    pub(crate) online: bool,
}

/// Events with their date and place.
pub(crate) fn event_list(ctx: &Ctx, events: &[EventCard]) -> Markup {
    html! {
        ul.cards {
            @for e in events {
                li {
                    h3 { a href=(ctx.href(&format!("/evenementen/{}", e.slug))) { (e.title) } }
                    p.meta {
                        time datetime=(e.starts_at) { (dates::date_time(&e.starts_at, ctx.lang)) }
                        @if e.online {
                            " · " (ctx.t("online", "online"))
                        } @else if let Some(l) = e.location.as_deref().filter(|l| !l.is_empty()) {
                            " · " (l)
                        }
                    }
                }
            }
        }
    }
}

/// The current instant, for "coming events".
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
