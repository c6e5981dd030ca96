//! The wasmtime runtime that runs guest commands.
//!
//! A [`Runtime`] is created once per process and shared by every sandbox
//! (cloning it is cheap). It owns the engine (pooling allocator,
//! copy-on-write memory, epoch interruption: see `engine`), the linker with
//! our preview1 functions, and the guest modules: each is compiled once,
//! cached on disk (`cache`), mapped into memory, and pre-linked into one
//! `InstancePre` for the process lifetime (`module`). A command is then one
//! fresh instance from the pool (`exec`), limited in time, memory and output
//! (`limits`).
//!
//! Modules are loaded on first use, so a process that only runs shell
//! builtins never pays for them.

mod cache;
mod command;
mod engine;
mod epoch;
mod exec;
mod limits;
mod module;
mod preinit;

pub use cache::default_cache_dir;
pub use command::Command;
pub use limits::{Limits, MemoryLimitExceeded};
pub use module::{Commands, ModuleSource, ModuleSpec, TOOLS_SECTION};

use crate::error::{Error, ErrorKind, Result};
use crate::wasi::{WasiCtx, WasiView};
use engine::{build_engine, PoolSizes};
use epoch::EpochTicker;
use module::GuestModule;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use wasm_agent_vfs::Vfs;
use wasmtime::{Engine, Linker};

/// The data of every guest store.
pub(crate) struct StoreState {
    pub(crate) wasi: WasiCtx,
    pub(crate) limiter: limits::GuestLimiter,
}

impl WasiView for StoreState {
    fn wasi(&mut self) -> &mut WasiCtx {
        &mut self.wasi
    }
}

/// The modules, once loaded, and which module serves each command.
struct Loaded {
    modules: Vec<GuestModule>,
    commands: HashMap<String, usize>,
}

/// The wasmtime side of a runtime: built at the first guest command, so a
/// process that only runs shell builtins never pays for it.
struct Wasm {
    engine: Engine,
    linker: Linker<StoreState>,
}

struct Inner {
    wasm: OnceLock<Wasm>,
    specs: Vec<ModuleSpec>,
    cache_dir: Option<PathBuf>,
    defaults: Limits,
    pool: PoolSizes,
    loaded: OnceLock<Arc<Loaded>>,
    load_lock: Mutex<()>,
    ticker: OnceLock<EpochTicker>,
    permits: tokio::sync::Semaphore,
}

impl Inner {
    /// The engine and linker, built the first time they are needed (under
    /// the load lock's caller, or racing harmlessly: the first one stays).
    fn wasm(&self) -> Result<&Wasm> {
        if let Some(wasm) = self.wasm.get() {
            return Ok(wasm);
        }
        let engine = build_engine(self.pool)?;
        let mut linker = Linker::new(&engine);
        crate::wasi::add_to_linker(&mut linker)
            .map_err(|err| Error::runtime("cannot define the WASI functions", err))?;
        let _ = self.wasm.set(Wasm { engine, linker });
        Ok(self.wasm.get().expect("set above"))
    }

    /// The engine, once the modules are loaded.
    pub(crate) fn engine(&self) -> &Engine {
        &self
            .wasm
            .get()
            .expect("commands run after the modules are loaded")
            .engine
    }
}

/// Runs guest commands. Create one per process with [`Runtime::builder`]
/// (or [`Runtime::new`]) and clone it freely.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("modules", &self.inner.specs)
            .field("cache_dir", &self.inner.cache_dir)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime with the default guest tools (see
    /// [`default_tools_path`]) and default settings.
    pub fn new() -> Result<Runtime> {
        Runtime::builder().build()
    }

    /// Starts configuring a runtime.
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// The limits commands run with unless they set their own.
    pub fn default_limits(&self) -> &Limits {
        &self.inner.defaults
    }

    /// Loads (compiling or mapping from cache) every guest module now,
    /// instead of at the first command. Blocks; call it at startup.
    pub fn preload(&self) -> Result<()> {
        self.loaded().map(|_| ())
    }

    /// True if a guest module provides `name`. Loads the modules.
    pub fn has_command(&self, name: &str) -> Result<bool> {
        Ok(self.loaded()?.commands.contains_key(name))
    }

    /// True if a guest module provides `name`. Loads the modules the first
    /// time without blocking the async executor.
    pub async fn has_command_async(&self, name: &str) -> Result<bool> {
        Ok(self.loaded_async().await?.commands.contains_key(name))
    }

    /// Every command the guest modules provide, sorted. Loads the modules.
    pub fn commands(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = self.loaded()?.commands.keys().cloned().collect();
        names.sort();
        Ok(names)
    }

    fn loaded(&self) -> Result<&Arc<Loaded>> {
        if let Some(loaded) = self.inner.loaded.get() {
            return Ok(loaded);
        }
        let _guard = self
            .inner
            .load_lock
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(loaded) = self.inner.loaded.get() {
            return Ok(loaded);
        }
        let wasm = self.inner.wasm()?;
        let mut modules = Vec::new();
        let mut commands = HashMap::new();
        for spec in &self.inner.specs {
            let module = GuestModule::load(
                spec,
                &wasm.engine,
                &wasm.linker,
                self.inner.cache_dir.as_deref(),
            )?;
            for name in &module.commands {
                // The first module naming a command wins, so explicitly
                // registered commands can shadow the default tools only by
                // being registered first.
                commands.entry(name.clone()).or_insert(modules.len());
            }
            modules.push(module);
        }
        let _ = self
            .inner
            .loaded
            .set(Arc::new(Loaded { modules, commands }));
        Ok(self.inner.loaded.get().expect("set above"))
    }

    /// Loads the modules without blocking the async executor.
    async fn loaded_async(&self) -> Result<Arc<Loaded>> {
        if let Some(loaded) = self.inner.loaded.get() {
            return Ok(loaded.clone());
        }
        let runtime = self.clone();
        tokio::task::spawn_blocking(move || runtime.loaded().cloned())
            .await
            .map_err(|err| {
                Error::new(
                    ErrorKind::Runtime,
                    format!("loading guest modules failed: {err}"),
                )
            })?
    }

    /// Runs `command` over `fs` and returns its exit status. Output goes
    /// where the command's streams say. An unknown program gives status 127
    /// and a `command not found` line on its stderr, as in bash.
    pub async fn run(&self, fs: Arc<dyn Vfs>, command: Command) -> Result<i32> {
        let loaded = self.loaded_async().await?;
        self.inner.ticker.get_or_init(|| {
            let wasm = self
                .inner
                .wasm
                .get()
                .expect("built when the modules were loaded");
            EpochTicker::start(wasm.engine.clone()).expect("cannot start the epoch thread")
        });
        exec::run(&self.inner, &loaded, fs, command).await
    }
}

/// The tools module used when none is configured: `$WASM_AGENT_TOOLS`, else
/// `tools.wasm` next to the running executable, else the build output of
/// this workspace (`target/guest-tools/tools.wasm`).
pub fn default_tools_path() -> PathBuf {
    if let Some(path) = std::env::var_os("WASM_AGENT_TOOLS") {
        return PathBuf::from(path);
    }
    if let Some(beside) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("tools.wasm")))
        .filter(|path| path.exists())
    {
        return beside;
    }
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/guest-tools/tools.wasm"
    ))
}

/// Configures a [`Runtime`].
#[derive(Debug, Clone)]
pub struct RuntimeBuilder {
    specs: Vec<ModuleSpec>,
    default_tools: bool,
    cache_dir: Option<PathBuf>,
    defaults: Limits,
    max_concurrent: u32,
    max_memory_bytes: u64,
    max_table_elements: usize,
}

impl Default for RuntimeBuilder {
    fn default() -> RuntimeBuilder {
        RuntimeBuilder {
            specs: Vec::new(),
            default_tools: true,
            cache_dir: Some(default_cache_dir()),
            defaults: Limits::default(),
            max_concurrent: 128,
            max_memory_bytes: 4 << 30,
            max_table_elements: 100_000,
        }
    }
}

impl RuntimeBuilder {
    /// Uses this multicall module as the tools instead of the default one.
    pub fn tools(&mut self, source: ModuleSource) -> &mut Self {
        self.default_tools = false;
        self.specs.push(ModuleSpec {
            source,
            commands: Commands::Multicall,
        });
        self
    }

    /// Adds a module providing one command `name` (it shadows a tool of the
    /// same name).
    pub fn command(&mut self, name: impl Into<String>, source: ModuleSource) -> &mut Self {
        self.specs.insert(
            0,
            ModuleSpec {
                source,
                commands: Commands::Single(name.into()),
            },
        );
        self
    }

    /// Whether to load the default tools module (see
    /// [`default_tools_path`]) when [`tools`](Self::tools) was not called.
    /// Default: true.
    pub fn default_tools(&mut self, enable: bool) -> &mut Self {
        self.default_tools = enable;
        self
    }

    /// Where compiled modules are cached; `None` compiles in memory on every
    /// start (slow: seconds for the tools). Default: [`default_cache_dir`].
    pub fn cache_dir(&mut self, dir: Option<PathBuf>) -> &mut Self {
        self.cache_dir = dir;
        self
    }

    /// Limits for commands that set none. Default: [`Limits::default`].
    pub fn default_limits(&mut self, limits: Limits) -> &mut Self {
        self.defaults = limits;
        self
    }

    /// Most commands running at once; more wait for a free slot. Each slot
    /// reserves (but does not commit) address space for the largest memory.
    /// Default: 128.
    pub fn max_concurrent_commands(&mut self, n: u32) -> &mut Self {
        self.max_concurrent = n.max(1);
        self
    }

    /// Builds the runtime. The wasmtime engine is created and the modules
    /// are loaded at the first guest command (or by [`Runtime::preload`]),
    /// so errors of either surface there.
    pub fn build(&self) -> Result<Runtime> {
        if self.defaults.memory_bytes > self.max_memory_bytes {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "default memory limit ({} bytes) exceeds the largest guest memory ({} bytes)",
                    self.defaults.memory_bytes, self.max_memory_bytes
                ),
            ));
        }
        let pool = PoolSizes {
            instances: self.max_concurrent,
            table_elements: self.max_table_elements,
            memory_bytes: self.max_memory_bytes,
        };
        let mut specs = self.specs.clone();
        if self.default_tools
            && !specs
                .iter()
                .any(|s| matches!(s.commands, Commands::Multicall))
        {
            specs.push(ModuleSpec {
                source: ModuleSource::File(default_tools_path()),
                commands: Commands::Multicall,
            });
        }
        Ok(Runtime {
            inner: Arc::new(Inner {
                wasm: OnceLock::new(),
                specs,
                cache_dir: self.cache_dir.clone(),
                defaults: self.defaults.clone(),
                pool,
                loaded: OnceLock::new(),
                load_lock: Mutex::new(()),
                ticker: OnceLock::new(),
                permits: tokio::sync::Semaphore::new(self.max_concurrent as usize),
            }),
        })
    }
}
