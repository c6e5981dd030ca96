//! `GET /openapi.json`: the hand-written OpenAPI 3.1 description of every
//! route (kept in `openapi.json` beside this file).

use axum::http::header;
use axum::response::IntoResponse;

/// The document, as written.
const DOCUMENT: &str = include_str!("openapi.json");

/// `GET /openapi.json`.
pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_valid_json_and_names_every_route() {
        let doc: serde_json::Value = serde_json::from_str(DOCUMENT).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        for path in [
            "/sandboxes",
            "/sandboxes/{id}/exec",
            "/sandboxes/{id}/files",
            "/sandboxes/{id}/fork",
            "/runs/{id}/stream",
            "/agents/{name}/{id}",
            "/admin/runs",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} is not documented");
        }
    }
}
