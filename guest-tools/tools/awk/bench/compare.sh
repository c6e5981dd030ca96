#!/usr/bin/env bash
# Compares wa-awk (native release build) with the system awks on a generated 50 MB file.
# Usage: guest-tools/tools/awk/bench/compare.sh [size_mb]
# Prints best-of-3 wall seconds per program; missing awks are skipped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
size=${1:-50}
data=${TMPDIR:-/tmp}/wa-awk-bench-${size}mb.txt
cargo build --quiet --release --manifest-path "$root/guest-tools/Cargo.toml" -p wa-awk \
    --target-dir "$root/target/awk"
ours="$root/target/awk/release/awk"
if [ ! -s "$data" ]; then
    # Deterministic data: word, integer, float, word, filler.
    "$ours" -v size="$size" 'BEGIN {
        split("alpha beta gamma delta eps zeta eta theta", w)
        srand(1); limit = size * 1024 * 1024
        while (n < limit) {
            line = sprintf("%s %d %.3f %s %s", w[int(rand() * 8) + 1], int(rand() * 100000),
                rand() * 1000, w[int(rand() * 8) + 1], substr("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 1, int(rand() * 30) + 1))
            print line; n += length(line) + 1
        }
    }' > "$data"
fi
awks=()
for a in mawk gawk "$ours"; do command -v "$a" >/dev/null 2>&1 && awks+=("$a"); done
best() {
    local b=999
    for _ in 1 2 3; do
        local s e
        s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
        b=$(echo "$s $e $b" | "$ours" '{ t = $2 - $1; print (t < $3 ? t : $3) }')
    done
    printf "%.2f" "$b"
}
printf "%-40s" "program"; for a in "${awks[@]}"; do printf " %10s" "$(basename "$a")"; done; echo
while IFS= read -r prog; do
    printf "%-40s" "$prog"
    for a in "${awks[@]}"; do printf " %10s" "$(best "$a" "$prog" "$data")"; done
    echo
done <<'PROGS'
{s+=$2} END{print s}
{c[$1]++} END{for(k in c) n++; print n}
/gamma/{n++} END{print n}
{print $1, $3}
{ $2 = "x"; print }
length($0) > 40 {n++} END {print n}
{ printf "%s %d\n", $1, $2 }
{ gsub(/a/, "A"); print }
PROGS
