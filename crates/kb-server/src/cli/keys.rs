//! `kennisbank keys`.

use clap::Subcommand;
use kb_domain::{ApiKeyId, Role, Viewer};
use kb_store::{Actor, Store};

/// The subcommands of `keys`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key and print it once; only its hash is stored.
    Create {
        /// partner, contributor, editor or admin.
        #[arg(long)]
        role: String,
        /// The organisation (slug) a contributor key acts for.
        #[arg(long)]
        organisation: Option<String>,
        /// A name to recognise the key by.
        #[arg(long)]
        name: Option<String>,
        /// Expiry: an RFC 3339 time (`2027-06-30T00:00:00Z`) or a number of days (`90d`).
        #[arg(long)]
        expires: Option<String>,
    },
    /// List the keys (never their secrets).
    List,
    /// Revoke a key by id.
    Revoke { id: i64 },
}

/// Parses `--expires`: an RFC 3339 time or `N` days from now.
fn parse_expiry(s: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    if let Some(days) = s.strip_suffix('d') {
        let days: i64 = days
            .parse()
            .map_err(|_| anyhow::anyhow!("--expires: `{s}` is not a number of days"))?;
        return Ok(chrono::Utc::now() + chrono::Duration::days(days));
    }
    Ok(chrono::DateTime::parse_from_rfc3339(s)
        .map_err(|e| anyhow::anyhow!("--expires: `{s}` is neither RFC 3339 nor days ({e})"))?
        .with_timezone(&chrono::Utc))
}

/// Migrates, then runs the subcommand.
pub async fn run(database_url: &str, command: KeysCommand) -> anyhow::Result<()> {
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    keys(&store, command).await
}

/// Runs a subcommand of `keys`, with what it prints.
async fn keys(store: &Store, command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create {
            role,
            organisation,
            name,
            expires,
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                anyhow::anyhow!("--role must be partner, contributor, editor or admin")
            })?;
            let organisation_id = match &organisation {
                Some(slug) => Some(
                    store
                        .organisation_by_slug(Viewer::Editor, slug)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no organisation with slug `{slug}`"))?
                        .id,
                ),
                None => None,
            };
            let expires_at = expires.as_deref().map(parse_expiry).transpose()?;
            let name = name.unwrap_or_else(|| match &organisation {
                Some(slug) => format!("{} key for {slug}", role.as_str()),
                None => format!("{} key", role.as_str()),
            });
            let new = store
                .create_api_key(&Actor::cli(), &name, role, organisation_id, expires_at)
                .await?;
            eprintln!(
                "Created key {} ({}, {}). It is shown once; store it now:",
                new.key.id,
                new.key.name,
                role.as_str()
            );
            println!("{}", new.secret);
        }
        KeysCommand::List => {
            println!(
                "{:>4}  {:<12} {:<11} {:>5}  {:<25} {:<25} {:<25} name",
                "id", "prefix", "role", "org", "created", "expires", "status"
            );
            for k in store.list_api_keys(Viewer::Admin).await? {
                let status = match (k.revoked_at, k.expires_at) {
                    (Some(t), _) => format!("revoked {}", t.format("%Y-%m-%d")),
                    (None, Some(e)) if e <= chrono::Utc::now() => "expired".to_owned(),
                    _ => k.last_used_at.map_or("never used".to_owned(), |t| {
                        format!("used {}", t.format("%Y-%m-%d %H:%M"))
                    }),
                };
                println!(
                    "{:>4}  {:<12} {:<11} {:>5}  {:<25} {:<25} {:<25} {}",
                    k.id,
                    k.prefix,
                    k.role.as_str(),
                    k.organisation_id.map_or("-".to_owned(), |o| o.to_string()),
                    k.created_at.format("%Y-%m-%d %H:%M"),
                    k.expires_at
                        .map_or("-".to_owned(), |e| e.format("%Y-%m-%d %H:%M").to_string()),
                    status,
                    k.name
                );
            }
        }
        KeysCommand::Revoke { id } => {
            let k = store.revoke_api_key(&Actor::cli(), ApiKeyId(id)).await?;
            eprintln!("Revoked key {} ({}).", k.id, k.name);
        }
    }
    Ok(())
}
