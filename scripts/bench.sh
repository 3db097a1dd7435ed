#!/usr/bin/env bash
# Hub scale: the demo report built over a 2,000,000-model snapshot.
#
#   scripts/bench.sh                  # MODELS=2000000 RUNS=5 by default
#
# Generates the snapshot once with `stateof sample` (kept in target/bench/, so reruns
# skip it; `stateof sample` writes .jsonl, and `zstd -3` makes the .jsonl.zst), then
# prints, for the .jsonl.zst and the .jsonl file:
#   - the floor: `wc -l` on the file, and `zstd -dc | wc -l` on the compressed one;
#   - the cold build (figure cache cleared, as in a fresh clone): wall time, rows/s,
#     and peak memory (maximum resident set size);
#   - the warm rebuild (nothing changed but, say, the narrative): wall time.
# Builds write to target/bench/site, not to the demo's output/. Prints figures only;
# asserts nothing, since timings depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

models=${MODELS:-2000000}
runs=${RUNS:-5}
dir=$PWD/target/bench/hub-$models
need() { command -v "$1" >/dev/null 2>&1 || { apt-get install -y -qq "$2" >/dev/null || { echo "needs $1 ($2)" >&2; exit 1; }; }; }
need hyperfine hyperfine
need zstd zstd
[ -x /usr/bin/time ] || need /usr/bin/time time
cargo build --release --quiet
stateof=$PWD/target/release/stateof

if [ ! -s "$dir/models.jsonl.zst" ]; then
  mkdir -p "$dir"
  "$stateof" sample --models "$models" --date 2026-03-15 --seed 7 --out "$dir/models.jsonl"
  zstd -q -f -3 -T0 "$dir/models.jsonl" -o "$dir/models.jsonl.zst"
fi
ls -l "$dir"/models.jsonl* | awk '{ printf "%-60s %8.1f MB\n", $NF, $5 / 1e6 }'

mean() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'])" "$1"; }
time_it() { # name, runs, [hyperfine options...] command
  local name=$1 n=$2; shift 2
  hyperfine --style none --runs "$n" --export-json "$dir/t.json" "$@" >/dev/null 2>&1
  printf '  %-44s %8.3f s\n' "$name" "$(mean "$dir/t.json")"
}

echo "floor (reading the file; page cache warm):"
time_it "wc -l models.jsonl" "$runs" --warmup 1 "wc -l $dir/models.jsonl"
time_it "zstd -dc models.jsonl.zst | wc -l" "$runs" --warmup 1 "zstd -dc $dir/models.jsonl.zst | wc -l"

for file in models.jsonl.zst models.jsonl; do
  build="$stateof build --output $dir/site --snapshot 2026-spring=$dir/$file"
  echo "stateof build --snapshot 2026-spring=$file:"
  time_it "cold (cache cleared)" "$runs" --warmup 1 --prepare "rm -rf .stateof-cache" "$build"
  cold=$(mean "$dir/t.json")
  rm -rf .stateof-cache
  /usr/bin/time -o "$dir/rss" -f "%M" $build >/dev/null 2>&1
  printf '  %-44s %8.0f MB\n' "cold: peak memory (max RSS)" "$(($(cat "$dir/rss") / 1024))"
  printf '  %-44s %8.2f M rows/s\n' "cold: rows per second" \
    "$(python3 -c "print($models / $cold / 1e6)")"
  time_it "warm (figures from the cache)" "$((runs * 2))" --warmup 2 "$build"
done
