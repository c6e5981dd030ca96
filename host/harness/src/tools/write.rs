//! `write`: creates or replaces a whole file.

use super::args::Args;
use super::{Tool, ToolContext, ToolOutput};
use async_trait::async_trait;
use serde_json::{json, Value};

/// The `write` tool: writes `content` to `path`, creating missing parent
/// directories and replacing an existing file.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteTool;

#[async_trait]
impl Tool for WriteTool {
    fn name(&self) -> &str {
        "write"
    }

    fn description(&self) -> &str {
        "Write a file: creates it (and missing parent directories) or replaces its whole \
         content. To change part of an existing file, use edit."
    }

    fn parameters(&self) -> Value {
        json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "description": "File to write (absolute, or relative to the working directory)"},
                "content": {"type": "string", "description": "The complete new content of the file"}
            },
            "required": ["path", "content"],
            "additionalProperties": false
        })
    }

    async fn call(&self, ctx: &ToolContext, args: Value) -> ToolOutput {
        match write(ctx, &args, &self.parameters()).await {
            Ok(text) => ToolOutput::ok(text),
            Err(message) => ToolOutput::error(message),
        }
    }
}

async fn write(ctx: &ToolContext, args: &Value, schema: &Value) -> Result<String, String> {
    let args = Args::parse("write", schema, args)?;
    let path = ctx
        .resolve(args.str("path").unwrap_or_default())
        .map_err(|e| format!("write: {e}"))?;
    let content = args.str("content").unwrap_or_default();
    let existed = match ctx.sandbox.fs().metadata(&path).await {
        Ok(meta) if meta.is_dir() => {
            return Err(format!(
                "write: {path} is a directory; give a file path inside it"
            ));
        }
        Ok(_) => true,
        Err(_) => false,
    };
    ctx.files()
        .write_file(&path, content.as_bytes())
        .await
        .map_err(|err| format!("write: cannot write {path}: {err}"))?;
    let bytes = content.len();
    Ok(format!(
        "Wrote {bytes} byte{} to {path} ({})",
        if bytes == 1 { "" } else { "s" },
        if existed { "replaced" } else { "new file" }
    ))
}
