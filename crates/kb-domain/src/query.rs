use crate::error::DomainError;
use crate::vocab::*;

/// The largest page any list returns.
pub const MAX_PAGE_SIZE: u64 = 100;
/// The page size when a client names none.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// Which initiatives a list holds: AND across fields, OR within a list. Empty lists and
/// `None` do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct InitiativeFilter {
    /// Theme codes.
    pub themes: Vec<String>,
    /// Topic codes; each includes its narrower topics.
    pub topics: Vec<String>,
    /// Topic codes that must all be held (each including its narrower topics): AND
    /// within the list, for the initiatives two topics share.
    pub every_topic: Vec<String>,
    pub kinds: Vec<InitiativeKind>,
    /// Organisation row ids.
    pub organisations: Vec<crate::OrganisationId>,
    /// Organisation row ids that must all be behind an initiative: AND within the list.
    pub every_organisation: Vec<crate::OrganisationId>,
    pub organisation_kinds: Vec<OrganisationKind>,
    pub target_groups: Vec<TargetGroup>,
    pub education_levels: Vec<EducationLevel>,
    pub regions: Vec<Region>,
    pub evidence_levels: Vec<EvidenceLevel>,
    /// ISO 639-1 language codes.
    pub languages: Vec<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    /// Requested statuses; the store keeps only those the viewer may see.
    pub statuses: Vec<Status>,
}

impl InitiativeFilter {
    /// Checks the parts a type cannot: the year range and language codes.
    pub fn validate(&self) -> Result<(), DomainError> {
        for (field, year) in [
            ("filter.yearFrom", self.year_from),
            ("filter.yearTo", self.year_to),
        ] {
            if let Some(y) = year
                && !(1900..=2200).contains(&y)
            {
                return Err(DomainError::bad_input(
                    field,
                    format!("{y} is not a year between 1900 and 2200"),
                ));
            }
        }
        if let (Some(from), Some(to)) = (self.year_from, self.year_to)
            && from > to
        {
            return Err(DomainError::bad_input(
                "filter.yearTo",
                "yearTo is before yearFrom",
            ));
        }
        for l in &self.languages {
            if l.len() != 2 || !l.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(DomainError::bad_input(
                    "filter.languages",
                    format!("`{l}` is not an ISO 639-1 language code"),
                ));
            }
        }
        Ok(())
    }
}

/// The order of an initiative list. Ties are broken by id, so pages are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InitiativeOrder {
    /// Most recently published first.
    #[default]
    Newest,
    /// Alphabetical by title.
    Title,
    /// Most recently changed first.
    RecentlyUpdated,
    /// Longest unchanged first: a queue of submissions, the one waiting longest first.
    LeastRecentlyUpdated,
}

/// A window of a list: skip `offset` rows, take `limit`; `count` asks for the total of
/// the whole list too (it costs a scan, so only when a client selects it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageRequest {
    pub offset: u64,
    pub limit: u64,
    pub count: bool,
}

/// A window of a list with the total it was cut from.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub offset: u64,
    pub total: Option<u64>,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// An empty window at the requested position of an empty list.
    pub fn empty(request: PageRequest) -> Self {
        Page {
            items: Vec::new(),
            offset: request.offset,
            total: Some(0),
            has_next: false,
        }
    }
}

impl PageRequest {
    /// The same window, asking for the total or not.
    pub fn with_count(self, count: bool) -> Self {
        Self { count, ..self }
    }

    /// Turns Relay arguments (`first`/`after`, `last`/`before`, with cursors already
    /// decoded to offsets) into a window, within `MAX_PAGE_SIZE`.
    pub fn from_relay(
        first: Option<i32>,
        after: Option<u64>,
        last: Option<i32>,
        before: Option<u64>,
    ) -> Result<Self, DomainError> {
        let check = |field: &str, n: i32| -> Result<u64, DomainError> {
            if n < 0 {
                return Err(DomainError::bad_input(
                    field,
                    format!("`{field}` must not be negative"),
                ));
            }
            let n = n as u64;
            if n > MAX_PAGE_SIZE {
                return Err(DomainError::limit(format!(
                    "`{field}` may be at most {MAX_PAGE_SIZE}, got {n}"
                )));
            }
            Ok(n)
        };
        let start = after.map_or(0, |a| a + 1);
        let end = before; // exclusive
        match (first, last) {
            (Some(_), Some(_)) => Err(DomainError::bad_input(
                "last",
                "give `first` or `last`, not both",
            )),
            (_, Some(l)) => {
                let l = check("last", l)?;
                let end =
                    end.ok_or_else(|| DomainError::bad_input("last", "`last` needs `before`"))?;
                let offset = end.saturating_sub(l).max(start);
                Ok(Self {
                    offset,
                    limit: end.saturating_sub(offset),
                    count: false,
                })
            }
            (f, None) => {
                let f = match f {
                    Some(f) => check("first", f)?,
                    None => DEFAULT_PAGE_SIZE,
                };
                let limit = match end {
                    Some(e) => f.min(e.saturating_sub(start)),
                    None => f,
                };
                Ok(Self {
                    offset: start,
                    limit,
                    count: false,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_and_after_give_the_next_window() {
        assert_eq!(
            PageRequest::from_relay(Some(5), Some(9), None, None),
            Ok(PageRequest {
                offset: 10,
                limit: 5,
                count: false
            })
        );
        assert_eq!(
            PageRequest::from_relay(None, None, None, None),
            Ok(PageRequest {
                offset: 0,
                limit: 20,
                count: false
            })
        );
    }

    #[test]
    fn last_and_before_count_backwards() {
        assert_eq!(
            PageRequest::from_relay(None, None, Some(3), Some(10)),
            Ok(PageRequest {
                offset: 7,
                limit: 3,
                count: false
            })
        );
        assert_eq!(
            PageRequest::from_relay(None, None, Some(30), Some(10)),
            Ok(PageRequest {
                offset: 0,
                limit: 10,
                count: false
            })
        );
    }

    #[test]
    fn page_size_is_bounded() {
        let e = PageRequest::from_relay(Some(101), None, None, None).expect_err("too large");
        assert_eq!(e.code, crate::ErrorCode::LimitExceeded);
        let e = PageRequest::from_relay(Some(-1), None, None, None).expect_err("negative");
        assert_eq!(e.field.as_deref(), Some("first"));
    }

    #[test]
    fn a_reversed_year_range_is_refused() {
        let f = InitiativeFilter {
            year_from: Some(2024),
            year_to: Some(2020),
            ..Default::default()
        };
        assert_eq!(
            f.validate().expect_err("reversed").field.as_deref(),
            Some("filter.yearTo")
        );
    }
}
