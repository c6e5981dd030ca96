//! Roles: named ways for an agent to work ("reviewer", "planner"), each
//! with its own instructions and, optionally, its own model and thinking
//! level.
//!
//! A role is a markdown file `<name>.md` in a roles directory (by default
//! `<cwd>/.agents/roles`, see [`default_dir`]):
//!
//! ```text
//! ---
//! description: Reviews changes for bugs.
//! model: anthropic/claude-sonnet-4-5
//! thinking_level: high
//! ---
//! You review code. Point at lines; do not rewrite them.
//! ```
//!
//! Every front matter key is optional; the body is the role's
//! instructions. Unknown keys are errors, so a misspelt `modle:` is caught
//! instead of silently ignored. Roles can also be built in code with
//! [`Role::new`].
//!
//! Which model and thinking level a call uses is decided by [`resolve`]:
//! what the call gives, else what its role gives, else the harness default.

use std::collections::BTreeMap;

use serde_json::Value;
use wasm_agent::vfs::{Errno, Vfs};

use super::{front_matter, join, read_text, ContextError};
use crate::thinking::ThinkingLevel;

/// Where roles live, relative to the working directory, by default.
pub const ROLES_DIR: &str = ".agents/roles";

/// The spellings accepted for the thinking level key (YAML files tend to
/// use `_` or `-`, JSON-minded ones camel case).
const THINKING_KEYS: [&str; 3] = ["thinking_level", "thinking-level", "thinkingLevel"];

/// The roles directory used when none is given: `<cwd>/.agents/roles`.
pub fn default_dir(cwd: &str) -> String {
    join(cwd, ROLES_DIR)
}

/// One role: instructions plus optional model and thinking level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// The name calls refer to it by (the file name without `.md`).
    pub name: String,
    /// What the role is for, for people and for listing roles.
    pub description: Option<String>,
    /// The model it runs on, as `provider/model-id`, unless a call says
    /// otherwise.
    pub model: Option<String>,
    /// Its thinking level, unless a call says otherwise.
    pub thinking_level: Option<ThinkingLevel>,
    /// What the model is told to be and do (the file's body).
    pub instructions: String,
}

impl Role {
    /// A role with these instructions and no model or thinking level of its
    /// own (the harness's apply).
    pub fn new(name: impl Into<String>, instructions: impl Into<String>) -> Role {
        Role {
            name: name.into(),
            description: None,
            model: None,
            thinking_level: None,
            instructions: instructions.into(),
        }
    }

    /// Sets the description (default: none).
    pub fn with_description(mut self, description: impl Into<String>) -> Role {
        self.description = Some(description.into());
        self
    }

    /// Sets the model, `provider/model-id` (default: none, so the call's or
    /// the harness's applies). Checked when it is used, by the provider.
    pub fn with_model(mut self, model: impl Into<String>) -> Role {
        self.model = Some(model.into());
        self
    }

    /// Sets the thinking level (default: none, so the call's or the
    /// harness's applies).
    pub fn with_thinking_level(mut self, level: ThinkingLevel) -> Role {
        self.thinking_level = Some(level);
        self
    }

    /// Reads a role from the text of its file at `path`; `name` is what the
    /// role will be called.
    pub fn parse(name: &str, path: &str, text: &str) -> Result<Role, ContextError> {
        let document = front_matter::parse(path, text)?;
        let fail = |key: &str, message: String| {
            let err = ContextError::new(path, message);
            match front_matter::key_line(text, key) {
                Some(line) => err.at_line(line),
                None => err,
            }
        };
        let mut role = Role::new(name, document.body.trim());
        let mut thinking_key: Option<String> = None;
        for (key, value) in document.data {
            let string = |value: Value| match value {
                Value::String(s) => Ok(s.trim().to_owned()),
                other => Err(fail(&key, format!("'{key}' must be a string, not {other}"))),
            };
            match key.as_str() {
                "description" => role.description = Some(string(value)?),
                "name" => {
                    let given = string(value)?;
                    if given != name {
                        return Err(fail(
                            &key,
                            format!(
                                "'name: {given}' differs from the file name; the role is \
                                 called '{name}' after its file, so drop 'name' or rename \
                                 the file"
                            ),
                        ));
                    }
                }
                "model" => {
                    let model = string(value)?;
                    crate::provider::registry::check_model(&model)
                        .map_err(|message| fail(&key, message))?;
                    role.model = Some(model);
                }
                key if THINKING_KEYS.contains(&key) => {
                    if let Some(first) = &thinking_key {
                        return Err(fail(
                            key,
                            format!("both '{first}' and '{key}' are given; keep one"),
                        ));
                    }
                    thinking_key = Some(key.to_owned());
                    let level = string(value)?
                        .parse::<ThinkingLevel>()
                        .map_err(|e| fail(key, e.to_string()))?;
                    role.thinking_level = Some(level);
                }
                other => {
                    return Err(fail(
                        other,
                        format!(
                            "unknown front matter key '{other}'; a role knows description, \
                             model and thinking_level"
                        ),
                    ))
                }
            }
        }
        Ok(role)
    }
}

/// The roles an agent can take, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roles {
    /// Where they were loaded from, for messages.
    dir: Option<String>,
    roles: BTreeMap<String, Role>,
}

impl Roles {
    /// No roles; add some with [`Roles::insert`].
    pub fn new() -> Roles {
        Roles::default()
    }

    /// The roles in `dir` (every `*.md` file in it; other entries are
    /// ignored). A missing directory means no roles. A role file that
    /// cannot be read or parsed is an error naming it (and the line), since
    /// a call asking for that role could not do what its author meant.
    pub async fn load(fs: &dyn Vfs, dir: &str) -> Result<Roles, ContextError> {
        let mut roles = Roles {
            dir: Some(dir.to_owned()),
            roles: BTreeMap::new(),
        };
        let entries = match fs.read_dir(dir).await {
            Ok(entries) => entries,
            Err(err) if matches!(err.errno(), Errno::NoEnt | Errno::NotDir) => return Ok(roles),
            Err(err) => {
                return Err(ContextError::new(
                    dir,
                    format!("cannot list the roles directory: {err}"),
                ))
            }
        };
        for entry in entries {
            let Some(name) = entry.name.strip_suffix(".md") else {
                continue;
            };
            let path = join(dir, &entry.name);
            match fs.metadata(&path).await {
                Ok(meta) if meta.is_file() => {}
                _ => continue,
            }
            if !is_valid_name(name) {
                return Err(ContextError::new(
                    &path,
                    "a role's file name must be 1 to 64 letters, digits, '-' or '_' \
                     followed by '.md'; rename the file",
                ));
            }
            let text = read_text(fs, &path)
                .await?
                .ok_or_else(|| ContextError::new(&path, "the role file vanished while loading"))?;
            roles.insert(Role::parse(name, &path, &text)?);
        }
        Ok(roles)
    }

    /// Adds `role`, replacing (and returning) one of the same name.
    pub fn insert(&mut self, role: Role) -> Option<Role> {
        self.roles.insert(role.name.clone(), role)
    }

    /// The role called `name`; the error lists the known ones.
    pub fn get(&self, name: &str) -> Result<&Role, ContextError> {
        self.roles.get(name).ok_or_else(|| {
            let known = if self.roles.is_empty() {
                "there are no roles".to_owned()
            } else {
                format!(
                    "known roles: {}",
                    self.names().collect::<Vec<_>>().join(", ")
                )
            };
            let place = match &self.dir {
                Some(dir) => format!(" (looked for {})", join(dir, &format!("{name}.md"))),
                None => String::new(),
            };
            ContextError::without_path(format!("unknown role '{name}'{place}; {known}"))
        })
    }

    /// The role names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.roles.keys().map(String::as_str)
    }

    /// The roles, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &Role> {
        self.roles.values()
    }

    /// How many roles there are.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }
}

/// 1 to 64 ASCII letters, digits, `-` or `_`: a name that is also a file
/// name everywhere.
fn is_valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A model and thinking level, each possibly unset: what a call, or the
/// harness, asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelChoice {
    /// `provider/model-id`.
    pub model: Option<String>,
    /// How hard the model thinks.
    pub thinking_level: Option<ThinkingLevel>,
}

impl ModelChoice {
    /// The model, or an error saying where one can be given.
    pub fn require_model(&self) -> Result<&str, ContextError> {
        self.model.as_deref().ok_or_else(|| {
            ContextError::without_path(
                "no model to use: give one as \"provider/model-id\" in the call, \
                 in its role, or in the harness options",
            )
        })
    }
}

/// The model and thinking level a call runs with, each chosen separately:
/// the call's if it gives one, else its role's, else the harness's.
///
/// Separately means a role that sets only a thinking level keeps the
/// harness's model, and a call that sets only a model keeps the role's
/// thinking level.
pub fn resolve(call: &ModelChoice, role: Option<&Role>, harness: &ModelChoice) -> ModelChoice {
    let role_model = role.and_then(|r| r.model.clone());
    let role_thinking = role.and_then(|r| r.thinking_level);
    ModelChoice {
        model: call
            .model
            .clone()
            .or(role_model)
            .or_else(|| harness.model.clone()),
        thinking_level: call
            .thinking_level
            .or(role_thinking)
            .or(harness.thinking_level),
    }
}
