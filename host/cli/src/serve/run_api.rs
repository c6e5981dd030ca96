//! Handlers of the run routes: a run's record, its events (paged and
//! filtered), and its event stream (SSE: replay, then follow).

use super::error::ApiError;
use super::extract::QueryArgs;
use super::runs::{Registry, Run};
use super::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use serde_json::{json, Value};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// Most events one `GET /runs/{id}/events` returns.
const MAX_LIMIT: usize = 10_000;

/// How often a stream of another server's run looks for news in the
/// store (that server saves its record about once a second).
const REMOTE_POLL: Duration = Duration::from_secs(1);

/// Heartbeat comments keep proxies from closing an idle stream.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// `GET /runs/{id}`.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let run = state.runs.get(&id).await?;
    Ok(Json(run.with(|r| r.summary())))
}

/// `GET /admin/runs`.
pub async fn list(State(state): State<AppState>) -> Json<Value> {
    let runs: Vec<_> = state
        .runs
        .list()
        .iter()
        .map(|run| run.with(|r| r.summary()))
        .collect();
    Json(json!({ "runs": runs }))
}

/// The query of `GET /runs/{id}/events`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// Only events with a larger index.
    after: Option<u64>,
    /// Comma-separated event types (`tool_call,text_delta`).
    types: Option<String>,
    /// Most events to return (default and maximum 10,000).
    limit: Option<usize>,
}

/// `GET /runs/{id}/events?after=&types=&limit=` → `{"events": [...],
/// "next_after": <index to pass as after next time, or null>, "done"}`.
pub async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryArgs(query): QueryArgs<EventsQuery>,
) -> Result<Json<Value>, ApiError> {
    let run = state.runs.get(&id).await?;
    let limit = query.limit.unwrap_or(MAX_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::bad_request(format!(
            "limit {limit} is out of range; give 1 to {MAX_LIMIT}"
        ))
        .details(json!({ "field": "limit" })));
    }
    let types: Option<Vec<&str>> = query.types.as_deref().map(|t| {
        t.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect()
    });
    let start = query.after.map_or(0, |a| a as usize + 1);
    let (events, done) = run.with(|record| {
        let events: Vec<Value> = record
            .events
            .iter()
            .skip(start)
            .filter(|event| match &types {
                Some(types) => event["type"].as_str().is_some_and(|t| types.contains(&t)),
                None => true,
            })
            .take(limit)
            .cloned()
            .collect();
        (events, record.done())
    });
    let next_after = events
        .last()
        .map(|e| e["index"].clone())
        .unwrap_or(query.after.map_or(Value::Null, Value::from));
    Ok(Json(
        json!({ "events": events, "next_after": next_after, "done": done }),
    ))
}

/// The query of `GET /runs/{id}/stream`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamQuery {
    /// Resume after this index (like `Last-Event-ID`, which wins).
    after: Option<u64>,
}

/// `GET /runs/{id}/stream`: SSE of the run's events (`id:` = index),
/// resuming after `Last-Event-ID`, with heartbeat comments every 15 s and
/// a last `end` event holding the run's summary.
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    QueryArgs(query): QueryArgs<StreamQuery>,
) -> Result<impl axum::response::IntoResponse, ApiError> {
    let run = state.runs.get(&id).await?;
    let last = match headers.get("last-event-id") {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "Last-Event-ID must be the index of an event this stream sent",
                    )
                })?,
        ),
        None => query.after,
    };
    let start = last.map_or(0, |i| i as usize + 1);
    Ok(sse(events_from(state.runs.clone(), run, start)))
}

/// Wraps an event stream as an SSE response with heartbeats.
pub fn sse<S>(events: S) -> Sse<axum::response::sse::KeepAliveStream<S>>
where
    S: Stream<Item = Result<SseEvent, Infallible>> + Send + 'static,
{
    Sse::new(events).keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat"))
}

enum Step {
    Event(Value),
    End(Value),
    Wait,
}

/// The events of `run` from index `start`, then new ones as they come,
/// then an `end` event once the run is over.
pub fn events_from(
    registry: Arc<Registry>,
    run: Arc<Run>,
    start: usize,
) -> impl Stream<Item = Result<SseEvent, Infallible>> + Send + 'static {
    let rx = run.subscribe();
    stream::unfold(Some((run, start, rx)), move |state| {
        let registry = registry.clone();
        async move {
            let (run, next, mut rx) = state?;
            loop {
                // Seen before reading, so a change after the read wakes us.
                rx.borrow_and_update();
                let step = run.with(|r| {
                    if let Some(event) = r.events.get(next) {
                        Step::Event(event.clone())
                    } else if r.done() {
                        Step::End(r.summary())
                    } else {
                        Step::Wait
                    }
                });
                match step {
                    Step::Event(event) => {
                        let sse = SseEvent::default()
                            .id(next.to_string())
                            .data(event.to_string());
                        return Some((Ok(sse), Some((run, next + 1, rx))));
                    }
                    Step::End(summary) => {
                        let sse = SseEvent::default().event("end").data(summary.to_string());
                        return Some((Ok(sse), None));
                    }
                    Step::Wait if registry.is_local(&run) => {
                        if rx.changed().await.is_err() {
                            return None;
                        }
                    }
                    // Another server's run: its news is in the store.
                    Step::Wait => {
                        tokio::time::sleep(REMOTE_POLL).await;
                        registry.refresh(&run).await;
                    }
                }
            }
        }
    })
}
