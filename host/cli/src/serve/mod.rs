//! `wasm-agent serve`: sandboxes, agent runs and webhooks over HTTP.
//!
//! Every route answers JSON, and every failure is one envelope
//! `{"error": {"type": "...", "message": "...", "details": ...}}` with the
//! status that fits: 400 invalid JSON or arguments, 401 a missing or wrong
//! bearer token (when the server has one), 403 a kind of sandbox the
//! server was not started to allow, 404 an unknown route, sandbox,
//! snapshot, run or agent, 405 a wrong method, 409 a conflicting file
//! operation, 413 a body over the limit, 415 a body that is not JSON, 429
//! more sandboxes than `--max-sandboxes`, 502 an agent run that failed, 500
//! with an incident number only (the cause goes to the server's stderr).
//! `GET /openapi.json` describes every route.
//!
//! # Sandboxes
//!
//! - `POST /sandboxes` body (optional; no `kind` means memory):
//!   `{"kind": "memory", "cwd"?}`,
//!   `{"kind": "host_dir", "path": "/abs", "read_only"?, "cwd"?}` (with
//!   `--allow-host-dirs`),
//!   `{"kind": "bucket", "url": "s3://b/p", "endpoint"?, "region"?,
//!   "path_style"?, "cwd"?}` (with `--allow-buckets`; the server's S3
//!   credentials),
//!   `{"kind": "fork", "of": "sbx_…"}`, `{"kind": "snapshot", "of":
//!   "snap_…"}` → 201 `{"id", "kind", "cwd", "parent"?, "created_ms"}`.
//! - `GET /sandboxes` → `{"sandboxes": [...]}`; `GET /sandboxes/{id}`;
//!   `DELETE /sandboxes/{id}` → 204.
//! - `POST /sandboxes/{id}/exec` `{"command", "cwd"?, "env"?: {..},
//!   "timeout"?: seconds, "stdin"?}` → `{"stdout", "stderr", "exit_code",
//!   "duration_ms"}` (a failing command is a 200 with its exit code).
//! - `GET /sandboxes/{id}/files?path=P` → the bytes;
//!   `GET …/files?path=P&list` or `GET …/files/list?path=P` →
//!   `{"path", "entries": [{"name", "path", "type": "file"|"dir"|"symlink",
//!   "size", "mtime_ms"}]}`; `PUT …/files?path=P` (raw body, parents
//!   created) → `{"path", "size"}`; `DELETE …/files?path=P[&recursive]` →
//!   204; `GET …/stat?path=P` → `{"path", "type", "size", "mtime_ms"}`.
//! - `POST /sandboxes/{id}/snapshots` → 201 `{"id": "snap_…", "sandbox",
//!   "created_ms"}`; `GET /snapshots`; `DELETE /snapshots/{id}`;
//!   `POST /sandboxes/{id}/fork` → 201 (the new sandbox).
//!
//! Fork and snapshot are O(1) on memory sandboxes (copy-on-write trees).
//!
//! # Agents and runs
//!
//! See [`webhooks`] (`POST /agents/{name}/{id}`) and [`run_api`]
//! (`GET /runs/{id}`, `/runs/{id}/events`, `/runs/{id}/stream`); with
//! `--admin`, `GET /admin/agents`, `/admin/runs`, `/admin/sandboxes`.
//! Sessions and run records live where [`stores`] says.

mod auth;
mod error;
mod extract;
mod files;
mod openapi;
mod run_api;
mod runs;
mod sandbox_api;
mod sandboxes;
mod stores;
mod webhooks;

use crate::s3_args::S3Args;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{StatusCode, Uri};
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use clap::Args;
use error::ApiError;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use wasm_agent::{Error, ErrorKind, Result, Runtime};

/// Flags of `wasm-agent serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The port to listen on; 0 picks a free one (the address is printed
    /// on stdout at start).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on. Anything but a loopback address exposes
    /// the sandboxes to the network: set a token.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Require `Authorization: Bearer TOKEN` on every route but
    /// `/health` (default: the WASM_AGENT_TOKEN variable; none: open).
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// Allow `host_dir` sandboxes (any host directory the server can read).
    #[arg(long)]
    allow_host_dirs: bool,
    /// Allow `bucket` sandboxes, opened with the server's S3 credentials.
    #[arg(long)]
    allow_buckets: bool,
    /// Largest JSON request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10 << 20)]
    max_body: usize,
    /// Largest file upload (`PUT /sandboxes/{id}/files`), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 256 << 20)]
    max_file: usize,
    /// Most sandboxes alive at once; creating more answers 429 until some
    /// are deleted (each memory sandbox may hold up to 4 GiB).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_sandboxes: usize,
    /// Serve the read-only admin routes (/admin/agents, /admin/runs,
    /// /admin/sandboxes).
    #[arg(long)]
    admin: bool,
    /// Keep sessions and run records in a bucket
    /// (`s3://bucket/prefix`) instead of `<project>/.wasm-agent/sessions`,
    /// so several servers share them.
    #[arg(long, value_name = "s3://BUCKET[/PREFIX]")]
    store: Option<String>,
    /// The project whose agents take webhooks (default: the one holding
    /// the current directory, if any; without one only sandboxes are
    /// served).
    #[arg(long, value_name = "DIR")]
    project: Option<std::path::PathBuf>,
    /// How to reach the server of the --store bucket.
    #[command(flatten)]
    s3: S3Args,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    runtime: Runtime,
    sandboxes: Arc<sandboxes::Registry>,
    runs: Arc<runs::Registry>,
    agents: Option<Arc<webhooks::Agents>>,
    permissions: sandboxes::Permissions,
    token: Option<Arc<str>>,
    admin: bool,
}

/// A fresh id like `sbx_5f0c…`: the time and a per-process random key,
/// so ids from two servers (or restarts) do not collide.
pub fn new_id(prefix: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static KEYS: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = KEYS.get_or_init(Default::default).build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{prefix}_{:016x}", hasher.finish())
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Runs the server until the process is stopped. The caller's runtime
/// has one thread; the server gets a multi-thread runtime of its own on
/// a separate thread, so requests and sandbox commands run in parallel.
pub async fn run(args: ServeArgs) -> Result<i32> {
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("wasm-agent-serve".into())
        .spawn(move || {
            let outcome = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Io,
                        format!("cannot start the server runtime: {e}"),
                    )
                })
                .and_then(|rt| rt.block_on(serve(args)));
            let _ = done.send(outcome);
        })
        .map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!("cannot start the server thread: {e}"),
            )
        })?;
    result.await.map_err(|_| {
        Error::new(
            ErrorKind::Runtime,
            "the server thread ended without a result",
        )
    })?
}

async fn serve(args: ServeArgs) -> Result<i32> {
    let token = args
        .token
        .clone()
        .or_else(|| std::env::var("WASM_AGENT_TOKEN").ok())
        .filter(|t| !t.is_empty());
    let project = open_project(args.project.as_deref())?;
    let runtime = match &project {
        Some(project) => project
            .runtime()
            .map_err(|e| Error::new(ErrorKind::Runtime, e))?,
        None => Runtime::builder().build()?,
    };
    // Compile or map the tools now: a broken install fails at start, not
    // at the first request.
    let preload = runtime.clone();
    tokio::task::spawn_blocking(move || preload.preload())
        .await
        .map_err(|e| Error::new(ErrorKind::Runtime, format!("loading the tools failed: {e}")))??;
    let (sessions, run_store) = stores::open(&args, project.as_ref()).await?;
    let state = AppState {
        runtime,
        sandboxes: Arc::new(sandboxes::Registry::new(args.max_sandboxes)),
        runs: Arc::new(runs::Registry::new(run_store)),
        agents: match (project, sessions) {
            (Some(project), Some(sessions)) => {
                Some(Arc::new(webhooks::Agents::new(project, sessions)))
            }
            _ => None,
        },
        permissions: sandboxes::Permissions {
            host_dirs: args.allow_host_dirs,
            buckets: args.allow_buckets,
        },
        token: token.map(Arc::from),
        admin: args.admin,
    };
    if state.token.is_none() && !auth::is_loopback(&args.host) {
        eprintln!(
            "wasm-agent serve: warning: listening on {} without a token: anyone who can \
             reach it can run commands; pass --token or set WASM_AGENT_TOKEN",
            args.host
        );
    }
    let runs = state.runs.clone();
    let stopping = state.agents.as_ref().map(|agents| agents.stopping.clone());
    let app = router(state, args.max_body, args.max_file);
    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| {
            Error::new(
                ErrorKind::Io,
                format!(
                    "cannot listen on {}:{}: {e}; pick another --port (0 = any free one)",
                    args.host, args.port
                ),
            )
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read the bound address: {e}")))?;
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "wasm-agent serve: listening on http://{addr}");
        let _ = out.flush();
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = std::future::IntoFuture::into_future(
        axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stopped.await;
        }),
    );
    tokio::pin!(server);
    tokio::select! {
        served = &mut server => {
            served.map_err(|e| Error::new(ErrorKind::Io, format!("the server stopped: {e}")))?;
        }
        signal = shutdown_signal() => {
            eprintln!(
                "wasm-agent serve: {signal}: no new requests; finishing the runs in progress \
                 (at most {} s; send it again to stop at once)",
                SHUTDOWN_GRACE.as_secs()
            );
            let _ = stop.send(());
            let finished = async {
                runs.wait_until_idle().await;
                // Requests still open (a stream of a finished run ends
                // by itself) get the rest of the grace period.
                let _ = (&mut server).await;
            };
            let done = tokio::select! {
                finished = tokio::time::timeout(SHUTDOWN_GRACE, finished) => finished.is_ok(),
                again = shutdown_signal() => {
                    eprintln!("wasm-agent serve: {again} again: stopping now");
                    false
                }
            };
            if !done {
                // Abort what is still running; each run saves its session
                // as far as it got.
                if let Some(stopping) = &stopping {
                    stopping.cancel();
                    let _ = tokio::time::timeout(ABORT_GRACE, runs.wait_until_idle()).await;
                }
            }
            runs.save_all().await;
        }
    }
    Ok(0)
}

/// How long a stopping server waits for runs in progress.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// How long aborted runs get to save their sessions.
const ABORT_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Resolves at Ctrl-C or SIGTERM, naming which.
async fn shutdown_signal() -> &'static str {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
        "interrupted"
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => tokio::select! {
                name = interrupt => name,
                _ = terminate.recv() => "terminated",
            },
            Err(_) => interrupt.await,
        }
    }
    #[cfg(not(unix))]
    interrupt.await
}

/// The project named by `--project`, else the one holding the current
/// directory; none (and a note on stderr) when there is none.
fn open_project(dir: Option<&std::path::Path>) -> Result<Option<crate::agents::Project>> {
    let invalid =
        |e: crate::agents::DefinitionError| Error::new(ErrorKind::InvalidArgument, e.to_string());
    if let Some(dir) = dir {
        return crate::agents::Project::open(dir).map(Some).map_err(invalid);
    }
    let here = std::env::current_dir().map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read the current directory: {e}"),
        )
    })?;
    match crate::agents::Project::discover(&here) {
        Ok(project) => Ok(Some(project)),
        Err(e) if e.path().is_none() => {
            eprintln!("wasm-agent serve: no agents served ({e}); sandboxes only");
            Ok(None)
        }
        Err(e) => Err(invalid(e)),
    }
}

/// Every route, with the auth check, the error envelope and body limits.
fn router(state: AppState, max_body: usize, max_file: usize) -> Router {
    let upload = files::write.layer(DefaultBodyLimit::max(max_file));
    let mut app = Router::new()
        .route(
            "/health",
            get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
        )
        .route("/openapi.json", get(openapi::document))
        .route(
            "/sandboxes",
            post(sandbox_api::create).get(sandbox_api::list),
        )
        .route(
            "/sandboxes/{id}",
            get(sandbox_api::get).delete(sandbox_api::delete),
        )
        .route("/sandboxes/{id}/exec", post(sandbox_api::exec))
        .route(
            "/sandboxes/{id}/files",
            get(files::read).put(upload).delete(files::remove),
        )
        .route("/sandboxes/{id}/files/list", get(files::list))
        .route("/sandboxes/{id}/stat", get(files::stat))
        .route("/sandboxes/{id}/snapshots", post(sandbox_api::snapshot))
        .route("/sandboxes/{id}/fork", post(sandbox_api::fork))
        .route("/agents/{name}/{id}", post(webhooks::trigger))
        .route("/runs/{id}", get(run_api::get))
        .route("/runs/{id}/events", get(run_api::events))
        .route("/runs/{id}/stream", get(run_api::stream))
        .route("/snapshots", get(sandbox_api::list_snapshots))
        .route(
            "/snapshots/{id}",
            axum::routing::delete(sandbox_api::delete_snapshot),
        );
    if state.admin {
        app = app
            .route("/admin/sandboxes", get(sandbox_api::list))
            .route("/admin/runs", get(run_api::list))
            .route("/admin/agents", get(webhooks::list));
    }
    app.fallback(unknown_route)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::map_response(error::envelope))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

async fn unknown_route(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route {}; GET /openapi.json lists them", uri.path()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_prefixed() {
        let (a, b) = (new_id("sbx"), new_id("sbx"));
        assert_ne!(a, b);
        assert!(a.starts_with("sbx_") && a.len() == 20, "{a}");
    }
}
