//! Custom tools: a name, a description, JSON-Schema parameters and an
//! async handler, offered to the model next to the built-ins.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

use crate::tools::{validate, Tool, ToolContext, ToolOutput};

type Handler = Arc<
    dyn Fn(ToolContext, Value) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send>>
        + Send
        + Sync,
>;

/// A tool defined by its parts; see [`FnTool::new`].
#[derive(Clone)]
pub struct FnTool {
    name: String,
    description: String,
    parameters: Value,
    handler: Handler,
}

impl std::fmt::Debug for FnTool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FnTool")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl FnTool {
    /// A tool called `name` whose arguments follow the JSON Schema
    /// `parameters` (an `object` schema). Arguments are checked against it
    /// before `handler` runs, so the handler sees only valid ones; a bad
    /// call goes back to the model as an error naming every problem.
    /// `handler` gets the sandbox context and the arguments and returns
    /// the text for the model, or an error text (shown to the model as a
    /// failed call).
    ///
    /// ```
    /// use wasm_agent_harness::FnTool;
    /// let weather = FnTool::new(
    ///     "weather",
    ///     "Today's weather in a city",
    ///     serde_json::json!({"type": "object",
    ///                        "properties": {"city": {"type": "string"}},
    ///                        "required": ["city"]}),
    ///     |_ctx, args| async move { Ok(format!("Sunny in {}", args["city"].as_str().unwrap_or("?"))) },
    /// );
    /// ```
    pub fn new<F, Fut>(
        name: impl Into<String>,
        description: impl Into<String>,
        parameters: Value,
        handler: F,
    ) -> FnTool
    where
        F: Fn(ToolContext, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, String>> + Send + 'static,
    {
        FnTool {
            name: name.into(),
            description: description.into(),
            parameters,
            handler: Arc::new(move |ctx, args| Box::pin(handler(ctx, args))),
        }
    }
}

#[async_trait]
impl Tool for FnTool {
    fn name(&self) -> &str {
        &self.name
    }

    fn description(&self) -> &str {
        &self.description
    }

    fn parameters(&self) -> Value {
        self.parameters.clone()
    }

    async fn call(&self, ctx: &ToolContext, args: Value) -> ToolOutput {
        let args = match validate(&self.name, &self.parameters, &args) {
            Ok(map) => Value::Object(map),
            Err(message) => return ToolOutput::error(message),
        };
        match (self.handler)(ctx.clone(), args).await {
            Ok(text) => ToolOutput::ok(text),
            Err(text) => ToolOutput::error(text),
        }
    }
}

/// Names the harness gives its own tools; custom tools may not take them.
pub const RESERVED_NAMES: &[&str] = &[
    "read", "write", "edit", "bash", "grep", "glob", "task", "finish", "give_up",
];

/// Checks that custom tool names are valid for every provider, unique,
/// and not a built-in's.
pub(crate) fn check_names<'a>(
    tools: impl IntoIterator<Item = &'a Arc<dyn Tool>>,
) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for tool in tools {
        let name = tool.name();
        if RESERVED_NAMES.contains(&name) {
            return Err(format!(
                "custom tool '{name}' clashes with the built-in tool of that name; rename it"
            ));
        }
        let valid = (1..=64).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !valid {
            return Err(format!(
                "tool name '{name}' must be 1 to 64 letters, digits, '_' or '-' (the providers' rule)"
            ));
        }
        if !seen.insert(name.to_string()) {
            return Err(format!(
                "two tools are named '{name}'; tool names must be unique"
            ));
        }
    }
    Ok(())
}
