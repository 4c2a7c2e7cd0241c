//! `kennisbank config`: the effective configuration of `serve`, each setting with where it
//! came from.

use clap::builder::FalseyValueParser;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args};
use kb_server::config::{FileSettings, ServerConfig, masked_url};

/// The options of `config`: those of `serve`, whose effective values it prints.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    config: ServerConfig,
    /// As for `serve`.
    #[arg(long, env = "KB_NO_DEMO", value_parser = FalseyValueParser::new())]
    no_demo: bool,
}

/// Prints the effective configuration: `definition` is the command line as the
/// configuration file left it, `matches` what it parsed.
pub fn run(definition: &clap::Command, matches: &ArgMatches, file: &FileSettings) {
    print!("{}", effective_config(definition, matches, file));
}

/// The settings `config` was given (global ones and those of `serve`), one per line as
/// TOML, each with where it came from: what `kennisbank config` prints.
fn effective_config(command: &clap::Command, matches: &ArgMatches, file: &FileSettings) -> String {
    let from_file = match &file.path {
        Some(p) => format!("file {}", p.display()),
        None => "file".to_owned(),
    };
    let mut out = format!(
        "# The effective configuration: flags over KB_* variables over {} over defaults.\n",
        file.path.as_deref().map_or_else(
            || "a configuration file".to_owned(),
            |p| p.display().to_string()
        )
    );
    let sub = command.find_subcommand("config");
    let sub_matches = matches.subcommand_matches("config");
    let sections = [(Some(command), Some(matches)), (sub, sub_matches)];
    for (cmd, m) in sections {
        let (Some(cmd), Some(m)) = (cmd, m) else {
            continue;
        };
        let mut args: Vec<&clap::Arg> = cmd.get_arguments().collect();
        args.sort_by_key(|a| a.get_long());
        for arg in args {
            let (Some(long), id) = (arg.get_long(), arg.get_id().as_str()) else {
                continue;
            };
            if matches!(long, "config" | "help" | "version") {
                continue;
            }
            let key = long.replace('-', "_");
            let Ok(Some(raw)) = m.try_get_raw(id) else {
                out.push_str(&format!("# {key} is not set\n"));
                continue;
            };
            let value = raw
                .map(|v| v.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(",");
            let value = if matches!(key.as_str(), "database_url" | "otlp_endpoint" | "smtp_url") {
                masked_url(&value)
            } else if key == "oidc_client_secret" {
                value
                    .split(',')
                    .map(|_| "****")
                    .collect::<Vec<_>>()
                    .join(",")
            } else {
                value
            };
            let source = match m.value_source(id) {
                Some(ValueSource::CommandLine) => "flag".to_owned(),
                Some(ValueSource::EnvVariable) => {
                    arg.get_env().map_or("environment".to_owned(), |e| {
                        format!("env {}", e.to_string_lossy())
                    })
                }
                _ if file.sets(long) => from_file.clone(),
                _ => "default".to_owned(),
            };
            let shown = if value.parse::<f64>().is_ok() || value == "true" || value == "false" {
                value
            } else {
                format!("{value:?}")
            };
            out.push_str(&format!("{key} = {shown}  # {source}\n"));
        }
    }
    out
}
