#!/usr/bin/env bash
# Hub scale: the demo report built over a whole synthetic Hub.
#
#   scripts/bench.sh                     # 2,000,000 models, 600,000 datasets, 1,000,000 spaces
#   MODELS=200000 DATASETS=60000 SPACES=100000 RUNS=3 scripts/bench.sh
#   BASELINE=2e16619 scripts/bench.sh    # also time that commit's stateof (models only)
#
# Generates the snapshot once with `stateof sample` (kept in target/bench/, so reruns
# skip it): as .jsonl files, and the same files as .jsonl.zst (`zstd -3`) in a folder of
# their own with a manifest to match. Then prints, for each:
#   - the floor: `wc -l` over the files, and `zstd -dc | wc -l` over the compressed ones;
#   - the cold build (figure cache cleared, as in a fresh clone): wall time, rows/s,
#     and peak memory (maximum resident set size);
#   - the warm rebuild (nothing changed but, say, the narrative): wall time.
# With BASELINE=<commit>, that commit is built in target/bench/baseline and its demo
# report (which reads models only) is timed over the same models file: the cost of
# reading datasets and spaces too. Builds write to target/bench/site, not to output/.
# Prints figures only; asserts nothing, since timings depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

models=${MODELS:-2000000}
datasets=${DATASETS:-600000}
spaces=${SPACES:-1000000}
runs=${RUNS:-5}
dir=$PWD/target/bench/hub-$models-$datasets-$spaces
need() { command -v "$1" >/dev/null 2>&1 || { apt-get install -y -qq "$2" >/dev/null || { echo "needs $1 ($2)" >&2; exit 1; }; }; }
need hyperfine hyperfine
need zstd zstd
[ -x /usr/bin/time ] || need /usr/bin/time time
cargo build --release --quiet
stateof=$PWD/target/release/stateof

if [ ! -s "$dir/zst/manifest.json" ]; then
  rm -rf "$dir" && mkdir -p "$dir/jsonl" "$dir/zst"
  "$stateof" sample --models "$models" --datasets "$datasets" --spaces "$spaces" \
    --date 2026-03-15 --seed 7 --out "$dir/jsonl/models.jsonl"
  for kind in models datasets spaces; do
    zstd -q -f -3 -T0 "$dir/jsonl/$kind.jsonl" -o "$dir/zst/$kind.jsonl.zst"
  done
  cp "$dir/jsonl/authors.jsonl.zst" "$dir/zst/"
  # The same manifest, naming the compressed files and their checksums.
  python3 - "$dir/jsonl/manifest.json" "$dir/zst" <<'PY'
import hashlib, json, pathlib, sys
manifest = json.loads(pathlib.Path(sys.argv[1]).read_text())
out = pathlib.Path(sys.argv[2])
files = {}
for name, entry in manifest["files"].items():
    name = name if name.endswith(".zst") else name + ".zst"
    files[name] = {"rows": entry["rows"], "sha256": hashlib.sha256((out / name).read_bytes()).hexdigest()}
manifest["files"] = files
(out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
PY
fi
ls -l "$dir"/jsonl/*.jsonl "$dir"/zst/*.zst | awk '{ printf "%-70s %8.1f MB\n", $NF, $5 / 1e6 }'
rows=$((models + datasets + spaces))

mean() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'])" "$1"; }
time_it() { # name, runs, [hyperfine options...] command
  local name=$1 n=$2; shift 2
  hyperfine --style none --runs "$n" --export-json "$dir/t.json" "$@" >/dev/null 2>&1
  printf '  %-44s %8.3f s\n' "$name" "$(mean "$dir/t.json")"
}
# cold NAME ROWS COMMAND: cold time, rows/s and peak memory of COMMAND.
cold() {
  local name=$1 n=$2 build=$3
  time_it "$name: cold (cache cleared)" "$runs" --warmup 1 --prepare "rm -rf .stateof-cache" "$build"
  local seconds
  seconds=$(mean "$dir/t.json")
  rm -rf .stateof-cache
  /usr/bin/time -o "$dir/rss" -f "%M" $build >/dev/null 2>&1
  printf '  %-44s %8.0f MB\n' "$name: cold peak memory (max RSS)" "$(($(cat "$dir/rss") / 1024))"
  printf '  %-44s %8.2f M rows/s\n' "$name: cold rows per second" \
    "$(python3 -c "print($n / $seconds / 1e6)")"
}

echo "floor (reading the files; page cache warm):"
time_it "wc -l *.jsonl" "$runs" --warmup 1 "cat $dir/jsonl/models.jsonl $dir/jsonl/datasets.jsonl $dir/jsonl/spaces.jsonl | wc -l"
time_it "zstd -dc *.jsonl.zst | wc -l" "$runs" --warmup 1 "zstd -dc $dir/zst/models.jsonl.zst $dir/zst/datasets.jsonl.zst $dir/zst/spaces.jsonl.zst | wc -l"

for format in zst jsonl; do
  file=models.jsonl
  [ "$format" = zst ] && file=models.jsonl.zst
  build="$stateof build --allow-false-claims --output $dir/site --snapshot 2026-spring=$dir/$format/$file"
  echo "stateof build, models + datasets + spaces ($format):"
  cold "all kinds" "$rows" "$build"
  time_it "all kinds: warm (figures from the cache)" "$((runs * 2))" --warmup 2 "$build"
done

if [ -n "${BASELINE:-}" ]; then
  base=$PWD/target/bench/baseline
  if [ ! -x "$base/target/release/stateof" ] || [ "$(git -C "$base" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$BASELINE")" ]; then
    rm -rf "$base" && git worktree prune
    git worktree add --detach "$base" "$BASELINE" >/dev/null
    (cd "$base" && cargo build --release --quiet)
  fi
  for format in zst jsonl; do
    file=models.jsonl
    [ "$format" = zst ] && file=models.jsonl.zst
    build="$base/target/release/stateof build --allow-false-claims --root $base --output $dir/site-baseline --snapshot 2026-spring=$dir/$format/$file"
    echo "stateof at $BASELINE, models only ($format):"
    (cd "$base" && cold "models only" "$models" "$build")
  done
fi
