//! `kennisbank accounts`: the people who sign in, for the operator (who acts as an
//! admin): list them, grant or refuse a pending request, appoint a role, print a
//! person's data (their right of access) and erase their account on request.

use clap::Subcommand;
use kb_domain::{AccountId, AccountRole, AccountStatus, Viewer};
use kb_store::Store;

/// The subcommands of `accounts`.
#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// List accounts, oldest first.
    List {
        /// Only accounts with this status: active, pending, refused or erased.
        #[arg(long)]
        status: Option<String>,
    },
    /// Give an account a role: contributor, editor or admin.
    SetRole { id: i64, role: String },
    /// Grant a pending request: the person becomes an active contributor.
    Grant {
        id: i64,
        /// The organisation (slug); the one asked for when omitted.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Refuse a pending request.
    Refuse { id: i64 },
    /// Print everything held about a person as JSON (account number or e-mail address).
    Export { person: String },
    /// Erase a person's account (account number or e-mail address): sessions and
    /// sign-in links go, revisions name "verwijderde gebruiker N", and initiatives whose
    /// contact address was theirs wait for an editor's review.
    Erase { person: String },
}

/// The account a number or an e-mail address names.
async fn find(store: &Store, person: &str) -> anyhow::Result<kb_store::Account> {
    let found = match person.trim().parse::<i64>() {
        Ok(id) => store.account(AccountId(id)).await?,
        Err(_) => store.account_by_email(person).await?,
    };
    found.ok_or_else(|| anyhow::anyhow!("no account `{person}`"))
}

/// Migrates, then runs the subcommand.
pub async fn run(database_url: &str, command: AccountsCommand) -> anyhow::Result<()> {
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    accounts(&store, command).await
}

fn line(a: &kb_store::Account) -> String {
    format!(
        "{:>4}  {:<11} {:<8} {:>5} {:>5}  {:<16} {:<30} {}",
        a.id,
        a.role.as_str(),
        a.status.as_str(),
        a.organisation_id.map_or("-".to_owned(), |o| o.to_string()),
        a.requested_organisation_id
            .map_or("-".to_owned(), |o| o.to_string()),
        a.last_sign_in_at
            .map_or("-".to_owned(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
        a.email.as_deref().unwrap_or("-"),
        a.name
    )
}

/// Runs a subcommand of `accounts`, with what it prints.
async fn accounts(store: &Store, command: AccountsCommand) -> anyhow::Result<()> {
    match command {
        AccountsCommand::List { status } => {
            let status = status
                .map(|s| {
                    AccountStatus::parse(&s).ok_or_else(|| {
                        anyhow::anyhow!("--status must be active, pending, refused or erased")
                    })
                })
                .transpose()?;
            println!(
                "{:>4}  {:<11} {:<8} {:>5} {:>5}  {:<16} {:<30} name",
                "id", "role", "status", "org", "asks", "last sign-in", "e-mail"
            );
            for a in store.list_accounts(Viewer::Admin, status).await? {
                println!("{}", line(&a));
            }
        }
        AccountsCommand::SetRole { id, role } => {
            let role = AccountRole::parse(&role)
                .ok_or_else(|| anyhow::anyhow!("the role must be contributor, editor or admin"))?;
            let a = store
                .set_account_role(Viewer::Admin, AccountId(id), role)
                .await?;
            eprintln!("Account {} is now {}.", a.id, a.role.as_str());
        }
        AccountsCommand::Grant { id, organisation } => {
            let organisation = match &organisation {
                Some(slug) => Some(
                    store
                        .organisation_by_slug(Viewer::Editor, slug)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no organisation with slug `{slug}`"))?
                        .id,
                ),
                None => None,
            };
            let a = store
                .grant_account(Viewer::Admin, AccountId(id), organisation)
                .await?;
            eprintln!(
                "Account {} is an active contributor of organisation {}.",
                a.id,
                a.organisation_id.map_or("-".to_owned(), |o| o.to_string())
            );
        }
        AccountsCommand::Refuse { id } => {
            let a = store.refuse_account(Viewer::Admin, AccountId(id)).await?;
            eprintln!("Account {}'s request is refused.", a.id);
        }
        AccountsCommand::Export { person } => {
            let a = find(store, &person).await?;
            let doc = store
                .export_account(a.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no account `{person}`"))?;
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        AccountsCommand::Erase { person } => {
            let a = find(store, &person).await?;
            let e = store.erase_account(Viewer::Admin, a.id).await?;
            eprintln!(
                "Account {} is erased and now named \"{}\": {} sessions and {} sign-in links ended, {} revisions renamed, {} initiatives wait for a contact review.",
                e.account, e.pseudonym, e.sessions, e.sign_in_links, e.revisions, e.contact_reviews
            );
        }
    }
    Ok(())
}
