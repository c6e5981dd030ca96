//! A temporary agent project whose provider is the scripted model, and
//! SSE parsing.

use wasm_agent_scripted_llm::ScriptedLlm;

/// An agent that labels an issue and takes webhooks.
pub const TRIAGE: &str = "---
webhook: true
result:
  type: object
  properties:
    label: {type: string}
  required: [label]
---
Label issue {{payload.number}}: {{payload.title}} (session {{id}})
";

/// A project directory with `.wasm-agent/` and a config whose default
/// model is the scripted server's.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new(llm: &ScriptedLlm) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".wasm-agent/agents")).unwrap();
        std::fs::write(
            dir.path().join("wasm-agent.toml"),
            format!(
                "[defaults]\nmodel = \"scripted/m\"\n\n[providers.scripted]\n\
                 base_url = \"{}\"\nformat = \"anthropic\"\napi_key_env = \"SCRIPTED_KEY\"\n",
                llm.base_url()
            ),
        )
        .unwrap();
        Project { dir }
    }

    /// Writes `.wasm-agent/agents/<name>.md`.
    pub fn agent(&self, name: &str, text: &str) -> &Project {
        std::fs::write(
            self.dir
                .path()
                .join(format!(".wasm-agent/agents/{name}.md")),
            text,
        )
        .unwrap();
        self
    }

    /// `--project DIR` for the server.
    pub fn path(&self) -> &str {
        self.dir.path().to_str().unwrap()
    }
}

/// One SSE event.
#[derive(Debug, Clone)]
pub struct Sse {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: serde_json::Value,
}

/// The events of a complete SSE body (comments skipped).
pub fn parse_sse(text: &str) -> Vec<Sse> {
    text.split("\n\n")
        .filter_map(|block| {
            let (mut id, mut event, mut data) = (None, None, String::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = Some(v.trim().to_string());
                } else if let Some(v) = line.strip_prefix("event:") {
                    event = Some(v.trim().to_string());
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                }
            }
            (!data.is_empty()).then(|| Sse {
                id,
                event,
                data: serde_json::from_str(&data).unwrap(),
            })
        })
        .collect()
}
