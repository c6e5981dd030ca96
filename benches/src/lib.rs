//! Shared setup of the wasm-agent benchmarks (see `benches/` and the
//! `startup-report` binary).
