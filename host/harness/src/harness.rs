//! The harness: a sandbox, models, tools and sessions, set up once.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use crate::agent_loop::LoopError;
use crate::commands::Command;
use crate::compaction::CompactionConfig;
use crate::context::{ModelChoice, Role, Roles};
use crate::events::{EventKind, Events, Subscription};
use crate::mcp::{McpOptions, McpServer};
use crate::provider::{ProviderConfig, Providers};
use crate::sandbox_api::SandboxApi;
use crate::session::{Session, SessionInner, ShellOptions, ShellResult};
use crate::store::{SessionStore, StoreError};
use crate::thinking::ThinkingLevel;
use crate::tools::Tool;

/// Where the harness's sandbox comes from.
#[derive(Debug, Default)]
pub enum SandboxSource {
    /// An empty in-memory sandbox with `/home/user` (the working
    /// directory) and `/tmp`.
    #[default]
    Memory,
    /// A host directory, seen by the agent as `/` (changes go straight
    /// to the host).
    HostDir(PathBuf),
    /// A bucket (S3, Tigris, R2, MinIO…), seen by the agent as `/`.
    Bucket(Box<wasm_agent::s3::S3Config>),
    /// A sandbox built by the caller (any filesystem, host commands,
    /// limits), or any other [`SandboxApi`] implementation.
    Custom(Arc<dyn SandboxApi>),
}

/// How to set up a [`Harness`]. Every field has a default; a model must be
/// given here, by a role, or by every call.
#[derive(Default)]
pub struct InitOptions {
    /// The default model, `provider/model-id` (`anthropic/claude-sonnet-4-5`).
    pub model: Option<String>,
    /// The sandbox the agent works in.
    pub sandbox: SandboxSource,
    /// The wasm runtime for built-in sandboxes; default: a new one.
    pub runtime: Option<wasm_agent::Runtime>,
    /// Custom tools offered in every call (names must not clash with the
    /// built-ins).
    pub tools: Vec<Arc<dyn Tool>>,
    /// Host commands granted to every operation.
    pub commands: Vec<Command>,
    /// The default role's name.
    pub role: Option<String>,
    /// Roles defined in code, on top of those in the roles directory.
    pub roles: Vec<Role>,
    /// Where role files are (a sandbox path); default
    /// `<cwd>/.agents/roles`.
    pub roles_dir: Option<String>,
    /// The default thinking level.
    pub thinking_level: Option<ThinkingLevel>,
    /// Where sessions are saved (after every operation), so they survive
    /// restarts; `None`: kept in memory for the harness's lifetime.
    pub persist: Option<Arc<dyn SessionStore>>,
    /// When to summarise long conversations.
    pub compaction: CompactionConfig,
    /// A name for the harness (in run ids and logs); default `agent`.
    pub name: Option<String>,
    /// The working directory of sessions; default: the sandbox's.
    pub cwd: Option<String>,
    /// The providers; default [`Providers::standard`].
    pub providers: Option<Providers>,
    /// The start of every system prompt; default: a short description of
    /// the sandbox and the tools.
    pub system_prompt: Option<String>,
    /// Most model calls per operation; default 50.
    pub max_turns: Option<u32>,
}

impl fmt::Debug for InitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tools: Vec<&str> = self.tools.iter().map(|t| t.name()).collect();
        f.debug_struct("InitOptions")
            .field("model", &self.model)
            .field("sandbox", &self.sandbox)
            .field("tools", &tools)
            .field("commands", &self.commands)
            .field("role", &self.role)
            .field("roles", &self.roles)
            .field("thinking_level", &self.thinking_level)
            .field("persist", &self.persist.is_some())
            .field("name", &self.name)
            .field("cwd", &self.cwd)
            .finish_non_exhaustive()
    }
}

/// Why a harness call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum HarnessError {
    /// The session is running another operation; operations do not queue.
    Busy {
        /// The session.
        session: String,
        /// What it is running.
        running: String,
    },
    /// Bad options: no model, unknown provider, role or skill, clashing
    /// tool names, a task too deep…
    Config(String),
    /// The agent run failed (provider error, too many turns, gave up,
    /// context overflow).
    Run(LoopError),
    /// The operation was aborted.
    Cancelled,
    /// Saving or loading a session failed.
    Store(StoreError),
    /// The sandbox failed (a file operation, a command that could not
    /// start).
    Sandbox(String),
    /// An MCP server could not be reached or used.
    Mcp(String),
    /// A bug: a task panicked.
    Internal(String),
}

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HarnessError::Busy { session, running } => write!(
                f,
                "session '{session}' is busy running a {running}; wait for it to finish \
                 (or abort it) before starting another operation"
            ),
            HarnessError::Config(message)
            | HarnessError::Sandbox(message)
            | HarnessError::Mcp(message)
            | HarnessError::Internal(message) => f.write_str(message),
            HarnessError::Run(err) => write!(f, "{err}"),
            HarnessError::Cancelled => f.write_str("the operation was aborted"),
            HarnessError::Store(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for HarnessError {}

impl From<StoreError> for HarnessError {
    fn from(err: StoreError) -> HarnessError {
        HarnessError::Store(err)
    }
}

impl From<LoopError> for HarnessError {
    fn from(err: LoopError) -> HarnessError {
        match err {
            LoopError::Cancelled => HarnessError::Cancelled,
            other => HarnessError::Run(other),
        }
    }
}

/// What the harness shares with its sessions.
pub(crate) struct HarnessInner {
    pub(crate) name: String,
    pub(crate) sandbox: Arc<dyn SandboxApi>,
    pub(crate) cwd: String,
    pub(crate) providers: RwLock<Providers>,
    pub(crate) defaults: ModelChoice,
    pub(crate) role: Option<String>,
    pub(crate) roles: Roles,
    pub(crate) roles_dir: String,
    pub(crate) system_prompt: String,
    pub(crate) tools: Vec<Arc<dyn Tool>>,
    pub(crate) commands: Vec<Command>,
    /// Every host command name seen (harness-wide or per call): those
    /// not granted to an operation answer "not available" in it.
    pub(crate) known_commands: Mutex<BTreeSet<String>>,
    pub(crate) mcp: tokio::sync::Mutex<Vec<McpServer>>,
    pub(crate) store: Option<Arc<dyn SessionStore>>,
    pub(crate) sessions: Mutex<HashMap<String, Arc<SessionInner>>>,
    pub(crate) events: Arc<Events>,
    pub(crate) compaction: CompactionConfig,
    pub(crate) max_turns: u32,
    running: AtomicUsize,
    runs: AtomicU64,
}

impl fmt::Debug for HarnessInner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Harness")
            .field("name", &self.name)
            .field("cwd", &self.cwd)
            .field("defaults", &self.defaults)
            .finish_non_exhaustive()
    }
}

impl HarnessInner {
    /// A new run id, unique in this harness.
    pub(crate) fn run_id(&self) -> String {
        format!(
            "{}-run-{}",
            self.name,
            self.runs.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    /// Counts an operation in; the returned guard counts it out and
    /// emits `idle` when it was the last one.
    pub(crate) fn operation_started(self: &Arc<Self>) -> RunningGuard {
        self.running.fetch_add(1, Ordering::SeqCst);
        RunningGuard {
            harness: self.clone(),
        }
    }

    pub(crate) fn remember_commands<'a>(&self, names: impl IntoIterator<Item = &'a str>) {
        let mut known = self
            .known_commands
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        known.extend(names.into_iter().map(str::to_string));
    }

    pub(crate) fn known_commands(&self) -> Vec<String> {
        let known = self
            .known_commands
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        known.iter().cloned().collect()
    }
}

/// Counts a running operation; see [`HarnessInner::operation_started`].
pub(crate) struct RunningGuard {
    harness: Arc<HarnessInner>,
}

impl Drop for RunningGuard {
    fn drop(&mut self) {
        if self.harness.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.harness.events.emit("", "", EventKind::Idle);
        }
    }
}

/// An agent harness: a sandbox, models and tools, and the sessions that
/// use them. Cheap to clone (clones share everything).
///
/// ```no_run
/// # async fn demo() -> Result<(), wasm_agent_harness::HarnessError> {
/// use wasm_agent_harness::{Harness, InitOptions, PromptOptions};
/// let harness = Harness::init(InitOptions {
///     model: Some("anthropic/claude-sonnet-4-5".into()),
///     ..InitOptions::default()
/// })
/// .await?;
/// let session = harness.session("main").await?;
/// let answer = session
///     .prompt("Write hello.py printing hello, and run it", PromptOptions::default())
///     .await?;
/// println!("{} ({} tokens in)", answer.text, answer.usage.input_tokens);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Harness {
    inner: Arc<HarnessInner>,
}

/// The default start of the system prompt.
const SYSTEM_PROMPT: &str = "You are an agent working in a sandbox: a Linux-like filesystem and \
a bash shell with the usual tools (coreutils, grep, sed, awk, find, diff, jq…). Use the tools to \
inspect and change files and to run commands; check your work by running it. When the task is \
done, answer with a short summary of what you did.";

impl Harness {
    /// Sets up a harness; see [`InitOptions`].
    pub async fn init(options: InitOptions) -> Result<Harness, HarnessError> {
        crate::custom_tool::check_names(&options.tools).map_err(HarnessError::Config)?;
        for command in &options.commands {
            command.check().map_err(HarnessError::Config)?;
        }
        let sandbox = open_sandbox(options.sandbox, options.runtime).await?;
        let cwd = match options.cwd {
            Some(dir) => wasm_agent::vfs::path::join_normalized(&sandbox.cwd(), &dir)
                .map_err(|e| HarnessError::Config(format!("invalid cwd '{dir}': {e}")))?,
            None => sandbox.cwd(),
        };
        let mut roles = Roles::new();
        for role in options.roles {
            roles.insert(role);
        }
        let known: BTreeSet<String> = options
            .commands
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        let name = options.name.unwrap_or_else(|| "agent".to_string());
        let inner = HarnessInner {
            roles_dir: options
                .roles_dir
                .unwrap_or_else(|| crate::context::roles::default_dir(&cwd)),
            name,
            sandbox,
            cwd,
            providers: RwLock::new(options.providers.unwrap_or_else(Providers::standard)),
            defaults: ModelChoice {
                model: options.model,
                thinking_level: options.thinking_level,
            },
            role: options.role,
            roles,
            system_prompt: options
                .system_prompt
                .unwrap_or_else(|| SYSTEM_PROMPT.to_string()),
            tools: options.tools,
            commands: options.commands,
            known_commands: Mutex::new(known),
            mcp: tokio::sync::Mutex::new(Vec::new()),
            store: options.persist,
            sessions: Mutex::new(HashMap::new()),
            events: Events::new(),
            compaction: options.compaction,
            max_turns: options.max_turns.unwrap_or(50),
            running: AtomicUsize::new(0),
            runs: AtomicU64::new(0),
        };
        Ok(Harness {
            inner: Arc::new(inner),
        })
    }

    /// The session `name`: the live one, else the saved one, else a new
    /// one.
    pub async fn session(&self, name: &str) -> Result<Session, HarnessError> {
        match self.sessions().get(name).await? {
            Some(session) => Ok(session),
            None => self.start_session(name).await,
        }
    }

    /// A new, empty session `name`, saved at once so it is listed.
    async fn start_session(&self, name: &str) -> Result<Session, HarnessError> {
        let session = self.adopt(name, crate::store::SessionRecord::default());
        session.save().await?;
        Ok(session)
    }

    /// The sessions: get, create, delete, list.
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions { harness: self }
    }

    /// Runs `command` in the sandbox with the harness-wide host commands.
    /// Not recorded in any conversation (use [`Session::shell`] for that).
    pub async fn shell(
        &self,
        command: &str,
        options: ShellOptions,
    ) -> Result<ShellResult, HarnessError> {
        crate::session::run_shell(&self.inner, &self.inner.cwd, command, options).await
    }

    /// The sandbox's files, out of band: nothing is recorded.
    pub fn fs(&self) -> wasm_agent::Files {
        wasm_agent::Files::new(self.inner.sandbox.fs(), self.inner.cwd.clone())
    }

    /// The sandbox.
    pub fn sandbox(&self) -> &Arc<dyn SandboxApi> {
        &self.inner.sandbox
    }

    /// Sets or replaces the provider `name` (base URL, headers, API key,
    /// wire format, prices), for calls started from now on.
    pub fn configure_provider(&self, name: impl Into<String>, config: ProviderConfig) {
        let mut providers = self
            .inner
            .providers
            .write()
            .unwrap_or_else(|e| e.into_inner());
        providers.configure(name, config);
    }

    /// Adds the provider `name`; an error if one of that name exists (use
    /// [`configure_provider`](Self::configure_provider) to replace one).
    pub fn register_provider(
        &self,
        name: impl Into<String>,
        config: ProviderConfig,
    ) -> Result<(), HarnessError> {
        let name = name.into();
        let mut providers = self
            .inner
            .providers
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if providers.get_mut(&name).is_some() {
            return Err(HarnessError::Config(format!(
                "a provider named '{name}' exists already; use configure_provider to replace it"
            )));
        }
        providers.configure(name, config);
        Ok(())
    }

    /// Connects the MCP server at `options.url` and offers its tools in
    /// every call from now on, named `mcp__{name}__{tool}`.
    pub async fn connect_mcp_server(
        &self,
        name: &str,
        options: McpOptions,
    ) -> Result<Vec<String>, HarnessError> {
        let server = McpServer::connect(name, options).await?;
        let names = server.tool_names();
        let mut servers = self.inner.mcp.lock().await;
        if servers.iter().any(|s| s.name() == name) {
            server.close().await;
            return Err(HarnessError::Config(format!(
                "an MCP server named '{name}' is connected already; close it first"
            )));
        }
        servers.push(server);
        Ok(names)
    }

    /// Disconnects the MCP server `name`; its tools are gone from the next
    /// call on.
    pub async fn close_mcp_server(&self, name: &str) -> Result<(), HarnessError> {
        let mut servers = self.inner.mcp.lock().await;
        let Some(at) = servers.iter().position(|s| s.name() == name) else {
            return Err(HarnessError::Config(format!(
                "no MCP server named '{name}' is connected"
            )));
        };
        servers.remove(at).close().await;
        Ok(())
    }

    /// Closes every MCP connection. (Sessions need no closing: each is
    /// saved when it is created and after every operation.)
    pub async fn close(&self) -> Result<(), HarnessError> {
        for server in self.inner.mcp.lock().await.drain(..) {
            server.close().await;
        }
        Ok(())
    }

    /// Calls `subscriber` with every event from now on, until the
    /// returned subscription is dropped.
    pub fn observe(
        &self,
        subscriber: impl Fn(&crate::events::Event) + Send + Sync + 'static,
    ) -> Subscription {
        self.inner.events.observe(subscriber)
    }

    /// Every event from now on, through a channel.
    pub fn subscribe(
        &self,
    ) -> (
        tokio::sync::mpsc::UnboundedReceiver<crate::events::Event>,
        Subscription,
    ) {
        self.inner.events.subscribe()
    }

    fn live(&self, name: &str) -> Option<Session> {
        let live = self
            .inner
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        live.get(name)
            .map(|inner| Session::from_inner(inner.clone()))
    }

    fn adopt(&self, name: &str, record: crate::store::SessionRecord) -> Session {
        let mut live = self
            .inner
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let inner = live
            .entry(name.to_string())
            .or_insert_with(|| {
                SessionInner::new(self.inner.clone(), name.to_string(), record, 0, true)
            })
            .clone();
        Session::from_inner(inner)
    }
}

/// The harness's sessions; from [`Harness::sessions`].
#[derive(Debug)]
pub struct Sessions<'a> {
    harness: &'a Harness,
}

impl Sessions<'_> {
    /// The session `name` if it is live or saved.
    pub async fn get(&self, name: &str) -> Result<Option<Session>, HarnessError> {
        if let Some(live) = self.harness.live(name) {
            return Ok(Some(live));
        }
        let record = match &self.harness.inner.store {
            Some(store) => store.load(name).await?,
            None => None,
        };
        Ok(record.map(|record| self.harness.adopt(name, record)))
    }

    /// A new session `name`; an error if it exists.
    pub async fn create(&self, name: &str) -> Result<Session, HarnessError> {
        if self.get(name).await?.is_some() {
            return Err(HarnessError::Config(format!(
                "session '{name}' exists already; use harness.session(\"{name}\") to open it \
                 or delete it first"
            )));
        }
        self.harness.start_session(name).await
    }

    /// Deletes the session `name` (live and saved). A session running an
    /// operation cannot be deleted.
    pub async fn delete(&self, name: &str) -> Result<(), HarnessError> {
        {
            let mut live = self
                .harness
                .inner
                .sessions
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(session) = live.get(name) {
                if let Some(running) = session.running() {
                    return Err(HarnessError::Busy {
                        session: name.to_string(),
                        running,
                    });
                }
                live.remove(name);
            }
        }
        if let Some(store) = &self.harness.inner.store {
            store.delete(name).await?;
        }
        Ok(())
    }

    /// The names of the live and saved sessions, sorted.
    pub async fn list(&self) -> Result<Vec<String>, HarnessError> {
        let mut names: BTreeSet<String> = match &self.harness.inner.store {
            Some(store) => store.list().await?.into_iter().collect(),
            None => BTreeSet::new(),
        };
        let live = self
            .harness
            .inner
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        names.extend(live.keys().cloned());
        Ok(names.into_iter().collect())
    }
}

/// Builds the sandbox `source` names.
async fn open_sandbox(
    source: SandboxSource,
    runtime: Option<wasm_agent::Runtime>,
) -> Result<Arc<dyn SandboxApi>, HarnessError> {
    let fail =
        |e: &dyn fmt::Display| HarnessError::Sandbox(format!("cannot set up the sandbox: {e}"));
    let runtime = match (&source, runtime) {
        (SandboxSource::Custom(_), _) => None,
        (_, Some(runtime)) => Some(runtime),
        (_, None) => Some(wasm_agent::Runtime::new().map_err(|e| fail(&e))?),
    };
    let sandbox: Arc<dyn SandboxApi> = match source {
        SandboxSource::Custom(sandbox) => sandbox,
        SandboxSource::Memory => {
            let runtime = runtime.expect("built above");
            let sandbox = wasm_agent::Sandbox::builder(&runtime)
                .cwd("/home/user")
                .env("HOME", "/home/user")
                .build();
            sandbox
                .mkdir("/home/user", true)
                .await
                .map_err(|e| fail(&e))?;
            sandbox.mkdir("/tmp", true).await.map_err(|e| fail(&e))?;
            Arc::new(sandbox)
        }
        SandboxSource::HostDir(path) => {
            let runtime = runtime.expect("built above");
            let fs = wasm_agent::vfs::HostDirFs::new(&path).map_err(|e| {
                HarnessError::Sandbox(format!(
                    "cannot use host directory {} as the sandbox: {e}",
                    path.display()
                ))
            })?;
            Arc::new(
                wasm_agent::Sandbox::builder(&runtime)
                    .fs(Arc::new(fs))
                    .build(),
            )
        }
        SandboxSource::Bucket(config) => {
            let runtime = runtime.expect("built above");
            let fs = wasm_agent::s3::S3Fs::connect(*config)
                .await
                .map_err(|e| HarnessError::Sandbox(format!("cannot open the bucket: {e}")))?;
            Arc::new(
                wasm_agent::Sandbox::builder(&runtime)
                    .fs(Arc::new(fs))
                    .build(),
            )
        }
    };
    Ok(sandbox)
}
