#!/usr/bin/env bash
# Builds the guest-tools multicall module (guest-tools/multicall, every tool
# in one wasm32-wasip1 module) and puts it at target/guest-tools/tools.wasm,
# where the host looks for it (env WASM_AGENT_TOOLS overrides that on the
# host side).
#
# The build takes minutes, so its output is cached, keyed by everything that
# goes into it: guest-tools/Cargo.lock, every file under guest-tools/ (except
# build output and Markdown), this script and its helpers, `rustc -V` and
# RUSTFLAGS. With a cache hit the script copies one file and never starts
# cargo. `*.md` files (READMEs, the vendored crates' WASM-AGENT.md) are left
# out of the key because no build reads them: editing documentation must not
# cost a rebuild. (same-file's README.md feeds a doctest only, never the
# module.)
#
# Usage: scripts/build-guest-tools.sh [--force]
#   --force   build even if the cache has the module (and refresh the cache)
#
# Environment:
#   WASM_AGENT_CACHE_DIR   cache root (default: ~/.cache/wasm-agent); the
#                          module goes to <root>/guest-tools/<key>/tools.wasm
#                          (the 5 newest keys are kept), the zig C compiler
#                          to <root>/zig-<version>
#   WASM_AGENT_GUEST_TARGET_DIR
#                          cargo target directory (default: guest-tools/target)
#   CI                     when set, the build uses --locked: a lock file that
#                          does not match the manifests is an error
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GUEST="$ROOT/guest-tools"
CACHE_ROOT="${WASM_AGENT_CACHE_DIR:-$HOME/.cache/wasm-agent}"
TARGET_DIR="${WASM_AGENT_GUEST_TARGET_DIR:-$GUEST/target}"
OUT="$ROOT/target/guest-tools/tools.wasm"
TRIPLE=wasm32-wasip1
PACKAGE=wasm-agent-tools
# The `ziglang` wheel from PyPI: a self-contained zig whose clang compiles C
# for WASI (see scripts/zig-cc).
ZIG_VERSION=0.17.0
ZIG_DIR="$CACHE_ROOT/zig-$ZIG_VERSION"
# Scripts whose content is part of the cache key besides the guest sources.
HELPERS=("$ROOT/scripts/build-guest-tools.sh" "$ROOT/scripts/zig-cc" "$ROOT/scripts/zig-ar")

log() { printf 'build-guest-tools: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

force=0
for arg in "$@"; do
    case "$arg" in
        --force) force=1 ;;
        -h | --help)
            sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
            exit 0
            ;;
        *) die "unknown argument '$arg' (try --help)" ;;
    esac
done

command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"
command -v sha256sum >/dev/null || die "sha256sum not found (coreutils)"
[[ -f "$GUEST/Cargo.toml" ]] || die "$GUEST/Cargo.toml is missing"

# The cache key: a hash over the toolchain, the flags and every input file
# (its path and a hash of its content). Build output, Python caches, editor
# droppings and Markdown documentation are not inputs.
cache_key() {
    {
        (cd "$GUEST" && rustc -V)
        printf 'RUSTFLAGS=%s\n' "${RUSTFLAGS:-}"
        printf 'CARGO_ENCODED_RUSTFLAGS=%s\n' "${CARGO_ENCODED_RUSTFLAGS:-}"
        (
            cd "$ROOT"
            find guest-tools \( -name target -o -name __pycache__ -o -name .git \) -prune \
                -o -type f ! -name '*.swp' ! -name '*~' ! -name '*.md' -print0 |
                LC_ALL=C sort -z |
                xargs -0 -r sha256sum
        )
        sha256sum "${HELPERS[@]}" | sed "s|$ROOT/||"
    } | sha256sum | cut -c1-32
}

# Copies the module to $OUT without ever leaving a half-written file there:
# a host may be reading it at the same time.
install_module() {
    local from="$1"
    mkdir -p "$(dirname "$OUT")"
    cp "$from" "$OUT.tmp.$$"
    mv -f "$OUT.tmp.$$" "$OUT"
}

KEY="$(cache_key)"
CACHED="$CACHE_ROOT/guest-tools/$KEY/tools.wasm"
if ((!force)) && [[ -f "$CACHED" ]]; then
    install_module "$CACHED"
    log "cache hit ($KEY): $OUT ($(wc -c <"$OUT") bytes)"
    exit 0
fi
log "cache miss ($KEY): building $PACKAGE for $TRIPLE"

if command -v rustup >/dev/null; then
    if ! rustup target list --installed | grep -qx "$TRIPLE"; then
        log "adding the rustup target $TRIPLE"
        rustup target add "$TRIPLE"
    fi
else
    log "rustup not found: assuming the $TRIPLE standard library is installed"
fi

# Crates that compile C (Oniguruma for grep, find and expr) do so through
# cc-rs; any `cc` in the lock file means a C compiler for WASI is needed.
if grep -qx 'name = "cc"' "$GUEST/Cargo.lock" 2>/dev/null || [[ ! -f "$GUEST/Cargo.lock" ]]; then
    if [[ ! -x "$ZIG_DIR/ziglang/zig" ]]; then
        command -v python3 >/dev/null || die "python3 is needed to install the zig C compiler"
        log "installing ziglang==$ZIG_VERSION from PyPI into $ZIG_DIR"
        rm -rf "$ZIG_DIR.tmp.$$"
        PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
            --target "$ZIG_DIR.tmp.$$" "ziglang==$ZIG_VERSION"
        rm -rf "$ZIG_DIR"
        mv "$ZIG_DIR.tmp.$$" "$ZIG_DIR"
    fi
    export WASM_AGENT_ZIG="$ZIG_DIR/ziglang/zig"
    export CC_wasm32_wasip1="$ROOT/scripts/zig-cc"
    export AR_wasm32_wasip1="$ROOT/scripts/zig-ar"
    # zig keeps its own compilation cache; keep it beside the compiler
    # rather than in the user's home.
    export ZIG_GLOBAL_CACHE_DIR="${ZIG_GLOBAL_CACHE_DIR:-$CACHE_ROOT/zig-cache}"
    log "C compiler: $CC_wasm32_wasip1 (zig $("$WASM_AGENT_ZIG" version))"
fi

locked=()
[[ -n "${CI:-}" ]] && locked=(--locked)
cmd=(cargo build --release --target "$TRIPLE" --manifest-path "$GUEST/Cargo.toml"
    -p "$PACKAGE" --target-dir "$TARGET_DIR" "${locked[@]}")
log "running: ${cmd[*]}"
start=$SECONDS
# From inside guest-tools/, so that cargo reads guest-tools/.cargo/config.toml
# (the wasm32 target features): cargo looks for its configuration from the
# working directory, not from --manifest-path.
(cd "$GUEST" && nice -n 5 "${cmd[@]}")
BUILT="$TARGET_DIR/$TRIPLE/release/$PACKAGE.wasm"
[[ -f "$BUILT" ]] || die "cargo succeeded but $BUILT is missing"
log "built in $((SECONDS - start)) s: $(wc -c <"$BUILT") bytes"

# The key is taken again: a build that rewrote Cargo.lock must not store its
# output under the key of the old lock file.
KEY="$(cache_key)"
CACHED="$CACHE_ROOT/guest-tools/$KEY/tools.wasm"
mkdir -p "$(dirname "$CACHED")"
cp "$BUILT" "$CACHED.tmp.$$"
mv -f "$CACHED.tmp.$$" "$CACHED"
install_module "$CACHED"
log "cached as $CACHED"

# Every source change is a new key; keep only the newest few modules
# (about 15 MB each) so the cache does not grow without bound.
KEEP=5
find "$CACHE_ROOT/guest-tools" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
    -regex '.*/[0-9a-f]{32}' -printf '%T@ %p\n' |
    sort -rn | tail -n +$((KEEP + 1)) | cut -d' ' -f2- |
    while IFS= read -r old; do
        log "pruning old cache entry $old"
        rm -rf -- "$old"
    done
log "installed $OUT"
