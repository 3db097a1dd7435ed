#!/usr/bin/env bash
# Page throughput: stateof and Hugo build the same 1,000 chapter pages of ordinary
# Markdown (~8 kB each: headings, paragraphs, links, lists, tables), side by side.
#
#   scripts/bench-pages.sh            # PAGES=1000 RUNS=10 by default
#
# Both projects get the same Markdown files (TOML front matter both tools read) and
# minimal templates: a page is its title and its content. stateof also builds what
# it always builds (home, methodology, 404, feed, sitemap); Hugo builds its defaults
# (home, section list, RSS, sitemap). The stateof project has one edition whose
# snapshot is a single model, so what is measured is pages, not data; after the first
# run its figures come from the cache, as in an author's edit-and-rebuild loop.
# Timed twice: with outputs in the project folders (an author's rebuild), and on tmpfs
# (/dev/shm), which takes the disk's file system out of the comparison. `FULL=1` also
# times stateof with the demo's own templates and theme.
# Prints the figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

pages=${PAGES:-1000}
runs=${RUNS:-10}
dir=$PWD/target/bench/pages
need() { command -v "$1" >/dev/null 2>&1 || { apt-get install -y -qq "$2" >/dev/null || { echo "needs $1 ($2)" >&2; exit 1; }; }; }
need hugo hugo
need hyperfine hyperfine
need python3 python3
cargo build --release --quiet
stateof=$PWD/target/release/stateof

rm -rf "$dir" && mkdir -p "$dir"
python3 - "$dir" "$pages" <<'EOF'
import os, random, sys
dir, pages = sys.argv[1], int(sys.argv[2])
r = random.Random(7)
words = ("model data open source hub download license community weights dataset "
         "benchmark training evaluation release organisation developer library task "
         "text image audio speech vision language token context window parameter "
         "quantized adapter merge fine-tune base checkpoint report edition growth "
         "share concentration country company academic independent registry").split()
def words_(n): return " ".join(r.choice(words) for _ in range(n))
def sentence():
    s = words_(r.randint(7, 16))
    k = r.random()
    if k < 0.2: s += f" [{words_(2)}](https://example.org/{r.choice(words)}/{r.randint(1, 999)})"
    elif k < 0.35: s += f" *{words_(2)}*"
    elif k < 0.45: s += f" `{r.choice(words)}_{r.randint(1, 99)}`"
    elif k < 0.55: s += f" **{words_(1)}**"
    return s[0].upper() + s[1:] + "."
def paragraph(): return " ".join(sentence() for _ in range(r.randint(3, 6)))
def table():
    cols = [w.capitalize() for w in r.sample(words, 4)]
    rows = ["| " + " | ".join(cols) + " |", "|---|---:|---:|---|"]
    for _ in range(6):
        rows.append(f"| {words_(2)} | {r.randint(1, 99999):,} | {r.random() * 100:.1f}% | [{r.choice(words)}](https://example.org/{r.randint(1, 99)}) |")
    return "\n".join(rows)
def page(i):
    out = [f"Chapter {i} of the benchmark report. " + paragraph()]
    for s in range(3):
        out.append(f"## {words_(3).capitalize()} {s + 1}")
        out += [paragraph(), paragraph()]
        out.append(f"### {words_(2).capitalize()}")
        out.append("\n".join(f"- {sentence()}" for _ in range(r.randint(3, 5))))
        out.append(paragraph())
        out.append("\n".join(f"{n + 1}. {sentence()}" for n in range(3)))
        if s % 2 == 0: out.append(table())
    return "\n\n".join(out) + "\n"
text = os.path.join(dir, "text"); os.makedirs(text)
sizes = []
for i in range(1, pages + 1):
    body = page(i)
    sizes.append(len(body))
    with open(os.path.join(text, f"chapter-{i:04}.md"), "w") as f:
        f.write(f'+++\ntitle = "Chapter {i}: {words_(3)}"\ndate = "2026-03-20"\nweight = {i}\n+++\n\n{body}')
print(f"{pages} pages of Markdown, {sum(sizes) / len(sizes) / 1000:.1f} kB each on average")
EOF

# The stateof project: one edition, the chapters, a one-model snapshot, minimal templates.
st=$dir/stateof
mkdir -p "$st/content/report" "$st/content/data" "$st/snapshots" "$st/templates" "$st/theme"
cp "$dir"/text/*.md "$st/content/report/"
cat > "$st/stateof.toml" <<'EOF'
title = "Benchmark report"
description = "A thousand chapters of ordinary Markdown."
base-url = "https://example.org/bench/"

[figures.models_total]
label = "Models"
metric = "count"
EOF
: > "$st/content/data/organizations.toml"
printf '{"id":"acme/model","downloads":1}\n' > "$st/snapshots/models.jsonl"
cat > "$st/content/report/index.md" <<'EOF'
+++
title = "Benchmark report"
date = "2026-03-20"
snapshot = "snapshots/models.jsonl"
+++

The snapshot lists {{ fig(name="models_total") }} model.
EOF
page='<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><h1>{{ page.title }}</h1>
BODY
</body></html>'
for t in edition home methodology 404; do
  body='{{ content | default(value="") | safe }}'
  [ "$t" = edition ] || body=''
  printf '%s\n' "${page/BODY/$body}" > "$st/templates/$t.html"
done
cp templates/atom.xml templates/sitemap.xml "$st/templates/"
printf 'body { font-family: sans-serif; }\n' > "$st/theme/style.css"

# The Hugo site: the same files in one section, minimal templates.
hu=$dir/hugo
mkdir -p "$hu/content/report" "$hu/layouts/_default"
cp "$dir"/text/*.md "$hu/content/report/"
printf '+++\ntitle = "Benchmark report"\ndate = "2026-03-20"\n+++\n' > "$hu/content/report/_index.md"
cat > "$hu/hugo.toml" <<'EOF'
baseURL = "https://example.org/bench/"
title = "Benchmark report"
disableKinds = ["taxonomy", "term"]
EOF
for t in single list; do
  printf '%s\n' "${page/BODY/\{\{ .Content \}\}}" | sed 's/{{ page.title }}/{{ .Title }}/g' > "$hu/layouts/_default/$t.html"
done
cp "$hu/layouts/_default/list.html" "$hu/layouts/index.html"

"$stateof" build --root "$st" >/dev/null 2>&1   # first build: fills the figure cache
compare() { # label, stateof output folder, hugo output folder
  hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$dir/times.json" \
    -n stateof "$stateof build --root $st --output $2" \
    -n hugo "hugo --quiet --source $hu --destination $3" | grep -E "Benchmark|Time|Range"
  python3 - "$1" "$dir/times.json" "$2" "$3" <<'PY'
import json, os, sys
label, times, st, hu = sys.argv[1:]
t = {r["command"]: r for r in json.load(open(times))["results"]}
s, h = t["stateof"]["mean"], t["hugo"]["mean"]
files = lambda d: sum(len(f) for _, _, f in os.walk(d))
print(f"{label}: stateof {s * 1000:.0f} ms ({files(st)} files), hugo {h * 1000:.0f} ms ({files(hu)} files): "
      f"stateof {h / s:.2f}x as fast")
PY
}
echo "== outputs in the project folders (rebuild over the previous output)"
compare "project folders" "$st/output" "$hu/public"
if [ -d /dev/shm ]; then
  echo "== outputs on tmpfs (/dev/shm): the same work without the disk's file system"
  compare "tmpfs" /dev/shm/stateof-bench-pages /dev/shm/hugo-bench-pages
  rm -rf /dev/shm/stateof-bench-pages /dev/shm/hugo-bench-pages
fi
if [ "${FULL:-0}" = 1 ]; then
  rm -rf "$st/templates" "$st/theme" && cp -r templates theme "$st/"
  echo "== stateof with the demo's templates (each page lists all 1,000 chapters)"
  hyperfine --style basic --warmup 2 --runs "$runs" "$stateof build --root $st" | grep -E "Time|Range"
fi
