//! The agent loop: ask the model, run the tools it calls, give it the
//! results, until it answers.
//!
//! This is the engine sessions are built on. One call of [`run`] takes a
//! conversation ending in a user message and extends it in place: every
//! assistant message, and one user message per turn holding *all* that
//! turn's tool results (in the order the model asked for them, as the
//! providers require). The tools of one turn run concurrently. A tool the
//! model names but does not have gets an error result it can read, not a
//! failure of the loop.
//!
//! [`run_for_result`] asks for a typed result: the model ends by calling
//! `finish` with a value the loop checks against a JSON Schema
//! ([`crate::schema`]), or `give_up`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::compaction::{self, CompactionConfig, CompactionError};
use crate::message::{Content, Message, Role, StopReason, Usage};
use crate::provider::{Delta, HttpProvider, ProviderError, ProviderErrorKind, Request, ToolSpec};
use crate::tools::{Tool, ToolContext, ToolOutput};

/// How the loop calls the model.
#[derive(Debug, Clone)]
pub struct LoopConfig {
    /// The provider's model id.
    pub model: String,
    /// System prompt.
    pub system: Option<String>,
    /// Most tokens per answer.
    pub max_tokens: u32,
    /// Thinking budget, for models that think.
    pub thinking_budget: Option<u32>,
    /// Most model calls before the loop gives up.
    pub max_turns: u32,
    /// Stream answers (deltas reach the event callback as they come).
    pub stream: bool,
    /// Cancelling it stops the run at once: the model call in flight is
    /// dropped and the turn's tools are aborted (their results say so).
    pub cancel: CancellationToken,
    /// When to summarise the conversation to fit the context window.
    pub compaction: CompactionConfig,
}

impl LoopConfig {
    /// Defaults for `model`: 8,192 tokens per answer, 50 turns, streaming.
    pub fn new(model: impl Into<String>) -> LoopConfig {
        LoopConfig {
            model: model.into(),
            system: None,
            max_tokens: 8192,
            thinking_budget: None,
            max_turns: 50,
            stream: true,
            cancel: CancellationToken::new(),
            compaction: CompactionConfig::default(),
        }
    }
}

/// What happens during a run, for progress displays and event streams.
#[derive(Debug, Clone, PartialEq)]
pub enum LoopEvent {
    /// A model call starts.
    TurnStart {
        /// Its number, from 1.
        turn: u32,
    },
    /// A piece of the answer being streamed.
    Delta(Delta),
    /// A tool starts.
    ToolStart {
        /// The call's id.
        id: String,
        /// The tool.
        name: String,
        /// Its arguments.
        input: serde_json::Value,
    },
    /// A tool finished.
    ToolEnd {
        /// The call's id.
        id: String,
        /// The tool.
        name: String,
        /// Its output (what the model sees).
        output: ToolOutput,
        /// How long it ran.
        duration: std::time::Duration,
    },
    /// A model call finished.
    TurnEnd {
        /// Its number, from 1.
        turn: u32,
        /// Its token use.
        usage: Usage,
    },
    /// The conversation was summarised to fit the context window.
    Compacted {
        /// `threshold` or `overflow`.
        reason: &'static str,
        /// Messages before.
        messages_before: usize,
        /// Messages after.
        messages_after: usize,
    },
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The text of the last assistant message.
    pub text: String,
    /// Why the model stopped the last time.
    pub stop: StopReason,
    /// Tokens used by every call of the run.
    pub usage: Usage,
    /// Model calls made.
    pub turns: u32,
    /// With [`run_for_result`]: the value the model finished with,
    /// checked against the schema.
    pub result: Option<serde_json::Value>,
}

/// Why a run failed. The conversation keeps everything up to the failure.
#[derive(Debug, Clone, PartialEq)]
pub enum LoopError {
    /// The provider call failed (after its retries).
    Provider(ProviderError),
    /// The model was still calling tools after [`LoopConfig::max_turns`].
    TooManyTurns(u32),
    /// The conversation did not end with a user message.
    NothingToAnswer,
    /// Asked for a typed result, the model called `give_up`.
    GaveUp(String),
    /// The run was cancelled through [`LoopConfig::cancel`].
    Cancelled,
    /// The conversation outgrew the context window and could not be
    /// compacted.
    Compaction(CompactionError),
}

impl fmt::Display for LoopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoopError::Provider(e) => write!(f, "{e}"),
            LoopError::TooManyTurns(n) => write!(
                f,
                "the model was still calling tools after {n} turns; \
                 raise max_turns or give it a narrower task"
            ),
            LoopError::NothingToAnswer => {
                write!(f, "the conversation must end with a user message to answer")
            }
            LoopError::GaveUp(reason) => write!(f, "the model gave up: {reason}"),
            LoopError::Cancelled => f.write_str("the run was cancelled"),
            LoopError::Compaction(err) => write!(f, "{err}"),
        }
    }
}

impl std::error::Error for LoopError {}

/// Runs the loop on `messages`; see the module docs.
pub async fn run(
    provider: &HttpProvider,
    config: &LoopConfig,
    tools: &[Arc<dyn Tool>],
    ctx: &ToolContext,
    messages: &mut Vec<Message>,
    on_event: &mut (dyn FnMut(LoopEvent) + Send),
) -> Result<Outcome, LoopError> {
    run_inner(provider, config, tools, ctx, messages, None, on_event).await
}

/// Runs the loop until the model returns a value matching `schema`
/// through the `finish` tool (added to `tools`, with `give_up`). A value
/// that does not match goes back to the model as a tool error listing
/// every violation, so it can correct itself; an answer without `finish`
/// is answered with a reminder. Both count against
/// [`LoopConfig::max_turns`]. `give_up` ends the run with
/// [`LoopError::GaveUp`].
pub async fn run_for_result(
    provider: &HttpProvider,
    config: &LoopConfig,
    tools: &[Arc<dyn Tool>],
    ctx: &ToolContext,
    messages: &mut Vec<Message>,
    schema: &serde_json::Value,
    on_event: &mut (dyn FnMut(LoopEvent) + Send),
) -> Result<Outcome, LoopError> {
    let ending = Arc::new(Mutex::new(None));
    let mut all: Vec<Arc<dyn Tool>> = tools.to_vec();
    all.push(Arc::new(FinishTool {
        parameters: finish_parameters(schema),
        schema: schema.clone(),
        ending: ending.clone(),
    }));
    all.push(Arc::new(GiveUpTool {
        ending: ending.clone(),
    }));
    run_inner(
        provider,
        config,
        &all,
        ctx,
        messages,
        Some(&ending),
        on_event,
    )
    .await
}

/// How a typed run ended, set by `finish` or `give_up`.
#[derive(Debug, Clone)]
enum Ending {
    Finished(serde_json::Value),
    GaveUp(String),
}

type EndingSlot = Arc<Mutex<Option<Ending>>>;

async fn run_inner(
    provider: &HttpProvider,
    config: &LoopConfig,
    tools: &[Arc<dyn Tool>],
    ctx: &ToolContext,
    messages: &mut Vec<Message>,
    ending: Option<&EndingSlot>,
    on_event: &mut (dyn FnMut(LoopEvent) + Send),
) -> Result<Outcome, LoopError> {
    if messages.last().is_none_or(|m| m.role != Role::User) {
        return Err(LoopError::NothingToAnswer);
    }
    let specs: Vec<ToolSpec> = tools
        .iter()
        .map(|t| ToolSpec {
            name: t.name().to_owned(),
            description: t.description().to_owned(),
            parameters: t.parameters(),
        })
        .collect();
    let by_name: HashMap<&str, &Arc<dyn Tool>> = tools.iter().map(|t| (t.name(), t)).collect();
    let mut usage = Usage::default();
    // The prompt size the last answer reported: the cue for compaction.
    let mut prompt_tokens = compaction::estimate_tokens(messages);
    for turn in 1..=config.max_turns {
        if config
            .compaction
            .should_compact(&config.model, prompt_tokens)
        {
            match compact(provider, config, messages, "threshold", on_event).await {
                Ok(used) => usage += used,
                // Nothing older to summarise: let the provider judge.
                Err(LoopError::Compaction(CompactionError::NothingToSummarise)) => {}
                Err(err) => return Err(err),
            }
        }
        on_event(LoopEvent::TurnStart { turn });
        let mut retried = false;
        let response = loop {
            let request = Request {
                model: &config.model,
                system: config.system.as_deref(),
                messages,
                tools: &specs,
                max_tokens: config.max_tokens,
                thinking_budget: config.thinking_budget,
                stream: config.stream,
            };
            let mut on_delta = |d| on_event(LoopEvent::Delta(d));
            let answer = tokio::select! {
                biased;
                () = config.cancel.cancelled() => return Err(LoopError::Cancelled),
                answer = provider.complete(&request, &mut on_delta) => answer,
            };
            match answer {
                Ok(response) => break response,
                Err(err)
                    if err.kind == ProviderErrorKind::ContextOverflow
                        && config.compaction.enabled
                        && !retried =>
                {
                    retried = true;
                    match compact(provider, config, messages, "overflow", on_event).await {
                        Ok(used) => usage += used,
                        Err(LoopError::Compaction(CompactionError::NothingToSummarise)) => {
                            return Err(LoopError::Provider(err))
                        }
                        Err(other) => return Err(other),
                    }
                }
                Err(err) => return Err(LoopError::Provider(err)),
            }
        };
        prompt_tokens = response.usage.input_tokens + response.usage.output_tokens;
        usage += response.usage;
        on_event(LoopEvent::TurnEnd {
            turn,
            usage: response.usage,
        });
        let calls: Vec<(String, String, serde_json::Value)> = response
            .message
            .tool_uses()
            .map(|(id, name, input)| (id.to_owned(), name.to_owned(), input.clone()))
            .collect();
        let text = response.message.text();
        messages.push(response.message);
        if calls.is_empty() {
            if ending.is_some() {
                messages.push(Message::user(
                    "Call the `finish` tool with the result (or `give_up` with the reason \
                     if it cannot be done); a plain answer is not taken as the result.",
                ));
                continue;
            }
            return Ok(Outcome {
                text,
                stop: response.stop,
                usage,
                turns: turn,
                result: None,
            });
        }
        let (results, cancelled) = run_tools(&by_name, ctx, calls, &config.cancel, on_event).await;
        messages.push(Message {
            role: Role::User,
            content: results,
        });
        if cancelled {
            return Err(LoopError::Cancelled);
        }
        let ended = ending.and_then(|slot| slot.lock().unwrap_or_else(|e| e.into_inner()).take());
        match ended {
            Some(Ending::Finished(value)) => {
                return Ok(Outcome {
                    text,
                    stop: response.stop,
                    usage,
                    turns: turn,
                    result: Some(value),
                })
            }
            Some(Ending::GaveUp(reason)) => return Err(LoopError::GaveUp(reason)),
            None => {}
        }
    }
    Err(LoopError::TooManyTurns(config.max_turns))
}

/// Summarises `messages` in place and reports it; the summary call's
/// tokens are returned.
async fn compact(
    provider: &HttpProvider,
    config: &LoopConfig,
    messages: &mut Vec<Message>,
    reason: &'static str,
    on_event: &mut (dyn FnMut(LoopEvent) + Send),
) -> Result<Usage, LoopError> {
    let compacted = tokio::select! {
        biased;
        () = config.cancel.cancelled() => return Err(LoopError::Cancelled),
        done = compaction::compact(provider, &config.model, messages, &config.compaction) => done,
    }
    .map_err(LoopError::Compaction)?;
    on_event(LoopEvent::Compacted {
        reason,
        messages_before: compacted.messages_before,
        messages_after: compacted.messages_after,
    });
    Ok(compacted.usage)
}

/// Runs one turn's tool calls concurrently; results in call order. When
/// `cancel` fires, the tools still running are aborted, their results say
/// so, and the second value is true.
async fn run_tools(
    tools: &HashMap<&str, &Arc<dyn Tool>>,
    ctx: &ToolContext,
    calls: Vec<(String, String, serde_json::Value)>,
    cancel: &CancellationToken,
    on_event: &mut (dyn FnMut(LoopEvent) + Send),
) -> (Vec<Content>, bool) {
    let mut outputs: Vec<Option<(ToolOutput, std::time::Duration)>> = vec![None; calls.len()];
    let mut set = JoinSet::new();
    for (index, (id, name, input)) in calls.iter().enumerate() {
        on_event(LoopEvent::ToolStart {
            id: id.clone(),
            name: name.clone(),
            input: input.clone(),
        });
        match tools.get(name.as_str()) {
            Some(tool) => {
                let (tool, ctx, input) = (Arc::clone(tool), ctx.clone(), input.clone());
                set.spawn(async move {
                    let started = Instant::now();
                    let output = tool.call(&ctx, input).await;
                    (index, output, started.elapsed())
                });
            }
            None => {
                let known: Vec<&str> = {
                    let mut names: Vec<&str> = tools.keys().copied().collect();
                    names.sort_unstable();
                    names
                };
                outputs[index] = Some((
                    ToolOutput::error(format!(
                        "there is no tool named '{name}'; the tools are: {}",
                        known.join(", ")
                    )),
                    std::time::Duration::ZERO,
                ));
            }
        }
    }
    let mut cancelled = false;
    loop {
        let joined = tokio::select! {
            biased;
            () = cancel.cancelled() => {
                // Dropping the set aborts the tools still running.
                set.abort_all();
                cancelled = true;
                break;
            }
            joined = set.join_next() => joined,
        };
        match joined {
            None => break,
            Some(Ok((index, output, took))) => outputs[index] = Some((output, took)),
            Some(Err(panic)) => {
                // A panicking tool is a bug; the model still gets a result
                // for every call it made.
                let message = format!("the tool failed unexpectedly: {panic}");
                if let Some(slot) = outputs.iter_mut().find(|o| o.is_none()) {
                    *slot = Some((ToolOutput::error(message), std::time::Duration::ZERO));
                }
            }
        }
    }
    let results = calls
        .into_iter()
        .zip(outputs)
        .map(|((id, name, _), output)| {
            let (output, duration) = output.unwrap_or_else(|| {
                let why = if cancelled {
                    "the operation was cancelled before the tool finished"
                } else {
                    "the tool did not finish"
                };
                (ToolOutput::error(why), std::time::Duration::ZERO)
            });
            on_event(LoopEvent::ToolEnd {
                id: id.clone(),
                name,
                output: output.clone(),
                duration,
            });
            Content::ToolResult {
                tool_use_id: id,
                content: output.content,
                is_error: output.is_error,
            }
        })
        .collect();
    (results, cancelled)
}

/// The `finish` tool's parameters: the result under `result`, so any
/// schema (not only objects) can be asked for.
fn finish_parameters(schema: &serde_json::Value) -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {"result": schema},
        "required": ["result"],
    })
}

/// `finish`: hands in the typed result.
struct FinishTool {
    schema: serde_json::Value,
    parameters: serde_json::Value,
    ending: EndingSlot,
}

#[async_trait]
impl Tool for FinishTool {
    fn name(&self) -> &str {
        "finish"
    }

    fn description(&self) -> &str {
        "Hand in the final result of the task, as `result`, matching the schema. \
         Call it once, when the work is done."
    }

    fn parameters(&self) -> serde_json::Value {
        self.parameters.clone()
    }

    async fn call(&self, _ctx: &ToolContext, args: serde_json::Value) -> ToolOutput {
        let Some(result) = args.get("result") else {
            return ToolOutput::error("finish: missing required argument 'result'");
        };
        let problems = crate::schema::violations(&self.schema, result);
        if !problems.is_empty() {
            return ToolOutput::error(format!(
                "finish: the result does not match the schema; fix these and call finish again:\n{}",
                problems.join("\n")
            ));
        }
        *self.ending.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(Ending::Finished(result.clone()));
        ToolOutput::ok("Result accepted.")
    }
}

/// `give_up`: ends a typed run without a result.
struct GiveUpTool {
    ending: EndingSlot,
}

#[async_trait]
impl Tool for GiveUpTool {
    fn name(&self) -> &str {
        "give_up"
    }

    fn description(&self) -> &str {
        "Stop without a result when the task cannot be done; say why in `reason`."
    }

    fn parameters(&self) -> serde_json::Value {
        json!({
            "type": "object",
            "properties": {"reason": {"type": "string"}},
            "required": ["reason"],
        })
    }

    async fn call(&self, _ctx: &ToolContext, args: serde_json::Value) -> ToolOutput {
        let reason = args
            .get("reason")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("no reason given")
            .to_owned();
        *self.ending.lock().unwrap_or_else(|e| e.into_inner()) = Some(Ending::GaveUp(reason));
        ToolOutput::ok("Understood; stopping.")
    }
}
