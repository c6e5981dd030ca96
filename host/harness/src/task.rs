//! The `task` tool: the model hands a piece of work to a sub-agent.
//!
//! A task is a child session with a fresh conversation over the same
//! sandbox (so it sees and changes the same files), working in its own
//! directory and role if given. It runs with the model, thinking level
//! and host commands of the run that started it unless its role says
//! otherwise, and reports back its final answer, which becomes the tool
//! result. Tasks of one turn run concurrently; they nest at most
//! [`MAX_TASK_DEPTH`] deep (the deepest ones are not offered `task`).

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::events::{Emitter, EventKind};
use crate::session::{
    outcome_of, run_operation, AgentRequest, Inherited, PromptOptions, SessionInner, MAX_TASK_DEPTH,
};
use crate::tools::{validate, Tool, ToolContext, ToolOutput};

/// `task`, bound to the run that offers it.
pub(crate) struct TaskTool {
    pub(crate) parent: Arc<SessionInner>,
    pub(crate) inherited: Inherited,
    /// The parent run's: aborting it aborts its tasks.
    pub(crate) cancel: CancellationToken,
    pub(crate) emitter: Emitter,
}

#[async_trait]
impl Tool for TaskTool {
    fn name(&self) -> &str {
        "task"
    }

    fn description(&self) -> &str {
        "Hand a self-contained piece of work to a sub-agent that works in the same sandbox \
         with the same tools but a fresh conversation, and get its final answer back. Say \
         everything it needs in `prompt` (it does not see this conversation). Several tasks \
         in one turn run at the same time."
    }

    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "prompt": {"type": "string", "description": "The work to do, fully described"},
                "cwd": {"type": "string", "description": "Working directory for the sub-agent (default: yours)"},
                "role": {"type": "string", "description": "A role for the sub-agent to work in"}
            },
            "required": ["prompt"],
            "additionalProperties": false
        })
    }

    async fn call(&self, ctx: &ToolContext, args: Value) -> ToolOutput {
        let args = match validate("task", &self.parameters(), &args) {
            Ok(args) => args,
            Err(message) => return ToolOutput::error(message),
        };
        let text = |key: &str| args.get(key).and_then(Value::as_str).map(str::to_string);
        let depth = self.parent.depth + 1;
        if depth > MAX_TASK_DEPTH {
            return ToolOutput::error(format!(
                "task: tasks nest at most {MAX_TASK_DEPTH} deep; do this work yourself"
            ));
        }
        let cwd = match text("cwd") {
            Some(dir) => match ctx.resolve(&dir) {
                Ok(dir) => dir,
                Err(message) => return ToolOutput::error(format!("task: {message}")),
            },
            None => ctx.cwd.clone(),
        };
        let child = self.parent.child();
        let child_run = self.parent.harness.run_id();
        self.emitter.emit(EventKind::Task {
            child_session: child.name.clone(),
            child_run: child_run.clone(),
            depth,
            outcome: None,
        });
        let request = AgentRequest {
            operation: "task",
            text: text("prompt").unwrap_or_default(),
            options: PromptOptions {
                role: text("role"),
                cwd: Some(cwd),
                ..PromptOptions::default()
            },
            inherited: Some(self.inherited.clone()),
            context: None,
        };
        let child_name = child.name.clone();
        let result =
            run_operation(child, request, child_run.clone(), self.cancel.child_token()).await;
        self.emitter.emit(EventKind::Task {
            child_session: child_name,
            child_run,
            depth,
            outcome: Some(outcome_of(&result)),
        });
        match result {
            Ok(answer) if answer.text.trim().is_empty() => {
                ToolOutput::ok("(the sub-agent finished without a final message)")
            }
            Ok(answer) => ToolOutput::ok(answer.text),
            Err(err) => ToolOutput::error(format!("task failed: {err}")),
        }
    }
}
