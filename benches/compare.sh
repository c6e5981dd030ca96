#!/usr/bin/env bash
# Prints the `wasm-agent bench` table with the bashkit column: wasm-agent,
# the bashkit crate and native bash on the same 1,000-file fixture, every
# workload's output checked against native bash. Builds the guest tools
# first (cached) and the host in release with `--features bashkit`; build
# output goes to stderr so stdout is the machine line and the table.
#
# Usage: benches/compare.sh [--quick]   (arguments go to `wasm-agent bench`)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/build-guest-tools.sh >&2
cargo build --release --quiet -p wasm-agent-cli --features bashkit >&2
# A relative CARGO_TARGET_DIR is relative to $ROOT, where cargo just ran.
exec "${CARGO_TARGET_DIR:-target}/release/wasm-agent" bench "$@"
