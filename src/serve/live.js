// stateof live preview: injected into pages by `stateof serve`, never into a build.
// Listens for finished builds; swaps in this page when it changed (keeping the scroll
// position), refreshes changed stylesheets in place, and shows build errors over the
// last good page until the next good build.
(() => {
  "use strict";
  const me = document.currentScript;
  let generation = Number(me && me.dataset.generation);
  const scrollKey = "stateof-scroll:" + location.pathname;

  // After a full reload (see `swap`), go back to where the reader was.
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const y = Number(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", () => window.scrollTo(0, y));
  }

  // This page's file in the site: `/2026-spring/` is `2026-spring/index.html`.
  function here() {
    let path = decodeURIComponent(location.pathname).replace(/^\//, "");
    if (path === "" || path.endsWith("/")) path += "index.html";
    return path;
  }

  // What in <head> cannot be swapped without a reload: stylesheets and scripts.
  function headKey(doc) {
    return Array.from(doc.head.querySelectorAll("link[rel=stylesheet], script[src]"))
      .map((e) => (e.getAttribute("href") || e.getAttribute("src")).split("?")[0])
      .join("\n");
  }

  async function swap() {
    const response = await fetch(location.href, { cache: "no-store" });
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    if (headKey(doc) !== headKey(document)) return reload();
    const x = window.scrollX, y = window.scrollY;
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    window.scrollTo(x, y);
  }

  function restyle(changed) {
    for (const link of document.querySelectorAll("link[rel=stylesheet]")) {
      const url = new URL(link.href);
      if (changed.has(url.pathname.replace(/^\//, ""))) {
        url.searchParams.set("stateof", String(Date.now()));
        link.href = url.href;
      }
    }
  }

  // The server's own pages (the figure palette) run scripts of their own, which a
  // swapped body would not start again: they reload instead.
  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  async function update(report) {
    const changed = new Set(report.changed);
    const missed = report.generation !== generation + 1;
    generation = report.generation;
    if (missed || changed.has(here())) {
      if (here().startsWith("_stateof/")) return reload();
      await swap();
    }
    restyle(changed);
  }

  // Overlay and warning bar live in a shadow root outside <body>, so page styles
  // cannot touch them and a swapped body keeps them.
  function panel(id, css) {
    let host = document.getElementById(id);
    if (!host) {
      host = document.createElement("stateof-panel");
      host.id = id;
      host.attachShadow({ mode: "open" });
      document.documentElement.appendChild(host);
    }
    host.shadowRoot.innerHTML = "<style>" + css + "</style>";
    return host;
  }

  const OVERLAY_CSS = `
    :host { all: initial; }
    .backdrop { position: fixed; inset: 0; z-index: 2147483647; overflow: auto;
      background: rgba(20, 24, 29, 0.82); padding: 4vh 4vw; font: 15px/1.5 system-ui, sans-serif; }
    .box { max-width: 60rem; margin: 0 auto; background: #fff; color: #1d232b;
      border-top: 6px solid #b3261e; border-radius: 6px; padding: 1.2rem 1.5rem; }
    h2 { margin: 0 0 .3rem; font-size: 1.15rem; color: #b3261e; }
    p { margin: 0 0 1rem; color: #5b6571; }
    .place { font-weight: 600; margin-top: 1rem; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0 0;
      font: 14px/1.45 ui-monospace, Menlo, Consolas, monospace;
      background: #f6f3ee; padding: .7rem .8rem; border-radius: 4px; }`;

  const BAR_CSS = `
    :host { all: initial; }
    .bar { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483646;
      max-height: 40vh; overflow: auto; background: #fff6db; color: #5c4400;
      border-top: 2px solid #d9a400; font: 14px/1.45 system-ui, sans-serif; padding: .6rem 1rem; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0;
      font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; }
    button { float: right; font: inherit; cursor: pointer; }`;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.assign(e, attrs || {});
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showErrors(errors) {
    const old = document.getElementById("stateof-overlay");
    if (!errors.length) {
      if (old) old.remove();
      return;
    }
    const host = panel("stateof-overlay", OVERLAY_CSS);
    const backdrop = el("div", { className: "backdrop" });
    const box = el("div", { className: "box" });
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "Build failed");
    box.append(
      el("h2", {}, errors.length === 1 ? "The build failed" : `The build failed with ${errors.length} errors`),
      el("p", {}, "The page below is the last good build. Fix the file and save: this goes away by itself.")
    );
    for (const error of errors) {
      if (error.file) {
        const place = error.file + (error.line ? ":" + error.line : "") + (error.column ? ":" + error.column : "");
        box.append(el("div", { className: "place" }, place));
      }
      box.append(el("pre", {}, "error: " + error.text));
    }
    backdrop.append(box);
    host.shadowRoot.append(backdrop);
  }

  function showWarnings(warnings) {
    const old = document.getElementById("stateof-warnings");
    const key = warnings.map((w) => w.text).join("\n");
    if (!warnings.length || sessionStorage.getItem("stateof-dismissed") === key) {
      if (old) old.remove();
      return;
    }
    const host = panel("stateof-warnings", BAR_CSS);
    const bar = el("div", { className: "bar" });
    bar.setAttribute("role", "status");
    const close = el("button", { type: "button" }, "Dismiss");
    close.addEventListener("click", () => {
      sessionStorage.setItem("stateof-dismissed", key);
      host.remove();
    });
    bar.append(close, el("strong", {}, warnings.length === 1 ? "1 warning" : `${warnings.length} warnings`));
    for (const warning of warnings) bar.append(el("pre", {}, "warning: " + warning.text));
    host.shadowRoot.append(bar);
  }

  // Reports arrive in order; each is handled after the one before.
  let queue = Promise.resolve();
  function hear(data) {
    const report = JSON.parse(data);
    queue = queue.then(async () => {
      showErrors(report.errors);
      if (!report.errors.length) showWarnings(report.warnings);
      if (report.generation !== generation && !report.errors.length) await update(report);
      else generation = report.generation;
      document.documentElement.dataset.stateofGeneration = String(report.generation);
    }).catch((err) => console.error("stateof live reload:", err));
  }

  // One stream for all tabs through a shared worker where the browser has them.
  try {
    const worker = new SharedWorker("/_stateof/live-worker.js", { name: "stateof-live" });
    worker.port.onmessage = (message) => hear(message.data);
    worker.port.start();
    window.addEventListener("pagehide", () => worker.port.postMessage("bye"));
  } catch (_) {
    const events = new EventSource("/_stateof/events");
    events.addEventListener("build", (event) => hear(event.data));
  }
})();
