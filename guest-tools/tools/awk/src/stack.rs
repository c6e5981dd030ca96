//! Stack-depth guard, so deeply recursive awk functions and deeply nested program text end
//! in a clean error instead of a stack overflow (which aborts the whole guest).
//!
//! On wasm32 the linker places the stack first in linear memory, growing down towards
//! address 0, so the address of a local *is* the number of stack bytes left. Natively the
//! guard measures how far the stack has grown since the guard was created and allows a
//! fixed budget that fits the 8 MiB main-thread stack.

/// Remembers where the stack was when created.
#[derive(Clone, Copy)]
pub struct StackGuard {
    #[cfg_attr(
        target_arch = "wasm32",
        allow(dead_code, reason = "only used natively")
    )]
    base: usize,
}

/// Bytes kept free for the error path and for work that does not check the guard
/// (regex compilation, formatting).
#[cfg(target_arch = "wasm32")]
const RESERVE: usize = 128 * 1024;

/// Stack the interpreter may use natively (the main thread has 8 MiB).
#[cfg(not(target_arch = "wasm32"))]
const BUDGET: usize = 6 * 1024 * 1024;

#[inline(always)]
fn here() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl StackGuard {
    /// A guard measuring from the current stack position.
    pub fn new() -> StackGuard {
        StackGuard { base: here() }
    }

    /// Whether the stack is too deep to recurse further.
    #[inline]
    pub fn exhausted(&self) -> bool {
        #[cfg(target_arch = "wasm32")]
        {
            here() < RESERVE
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.base.saturating_sub(here()) > BUDGET
        }
    }
}

impl Default for StackGuard {
    fn default() -> Self {
        StackGuard::new()
    }
}
