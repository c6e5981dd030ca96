#!/usr/bin/env bash
# Copies a crate as published on crates.io into vendor/<name>/, so that a
# wasm-agent patch can be applied on top of it (each patched crate documents
# its change in vendor/<name>/WASM-AGENT.md and is used through
# `[patch.crates-io]` in guest-tools/Cargo.toml).
#
# The copy is the published crate minus what only its own development needs
# (tests, benches, lock file, VCS metadata). The patches themselves live in
# git: after re-running this for a new version, re-apply them from the
# previous commit (`git log -p -- vendor/<name>` shows them). vendor/uucore has
# its own script (update-uucore.sh), which also gathers message catalogues.
#
# Usage: guest-tools/vendor/vendor-crate.sh NAME VERSION
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 NAME VERSION" >&2; exit 2; }
NAME="$1"
VERSION="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REGISTRY="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -n 1)"
SOURCE="$REGISTRY/$NAME-$VERSION"

if [[ ! -d "$SOURCE" ]]; then
    # Let cargo download it into the registry without building anything.
    (cd "$HERE/.." && cargo fetch --manifest-path Cargo.toml >/dev/null)
fi
[[ -d "$SOURCE" ]] || {
    echo "$NAME-$VERSION is not in $REGISTRY: add it to multicall/Cargo.toml first" >&2
    exit 1
}

OUT="$HERE/$NAME"
rm -rf "$OUT.new"
cp -r "$SOURCE" "$OUT.new"
rm -rf "$OUT.new/.cargo_vcs_info.json" "$OUT.new/Cargo.toml.orig" "$OUT.new/Cargo.lock" \
    "$OUT.new/tests" "$OUT.new/benches" "$OUT.new/.github"
# Without their files, the test and bench targets (and what only they use)
# must go from the manifest too, or cargo refuses to load it.
python3 - "$OUT.new/Cargo.toml" <<'EOF'
import re, sys
path = sys.argv[1]
text = open(path).read()
# Drop whole tables: [[test]], [[bench]], [dev-dependencies...] and
# target-specific dev-dependencies. A table runs up to the next header.
pattern = re.compile(
    r'^\[\[(?:test|bench)\]\]\n(?:(?!\[).*\n|\n)*'
    r'|^\[(?:target\.[^\]]+\.)?dev-dependencies(?:\.[^\]]+)?\]\n(?:(?!\[).*\n|\n)*',
    re.M,
)
open(path, 'w').write(pattern.sub('', text))
EOF

rm -rf "$OUT"
mv "$OUT.new" "$OUT"
echo "vendored $NAME $VERSION into $OUT; now re-apply its WASM-AGENT.md changes" >&2
