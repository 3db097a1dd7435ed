#!/usr/bin/env python3
"""Independent check of stateof's concentration figures, recomputed with numpy.

Usage:
    python3 scripts/check_figures.py SNAPSHOT [FIGURES_JSON] [--registry PATH]

SNAPSHOT is a .jsonl, .jsonl.gz or .jsonl.zst file of Hub API model entries (one JSON
object per line). The script recomputes, straight from the rows:

    models_total              number of models (an id repeated is counted once)
    downloads_total           sum of `downloads` (the last 30 days)
    downloads_all_time_total  sum of `downloadsAllTime`
    top200_share              the 200 largest all-time downloads over their total
    share_below_200           fraction of models with all-time downloads < 200
    median_downloads          np.median of all-time downloads
    gini_downloads            G = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n over
                              all-time downloads, x ascending, i from 1

and, with the organisation registry, the share of downloads (last 30 days) from China-
and US-based authors (cn_share, us_share: downloads of models whose author the registry
places in that country, over all downloads).

When the `manifest.json` beside SNAPSHOT lists datasets and spaces files
(`datasets.jsonl.zst`, `spaces.jsonl.zst`, ...), it also recomputes from them:

    datasets_total                 number of datasets (an id repeated counted once)
    dataset_downloads_total        sum of their `downloads`
    dataset_top200_share           the 200 largest all-time dataset downloads over
                                   their total
    dataset_text_generation_share  datasets whose first `task_categories:` tag is
                                   text-generation, over all datasets
    dataset_chinese_share          (dataset, language) pairs with `language:zh` over all
                                   pairs, a dataset without a language tag being one
                                   pair (with none)
    spaces_total                   number of spaces
    docker_share, gradio_share     spaces whose `sdk` is docker / gradio, over all

Rows are read as stateof defines them: the id is `id`, else `modelId`; a repeated id
keeps its first row; the author is `author`, else the id's namespace (none for an id
without one); a model without `downloadsAllTime` is left out of the all-time figures
(not counted as 0), one without `downloads` adds nothing to the 30-day sums.

With FIGURES_JSON (a stateof figures.json: name -> {"value": ...}), every recomputed
figure must be present there and equal within a relative tolerance of 1e-9
(cn_share and us_share are compared only when present). Any difference is printed and
the exit status is 1. Needs numpy, and the `zstandard` package for .zst files.
"""

import argparse
import gzip
import io
import json
import math
import sys
import tomllib
from pathlib import Path

import numpy as np

TOLERANCE = 1e-9
DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "content/data/organizations.toml"
OPTIONAL = {"cn_share", "us_share"}
KINDS = ("datasets", "spaces")


class ZstdReader(io.RawIOBase):
    """Decompresses every frame of a .zst file and fails on a truncated one."""

    def __init__(self, path):
        import zstandard

        self._zstd = zstandard
        self._path = path
        self._raw = path.open("rb")
        self._frame = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""
        self._started = False

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self._pending:
            chunk = self._raw.read(1 << 20)
            if not chunk:
                if self._started and not self._frame.eof:
                    raise ValueError(f"`{self._path}` is truncated or corrupt (incomplete zstd frame)")
                return 0
            while chunk:
                self._started = True
                out = self._frame.decompress(chunk)
                self._pending += out
                chunk = b""
                if self._frame.eof and self._frame.unused_data:
                    chunk = self._frame.unused_data
                    self._frame = self._zstd.ZstdDecompressor().decompressobj()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self):
        self._raw.close()
        super().close()


def open_lines(path):
    """A text stream over the snapshot's decompressed lines."""
    name = path.name
    if name.endswith(".jsonl.zst"):
        return io.TextIOWrapper(ZstdReader(path), encoding="utf-8")
    if name.endswith(".jsonl.gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    if name.endswith(".jsonl"):
        return path.open("r", encoding="utf-8")
    sys.exit(f"error: `{path}` is not a snapshot: expected .jsonl, .jsonl.gz or .jsonl.zst")


def read_snapshot(path):
    """Per model: downloads (int64 array), all-time downloads (int64 array of the models
    that report them) and authors (list of str)."""
    downloads, all_time, authors = [], [], []
    seen = set()
    with open_lines(path) as lines:
        numbered = enumerate(lines, start=1)
        while True:
            try:
                number, line = next(numbered)
            except StopIteration:
                break
            except Exception as err:  # zstandard.ZstdError, gzip's EOFError, bad UTF-8
                sys.exit(f"error: cannot read `{path}`: {err}")
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                model_id = row.get("id") or row["modelId"]
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                sys.exit(f"error: {path}:{number}: {err}")
            if model_id in seen:
                continue
            seen.add(model_id)
            downloads.append(row.get("downloads") or 0)
            if row.get("downloadsAllTime") is not None:
                all_time.append(row["downloadsAllTime"])
            author = row.get("author")
            if author is None:
                author = model_id.split("/", 1)[0] if "/" in model_id else ""
            authors.append(author)
    as_array = lambda values: np.asarray(values, dtype=np.int64)
    return as_array(downloads), as_array(all_time), authors


def read_rows(path):
    """Every entry of a datasets or spaces file, an id repeated kept once (the first)."""
    rows, seen = [], set()
    with open_lines(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                repo_id = row["id"]
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                sys.exit(f"error: {path}:{number}: {err}")
            if repo_id not in seen:
                seen.add(repo_id)
                rows.append(row)
    return rows


def siblings(snapshot):
    """The datasets and spaces files the manifest beside `snapshot` lists."""
    manifest = snapshot.with_name("manifest.json")
    if not manifest.exists():
        return {}
    files = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
    found = {}
    for kind in KINDS:
        for ext in ("jsonl", "jsonl.gz", "jsonl.zst"):
            if f"{kind}.{ext}" in files:
                found[kind] = snapshot.with_name(f"{kind}.{ext}")
    return found


def tag_values(row, prefix):
    """The values of the `prefix:` tags of a row, each once, in order."""
    values = []
    for tag in row.get("tags") or []:
        if tag.startswith(prefix) and tag[len(prefix):] not in values:
            values.append(tag[len(prefix):])
    return values


def recompute_datasets(rows):
    downloads = np.asarray([r.get("downloads") or 0 for r in rows], dtype=np.int64)
    all_time = np.asarray(
        [r["downloadsAllTime"] for r in rows if r.get("downloadsAllTime") is not None],
        dtype=np.int64,
    )
    total = int(all_time.sum())
    top = np.sort(all_time)[::-1][:200]
    tasks = [tag_values(r, "task_categories:") for r in rows]
    languages = [tag_values(r, "language:") or [None] for r in rows]
    pairs = sum(len(ls) for ls in languages)
    return {
        "datasets_total": float(len(rows)),
        "dataset_downloads_total": float(int(downloads.sum())),
        "dataset_top200_share": float(top.sum()) / total if total else 0.0,
        "dataset_text_generation_share": sum(t[:1] == ["text-generation"] for t in tasks) / len(rows),
        "dataset_chinese_share": sum(ls.count("zh") for ls in languages) / pairs,
    }


def recompute_spaces(rows):
    sdks = [r.get("sdk") for r in rows]
    return {
        "spaces_total": float(len(rows)),
        "docker_share": sdks.count("docker") / len(rows),
        "gradio_share": sdks.count("gradio") / len(rows),
    }


def gini(x):
    x = np.sort(x.astype(np.float64))
    n = x.size
    total = x.sum()
    if n == 0 or total == 0:
        return 0.0
    i = np.arange(1, n + 1, dtype=np.float64)
    return float(2.0 * np.sum(i * x) / (n * total) - (n + 1) / n)


def recompute(downloads, all_time):
    n = int(all_time.size)
    total = int(all_time.sum())
    top = np.sort(all_time)[::-1][:200]
    return {
        "models_total": float(downloads.size),
        "downloads_total": float(int(downloads.sum())),
        "downloads_all_time_total": float(total),
        "top200_share": float(top.sum()) / total if total else 0.0,
        "share_below_200": float(np.count_nonzero(all_time < 200)) / n if n else 0.0,
        "median_downloads": float(np.median(all_time)) if n else 0.0,
        "gini_downloads": gini(all_time),
    }


def country_shares(downloads, authors, registry):
    country = {
        author: org.get("country") for author, org in registry.get("org", {}).items()
    }
    total = float(downloads.sum())
    by_country = {}
    for d, author in zip(downloads.tolist(), authors):
        code = country.get(author) or ("unknown" if author in country else "unattributed")
        by_country[code] = by_country.get(code, 0) + d
    shares = {code: d / total if total else 0.0 for code, d in by_country.items()}
    return shares


def compare(values, figures_path):
    """Lines describing each difference between `values` and the figures file."""
    try:
        figures = json.loads(figures_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        sys.exit(f"error: cannot read figures `{figures_path}`: {err}")
    problems = []
    for name, value in values.items():
        figure = figures.get(name)
        if figure is None:
            if name not in OPTIONAL:
                problems.append(f"{name}: missing from {figures_path}")
            continue
        stated = figure.get("value") if isinstance(figure, dict) else None
        if not isinstance(stated, (int, float)) or isinstance(stated, bool):
            problems.append(f"{name}: {figures_path} has no numeric `value` ({stated!r})")
            continue
        if not math.isclose(stated, value, rel_tol=TOLERANCE, abs_tol=0.0):
            diff = stated - value
            problems.append(
                f"{name}: figures.json says {stated!r}, recomputed {value!r} (difference {diff:+.3e})"
            )
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("figures", type=Path, nargs="?")
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY)
    args = parser.parse_args()

    downloads, all_time, authors = read_snapshot(args.snapshot)
    values = recompute(downloads, all_time)
    try:
        registry = tomllib.loads(args.registry.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        sys.exit(f"error: cannot read the registry `{args.registry}`: {err}")
    shares = country_shares(downloads, authors, registry)
    values["cn_share"] = shares.get("CN", 0.0)
    values["us_share"] = shares.get("US", 0.0)
    files = siblings(args.snapshot)
    if "datasets" in files:
        values.update(recompute_datasets(read_rows(files["datasets"])))
    if "spaces" in files:
        values.update(recompute_spaces(read_rows(files["spaces"])))

    print(f"snapshot {args.snapshot}")
    for name, value in values.items():
        print(f"  {name:<24} {value:.10g}")
    ranked = sorted(shares.items(), key=lambda kv: -kv[1])
    print("  downloads by country: " + ", ".join(f"{c} {s:.1%}" for c, s in ranked[:8]))

    if args.figures is None:
        return 0
    problems = compare(values, args.figures)
    if problems:
        print(f"MISMATCH between {args.snapshot} and {args.figures}:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"ok: {args.figures} matches the snapshot (relative tolerance {TOLERANCE:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
