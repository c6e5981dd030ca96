//! One run of an agent: definition + request → harness → result.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use wasm_agent_harness::store::SessionStore;
use wasm_agent_harness::{
    Command, Event, Harness, HarnessError, HostProgram, InitOptions, PromptOptions,
};

use super::definition::AgentDef;
use super::error::{RunError, RunErrorKind};
use super::project::Project;
use super::sandbox;

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    /// The agent's name (its file under `.wasm-agent/agents/`).
    pub agent: String,
    /// The session id: the same id continues the same conversation.
    pub id: String,
    /// The payload the template reads (`Value::Null`: none given).
    pub payload: Value,
    /// A model overriding the agent's (`provider/model-id`).
    pub model: Option<String>,
    /// Variables for `{{env.NAME}}`, `${NAME}` in host-command env and
    /// provider keys, looked up before the process environment.
    pub env: Vec<(String, String)>,
    /// Cancelling it aborts the run (Ctrl-C): the model call and tools in
    /// flight stop, and the session is saved as far as it got.
    pub interrupt: Option<tokio_util::sync::CancellationToken>,
}

/// What a run gave.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// With a result schema, the typed value; without, `{"text": ...}`
    /// holding the agent's last answer.
    pub result: Value,
    /// The run id its events carry.
    pub run_id: String,
}

/// Runs `request` in `project`: reads the agent, fills its template,
/// opens its sandbox, continues (or starts) the session
/// `<agent>.<id>` in `store`, and prompts. `observe` sees every event of
/// the run as it happens.
///
/// The model is the first of: `request.model`, the agent's `model`, its
/// role's, the config's `[defaults] model`.
///
/// Two runs of the same agent and id at once in one store are not
/// serialised here: the later save wins. Callers that may do that (a
/// server) queue them per session.
pub async fn run(
    project: &Project,
    request: RunRequest,
    store: Arc<dyn SessionStore>,
    observe: Arc<dyn Fn(&Event) + Send + Sync>,
) -> Result<RunOutput, RunError> {
    let def = project.agent(&request.agent)?;
    let session = session_name(&def.name, &request.id)?;
    let env = |name: &str| lookup_env(&request.env, name);
    let prompt = def
        .template
        .render(&request.id, &request.payload, &env)
        .map_err(|e| {
            RunError::new(
                RunErrorKind::BadRequest,
                format!("{}:{}: {}", def.path.display(), e.line, e.message),
            )
        })?;
    let roles = match &def.role {
        Some(role) => vec![project.role(role)?],
        None => Vec::new(),
    };
    let model = request.model.clone().or_else(|| def.model.clone());
    let has_model = model.is_some()
        || roles.iter().any(|r| r.model.is_some())
        || project.config().default_model.is_some();
    if !has_model {
        return Err(RunError::new(
            RunErrorKind::Definition,
            format!(
                "{}: no model for agent '{}': give --model provider/model-id, set \
                 WASM_AGENT_MODEL, add 'model:' to the agent file, or set [defaults] model \
                 in wasm-agent.toml",
                def.path.display(),
                def.name
            ),
        ));
    }
    let commands = commands(&def, &env)?;
    let setup = |message: String| RunError::new(RunErrorKind::Setup, message);
    let runtime = project.runtime().map_err(setup)?;
    let name = harness_name(&def.name);
    let sandbox = sandbox::open(&def.sandbox, &runtime, &name)
        .await
        .map_err(|e| setup(format!("{}: sandbox: {e}", def.path.display())))?;
    let harness = Harness::init(InitOptions {
        model: project.config().default_model.clone(),
        sandbox,
        runtime: Some(runtime),
        commands,
        role: def.role.clone(),
        roles,
        thinking_level: def.thinking_level,
        persist: Some(store),
        name: Some(name),
        providers: Some(project.config().providers(&|n| lookup_env(&request.env, n))),
        max_turns: def.max_turns,
        ..InitOptions::default()
    })
    .await
    .map_err(|e| failure(&def, e))?;
    let _subscription = harness.observe(move |event| observe(event));
    let outcome = async {
        let session = harness.session(&session).await?;
        let options = PromptOptions {
            result: def.result.clone(),
            model,
            only_tools: def.tools.clone(),
            ..PromptOptions::default()
        };
        let operation = session.prompt(prompt, options);
        let abort = operation.abort_handle();
        tokio::pin!(operation);
        match &request.interrupt {
            Some(interrupt) => tokio::select! {
                answer = &mut operation => answer,
                () = interrupt.cancelled() => {
                    abort.abort();
                    // The aborted operation saves the session before it ends.
                    operation.await
                }
            },
            None => operation.await,
        }
    }
    .await;
    // Forked and bucket sandboxes hold writes until flushed; a failed
    // flush is reported, but a failed run's own error comes first.
    let closed = harness.close().await;
    let flushed = harness.sandbox().fs().flush().await;
    let answer = outcome.map_err(|e| failure(&def, e))?;
    closed.map_err(|e| failure(&def, e))?;
    flushed.map_err(|e| setup(format!("cannot save the sandbox's changes: {e}")))?;
    let result = match answer.value {
        Some(value) => value,
        None => json!({ "text": answer.text }),
    };
    Ok(RunOutput {
        result,
        run_id: answer.run_id,
    })
}

/// `name` from the request's variables, else the process's.
fn lookup_env(env: &[(String, String)], name: &str) -> Option<String> {
    env.iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .or_else(|| std::env::var(name).ok())
}

/// The store's name of session `id` of `agent`. Agent names hold no
/// dots, so `<agent>.<id>` never collides across agents.
fn session_name(agent: &str, id: &str) -> Result<String, RunError> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(RunError::new(
            RunErrorKind::BadRequest,
            format!(
                "session id '{id}' may hold only letters, digits, '-', '_' and '.', must not \
                 start with '.', and is at most 128 characters"
            ),
        ));
    }
    Ok(format!("{agent}.{id}"))
}

/// A name unique to this run, so run ids (`<name>-run-1`) and bucket
/// forks never repeat across processes.
fn harness_name(agent: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    let mix = nanos
        ^ (u64::from(std::process::id()) << 40)
        ^ COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    format!("{agent}-{mix:016x}")
}

/// The host commands of `def`, with `${VAR}` filled in.
fn commands(
    def: &AgentDef,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Command>, RunError> {
    def.commands
        .iter()
        .map(|spec| {
            let mut program = HostProgram::new(&spec.program);
            for (name, value) in &spec.env {
                let value = expand(value, env).map_err(|var| {
                    RunError::new(
                        RunErrorKind::BadRequest,
                        format!(
                            "{}: command '{}': env {name} uses ${{{var}}}, which is not set; \
                             set it or give it in an --env file",
                            def.path.display(),
                            spec.name
                        ),
                    )
                })?;
                program = program.env(name.clone(), value);
            }
            Ok(Command::program(spec.name.clone(), program))
        })
        .collect()
}

/// `value` with every `${NAME}` replaced; the error is the unset name.
fn expand(value: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = &after[..end];
        out.push_str(&env(name).ok_or_else(|| name.to_owned())?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A harness error as a run error of the right kind.
fn failure(def: &AgentDef, err: HarnessError) -> RunError {
    let kind = match &err {
        HarnessError::Config(_) => RunErrorKind::Definition,
        HarnessError::Sandbox(_) | HarnessError::Store(_) => RunErrorKind::Setup,
        _ => RunErrorKind::Agent,
    };
    RunError::new(kind, format!("agent '{}': {err}", def.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_expand() {
        let env = |n: &str| (n == "T").then(|| "tok".to_owned());
        assert_eq!(expand("Bearer ${T}!", &env).unwrap(), "Bearer tok!");
        assert_eq!(expand("${NOPE}", &env).unwrap_err(), "NOPE");
        assert_eq!(expand("plain $T", &env).unwrap(), "plain $T");
    }

    #[test]
    fn session_ids_are_checked() {
        assert_eq!(session_name("a", "issue-1.2").unwrap(), "a.issue-1.2");
        let err = session_name("a", "../x").unwrap_err();
        assert_eq!(err.kind(), RunErrorKind::BadRequest);
        assert_ne!(harness_name("a"), harness_name("a"));
    }
}
