//! Running the built `wasm-agent` with a clean environment.

use std::process::Command;

/// What one run printed and returned.
#[derive(Debug)]
pub struct Run {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit status.
    pub status: i32,
}

impl Run {
    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.status, 0, "{self:#?}");
        &self.stdout
    }

    /// Asserts exit status `status` and that stderr holds every part.
    #[track_caller]
    pub fn fails(&self, status: i32, parts: &[&str]) {
        assert_eq!(self.status, status, "{self:#?}");
        for part in parts {
            assert!(self.stderr.contains(part), "'{part}' missing: {self:#?}");
        }
    }
}

/// Runs `wasm-agent ARGS` with `env` added to an environment cleared of
/// S3 and Tigris settings (so the developer's keys never leak in), stdin
/// empty and stderr a pipe (no progress bars).
pub fn wasm_agent(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wasm-agent"));
    command.args(args).stdin(std::process::Stdio::null());
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") || name.starts_with("TIGRIS_") {
            command.env_remove(name);
        }
    }
    // No ~/.aws of the developer: keys and region come from `env` alone.
    command.env("AWS_CONFIG_FILE", "/nonexistent/wasm-agent-test/config");
    command.env(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/wasm-agent-test/credentials",
    );
    command.envs(env.iter().copied());
    let output = command.output().expect("run wasm-agent");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        status: output.status.code().unwrap_or(-1),
    }
}
