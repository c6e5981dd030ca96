//! Handlers of the sandbox routes: create, list, get, delete, exec,
//! snapshot, fork. File routes are in [`super::files`].

use super::error::ApiError;
use super::extract::JsonBody;
use super::sandboxes::CreateRequest;
use super::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use wasm_agent::ExecOptions;

/// `POST /sandboxes`. No body, or an object without `kind`, asks for a
/// memory sandbox.
pub async fn create(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<Option<Value>>,
) -> Result<impl IntoResponse, ApiError> {
    let mut body = body.unwrap_or_else(|| json!({}));
    if let Some(object) = body.as_object_mut() {
        object.entry("kind").or_insert_with(|| json!("memory"));
    }
    let request: CreateRequest = serde_json::from_value(body)
        .map_err(|e| ApiError::bad_request(format!("invalid sandbox request: {e}")))?;
    let entry = state
        .sandboxes
        .create(&state.runtime, state.permissions, request)
        .await?;
    Ok((StatusCode::CREATED, Json(entry.info())))
}

/// `GET /sandboxes`.
pub async fn list(State(state): State<AppState>) -> Json<Value> {
    let all: Vec<_> = state.sandboxes.list().iter().map(|e| e.info()).collect();
    Json(json!({ "sandboxes": all }))
}

/// `GET /sandboxes/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(state.sandboxes.get(&id)?.info()))
}

/// `DELETE /sandboxes/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.sandboxes.remove(&id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of `POST /sandboxes/{id}/exec`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecRequest {
    command: String,
    cwd: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    /// Seconds.
    timeout: Option<f64>,
    stdin: Option<String>,
}

/// `POST /sandboxes/{id}/exec`: runs a bash script, answers its output.
/// A failing script is a 200 with its exit code, like a process result.
pub async fn exec(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<ExecRequest>,
) -> Result<Json<Value>, ApiError> {
    let entry = state.sandboxes.get(&id)?;
    let mut options = ExecOptions::default();
    if let Some(cwd) = request.cwd {
        options = options.cwd(cwd);
    }
    for (name, value) in request.env {
        options = options.env(name, value);
    }
    if let Some(secs) = request.timeout {
        if !(secs.is_finite() && secs > 0.0) {
            return Err(ApiError::bad_request(format!(
                "timeout {secs} must be a positive number of seconds"
            ))
            .details(json!({ "field": "timeout" })));
        }
        options = options.timeout(Duration::from_secs_f64(secs));
    }
    if let Some(stdin) = request.stdin {
        options = options.stdin(stdin.into_bytes());
    }
    let started = Instant::now();
    let result = entry
        .sandbox
        .exec_with(&request.command, options)
        .await
        .map_err(|e| ApiError::sandbox(e, entry.sandbox.cwd()))?;
    // Bucket sandboxes write through a cache: the result is only final
    // once the bytes are in the bucket.
    entry
        .sandbox
        .flush()
        .await
        .map_err(|e| ApiError::sandbox(e, "/"))?;
    Ok(Json(json!({
        "stdout": result.stdout_lossy(),
        "stderr": result.stderr_lossy(),
        "exit_code": result.exit_code,
        "duration_ms": started.elapsed().as_millis() as u64,
    })))
}

/// `POST /sandboxes/{id}/snapshots`.
pub async fn snapshot(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let entry = state.sandboxes.get(&id)?;
    let snap = state.sandboxes.snapshot(&entry)?;
    Ok((StatusCode::CREATED, Json(snap.info())))
}

/// `GET /snapshots`.
pub async fn list_snapshots(State(state): State<AppState>) -> Json<Value> {
    let all: Vec<_> = state
        .sandboxes
        .list_snapshots()
        .iter()
        .map(|s| s.info())
        .collect();
    Json(json!({ "snapshots": all }))
}

/// `DELETE /snapshots/{id}`.
pub async fn delete_snapshot(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.sandboxes.remove_snapshot(&id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /sandboxes/{id}/fork`.
pub async fn fork(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let entry = state.sandboxes.get(&id)?;
    let forked = state.sandboxes.fork(&entry)?;
    Ok((StatusCode::CREATED, Json(forked.info())))
}
