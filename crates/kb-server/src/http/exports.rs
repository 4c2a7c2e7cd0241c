//! `/export/…`: each export of `kb_exchange::export` as a download, streamed as it is
//! written, with an ETag of the read model's change-log position; a client that already
//! holds that version gets `304 Not Modified` and no body.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kb_domain::ErrorCode;
use kb_exchange::export::{self, Chunks, Export, dimension_error, parse_dimension};
use kb_readmodel::ReadModel;
use kb_store::Store;
use serde_json::json;

struct Exports {
    store: Store,
    model: ReadModel,
}

/// The export routes, over the same store and read model as the API.
pub(super) fn routes(store: Store, model: ReadModel) -> Router {
    Router::new()
        .route("/export/initiatives.csv", get(initiatives))
        .route("/export/cooccurrence.csv", get(cooccurrence))
        .route("/export/graph.graphml", get(graphml))
        .route("/export/graph.json", get(graph_json))
        .route("/export/kennisbank.jsonld", get(jsonld))
        .with_state(Arc::new(Exports { store, model }))
}

/// The (weak) entity tag of `export` with the read model at change-log `position`:
/// every change moves the position, so a tag names one content.
fn etag(export: Export, position: i64) -> String {
    crate::caching::etag(position, &export.file_name().replace('.', "-"))
}

/// The chunks of an export as a body, each sent on as it comes.
fn body(chunks: Chunks) -> Body {
    Body::from_stream(chunks)
}

/// A `BAD_USER_INPUT` answer, in the shape of the API's other errors.
fn bad_input(field: &str, message: &str) -> Response {
    let body = json!({ "errors": [{
        "message": message,
        "extensions": { "code": ErrorCode::BadUserInput.as_str(), "field": field },
    }] });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

#[tracing::instrument(skip(state, headers))]
async fn serve(state: &Exports, headers: &HeaderMap, export: Export) -> Response {
    let etag = etag(export, state.model.position().await);
    crate::caching::conditional(headers, &etag, false, || {
        let chunks = export::stream(state.store.clone(), state.model.clone(), export);
        let mut r = body(chunks).into_response();
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(export.content_type()),
        );
        if let Ok(v) =
            HeaderValue::from_str(&format!("attachment; filename=\"{}\"", export.file_name()))
        {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        r
    })
}

async fn initiatives(State(state): State<Arc<Exports>>, headers: HeaderMap) -> Response {
    serve(&state, &headers, Export::Initiatives).await
}

async fn cooccurrence(
    State(state): State<Arc<Exports>>,
    headers: HeaderMap,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    let Query(params) = match query {
        Ok(q) => q,
        Err(e) => return bad_input("query", &e.body_text()),
    };
    let dimension = |field: &'static str| {
        let given = params.get(field).map(String::as_str);
        given
            .and_then(parse_dimension)
            .ok_or_else(|| (field, dimension_error(field, given)))
    };
    let (rows, columns) = match (dimension("rows"), dimension("columns")) {
        (Ok(rows), Ok(columns)) => (rows, columns),
        (Err((field, message)), _) | (_, Err((field, message))) => {
            return bad_input(field, &message);
        }
    };
    serve(&state, &headers, Export::Cooccurrence { rows, columns }).await
}

async fn graphml(State(state): State<Arc<Exports>>, headers: HeaderMap) -> Response {
    serve(&state, &headers, Export::GraphMl).await
}

async fn graph_json(State(state): State<Arc<Exports>>, headers: HeaderMap) -> Response {
    serve(&state, &headers, Export::GraphJson).await
}

async fn jsonld(State(state): State<Arc<Exports>>, headers: HeaderMap) -> Response {
    serve(&state, &headers, Export::JsonLd).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{Request, Response};
    use kb_readmodel::analytics::Dimension;
    use tokio::sync::mpsc;
    use tower::{Layer, ServiceExt};

    #[tokio::test]
    async fn a_streamed_export_can_be_compressed_and_read_to_its_end() {
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(async move {
            for _ in 0..100 {
                let row = b"SW5pdGlhdGl2ZTox,buddyprogramma,Buddyprogramma\r\n".to_vec();
                if tx.send(Ok(row)).await.is_err() {
                    return;
                }
            }
        });
        let mut rx = Some(rx);
        let service =
            crate::compression::layer().layer(tower::service_fn(move |_: Request<Body>| {
                let body = rx
                    .take()
                    .map(|rx| body(Chunks::from(rx)))
                    .unwrap_or_default();
                async move {
                    Response::builder()
                        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
                        .body(body)
                }
            }));
        let request = Request::get("/export/initiatives.csv")
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .expect("a request");
        let response = service.oneshot(request).await.expect("an answer");
        assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
        let body = axum::body::to_bytes(Body::new(response.into_body()), usize::MAX)
            .await
            .expect("the whole body");
        // The gzip magic number, and far fewer bytes than the 4,900 sent.
        assert_eq!(body[..2], [0x1f, 0x8b]);
        assert!(body.len() < 1_000, "{} bytes", body.len());
    }

    #[test]
    fn each_export_is_tagged_with_its_file_and_position() {
        let t = Export::Cooccurrence {
            rows: Dimension::Theme,
            columns: Dimension::Topic,
        };
        assert_eq!(etag(t, 42), "W/\"kb-42-cooccurrence-theme-topic-csv\"");
        assert_eq!(etag(Export::JsonLd, 7), "W/\"kb-7-kennisbank-jsonld\"");
    }
}
