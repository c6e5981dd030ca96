#!/usr/bin/env bash
# Recreates vendor/uucore: uucore from the cargo registry plus the
# wasm-agent changes described in vendor/uucore/WASM-AGENT.md, with the
# English catalogues of every uu_* crate the multicall depends on.
#
# The changes themselves live in git: run this after bumping uucore, then
# re-apply them from the previous commit (`git diff` shows what to keep).
#
# Usage: guest-tools/vendor/update-uucore.sh [VERSION]   (default 0.12.0)
set -euo pipefail

VERSION="${1:-0.12.0}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GUEST="$(dirname "$HERE")"
REGISTRY="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -n 1)"

(cd "$GUEST" && cargo fetch --manifest-path Cargo.toml >/dev/null)
[[ -d "$REGISTRY/uucore-$VERSION" ]] || { echo "uucore-$VERSION is not in $REGISTRY" >&2; exit 1; }

OUT="$HERE/uucore"
rm -rf "$OUT.new"
cp -r "$REGISTRY/uucore-$VERSION" "$OUT.new"
rm -f "$OUT.new/.cargo_vcs_info.json" "$OUT.new/Cargo.toml.orig" "$OUT.new/Cargo.lock"
find "$OUT.new/locales" -name '*.ftl' ! -name 'en-US.ftl' -delete

mkdir -p "$OUT.new/embedded-locales"
for crate in $(grep -o '^uu_[a-z0-9_]* ' "$GUEST/multicall/Cargo.toml") uu_checksum_common; do
    ftl="$REGISTRY/$crate-$VERSION/locales/en-US.ftl"
    # uu_dir and uu_vdir use ls's messages.
    [[ -f "$ftl" ]] || continue
    mkdir -p "$OUT.new/embedded-locales/${crate#uu_}"
    cp "$ftl" "$OUT.new/embedded-locales/${crate#uu_}/en-US.ftl"
done

rm -rf "$OUT"
mv "$OUT.new" "$OUT"
echo "vendored uucore $VERSION into $OUT; now re-apply the changes of WASM-AGENT.md" >&2
