//! The tools the MCP server offers: the harness built-ins (`bash`, `read`,
//! `write`, `edit`, `grep`, `glob`) unchanged, plus `snapshot`, `restore`
//! and `fork` over the server's sandboxes.
//!
//! The server holds one sandbox, `main`, for its whole life. `fork` adds
//! named copy-on-write children; every built-in takes an optional
//! `sandbox` argument naming the one to act on, so a client can try two
//! approaches side by side without either seeing the other's files.
//! Snapshots are kept by id and may be restored into any sandbox.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use wasm_agent::{Sandbox, Snapshot};
use wasm_agent_harness::sandbox_api::SandboxApi;
use wasm_agent_harness::tools::{builtin_tools, validate, Tool, ToolContext};

/// The sandbox every call acts on unless it names another.
pub const MAIN: &str = "main";

/// What a tool call gives back: MCP `content` text, `isError`, and for
/// tools with an output schema the `structuredContent`.
#[derive(Debug)]
pub struct CallResult {
    /// The text the client reads.
    pub text: String,
    /// The call failed; `text` says why and what to do.
    pub is_error: bool,
    /// Machine-readable result (the snapshot id…), if the tool has one.
    pub structured: Option<Value>,
}

impl CallResult {
    fn ok(text: impl Into<String>) -> CallResult {
        CallResult {
            text: text.into(),
            is_error: false,
            structured: None,
        }
    }

    fn error(text: impl Into<String>) -> CallResult {
        CallResult {
            text: text.into(),
            is_error: true,
            structured: None,
        }
    }

    /// The MCP `tools/call` result object.
    pub fn to_json(&self) -> Value {
        let mut result = json!({
            "content": [{"type": "text", "text": self.text}],
            "isError": self.is_error,
        });
        if let Some(structured) = &self.structured {
            result["structuredContent"] = structured.clone();
        }
        result
    }
}

/// The sandboxes of one server and the tools acting on them.
pub struct Workspace {
    sandboxes: Mutex<BTreeMap<String, Arc<Sandbox>>>,
    snapshots: Mutex<BTreeMap<String, Snapshot>>,
    next_snapshot: Mutex<u64>,
    /// `Err(why)` when the sandbox has storage a snapshot cannot roll back.
    snapshots_allowed: Result<(), String>,
    builtins: Vec<Arc<dyn Tool>>,
}

impl Workspace {
    /// A workspace whose `main` sandbox is `sandbox`. `snapshots_allowed`
    /// is `Err(reason)` when `snapshot`/`restore` must refuse.
    pub fn new(sandbox: Sandbox, snapshots_allowed: Result<(), String>) -> Workspace {
        Workspace {
            sandboxes: Mutex::new(BTreeMap::from([(MAIN.to_string(), Arc::new(sandbox))])),
            snapshots: Mutex::new(BTreeMap::new()),
            next_snapshot: Mutex::new(1),
            snapshots_allowed,
            builtins: builtin_tools(),
        }
    }

    /// The `main` sandbox (to flush it at exit).
    pub fn main_sandbox(&self) -> Arc<Sandbox> {
        self.sandbox(MAIN)
            .expect("the main sandbox is never removed")
    }

    /// `tools/list`: every tool with its JSON Schema.
    pub fn list(&self) -> Vec<Value> {
        let mut tools: Vec<Value> = self
            .builtins
            .iter()
            .map(|tool| {
                json!({
                    "name": tool.name(),
                    "description": tool.description(),
                    "inputSchema": with_sandbox_arg(tool.parameters()),
                })
            })
            .collect();
        tools.extend(own_tools());
        tools
    }

    /// `tools/call`: `Err` only for a tool that does not exist (a protocol
    /// error); everything else, bad arguments included, is a result.
    pub async fn call(&self, name: &str, args: Value) -> Result<CallResult, String> {
        match name {
            "snapshot" => return Ok(self.call_own(name, &args, Self::snapshot)),
            "restore" => return Ok(self.call_own(name, &args, Self::restore)),
            "fork" => return Ok(self.call_own(name, &args, Self::fork)),
            _ => {}
        }
        let Some(tool) = self.builtins.iter().find(|tool| tool.name() == name) else {
            let mut names: Vec<String> =
                self.builtins.iter().map(|t| t.name().to_string()).collect();
            names.extend(["snapshot", "restore", "fork"].map(String::from));
            return Err(format!(
                "unknown tool '{name}'; the tools are {} (see tools/list)",
                names.join(", ")
            ));
        };
        let (sandbox, args) = match self.take_sandbox_arg(name, args) {
            Ok(found) => found,
            Err(message) => return Ok(CallResult::error(message)),
        };
        let ctx = ToolContext::new(sandbox as Arc<dyn SandboxApi>);
        let output = tool.call(&ctx, args).await;
        Ok(CallResult {
            text: output.content,
            is_error: output.is_error,
            structured: None,
        })
    }

    /// Removes the `sandbox` argument the built-ins do not know and finds
    /// the sandbox it names.
    fn take_sandbox_arg(
        &self,
        tool: &str,
        mut args: Value,
    ) -> Result<(Arc<Sandbox>, Value), String> {
        let name = match args.as_object_mut().and_then(|map| map.remove("sandbox")) {
            None | Some(Value::Null) => MAIN.to_string(),
            Some(Value::String(name)) => name,
            Some(other) => {
                return Err(format!(
                    "{tool}: argument 'sandbox' must be a string (a sandbox name), got {other}"
                ))
            }
        };
        Ok((self.sandbox_or_error(&name)?, args))
    }

    fn call_own(
        &self,
        name: &str,
        args: &Value,
        run: fn(&Workspace, &Map<String, Value>) -> Result<CallResult, String>,
    ) -> CallResult {
        let schema = own_tools()
            .into_iter()
            .find(|tool| tool["name"] == name)
            .map(|tool| tool["inputSchema"].clone())
            .unwrap_or_default();
        match validate(name, &schema, args).and_then(|args| run(self, &args)) {
            Ok(result) => result,
            Err(message) => CallResult::error(message),
        }
    }

    fn snapshot(&self, args: &Map<String, Value>) -> Result<CallResult, String> {
        self.snapshots_allowed
            .clone()
            .map_err(|why| format!("snapshot: {why}"))?;
        let sandbox_name = str_arg(args, "sandbox").unwrap_or(MAIN);
        let sandbox = self.sandbox_or_error(sandbox_name)?;
        let snapshot = sandbox
            .snapshot()
            .map_err(|err| format!("snapshot: cannot save sandbox '{sandbox_name}': {err}"))?;
        let mut snapshots = lock(&self.snapshots);
        let id = match str_arg(args, "name") {
            Some(name) => checked_name("snapshot", "name", name)?.to_string(),
            None => {
                let mut next = lock(&self.next_snapshot);
                loop {
                    let id = format!("snap-{next}");
                    *next += 1;
                    if !snapshots.contains_key(&id) {
                        break id;
                    }
                }
            }
        };
        let replaced = snapshots.insert(id.clone(), snapshot).is_some();
        let verb = if replaced { "replaced" } else { "saved" };
        Ok(CallResult {
            text: format!(
                "Snapshot '{id}' of sandbox '{sandbox_name}' {verb}; \
                 restore it with restore {{\"id\": \"{id}\"}}."
            ),
            is_error: false,
            structured: Some(json!({"id": id, "sandbox": sandbox_name})),
        })
    }

    fn restore(&self, args: &Map<String, Value>) -> Result<CallResult, String> {
        self.snapshots_allowed
            .clone()
            .map_err(|why| format!("restore: {why}"))?;
        let id = str_arg(args, "id").unwrap_or_default();
        let sandbox_name = str_arg(args, "sandbox").unwrap_or(MAIN);
        let sandbox = self.sandbox_or_error(sandbox_name)?;
        let snapshots = lock(&self.snapshots);
        let Some(snapshot) = snapshots.get(id) else {
            let known: Vec<&str> = snapshots.keys().map(String::as_str).collect();
            return Err(if known.is_empty() {
                format!("restore: no snapshot '{id}'; there are none yet, take one with snapshot")
            } else {
                format!(
                    "restore: no snapshot '{id}'; snapshots: {}",
                    known.join(", ")
                )
            });
        };
        sandbox
            .restore(snapshot)
            .map_err(|err| format!("restore: cannot restore '{id}': {err}"))?;
        Ok(CallResult::ok(format!(
            "Sandbox '{sandbox_name}' restored to snapshot '{id}' (the snapshot stays available)."
        )))
    }

    fn fork(&self, args: &Map<String, Value>) -> Result<CallResult, String> {
        let name = checked_name("fork", "name", str_arg(args, "name").unwrap_or_default())?;
        let from = str_arg(args, "from").unwrap_or(MAIN);
        let parent = self.sandbox_or_error(from)?;
        let child = parent
            .fork()
            .map_err(|err| format!("fork: cannot fork sandbox '{from}': {err}"))?;
        let mut sandboxes = lock(&self.sandboxes);
        if sandboxes.contains_key(name) {
            return Err(format!(
                "fork: a sandbox named '{name}' already exists; choose another name"
            ));
        }
        sandboxes.insert(name.to_string(), Arc::new(child));
        Ok(CallResult {
            text: format!(
                "Sandbox '{name}' forked from '{from}'; pass \"sandbox\": \"{name}\" to bash, read, \
                 write, edit, grep, glob, snapshot or restore to work in it."
            ),
            is_error: false,
            structured: Some(json!({"sandbox": name, "from": from})),
        })
    }

    fn sandbox(&self, name: &str) -> Option<Arc<Sandbox>> {
        lock(&self.sandboxes).get(name).cloned()
    }

    fn sandbox_or_error(&self, name: &str) -> Result<Arc<Sandbox>, String> {
        self.sandbox(name).ok_or_else(|| {
            let known: Vec<String> = lock(&self.sandboxes).keys().cloned().collect();
            format!(
                "unknown sandbox '{name}' (sandboxes: {}); create one with fork",
                known.join(", ")
            )
        })
    }
}

/// A poisoned lock only means another call panicked; the maps stay valid.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn str_arg<'a>(args: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    args.get(name).and_then(Value::as_str)
}

/// Names of sandboxes and snapshots: short, and safe to echo anywhere.
fn checked_name<'a>(tool: &str, arg: &str, name: &'a str) -> Result<&'a str, String> {
    let fits = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if fits {
        Ok(name)
    } else {
        Err(format!(
            "{tool}: argument '{arg}' must be 1 to 64 letters, digits, '-', '_' or '.', got '{name}'"
        ))
    }
}

/// A built-in's schema with the optional `sandbox` argument added.
fn with_sandbox_arg(mut schema: Value) -> Value {
    if let Some(properties) = schema["properties"].as_object_mut() {
        properties.insert("sandbox".to_string(), sandbox_property());
    }
    schema
}

fn sandbox_property() -> Value {
    json!({
        "type": "string",
        "description": "The sandbox to act on: 'main' (default) or a name created with fork"
    })
}

/// `snapshot`, `restore` and `fork` as `tools/list` shows them.
fn own_tools() -> Vec<Value> {
    vec![
        json!({
            "name": "snapshot",
            "description": "Save the current state of a sandbox's files (O(1), copy-on-write) and \
                return its id; restore it later with restore. Only for in-memory sandboxes \
                (server started with --memory and no --mount/--s3).",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "Id to save it under (default: a new snap-N); an existing snapshot of that name is replaced"},
                    "sandbox": sandbox_property(),
                },
                "additionalProperties": false
            },
            "outputSchema": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "sandbox": {"type": "string"}},
                "required": ["id", "sandbox"]
            }
        }),
        json!({
            "name": "restore",
            "description": "Return a sandbox's files to a snapshot taken with snapshot. The \
                snapshot stays available, so it can be restored again.",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "The id snapshot returned"},
                    "sandbox": sandbox_property(),
                },
                "required": ["id"],
                "additionalProperties": false
            }
        }),
        json!({
            "name": "fork",
            "description": "Create a named copy-on-write copy of a sandbox; pass its name as \
                'sandbox' to the other tools to work in it. Changes in a fork and in its \
                parent never show in the other; a fork's writes under a mounted host \
                directory or bucket stay in the fork and never reach the host.",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "Name of the new sandbox (letters, digits, - _ .)"},
                    "from": {"type": "string", "description": "The sandbox to copy (default 'main')"},
                },
                "required": ["name"],
                "additionalProperties": false
            },
            "outputSchema": {
                "type": "object",
                "properties": {"sandbox": {"type": "string"}, "from": {"type": "string"}},
                "required": ["sandbox", "from"]
            }
        }),
    ]
}
