//! Logs and traces: the `tracing` subscriber of the binary, writing logs to stderr and,
//! when an OTLP endpoint is configured, exporting spans to an OpenTelemetry collector.
//!
//! The export is off by default: a knowledge bank on one machine has its logs and
//! `/metrics`; a deployment with a tracing back end names its collector. Spans go out in
//! batches over OTLP/HTTP with protobuf bodies (what every collector accepts on port
//! 4318), from a thread of the exporter's own, so a slow or absent collector never holds
//! up a request: spans it cannot take are dropped once the batch queue is full.

use anyhow::Context;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::trace::SdkTracerProvider;
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
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Exports the spans still queued (waiting for the collector at most a few seconds)
    /// and stops the exporter. Without an endpoint there is nothing to do.
    pub async fn shutdown(self) {
        let Some(provider) = self.provider else {
            return;
        };
        let done = tokio::task::spawn_blocking(move || provider.shutdown()).await;
        match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not send the last spans"),
            Err(e) => tracing::warn!(error = %e, "the span exporter's shutdown failed"),
        }
    }
}

/// Installs the global subscriber: logs on stderr (`text` or `json`) filtered by `KB_LOG`
/// (else [`DEFAULT_FILTER`]), and the same spans exported to `otlp_endpoint` when given.
pub fn init(format: &str, otlp_endpoint: Option<&str>) -> anyhow::Result<Telemetry> {
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
    let provider = otlp_endpoint
        .filter(|e| !e.is_empty())
        .map(tracer_provider)
        .transpose()?;
    let otel = provider.as_ref().map(|p| {
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer(SERVICE_NAME))
            .with_threads(false)
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(otel)
        .try_init()
        .context("a tracing subscriber was already installed")?;
    if let Some(endpoint) = otlp_endpoint.filter(|e| !e.is_empty()) {
        tracing::info!(endpoint = %crate::config::masked_url(endpoint), "exporting traces over OTLP");
    }
    Ok(Telemetry { provider })
}

/// A provider that batches spans to the collector at `endpoint`.
fn tracer_provider(endpoint: &str) -> anyhow::Result<SdkTracerProvider> {
    let url = traces_url(endpoint)?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
        .with_endpoint(url)
        .with_timeout(std::time::Duration::from_secs(5))
        .build()
        .with_context(|| format!("--otlp-endpoint `{endpoint}`"))?;
    let resource = opentelemetry_sdk::Resource::builder_empty()
        .with_service_name(SERVICE_NAME)
        .with_attribute(opentelemetry::KeyValue::new(
            "service.version",
            env!("CARGO_PKG_VERSION"),
        ))
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
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
