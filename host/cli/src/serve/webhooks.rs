//! `POST /agents/{name}/{id}`: runs an agent (one with `webhook: true`)
//! on a JSON payload, continuing the session `id`.
//!
//! Three ways to answer, chosen by the request:
//! - plain: waits, then 200 `{"result": …, "_meta": {"runId": …}}`;
//! - `X-Webhook: true`: 202 `{"status": "accepted", "runId": …}` at once,
//!   the run goes on in the background (`GET /runs/{runId}`);
//! - `Accept: text/event-stream`: the run's events as SSE, as
//!   `GET /runs/{id}/stream` sends them.
//!
//! Runs of one session are queued in this server, so two requests for
//! the same session never interleave their saves. (Two servers on one
//! store do not queue each other: a load balancer with session affinity,
//! or clients that wait for a run before the next, avoid the race.)

use super::error::ApiError;
use super::extract::RawBody;
use super::run_api;
use super::runs::Run;
use super::AppState;
use crate::agents::{self, RunError, RunErrorKind, RunRequest};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wasm_agent_harness::store::SessionStore;

/// How often a running run's record is saved to a shared store, so other
/// servers can follow it.
const SAVE_EVERY: Duration = Duration::from_secs(1);

/// What the webhook routes need besides [`AppState`]'s registries.
pub struct Agents {
    /// The project whose agents are served.
    pub project: agents::Project,
    /// Where sessions are kept.
    pub store: Arc<dyn SessionStore>,
    /// One lock per session with a run going on here.
    queues: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Cancelled when a stopping server's grace period is over: the runs
    /// still going are aborted and their sessions saved as far as they got.
    pub stopping: tokio_util::sync::CancellationToken,
}

impl Agents {
    /// Serves `project`'s agents with sessions in `store`.
    pub fn new(project: agents::Project, store: Arc<dyn SessionStore>) -> Agents {
        Agents {
            project,
            store,
            queues: Mutex::default(),
            stopping: tokio_util::sync::CancellationToken::new(),
        }
    }

    fn queue(&self, session: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
        queues.entry(session.to_string()).or_default().clone()
    }

    /// Forgets the lock of `session` when no run holds or waits for it.
    fn release(&self, session: &str) {
        let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
        if queues
            .get(session)
            .is_some_and(|q| Arc::strong_count(q) == 1)
        {
            queues.remove(session);
        }
    }
}

/// The same answer for an unknown agent and one that takes no webhooks,
/// so callers cannot probe which agents exist.
fn no_agent(name: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no webhook agent '{name}'; an agent takes webhooks with 'webhook: true' in its file"
        ),
    )
    .details(json!({ "resource": "agent", "id": name }))
}

/// Session ids become file names in the store: the store's rule, checked
/// before a run starts so a 202 never hides a 400.
fn check_id(id: &str) -> Result<(), ApiError> {
    let ok = !id.is_empty()
        && id.len() <= 150
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "session id '{id}' may hold only letters, digits, '-', '_' and '.', must not \
             start with '.', and is at most 150 characters"
        ))
        .details(json!({ "field": "id" })))
    }
}

/// How a failed run answers a waiting client.
fn run_failure(err: &RunError, run_id: &str) -> ApiError {
    let (status, kind) = match err.kind() {
        RunErrorKind::BadRequest => (StatusCode::BAD_REQUEST, "invalid_request"),
        RunErrorKind::Definition if err.definition().is_some_and(|d| d.is_unknown_agent()) => {
            (StatusCode::NOT_FOUND, "not_found")
        }
        RunErrorKind::Definition => (StatusCode::INTERNAL_SERVER_ERROR, "agent_definition"),
        RunErrorKind::Setup => return ApiError::internal(err),
        _ => (StatusCode::BAD_GATEWAY, "run_failed"),
    };
    ApiError::new(status, kind, err.to_string()).details(json!({ "runId": run_id }))
}

/// `POST /agents/{name}/{id}`.
pub async fn trigger(
    State(state): State<AppState>,
    Path((name, id)): Path<(String, String)>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    let Some(agents) = state.agents.clone() else {
        return Err(no_agent(&name));
    };
    match agents.project.agent(&name) {
        Ok(def) if def.webhook => {}
        Ok(_) => return Err(no_agent(&name)),
        Err(e) if e.is_unknown_agent() => return Err(no_agent(&name)),
        Err(e) => return Err(ApiError::internal(e)),
    }
    check_id(&id)?;
    let payload = parse_payload(&headers, &body)?;
    let run = state.runs.start(&name, &id);
    let run_id = run.with(|r| r.id.clone());
    state.runs.save(&run).await;
    let task = tokio::spawn(execute(state.clone(), agents, run.clone(), payload));

    let wants = |name: header::HeaderName, value: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains(value))
    };
    if wants(header::HeaderName::from_static("x-webhook"), "true") {
        let body = json!({ "status": "accepted", "runId": run_id });
        return Ok((StatusCode::ACCEPTED, Json(body)).into_response());
    }
    if wants(header::ACCEPT, "text/event-stream") {
        let events = run_api::events_from(state.runs.clone(), run, 0);
        return Ok(run_api::sse(events).into_response());
    }
    match task.await {
        Ok(Ok(result)) => {
            Ok(Json(json!({ "result": result, "_meta": { "runId": run_id } })).into_response())
        }
        Ok(Err(err)) => Err(run_failure(&err, &run_id)),
        Err(join) => Err(ApiError::internal(format!("run {run_id} panicked: {join}"))),
    }
}

/// The payload: JSON (any value), or `null` for an empty body.
fn parse_payload(headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || m.ends_with("+json")
        });
    if !json_type {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the payload must be JSON; send it with Content-Type: application/json",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!("invalid JSON payload: {e}"))
            .details(json!({ "line": e.line(), "column": e.column() }))
    })
}

/// Runs the agent for `run` (after earlier runs of its session), records
/// its events and outcome, and saves the record.
async fn execute(
    state: AppState,
    agents: Arc<Agents>,
    run: Arc<Run>,
    payload: Value,
) -> Result<Value, RunError> {
    let (agent, session) = run.with(|r| (r.agent.clone(), r.session.clone()));
    let queue_key = format!("{agent}.{session}");
    let queue = agents.queue(&queue_key);
    let outcome = {
        let _turn = queue.lock().await;
        let saver = {
            let (state, run) = (state.clone(), run.clone());
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(SAVE_EVERY).await;
                    state.runs.save(&run).await;
                }
            })
        };
        let observer = run.clone();
        let observe = Arc::new(
            move |event: &wasm_agent_harness::Event| match serde_json::to_value(event) {
                Ok(value) => observer.push(value),
                Err(e) => eprintln!("wasm-agent serve: an event could not be encoded: {e}"),
            },
        );
        let request = RunRequest {
            agent,
            id: session,
            payload,
            interrupt: Some(agents.stopping.clone()),
            ..RunRequest::default()
        };
        let outcome = agents::run(&agents.project, request, agents.store.clone(), observe).await;
        // No periodic save may land after the final one.
        saver.abort();
        let _ = saver.await;
        outcome
    };
    drop(queue);
    agents.release(&queue_key);
    run.finish(match &outcome {
        Ok(output) => Ok((output.result.clone(), output.run_id.clone())),
        Err(err) => Err(err.to_string()),
    });
    state.runs.save(&run).await;
    outcome.map(|output| output.result)
}

/// `GET /admin/agents`: the project's agents.
pub async fn list(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let Some(agents) = &state.agents else {
        return Ok(Json(json!({ "agents": [] })));
    };
    let defs = agents.project.agents().map_err(ApiError::internal)?;
    let listed: Vec<_> = defs
        .iter()
        .map(|def| {
            json!({
                "name": def.name,
                "description": def.description,
                "model": def.model,
                "webhook": def.webhook,
                "has_result_schema": def.result.is_some(),
            })
        })
        .collect();
    Ok(Json(json!({ "agents": listed })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_checked() {
        assert!(check_id("issue-7.a_b").is_ok());
        for bad in ["", ".hidden", "a/b", "a b", &"x".repeat(151)] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn payloads_need_json() {
        let mut headers = HeaderMap::new();
        assert_eq!(parse_payload(&headers, b"  ").unwrap(), Value::Null);
        assert!(parse_payload(&headers, b"{}").is_err());
        headers.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        assert_eq!(
            parse_payload(&headers, b"{\"a\":1}").unwrap(),
            json!({"a": 1})
        );
        assert!(parse_payload(&headers, b"{\"a\":").is_err());
    }
}
