//! Skills: instructions for one kind of task, loaded when the task comes.
//!
//! A skill is a directory `.agents/skills/<name>/` holding `SKILL.md`
//! (and any files it refers to). Its front matter says what it is for:
//!
//! ```text
//! ---
//! name: pdf
//! description: Fill in PDF forms. Use when the user gives a PDF form.
//! ---
//! Step-by-step instructions...
//! ```
//!
//! Skills are looked for in the working directory and each of its
//! ancestors up to `/`; when two carry the same name, the one nearest the
//! working directory wins, as a local setting overrides a global one. The
//! system prompt lists only names and descriptions ([`skills_prompt`]); the
//! body is read when the skill is used ([`Skill::body`]), so a hundred
//! skills cost a hundred lines, not a hundred files.
//!
//! **Names.** `name` must match `[a-z0-9-]{1,64}` and equal the skill's
//! directory name (as the Agent Skills format requires). A skill is run by
//! name, and the directory is where the name can be seen and is unique, so
//! a differing `name` would let two skills claim one name; such a skill is
//! reported as a problem and left out. Without `name`, the directory name
//! is used.

use serde_json::{Map, Value};
use wasm_agent::vfs::{Errno, Vfs};

use super::{ancestors, front_matter, join, read_text, ContextError};

/// Where skills live, relative to a directory that has them.
pub const SKILLS_DIR: &str = ".agents/skills";
/// The file that makes a directory a skill.
pub const SKILL_FILE: &str = "SKILL.md";
/// The longest accepted skill name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// The longest accepted description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1024;

/// A skill found on disk; its body is read only when it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct Skill {
    /// The name it is run by; equals its directory's name.
    pub name: String,
    /// What it does and when to use it, shown to the model.
    pub description: String,
    /// The absolute sandbox path of its `SKILL.md`.
    pub path: String,
    /// The absolute sandbox path of its directory (files it names are
    /// relative to this).
    pub dir: String,
    /// The other keys of its front matter (for example `allowed-tools`),
    /// kept for callers that know them.
    pub metadata: Map<String, Value>,
}

/// A skill that could not be loaded, for the caller to log; discovery goes
/// on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file or directory at fault.
    pub path: String,
    /// What is wrong with it, and how to fix it.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl From<ContextError> for Problem {
    fn from(err: ContextError) -> Problem {
        let path = err.path().unwrap_or_default().to_owned();
        let message = match err.line() {
            Some(line) => format!("line {line}: {}", err.message()),
            None => err.message().to_owned(),
        };
        Problem { path, message }
    }
}

impl Skill {
    /// Reads the skill's instructions: `SKILL.md` without its front matter.
    ///
    /// Errors if the file has gone, changed into something unreadable, or
    /// its front matter no longer parses.
    pub async fn body(&self, fs: &dyn Vfs) -> Result<String, ContextError> {
        let text = read_text(fs, &self.path).await?.ok_or_else(|| {
            ContextError::new(
                &self.path,
                format!("the skill '{}' has no SKILL.md any more", self.name),
            )
        })?;
        Ok(front_matter::parse(&self.path, &text)?.body)
    }

    /// The user message that runs this skill: its instructions (`body`, as
    /// from [`Skill::body`]) and the arguments as JSON, if any.
    pub fn invocation(&self, body: &str, args: Option<&Value>) -> String {
        let mut message = format!(
            "Run the skill \"{}\" now, following its instructions below. \
             Paths in it are relative to the skill's directory, {}.\n\n\
             <skill name=\"{}\" path=\"{}\">\n{}\n</skill>\n",
            self.name,
            self.dir,
            self.name,
            self.path,
            body.trim()
        );
        match args {
            None | Some(Value::Null) => message.push_str("\nThe skill was given no arguments.\n"),
            Some(args) => {
                let json = serde_json::to_string_pretty(args).unwrap_or_else(|_| args.to_string());
                message.push_str(&format!("\nArguments:\n```json\n{json}\n```\n"));
            }
        }
        message
    }
}

/// True if `name` is a valid skill name: 1 to 64 of `a-z`, `0-9` and `-`.
pub fn is_valid_name(name: &str) -> bool {
    (1..=MAX_NAME_CHARS).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The skills visible from `cwd`, sorted by name, and the problems met on
/// the way (broken skills are left out, never fatal).
pub async fn discover(fs: &dyn Vfs, cwd: &str) -> (Vec<Skill>, Vec<Problem>) {
    let mut skills: Vec<Skill> = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let dirs = match ancestors(cwd) {
        Ok(dirs) => dirs,
        Err(err) => return (skills, vec![err.into()]),
    };
    for dir in dirs {
        let root = join(&dir, SKILLS_DIR);
        let entries = match fs.read_dir(&root).await {
            Ok(entries) => entries,
            Err(err) if matches!(err.errno(), Errno::NoEnt | Errno::NotDir) => continue,
            Err(err) => {
                problems.push(Problem {
                    path: root,
                    message: format!("cannot list skills: {err}"),
                });
                continue;
            }
        };
        let mut names: Vec<String> = entries.into_iter().map(|e| e.name).collect();
        names.sort();
        for name in names {
            let skill_dir = join(&root, &name);
            // Stray files beside the skill directories are not skills.
            match fs.metadata(&skill_dir).await {
                Ok(meta) if meta.is_dir() => {}
                _ => continue,
            }
            // Nearer directories come first, so a name already seen belongs
            // to a nearer skill, which wins. A broken nearer skill shadows
            // too: falling back to a farther one would change behaviour
            // silently when a file is mistyped.
            if !seen.insert(name.clone()) {
                continue;
            }
            match load(fs, &skill_dir, &name).await {
                Ok(skill) => skills.push(skill),
                Err(problem) => problems.push(problem),
            }
        }
    }
    skills.sort_by(|a, b| a.name.cmp(&b.name));
    (skills, problems)
}

/// Loads the skill in `dir`, whose name is `dir_name`.
async fn load(fs: &dyn Vfs, dir: &str, dir_name: &str) -> Result<Skill, Problem> {
    let path = join(dir, SKILL_FILE);
    let text = read_text(fs, &path).await?.ok_or_else(|| Problem {
        path: dir.to_owned(),
        message: format!("this skill directory has no {SKILL_FILE}; add one or remove it"),
    })?;
    let problem = |message: String| Problem {
        path: path.clone(),
        message,
    };
    let mut data = front_matter::parse(&path, &text)?.data;
    if !is_valid_name(dir_name) {
        return Err(Problem {
            path: dir.to_owned(),
            message: format!(
                "'{dir_name}' is not a valid skill name: use 1 to {MAX_NAME_CHARS} \
                 lowercase letters, digits and '-', and rename the directory"
            ),
        });
    }
    let name = match data.remove("name") {
        None => dir_name.to_owned(),
        Some(Value::String(name)) if name == dir_name => name,
        Some(Value::String(name)) => {
            return Err(problem(format!(
                "front matter 'name: {name}' differs from the directory name \
                 '{dir_name}'; a skill's name must equal its directory's"
            )))
        }
        Some(other) => {
            return Err(problem(format!(
                "front matter 'name' must be a string, not {other}"
            )))
        }
    };
    let description = match data.remove("description") {
        Some(Value::String(text)) if !text.trim().is_empty() => text.trim().to_owned(),
        None | Some(Value::Null) => {
            return Err(problem(
                "front matter has no 'description'; add one saying what the skill \
                 does and when to use it"
                    .to_owned(),
            ))
        }
        Some(Value::String(_)) => {
            return Err(problem("front matter 'description' is empty".to_owned()))
        }
        Some(other) => {
            return Err(problem(format!(
                "front matter 'description' must be a string, not {other}"
            )))
        }
    };
    let chars = description.chars().count();
    if chars > MAX_DESCRIPTION_CHARS {
        return Err(problem(format!(
            "front matter 'description' is {chars} characters long; \
             keep it to {MAX_DESCRIPTION_CHARS} and move details into the body"
        )));
    }
    Ok(Skill {
        name,
        description,
        path,
        dir: dir.to_owned(),
        metadata: data,
    })
}

/// The system-prompt section that lists `skills` and tells the model how
/// to use them; empty when there are none.
pub fn skills_prompt(skills: &[Skill]) -> String {
    if skills.is_empty() {
        return String::new();
    }
    let mut prompt = String::from(
        "# Skills\n\n\
         Skills are instructions for particular tasks. When a task matches a \
         skill's description, read the skill's SKILL.md with the `read` tool \
         before you start and follow it; paths in it are relative to the \
         directory of that SKILL.md. Read a skill only when it applies.\n\n\
         Available skills:\n",
    );
    for skill in skills {
        // Descriptions may span lines in YAML; one line each keeps the list
        // readable.
        let description: Vec<&str> = skill.description.split_whitespace().collect();
        prompt.push_str(&format!(
            "- {}: {} ({})\n",
            skill.name,
            description.join(" "),
            skill.path
        ));
    }
    prompt
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_words_with_hyphens() {
        assert!(is_valid_name("pdf-forms2"));
        assert!(is_valid_name(&"a".repeat(64)));
        assert!(!is_valid_name(&"a".repeat(65)));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("PDF"));
        assert!(!is_valid_name("pdf_forms"));
        assert!(!is_valid_name("pdf forms"));
    }
}
