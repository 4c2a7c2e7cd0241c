//! The pages, one module per kind, and what several of them show alike.

/// The analyst page: co-occurrence heat map and neighbourhoods.
pub(crate) mod analysis;
/// The events list and one event.
pub(crate) mod events;
/// The home page.
pub(crate) mod home;
/// One initiative with everything around it.
pub(crate) mod initiative;
/// One organisation.
pub(crate) mod organisation;
/// Search and browse with facets.
pub(crate) mod search;
/// One theme, one topic.
pub(crate) mod taxonomy;

use maud::{Markup, html};
use serde_json::Value;

use crate::client::Read;
use crate::context::Ctx;
use crate::dates;
use crate::vocab::{Vocab, Vocabulary};

/// The selection [`cards`] reads from each initiative.
pub(crate) const CARD: &str = "slug title summary kind";

/// Initiatives as a list of cards: title (a link), kind and summary.
pub(crate) fn cards(ctx: &Ctx, vocab: &Vocab, initiatives: &[Value]) -> Markup {
    html! {
        ul.cards {
            @for i in initiatives {
                li {
                    h3 { a href=(ctx.href(&format!("/initiatieven/{}", i.str_at("slug")))) { (i.str_at("title")) } }
                    p.meta { (vocab.label(Vocabulary::InitiativeKind, i.str_at("kind"))) }
                    p { (crate::layout::describe(i.str_at("summary"))) }
                }
            }
        }
    }
}

/// The selection [`event_list`] reads from each event.
pub(crate) const EVENT: &str = "slug title startsAt location online";

/// Events with their date and place.
pub(crate) fn event_list(ctx: &Ctx, events: &[Value]) -> Markup {
    html! {
        ul.cards {
            @for e in events {
                li {
                    h3 { a href=(ctx.href(&format!("/evenementen/{}", e.str_at("slug")))) { (e.str_at("title")) } }
                    p.meta {
                        time datetime=(e.str_at("startsAt")) { (dates::date_time(e.str_at("startsAt"), ctx.lang)) }
                        @if e.get("online").and_then(Value::as_bool) == Some(true) {
                            " · " (ctx.t("online", "online"))
                        } @else if !e.str_at("location").is_empty() {
                            " · " (e.str_at("location"))
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
