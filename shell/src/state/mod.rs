//! The state of a shell: everything a subshell gets a copy of.
//!
//! Cloning a [`State`] is how a subshell starts (`( … )`, a pipeline
//! stage, `$( … )`): the variable, function and alias tables are persistent
//! maps, so the copy is O(1) and the two sides share everything until one
//! of them changes something.

pub(crate) mod fds;
pub(crate) mod options;
pub(crate) mod vars;

pub use fds::{Fd, Fds};
pub use options::Options;
pub use vars::{Attrs, Value, Variable, Variables};

use brush_parser::ast;
use std::sync::Arc;

/// A shell function: its definition as parsed.
pub type Function = Arc<ast::FunctionDefinition>;

/// The commands `trap` registered.
#[derive(Debug, Clone, Default)]
pub struct Traps {
    /// Runs when the shell exits.
    pub exit: Option<Arc<str>>,
    /// Runs when a command fails (where `set -e` would exit).
    pub err: Option<Arc<str>>,
    /// Runs before every simple command.
    pub debug: Option<Arc<str>>,
    /// Runs when a function or sourced file returns.
    pub ret: Option<Arc<str>>,
    /// Signal traps by signal number (`trap 'cmd' INT`): listed by `trap`
    /// but never run, since nothing in a sandbox sends signals.
    pub signals: std::collections::BTreeMap<u32, Arc<str>>,
}

/// The mutable state of a shell.
#[derive(Debug, Clone)]
pub struct State {
    /// Variables.
    pub vars: Variables,
    /// Functions by name.
    pub functions: imbl::HashMap<Arc<str>, Function>,
    /// Functions marked with `export -f`: child shells get them.
    pub exported_functions: imbl::HashSet<Arc<str>>,
    /// Aliases by name.
    pub aliases: imbl::HashMap<Arc<str>, Arc<str>>,
    /// `set` and `shopt` options.
    pub options: Options,
    /// `$0`.
    pub arg0: Arc<str>,
    /// `$1`, `$2`…
    pub positional: Arc<Vec<String>>,
    /// The working directory: absolute, normalised (logical, like bash's
    /// `$PWD`).
    pub cwd: String,
    /// `pushd`/`popd` stack, most recent first (without the cwd itself).
    pub dir_stack: Vec<String>,
    /// Registered traps.
    pub traps: Traps,
    /// `$?`.
    pub last_status: i32,
    /// `$_`: the last argument of the previous simple command.
    pub last_arg: String,
    /// Command substitutions run so far (an assignment-only command takes
    /// the status of its last one).
    pub substitutions: u64,
    /// `${PIPESTATUS[@]}` of the last pipeline.
    pub pipestatus: Vec<i32>,
    /// Open descriptors.
    pub fds: Fds,
    /// Names of the functions being run, innermost last (`FUNCNAME`).
    pub call_stack: Vec<Arc<str>>,
    /// Nesting of functions, `source`, `eval` and command substitutions.
    pub depth: u32,
    /// Nesting of loops (for `break`/`continue`).
    pub loop_depth: u32,
    /// Nesting of `source` (where `return` is allowed).
    pub sourcing: u32,
    /// While above zero, failures do not trigger `set -e` or the ERR trap
    /// (conditions of `if`/`while`, operands of `&&`/`||`, `!`).
    pub condition_depth: u32,
    /// State of `$RANDOM` (seedable by assigning it).
    pub random: u64,
    /// The file mode creation mask (`umask`).
    pub umask: u32,
    /// `$LINENO` of the command being run.
    pub lineno: u32,
    /// `$$`: the id this shell reports as its process id.
    pub pid: u32,
    /// `$!`: id of the last background job.
    pub last_background: Option<u32>,
    /// Set by `exec` without a command: the redirections of the current
    /// command stay in force after it.
    pub keep_redirections: bool,
    /// Builtins turned off with `enable -n`.
    pub disabled_builtins: imbl::HashSet<Arc<str>>,
}

impl State {
    /// A fresh state: working directory `cwd`, standard streams `fds`.
    pub fn new(cwd: String, fds: Fds, pid: u32) -> State {
        State {
            vars: Variables::default(),
            functions: imbl::HashMap::new(),
            aliases: imbl::HashMap::new(),
            exported_functions: imbl::HashSet::new(),
            options: Options::default(),
            arg0: Arc::from("bash"),
            positional: Arc::new(Vec::new()),
            cwd,
            dir_stack: Vec::new(),
            traps: Traps::default(),
            last_status: 0,
            last_arg: "bash".into(),
            substitutions: 0,
            pipestatus: vec![0],
            fds,
            call_stack: Vec::new(),
            depth: 0,
            loop_depth: 0,
            sourcing: 0,
            condition_depth: 0,
            random: 0x2545_f491_4f6c_dd1d ^ u64::from(pid),
            umask: 0o022,
            lineno: 0,
            pid,
            last_background: None,
            keep_redirections: false,
            disabled_builtins: imbl::HashSet::new(),
        }
    }

    /// The next `$RANDOM`: 0..=32767 from a xorshift generator.
    pub fn next_random(&mut self) -> u32 {
        let mut x = self.random;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.random = x;
        ((x >> 33) % 32768) as u32
    }

    /// Reseeds `$RANDOM` (assigning to `RANDOM` does this).
    pub fn seed_random(&mut self, seed: u64) {
        // Never zero: xorshift would stay at zero forever.
        self.random = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    }
}
