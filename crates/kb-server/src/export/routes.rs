//! `/export/…`: each export as a download, streamed as it is written, with an ETag of
//! the read model's change-log position; a client that already holds that version gets
//! `304 Not Modified` and no body.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kb_domain::ErrorCode;
use kb_graph::ReadModel;
use kb_store::Store;
use serde_json::json;

use super::{Export, body, dimension_error, parse_dimension};

struct Exports {
    store: Store,
    model: ReadModel,
}

/// The export routes, over the same store and read model as the API.
pub fn routes(store: Store, model: ReadModel) -> Router {
    Router::new()
        .route("/export/initiatives.csv", get(initiatives))
        .route("/export/cooccurrence.csv", get(cooccurrence))
        .route("/export/graph.graphml", get(graphml))
        .route("/export/graph.json", get(graph_json))
        .route("/export/kennisbank.jsonld", get(jsonld))
        .with_state(Arc::new(Exports { store, model }))
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
    let etag = export.etag(state.model.position().await);
    crate::caching::conditional(headers, &etag, false, || {
        let mut r = body(state.store.clone(), state.model.clone(), export).into_response();
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
