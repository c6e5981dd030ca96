//! A project: the directory holding `.wasm-agent/`, its agents, roles,
//! sessions and config.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use wasm_agent_harness::context::roles::Role;
use wasm_agent_harness::store::{SessionStore, VfsStore};

use super::config::Config;
use super::definition::{self, check_word, AgentDef};
use super::error::DefinitionError;

/// The directory that marks a project root.
pub const PROJECT_DIR: &str = ".wasm-agent";

/// A project found on disk. Holds one wasm runtime, started at the first
/// run and shared by every later run (a server runs many).
#[derive(Debug)]
pub struct Project {
    root: PathBuf,
    config: Config,
    runtime: OnceLock<wasm_agent::Runtime>,
}

impl Project {
    /// The project holding `start`: the nearest directory from `start`
    /// upward that has a `.wasm-agent/` directory.
    pub fn discover(start: &Path) -> Result<Project, DefinitionError> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        for dir in start.ancestors() {
            if dir.join(PROJECT_DIR).is_dir() {
                return Project::open(dir);
            }
        }
        Err(DefinitionError::without_path(format!(
            "no {PROJECT_DIR}/ directory in {} or above it; create \
             {PROJECT_DIR}/agents/<name>.md at the project root",
            start.display()
        )))
    }

    /// The project at `root` (which must hold `.wasm-agent/`), with the
    /// config file at its root if any.
    pub fn open(root: &Path) -> Result<Project, DefinitionError> {
        if !root.join(PROJECT_DIR).is_dir() {
            return Err(DefinitionError::new(
                root,
                format!("not a project: there is no {PROJECT_DIR}/ directory here"),
            ));
        }
        Ok(Project {
            root: root.to_path_buf(),
            config: Config::load_root(root)?,
            runtime: OnceLock::new(),
        })
    }

    /// Uses the config file at `path` instead of the one at the root.
    pub fn with_config_file(mut self, path: &Path) -> Result<Project, DefinitionError> {
        self.config = Config::load(path)?;
        Ok(self)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Where agent files are.
    pub fn agents_dir(&self) -> PathBuf {
        self.root.join(PROJECT_DIR).join("agents")
    }

    /// Where role files are.
    pub fn roles_dir(&self) -> PathBuf {
        self.root.join(PROJECT_DIR).join("roles")
    }

    /// Where `run` keeps sessions.
    pub fn sessions_dir(&self) -> PathBuf {
        self.root.join(PROJECT_DIR).join("sessions")
    }

    /// The session store of `run`: JSON files in [`Self::sessions_dir`]
    /// (created if missing).
    pub fn session_store(&self) -> Result<Arc<dyn SessionStore>, String> {
        let dir = self.sessions_dir();
        std::fs::create_dir_all(&dir).map_err(|e| {
            format!(
                "cannot create the sessions directory {}: {e}",
                dir.display()
            )
        })?;
        let store = VfsStore::directory(&dir).map_err(|e| e.to_string())?;
        Ok(Arc::new(store))
    }

    /// The agent `name`, read from its file.
    pub fn agent(&self, name: &str) -> Result<AgentDef, DefinitionError> {
        let dir = self.agents_dir();
        check_word("agent", name).map_err(|m| DefinitionError::unknown_agent(&dir, m))?;
        let path = dir.join(format!("{name}.md"));
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let known = self.agent_names().unwrap_or_default();
                let known = if known.is_empty() {
                    "there are no agents yet".to_owned()
                } else {
                    format!("known agents: {}", known.join(", "))
                };
                return Err(DefinitionError::unknown_agent(
                    &path,
                    format!("no agent named '{name}' ({known}); create {name}.md there"),
                ));
            }
            Err(err) => return Err(DefinitionError::new(&path, format!("cannot read: {err}"))),
        };
        let def = definition::parse(name, &path, &text, &self.root)?;
        if let Some(role) = &def.role {
            if !self.roles_dir().join(format!("{role}.md")).is_file() {
                return Err(DefinitionError::new(
                    &path,
                    format!(
                        "no role '{role}': there is no {}",
                        self.roles_dir().join(format!("{role}.md")).display()
                    ),
                )
                .at_line(wasm_agent_harness::context::front_matter::key_line(
                    &text, "role",
                ))
                .in_field("role"));
            }
        }
        Ok(def)
    }

    /// Every agent, sorted by name; the first broken file is an error.
    pub fn agents(&self) -> Result<Vec<AgentDef>, DefinitionError> {
        self.agent_names()?
            .iter()
            .map(|name| self.agent(name))
            .collect()
    }

    /// The names of the agent files, sorted.
    pub fn agent_names(&self) -> Result<Vec<String>, DefinitionError> {
        let dir = self.agents_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(DefinitionError::new(&dir, format!("cannot list: {err}"))),
        };
        let mut names: Vec<String> = entries
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let name = name.strip_suffix(".md")?;
                check_word("agent", name).ok()?;
                Some(name.to_owned())
            })
            .collect();
        names.sort();
        Ok(names)
    }

    /// The role `name` from `.wasm-agent/roles/<name>.md`.
    pub fn role(&self, name: &str) -> Result<Role, DefinitionError> {
        let path = self.roles_dir().join(format!("{name}.md"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| DefinitionError::new(&path, format!("cannot read the role: {e}")))?;
        Role::parse(name, &path.display().to_string(), &text)
            .map_err(|e| DefinitionError::new(&path, e.message()).at_line(e.line()))
    }

    /// The wasm runtime shared by this project's runs.
    pub fn runtime(&self) -> Result<wasm_agent::Runtime, String> {
        if let Some(runtime) = self.runtime.get() {
            return Ok(runtime.clone());
        }
        let runtime = wasm_agent::Runtime::new()
            .map_err(|e| format!("cannot start the wasm runtime: {e}"))?;
        Ok(self.runtime.get_or_init(|| runtime).clone())
    }
}
