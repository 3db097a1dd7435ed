// Copy controls for citing and embedding, as a progressive enhancement: the permalinks
// and embed code they copy are on the page and work without this script. Where the
// browser lets a page write to the clipboard, it shows each `button.copy` (hidden in the
// HTML), and a click on a figure's `#` link copies that link as well as following it.
// What was copied is announced in a polite live region.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) return;

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function copy(text, done) {
    navigator.clipboard.writeText(text).then(
      function () { status.textContent = done; },
      function () { status.textContent = "Could not copy to the clipboard."; }
    );
  }

  document.querySelectorAll("button.copy[hidden]").forEach(function (button) {
    button.hidden = false;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (button) {
      if (button.dataset.copyLink) {
        copy(new URL(button.dataset.copyLink, location.href).href, "Link copied.");
      } else {
        var source = document.getElementById(button.dataset.copyFrom || "");
        if (source) copy(source.textContent, "Embed code copied.");
      }
      return;
    }
    var link = event.target.closest("a.fig-link");
    if (link) copy(link.href, "Link to the figure copied.");
  });
})();
