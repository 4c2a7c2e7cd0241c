//! Atom for initiatives and iCalendar for coming events, overall and per saved view.
//! Feeds are read as the anonymous public through the store's access module and the read
//! model, so drafts never appear. Each [`Feed`] comes with the change-log position it was
//! read at and a name, of which the server makes its entity tag.

/// The Atom serialiser.
pub mod atom;
/// The iCalendar serialiser.
pub mod ical;

use kb_domain::view::View;
use kb_domain::{
    Event, Initiative, InitiativeFilter, InitiativeId, InitiativeOrder, OrganisationRole, Page,
    PageRequest, Viewer,
};
use kb_readmodel::ReadModel;
use kb_store::{EventFilter, Store, StoreError};

/// The domain of every tag URI and UID in the feeds: fixed, so they never change.
pub const FEED_DOMAIN: &str = "kennisbank.nl";
/// How many initiatives an Atom feed holds (the newest, or a view's first).
pub const FEED_ENTRIES: u64 = 50;
/// How many coming events an iCalendar feed holds (the soonest).
pub const FEED_EVENTS: u64 = 200;

/// Where the feed of new initiatives is served; its self link names it.
pub const INITIATIVES_ATOM: &str = "/feeds/initiatives.atom";
/// Where the calendar of coming events is served.
pub const EVENTS_ICS: &str = "/feeds/events.ics";
/// Where the feeds of saved views are served: `{VIEWS}/{slug}.atom` and `.ics`.
pub const VIEWS: &str = "/feeds/views";

/// Feeds read what the public reads.
const READER: Viewer = Viewer::Anonymous;

/// What a feed is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    /// Atom (RFC 4287), of initiatives.
    Atom,
    /// iCalendar (RFC 5545), of events.
    Ical,
}

impl FeedFormat {
    /// The media type of the format.
    pub fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Ical => "text/calendar; charset=utf-8",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom",
            FeedFormat::Ical => "ics",
        }
    }
}

/// One feed as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub format: FeedFormat,
    /// What the feed is (`feed-initiatives-atom`, `feed-view-{slug}-ics`): with the
    /// position and a digest of the text, its entity tag.
    pub name: String,
    /// The read model's change-log position when the feed was read.
    pub position: i64,
    /// The document.
    pub text: String,
}

/// The slug and format of a saved view's feed file (`{slug}.atom`, `{slug}.ics`).
pub fn view_file(file: &str) -> Option<(&str, FeedFormat)> {
    match (file.strip_suffix(".atom"), file.strip_suffix(".ics")) {
        (Some(s), _) => Some((s, FeedFormat::Atom)),
        (None, Some(s)) => Some((s, FeedFormat::Ical)),
        _ => None,
    }
}

fn first(limit: u64) -> PageRequest {
    PageRequest {
        offset: 0,
        limit,
        count: false,
    }
}

/// The feeds of a store, read through it and its read model.
pub struct Feeds {
    store: Store,
    model: ReadModel,
}

impl Feeds {
    /// The feeds over the same store and read model as the API.
    pub fn new(store: Store, model: ReadModel) -> Self {
        Self { store, model }
    }

    /// The newest published initiatives, as Atom; `base_url` (`https://host`) is the
    /// address the feed was reached at, for its self link.
    pub async fn initiatives(&self, base_url: &str) -> Result<Feed, StoreError> {
        let position = self.model.position().await;
        let ids = self
            .model
            .list(
                READER,
                &InitiativeFilter::default(),
                InitiativeOrder::Newest,
                first(FEED_ENTRIES),
            )
            .await?
            .items;
        let rows = self.entries(&ids).await?;
        let url = format!("{base_url}{INITIATIVES_ATOM}");
        let head = atom::FeedHead {
            id: "feed:initiatives",
            title: "Kennisbank: nieuwe initiatieven",
            subtitle: "De nieuwste gepubliceerde initiatieven voor studentenwelzijn",
            self_url: &url,
            lang: "nl",
        };
        Ok(Feed {
            format: FeedFormat::Atom,
            name: "feed-initiatives-atom".to_owned(),
            position,
            text: atom_text(&head, &rows),
        })
    }

    /// The soonest coming published events, as iCalendar.
    pub async fn events(&self) -> Result<Feed, StoreError> {
        let position = self.model.position().await;
        let filter = EventFilter {
            from: Some(chrono::Utc::now()),
            ..Default::default()
        };
        let events = self.coming_events(filter).await?;
        Ok(Feed {
            format: FeedFormat::Ical,
            name: "feed-events-ics".to_owned(),
            position,
            text: ical::calendar("Kennisbank: bijeenkomsten", &events),
        })
    }

    /// The feed of the saved view `slug` in `format`: its first initiatives as Atom, or
    /// its coming events as iCalendar. `None` for an unknown or archived view.
    pub async fn view(
        &self,
        slug: &str,
        format: FeedFormat,
        base_url: &str,
    ) -> Result<Option<Feed>, StoreError> {
        let position = self.model.position().await;
        let Some(view) = self.store.view_by_slug(READER, None, slug).await? else {
            return Ok(None);
        };
        let name = format!("feed-view-{}-{}", view.slug, format.extension());
        let text = match format {
            FeedFormat::Ical => {
                let filter = self.model.view_events(READER, &view).await?;
                ical::calendar(&view.title, &self.coming_events(filter).await?)
            }
            FeedFormat::Atom => self.view_atom(&view, base_url).await?,
        };
        Ok(Some(Feed {
            format,
            name,
            position,
            text,
        }))
    }

    async fn view_atom(&self, view: &View, base_url: &str) -> Result<String, StoreError> {
        let ids = self
            .model
            .view_page(READER, view, first(FEED_ENTRIES))
            .await?
            .ids
            .items;
        let rows = self.entries(&ids).await?;
        let url = format!("{base_url}{VIEWS}/{}.atom", view.slug);
        let head = atom::FeedHead {
            id: &format!("view:{}", view.slug),
            title: &view.title,
            subtitle: &view.description,
            self_url: &url,
            lang: match view.lang {
                Some(kb_domain::Language::En) => "en",
                _ => "nl",
            },
        };
        Ok(atom_text(&head, &rows))
    }

    /// The rows of `ids` in their order, with each one's lead organisation's name.
    async fn entries(
        &self,
        ids: &[InitiativeId],
    ) -> Result<Vec<(Initiative, Option<String>)>, StoreError> {
        let mut rows = self.store.initiatives_by_ids(READER, ids).await?;
        let orgs = self.store.organisations_of_initiatives(READER, ids).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(at) = rows.iter().position(|i| i.id == *id) else {
                continue;
            };
            let lead = orgs
                .iter()
                .find(|(i, role, _)| i == id && *role == OrganisationRole::Lead)
                .map(|(_, _, o)| o.name.clone());
            out.push((rows.swap_remove(at), lead));
        }
        Ok(out)
    }

    async fn coming_events(&self, filter: EventFilter) -> Result<Vec<Event>, StoreError> {
        let page: Page<Event> = self
            .store
            .list_events(READER, &filter, first(FEED_EVENTS))
            .await?;
        Ok(page.items)
    }
}

fn atom_text(head: &atom::FeedHead<'_>, rows: &[(Initiative, Option<String>)]) -> String {
    let entries: Vec<atom::Entry<'_>> = rows
        .iter()
        .map(|(i, lead)| atom::Entry {
            initiative: i,
            author: lead.as_deref(),
        })
        .collect();
    atom::feed(head, &entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_feed_file_names_its_slug_and_format() {
        assert_eq!(
            view_file("lhbti-en.atom"),
            Some(("lhbti-en", FeedFormat::Atom))
        );
        assert_eq!(view_file("cafe.ics"), Some(("cafe", FeedFormat::Ical)));
        assert_eq!(view_file("cafe.txt"), None);
        assert_eq!(view_file("cafe"), None);
    }

    #[test]
    fn each_format_has_its_media_type() {
        assert_eq!(
            FeedFormat::Atom.media_type(),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            FeedFormat::Ical.media_type(),
            "text/calendar; charset=utf-8"
        );
    }
}
