#!/usr/bin/env python3
"""The editor's loop, timed: from saving a Markdown file to the browser having the page.

Copies the bundled demo report to a temporary folder, starts `stateof serve` on it
(the release binary; built if missing), listens to its event stream as a page does,
then, RUNS times: rewrites one sentence of `content/2026-spring/index.md`, and times

  - save -> event: until the server announces a build whose changed files include
    `2026-spring/index.html` (the moment the page's live script starts swapping);
  - save -> page:  until that page, fetched over HTTP, holds the new sentence.

Both include the server's debounce (30 ms of quiet before a burst is built). Prints
the median, 90th percentile and worst of each; asserts nothing, since timings depend
on the machine.

    python3 scripts/bench_serve.py                       # the demo, RUNS=20
    python3 scripts/bench_serve.py --snapshot 2026-spring=/abs/path/models.jsonl.zst

With --snapshot (absolute path), the 2026 edition is computed from that file instead,
e.g. the 2,000,000-model sample `scripts/bench.sh` leaves in target/bench/.
"""

import argparse
import http.client
import json
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
PAGE = "2026-spring/index.html"
SENTENCE = "A year of open models, told in numbers."


def start_server(project, snapshot):
    binary = REPO / "target/release/stateof"
    if not binary.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    args = [str(binary), "serve", "--port", "0"]
    if snapshot:
        args += ["--snapshot", snapshot]
    server = subprocess.Popen(
        args, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    line = server.stdout.readline()
    if "http://" not in line:
        server.kill()
        sys.exit(f"stateof serve did not start: {line!r}")
    host_port = line.split("http://")[1].split("/")[0]
    host, port = host_port.rsplit(":", 1)
    return server, host, int(port)


class Events:
    """The server's event stream, read as a browser's EventSource would."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=60)
        request = f"GET /_stateof/events HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n"
        self.sock.sendall(request.encode())
        self.buffer = b""
        self.next()  # the current state, sent on connect

    def next(self):
        while True:
            while b"\n" not in self.buffer:
                chunk = self.sock.recv(65536)
                if not chunk:
                    sys.exit("the event stream closed")
                self.buffer += chunk
            line, self.buffer = self.buffer.split(b"\n", 1)
            if line.startswith(b"data: "):
                return json.loads(line[6:])


def fetch(host, port, path):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", "/" + path.removesuffix("index.html"))
    body = connection.getresponse().read().decode()
    connection.close()
    return body


def summary(name, seconds):
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    print(
        f"  {name:<16} median {statistics.median(ms):6.1f} ms   "
        f"p90 {p90:6.1f} ms   worst {ms[-1]:6.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", 20)))
    parser.add_argument("--snapshot", help="EDITION=ABSOLUTE_PATH, as for stateof serve")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        project = pathlib.Path(tmp)
        for name in ["stateof.toml", "content", "templates", "theme", "static", "snapshots"]:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, project / name)
            elif source.exists():
                shutil.copy(source, project / name)
        started = time.perf_counter()
        server, host, port = start_server(project, args.snapshot)
        try:
            print(f"first build and start: {time.perf_counter() - started:.2f} s")
            events = Events(host, port)
            markdown = project / "content/2026-spring/index.md"
            original = markdown.read_text()
            assert SENTENCE in original, "the demo's first sentence has changed"
            to_event, to_page = [], []
            for run in range(args.runs):
                token = f"Edit number {run} of a year of open models."
                saved = time.perf_counter()
                markdown.write_text(original.replace(SENTENCE, token))
                while True:
                    report = events.next()
                    if report["errors"]:
                        sys.exit(f"the build failed: {report['errors']}")
                    if PAGE in report["changed"]:
                        break
                to_event.append(time.perf_counter() - saved)
                if token not in fetch(host, port, PAGE):
                    sys.exit("the page does not hold the new sentence")
                to_page.append(time.perf_counter() - saved)
                time.sleep(0.2)
            what = args.snapshot or "the demo's own snapshots"
            print(f"save -> browser, {args.runs} edits of content/2026-spring/index.md ({what}):")
            summary("save -> event", to_event)
            summary("save -> page", to_page)
        finally:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
