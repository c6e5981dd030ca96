//! The wasmtime engine configuration.
//!
//! Every command is a fresh instance, so instantiation must cost
//! microseconds: the pooling allocator keeps pre-reserved slots for
//! instances, memories, tables and fiber stacks, and copy-on-write memory
//! initialisation maps a module's data segments instead of copying them
//! (without it, instantiating the multicall tools takes 6–8 ms). Epoch
//! interruption gives cheap deadlines.

use crate::error::{Error, Result};
use std::num::NonZeroUsize;
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, OptLevel, PoolingAllocationConfig,
};

/// Sizes of the instance pool.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolSizes {
    /// Most guest instances alive at once (each a running command).
    pub(crate) instances: u32,
    /// Largest function table of a guest, in elements.
    pub(crate) table_elements: usize,
    /// Largest linear memory of a guest, in bytes.
    pub(crate) memory_bytes: u64,
}

/// Largest stack of a guest command's wasm frames.
const MAX_WASM_STACK: usize = 8 << 20;

pub(crate) fn build_engine(pool: PoolSizes) -> Result<Engine> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    config.memory_init_cow(true);
    config.cranelift_opt_level(OptLevel::Speed);
    // Recursive guests (awk functions, jq filters, deep directory walks)
    // need more than wasmtime's 512 KiB default. The stack of each running
    // command is reserved in the pool but only touched pages cost memory;
    // the async fiber stack must hold the wasm stack plus host frames.
    config.max_wasm_stack(MAX_WASM_STACK);
    config.async_stack_size(MAX_WASM_STACK + (512 << 10));
    // Every command ends with `proc_exit`, which unwinds as a trap; capturing
    // a wasm backtrace for each one cost ~10% of a short command. Set
    // WASM_AGENT_BACKTRACE=1 to get backtraces when debugging a crashing
    // guest.
    let backtraces = std::env::var_os("WASM_AGENT_BACKTRACE").is_some_and(|v| v == "1");
    config.wasm_backtrace_max_frames(backtraces.then(|| NonZeroUsize::new(64).expect("not zero")));

    let mut pooling = PoolingAllocationConfig::new();
    pooling
        .total_core_instances(pool.instances)
        .total_memories(pool.instances)
        .total_tables(pool.instances)
        .total_stacks(pool.instances)
        // Components are not used: keep their pools empty.
        .total_component_instances(0)
        .table_elements(pool.table_elements)
        .max_memory_size(pool.memory_bytes as usize)
        // A reused slot is reset by scanning which pages the last command
        // dirtied (PAGEMAP_SCAN, Linux 6.7+) and restoring just those with
        // memset, keeping them resident: no madvise, no page faults for the
        // next command. Without the ioctl, the first pages are memset and
        // the rest released.
        .pagemap_scan(Enabled::Auto)
        .linear_memory_keep_resident(8 << 20)
        .table_keep_resident(1 << 20);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
    Engine::new(&config).map_err(|err| Error::runtime("cannot create the wasmtime engine", err))
}
