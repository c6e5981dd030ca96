//! Agent files: `.wasm-agent/agents/<name>.md`, YAML front matter plus a
//! prompt template.
//!
//! ```text
//! ---
//! description: Triage a GitHub issue
//! model: anthropic/claude-sonnet-4-5
//! sandbox: local              # memory (default) | local | a host path | s3://bucket/prefix
//! role: triager               # .wasm-agent/roles/triager.md
//! thinking_level: low
//! max_turns: 20
//! webhook: true               # may be run by `wasm-agent serve`
//! commands:                   # host programs the agent's shell may call
//!   gh: {program: /usr/bin/gh, env: {GH_TOKEN: "${GH_TOKEN}"}}
//! result:                     # JSON Schema of the result (or result_file: x.json)
//!   type: object
//!   properties: {label: {type: string}}
//!   required: [label]
//! ---
//! Label issue {{payload.number}}: {{payload.title}}
//! ```
//!
//! A sandbox can also be a mapping: `{source: s3://bucket/prefix,
//! endpoint: URL, region: R, path_style: true, fork: true}`. `fork: true`
//! gives every run its own copy: a host directory is overlaid (the run's
//! writes stay in memory), a bucket prefix is forked copy-on-write to
//! `<prefix>-forks/<run>`. `tools: [read, grep, glob]` offers only those
//! tools (built-in names: read, write, edit, bash, grep, glob, task); by
//! default all are offered.
//!
//! Relative paths (a host-directory sandbox, `result_file`) are relative
//! to the project root. Roles are read on the host from
//! `.wasm-agent/roles/`, so they work whatever the sandbox is; `AGENTS.md`
//! and `.agents/skills/` are read from the sandbox, as the harness does
//! (so a `memory` sandbox has none).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use wasm_agent_harness::context::front_matter;
use wasm_agent_harness::thinking::ThinkingLevel;

use super::error::DefinitionError;
use super::template::Template;

/// The front matter keys an agent file knows, for messages.
const KEYS: &str = "description, model, sandbox, role, tools, commands, result, result_file, \
                    webhook, thinking_level, max_turns";

/// One agent, read from its file.
#[derive(Debug, Clone)]
pub struct AgentDef {
    /// Its name (the file name without `.md`).
    pub name: String,
    /// The file it was read from.
    pub path: PathBuf,
    /// What it does, for listings.
    pub description: Option<String>,
    /// Its model, `provider/model-id`.
    pub model: Option<String>,
    /// Where it works.
    pub sandbox: SandboxSpec,
    /// The role it plays (a file in `.wasm-agent/roles/`).
    pub role: Option<String>,
    /// Host programs granted to its shell.
    pub commands: Vec<CommandSpec>,
    /// The JSON Schema of its result, if it returns a typed one.
    pub result: Option<Value>,
    /// Whether `serve` may run it from an HTTP request.
    pub webhook: bool,
    /// Its thinking level.
    pub thinking_level: Option<ThinkingLevel>,
    /// Most model calls per run.
    pub max_turns: Option<u32>,
    /// With `tools:`, the only tools offered.
    pub tools: Option<Vec<String>>,
    /// The prompt template (the file's body).
    pub template: Template,
}

/// Where an agent works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxSpec {
    /// Which filesystem.
    pub kind: SandboxKind,
    /// Give every run its own copy.
    pub fork: bool,
}

/// The filesystem of a [`SandboxSpec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxKind {
    /// A new in-memory filesystem per run.
    Memory,
    /// A host directory (the project root for `local`), seen as `/`.
    HostDir(PathBuf),
    /// A bucket prefix, seen as `/`.
    Bucket {
        /// `s3://bucket/prefix`.
        url: String,
        /// The S3 endpoint URL.
        endpoint: Option<String>,
        /// The region.
        region: Option<String>,
        /// Path-style addressing.
        path_style: bool,
    },
}

/// A host program granted to the agent's shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    /// The name scripts call it by.
    pub name: String,
    /// The host program (a path, or a name looked up in `PATH`).
    pub program: PathBuf,
    /// Its environment; values may hold `${VAR}`, filled in at run time
    /// from `--env` files, else the process's environment.
    pub env: Vec<(String, String)>,
}

/// Reads the agent `name` from the text of its file at `path`; relative
/// paths in it (`sandbox`, `result_file`) are resolved against `root`
/// (the project root).
pub fn parse(
    name: &str,
    path: &Path,
    text: &str,
    root: &Path,
) -> Result<AgentDef, DefinitionError> {
    let shown = path.display().to_string();
    let document = front_matter::parse(&shown, text)
        .map_err(|e| DefinitionError::new(path, e.message()).at_line(e.line()))?;
    let fail = |key: &str, message: String| {
        DefinitionError::new(path, message)
            .at_line(front_matter::key_line(text, key))
            .in_field(key)
    };
    let template = Template::parse(&document.body, document.body_line).map_err(|e| {
        DefinitionError::new(path, format!("template: {}", e.message)).at_line(Some(e.line))
    })?;
    let mut def = AgentDef {
        name: name.to_owned(),
        path: path.to_path_buf(),
        description: None,
        model: None,
        sandbox: SandboxSpec {
            kind: SandboxKind::Memory,
            fork: false,
        },
        role: None,
        commands: Vec::new(),
        result: None,
        webhook: false,
        thinking_level: None,
        max_turns: None,
        tools: None,
        template,
    };
    let mut result_file: Option<String> = None;
    for (key, value) in document.data {
        let fail = |message: String| fail(&key, message);
        match key.as_str() {
            "description" => def.description = Some(string(&key, value).map_err(fail)?),
            "model" => {
                let model = string(&key, value).map_err(fail)?;
                wasm_agent_harness::provider::registry::check_model(&model).map_err(fail)?;
                def.model = Some(model);
            }
            "sandbox" => def.sandbox = sandbox(value, root).map_err(fail)?,
            "role" => {
                let role = string(&key, value).map_err(fail)?;
                check_word("role", &role).map_err(fail)?;
                def.role = Some(role);
            }
            "commands" => def.commands = commands(value).map_err(fail)?,
            "result" => match value {
                Value::Object(_) => def.result = Some(value),
                other => {
                    return Err(fail(format!(
                        "must be a JSON Schema mapping (type: object, properties: ...), \
                         not {other}"
                    )))
                }
            },
            "result_file" => result_file = Some(string(&key, value).map_err(fail)?),
            "webhook" => match value {
                Value::Bool(b) => def.webhook = b,
                other => return Err(fail(format!("must be true or false, not {other}"))),
            },
            "thinking_level" => {
                let level = string(&key, value).map_err(fail)?;
                def.thinking_level = Some(level.parse().map_err(|e| fail(format!("{e}")))?);
            }
            "max_turns" => match value.as_u64() {
                Some(n @ 1..=10_000) => def.max_turns = Some(n as u32),
                _ => {
                    return Err(fail(format!(
                        "must be a whole number from 1 to 10000, not {value}"
                    )))
                }
            },
            "tools" => def.tools = Some(tool_names(value).map_err(fail)?),
            _ => {
                return Err(fail(format!(
                    "unknown key (a typo?); an agent file knows {KEYS}"
                )))
            }
        }
    }
    if let Some(file) = result_file {
        let fail = |message: String| fail("result_file", message);
        if def.result.is_some() {
            return Err(fail(
                "both 'result' and 'result_file' are given; keep one".to_owned(),
            ));
        }
        let schema_path = root.join(&file);
        let schema = std::fs::read_to_string(&schema_path)
            .map_err(|e| fail(format!("cannot read {}: {e}", schema_path.display())))?;
        let schema: Value = serde_json::from_str(&schema)
            .map_err(|e| fail(format!("{} is not valid JSON: {e}", schema_path.display())))?;
        if !schema.is_object() {
            return Err(fail(format!(
                "{} must hold a JSON Schema object",
                schema_path.display()
            )));
        }
        def.result = Some(schema);
    }
    Ok(def)
}

/// The `tools` list: names of tools, each a word, no repeats.
fn tool_names(value: Value) -> Result<Vec<String>, String> {
    let Value::Array(items) = value else {
        return Err(format!(
            "must be a list of tool names such as [read, grep, glob], not {value}"
        ));
    };
    let mut names: Vec<String> = Vec::new();
    for item in items {
        let name = match item {
            Value::String(name) => name,
            other => return Err(format!("tool names are words, not {other}")),
        };
        check_word("tool", &name)?;
        if names.contains(&name) {
            return Err(format!("'{name}' is listed twice"));
        }
        names.push(name);
    }
    Ok(names)
}

fn string(key: &str, value: Value) -> Result<String, String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
        Value::String(_) => Err(format!("'{key}' is empty")),
        other => Err(format!("must be a string, not {other}")),
    }
}

/// Names that become file names (agents, roles): one plain word.
pub(crate) fn check_word(what: &str, name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        && !name.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} name '{name}' may hold only letters, digits, '-' and '_' \
             (and not start with '-')"
        ))
    }
}

fn sandbox(value: Value, root: &Path) -> Result<SandboxSpec, String> {
    let (source, mut options) = match value {
        Value::String(s) => (s, Map::new()),
        Value::Object(mut map) => {
            let source = match map.remove("source") {
                Some(Value::String(s)) => s,
                Some(other) => return Err(format!("'source' must be a string, not {other}")),
                None => {
                    return Err(
                        "a sandbox mapping needs 'source' (memory, local, a host path \
                                or s3://bucket/prefix)"
                            .to_owned(),
                    )
                }
            };
            (source, map)
        }
        other => {
            return Err(format!(
                "must be memory, local, a host path, s3://bucket/prefix or a mapping with \
                 'source', not {other}"
            ))
        }
    };
    let mut take_bool = |key: &str| match options.remove(key) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(other) => Err(format!("'{key}' must be true or false, not {other}")),
    };
    let fork = take_bool("fork")?;
    let path_style = take_bool("path_style")?;
    let mut take_string = |key: &str| match options.remove(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("'{key}' must be a string, not {other}")),
    };
    let endpoint = take_string("endpoint")?;
    let region = take_string("region")?;
    if let Some(key) = options.keys().next() {
        return Err(format!(
            "unknown sandbox key '{key}'; a sandbox knows source, fork, endpoint, region \
             and path_style"
        ));
    }
    let source = source.trim();
    let kind = if let Some(rest) = source.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!(
                "'{source}' names no bucket; write s3://bucket/prefix"
            ));
        }
        if fork && prefix.trim_matches('/').is_empty() {
            return Err(format!(
                "'fork: true' needs a prefix to fork ('{source}' is a whole bucket): \
                 write s3://{bucket}/prefix"
            ));
        }
        SandboxKind::Bucket {
            url: source.to_owned(),
            endpoint,
            region,
            path_style,
        }
    } else {
        if endpoint.is_some() || region.is_some() || path_style {
            return Err(
                "endpoint, region and path_style only apply to an s3:// sandbox".to_owned(),
            );
        }
        match source {
            "memory" if fork => {
                return Err("a memory sandbox is new for every run already; drop 'fork'".to_owned())
            }
            "memory" => SandboxKind::Memory,
            "local" => SandboxKind::HostDir(root.to_path_buf()),
            "" => return Err("is empty".to_owned()),
            path => SandboxKind::HostDir(root.join(path)),
        }
    };
    Ok(SandboxSpec { kind, fork })
}

fn commands(value: Value) -> Result<Vec<CommandSpec>, String> {
    let Value::Object(map) = value else {
        return Err(format!(
            "must be a mapping of names to {{program: PATH, env: {{NAME: VALUE}}}}, not {value}"
        ));
    };
    let mut specs = Vec::new();
    for (name, spec) in map {
        let spec = match spec {
            // `gh: /usr/bin/gh` is short for `gh: {program: /usr/bin/gh}`.
            Value::String(program) => {
                BTreeMap::from([("program".to_owned(), Value::String(program))])
            }
            Value::Object(map) => map.into_iter().collect(),
            other => {
                return Err(format!(
                    "command '{name}' must be a program path or {{program: PATH, env: ...}}, \
                     not {other}"
                ))
            }
        };
        let mut program = None;
        let mut env = Vec::new();
        for (key, value) in spec {
            match (key.as_str(), value) {
                ("program", Value::String(p)) if !p.trim().is_empty() => {
                    program = Some(PathBuf::from(p.trim()))
                }
                ("env", Value::Object(vars)) => {
                    for (var, value) in vars {
                        let value = match value {
                            Value::String(s) => s,
                            Value::Number(n) => n.to_string(),
                            Value::Bool(b) => b.to_string(),
                            other => {
                                return Err(format!(
                                    "command '{name}': env {var} must be a string, not {other}"
                                ))
                            }
                        };
                        env.push((var, value));
                    }
                }
                ("program" | "env", other) => {
                    return Err(format!("command '{name}': '{key}' cannot be {other}"))
                }
                (other, _) => {
                    return Err(format!(
                        "command '{name}': unknown key '{other}'; a command knows program and env"
                    ))
                }
            }
        }
        let program = program.ok_or_else(|| format!("command '{name}' needs 'program'"))?;
        specs.push(CommandSpec { name, program, env });
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Result<AgentDef, DefinitionError> {
        parse(
            "triage",
            Path::new("/p/.wasm-agent/agents/triage.md"),
            text,
            Path::new("/p"),
        )
    }

    #[test]
    fn a_full_definition_reads() {
        let def = read(
            "---\nmodel: test/m\nsandbox: {source: s3://b/work, endpoint: http://127.0.0.1:1, \
             fork: true}\nrole: rev\nwebhook: true\nthinking_level: low\nmax_turns: 3\n\
             commands:\n  gh: {program: /bin/gh, env: {T: '${TOKEN}'}}\n  ls2: /bin/ls\n\
             result: {type: object}\n---\nHello {{payload.name}}\n",
        )
        .unwrap();
        assert_eq!(def.model.as_deref(), Some("test/m"));
        assert!(def.webhook && def.sandbox.fork);
        assert_eq!(def.max_turns, Some(3));
        assert_eq!(def.result, Some(json!({"type": "object"})));
        assert_eq!(def.commands.len(), 2);
        assert_eq!(def.commands[0].env, vec![("T".into(), "${TOKEN}".into())]);
        assert!(matches!(def.sandbox.kind, SandboxKind::Bucket { .. }));
        assert_eq!(
            read("---\nsandbox: local\n---\nx").unwrap().sandbox.kind,
            SandboxKind::HostDir("/p".into())
        );
    }

    #[test]
    fn errors_name_line_and_field() {
        let err = read("---\nwebhook: true\nmodle: x/y\n---\n").unwrap_err();
        assert_eq!((err.line(), err.field()), (Some(3), Some("modle")));
        assert!(
            err.to_string()
                .starts_with("/p/.wasm-agent/agents/triage.md:3: 'modle': unknown key"),
            "{err}"
        );
        let err = read("---\nmodel: gpt4\n---\n").unwrap_err();
        assert_eq!((err.line(), err.field()), (Some(2), Some("model")));
        let err = read("---\nmax_turns: 0\n---\n").unwrap_err();
        assert_eq!(err.field(), Some("max_turns"));
        let err = read("---\nsandbox: memory\nrole: x\nbad: [\n---\n").unwrap_err();
        assert!(err.line().is_some(), "{err}");
        let err = read("---\nsandbox: {source: memory, fork: true}\n---\n").unwrap_err();
        assert!(err.to_string().contains("drop 'fork'"), "{err}");
        let err = read("---\n---\nline 3\n{{nope}}\n").unwrap_err();
        assert_eq!(err.line(), Some(4));
    }
}
