//! Sessions: one conversation with the agent, and the operations on it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::agent_loop::{self, LoopConfig, LoopEvent};
use crate::commands::{self, Command};
use crate::context::{self, Context, ModelChoice, Role, Roles};
use crate::events::{Emitter, EventKind, RunOutcome};
use crate::harness::{HarnessError, HarnessInner};
use crate::message::{Content, Message, Role as Speaker, Usage};
use crate::operation::Operation;
use crate::provider::pricing::Cost;
use crate::provider::Delta;
use crate::store::SessionRecord;
use crate::task::TaskTool;
use crate::thinking::ThinkingLevel;
use crate::tools::{builtin_tools, Tool, ToolContext};

/// The format version of saved sessions.
const RECORD_FORMAT: u32 = 1;

/// Deepest nesting of tasks: a top-level session is depth 0, its tasks
/// depth 1, theirs 2, and so on up to this.
pub const MAX_TASK_DEPTH: u32 = 4;

/// Options of one prompt (also of [`Session::skill`] and
/// [`Session::task`]). Unset fields fall back to the role's, then to the
/// harness's.
#[derive(Clone, Default)]
pub struct PromptOptions {
    /// Ask for a typed result matching this JSON Schema: the model ends by
    /// calling `finish` with a value that is checked against it (a value
    /// that does not match goes back to the model to fix) or `give_up`.
    pub result: Option<Value>,
    /// The role to work in.
    pub role: Option<String>,
    /// Custom tools for this call only, on top of the harness's.
    pub tools: Vec<Arc<dyn Tool>>,
    /// Host commands granted to this call only.
    pub commands: Vec<Command>,
    /// The model, `provider/model-id`.
    pub model: Option<String>,
    /// How hard the model thinks.
    pub thinking_level: Option<ThinkingLevel>,
    /// The working directory of this call's tools (relative to the
    /// session's).
    pub cwd: Option<String>,
    /// Most model calls; default: the harness's.
    pub max_turns: Option<u32>,
    /// Offer only these tools (built-in, custom or MCP names); `None`:
    /// all. `finish` and `give_up` come with a result schema regardless.
    /// A name that is no tool is an error listing the tools.
    pub only_tools: Option<Vec<String>>,
}

impl std::fmt::Debug for PromptOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tools: Vec<&str> = self.tools.iter().map(|t| t.name()).collect();
        f.debug_struct("PromptOptions")
            .field("result", &self.result)
            .field("role", &self.role)
            .field("tools", &tools)
            .field("commands", &self.commands)
            .field("model", &self.model)
            .field("thinking_level", &self.thinking_level)
            .field("cwd", &self.cwd)
            .field("max_turns", &self.max_turns)
            .field("only_tools", &self.only_tools)
            .finish()
    }
}

impl PromptOptions {
    /// Asks for a typed result matching `schema`.
    pub fn result(mut self, schema: Value) -> PromptOptions {
        self.result = Some(schema);
        self
    }

    /// Works in the role `name`.
    pub fn role(mut self, name: impl Into<String>) -> PromptOptions {
        self.role = Some(name.into());
        self
    }

    /// Uses `model` (`provider/model-id`).
    pub fn model(mut self, model: impl Into<String>) -> PromptOptions {
        self.model = Some(model.into());
        self
    }

    /// Adds a custom tool for this call.
    pub fn tool(mut self, tool: Arc<dyn Tool>) -> PromptOptions {
        self.tools.push(tool);
        self
    }

    /// Grants a host command to this call.
    pub fn command(mut self, command: Command) -> PromptOptions {
        self.commands.push(command);
        self
    }

    /// Sets the thinking level.
    pub fn thinking_level(mut self, level: ThinkingLevel) -> PromptOptions {
        self.thinking_level = Some(level);
        self
    }

    /// Offers only the tools named (see [`PromptOptions::only_tools`]).
    pub fn only_tools<I, S>(mut self, names: I) -> PromptOptions
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.only_tools = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the working directory of this call's tools.
    pub fn cwd(mut self, dir: impl Into<String>) -> PromptOptions {
        self.cwd = Some(dir.into());
        self
    }
}

/// What a prompt gave.
#[derive(Debug, Clone, PartialEq)]
pub struct PromptResult {
    /// The last assistant message's text.
    pub text: String,
    /// With a result schema: the value, checked against it.
    pub value: Option<Value>,
    /// Tokens used by the operation (compaction included).
    pub usage: Usage,
    /// Their price, when the model's prices are known.
    pub cost: Option<Cost>,
    /// Model calls made.
    pub turns: u32,
    /// The run id its events carry.
    pub run_id: String,
}

impl PromptResult {
    /// The typed value as `T`.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, HarnessError> {
        let value = self.value.clone().ok_or_else(|| {
            HarnessError::Config(
                "this prompt asked for no typed result; give PromptOptions::result a schema"
                    .to_string(),
            )
        })?;
        serde_json::from_value(value).map_err(|e| {
            HarnessError::Config(format!(
                "the result matches the schema but not the Rust type asked for: {e}"
            ))
        })
    }
}

/// Options of a shell command.
#[derive(Debug, Clone, Default)]
pub struct ShellOptions {
    /// Variables exported to the command. In a recorded command their
    /// values are shown as `***`, also where the output repeats them.
    pub env: Vec<(String, String)>,
    /// Its working directory (relative to the session's).
    pub cwd: Option<String>,
    /// Its time limit; default: the sandbox's.
    pub timeout: Option<Duration>,
}

/// What a shell command gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellResult {
    /// Its standard output (lossily decoded).
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Its exit status.
    pub exit_code: i32,
}

/// The state of a session.
pub(crate) struct SessionInner {
    pub(crate) harness: Arc<HarnessInner>,
    pub(crate) name: String,
    state: tokio::sync::Mutex<SessionRecord>,
    /// The operation running, if any: operations do not queue.
    busy: Mutex<Option<String>>,
    /// 0 for a session of the harness, n for a task n levels down.
    pub(crate) depth: u32,
    /// Saved to the harness's store (tasks are not).
    persistent: bool,
    /// Child tasks started so far (for their names).
    tasks: AtomicU32,
}

impl SessionInner {
    pub(crate) fn new(
        harness: Arc<HarnessInner>,
        name: String,
        mut record: SessionRecord,
        depth: u32,
        persistent: bool,
    ) -> Arc<SessionInner> {
        record.format = RECORD_FORMAT;
        Arc::new(SessionInner {
            harness,
            name,
            state: tokio::sync::Mutex::new(record),
            busy: Mutex::new(None),
            depth,
            persistent,
            tasks: AtomicU32::new(0),
        })
    }

    /// The operation running, if any.
    pub(crate) fn running(&self) -> Option<String> {
        self.busy.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Marks the session busy with `operation`, or says it is busy.
    fn claim(self: &Arc<Self>, operation: &str) -> Result<BusyGuard, HarnessError> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(running) = busy.as_ref() {
            return Err(HarnessError::Busy {
                session: self.name.clone(),
                running: running.clone(),
            });
        }
        *busy = Some(operation.to_string());
        Ok(BusyGuard {
            session: self.clone(),
        })
    }

    /// Claims the session for `operation` and starts `work` with a new
    /// run id and cancellation token; the session is free again when the
    /// work ends, however it ends.
    fn start<T, F, Fut>(self: &Arc<Self>, operation: &str, work: F) -> Operation<T>
    where
        T: Send + 'static,
        F: FnOnce(String, CancellationToken) -> Fut,
        Fut: std::future::Future<Output = Result<T, HarnessError>> + Send + 'static,
    {
        let guard = match self.claim(operation) {
            Ok(guard) => guard,
            Err(err) => return Operation::refused(err),
        };
        let run_id = self.harness.run_id();
        let cancel = CancellationToken::new();
        let work = work(run_id.clone(), cancel.clone());
        Operation::spawn(run_id, cancel, async move {
            let _guard = guard;
            work.await
        })
    }

    /// A task's session: a fresh conversation one level deeper, over the
    /// same harness, never saved.
    pub(crate) fn child(&self) -> Arc<SessionInner> {
        let name = format!(
            "{}.task-{}",
            self.name,
            self.tasks.fetch_add(1, Ordering::Relaxed) + 1
        );
        SessionInner::new(
            self.harness.clone(),
            name,
            SessionRecord::default(),
            self.depth + 1,
            false,
        )
    }

    async fn save(&self) -> Result<(), HarnessError> {
        if !self.persistent {
            return Ok(());
        }
        let Some(store) = &self.harness.store else {
            return Ok(());
        };
        let record = self.state.lock().await.clone();
        store.save(&self.name, &record).await?;
        Ok(())
    }
}

/// Frees the session when an operation ends (however it ends).
struct BusyGuard {
    session: Arc<SessionInner>,
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        *self.session.busy.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// One conversation with the agent. Cheap to clone (clones are the same
/// session). One operation runs at a time: starting another while one
/// runs fails with [`HarnessError::Busy`].
#[derive(Clone)]
pub struct Session {
    inner: Arc<SessionInner>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("name", &self.inner.name)
            .field("depth", &self.inner.depth)
            .finish_non_exhaustive()
    }
}

/// What an agent run is asked.
pub(crate) struct AgentRequest {
    /// `prompt`, `skill` or `task`.
    pub(crate) operation: &'static str,
    /// The user message.
    pub(crate) text: String,
    pub(crate) options: PromptOptions,
    /// For a task: the model and commands of the run that started it.
    pub(crate) inherited: Option<Inherited>,
    /// The context of the working directory, when the caller read it
    /// already (a skill looks itself up in it); else the run reads it.
    pub(crate) context: Option<Context>,
}

/// What a task takes from the run that started it.
#[derive(Clone)]
pub(crate) struct Inherited {
    pub(crate) choice: ModelChoice,
    pub(crate) commands: Vec<Command>,
    pub(crate) parent_run: String,
}

impl Session {
    pub(crate) fn from_inner(inner: Arc<SessionInner>) -> Session {
        Session { inner }
    }

    /// The session's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The conversation so far.
    pub async fn messages(&self) -> Vec<Message> {
        self.inner.state.lock().await.messages.clone()
    }

    /// Tokens used by the session so far.
    pub async fn usage(&self) -> Usage {
        self.inner.state.lock().await.usage
    }

    /// Saves the session to the harness's store (done after every
    /// operation; a no-op without a store).
    pub async fn save(&self) -> Result<(), HarnessError> {
        self.inner.save().await
    }

    /// Sends `text` to the agent and runs it until it answers; see
    /// [`PromptOptions`].
    pub fn prompt(
        &self,
        text: impl Into<String>,
        options: PromptOptions,
    ) -> Operation<PromptResult> {
        self.start_agent(AgentRequest {
            operation: "prompt",
            text: text.into(),
            options,
            inherited: None,
            context: None,
        })
    }

    /// Runs the skill `name` (from `.agents/skills/<name>/SKILL.md` seen
    /// from the working directory) with `args`.
    pub fn skill(
        &self,
        name: impl Into<String>,
        args: Option<Value>,
        options: PromptOptions,
    ) -> Operation<PromptResult> {
        let name = name.into();
        let session = self.inner.clone();
        self.inner.start("skill", move |run_id, cancel| async move {
            let harness = &session.harness;
            let cwd = resolve_cwd(&harness.cwd, options.cwd.as_deref())?;
            let fs = harness.sandbox.fs();
            let context = Context::load(&*fs, &cwd)
                .await
                .map_err(|e| HarnessError::Config(e.to_string()))?;
            let skill = context
                .skill(&name)
                .map_err(|e| HarnessError::Config(e.to_string()))?;
            let body = skill
                .body(&*fs)
                .await
                .map_err(|e| HarnessError::Config(e.to_string()))?;
            let text = skill.invocation(&body, args.as_ref());
            let request = AgentRequest {
                operation: "skill",
                text,
                options,
                inherited: None,
                context: Some(context),
            };
            run_operation(session, request, run_id, cancel).await
        })
    }

    /// Runs `text` as a task: a child session of its own (a fresh
    /// conversation) over the same sandbox, in `options.cwd` and role.
    /// Tasks nest at most [`MAX_TASK_DEPTH`] deep. The child is not saved;
    /// its result is returned (and its events carry its own run id).
    pub fn task(&self, text: impl Into<String>, options: PromptOptions) -> Operation<PromptResult> {
        let parent = self.inner.clone();
        if parent.depth >= MAX_TASK_DEPTH {
            return Operation::refused(HarnessError::Config(format!(
                "tasks nest at most {MAX_TASK_DEPTH} deep"
            )));
        }
        let child = parent.child();
        let request = AgentRequest {
            operation: "task",
            text: text.into(),
            options,
            inherited: None,
            context: None,
        };
        // The task is this session's operation while it runs.
        parent.start("task", move |run_id, cancel| {
            run_operation(child, request, run_id, cancel)
        })
    }

    /// Runs a shell command in the sandbox and records it in the
    /// conversation (the model sees the command and its output in the next
    /// prompt), with the values of `options.env` shown as `***`.
    pub fn shell(
        &self,
        command: impl Into<String>,
        options: ShellOptions,
    ) -> Operation<ShellResult> {
        let command = command.into();
        let session = self.inner.clone();
        self.inner.start("shell", move |run_id, cancel| async move {
                let _running = session.harness.operation_started();
                let emitter =
                    Emitter::new(session.harness.events.clone(), run_id, session.name.clone());
                emitter.emit(EventKind::OperationStart {
                    operation: "shell".into(),
                    parent_run: None,
                });
                let secrets: Vec<String> = options
                    .env
                    .iter()
                    .map(|(_, v)| v.clone())
                    .filter(|v| !v.is_empty())
                    .collect();
                let names: Vec<String> = options.env.iter().map(|(n, _)| n.clone()).collect();
                let result = tokio::select! {
                    biased;
                    () = cancel.cancelled() => Err(HarnessError::Cancelled),
                    result = run_shell(&session.harness, &session.harness.cwd, &command, options) => result,
                };
                if let Ok(out) = &result {
                    let record = shell_record(&command, &names, out, &secrets);
                    let mut state = session.state.lock().await;
                    append_user_text(&mut state.messages, record);
                }
                let saved = session.save().await;
                emitter.emit(EventKind::OperationEnd {
                    operation: "shell".into(),
                    outcome: outcome_of(&result),
                });
                let result = result?;
                saved?;
                Ok(result)
        })
    }

    /// The sandbox's files, relative to the session's working directory;
    /// out of band: nothing is recorded.
    pub fn fs(&self) -> wasm_agent::Files {
        wasm_agent::Files::new(
            self.inner.harness.sandbox.fs(),
            self.inner.harness.cwd.clone(),
        )
    }

    fn start_agent(&self, request: AgentRequest) -> Operation<PromptResult> {
        let session = self.inner.clone();
        self.inner.start(request.operation, move |run_id, cancel| {
            run_operation(session, request, run_id, cancel)
        })
    }
}

/// Runs an agent operation with its events and saves the session after.
pub(crate) async fn run_operation(
    session: Arc<SessionInner>,
    request: AgentRequest,
    run_id: String,
    cancel: CancellationToken,
) -> Result<PromptResult, HarnessError> {
    let _running = session.harness.operation_started();
    let emitter = Emitter::new(session.harness.events.clone(), run_id, session.name.clone());
    let operation = request.operation;
    emitter.emit(EventKind::OperationStart {
        operation: operation.into(),
        parent_run: request.inherited.as_ref().map(|i| i.parent_run.clone()),
    });
    let result = run_agent(&session, request, &emitter, cancel).await;
    let saved = session.save().await;
    if let Err(err) = &saved {
        emitter.log(
            "error",
            format!("cannot save session '{}': {err}", session.name),
        );
    }
    emitter.emit(EventKind::OperationEnd {
        operation: operation.into(),
        outcome: outcome_of(&result),
    });
    let result = result?;
    saved?;
    Ok(result)
}

/// The model loop of a prompt, skill or task.
async fn run_agent(
    session: &Arc<SessionInner>,
    request: AgentRequest,
    emitter: &Emitter,
    cancel: CancellationToken,
) -> Result<PromptResult, HarnessError> {
    let harness = &session.harness;
    let options = request.options;
    let cwd = resolve_cwd(&harness.cwd, options.cwd.as_deref())?;
    let fs = harness.sandbox.fs();

    // Role, model and thinking level: call > role > harness (or the
    // run that started this task).
    let role_name = options.role.clone().or_else(|| {
        // A task keeps to the role it was given; the harness default role
        // is for top-level sessions.
        request
            .inherited
            .is_none()
            .then(|| harness.role.clone())
            .flatten()
    });
    let role = match &role_name {
        Some(name) => Some(find_role(harness, name).await?),
        None => None,
    };
    let fallback = match &request.inherited {
        Some(inherited) => inherited.choice.clone(),
        None => harness.defaults.clone(),
    };
    let call = ModelChoice {
        model: options.model.clone(),
        thinking_level: options.thinking_level,
    };
    let choice = context::resolve(&call, role.as_ref(), &fallback);
    let model = choice
        .require_model()
        .map_err(|e| HarnessError::Config(e.to_string()))?
        .to_string();
    let (provider, model_id) = {
        let providers = harness.providers.read().unwrap_or_else(|e| e.into_inner());
        providers
            .resolve(&model)
            .map_err(|e| HarnessError::Config(e.to_string()))?
    };
    let price = |usage: &Usage| -> Option<Cost> {
        let providers = harness.providers.read().unwrap_or_else(|e| e.into_inner());
        providers.cost(&model, usage).ok().flatten()
    };

    // What the model knows: the system prompt with the role, AGENTS.md
    // and the skills seen from the working directory.
    let context = match request.context {
        Some(context) => context,
        None => Context::load(&*fs, &cwd)
            .await
            .map_err(|e| HarnessError::Config(e.to_string()))?,
    };
    for problem in &context.problems {
        emitter.log("warn", format!("skill skipped: {problem}"));
    }
    let system = context.system_prompt(&harness.system_prompt, role.as_ref());

    // Host commands: the harness's, the call's, and a task's inherited ones.
    let mut granted: Vec<Command> = harness.commands.clone();
    if let Some(inherited) = &request.inherited {
        granted.extend(inherited.commands.iter().cloned());
    }
    for command in &options.commands {
        command.check().map_err(HarnessError::Config)?;
    }
    granted.extend(options.commands.iter().cloned());
    harness.remember_commands(granted.iter().map(Command::name));
    let known = harness.known_commands();
    let host_commands = commands::for_call(known.iter().map(String::as_str), &granted);

    // Tools: built-ins, task (while tasks may nest deeper), the
    // harness's, MCP servers', the call's.
    let mut tools = builtin_tools();
    let mut custom: Vec<Arc<dyn Tool>> = harness.tools.clone();
    for server in harness.mcp.lock().await.iter() {
        custom.extend(server.tools().iter().cloned());
    }
    custom.extend(options.tools.iter().cloned());
    crate::custom_tool::check_names(&custom).map_err(HarnessError::Config)?;
    if session.depth < MAX_TASK_DEPTH {
        tools.push(Arc::new(TaskTool {
            parent: session.clone(),
            inherited: Inherited {
                choice: choice.clone(),
                commands: granted.clone(),
                parent_run: emitter.run_id().to_string(),
            },
            cancel: cancel.clone(),
            emitter: emitter.clone(),
        }));
    }
    tools.extend(custom);
    if let Some(only) = &options.only_tools {
        if let Some(unknown) = only
            .iter()
            .find(|name| !tools.iter().any(|t| t.name() == name.as_str()))
        {
            let names: Vec<&str> = tools.iter().map(|t| t.name()).collect();
            return Err(HarnessError::Config(format!(
                "no tool named '{unknown}' to offer; the tools are: {}",
                names.join(", ")
            )));
        }
        tools.retain(|t| only.iter().any(|name| name == t.name()));
    }

    let mut config = LoopConfig::new(model_id);
    config.system = Some(system);
    config.thinking_budget = choice.thinking_level.and_then(ThinkingLevel::budget_tokens);
    if let Some(budget) = config.thinking_budget {
        // The answer must have room beyond the thinking.
        config.max_tokens = config.max_tokens.max(budget + 4096);
    }
    config.max_turns = options.max_turns.unwrap_or(harness.max_turns);
    config.cancel = cancel;
    config.compaction = harness.compaction.clone();

    let ctx = ToolContext::new(harness.sandbox.clone())
        .with_cwd(&cwd)
        .with_commands(Arc::new(host_commands));

    emitter.emit(EventKind::RunStart {
        model: model.clone(),
        role: role_name.clone(),
    });
    let mut state = session.state.lock().await;
    append_user_text(&mut state.messages, request.text);
    // What the turns cost so far, kept here too: a run that fails after
    // some turns has still spent their tokens.
    let mut spent = (Usage::default(), 0u32);
    let mut on_event = |event: LoopEvent| {
        let kind = match event {
            LoopEvent::TurnStart { turn } => EventKind::TurnStart { turn },
            LoopEvent::Delta(Delta::Text(text)) => EventKind::TextDelta { text },
            LoopEvent::Delta(Delta::Thinking(text)) => EventKind::Thinking { text },
            LoopEvent::Delta(Delta::ToolCall { .. }) => return,
            LoopEvent::ToolStart { id, name, input } => EventKind::ToolStart { id, name, input },
            LoopEvent::ToolEnd {
                id,
                name,
                output,
                duration,
            } => EventKind::ToolCall {
                id,
                name,
                output: output.content,
                is_error: output.is_error,
                duration_ms: duration.as_millis() as u64,
            },
            LoopEvent::TurnEnd { turn, usage } => {
                spent.0 += usage;
                spent.1 = turn;
                EventKind::TurnEnd {
                    turn,
                    usage,
                    cost: price(&usage),
                }
            }
            LoopEvent::Compacted {
                reason,
                messages_before,
                messages_after,
            } => EventKind::Compaction {
                reason: reason.to_string(),
                messages_before,
                messages_after,
            },
        };
        emitter.emit(kind);
    };
    let outcome = match &options.result {
        Some(schema) => {
            agent_loop::run_for_result(
                &provider,
                &config,
                &tools,
                &ctx,
                &mut state.messages,
                schema,
                &mut on_event,
            )
            .await
        }
        None => {
            agent_loop::run(
                &provider,
                &config,
                &tools,
                &ctx,
                &mut state.messages,
                &mut on_event,
            )
            .await
        }
    };
    match outcome {
        Ok(outcome) => {
            state.usage += outcome.usage;
            drop(state);
            let cost = price(&outcome.usage);
            emitter.emit(EventKind::RunEnd {
                outcome: RunOutcome::Ok,
                usage: outcome.usage,
                cost,
                turns: outcome.turns,
            });
            Ok(PromptResult {
                text: outcome.text,
                value: outcome.result,
                usage: outcome.usage,
                cost,
                turns: outcome.turns,
                run_id: emitter.run_id().to_string(),
            })
        }
        Err(err) => {
            let (usage, turns) = spent;
            state.usage += usage;
            drop(state);
            let err = HarnessError::from(err);
            emitter.emit(EventKind::RunEnd {
                outcome: outcome_of::<()>(&Err(err.clone())),
                usage,
                cost: price(&usage),
                turns,
            });
            Err(err)
        }
    }
}

/// The role `name`: defined in code, else from the roles directory.
async fn find_role(harness: &HarnessInner, name: &str) -> Result<Role, HarnessError> {
    if let Ok(role) = harness.roles.get(name) {
        return Ok(role.clone());
    }
    let mut roles = Roles::load(&*harness.sandbox.fs(), &harness.roles_dir)
        .await
        .map_err(|e| HarnessError::Config(e.to_string()))?;
    for role in harness.roles.iter() {
        roles.insert(role.clone());
    }
    roles
        .get(name)
        .cloned()
        .map_err(|e| HarnessError::Config(e.to_string()))
}

/// `dir` resolved against `base`.
fn resolve_cwd(base: &str, dir: Option<&str>) -> Result<String, HarnessError> {
    match dir {
        None => Ok(base.to_string()),
        Some(dir) => wasm_agent::vfs::path::join_normalized(base, dir)
            .map_err(|e| HarnessError::Config(format!("invalid working directory '{dir}': {e}"))),
    }
}

/// Adds `text` as the user's next message; after an aborted run the
/// conversation may already end with a user message, which it joins (the
/// providers want turns to alternate).
fn append_user_text(messages: &mut Vec<Message>, text: String) {
    match messages.last_mut() {
        Some(last) if last.role == Speaker::User => last.content.push(Content::text(text)),
        _ => messages.push(Message::user(text)),
    }
}

/// Runs a shell command with the harness-wide host commands.
pub(crate) async fn run_shell(
    harness: &HarnessInner,
    base: &str,
    command: &str,
    options: ShellOptions,
) -> Result<ShellResult, HarnessError> {
    let cwd = resolve_cwd(base, options.cwd.as_deref())?;
    let mut exec = wasm_agent::ExecOptions::default().cwd(cwd);
    exec.env = options.env;
    exec.timeout = options.timeout;
    let known = harness.known_commands();
    let granted = commands::for_call(known.iter().map(String::as_str), &harness.commands);
    let result = harness
        .sandbox
        .exec(command, exec, &granted)
        .await
        .map_err(|e| HarnessError::Sandbox(format!("shell: {e}")))?;
    Ok(ShellResult {
        stdout: String::from_utf8_lossy(&result.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
        exit_code: result.exit_code,
    })
}

/// How a shell command is recorded in the conversation.
fn shell_record(
    command: &str,
    env_names: &[String],
    out: &ShellResult,
    secrets: &[String],
) -> String {
    let redact = |text: &str| {
        secrets.iter().fold(text.to_string(), |text, secret| {
            text.replace(secret.as_str(), "***")
        })
    };
    let mut record = String::from("[The user ran a command in the sandbox]\n");
    if !env_names.is_empty() {
        let env: Vec<String> = env_names.iter().map(|n| format!("{n}=***")).collect();
        record.push_str(&format!("env: {}\n", env.join(" ")));
    }
    record.push_str(&format!("$ {}\n", redact(command)));
    let output = format!("{}{}", out.stdout, out.stderr);
    let output = crate::tools::tail_for_model(&redact(&output));
    record.push_str(&output);
    if !output.is_empty() && !output.ends_with('\n') {
        record.push('\n');
    }
    record.push_str(&format!("[exit status {}]", out.exit_code));
    record
}

/// The outcome of an operation, for its event.
pub(crate) fn outcome_of<T>(result: &Result<T, HarnessError>) -> RunOutcome {
    match result {
        Ok(_) => RunOutcome::Ok,
        Err(HarnessError::Cancelled) => RunOutcome::Cancelled,
        Err(err) => RunOutcome::Error(err.to_string()),
    }
}
