#!/usr/bin/env python3
"""The same synthetic Hub written as Parquet by pyarrow, DuckDB, polars and pandas, each
as such tools write it, must build the demo report to the figures its JSON Lines give.

    python3 scripts/check_parquet_writers.py target/release/stateof target/parquet-writers

`stateof sample` writes a small Hub as JSON Lines; each writer turns those very lines
into models/datasets/spaces.parquet in its own way (timestamps of its unit and time
zone, lists named its way, counts of its width, doubles where pandas puts NaN, row
groups of its size, its compression); a manifest is written beside them; then the demo
report is built over each, and every figure in figures.json is compared with the JSON
Lines build. The Rust tests cover the same variants with the parquet crate's writer;
this checks that real files from these tools read the same. Exits non-zero on any
difference. Needs `pip install pyarrow duckdb polars pandas`.
"""

import hashlib
import json
import pathlib
import shutil
import subprocess
import sys
from datetime import datetime, timezone

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

KINDS = ("models", "datasets", "spaces")


def sample(stateof, out):
    subprocess.run(
        [stateof, "sample", "--force", "--models", "3000", "--datasets", "800", "--spaces",
         "1500", "--date", "2026-03-15", "--seed", "7", "--out", str(out / "models.jsonl")],
        check=True, capture_output=True)


def rows(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def when(text):
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def with_pyarrow(src, out, kind):
    """Explicit types: nanosecond timestamps without a time zone (pandas' datetime64),
    32-bit likes, a list of strings, the nested columns the report never reads."""
    entries = rows(src / f"{kind}.jsonl")
    fields = [
        ("id", pa.string()), ("author", pa.string()), ("createdAt", pa.timestamp("ns")),
        ("likes", pa.int32()), ("tags", pa.list_(pa.string())),
        ("cardData", pa.string()),
        ("siblings", pa.list_(pa.struct([("rfilename", pa.string())]))),
    ]
    if kind != "spaces":
        fields += [("downloads", pa.int64()), ("downloadsAllTime", pa.int64())]
    if kind == "models":
        fields += [("pipeline_tag", pa.string()), ("library_name", pa.string())]
    if kind == "spaces":
        fields += [("sdk", pa.string())]
    columns = {}
    for name, _ in fields:
        if name == "createdAt":
            columns[name] = [when(e.get(name)).replace(tzinfo=None) if e.get(name) else None
                             for e in entries]
        elif name == "cardData":
            columns[name] = [json.dumps({"license": None}) for _ in entries]
        elif name == "siblings":
            columns[name] = [[{"rfilename": "README.md"}] for _ in entries]
        else:
            columns[name] = [e.get(name) for e in entries]
    table = pa.table(columns, schema=pa.schema(fields))
    pq.write_table(table, out / f"{kind}.parquet", row_group_size=700)


def with_duckdb(src, out, kind):
    """DuckDB's own reading of the lines (types inferred), `createdAt` as TIMESTAMPTZ,
    zstd, its row groups."""
    con = duckdb.connect()
    con.execute("SET threads = 2; SET TimeZone = 'UTC'")
    path = src / f"{kind}.jsonl"
    con.execute(
        f"CREATE TABLE t AS SELECT * FROM read_json_auto('{path}', sample_size = -1)")
    columns = [row[0] for row in con.execute("DESCRIBE t").fetchall()]
    select = ", ".join(
        "CAST(createdAt AS TIMESTAMPTZ) AS createdAt" if c == "createdAt" else f'"{c}"'
        for c in columns)
    con.execute(
        f"COPY (SELECT {select} FROM t) TO '{out / f'{kind}.parquet'}' "
        "(FORMAT PARQUET, COMPRESSION ZSTD, ROW_GROUP_SIZE 1024)")


def with_polars(src, out, kind):
    """polars' lists (`item`), millisecond UTC timestamps, 64-bit counts, lz4."""
    frame = pl.read_ndjson(src / f"{kind}.jsonl", infer_schema_length=None)
    frame = frame.with_columns(
        pl.col("createdAt").str.to_datetime(time_unit="ms", time_zone="UTC", strict=True))
    frame.write_parquet(out / f"{kind}.parquet", compression="lz4", row_group_size=600)


def with_pandas(src, out, kind):
    """A notebook's path: counts with missing values become doubles (NaN), tags a JSON
    string, `createdAt` left as text."""
    frame = pd.read_json(src / f"{kind}.jsonl", lines=True, dtype=False)
    if "tags" in frame:
        frame["tags"] = frame["tags"].map(
            lambda t: None if not isinstance(t, list) else json.dumps(t))
    for name in ("downloads", "downloadsAllTime", "likes"):
        if name in frame:
            frame[name] = frame[name].astype("float64")
    frame.to_parquet(out / f"{kind}.parquet", engine="pyarrow", index=False)


def manifest(src, out):
    text = json.loads((src / "manifest.json").read_text())
    files = {}
    for name, entry in text["files"].items():
        if name.startswith("authors"):
            shutil.copy(src / name, out / name)
            files[name] = entry
            continue
        parquet = name.replace(".jsonl", ".parquet")
        data = (out / parquet).read_bytes()
        files[parquet] = {"rows": entry["rows"], "sha256": hashlib.sha256(data).hexdigest()}
    text["files"] = files
    (out / "manifest.json").write_text(json.dumps(text, indent=2) + "\n")


def build(stateof, snapshot, site):
    done = subprocess.run(
        [stateof, "build", "--allow-false-claims", "--snapshot", f"2026-spring={snapshot}",
         "--output", str(site)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"building over {snapshot} failed:\n{done.stderr}")
    figures = json.loads((site / "2026-spring" / "figures.json").read_text())
    return {name: figure["value"] for name, figure in figures.items()}


def main():
    stateof, work = sys.argv[1], pathlib.Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    src = work / "jsonl"
    src.mkdir(parents=True)
    sample(stateof, src)
    expected = build(stateof, src / "models.jsonl", work / "site-jsonl")
    failed = False
    for name, writer in [("pyarrow", with_pyarrow), ("duckdb", with_duckdb),
                         ("polars", with_polars), ("pandas", with_pandas)]:
        out = work / name
        out.mkdir()
        for kind in KINDS:
            writer(src, out, kind)
        manifest(src, out)
        schema = pq.read_schema(out / "models.parquet")
        got = build(stateof, out / "models.parquet", work / f"site-{name}")
        differ = sorted(k for k in expected if got.get(k) != expected[k])
        kinds = {f.name: str(f.type) for f in schema if f.name in ("createdAt", "tags", "likes")}
        if differ:
            failed = True
            print(f"{name}: {len(differ)} figures differ: {', '.join(differ)} ({kinds})")
        else:
            print(f"{name}: all {len(expected)} figures as from JSON Lines ({kinds})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
