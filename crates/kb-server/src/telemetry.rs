//! Logs and traces: the `tracing` subscriber of the binary, writing logs to stderr (and,
//! with `--log-dir`, to a file a day kept for `--log-retention-days`) and, when an OTLP
//! endpoint is configured, exporting spans to an OpenTelemetry collector.
//!
//! The export is off by default: a knowledge bank on one machine has its logs and
//! `/metrics`; a deployment with a tracing back end names its collector. The exporter is
//! compiled in with the cargo feature `otlp` (release builds for deployment enable it;
//! the tests enable it too); a build without it refuses `--otlp-endpoint` and says how to
//! get it.

/// Log files by day, deleted after the retention period.
pub mod files;
/// The OTLP exporter (feature `otlp`).
#[cfg(feature = "otlp")]
mod otlp;

use anyhow::Context;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The `service.name` of every exported span.
pub const SERVICE_NAME: &str = "kennisbank";

/// The log filter without `KB_LOG`. tantivy warns when a background merge finishes after
/// a commit dropped one of its segments (every document in it deleted): the merge is
/// discarded, nothing is lost, and under steady writes it would fill the log.
pub const DEFAULT_FILTER: &str =
    "info,sqlx=warn,sea_orm=warn,tantivy::indexer::segment_manager=error";

/// What [`init`] set up; [`Telemetry::shutdown`] sends the spans still queued.
#[derive(Debug, Default)]
pub struct Telemetry {
    #[cfg(feature = "otlp")]
    exporter: Option<otlp::Exporter>,
}

impl Telemetry {
    /// Exports the spans still queued (waiting for the collector at most a few seconds)
    /// and stops the exporter. Without an endpoint there is nothing to do.
    pub async fn shutdown(self) {
        #[cfg(feature = "otlp")]
        if let Some(exporter) = self.exporter {
            exporter.shutdown().await;
        }
    }
}

/// Installs the global subscriber: logs on stderr (`text` or `json`) filtered by `KB_LOG`
/// (else [`DEFAULT_FILTER`]), the same lines in `files` when given, and the same spans
/// exported to `otlp_endpoint` when given.
pub fn init(
    format: &str,
    files: Option<files::LogFiles>,
    otlp_endpoint: Option<&str>,
) -> anyhow::Result<Telemetry> {
    // A filter that does not parse is said, not silently replaced.
    let filter = match std::env::var("KB_LOG") {
        Ok(wanted) => EnvFilter::try_new(&wanted).unwrap_or_else(|e| {
            eprintln!(
                "KB_LOG=`{wanted}` is not a log filter ({e}); logging with `{DEFAULT_FILTER}`"
            );
            EnvFilter::new(DEFAULT_FILTER)
        }),
        Err(_) => EnvFilter::new(DEFAULT_FILTER),
    };
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let fmt = if format == "json" {
        fmt.json().boxed()
    } else {
        fmt.boxed()
    };
    let to_files = files.map(|files| {
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(files)
            .with_ansi(false);
        if format == "json" {
            layer.json().boxed()
        } else {
            layer.boxed()
        }
    });
    let endpoint = otlp_endpoint.filter(|e| !e.is_empty());
    #[cfg(feature = "otlp")]
    let (exporter, otel) = match endpoint {
        Some(endpoint) => {
            let exporter = otlp::Exporter::start(&traces_url(endpoint)?)
                .with_context(|| format!("--otlp-endpoint `{endpoint}`"))?;
            let layer = exporter.layer();
            (Some(exporter), Some(layer))
        }
        None => (None, None),
    };
    #[cfg(not(feature = "otlp"))]
    let otel = match endpoint {
        Some(endpoint) => anyhow::bail!(
            "--otlp-endpoint `{}`: this build of kennisbank has no OTLP export; build it with `--features otlp`",
            crate::config::masked_url(endpoint)
        ),
        None => None::<tracing_subscriber::layer::Identity>,
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(to_files)
        .with(otel)
        .try_init()
        .context("a tracing subscriber was already installed")?;
    if let Some(endpoint) = endpoint {
        tracing::info!(endpoint = %crate::config::masked_url(endpoint), "exporting traces over OTLP");
    }
    Ok(Telemetry {
        #[cfg(feature = "otlp")]
        exporter,
    })
}

/// The URL spans are posted to: the endpoint as OpenTelemetry's
/// `OTEL_EXPORTER_OTLP_ENDPOINT` reads it, a collector's base URL to which `/v1/traces` is
/// added, unless the URL already ends with it.
pub fn traces_url(endpoint: &str) -> anyhow::Result<String> {
    let url = url::Url::parse(endpoint)
        .map_err(|e| anyhow::anyhow!("--otlp-endpoint `{endpoint}` is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        anyhow::bail!("--otlp-endpoint `{endpoint}` must be an http:// or https:// URL");
    }
    if url.path().trim_end_matches('/').ends_with("/v1/traces") {
        return Ok(endpoint.to_owned());
    }
    Ok(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collector_base_url_gets_the_traces_path() {
        assert_eq!(
            traces_url("http://collector:4318").ok().as_deref(),
            Some("http://collector:4318/v1/traces")
        );
        assert_eq!(
            traces_url("http://collector:4318/").ok().as_deref(),
            Some("http://collector:4318/v1/traces")
        );
        assert_eq!(
            traces_url("https://otel.example/tenant/a").ok().as_deref(),
            Some("https://otel.example/tenant/a/v1/traces")
        );
    }

    #[test]
    fn a_full_traces_url_is_kept() {
        assert_eq!(
            traces_url("http://127.0.0.1:4318/v1/traces")
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:4318/v1/traces")
        );
    }

    #[test]
    fn an_endpoint_that_is_no_http_url_is_refused() {
        assert!(traces_url("collector:4318").is_err());
        assert!(traces_url("grpc://collector:4317").is_err());
        assert!(traces_url("").is_err());
    }
}
