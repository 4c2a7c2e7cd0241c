//! Everything Kennisbank holds about one person, as one JSON document (the AVG's right of
//! access): the account row, their organisation, their sessions and the sign-in links
//! sent to their address (times only: never a cookie, token or hash), the revisions they
//! made, the mails waiting for them or sent to them in the last week, the organisations
//! they proposed, and the initiatives whose contact address is theirs. The person downloads it
//! from their account page; an admin makes it on their behalf at the command line.

use chrono::{DateTime, Utc};
use kb_domain::{AccountId, GlobalId, NodeKind};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};

use crate::entity::{
    account, initiative, notification, organisation, organisation_proposal, revision, session,
    sign_in_link,
};
use crate::{Result, Store, access};

/// What the document says it is.
pub const EXPORT_FORMAT: &str = "kennisbank-persoonsgegevens";

/// The global id of a revised object, for the kinds that have one.
fn global_id(entity_type: &str, id: i64) -> Option<String> {
    let kind = match entity_type {
        "initiative" => NodeKind::Initiative,
        "organisation" => NodeKind::Organisation,
        "event" => NodeKind::Event,
        "theme" => NodeKind::Theme,
        "topic" => NodeKind::Topic,
        _ => return None,
    };
    Some(GlobalId::new(kind, id).encode())
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The account row, every column.
fn account_json(a: &account::Model) -> Value {
    json!({
        "id": a.id,
        "issuer": a.issuer,
        "subject": a.subject,
        "email": a.email,
        "name": a.name,
        "language": a.language,
        "role": a.role,
        "organisationId": a.organisation_id,
        "status": a.status,
        "requestedOrganisationId": a.requested_organisation_id,
        "affiliation": a.affiliation,
        "createdAt": time(a.created_at),
        "lastSignInAt": a.last_sign_in_at.map(time),
    })
}

impl Store {
    /// The personal data of account `id` as a JSON document; `None` for an unknown
    /// account. Who may ask is decided by the caller: the person themself (their
    /// session) or the operator at the command line.
    pub async fn export_account(&self, id: AccountId) -> Result<Option<Value>> {
        let Some(acc) = account::Entity::find_by_id(id.0).one(&self.db).await? else {
            return Ok(None);
        };
        let organisation_of = |org: Option<i64>| async move {
            let Some(org) = org else {
                return Ok::<_, crate::StoreError>(Value::Null);
            };
            let row = organisation::Entity::find_by_id(org).one(&self.db).await?;
            Ok(row.map_or(Value::Null, |o| {
                json!({
                    "id": GlobalId::new(NodeKind::Organisation, o.id).encode(),
                    "name": o.name,
                })
            }))
        };
        let organisation = organisation_of(acc.organisation_id).await?;
        let requested = organisation_of(acc.requested_organisation_id).await?;
        let sessions: Vec<Value> = session::Entity::find()
            .filter(session::Column::AccountId.eq(acc.id))
            .order_by_asc(session::Column::CreatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| {
                json!({
                    "createdAt": time(s.created_at),
                    "lastSeenAt": time(s.last_seen_at),
                    "expiresAt": time(s.expires_at),
                })
            })
            .collect();
        let links: Vec<Value> = match &acc.email {
            Some(address) => sign_in_link::Entity::find()
                .filter(
                    Expr::expr(Func::lower(Expr::col(sign_in_link::Column::Email)))
                        .eq(address.to_lowercase()),
                )
                .order_by_asc(sign_in_link::Column::CreatedAt)
                .all(&self.db)
                .await?
                .into_iter()
                .map(|l| {
                    json!({
                        "createdAt": time(l.created_at),
                        "expiresAt": time(l.expires_at),
                        "used": l.used_at.is_some(),
                        "usedAt": l.used_at.map(time),
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        let revisions: Vec<Value> = revision::Entity::find()
            .filter(revision::Column::ActorAccountId.eq(acc.id))
            .order_by_asc(revision::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "entityType": r.entity_type,
                    "entityId": r.entity_id,
                    "globalId": global_id(&r.entity_type, r.entity_id),
                    "action": r.action,
                    "at": time(r.at),
                    "version": r.version,
                })
            })
            .collect();
        // The address is the person's wherever it is held; the title and slug of an
        // initiative they may not read stay out.
        let viewer = crate::accounts::to_account(acc.clone())?.viewer();
        let initiatives: Vec<Value> = match &acc.email {
            Some(address) => {
                let rows = initiatives_with_contact(&self.db, address).await?;
                let ids: Vec<i64> = rows.iter().map(|i| i.id).collect();
                let readable: Vec<i64> = initiative::Entity::find()
                    .select_only()
                    .column(initiative::Column::Id)
                    .filter(initiative::Column::Id.is_in(ids))
                    .filter(access::initiatives(viewer))
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                rows.into_iter()
                    .map(|i| {
                        let shown = readable.contains(&i.id);
                        json!({
                            "id": GlobalId::new(NodeKind::Initiative, i.id).encode(),
                            "slug": shown.then_some(i.slug),
                            "title": shown.then_some(i.title),
                            "status": i.status,
                            "contactEmail": i.contact_email,
                        })
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        let notifications: Vec<Value> = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(acc.id))
            .order_by_asc(notification::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| {
                json!({
                    "kind": n.kind,
                    "entityType": n.entity_type,
                    "globalId": global_id(&n.entity_type, n.entity_id),
                    "createdAt": time(n.created_at),
                    "sentAt": n.sent_at.map(time),
                    "attempts": n.attempts,
                })
            })
            .collect();
        let proposals: Vec<Value> = organisation_proposal::Entity::find()
            .filter(organisation_proposal::Column::AccountId.eq(acc.id))
            .order_by_asc(organisation_proposal::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "kind": p.kind,
                    "website": p.website,
                    "createdAt": time(p.created_at),
                    "outcome": p.outcome,
                })
            })
            .collect();
        Ok(Some(json!({
            "format": EXPORT_FORMAT,
            "exportedAt": time(Utc::now()),
            "account": account_json(&acc),
            "organisation": organisation,
            "requestedOrganisation": requested,
            "sessions": sessions,
            "signInLinks": links,
            "revisions": revisions,
            "notifications": notifications,
            "organisationProposals": proposals,
            "contactOf": { "initiatives": initiatives },
        })))
    }
}

/// The initiatives whose contact address is `address`, in any case, oldest first.
pub(crate) async fn initiatives_with_contact<C: sea_orm::ConnectionTrait>(
    db: &C,
    address: &str,
) -> Result<Vec<initiative::Model>> {
    Ok(initiative::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(initiative::Column::ContactEmail)))
                .eq(address.to_lowercase()),
        )
        .order_by_asc(initiative::Column::Id)
        .all(db)
        .await?)
}
