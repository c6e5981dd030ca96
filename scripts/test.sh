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

log "test prerequisites"
# GNU awk is the oracle of the awk conformance cases (Debian's default awk is
# mawk). Installed from the distribution's packages when missing.
if ! command -v gawk >/dev/null; then
    if command -v apt-get >/dev/null; then
        sudo_cmd=()
        ((EUID == 0)) || sudo_cmd=(sudo)
        "${sudo_cmd[@]}" apt-get install -y -qq gawk >/dev/null ||
            { "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq gawk; }
    else
        echo "test.sh: GNU awk (gawk) is needed as the awk oracle; install it" >&2
        exit 1
    fi
fi

# SeaweedFS, the S3 server of the S3 backend's tests (wasm-agent-seaweed
# would install it on first use too; here its download stays out of the
# test timings).
scripts/install-seaweedfs.sh >/dev/null

log "guest tools"
scripts/build-guest-tools.sh

log "host workspace tests"
cargo test --workspace "$@"

log "guest tool crates (native)"
cargo test --manifest-path guest-tools/Cargo.toml \
    --target-dir "$ROOT/target/guest-native" \
    -p wa-awk -p wa-jq -p wa-archive -p wa-fsutils -p wa-diff

log "all tests passed"
