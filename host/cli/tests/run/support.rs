//! A temporary project and the `wasm-agent run` process.

use std::path::Path;
use std::process::{Command, Output};

use wasm_agent_scripted_llm::ScriptedLlm;

/// A project directory with `.wasm-agent/` and a config whose provider
/// `scripted` is `server` (Anthropic format); `[defaults] model` is
/// `scripted/m`.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new(server: &ScriptedLlm) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".wasm-agent/agents")).unwrap();
        std::fs::write(
            dir.path().join("wasm-agent.toml"),
            format!(
                "[defaults]\nmodel = \"scripted/m\"\n\n[providers.scripted]\n\
                 base_url = \"{}\"\nformat = \"anthropic\"\napi_key_env = \"SCRIPTED_KEY\"\n",
                server.base_url()
            ),
        )
        .unwrap();
        Project { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `.wasm-agent/agents/<name>.md`.
    pub fn agent(&self, name: &str, text: &str) -> &Project {
        self.file(&format!(".wasm-agent/agents/{name}.md"), text)
    }

    /// Writes a file of the project.
    pub fn file(&self, path: &str, text: &str) -> &Project {
        let path = self.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Runs `wasm-agent run ARGS` in `dir` (a directory of the project).
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Run {
        self.run_with(dir, args, &[])
    }

    /// Runs `wasm-agent run ARGS` in `dir` with the variables `env` set.
    pub fn run_with(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_wasm-agent"))
            .arg("run")
            .args(args)
            .current_dir(dir)
            .env("SCRIPTED_KEY", "test-key")
            .env_remove("WASM_AGENT_MODEL")
            .env_remove("WASM_AGENT_CONFIG")
            .envs(env.iter().copied())
            .output()
            .expect("wasm-agent starts");
        Run::from(output)
    }

    /// Runs `wasm-agent run ARGS` at the project root.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.path(), args)
    }
}

/// A finished process.
pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            status: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts exit status 0 and returns stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(
            self.status,
            Some(0),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// Asserts `status` and that stderr holds `needle`.
    pub fn fails(&self, status: i32, needle: &str) {
        assert_eq!(
            self.status,
            Some(status),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
    }
}

/// The text of every message of a recorded Anthropic request, in order.
pub fn conversation(body: &serde_json::Value) -> String {
    body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
