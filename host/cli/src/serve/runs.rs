//! The runs a server started (agent webhooks): each run's events, status
//! and result, in memory while it runs and, with a shared store, as one
//! JSON record per run (`/runs/<id>.json`) that any instance can read.

use super::error::ApiError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;
use wasm_agent::vfs::{Errno, Vfs};

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Started, not finished.
    Running,
    /// Finished with a result.
    Succeeded,
    /// Finished with an error.
    Failed,
}

/// The part of a run that changes, and its saved form.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The run id (`run_…`).
    pub id: String,
    /// The agent.
    pub agent: String,
    /// The session id the webhook named.
    pub session: String,
    /// Where it stands.
    pub status: Status,
    /// The result, once succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The id the harness gave the run (its events carry it as `run_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub harness_run_id: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub created_ms: u64,
    /// When it finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_ms: Option<u64>,
    /// The events so far; each one's `index` is its position here.
    pub events: Vec<Value>,
}

impl Record {
    /// The run without its events (their count instead).
    pub fn summary(&self) -> Value {
        let mut value = serde_json::to_value(Record {
            events: Vec::new(),
            ..self.clone()
        })
        .unwrap_or(Value::Null);
        value["events"] = Value::from(self.events.len());
        value
    }

    /// True once the run has finished.
    pub fn done(&self) -> bool {
        self.status != Status::Running
    }
}

/// One run: its record, and a signal that ticks on every change.
#[derive(Debug)]
pub struct Run {
    record: Mutex<Record>,
    changed: watch::Sender<u64>,
}

impl Run {
    fn new(record: Record) -> Arc<Run> {
        Arc::new(Run {
            record: Mutex::new(record),
            changed: watch::Sender::new(0),
        })
    }

    /// Reads the record under its lock.
    pub fn with<T>(&self, read: impl FnOnce(&Record) -> T) -> T {
        read(&self.record.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn update(&self, change: impl FnOnce(&mut Record)) {
        change(&mut self.record.lock().unwrap_or_else(|e| e.into_inner()));
        self.changed.send_modify(|n| *n += 1);
    }

    /// Appends an event (serialised harness event), numbering it.
    pub fn push(&self, mut event: Value) {
        self.update(|record| {
            if let Some(harness_run) = event.get("run_id").and_then(Value::as_str) {
                if record.harness_run_id.is_none() && !harness_run.is_empty() {
                    record.harness_run_id = Some(harness_run.to_string());
                }
            }
            event["index"] = Value::from(record.events.len());
            record.events.push(event);
        });
    }

    /// Marks the run finished with `outcome`.
    pub fn finish(&self, outcome: Result<(Value, String), String>) {
        self.update(|record| {
            match outcome {
                Ok((result, harness_run_id)) => {
                    record.status = Status::Succeeded;
                    record.result = Some(result);
                    record.harness_run_id = Some(harness_run_id);
                }
                Err(error) => {
                    record.status = Status::Failed;
                    record.error = Some(error);
                }
            }
            record.finished_ms = Some(super::now_ms());
        });
    }

    /// Replaces the record with a newer save of it (another server's run).
    fn replace(&self, record: Record) {
        self.update(|current| {
            if record.events.len() >= current.events.len() {
                *current = record;
            }
        });
    }

    /// A receiver that wakes on every change after now.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

/// Run records in a shared filesystem (a bucket with `--store`).
#[derive(Debug, Clone)]
pub struct RunStore {
    fs: Arc<dyn Vfs>,
    dir: String,
}

impl RunStore {
    /// Records in `dir` of `fs`.
    pub fn new(fs: Arc<dyn Vfs>, dir: impl Into<String>) -> RunStore {
        RunStore {
            fs,
            dir: dir.into(),
        }
    }

    fn path(&self, id: &str) -> String {
        format!("{}/{id}.json", self.dir)
    }

    /// Saves `record` (replacing an older save), flushed to the store.
    pub async fn save(&self, record: &Record) -> Result<(), String> {
        let bytes = serde_json::to_vec(record).map_err(|e| e.to_string())?;
        let fail = |e: wasm_agent::vfs::VfsError| format!("cannot save run {}: {e}", record.id);
        self.fs.create_dir_all(&self.dir).await.map_err(fail)?;
        let temporary = format!("{}/.{}.{}.tmp", self.dir, record.id, std::process::id());
        self.fs.write_file(&temporary, &bytes).await.map_err(fail)?;
        self.fs
            .rename(&temporary, &self.path(&record.id))
            .await
            .map_err(fail)?;
        self.fs.flush().await.map_err(fail)
    }

    /// The record of run `id`, if saved.
    pub async fn load(&self, id: &str) -> Result<Option<Record>, String> {
        let bytes = match self.fs.read_file(&self.path(id)).await {
            Ok(bytes) => bytes,
            Err(e) if matches!(e.errno(), Errno::NoEnt | Errno::NotDir) => return Ok(None),
            Err(e) => return Err(format!("cannot read run {id}: {e}")),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| format!("the record of run {id} is corrupt: {e}"))
    }
}

/// Finished runs kept in memory; older ones are forgotten (with a store,
/// they stay readable from it).
const KEPT_RUNS: usize = 1000;

/// The runs of this server, and the shared store of every server's.
#[derive(Debug)]
pub struct Registry {
    runs: RwLock<HashMap<String, Arc<Run>>>,
    store: Option<RunStore>,
    /// Runs kept in memory before finished ones are forgotten.
    kept: usize,
}

impl Registry {
    /// A registry saving records in `store` (none: memory only).
    pub fn new(store: Option<RunStore>) -> Registry {
        Registry {
            runs: RwLock::default(),
            store,
            kept: KEPT_RUNS,
        }
    }

    /// Starts a run of `agent` for session `session`.
    pub fn start(&self, agent: &str, session: &str) -> Arc<Run> {
        let run = Run::new(Record {
            id: super::new_id("run"),
            agent: agent.to_string(),
            session: session.to_string(),
            status: Status::Running,
            result: None,
            error: None,
            harness_run_id: None,
            created_ms: super::now_ms(),
            finished_ms: None,
            events: Vec::new(),
        });
        let id = run.with(|r| r.id.clone());
        let mut map = self.runs.write().unwrap_or_else(|e| e.into_inner());
        map.insert(id, run.clone());
        if map.len() > self.kept {
            let mut finished: Vec<(u64, String)> = map
                .iter()
                .filter(|(_, run)| run.with(Record::done))
                .map(|(id, run)| (run.with(|r| r.created_ms), id.clone()))
                .collect();
            finished.sort();
            let excess = map.len() - self.kept;
            for (_, id) in finished.into_iter().take(excess) {
                map.remove(&id);
            }
        }
        run
    }

    /// Saves `run`'s record to the shared store, if there is one. A
    /// failure is logged, not fatal: the run itself went fine.
    pub async fn save(&self, run: &Run) {
        if let Some(store) = &self.store {
            let record = run.with(Record::clone);
            if let Err(e) = store.save(&record).await {
                eprintln!("wasm-agent serve: {e}");
            }
        }
    }

    /// The run `id`: this server's, else a finished or running one
    /// another server saved in the store, else a 404.
    pub async fn get(&self, id: &str) -> Result<Arc<Run>, ApiError> {
        if let Some(run) = self.runs.read().unwrap_or_else(|e| e.into_inner()).get(id) {
            return Ok(run.clone());
        }
        let Some(store) = &self.store else {
            return Err(ApiError::not_found("run", id));
        };
        if !id.starts_with("run_") || !id[4..].chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ApiError::not_found("run", id));
        }
        match store.load(id).await.map_err(ApiError::internal)? {
            Some(record) => Ok(Run::new(record)),
            None => Err(ApiError::not_found("run", id)),
        }
    }

    /// True if `run` is one of this server's (its changes come as they
    /// happen, not from the store).
    pub fn is_local(&self, run: &Arc<Run>) -> bool {
        let id = run.with(|r| r.id.clone());
        let map = self.runs.read().unwrap_or_else(|e| e.into_inner());
        map.get(&id).is_some_and(|local| Arc::ptr_eq(local, run))
    }

    /// Reloads another server's `run` from the store.
    pub async fn refresh(&self, run: &Run) {
        let Some(store) = &self.store else { return };
        let id = run.with(|r| r.id.clone());
        match store.load(&id).await {
            Ok(Some(record)) => run.replace(record),
            Ok(None) => {}
            Err(e) => eprintln!("wasm-agent serve: {e}"),
        }
    }

    /// Waits until none of this server's runs is running.
    pub async fn wait_until_idle(&self) {
        loop {
            let running: Vec<Arc<Run>> = self
                .list()
                .into_iter()
                .filter(|run| !run.with(Record::done))
                .collect();
            let Some(run) = running.first() else { return };
            let mut changes = run.subscribe();
            while !run.with(Record::done) {
                if changes.changed().await.is_err() {
                    break;
                }
            }
        }
    }

    /// Saves every run of this server to the shared store (at shutdown).
    pub async fn save_all(&self) {
        for run in self.list() {
            self.save(&run).await;
        }
    }

    /// This server's runs, oldest first.
    pub fn list(&self) -> Vec<Arc<Run>> {
        let map = self.runs.read().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<_> = map.values().cloned().collect();
        all.sort_by_key(|run| run.with(|r| (r.created_ms, r.id.clone())));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_agent::vfs::MemFs;

    #[tokio::test]
    async fn events_are_numbered_and_records_round_trip() {
        let store = RunStore::new(Arc::new(MemFs::new()), "/runs");
        let registry = Registry::new(Some(store.clone()));
        let run = registry.start("triage", "issue-1");
        let changes = run.subscribe();
        run.push(json!({"type": "run_start", "index": 17, "run_id": "h1"}));
        run.push(json!({"type": "idle", "index": 18, "run_id": ""}));
        assert!(changes.has_changed().unwrap());
        run.finish(Ok((json!({"ok": true}), "h1".into())));
        registry.save(&run).await;
        let id = run.with(|r| r.id.clone());
        let loaded = store.load(&id).await.unwrap().unwrap();
        assert_eq!(loaded.events[1]["index"], 1);
        assert_eq!(loaded.status, Status::Succeeded);
        assert_eq!(loaded.harness_run_id.as_deref(), Some("h1"));
        assert_eq!(loaded.summary()["events"], 2);
        // Another registry over the same store finds it.
        let other = Registry::new(Some(store));
        assert!(other.get(&id).await.unwrap().with(Record::done));
        assert!(other.get("run_nope").await.is_err());
        assert!(other.get("../etc").await.is_err());
    }

    #[tokio::test]
    async fn old_finished_runs_are_forgotten_running_ones_kept() {
        let registry = Registry {
            kept: 2,
            ..Registry::new(None)
        };
        let running = registry.start("a", "1");
        let done = registry.start("a", "2");
        done.finish(Err("failed".into()));
        let third = registry.start("a", "3");
        let ids = |r: &Arc<Run>| r.with(|r| r.id.clone());
        assert!(registry.get(&ids(&running)).await.is_ok());
        assert!(registry.get(&ids(&done)).await.is_err());
        assert!(registry.get(&ids(&third)).await.is_ok());
    }
}
