//! `kennisbank documents`.

use anyhow::Context;
use clap::Subcommand;
use kb_domain::Viewer;
use kb_store::{Actor, Store};

/// The subcommands of `documents`.
#[derive(Debug, Subcommand)]
pub enum DocumentsCommand {
    /// Register every operation of GraphQL files as trusted documents of a key, which
    /// from then on runs those operations only (by text or by hash). Registering again is
    /// harmless.
    Register {
        /// The key: its id, or its name when no other key has it.
        #[arg(long)]
        key: String,
        /// Files of operations and fragments (`.graphql`).
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
    /// List a key's trusted documents: hash, operation and when it was registered.
    List {
        /// The key: its id, or its name when no other key has it.
        #[arg(long)]
        key: String,
        /// Print each document's canonical text too.
        #[arg(long)]
        text: bool,
    },
}

/// Migrates, then runs the subcommand.
pub async fn run(database_url: &str, command: DocumentsCommand) -> anyhow::Result<()> {
    let store = Store::connect(database_url).await?;
    store.migrate().await?;
    documents(&store, command).await
}

/// Runs a subcommand of `documents`, with what it prints.
async fn documents(store: &Store, command: DocumentsCommand) -> anyhow::Result<()> {
    match command {
        DocumentsCommand::Register { key, files } => {
            let key = store.api_key_by_id_or_name(Viewer::Admin, &key).await?;
            let mut new = Vec::new();
            for file in &files {
                let text = std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                async_graphql::parser::parse_query(&text).map_err(|e| {
                    anyhow::anyhow!("{}: not a GraphQL document: {e}", file.display())
                })?;
                let operations = kb_graphql::documents::operations(&text);
                if operations.is_empty() {
                    anyhow::bail!("{}: holds no operation", file.display());
                }
                for op in operations {
                    println!(
                        "{}  {}  ({})",
                        op.hash,
                        op.name.as_deref().unwrap_or("(anonymous)"),
                        file.display()
                    );
                    new.push(kb_store::NewTrustedDocument {
                        hash: op.hash,
                        operation_name: op.name,
                        document: op.text,
                    });
                }
            }
            let r = store
                .register_trusted_documents(&Actor::cli(), key.id, &new)
                .await?;
            eprintln!(
                "Registered {} new document{} ({} already there) for key {} ({}); it has {} and runs only those.",
                r.added,
                if r.added == 1 { "" } else { "s" },
                r.unchanged,
                key.id,
                key.name,
                r.total
            );
        }
        DocumentsCommand::List { key, text } => {
            let key = store.api_key_by_id_or_name(Viewer::Admin, &key).await?;
            let docs = store.trusted_documents(Viewer::Admin, key.id).await?;
            if docs.is_empty() {
                eprintln!(
                    "Key {} ({}) has no trusted documents: it may run any operation.",
                    key.id, key.name
                );
            }
            for d in docs {
                println!(
                    "{}  {:<30} {}",
                    d.hash,
                    d.operation_name.as_deref().unwrap_or("(anonymous)"),
                    d.created_at.format("%Y-%m-%d %H:%M")
                );
                if text {
                    println!("    {}", d.document);
                }
            }
        }
    }
    Ok(())
}
