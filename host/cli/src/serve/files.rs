//! Handlers of the file routes of a sandbox: read (bytes) or list, write
//! (raw body), remove, stat.

use super::error::ApiError;
use super::extract::{QueryArgs, RawBody};
use super::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::UNIX_EPOCH;
use wasm_agent::{FileStat, RmOptions, Sandbox};

/// The query of the file routes.
#[derive(Debug, Deserialize)]
pub struct FileQuery {
    path: Option<String>,
    /// Present (any value) on `GET /files`: list the directory.
    list: Option<String>,
    /// Present on `DELETE /files`: remove a directory tree.
    recursive: Option<String>,
}

impl FileQuery {
    fn path(&self) -> Result<&str, ApiError> {
        match self.path.as_deref() {
            Some(path) if !path.is_empty() => Ok(path),
            _ => Err(ApiError::bad_request(
                "missing the path query parameter; e.g. ?path=/home/user/notes.txt",
            )
            .details(json!({ "field": "path" }))),
        }
    }
}

/// A flag given as `?flag`, `?flag=true` or `?flag=1` is on; `=false`
/// and `=0` are off.
fn flag(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| !matches!(v, "false" | "0" | "no"))
}

fn stat_json(path: &str, stat: &FileStat) -> Value {
    let kind = if stat.is_symlink {
        "symlink"
    } else if stat.is_dir {
        "dir"
    } else {
        "file"
    };
    let mtime_ms = stat
        .mtime
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    json!({ "path": path, "type": kind, "size": stat.size, "mtime_ms": mtime_ms })
}

async fn list_dir(sandbox: &Sandbox, path: &str) -> Result<Value, ApiError> {
    let names = sandbox
        .read_dir(path)
        .await
        .map_err(|e| ApiError::sandbox(e, path))?;
    let base = path.trim_end_matches('/');
    let mut entries = Vec::with_capacity(names.len());
    for name in names {
        let child = format!("{base}/{name}");
        // An entry removed between the listing and its stat is skipped:
        // the listing is a moment's view anyway.
        if let Ok(stat) = sandbox.stat(&child).await {
            let mut entry = stat_json(&child, &stat);
            entry["name"] = Value::String(name);
            entries.push(entry);
        }
    }
    Ok(json!({ "path": path, "entries": entries }))
}

/// `GET /sandboxes/{id}/files?path=P[&list]`: the file's bytes, or with
/// `list` the directory's entries.
pub async fn read(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryArgs(query): QueryArgs<FileQuery>,
) -> Result<Response, ApiError> {
    let entry = state.sandboxes.get(&id)?;
    let path = query.path()?;
    if flag(&query.list) {
        return Ok(Json(list_dir(&entry.sandbox, path).await?).into_response());
    }
    let bytes = entry
        .sandbox
        .read_file_bytes(path)
        .await
        .map_err(|e| ApiError::sandbox(e, path))?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

/// `GET /sandboxes/{id}/files/list?path=P`.
pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryArgs(query): QueryArgs<FileQuery>,
) -> Result<Json<Value>, ApiError> {
    let entry = state.sandboxes.get(&id)?;
    Ok(Json(list_dir(&entry.sandbox, query.path()?).await?))
}

/// `PUT /sandboxes/{id}/files?path=P`: the body becomes the file (parent
/// directories are created).
pub async fn write(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryArgs(query): QueryArgs<FileQuery>,
    RawBody(body): RawBody,
) -> Result<Json<Value>, ApiError> {
    let entry = state.sandboxes.get(&id)?;
    let path = query.path()?;
    entry
        .sandbox
        .write_file(path, &body)
        .await
        .map_err(|e| ApiError::sandbox(e, path))?;
    Ok(Json(json!({ "path": path, "size": body.len() })))
}

/// `DELETE /sandboxes/{id}/files?path=P[&recursive]`.
pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryArgs(query): QueryArgs<FileQuery>,
) -> Result<StatusCode, ApiError> {
    let entry = state.sandboxes.get(&id)?;
    let path = query.path()?;
    let options = RmOptions {
        recursive: flag(&query.recursive),
        force: false,
    };
    entry
        .sandbox
        .rm(path, options)
        .await
        .map_err(|e| ApiError::sandbox(e, path))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /sandboxes/{id}/stat?path=P`.
pub async fn stat(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryArgs(query): QueryArgs<FileQuery>,
) -> Result<Json<Value>, ApiError> {
    let entry = state.sandboxes.get(&id)?;
    let path = query.path()?;
    let stat = entry
        .sandbox
        .stat(path)
        .await
        .map_err(|e| ApiError::sandbox(e, path))?;
    Ok(Json(stat_json(path, &stat)))
}
