//! Pre-initialisation of guest modules (Wizer snapshots).
//!
//! Work a guest repeats identically at every start — for the tools, parsing
//! the embedded message catalogues — can run once instead: a module that
//! exports `wizer-initialize` gets that function called in a fresh instance
//! when the module is first loaded, and the instance's memory and globals
//! are written back into the module as its initial state (with
//! `wasmtime-wizer`). Every later command starts from the snapshot, whose
//! pages copy-on-write memory maps without copying.
//!
//! The snapshot is what the artifact cache stores, so this runs once per
//! module and engine configuration, at the cost of one extra compilation.

use super::limits::GuestLimiter;
use super::StoreState;
use crate::error::{Error, ErrorKind, Result};
use crate::wasi::WasiCtx;
use std::sync::Arc;
use wasm_agent_vfs::MemFs;
use wasmparser::{Parser, Payload};
use wasmtime::{Engine, Instance, Linker, Module, Store};
use wasmtime_wizer::{InstanceState, SnapshotVal, ValType, Wizer};

/// The export a module names its initialisation function with.
pub(crate) const INIT_EXPORT: &str = "wizer-initialize";

/// Longest an init function may run (it runs once per module, not per
/// command, but a broken one must not hang the host).
const INIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// True if `wasm` exports [`INIT_EXPORT`].
pub(crate) fn wants_preinit(wasm: &[u8]) -> bool {
    for payload in Parser::new(0).parse_all(wasm) {
        match payload {
            Ok(Payload::ExportSection(exports)) => {
                return exports
                    .into_iter()
                    .any(|export| export.is_ok_and(|e| e.name == INIT_EXPORT));
            }
            // Exports come before the code section; no need to go further.
            Ok(Payload::CodeSectionStart { .. }) | Err(_) => return false,
            Ok(_) => {}
        }
    }
    false
}

/// Runs the module's initialisation function and returns the module with
/// the resulting state baked in. `what` names the module in errors.
pub(crate) fn preinitialize(
    engine: &Engine,
    linker: &Linker<StoreState>,
    wasm: &[u8],
    what: &str,
) -> Result<Vec<u8>> {
    let failed = |err: wasmtime::Error| {
        Error::new(
            ErrorKind::InvalidModule,
            format!("cannot pre-initialise guest module {what}: {err:?}"),
        )
    };
    let wizer = Wizer::new();
    let (cx, instrumented) = wizer.instrument(wasm).map_err(failed)?;
    let module = Module::new(engine, &instrumented).map_err(failed)?;
    // The init function runs like a command with nothing: no arguments, no
    // environment, an empty filesystem, discarded output.
    let wasi = WasiCtx::builder(Arc::new(MemFs::new())).build();
    let mut store = Store::new(
        engine,
        StoreState {
            wasi,
            limiter: GuestLimiter {
                memory_bytes: 1 << 30,
                table_elements: 1 << 20,
            },
        },
    );
    store.limiter(|state| &mut state.limiter);
    // Epoch interruption is on in this engine; give the init function a
    // generous deadline instead of the default "interrupt at once".
    let deadline = std::time::Instant::now() + INIT_TIMEOUT;
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(move |_| {
        if std::time::Instant::now() >= deadline {
            return Err(wasmtime::Error::msg(format!(
                "the {INIT_EXPORT} function ran for more than {INIT_TIMEOUT:?}"
            )));
        }
        Ok(wasmtime::UpdateDeadline::Continue(1))
    });
    // The init function is async to wasmtime (our WASI functions are), so
    // it runs on an executor of its own, on a thread of its own: the caller
    // may itself be inside an async runtime, which cannot be blocked on.
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|err| {
                        Error::new(
                            ErrorKind::Runtime,
                            format!("cannot start pre-initialisation: {err}"),
                        )
                    })?;
                runtime.block_on(async {
                    let instance = linker
                        .instantiate_async(&mut store, &module)
                        .await
                        .map_err(failed)?;
                    let init = instance
                        .get_typed_func::<(), ()>(&mut store, INIT_EXPORT)
                        .map_err(failed)?;
                    init.call_async(&mut store, ()).await.map_err(failed)?;
                    let mut state = Snapshotted {
                        store: &mut store,
                        instance,
                    };
                    wizer.snapshot(&cx, &mut state).await.map_err(failed)
                })
            })
            .join()
            .unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::Runtime,
                    format!("pre-initialising guest module {what} panicked"),
                ))
            })
    })
}

/// The instance state Wizer reads back after initialisation.
struct Snapshotted<'a> {
    store: &'a mut Store<StoreState>,
    instance: Instance,
}

impl InstanceState for Snapshotted<'_> {
    async fn global_get(&mut self, name: &str, _type_hint: ValType) -> SnapshotVal {
        // Wizer only asks for the globals its instrumentation exported, all
        // of which exist and have numeric types.
        let global = self
            .instance
            .get_global(&mut *self.store, name)
            .expect("wizer asks for exported globals only");
        match global.get(&mut *self.store) {
            wasmtime::Val::I32(x) => SnapshotVal::I32(x),
            wasmtime::Val::I64(x) => SnapshotVal::I64(x),
            wasmtime::Val::F32(x) => SnapshotVal::F32(x),
            wasmtime::Val::F64(x) => SnapshotVal::F64(x),
            wasmtime::Val::V128(x) => SnapshotVal::V128(x.as_u128()),
            other => panic!("wizer cannot snapshot a global holding {other:?}"),
        }
    }

    async fn memory_contents(&mut self, name: &str, contents: impl FnOnce(&[u8]) + Send) {
        let memory = self
            .instance
            .get_memory(&mut *self.store, name)
            .expect("wizer asks for exported memories only");
        contents(memory.data(&*self.store))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module whose init function stores 42 in memory and a global; its
    /// `_start` exits with the sum of both, so a snapshot exits with 84 and
    /// an uninitialised module with 0.
    const WAT: &str = r#"(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (global $g (mut i32) (i32.const 0))
        (func (export "wizer-initialize")
            (i32.store (i32.const 100) (i32.const 42))
            (global.set $g (i32.const 42)))
        (func (export "_start")
            (call $exit (i32.add (i32.load (i32.const 100)) (global.get $g)))))"#;

    #[test]
    fn detects_the_init_export() {
        let wasm = wat::parse_str(WAT).unwrap();
        assert!(wants_preinit(&wasm));
        let plain = wat::parse_str(r#"(module (func (export "_start")))"#).unwrap();
        assert!(!wants_preinit(&plain));
    }

    #[test]
    fn the_snapshot_starts_initialised() {
        // The runtime's own engine: epoch interruption and pooling included.
        let engine = crate::runtime::engine::build_engine(crate::runtime::engine::PoolSizes {
            instances: 2,
            table_elements: 1000,
            memory_bytes: 1 << 24,
        })
        .unwrap();
        let mut linker = Linker::new(&engine);
        crate::wasi::add_to_linker(&mut linker).unwrap();
        let wasm = wat::parse_str(WAT).unwrap();
        let snapshot = preinitialize(&engine, &linker, &wasm, "test").unwrap();
        assert!(!wants_preinit(&snapshot), "the init export is removed");

        let module = Module::new(&engine, &snapshot).unwrap();
        let wasi = WasiCtx::builder(Arc::new(MemFs::new())).build();
        let mut store = Store::new(
            &engine,
            StoreState {
                wasi,
                limiter: GuestLimiter {
                    memory_bytes: 1 << 20,
                    table_elements: 10,
                },
            },
        );
        store.set_epoch_deadline(u64::MAX);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let err = rt.block_on(async {
            let instance = linker.instantiate_async(&mut store, &module).await.unwrap();
            let start = instance
                .get_typed_func::<(), ()>(&mut store, "_start")
                .unwrap();
            start.call_async(&mut store, ()).await.unwrap_err()
        });
        assert_eq!(
            err.downcast_ref::<crate::wasi::Stop>(),
            Some(&crate::wasi::Stop::Exit(84)),
            "{err:?}"
        );
    }
}
