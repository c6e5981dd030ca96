#!/usr/bin/env bash
# Runs the demo: real tools (ls, grep, sort, awk, sed, jq, find, diff...)
# over an in-memory project inside a wasm-agent sandbox. Builds the guest
# tools first (cached) and the host binary.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/build-guest-tools.sh
cargo run --quiet -p wasm-agent-cli -- demo
