//! What an agent knows before the conversation starts: the project's
//! instructions, its skills and the role it plays.
//!
//! - [`instructions`]: `AGENTS.md` (or `CLAUDE.md`) files from `/` down to
//!   the working directory.
//! - [`skills`]: `.agents/skills/<name>/SKILL.md`, listed in the system
//!   prompt and read when used.
//! - [`roles`]: `.agents/roles/<name>.md`, instructions with their own model
//!   and thinking level, and the call > role > harness precedence.
//! - [`front_matter`]: the YAML header of skill and role files.
//!
//! [`Context::load`] gathers the first two from a sandbox's filesystem;
//! [`Context::system_prompt`] composes them, with a role, into the system
//! prompt. Everything is read through the sandbox's [`Vfs`], so the same
//! code works over memory, a host directory or a bucket.
//!
//! ```
//! # use wasm_agent::vfs::{MemFs, Vfs};
//! # use wasm_agent_harness::context::{roles::Role, Context};
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let fs = MemFs::new();
//! fs.create_dir_all("/home/user").await.unwrap();
//! fs.write_file("/home/user/AGENTS.md", b"Run the tests before you finish.").await.unwrap();
//! let context = Context::load(&fs, "/home/user").await.unwrap();
//! let role = Role::new("reviewer", "You review code.");
//! let prompt = context.system_prompt("You are a coding agent.", Some(&role));
//! assert!(prompt.contains("Run the tests before you finish."));
//! # });
//! ```

pub mod front_matter;
pub mod instructions;
pub mod roles;
pub mod skills;

use std::fmt;

use wasm_agent::vfs::{path, Errno, Vfs};

pub use instructions::Instructions;
pub use roles::{resolve, ModelChoice, Role, Roles};
pub use skills::{skills_prompt, Problem, Skill};

/// A context file that could not be used: which file, which line if known,
/// what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextError {
    path: Option<String>,
    line: Option<usize>,
    message: String,
}

impl ContextError {
    /// An error about the file or directory `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> ContextError {
        ContextError {
            path: Some(path.into()),
            line: None,
            message: message.into(),
        }
    }

    /// An error about no file in particular (an unknown role, say).
    pub fn without_path(message: impl Into<String>) -> ContextError {
        ContextError {
            path: None,
            line: None,
            message: message.into(),
        }
    }

    /// The same error, pointing at 1-based `line` of the file.
    pub fn at_line(mut self, line: usize) -> ContextError {
        self.line = Some(line);
        self
    }

    /// The sandbox path at fault, if any.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The 1-based line at fault, if known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// What is wrong, without the path and line.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ContextError {
    // `path:line: message`, as compilers and GNU tools print, so editors
    // and people can jump to the spot.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(path), Some(line)) => write!(f, "{path}:{line}: {}", self.message),
            (Some(path), None) => write!(f, "{path}: {}", self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ContextError {}

/// The instructions and skills visible from one working directory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    /// `AGENTS.md`/`CLAUDE.md` files, outermost first.
    pub instructions: Vec<Instructions>,
    /// Skills, sorted by name.
    pub skills: Vec<Skill>,
    /// Skills that could not be loaded, for the caller to log.
    pub problems: Vec<Problem>,
}

impl Context {
    /// Reads the context seen from `cwd` (an absolute sandbox path).
    ///
    /// Errors only for an instruction file that exists but cannot be read;
    /// broken skills end up in [`Context::problems`].
    pub async fn load(fs: &dyn Vfs, cwd: &str) -> Result<Context, ContextError> {
        let instructions = instructions::discover(fs, cwd).await?;
        let (skills, problems) = skills::discover(fs, cwd).await;
        Ok(Context {
            instructions,
            skills,
            problems,
        })
    }

    /// The skill called `name`; the error lists the known ones.
    pub fn skill(&self, name: &str) -> Result<&Skill, ContextError> {
        self.skills.iter().find(|s| s.name == name).ok_or_else(|| {
            let known: Vec<&str> = self.skills.iter().map(|s| s.name.as_str()).collect();
            let known = if known.is_empty() {
                format!(
                    "there are no skills (a skill is a {}/<name>/{} file)",
                    skills::SKILLS_DIR,
                    skills::SKILL_FILE
                )
            } else {
                format!("known skills: {}", known.join(", "))
            };
            let dir = format!("/{}/{name}", skills::SKILLS_DIR);
            let broken = self
                .problems
                .iter()
                .find(|p| p.path.ends_with(&dir) || p.path.contains(&format!("{dir}/")));
            match broken {
                Some(problem) => ContextError::without_path(format!(
                    "skill '{name}' could not be loaded: {problem}"
                )),
                None => ContextError::without_path(format!("unknown skill '{name}'; {known}")),
            }
        })
    }

    /// The system prompt: `base`, then the role's instructions, then each
    /// instruction file under a header naming it, then the list of skills.
    /// Empty parts are left out.
    pub fn system_prompt(&self, base: &str, role: Option<&Role>) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !base.trim().is_empty() {
            parts.push(base.trim().to_owned());
        }
        if let Some(role) = role.filter(|r| !r.instructions.trim().is_empty()) {
            parts.push(format!(
                "# Role: {}\n\n{}",
                role.name,
                role.instructions.trim()
            ));
        }
        for file in &self.instructions {
            if !file.text.trim().is_empty() {
                parts.push(format!(
                    "# Instructions from {}\n\n{}",
                    file.path,
                    file.text.trim()
                ));
            }
        }
        let skills = skills::skills_prompt(&self.skills);
        if !skills.is_empty() {
            parts.push(skills.trim_end().to_owned());
        }
        let mut prompt = parts.join("\n\n");
        prompt.push('\n');
        prompt
    }
}

/// `dir` joined with the relative `name` (no normalising needed: both are
/// already clean).
pub(crate) fn join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// `cwd` (normalised) and each of its ancestors, nearest first, ending at
/// `/`. A relative `cwd` is an error: the sandbox has no other place to
/// start from.
pub(crate) fn ancestors(cwd: &str) -> Result<Vec<String>, ContextError> {
    if !cwd.starts_with('/') {
        return Err(ContextError::new(
            cwd,
            "the working directory must be an absolute sandbox path (starting with '/')",
        ));
    }
    let mut dir = path::normalize(cwd)
        .map_err(|e| ContextError::new(cwd, format!("not a usable working directory: {e}")))?;
    let mut dirs = vec![dir.clone()];
    while let Some((parent, _)) = path::split_parent(&dir) {
        dir = parent.to_owned();
        dirs.push(dir.clone());
    }
    Ok(dirs)
}

/// The UTF-8 text of the file at `path`, or `None` if there is none there
/// (including when a directory on the way does not exist).
pub(crate) async fn read_text(fs: &dyn Vfs, path: &str) -> Result<Option<String>, ContextError> {
    let bytes = match fs.read_file(path).await {
        Ok(bytes) => bytes,
        Err(err) if matches!(err.errno(), Errno::NoEnt | Errno::NotDir) => return Ok(None),
        Err(err) if err.errno() == Errno::IsDir => {
            return Err(ContextError::new(
                path,
                "is a directory, not a file; rename or remove it",
            ))
        }
        Err(err) => return Err(ContextError::new(path, format!("cannot read it: {err}"))),
    };
    String::from_utf8(bytes).map(Some).map_err(|err| {
        ContextError::new(
            path,
            format!(
                "is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                err.utf8_error().valid_up_to()
            ),
        )
    })
}
