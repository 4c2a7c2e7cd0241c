//! People's accounts: found or created at sign-in (applying the domain's membership
//! rule), read back for their sessions, and managed by editors (granting or refusing a
//! request, the domains an organisation owns) and admins (appointing editors and admins).
//! Who may manage what is decided in [`crate::access`].

use chrono::{DateTime, Utc};
use kb_domain::account::{
    AccountRole, AccountStatus, Domain, DomainOwner, account_viewer, joining, sign_in_domain,
};
use kb_domain::{AccountId, DomainError, Language, OrganisationId, Viewer};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};

use crate::entity::{account, organisation, organisation_domain};
use crate::{Result, Store, StoreError, access};

/// The issuer of accounts that sign in by e-mail link; their subject is the address.
pub const EMAIL_ISSUER: &str = "email";

/// A person as the store knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub name: String,
    pub language: Language,
    pub role: AccountRole,
    pub organisation_id: Option<OrganisationId>,
    pub status: AccountStatus,
    /// The organisation a pending account asks to join.
    pub requested_organisation_id: Option<OrganisationId>,
    pub affiliation: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

impl Account {
    /// The viewer this person reads and writes as.
    pub fn viewer(&self) -> Viewer {
        account_viewer(self.role, self.status, self.organisation_id)
    }
}

/// Who signed in, as the provider (or the e-mail link) vouches for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub name: String,
    pub language: Language,
    /// SURFconext's `schac_home_organization`: the institution's domain.
    pub home_organisation: Option<String>,
    /// SURFconext's `eduperson_affiliation`, joined with commas.
    pub affiliation: Option<String>,
}

pub(crate) fn to_account(m: account::Model) -> Result<Account> {
    let bad = |what: &str, v: &str| {
        StoreError::Internal(format!("unknown {what} `{v}` on account {}", m.id))
    };
    Ok(Account {
        id: AccountId(m.id),
        role: AccountRole::parse(&m.role).ok_or_else(|| bad("role", &m.role))?,
        status: AccountStatus::parse(&m.status).ok_or_else(|| bad("status", &m.status))?,
        language: Language::from_code(&m.language).unwrap_or_default(),
        issuer: m.issuer,
        subject: m.subject,
        email: m.email,
        name: m.name,
        organisation_id: m.organisation_id.map(OrganisationId),
        requested_organisation_id: m.requested_organisation_id.map(OrganisationId),
        affiliation: m.affiliation,
        created_at: m.created_at,
        last_sign_in_at: m.last_sign_in_at,
    })
}

fn not_found() -> StoreError {
    DomainError::not_found("account").into()
}

impl Store {
    /// The account of `identity`, created at its first sign-in: a person whose domain an
    /// organisation owns becomes its contributor when it accepts members, and a pending
    /// request to join it otherwise. Later sign-ins refresh the name, address and
    /// affiliation the provider gives and note the time.
    pub async fn sign_in_account(&self, identity: &Identity) -> Result<Account> {
        let now = Utc::now();
        let found = account::Entity::find()
            .filter(account::Column::Issuer.eq(&identity.issuer))
            .filter(account::Column::Subject.eq(&identity.subject))
            .one(&self.db)
            .await?;
        if let Some(row) = found {
            let mut update: account::ActiveModel = row.into();
            update.last_sign_in_at = Set(Some(now));
            if !identity.name.is_empty() {
                update.name = Set(identity.name.clone());
            }
            if identity.email.is_some() {
                update.email = Set(identity.email.clone());
            }
            if identity.affiliation.is_some() {
                update.affiliation = Set(identity.affiliation.clone());
            }
            return to_account(update.update(&self.db).await?);
        }
        let domain = sign_in_domain(
            identity.home_organisation.as_deref(),
            identity.email.as_deref(),
        );
        let owner = match &domain {
            Some(d) => self.domain_owner(d).await?,
            None => None,
        };
        let (status, organisation, requested) = joining(owner).start();
        let inserted = account::ActiveModel {
            id: NotSet,
            issuer: Set(identity.issuer.clone()),
            subject: Set(identity.subject.clone()),
            email: Set(identity.email.clone()),
            name: Set(identity.name.clone()),
            language: Set(identity.language.code().to_owned()),
            role: Set(AccountRole::Contributor.as_str().to_owned()),
            organisation_id: Set(organisation.map(|o| o.0)),
            status: Set(status.as_str().to_owned()),
            requested_organisation_id: Set(requested.map(|o| o.0)),
            affiliation: Set(identity.affiliation.clone()),
            created_at: Set(now),
            last_sign_in_at: Set(Some(now)),
        }
        .insert(&self.db)
        .await;
        match inserted {
            Ok(row) => to_account(row),
            // The same person signing in twice at once: the other sign-in created it.
            Err(e)
                if matches!(
                    e.sql_err(),
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                ) =>
            {
                let row = account::Entity::find()
                    .filter(account::Column::Issuer.eq(&identity.issuer))
                    .filter(account::Column::Subject.eq(&identity.subject))
                    .one(&self.db)
                    .await?
                    .ok_or_else(not_found)?;
                to_account(row)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The organisation owning `domain` or the nearest domain it is part of.
    async fn domain_owner(&self, domain: &Domain) -> Result<Option<DomainOwner>> {
        let candidates = domain.and_parents();
        let rows = organisation_domain::Entity::find()
            .filter(organisation_domain::Column::Domain.is_in(candidates.clone()))
            .all(&self.db)
            .await?;
        let Some(row) = candidates
            .iter()
            .find_map(|c| rows.iter().find(|r| &r.domain == c))
        else {
            return Ok(None);
        };
        let org = organisation::Entity::find_by_id(row.organisation_id)
            .one(&self.db)
            .await?;
        Ok(org.map(|o| DomainOwner {
            organisation: OrganisationId(o.id),
            accepts_members: o.accepts_members,
        }))
    }

    /// One account, by its id (for its own sessions and pages).
    pub async fn account(&self, id: AccountId) -> Result<Option<Account>> {
        account::Entity::find_by_id(id.0)
            .one(&self.db)
            .await?
            .map(to_account)
            .transpose()
    }

    /// The account whose address is `email`, in any case (for the operator naming a
    /// person by address).
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        account::Entity::find()
            .filter(
                Expr::expr(Func::lower(Expr::col(account::Column::Email)))
                    .eq(email.trim().to_lowercase()),
            )
            .order_by_asc(account::Column::Id)
            .one(&self.db)
            .await?
            .map(to_account)
            .transpose()
    }

    /// Accounts, oldest first, optionally of one status (editors and admins).
    pub async fn list_accounts(
        &self,
        viewer: Viewer,
        status: Option<AccountStatus>,
    ) -> Result<Vec<Account>> {
        access::manage_members(viewer)?;
        let mut q = account::Entity::find().order_by_asc(account::Column::Id);
        if let Some(s) = status {
            q = q.filter(account::Column::Status.eq(s.as_str()));
        }
        q.all(&self.db).await?.into_iter().map(to_account).collect()
    }

    /// Appoints a person as contributor, editor or admin (admins).
    pub async fn set_account_role(
        &self,
        viewer: Viewer,
        id: AccountId,
        role: AccountRole,
    ) -> Result<Account> {
        access::appoint(viewer)?;
        self.update_account(id, |a| {
            a.role = Set(role.as_str().to_owned());
            // An appointed editor or admin acts at once, whatever their request's state.
            if role != AccountRole::Contributor {
                a.status = Set(AccountStatus::Active.as_str().to_owned());
            }
        })
        .await
    }

    /// Grants a request: the person becomes an active contributor of `organisation`, or
    /// of the organisation they asked to join (editors).
    pub async fn grant_account(
        &self,
        viewer: Viewer,
        id: AccountId,
        organisation: Option<OrganisationId>,
    ) -> Result<Account> {
        access::manage_members(viewer)?;
        let current = self.account(id).await?.ok_or_else(not_found)?;
        let Some(org) = organisation.or(current.requested_organisation_id) else {
            return Err(DomainError::bad_input(
                "organisation",
                "the account asked for no organisation: name one",
            )
            .into());
        };
        if organisation::Entity::find_by_id(org.0)
            .one(&self.db)
            .await?
            .is_none()
        {
            return Err(DomainError::bad_input("organisation", "unknown organisation").into());
        }
        self.update_account(id, |a| {
            a.status = Set(AccountStatus::Active.as_str().to_owned());
            a.organisation_id = Set(Some(org.0));
            a.requested_organisation_id = Set(None);
        })
        .await
    }

    /// Refuses a request: the person stays signed in and reads like the public (editors).
    pub async fn refuse_account(&self, viewer: Viewer, id: AccountId) -> Result<Account> {
        access::manage_members(viewer)?;
        self.update_account(id, |a| {
            a.status = Set(AccountStatus::Refused.as_str().to_owned());
            a.organisation_id = Set(None);
        })
        .await
    }

    async fn update_account(
        &self,
        id: AccountId,
        change: impl FnOnce(&mut account::ActiveModel),
    ) -> Result<Account> {
        // An erased account is gone for those who manage accounts: it keeps only the
        // number its revisions point at, and no role or membership can bring it back.
        let row = account::Entity::find_by_id(id.0)
            .one(&self.db)
            .await?
            .filter(|a| a.status != AccountStatus::Erased.as_str())
            .ok_or_else(not_found)?;
        let mut update: account::ActiveModel = row.into();
        change(&mut update);
        to_account(update.update(&self.db).await?)
    }

    /// The domains `organisation` owns, sorted, and whether it accepts members.
    pub async fn organisation_membership(
        &self,
        organisation: OrganisationId,
    ) -> Result<(Vec<String>, bool)> {
        let org = organisation::Entity::find_by_id(organisation.0)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::from(DomainError::not_found("organisation")))?;
        let domains = organisation_domain::Entity::find()
            .filter(organisation_domain::Column::OrganisationId.eq(organisation.0))
            .order_by_asc(organisation_domain::Column::Domain)
            .all(&self.db)
            .await?;
        Ok((
            domains.into_iter().map(|d| d.domain).collect(),
            org.accepts_members,
        ))
    }

    /// Sets the domains `organisation` owns (replacing the ones it had) and whether
    /// people of them join without a grant (editors). A domain another organisation owns
    /// is a `CONFLICT`; nothing is written then.
    pub async fn set_organisation_membership(
        &self,
        viewer: Viewer,
        organisation: OrganisationId,
        domains: &[String],
        accepts_members: bool,
    ) -> Result<(Vec<String>, bool)> {
        access::manage_members(viewer)?;
        let mut parsed = domains
            .iter()
            .enumerate()
            .map(|(i, d)| Domain::parse(&format!("input.domains.{i}"), d))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        parsed.sort();
        parsed.dedup();
        let txn = self.db.begin().await?;
        if organisation::Entity::find_by_id(organisation.0)
            .one(&txn)
            .await?
            .is_none()
        {
            return Err(DomainError::not_found("organisation").into());
        }
        organisation::Entity::update_many()
            .col_expr(
                organisation::Column::AcceptsMembers,
                Expr::value(accepts_members),
            )
            .filter(organisation::Column::Id.eq(organisation.0))
            .exec(&txn)
            .await?;
        organisation_domain::Entity::delete_many()
            .filter(organisation_domain::Column::OrganisationId.eq(organisation.0))
            .exec(&txn)
            .await?;
        for d in &parsed {
            organisation_domain::ActiveModel {
                id: NotSet,
                domain: Set(d.as_str().to_owned()),
                organisation_id: Set(organisation.0),
            }
            .insert(&txn)
            .await
            .map_err(|e| {
                crate::on_unique(
                    e,
                    DomainError::new(
                        kb_domain::ErrorCode::Conflict,
                        format!("another organisation owns `{}`", d.as_str()),
                    )
                    .with_field("input.domains"),
                )
            })?;
        }
        txn.commit().await?;
        Ok((
            parsed.into_iter().map(|d| d.as_str().to_owned()).collect(),
            accepts_members,
        ))
    }
}

/// Erasing a person's account: sessions and links go, a pseudonym stays.
mod erasure;
/// Everything held about one person, as a JSON document.
mod export;
/// Taking a person's name and address out of revision snapshots.
pub(crate) mod scrub;

pub(crate) use erasure::scrub_revisions;
pub use erasure::{ERASED_ISSUER, Erasure, pseudonym};
pub use export::EXPORT_FORMAT;

#[cfg(test)]
pub(crate) mod tests;
