#!/usr/bin/env node
// Accessibility of the built demo in a real browser: axe-core in headless Chromium.
//
// Serves the built site (`output/`, built for the base path `/stateof/`) on a local
// port and opens the home page, the latest edition, the methodology page and one
// chart's embed page at 320 (the narrowest phones), 390 (a common phone) and 1280 px
// wide, in the light and the dark colour scheme, with every `<details>` (the charts'
// data tables and embed code) open. On each it runs axe-core's WCAG 2.2 A and AA rules
// (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) and fails on any violation, on
// any console error or uncaught exception, and on any request the site answers with an
// error (a missing favicon, say). It then checks what axe cannot: an inline figure's
// provenance note shows on keyboard focus, on a tap (without leaving the page) and not
// after Escape; a figure's permalink and a chart's copy buttons are reached with the
// keyboard, show and are named when focused, and copy what they say; and the header
// does not overflow at 150% text size.
//
// Screenshots of each page go to target/e2e/axe/. Run after `cargo run --release --
// build`, with the npm packages installed in target/npm (as .ci/run does):
//
//     PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix target/npm axe-core@4.14.1 puppeteer-core@24.43.1
//     node scripts/axe.mjs [SITE_DIR] [BASE_PATH]
//
// It drives Debian's /usr/bin/chromium (STATEOF_E2E_CHROMIUM picks another).

import { createRequire } from "node:module";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(ROOT, "target", "npm", "package.json"));
const puppeteer = require("puppeteer-core");
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const SITE = path.resolve(process.argv[2] || path.join(ROOT, "output"));
const BASE = process.argv[3] || "/stateof/";
const SHOTS = path.join(ROOT, "target", "e2e", "axe");
const CHROMIUM = process.env.STATEOF_E2E_CHROMIUM || "/usr/bin/chromium";
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const WIDTHS = [320, 390, 1280];
const SCHEMES = ["light", "dark"];

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".ico": "image/x-icon", ".png": "image/png",
  ".json": "application/json", ".csv": "text/csv", ".xml": "application/xml",
};

/** A static server for SITE at BASE; anything else is a 404. */
function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(BASE)) return notFound(res);
    rel = rel.slice(BASE.length);
    let file = path.join(SITE, rel);
    if (!file.startsWith(SITE)) return notFound(res);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) return notFound(res);
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
}

/** The pages to check: the home page, the latest edition, the methodology page, and
 * the embed page of the latest edition's first chart. */
function pages() {
  const editions = fs.readdirSync(SITE)
    .filter((d) => fs.existsSync(path.join(SITE, d, "figures.json")))
    .sort();
  if (editions.length === 0) throw new Error(`${SITE} holds no edition: build the site first`);
  const latest = editions.at(-1);
  const charts = path.join(SITE, latest, "charts");
  const embed = fs.readdirSync(charts)
    .filter((d) => fs.existsSync(path.join(charts, d, "index.html")))
    .sort()[0];
  return [["home", ""], ["edition", `${latest}/`], ["methodology", "methodology/"],
    ["embed", `${latest}/charts/${embed}/`]];
}

/** Opens `url` at `width` in `scheme`, with every <details> open; returns the page and
 * the errors it logged. */
async function open(browser, url, width, scheme, touch = false) {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.setViewport({ width, height: 900, hasTouch: touch, isMobile: touch });
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
  await page.goto(url, { waitUntil: "load" });
  await page.evaluate(() => { for (const d of document.querySelectorAll("details")) d.open = true; });
  return { page, errors };
}

async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")}: ${n.failureSummary.split("\n").slice(1, 3).join(" ")}`),
      count: v.nodes.length,
    }));
  }, TAGS);
}

const NOTE_SHOWN = `(() => {
  const link = document.activeElement;
  const note = link && link.classList.contains("fig-link") && document.getElementById(link.getAttribute("aria-describedby"));
  return !!note && getComputedStyle(note).display !== "none" && note.getBoundingClientRect().height > 0;
})()`;

/** An inline figure's note: on keyboard focus, hidden by Escape, on a tap. */
async function figureNotes(browser, url, failures) {
  let { page } = await open(browser, url, 1280, "light");
  let focused = false;
  for (let i = 0; i < 60 && !focused; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement.classList.contains("fig-link"));
  }
  if (!focused) failures.push(`${url}: no inline figure takes keyboard focus`);
  else {
    if (!(await page.evaluate(NOTE_SHOWN))) failures.push(`${url}: a focused figure shows no provenance note`);
    const name = await page.evaluate(() => {
      const a = document.activeElement;
      return document.getElementById(a.getAttribute("aria-describedby")).textContent;
    });
    if (!/edition/.test(name)) failures.push(`${url}: the figure's description lacks its provenance: ${name}`);
    await page.keyboard.press("Escape");
    if (await page.evaluate(NOTE_SHOWN)) failures.push(`${url}: Escape does not hide a figure's note`);
  }
  await page.close();

  ({ page } = await open(browser, url, 390, "light", true));
  const target = await page.$(".fig-link");
  await target.scrollIntoView();
  await target.tap();
  await new Promise((r) => setTimeout(r, 300));
  const state = await page.evaluate(() => ({
    at: location.href,
    shown: [...document.querySelectorAll(".fig-wrap.open .fig-note")].some((n) => getComputedStyle(n).display !== "none"),
  }));
  if (state.at !== url) failures.push(`${url}: a tap on a figure left the page for ${state.at}`);
  if (!state.shown) failures.push(`${url}: a tap on a figure shows no provenance note`);
  await page.screenshot({ path: path.join(SHOTS, "edition-tap-390.png") });
  await page.close();
}

/** Tabs until the focused element matches `selector`; whether it got there. */
async function tabTo(page, selector) {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement.matches(s), selector)) return true;
  }
  return false;
}

/** Presses Enter on the focused control; returns the status it announced and what the
 * clipboard then holds. */
async function activate(page) {
  await page.evaluate(() => navigator.clipboard.writeText(""));
  await page.keyboard.press("Enter");
  await new Promise((r) => setTimeout(r, 200));
  return page.evaluate(async () => ({
    status: document.querySelector("[role=status]")?.textContent || "",
    copied: await navigator.clipboard.readText(),
  }));
}

/** A figure's permalink and a chart's copy buttons: reached with the keyboard, shown
 * and named when focused, copying what they say and announcing it. */
async function copyControls(browser, url, failures) {
  await browser.defaultBrowserContext().overridePermissions(new URL(url).origin,
    ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
  const { page } = await open(browser, url, 1280, "light");
  await page.bringToFront();
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return {
      name: e.getAttribute("aria-label") || e.textContent,
      href: e.href || "",
      shown: getComputedStyle(e).opacity === "1" && e.getBoundingClientRect().width > 0,
    };
  });
  const checks = [
    [".fig-permalink", /^Link to the figure ./, (f, got) => got.copied === f.href && /#fig-/.test(f.href)],
    ["button.copy[data-copy-link]", /^Copy link to ./, (f, got) => /#chart-[\w-]+$/.test(got.copied)],
    ["button.copy[data-copy-from]", /^Copy embed code of ./, (f, got) => got.copied.startsWith("<iframe src=\"http")],
  ];
  for (const [selector, name, copiedRight] of checks) {
    if (!(await tabTo(page, selector))) {
      failures.push(`${url}: the keyboard never reaches ${selector}`);
      continue;
    }
    const f = await focused();
    if (!f.shown) failures.push(`${url}: ${selector} does not show when focused`);
    if (!name.test(f.name.trim())) failures.push(`${url}: ${selector} is named "${f.name}"`);
    const got = await activate(page);
    if (!copiedRight(f, got)) failures.push(`${url}: ${selector} copied "${got.copied}"`);
    if (!/copied\.$/.test(got.status)) failures.push(`${url}: ${selector} announced "${got.status}"`);
    if (selector === ".fig-permalink") await page.screenshot({ path: path.join(SHOTS, "edition-permalink-1280.png") });
  }
  await page.close();
}

/** At 150% text size the header's links wrap rather than overflow at 320 px. */
async function largeText(browser, url, failures) {
  const { page } = await open(browser, url, 320, "light");
  await page.addStyleTag({ content: "html { font-size: 150% !important; }" });
  const over = await page.evaluate(() => {
    const view = document.documentElement.clientWidth;
    return [...document.querySelectorAll(".site-header *")]
      .filter((e) => e.getBoundingClientRect().right > view + 1)
      .map((e) => e.localName + (e.className ? "." + e.className : ""));
  });
  if (over.length) failures.push(`${url}: at 150% text the header overflows: ${over.join(", ")}`);
  await page.screenshot({ path: path.join(SHOTS, "header-150-320.png") });
  await page.close();
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}${BASE}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "stateof-axe-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    userDataDir: profile,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const failures = [];
  let checked = 0;
  try {
    for (const [name, rel] of pages()) {
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          const url = origin + rel;
          const { page, errors } = await open(browser, url, width, scheme);
          const violations = await axe(page);
          await page.screenshot({ path: path.join(SHOTS, `${name}-${width}-${scheme}.png`) });
          await page.close();
          checked += 1;
          const where = `${name} (${rel || "/"}) at ${width} px, ${scheme}`;
          for (const e of errors) failures.push(`${where}: ${e}`);
          for (const v of violations) {
            failures.push(`${where}: ${v.id} (${v.impact}, ${v.count} elements): ${v.help}\n    ${v.nodes.join("\n    ")}`);
          }
          console.log(`axe: ${where}: ${violations.length} violations, ${errors.length} errors`);
        }
      }
    }
    const edition = origin + pages()[1][1];
    await figureNotes(browser, edition, failures);
    await copyControls(browser, edition, failures);
    await largeText(browser, edition, failures);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`axe: ${checked} page views checked (WCAG ${TAGS.join(", ")}), ${failures.length} failures; screenshots in ${path.relative(ROOT, SHOTS)}/`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(`axe: ${e.stack || e}`);
  process.exit(2);
});
