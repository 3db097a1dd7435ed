/* The theme's script, loaded by every page (templates/base.html).
   Inline figures: the stylesheet shows a figure's provenance note on hover and on
   keyboard focus; a tap shows it too (a second tap follows the link to its
   definition), and Escape hides it. Printing opens every data table.
   Citing: where the page may write to the clipboard, the copy buttons (hidden in the
   HTML) show, a chart's copying its permalink or its embed code, and a figure's `#`
   permalink copies itself as well as being followed; a polite status says what was
   copied. Without this script the permalinks and the embed code are still there. */
(() => {
  let tapped = null;
  const wraps = () => document.querySelectorAll(".fig-wrap");
  document.addEventListener("pointerdown", (e) => {
    tapped = e.pointerType === "touch" ? e.target.closest(".fig-link") : null;
  });
  document.addEventListener("click", (e) => {
    const link = e.target.closest(".fig-link");
    const wrap = link && link.parentElement;
    for (const w of wraps()) if (w !== wrap) w.classList.remove("open");
    if (link && link === tapped && !wrap.classList.contains("open")) {
      e.preventDefault();
      wrap.classList.add("open");
    }
  });
  const wake = (e) => {
    for (const w of wraps()) if (!w.contains(e.target)) w.classList.remove("hush");
  };
  document.addEventListener("focusin", wake);
  document.addEventListener("mouseover", wake);
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    for (const w of wraps()) {
      const shown = w.classList.contains("open") || w.matches(":hover") || w.contains(document.activeElement);
      w.classList.remove("open");
      if (shown) w.classList.add("hush");
    }
  });
  let opened = [];
  addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("details:not([open])")];
    for (const d of opened) d.open = true;
  });
  addEventListener("afterprint", () => {
    for (const d of opened) d.open = false;
  });
  if (navigator.clipboard && window.isSecureContext) {
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.append(status);
    const copy = (text, done) => navigator.clipboard.writeText(text).then(
      () => { status.textContent = done; },
      () => { status.textContent = "Could not copy to the clipboard."; },
    );
    for (const b of document.querySelectorAll("button.copy[hidden]")) b.hidden = false;
    document.addEventListener("click", (e) => {
      const button = e.target.closest("button.copy");
      const permalink = e.target.closest(".fig-permalink");
      if (button && button.dataset.copyLink) {
        copy(new URL(button.dataset.copyLink, location.href).href, "Link copied.");
      } else if (button) {
        const code = document.getElementById(button.dataset.copyFrom);
        if (code) copy(code.textContent, "Embed code copied.");
      } else if (permalink) {
        copy(permalink.href, "Link to the figure copied.");
      }
    });
  }
})();
