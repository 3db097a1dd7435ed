#!/usr/bin/env python3
"""End-to-end check of `stateof serve`'s editing loop in a real, headless Chromium.

What it checks, on a copy of the bundled demo project in a temporary folder:

1. live text: an edit to `content/2026-spring/index.md` shows up in the open page
   `/2026-spring/` within 5 s, without a navigation (a marker set on `window` survives);
2. scroll kept: the swap keeps the reader where they were (scrolled to 1500 px);
3. error overlay: breaking a figure name (`top200_share` -> `top20_share`) shows the
   overlay, naming `content/2026-spring/index.md:LINE` and a "did you mean", over the
   last good page;
4. overlay clears: fixing the name removes the overlay, still without a navigation;
5. live style: an edit to `theme/style.css` changes the page's computed style in place;
6. one stream: with four preview tabs open, the server holds one event stream (the
   tabs share it through a worker, so they do not use up the browser's connections).

It prints the time from each file write to the change in the page, saves screenshots
to `target/e2e/overlay.png` (the overlay) and `target/e2e/page.png` (the edited page),
and ends with `N passed, M failed`; it exits 0 only when every check held. The server
and the browser are stopped however it ends, and the whole run is bounded (~60 s).

Run it from anywhere, after `cargo build --release` (it builds the binary if missing):

    python3 -m pip install websocket-client   # the only Python dependency
    python3 scripts/e2e_serve.py

It needs Debian's `/usr/bin/chromium` (`apt-get install chromium`); set
`STATEOF_E2E_CHROMIUM` to use another Chromium binary, `STATEOF_E2E_KEEP=1` to keep
the temporary project and browser profile for a look afterwards. The browser is
driven over the Chrome DevTools Protocol directly (no Selenium or Playwright).
"""

import base64
import json
import urllib.request
import os
import pathlib
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

try:
    import websocket  # the websocket-client package
except ImportError:
    sys.exit("e2e: needs the websocket-client package: python3 -m pip install websocket-client")

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "stateof"
CHROMIUM = os.environ.get("STATEOF_E2E_CHROMIUM", "/usr/bin/chromium")
SHOTS = ROOT / "target" / "e2e"
EDITION = "content/2026-spring/index.md"
PAGE = "2026-spring/"
SCROLL = 1500
TOTAL_SECONDS = 60
WAIT_SECONDS = 5
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class Failure(Exception):
    """A check that did not hold, or a step that could not be done."""


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()

    def cap(self, seconds):
        """`seconds`, or what is left of the run if that is less; fails once it is over."""
        left = self.left()
        if left <= 0:
            raise Failure(f"the run took longer than {TOTAL_SECONDS} s")
        return min(seconds, left)


DEADLINE = Deadline(TOTAL_SECONDS)


# ---------------------------------------------------------------- processes


class Processes:
    """The server and the browser, each in its own process group, stopped at the end."""

    def __init__(self):
        self.started = []

    def start(self, args, **kwargs):
        process = subprocess.Popen(args, start_new_session=True, stdin=subprocess.DEVNULL, **kwargs)
        self.started.append(process)
        return process

    def stop(self):
        for process in reversed(self.started):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in reversed(self.started):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)
            # Chromium's helpers share its group; the group may outlive its leader.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.started.clear()


def wait_for(what, probe, seconds, every=0.02):
    """Calls `probe` until it returns something true; returns it, or fails naming `what`."""
    end = time.monotonic() + DEADLINE.cap(seconds)
    last = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= end:
            raise Failure(f"timed out after {seconds:g} s waiting for {what}")
        time.sleep(every)


def tail(path, lines=15):
    try:
        text = pathlib.Path(path).read_text(errors="replace").splitlines()
    except OSError:
        return ""
    # Headless Chromium's complaints about a missing D-Bus are noise here.
    text = [line for line in text if "dbus" not in line and "DBus" not in line]
    return "\n".join("    " + line for line in text[-lines:])


# ---------------------------------------------------------------- DevTools


class Browser:
    """A minimal Chrome DevTools Protocol client over one page session."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=DEADLINE.cap(10), suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, timeout=10, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        end = time.monotonic() + DEADLINE.cap(timeout)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise Failure(f"the browser did not answer {method} within {timeout:g} s")
            self.ws.settimeout(left)
            try:
                reply = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise Failure(f"{method} failed: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append((time.time(), reply))

    def pump(self):
        """Collects the events that have arrived without waiting for more."""
        self.ws.settimeout(DEADLINE.cap(5))  # a message once begun arrives whole
        while select.select([self.ws.sock], [], [], 0)[0]:
            reply = json.loads(self.ws.recv())
            if "method" in reply:
                self.events.append((time.time(), reply))

    def js(self, expression, timeout=10):
        """The value of `expression` in the page (awaited if it is a promise)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise Failure(f"in the page: {text}")
        return result["result"].get("value")

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass


def start_browser(processes, profile):
    log = open(profile.parent / "chromium.log", "wb")
    args = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"]
    browser = processes.start(args, stdout=log, stderr=subprocess.STDOUT)
    active = profile / "DevToolsActivePort"

    def ready():
        if browser.poll() is not None:
            raise Failure(f"Chromium exited ({browser.returncode}):\n{tail(log.name)}")
        try:
            lines = active.read_text().split()
        except OSError:
            return None
        return lines if len(lines) >= 2 else None

    port, path = wait_for("Chromium's DevToolsActivePort", ready, 20, every=0.05)
    return Browser(f"ws://127.0.0.1:{port}{path}"), log.name


def open_page(browser, url):
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    attached = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})
    browser.session = attached["sessionId"]
    for domain in ("Page", "Runtime", "Network"):
        browser.send(f"{domain}.enable")
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    browser.send("Page.navigate", {"url": url})

    def loaded():
        try:
            return browser.js("location.href") == url and browser.js("document.readyState") == "complete"
        except Failure:  # the context of about:blank went away under the call
            return False

    wait_for(f"{url} to load", loaded, 15)


# ---------------------------------------------------------------- the project


def copy_demo(into):
    for name in ("stateof.toml", "content", "templates", "theme", "static", "snapshots"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name)
        elif source.is_file():
            shutil.copy2(source, into / name)
        elif name != "static":
            raise Failure(f"the demo has no {name}")


def start_server(processes, project):
    out = open(project.parent / "server.out", "wb")
    err = open(project.parent / "server.err", "wb")
    server = processes.start([str(BINARY), "serve", "--port", "0"], cwd=project, stdout=out, stderr=err)

    def address():
        if server.poll() is not None:
            raise Failure(f"`stateof serve` exited ({server.returncode}):\n{tail(err.name)}")
        first = pathlib.Path(out.name).read_text(errors="replace").split("\n", 1)
        match = re.match(r"serving (http://127\.0\.0\.1:\d+/)", first[0]) if len(first) > 1 else None
        return match and match.group(1)

    return wait_for("`stateof serve` to print its address", address, 30, every=0.05), err.name


def edit(path, old, new, count=1):
    """Replaces `old` by `new` in `path`, as an editor's save would; returns the write time."""
    text = path.read_text()
    if old not in text:
        raise Failure(f"{path.name} no longer contains {old!r}: the check needs updating")
    text = text.replace(old, new, count)
    written = time.time()
    path.write_text(text)
    return written


# ---------------------------------------------------------------- checks

# Resolves with the time (ms since the epoch) at which `test()` first holds, watching
# the document for changes, or rejects after the given time.
WHEN = """new Promise((resolve, reject) => {
  const test = () => { %s };
  const seen = () => ({ at: Date.now(), y: window.scrollY, marker: window.__e2e === 1 });
  if (test()) return resolve(seen());
  const stop = (fn) => { observer.disconnect(); clearInterval(poll); clearTimeout(timer); fn(); };
  const check = () => { if (test()) stop(() => resolve(seen())); };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  const poll = setInterval(check, 10);
  const timer = setTimeout(() => stop(() => reject(new Error("not within %d ms"))), %d);
})"""


def when(browser, test_js, seconds=WAIT_SECONDS):
    ms = int(DEADLINE.cap(seconds) * 1000)
    try:
        return browser.js(WHEN % (test_js, ms, ms), timeout=seconds + 5)
    except Failure as err:
        if "not within" in str(err):
            return None
        raise


OVERLAY_TEXT = """(() => {
  const host = document.getElementById("stateof-overlay");
  if (!host || !host.shadowRoot) return null;
  return Array.from(host.shadowRoot.children)
    .filter((e) => e.localName !== "style")
    .map((e) => e.innerText)
    .join("\\n");
})()"""


def open_streams(address):
    """How many event streams the server holds open (`streams` in /_stateof/status)."""
    with urllib.request.urlopen(address + "_stateof/status", timeout=5) as response:
        return json.load(response)["streams"]


def run(results):
    """Runs the checks in order, recording each one's outcome in `results`."""
    processes = Processes()
    keep = os.environ.get("STATEOF_E2E_KEEP") == "1"
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="stateof-e2e-"))
    browser = None
    server_log = chromium_log = None
    try:
        project = scratch / "project"
        project.mkdir()
        copy_demo(project)
        address, server_log = start_server(processes, project)
        print(f"e2e: {address} serves a copy of the demo in {project}")
        profile = scratch / "profile"
        profile.mkdir()
        browser, chromium_log = start_browser(processes, profile)
        open_page(browser, address + PAGE)

        # The page listens once it has heard the current build.
        def connected():
            return browser.js("document.documentElement.dataset.stateofGeneration || null")

        wait_for("the page to hear the current build", connected, 10)
        height = browser.js("document.documentElement.scrollHeight")
        if height < SCROLL + 900:
            raise Failure(f"/{PAGE} is only {height} px tall: cannot scroll to {SCROLL} px")
        browser.js(f"window.scrollTo(0, {SCROLL}); window.__e2e = 1;")
        y0 = wait_for("the scroll to settle", lambda: browser.js("window.scrollY") or None, 2)
        print(f"e2e: /{PAGE} open, scrolled to {y0:g} px, marker set")

        markdown = project / EDITION
        token = "e2e" + uuid.uuid4().hex[:12]

        # 1, 2: a narrative edit shows up in place, where the reader was.
        written = edit(markdown, "A year of open models, told in numbers.", f"A year of open models, {token}.")
        seen = when(browser, f"return document.body.innerText.includes({json.dumps(token)});")
        with results.check("narrative edit appears in the page without a navigation"):
            if seen is None:
                raise Failure(f"the token {token} was not in the page {WAIT_SECONDS} s after the write")
            if not seen["marker"]:
                raise Failure("the page navigated (window.__e2e is gone) instead of updating in place")
            streams = open_streams(address)
            if streams != 1:
                raise Failure(f"the server holds {streams} event streams; a swapped body must not start another")
            print(f"e2e:   write -> token in page: {seen['at'] - written * 1000:.0f} ms")
        with results.check("scroll position kept across the swap"):
            if seen is None:
                raise Failure("no swap happened to keep the scroll across")
            time.sleep(0.3)  # anything late (fonts, images) that would move it
            later = browser.js("window.scrollY")
            for moment, y in (("at the swap", seen["y"]), ("0.3 s later", later)):
                if abs(y - y0) > 4:
                    raise Failure(f"scrollY was {y0:g} before the edit and {y:g} {moment}")
            print(f"e2e:   scrollY {y0:g} -> {seen['y']:g} at the swap, {later:g} 0.3 s later")

        # 3: a broken figure name shows the overlay over the last good page.
        written = edit(markdown, 'fig(name="top200_share")', 'fig(name="top20_share")')
        seen = when(browser, f"const t = {OVERLAY_TEXT}; return t !== null && t.includes('error: ');")
        with results.check("a build error shows the overlay over the last good page"):
            if seen is None:
                raise Failure(f"no overlay {WAIT_SECONDS} s after breaking a figure name")
            text = browser.js(OVERLAY_TEXT)
            print(f"e2e:   write -> overlay: {seen['at'] - written * 1000:.0f} ms")
            for wanted in (EDITION + ":", "did you mean"):
                if wanted not in text:
                    raise Failure(f"the overlay does not say {wanted!r}; it says:\n{text}")
            if not seen["marker"]:
                raise Failure("the page navigated when the build failed")
            if not browser.js(f"document.body.innerText.includes({json.dumps(token)})"):
                raise Failure("the last good page (with the token) is no longer under the overlay")
            print("e2e:   overlay: " + " | ".join(line.strip() for line in text.splitlines() if line.strip())[:300])
        browser.screenshot(SHOTS / "overlay.png")

        # 4: fixing it removes the overlay.
        written = edit(markdown, 'fig(name="top20_share")', 'fig(name="top200_share")')
        seen = when(browser, f"return {OVERLAY_TEXT} === null;")
        with results.check("fixing the error clears the overlay"):
            if seen is None:
                raise Failure(f"the overlay was still there {WAIT_SECONDS} s after the fix")
            if not seen["marker"]:
                raise Failure("the page navigated when the build was fixed")
            print(f"e2e:   write -> overlay gone: {seen['at'] - written * 1000:.0f} ms")

        # 5: a stylesheet edit restyles the page in place.
        before = browser.js("getComputedStyle(document.body).backgroundColor")
        colour = "rgb(255, 236, 179)"
        if before == colour:
            raise Failure(f"the page's background is already {colour}: the check needs updating")
        css = project / "theme" / "style.css"
        written = time.time()
        with css.open("a") as file:
            file.write(f"\n/* e2e */\nbody {{ background: {colour}; }}\n")
        seen = when(browser, f"return getComputedStyle(document.body).backgroundColor === {json.dumps(colour)};")
        with results.check("stylesheet edit restyles the page without a navigation"):
            if seen is None:
                now = browser.js("getComputedStyle(document.body).backgroundColor")
                raise Failure(f"body background still {now} (was {before}) {WAIT_SECONDS} s after the edit")
            if not seen["marker"]:
                raise Failure("the page navigated instead of refreshing the stylesheet in place")
            print(f"e2e:   write -> new style: {seen['at'] - written * 1000:.0f} ms (scrollY {seen['y']:g})")

        # 6: more tabs share the one event stream (browsers allow ~6 connections a host).
        for extra in ("", "2025-spring/", "methodology/"):
            browser.send("Target.createTarget", {"url": address + extra}, session=False)
        with results.check("more open tabs share one event stream"):
            time.sleep(1.5)  # the tabs load and connect to the shared worker
            streams = open_streams(address)
            if streams != 1:
                raise Failure(f"4 tabs hold {streams} event streams; they should share one")
            print("e2e:   4 tabs, 1 event stream")
        browser.js(
            "(() => { const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
            f" while (w.nextNode()) if (w.currentNode.data.includes({json.dumps(token)}))"
            " { w.currentNode.parentElement.scrollIntoView({block: 'center'}); return; } })()"
        )
        time.sleep(0.1)
        browser.screenshot(SHOTS / "page.png")
        print(f"e2e: screenshots in {SHOTS.relative_to(ROOT)}/ (overlay.png, page.png)")
    except (Failure, OSError, websocket.WebSocketException) as err:
        why = str(err) if isinstance(err, Failure) else f"{type(err).__name__}: {err}"
        results.abort(why)
        for name, log in (("server", server_log), ("Chromium", chromium_log)):
            if log and tail(log):
                print(f"e2e: the {name}'s last lines:\n{tail(log)}")
    finally:
        if browser:
            browser.close()
        processes.stop()
        if keep:
            print(f"e2e: kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


class Results:
    NAMES = 6

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name):
        results = self

        class Check:
            def __enter__(self):
                return self

            def __exit__(self, kind, err, _trace):
                if kind is None:
                    results.passed += 1
                    print(f"ok: {name}")
                    return False
                if issubclass(kind, Failure):
                    results.failed += 1
                    print(f"FAILED: {name}: {err}")
                    return True
                return False

        return Check()

    def abort(self, why):
        left = self.NAMES - self.passed - self.failed
        print(f"FAILED: {why}" + (f" ({left} check(s) not run)" if left else ""))
        self.failed += max(left, 1)


def main():
    sys.stdout.reconfigure(line_buffering=True)
    if not pathlib.Path(CHROMIUM).exists():
        sys.exit(f"e2e: no Chromium at {CHROMIUM} (apt-get install chromium)")
    if not BINARY.exists():
        print("e2e: no release binary: cargo build --release", flush=True)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    global DEADLINE
    DEADLINE = Deadline(TOTAL_SECONDS)

    # SIGTERM / SIGINT and a hard backstop end the run through `finally`, cleaning up.
    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    def too_long(_signum, _frame):
        raise Failure(f"still running after {TOTAL_SECONDS + 30} s")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(TOTAL_SECONDS + 30)
    results = Results()
    started = time.monotonic()
    try:
        run(results)
    except KeyboardInterrupt as why:
        print(f"e2e: stopped ({why or 'Ctrl-C'}); the server and the browser were stopped")
        return 130
    finally:
        signal.alarm(0)
    print(f"e2e: {time.monotonic() - started:.1f} s in all")
    print(f"{results.passed} passed, {results.failed} failed")
    return 0 if results.failed == 0 and results.passed == Results.NAMES else 1


if __name__ == "__main__":
    sys.exit(main())
