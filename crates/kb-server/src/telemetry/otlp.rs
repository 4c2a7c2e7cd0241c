//! Spans exported to an OpenTelemetry collector: in batches over OTLP/HTTP with protobuf
//! bodies (what every collector accepts on port 4318), from a thread of the exporter's
//! own, so a slow or absent collector never holds up a request: spans it cannot take are
//! dropped once the batch queue is full.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::trace::{SdkTracerProvider, Tracer};
use tracing_opentelemetry::OpenTelemetryLayer;

use super::SERVICE_NAME;

/// A running exporter.
#[derive(Debug)]
pub(super) struct Exporter {
    provider: SdkTracerProvider,
}

impl Exporter {
    /// Starts an exporter that batches spans to `traces_url`.
    pub(super) fn start(traces_url: &str) -> anyhow::Result<Self> {
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
            .with_endpoint(traces_url)
            .with_timeout(std::time::Duration::from_secs(5))
            .build()?;
        let resource = opentelemetry_sdk::Resource::builder_empty()
            .with_service_name(SERVICE_NAME)
            .with_attribute(opentelemetry::KeyValue::new(
                "service.version",
                env!("CARGO_PKG_VERSION"),
            ))
            .build();
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource)
            .build();
        Ok(Exporter { provider })
    }

    /// The tracing layer whose spans this exporter sends.
    pub(super) fn layer<S>(&self) -> OpenTelemetryLayer<S, Tracer>
    where
        S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
    {
        tracing_opentelemetry::layer()
            .with_tracer(self.provider.tracer(SERVICE_NAME))
            .with_threads(false)
    }

    /// Exports the spans still queued and stops.
    pub(super) async fn shutdown(self) {
        let provider = self.provider;
        let done = tokio::task::spawn_blocking(move || provider.shutdown()).await;
        match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not send the last spans"),
            Err(e) => tracing::warn!(error = %e, "the span exporter's shutdown failed"),
        }
    }
}
