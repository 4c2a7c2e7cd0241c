//! Saved views: a named filter, ordering and optional search text over the initiatives,
//! with an optional pinned language and a documented selection of fields for embedding,
//! owned by the key that made it. Portals embed a view by its slug; feeds follow it.

use chrono::{DateTime, Utc};

use crate::error::DomainError;
use crate::query::{InitiativeFilter, InitiativeOrder};
use crate::slug::{SLUG_MAX, is_slug};
use crate::{ApiKeyId, Language, validate};

/// The most characters a view's description holds.
pub const VIEW_DESCRIPTION_MAX: usize = 2_000;
/// The most characters a view's search text holds (as for `search`).
pub const VIEW_SEARCH_MAX: usize = 500;

/// The row id of a saved view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ViewId(pub i64);

/// Whether a view is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewState {
    /// Listed and served.
    Active,
    /// Kept for its history, served to no one but its editors.
    Archived,
}

impl ViewState {
    /// The stored code.
    pub const fn code(self) -> &'static str {
        match self {
            ViewState::Active => "active",
            ViewState::Archived => "archived",
        }
    }

    /// The state of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [ViewState::Active, ViewState::Archived]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A field of an initiative that a view documents for embedding: what a portal shows of
/// each initiative. The list is part of the view, so the portal's query can be generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ViewField {
    Title,
    Summary,
    Kind,
    Themes,
    Topics,
    Organisations,
    Website,
    Languages,
    PublishedAt,
    Events,
}

impl ViewField {
    /// Every field, in the order the generated query selects them.
    pub const ALL: [ViewField; 10] = [
        ViewField::Title,
        ViewField::Summary,
        ViewField::Kind,
        ViewField::Themes,
        ViewField::Topics,
        ViewField::Organisations,
        ViewField::Website,
        ViewField::Languages,
        ViewField::PublishedAt,
        ViewField::Events,
    ];

    /// The stored code.
    pub const fn code(self) -> &'static str {
        match self {
            ViewField::Title => "title",
            ViewField::Summary => "summary",
            ViewField::Kind => "kind",
            ViewField::Themes => "themes",
            ViewField::Topics => "topics",
            ViewField::Organisations => "organisations",
            ViewField::Website => "website",
            ViewField::Languages => "languages",
            ViewField::PublishedAt => "published_at",
            ViewField::Events => "events",
        }
    }

    /// The field of a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The GraphQL selection of this field on an `Initiative`.
    pub const fn selection(self) -> &'static str {
        match self {
            ViewField::Title => "title",
            ViewField::Summary => "summary",
            ViewField::Kind => "kind",
            ViewField::Themes => "themes { code label }",
            ViewField::Topics => "topics { code label }",
            ViewField::Organisations => "organisations { role organisation { name } }",
            ViewField::Website => "website",
            ViewField::Languages => "languages",
            ViewField::PublishedAt => "publishedAt",
            ViewField::Events => "events(first: 3) { nodes { title startsAt location } }",
        }
    }
}

/// The GraphQL document a portal sends to embed the view `slug` with `fields`, `first`
/// initiatives at a time.
pub fn embed_query(slug: &str, fields: &[ViewField], first: u32) -> String {
    let mut selection = vec!["slug"];
    selection.extend(fields.iter().map(|f| f.selection()));
    format!(
        "{{ view(slug: \"{slug}\") {{ title initiatives(first: {first}) {{ totalCount nodes {{ {} }} }} }} }}",
        selection.join(" ")
    )
}

/// A saved view as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub id: ViewId,
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The key that made the view; `None` when made at the command line.
    pub owner: Option<ApiKeyId>,
    pub filter: InitiativeFilter,
    pub order: InitiativeOrder,
    /// Words the initiatives must match, as for `search`; hits come best first.
    pub search: Option<String>,
    /// The language its texts are served in, whatever the client accepts.
    pub lang: Option<Language>,
    pub fields: Vec<ViewField>,
    pub state: ViewState,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a create or update names; on update, `None` keeps the current value. Optional
/// values are cleared with `Some(None)`.
#[derive(Debug, Clone, Default)]
pub struct ViewInput {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub filter: Option<InitiativeFilter>,
    pub order: Option<InitiativeOrder>,
    pub search: Option<Option<String>>,
    pub lang: Option<Option<Language>>,
    pub fields: Option<Vec<ViewField>>,
}

/// The validated content of a view.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewFields {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub filter: InitiativeFilter,
    pub order: InitiativeOrder,
    pub search: Option<String>,
    pub lang: Option<Language>,
    pub fields: Vec<ViewField>,
}

fn slug(s: &str) -> Result<String, DomainError> {
    if is_slug(s) {
        Ok(s.to_owned())
    } else {
        Err(DomainError::bad_input(
            "input.slug",
            format!(
                "a slug is 1 to {SLUG_MAX} lower case letters, digits and single hyphens, got `{s}`"
            ),
        ))
    }
}

fn description(s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    let len = s.chars().count();
    if len > VIEW_DESCRIPTION_MAX {
        return Err(DomainError::bad_input(
            "input.description",
            format!("a description may be at most {VIEW_DESCRIPTION_MAX} characters, got {len}"),
        ));
    }
    Ok(s.to_owned())
}

fn search(s: Option<String>) -> Result<Option<String>, DomainError> {
    let Some(s) = s else { return Ok(None) };
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = s.chars().count();
    if len > VIEW_SEARCH_MAX {
        return Err(DomainError::bad_input(
            "input.search",
            format!("search text may be at most {VIEW_SEARCH_MAX} characters, got {len}"),
        ));
    }
    Ok((!s.is_empty()).then_some(s))
}

fn fields(mut f: Vec<ViewField>) -> Vec<ViewField> {
    f.sort();
    f.dedup();
    f
}

fn filter(f: InitiativeFilter) -> Result<InitiativeFilter, DomainError> {
    f.validate().map_err(|e| match e.field.clone() {
        Some(field) => e.with_field(format!("input.{field}")),
        None => e,
    })?;
    // A view is shared: it shows what the public may see, whoever reads it, so it asks
    // for no statuses of its own.
    Ok(InitiativeFilter {
        statuses: Vec::new(),
        ..f
    })
}

impl ViewFields {
    /// A new view's content; its slug comes from the title when none is given (made free
    /// by the store).
    pub fn create(input: ViewInput) -> Result<Self, DomainError> {
        let title = validate::title(
            "input.title",
            input
                .title
                .as_deref()
                .ok_or_else(|| DomainError::bad_input("input.title", "a view needs a title"))?,
        )?;
        Ok(Self {
            slug: match input.slug.as_deref() {
                Some(s) => slug(s)?,
                None => String::new(),
            },
            title,
            description: description(input.description.as_deref().unwrap_or(""))?,
            filter: filter(input.filter.unwrap_or_default())?,
            order: input.order.unwrap_or_default(),
            search: search(input.search.flatten())?,
            lang: input.lang.flatten(),
            fields: fields(input.fields.unwrap_or_default()),
        })
    }

    /// This content with `input`'s changes.
    pub fn apply(&mut self, input: ViewInput) -> Result<(), DomainError> {
        if let Some(s) = input.slug {
            self.slug = slug(&s)?;
        }
        if let Some(t) = input.title {
            self.title = validate::title("input.title", &t)?;
        }
        if let Some(d) = input.description {
            self.description = description(&d)?;
        }
        if let Some(f) = input.filter {
            self.filter = filter(f)?;
        }
        if let Some(o) = input.order {
            self.order = o;
        }
        if let Some(s) = input.search {
            self.search = search(s)?;
        }
        if let Some(l) = input.lang {
            self.lang = l;
        }
        if let Some(f) = input.fields {
            self.fields = fields(f);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_without_a_title_is_refused_on_its_title() {
        let e = ViewFields::create(ViewInput::default()).expect_err("no title");
        assert_eq!(e.field.as_deref(), Some("input.title"));
    }

    #[test]
    fn a_malformed_slug_is_refused_and_search_text_is_collapsed() {
        let e = ViewFields::create(ViewInput {
            title: Some("LHBTI".into()),
            slug: Some("Niet Goed".into()),
            ..Default::default()
        })
        .expect_err("bad slug");
        assert_eq!(e.field.as_deref(), Some("input.slug"));
        let v = ViewFields::create(ViewInput {
            title: Some("  LHBTI  ".into()),
            search: Some(Some("  queer   studenten ".into())),
            fields: Some(vec![ViewField::Topics, ViewField::Title, ViewField::Topics]),
            ..Default::default()
        })
        .expect("valid");
        assert_eq!(v.title, "LHBTI");
        assert_eq!(v.search.as_deref(), Some("queer studenten"));
        assert_eq!(v.fields, vec![ViewField::Title, ViewField::Topics]);
    }

    #[test]
    fn a_view_asks_for_no_statuses_and_checks_its_years() {
        let v = ViewFields::create(ViewInput {
            title: Some("x".into()),
            filter: Some(InitiativeFilter {
                statuses: vec![crate::Status::Draft],
                ..Default::default()
            }),
            ..Default::default()
        })
        .expect("valid");
        assert!(v.filter.statuses.is_empty());
        let e = ViewFields::create(ViewInput {
            title: Some("x".into()),
            filter: Some(InitiativeFilter {
                year_from: Some(1200),
                ..Default::default()
            }),
            ..Default::default()
        })
        .expect_err("year");
        assert_eq!(e.field.as_deref(), Some("input.filter.yearFrom"));
    }

    #[test]
    fn the_embed_query_selects_the_documented_fields() {
        assert_eq!(
            embed_query("lhbti-en", &[ViewField::Title, ViewField::Topics], 5),
            "{ view(slug: \"lhbti-en\") { title initiatives(first: 5) { totalCount nodes { slug title topics { code label } } } } }"
        );
    }
}
