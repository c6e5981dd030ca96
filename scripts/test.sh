#!/usr/bin/env bash
# Runs every test of the project: builds the guest tools (cached, see
# scripts/build-guest-tools.sh), then the host workspace tests (VFS, WASI
# host, runtime limits, sandbox API, tool conformance against the GNU tools
# of this machine), then the native tests of the project's own guest tools
# (awk, jq, archive, stat/du).
#
# Usage: scripts/test.sh [extra cargo test args for the host workspace]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\n== %s\n' "$*" >&2; }

log "guest tools"
scripts/build-guest-tools.sh

log "host workspace tests"
cargo test --workspace "$@"

log "guest tool crates (native)"
cargo test --manifest-path guest-tools/Cargo.toml \
    --target-dir "$ROOT/target/guest-native" \
    -p wa-awk -p wa-jq -p wa-archive -p wa-fsutils

log "all tests passed"
