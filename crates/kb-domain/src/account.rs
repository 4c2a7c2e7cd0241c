//! People who sign in: their role, the status of their membership, the rule that decides
//! which organisation a first sign-in joins, and the check that keeps `?next=` on this
//! site. Machines keep using API keys; an account's viewer is built the same way as a
//! key's, so the store's one access module decides for both.

use crate::error::DomainError;
use crate::id::OrganisationId;
use crate::viewer::Viewer;

/// What a signed-in person may do. Partners are machines: there is no partner account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountRole {
    /// Staff of one organisation: drafts and submits its work.
    Contributor,
    /// The network's editors: moderate everything.
    Editor,
    /// Editors who also appoint editors and admins.
    Admin,
}

impl AccountRole {
    pub const ALL: [AccountRole; 3] = [
        AccountRole::Contributor,
        AccountRole::Editor,
        AccountRole::Admin,
    ];

    /// The code stored and shown: `contributor`, `editor`, `admin`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AccountRole::Contributor => "contributor",
            AccountRole::Editor => "editor",
            AccountRole::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Where a person stands with their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountStatus {
    /// Signed in and acting in their role.
    Active,
    /// Waiting for an editor to grant (or refuse) membership of an organisation; reads
    /// like the public meanwhile.
    Pending,
    /// An editor refused the request; reads like the public.
    Refused,
    /// The person had their account erased: it keeps its number and a pseudonym so the
    /// history reads on, and never signs in again.
    Erased,
}

impl AccountStatus {
    pub const ALL: [AccountStatus; 4] = [
        AccountStatus::Active,
        AccountStatus::Pending,
        AccountStatus::Refused,
        AccountStatus::Erased,
    ];

    /// The code stored and shown: `active`, `pending`, `refused`, `erased`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Pending => "pending",
            AccountStatus::Refused => "refused",
            AccountStatus::Erased => "erased",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The viewer a signed-in person reads and writes as. Editors and admins act in their
/// role; a contributor only while active and with an organisation; anyone else reads
/// like the public (they are signed in, but see and change nothing more).
pub fn account_viewer(
    role: AccountRole,
    status: AccountStatus,
    organisation: Option<OrganisationId>,
) -> Viewer {
    match (role, status, organisation) {
        (AccountRole::Admin, AccountStatus::Active, _) => Viewer::Admin,
        (AccountRole::Editor, AccountStatus::Active, _) => Viewer::Editor,
        (AccountRole::Contributor, AccountStatus::Active, Some(organisation_id)) => {
            Viewer::Contributor { organisation_id }
        }
        _ => Viewer::Anonymous,
    }
}

/// An internet domain as organisations own them: lower case, without a trailing dot,
/// labels of letters, digits and hyphens, at least two labels.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain(String);

impl Domain {
    /// Parses a domain; anything else is bad input on `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        let d = s.trim().trim_end_matches('.').to_ascii_lowercase();
        let labels: Vec<&str> = d.split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if d.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) {
            return Err(DomainError::bad_input(
                field,
                format!("`{}` is not an internet domain", s.trim()),
            ));
        }
        Ok(Self(d))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This domain and each domain it is part of, longest first, down to two labels:
    /// `psy.uni.nl`, `uni.nl`. A person at a faculty's subdomain belongs to the
    /// organisation that owns the university's domain.
    pub fn and_parents(&self) -> Vec<String> {
        let labels: Vec<&str> = self.0.split('.').collect();
        (0..labels.len().saturating_sub(1))
            .map(|i| labels[i..].join("."))
            .collect()
    }
}

/// An e-mail address as people sign in with it: trimmed, lower case, one `@`, a local
/// part without spaces or control characters and a domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress {
    address: String,
    domain: Domain,
}

impl EmailAddress {
    /// Parses an address; anything else is bad input on `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        let a = s.trim().to_lowercase();
        let bad = || DomainError::bad_input(field, "enter an e-mail address like name@example.nl");
        let (local, domain) = a.rsplit_once('@').ok_or_else(bad)?;
        if a.len() > 254
            || local.is_empty()
            || local.len() > 64
            || local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '@' | '<' | '>'))
        {
            return Err(bad());
        }
        let domain = Domain::parse(field, domain).map_err(|_| bad())?;
        Ok(Self { address: a, domain })
    }

    pub fn as_str(&self) -> &str {
        &self.address
    }

    pub fn domain(&self) -> &Domain {
        &self.domain
    }
}

/// The domain a first sign-in is matched on: SURFconext's `schac_home_organization`
/// (the institution's own domain, vouched for by the federation) when given, otherwise
/// the domain of the e-mail address.
pub fn sign_in_domain(
    schac_home_organization: Option<&str>,
    email: Option<&str>,
) -> Option<Domain> {
    schac_home_organization
        .and_then(|s| Domain::parse("schac_home_organization", s).ok())
        .or_else(|| {
            email
                .and_then(|e| EmailAddress::parse("email", e).ok())
                .map(|e| e.domain)
        })
}

/// The organisation that owns a domain, as the store found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainOwner {
    pub organisation: OrganisationId,
    /// Whether the organisation lets people of its domains join without an editor.
    pub accepts_members: bool,
}

/// What a first sign-in becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joining {
    /// An active contributor of the organisation.
    Member(OrganisationId),
    /// A pending request to join the organisation, for an editor to grant or refuse.
    Request(OrganisationId),
    /// No organisation owns the domain: an account without one, which reads like the
    /// public until an editor places it.
    Unaffiliated,
}

/// The membership rule: a person whose domain an organisation owns joins it at once when
/// the organisation accepts members, and otherwise asks to.
pub fn joining(owner: Option<DomainOwner>) -> Joining {
    match owner {
        Some(DomainOwner {
            organisation,
            accepts_members: true,
        }) => Joining::Member(organisation),
        Some(DomainOwner { organisation, .. }) => Joining::Request(organisation),
        None => Joining::Unaffiliated,
    }
}

impl Joining {
    /// The status and the organisations (member of, requested) an account starts with.
    pub fn start(
        self,
    ) -> (
        AccountStatus,
        Option<OrganisationId>,
        Option<OrganisationId>,
    ) {
        match self {
            Joining::Member(o) => (AccountStatus::Active, Some(o), None),
            Joining::Request(o) => (AccountStatus::Pending, None, Some(o)),
            Joining::Unaffiliated => (AccountStatus::Active, None, None),
        }
    }
}

/// A place on this site to go to after signing in (`?next=`): a path that starts with
/// one `/`, never `//` or `/\` (which browsers read as another host), without a scheme,
/// backslashes or control characters. Anything else leads home instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextPath(String);

impl NextPath {
    pub fn parse(s: &str) -> Option<Self> {
        let ok = s.starts_with('/')
            && !s.starts_with("//")
            && s.len() <= 2000
            && !s.contains('\\')
            && !s.chars().any(char::is_control)
            // `%2F%2F…` or `%5C` decoded by a later redirect would make the same holes.
            && !s.to_ascii_lowercase().contains("%5c")
            && !s.to_ascii_lowercase().starts_with("/%2f");
        // A leading single `/` already rules out a scheme (`https:`, `javascript:`).
        ok.then(|| Self(s.to_owned()))
    }

    /// The path, or `/` when `s` is not one of this site's.
    pub fn or_home(s: Option<&str>) -> Self {
        s.and_then(Self::parse)
            .unwrap_or_else(|| Self("/".to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_active_contributor_reads_as_their_organisation() {
        let org = OrganisationId(7);
        assert_eq!(
            account_viewer(AccountRole::Contributor, AccountStatus::Active, Some(org)),
            Viewer::Contributor {
                organisation_id: org
            }
        );
        assert_eq!(
            account_viewer(AccountRole::Editor, AccountStatus::Active, None),
            Viewer::Editor
        );
        assert_eq!(
            account_viewer(AccountRole::Admin, AccountStatus::Active, Some(org)),
            Viewer::Admin
        );
    }

    #[test]
    fn pending_refused_and_unplaced_accounts_read_as_the_public() {
        let org = Some(OrganisationId(7));
        for (role, status, o) in [
            (AccountRole::Contributor, AccountStatus::Pending, None),
            (AccountRole::Contributor, AccountStatus::Refused, org),
            (AccountRole::Contributor, AccountStatus::Active, None),
            (AccountRole::Editor, AccountStatus::Pending, None),
        ] {
            assert_eq!(account_viewer(role, status, o), Viewer::Anonymous);
        }
    }

    #[test]
    fn roles_and_statuses_round_trip_through_their_codes() {
        for r in AccountRole::ALL {
            assert_eq!(AccountRole::parse(r.as_str()), Some(r));
        }
        for s in AccountStatus::ALL {
            assert_eq!(AccountStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(AccountRole::parse("partner"), None);
    }

    #[test]
    fn a_domain_is_folded_and_checked() {
        assert_eq!(
            Domain::parse("d", " Hanze.NL. ").map(|d| d.0),
            Ok("hanze.nl".to_owned())
        );
        for bad in [
            "",
            "nl",
            "-a.nl",
            "a..nl",
            "a b.nl",
            "ex_ample.nl",
            "a.nl/x",
        ] {
            let err = Domain::parse("domains", bad).expect_err(bad);
            assert_eq!(err.field.as_deref(), Some("domains"));
        }
    }

    #[test]
    fn a_domain_lists_itself_and_its_parents_longest_first() {
        let d = Domain::parse("d", "psy.fac.uni.nl").expect("domain");
        assert_eq!(d.and_parents(), ["psy.fac.uni.nl", "fac.uni.nl", "uni.nl"]);
    }

    #[test]
    fn an_email_address_is_lower_cased_and_has_a_domain() {
        let e = EmailAddress::parse("email", " Ada@Example.NL ").expect("address");
        assert_eq!(e.as_str(), "ada@example.nl");
        assert_eq!(e.domain().as_str(), "example.nl");
        for bad in [
            "",
            "ada",
            "@example.nl",
            "ada@",
            "a da@example.nl",
            "ada@nl",
            "a\n@b.nl",
        ] {
            let err = EmailAddress::parse("email", bad).expect_err(bad);
            assert_eq!(err.field.as_deref(), Some("email"));
        }
    }

    #[test]
    fn the_federation_domain_wins_over_the_email_domain() {
        assert_eq!(
            sign_in_domain(Some("hanze.nl"), Some("a@gmail.com")).map(|d| d.0),
            Some("hanze.nl".to_owned())
        );
        assert_eq!(
            sign_in_domain(None, Some("a@Hanze.nl")).map(|d| d.0),
            Some("hanze.nl".to_owned())
        );
        assert_eq!(
            sign_in_domain(Some("not a domain"), Some("a@rug.nl")).map(|d| d.0),
            Some("rug.nl".to_owned())
        );
        assert_eq!(sign_in_domain(None, None), None);
    }

    #[test]
    fn a_first_sign_in_joins_an_open_organisation_and_asks_a_closed_one() {
        let org = OrganisationId(3);
        let open = DomainOwner {
            organisation: org,
            accepts_members: true,
        };
        let closed = DomainOwner {
            accepts_members: false,
            ..open
        };
        assert_eq!(joining(Some(open)), Joining::Member(org));
        assert_eq!(joining(Some(closed)), Joining::Request(org));
        assert_eq!(joining(None), Joining::Unaffiliated);
        assert_eq!(
            Joining::Member(org).start(),
            (AccountStatus::Active, Some(org), None)
        );
        assert_eq!(
            Joining::Request(org).start(),
            (AccountStatus::Pending, None, Some(org))
        );
    }

    #[test]
    fn next_is_a_path_on_this_site() {
        for good in [
            "/",
            "/initiatieven?q=stress",
            "/en/search#top",
            "/a/b:c?x=y:z",
        ] {
            assert_eq!(NextPath::parse(good).map(|n| n.0), Some(good.to_owned()));
        }
        for bad in [
            "",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "/%2F%2Fevil.example",
            "/a%5cb",
            "/a\nb",
            "/a\tb",
            "evil.example",
        ] {
            assert_eq!(NextPath::parse(bad), None, "{bad:?}");
        }
        assert_eq!(NextPath::or_home(Some("//evil.example")).as_str(), "/");
        assert_eq!(NextPath::or_home(None).as_str(), "/");
    }
}
