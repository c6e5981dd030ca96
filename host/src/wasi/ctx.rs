//! The per-command WASI state and its builder.

use super::fd_table::{Entry, FdTable, OpenDir};
use crate::io::{Input, Output};
use std::sync::Arc;
use std::time::Instant;
use wasm_agent_vfs::Vfs;
use wasmtime::Memory;

/// The descriptor the sandbox root is preopened at. wasi-libc scans
/// descriptors from 3 upwards for preopens, so 3 is the first it finds.
pub const ROOT_FD: u32 = 3;

/// Everything a guest command can see of the world: its arguments and
/// environment, the sandbox filesystem, its standard streams and the
/// descriptors it opened.
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<String>,
    pub(crate) fs: Arc<dyn Vfs>,
    pub(crate) fds: FdTable,
    pub(crate) memory: Option<Memory>,
    pub(crate) deadline: Option<Instant>,
    pub(crate) started: Instant,
}

impl WasiCtx {
    /// Starts building a context over `fs`.
    pub fn builder(fs: Arc<dyn Vfs>) -> WasiCtxBuilder {
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            fs,
            stdin: Input::Empty,
            stdout: Output::Discard,
            stderr: Output::Discard,
            deadline: None,
        }
    }

    /// Sets the guest's exported memory; called right after instantiation
    /// so host calls need no export lookup by name.
    pub(crate) fn set_memory(&mut self, memory: Memory) {
        self.memory = Some(memory);
    }

    /// Writes a message from the host (why a command was stopped) to the
    /// guest's stderr, wherever it points; best effort.
    pub(crate) async fn write_note(&mut self, text: &str) {
        let _ = super::fd_io::write_to(self, 2, text.as_bytes(), None).await;
    }

    /// Closes every descriptor (pipe ends included) once the command ends.
    pub(crate) fn close_all(&mut self) {
        self.fds.close_all();
    }
}

/// Builds a [`WasiCtx`]. Every setting has a documented default.
pub struct WasiCtxBuilder {
    args: Vec<String>,
    env: Vec<String>,
    fs: Arc<dyn Vfs>,
    stdin: Input,
    stdout: Output,
    stderr: Output,
    deadline: Option<Instant>,
}

impl WasiCtxBuilder {
    /// The argument vector, `argv[0]` first. Default: empty.
    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// The environment, as `NAME=value` pairs. Default: empty — a guest sees
    /// only what its caller passes.
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.env = vars
            .into_iter()
            .map(|(k, v)| format!("{}={}", k.as_ref(), v.as_ref()))
            .collect();
        self
    }

    /// Standard input. Default: empty.
    pub fn stdin(&mut self, input: Input) -> &mut Self {
        self.stdin = input;
        self
    }

    /// Standard output. Default: discarded.
    pub fn stdout(&mut self, output: Output) -> &mut Self {
        self.stdout = output;
        self
    }

    /// Standard error. Default: discarded.
    pub fn stderr(&mut self, output: Output) -> &mut Self {
        self.stderr = output;
        self
    }

    /// A wall-clock deadline, enforced while the guest waits in host calls
    /// such as `poll_oneoff` (the runtime enforces it while the guest runs).
    /// Default: none.
    pub fn deadline(&mut self, deadline: Option<Instant>) -> &mut Self {
        self.deadline = deadline;
        self
    }

    /// Builds the context: stdio at 0, 1, 2 and the sandbox root preopened
    /// as `/` at [`ROOT_FD`].
    pub fn build(&mut self) -> WasiCtx {
        let mut fds = FdTable::default();
        fds.insert_at(0, Entry::from_input(std::mem::take(&mut self.stdin)));
        fds.insert_at(1, Entry::from_output(std::mem::take(&mut self.stdout)));
        fds.insert_at(2, Entry::from_output(std::mem::take(&mut self.stderr)));
        fds.insert_at(
            ROOT_FD,
            Entry::Dir(OpenDir {
                path: "/".to_string(),
                preopen: Some("/".to_string()),
                listing: None,
            }),
        );
        WasiCtx {
            args: std::mem::take(&mut self.args),
            env: std::mem::take(&mut self.env),
            fs: self.fs.clone(),
            fds,
            memory: None,
            deadline: self.deadline,
            started: Instant::now(),
        }
    }
}

/// Access to the [`WasiCtx`] inside a store's data, so the WASI functions
/// can be linked for any store type that embeds one.
pub trait WasiView: Send {
    /// The WASI state of this store.
    fn wasi(&mut self) -> &mut WasiCtx;
}

impl WasiView for WasiCtx {
    fn wasi(&mut self) -> &mut WasiCtx {
        self
    }
}
