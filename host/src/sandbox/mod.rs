//! The sandbox: a filesystem plus the runtime that runs tools over it.
//!
//! This is the contract agent frameworks use: file operations by path, and
//! running a tool by argv with stdin, env, cwd and timeout, getting back
//! stdout, stderr and the exit status. A sandbox costs one small allocation
//! to create; [`Sandbox::fork`] and [`Sandbox::snapshot`] are O(1) on the
//! in-memory filesystem.

mod exec;
mod files;

pub use files::Files;

use crate::error::{Error, ErrorKind, Result};
use crate::host_command::{HostCall, HostCommand};
use crate::runtime::{Command, Limits, Runtime};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::SystemTime;
use wasm_agent_vfs::path::join_normalized;
use wasm_agent_vfs::{DevFs, MemFs, MountFs, Vfs};

/// What [`Sandbox::stat`] tells about a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    /// A regular file.
    pub is_file: bool,
    /// A directory.
    pub is_dir: bool,
    /// A symbolic link (the path itself, not followed).
    pub is_symlink: bool,
    /// Size in bytes.
    pub size: u64,
    /// Last modification time.
    pub mtime: SystemTime,
}

/// Options of [`Sandbox::rm`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RmOptions {
    /// Remove directories and their contents.
    pub recursive: bool,
    /// Succeed when the path does not exist.
    pub force: bool,
}

/// The result of a command whose output was captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutput {
    /// Everything written to stdout (up to the output limit).
    pub stdout: Vec<u8>,
    /// Everything written to stderr (up to the output limit).
    pub stderr: Vec<u8>,
    /// The exit status: the tool's own, or 124 (timeout), 127 (unknown
    /// command), 137 (memory limit), 141 (output limit), 134 (crash).
    pub exit_code: i32,
    /// Stdout passed the output limit and was cut.
    pub stdout_truncated: bool,
    /// Stderr passed the output limit and was cut.
    pub stderr_truncated: bool,
}

impl CommandOutput {
    /// Stdout as text (invalid UTF-8 replaced).
    pub fn stdout_lossy(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Stderr as text (invalid UTF-8 replaced).
    pub fn stderr_lossy(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// True if the exit status is 0.
    pub fn success(&self) -> bool {
        self.exit_code == 0
    }
}

/// A saved state of a sandbox's filesystem; see [`Sandbox::snapshot`].
#[derive(Debug, Clone)]
pub struct Snapshot {
    fs: Arc<dyn Vfs>,
}

/// An isolated filesystem with tools to run over it.
#[derive(Debug)]
pub struct Sandbox {
    runtime: Runtime,
    fs: RwLock<Arc<dyn Vfs>>,
    cwd: String,
    env: Vec<(String, String)>,
    limits: Option<Limits>,
    host_commands: Arc<HashMap<String, HostCommand>>,
    shell_limits: wasm_agent_shell::Limits,
    /// With [`SandboxBuilder::keep_shell_state`]: the shell whose state
    /// carries over from one [`Sandbox::exec`] to the next.
    kept_shell: Option<tokio::sync::Mutex<wasm_agent_shell::Shell>>,
    /// A configured shell that each fresh [`Sandbox::exec`] clones, built
    /// at the first call.
    shell_template: std::sync::OnceLock<wasm_agent_shell::Shell>,
}

impl Sandbox {
    /// An empty in-memory sandbox (no quota) using `runtime`'s tools.
    pub fn new(runtime: &Runtime) -> Sandbox {
        Sandbox::builder(runtime).build()
    }

    /// Starts configuring a sandbox.
    pub fn builder(runtime: &Runtime) -> SandboxBuilder {
        SandboxBuilder {
            runtime: runtime.clone(),
            fs: None,
            quota: Some(DEFAULT_QUOTA),
            dev: true,
            cwd: "/".to_string(),
            env: Vec::new(),
            limits: None,
            host_commands: HashMap::new(),
            shell_limits: wasm_agent_shell::Limits::default(),
            keep_shell_state: false,
        }
    }

    /// The filesystem commands currently see.
    pub fn fs(&self) -> Arc<dyn Vfs> {
        self.fs.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The working directory of commands and the base of relative paths.
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// The runtime running this sandbox's commands.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    fn resolve(&self, path: &str) -> Result<String> {
        Ok(join_normalized(&self.cwd, path)?)
    }

    /// The sandbox's file operations, relative paths starting at its
    /// working directory.
    pub fn files(&self) -> Files {
        Files::new(self.fs(), self.cwd.clone())
    }

    /// Reads a file as UTF-8 text; see [`Files::read_file`].
    pub async fn read_file(&self, path: &str) -> Result<String> {
        self.files().read_file(path).await
    }

    /// Reads a file's bytes.
    pub async fn read_file_bytes(&self, path: &str) -> Result<Vec<u8>> {
        self.files().read_file_bytes(path).await
    }

    /// Writes a file, creating it and any missing parent directories, and
    /// replacing its contents if it exists.
    pub async fn write_file(&self, path: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        self.files().write_file(path, contents).await
    }

    /// Saves every change a backend holds in a local cache (a bucket
    /// mounted write-back) to its store; see [`Vfs::flush`]. The error
    /// lists every path that could not be saved; those changes are kept,
    /// so calling `flush` again retries them.
    pub async fn flush(&self) -> Result<()> {
        Ok(self.fs().flush().await?)
    }

    /// Metadata of `path` (not following a final symlink, so `is_symlink`
    /// can be true).
    pub async fn stat(&self, path: &str) -> Result<FileStat> {
        self.files().stat(path).await
    }

    /// The names in a directory, sorted.
    pub async fn read_dir(&self, path: &str) -> Result<Vec<String>> {
        self.files().read_dir(path).await
    }

    /// True if `path` exists (following symlinks). Never errors.
    pub async fn exists(&self, path: &str) -> bool {
        self.files().exists(path).await
    }

    /// Creates a directory; with `recursive`, also its parents, and an
    /// existing directory is not an error (`mkdir -p`).
    pub async fn mkdir(&self, path: &str, recursive: bool) -> Result<()> {
        self.files().mkdir(path, recursive).await
    }

    /// Removes a file, or with `recursive` a directory tree; with `force`,
    /// a missing path is not an error (`rm -rf`).
    pub async fn rm(&self, path: &str, options: RmOptions) -> Result<()> {
        self.files().rm(path, options).await
    }

    /// Renames (moves) a file or directory.
    pub async fn rename(&self, from: &str, to: &str) -> Result<()> {
        self.files().rename(from, to).await
    }

    /// Runs a tool by argv (`["grep", "-rn", "x", "."]`) in the sandbox's
    /// working directory, with empty stdin, and captures its output.
    pub async fn run<I, S>(&self, argv: I) -> Result<CommandOutput>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut argv = argv.into_iter().map(Into::into);
        let program = argv.next().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "run: argv is empty; give at least the tool name",
            )
        })?;
        let mut command = Command::new(program);
        command.args(argv);
        self.run_command(command).await
    }

    /// Runs `command` (with its stdin, env, cwd and limits) and captures its
    /// stdout and stderr, whatever the command set for them.
    pub async fn run_command(&self, mut command: Command) -> Result<CommandOutput> {
        let limits = self.effective_limits(&command);
        let (stdout, stderr) = command.capture_output(limits.output_bytes);
        let exit_code = self.spawn(command).await?;
        Ok(CommandOutput {
            stdout_truncated: stdout.truncated(),
            stderr_truncated: stderr.truncated(),
            stdout: stdout.take(),
            stderr: stderr.take(),
            exit_code,
        })
    }

    /// Runs `command` with the streams it was given (pipes, files,
    /// captures) and returns its exit status.
    pub async fn spawn(&self, mut command: Command) -> Result<i32> {
        let cwd = match command.cwd.take() {
            Some(dir) => dir,
            None => self.cwd.clone(),
        };
        let cwd = self.working_dir(&cwd, "").await?;
        command.cwd(cwd);
        if command.limits.is_none() {
            command.limits = self.limits.clone();
        }
        let mut env = self.env.clone();
        env.retain(|(name, _)| !command.env.iter().any(|(n, _)| n == name));
        env.append(&mut command.env);
        command.env = env;
        let fs = self.fs();
        let status = self.runtime.run(fs.clone(), command).await?;
        // A write-through backend saves the command's changes now.
        fs.settle().await?;
        Ok(status)
    }

    /// `dir` resolved against the sandbox's working directory; an error
    /// (its message after `context`) unless it is an existing directory.
    pub(crate) async fn working_dir(&self, dir: &str, context: &str) -> Result<String> {
        let dir = self.resolve(dir)?;
        match self.fs().metadata(&dir).await {
            Ok(meta) if meta.is_dir() => Ok(dir),
            Ok(_) => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("{context}working directory {dir} is not a directory"),
            )),
            Err(err) => Err(err.into()),
        }
    }

    fn effective_limits(&self, command: &Command) -> Limits {
        let defaults = self
            .limits
            .as_ref()
            .unwrap_or(self.runtime.default_limits());
        command.effective_limits(defaults)
    }

    /// A copy of this sandbox whose filesystem is a copy-on-write fork:
    /// changes on either side never show in the other. O(1) for the
    /// in-memory filesystem.
    pub fn fork(&self) -> Result<Sandbox> {
        Ok(Sandbox {
            runtime: self.runtime.clone(),
            fs: RwLock::new(self.fs().fork()?),
            cwd: self.cwd.clone(),
            env: self.env.clone(),
            limits: self.limits.clone(),
            host_commands: self.host_commands.clone(),
            shell_limits: self.shell_limits.clone(),
            // The fork starts with a fresh shell (its state is not part of
            // the filesystem).
            shell_template: Default::default(),
            kept_shell: self.kept_shell.as_ref().map(|_| {
                tokio::sync::Mutex::new(
                    self.new_shell(wasm_agent_shell::Shell::builder(self.fs()).keep_state(true)),
                )
            }),
        })
    }

    /// Saves the current state of the filesystem. O(1) for the in-memory
    /// filesystem; later changes do not affect the snapshot.
    pub fn snapshot(&self) -> Result<Snapshot> {
        Ok(Snapshot {
            fs: self.fs().fork()?,
        })
    }

    /// Returns the filesystem to `snapshot`'s state. The snapshot stays
    /// usable: restoring twice gives the same state twice. Commands already
    /// running keep the filesystem they started with.
    pub fn restore(&self, snapshot: &Snapshot) -> Result<()> {
        let fs = snapshot.fs.fork()?;
        *self.fs.write().unwrap_or_else(|e| e.into_inner()) = fs;
        Ok(())
    }
}

/// The byte quota of a sandbox's default in-memory filesystem: generous for
/// any agent's work, but a runaway command cannot eat the host's memory.
pub const DEFAULT_QUOTA: u64 = 4 << 30;

/// `fs` with [`DevFs`] mounted at `/dev`.
fn with_dev(fs: Arc<dyn Vfs>) -> Arc<dyn Vfs> {
    let mut mounts = MountFs::new(fs);
    mounts
        .mount("/dev", DevFs::shared())
        .expect("a fresh MountFs has nothing mounted at /dev");
    Arc::new(mounts)
}

/// Configures a [`Sandbox`].
#[derive(Debug)]
pub struct SandboxBuilder {
    runtime: Runtime,
    fs: Option<Arc<dyn Vfs>>,
    quota: Option<u64>,
    dev: bool,
    cwd: String,
    env: Vec<(String, String)>,
    limits: Option<Limits>,
    host_commands: HashMap<String, HostCommand>,
    shell_limits: wasm_agent_shell::Limits,
    keep_shell_state: bool,
}

impl SandboxBuilder {
    /// The filesystem commands see. Default: an empty in-memory filesystem.
    pub fn fs(&mut self, fs: Arc<dyn Vfs>) -> &mut Self {
        self.fs = Some(fs);
        self
    }

    /// A byte quota for the default in-memory filesystem; writes past it
    /// fail with `ENOSPC`. `None` means unlimited. Default:
    /// [`DEFAULT_QUOTA`]. Ignored when [`fs`](Self::fs) is set (give that
    /// filesystem its own quota).
    pub fn quota(&mut self, bytes: impl Into<Option<u64>>) -> &mut Self {
        self.quota = bytes.into();
        self
    }

    /// Whether `/dev` (`null`, `zero`, `urandom`, `stdin`…, see
    /// [`DevFs`]) is mounted over the filesystem. Default: true.
    pub fn dev(&mut self, enable: bool) -> &mut Self {
        self.dev = enable;
        self
    }

    /// Working directory of commands and base of relative paths.
    /// Default: `/`.
    pub fn cwd(&mut self, dir: impl Into<String>) -> &mut Self {
        self.cwd = dir.into();
        self
    }

    /// An environment variable every command sees (commands may override
    /// it). Default: none.
    pub fn env(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Limits for this sandbox's commands. Default: the runtime's.
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = Some(limits);
        self
    }

    /// Registers a host command: an async closure the sandbox's shell runs
    /// as the command `name`, in the host process. It shadows a guest tool
    /// of the same name. Use it for privileged commands: whatever the
    /// closure holds (keys, clients) never reaches a guest.
    ///
    /// ```no_run
    /// # fn demo(runtime: &wasm_agent::Runtime) {
    /// let sandbox = wasm_agent::Sandbox::builder(runtime)
    ///     .host_command("greet", |call| async move {
    ///         let who = call.argv.get(1).cloned().unwrap_or_default();
    ///         let _ = call.write_stdout(format!("hello {who}\n")).await;
    ///         0
    ///     })
    ///     .build();
    /// # }
    /// ```
    pub fn host_command<F, Fut>(&mut self, name: impl Into<String>, command: F) -> &mut Self
    where
        F: Fn(HostCall) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = i32> + Send + 'static,
    {
        self.host_commands
            .insert(name.into(), HostCommand::new(command));
        self
    }

    /// Limits of the shell in [`Sandbox::exec`] (commands, loop
    /// iterations, call depth, expansion sizes, time). Default: generous
    /// ([`wasm_agent_shell::Limits::default`]).
    pub fn shell_limits(&mut self, limits: wasm_agent_shell::Limits) -> &mut Self {
        self.shell_limits = limits;
        self
    }

    /// Keeps shell state (variables, functions, options, working
    /// directory) from one [`Sandbox::exec`] to the next, like commands
    /// typed into one interactive shell. Default: every call starts fresh
    /// (the filesystem always persists).
    pub fn keep_shell_state(&mut self, keep: bool) -> &mut Self {
        self.keep_shell_state = keep;
        self
    }

    /// Builds the sandbox.
    pub fn build(&mut self) -> Sandbox {
        let fs: Arc<dyn Vfs> = match (self.fs.take(), self.quota) {
            (Some(fs), _) => fs,
            (None, Some(quota)) => Arc::new(MemFs::with_quota(quota)),
            (None, None) => Arc::new(MemFs::new()),
        };
        let fs = if self.dev { with_dev(fs) } else { fs };
        let cwd = join_normalized("/", &self.cwd).unwrap_or_else(|_| "/".to_string());
        let mut sandbox = Sandbox {
            runtime: self.runtime.clone(),
            fs: RwLock::new(fs),
            cwd,
            env: std::mem::take(&mut self.env),
            limits: self.limits.take(),
            host_commands: Arc::new(std::mem::take(&mut self.host_commands)),
            shell_limits: self.shell_limits.clone(),
            kept_shell: None,
            shell_template: Default::default(),
        };
        if self.keep_shell_state {
            let shell =
                sandbox.new_shell(wasm_agent_shell::Shell::builder(sandbox.fs()).keep_state(true));
            sandbox.kept_shell = Some(tokio::sync::Mutex::new(shell));
        }
        sandbox
    }
}
